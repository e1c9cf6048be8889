#!/usr/bin/env python3
"""Repository sync of 200 containers against the stand-in manager, over SOAP (a 6.2 stand-in) and
over REST (7.1), side by side: wall time and calls by operation, as the stand-in received them, for
Add on an empty repository, Add again, Update with nothing changed, then Update after 10 containers
stopped and Delete after they were removed. Targets: Update with nothing changed makes no modifying
call; modifying calls grow with the changes, not with containers x scopes; the cold Add of 200
containers takes under 20 s. REST adds a probe, a login and a logout per run.

The scripts register every container of the daemon, so containers of anything else running on it
are counted too (the 'containers' column says how many there were)."""
import io
import os
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, docker_client, ensure_containers, print_table, remove_containers

sys.path.insert(0, str(ROOT))
from hinemos_docker.cli import run  # noqa: E402
from hinemos_docker.commands.repository_sync import ADD, DELETE, UPDATE  # noqa: E402
from hinemos_docker.sandbox import start  # noqa: E402

# per run: other benches on the shared daemon use "hdbench-..." names, and docker's name filter
# matches substrings
PREFIX = f"hdbench-sync{os.getpid()}-"
CONTAINERS = 200
CHANGED = 10
HOST = "bench_host"
VERSIONS = (("SOAP", "6.2"), ("REST", "7.1"))
SESSION = ("healthCheck", "login", "logout")
READS = ("getFacilityTree", "getNode", "getNodeFull")
WRITES = ("addScope", "addNode", "assignNodeScope", "modifyNode", "deleteNode")


def sync(command, sandbox):
    """Run one script in-process; (wall seconds, calls the stand-in received)."""
    sandbox.calls.clear()
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    code = run(command, ["-i", "127.0.0.1", "-p", "2375", "-m", sandbox.root_url, "-f", HOST],
               stdout=out, stderr=err)
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"{command.prog} failed: {err.getvalue().strip()}")
    return elapsed, dict(sandbox.calls)


def passes(client, api, version, work):
    """The six steps against one fresh stand-in; a table row per step."""
    rows = []
    sandbox = start(port=0, data=Path(work) / f"repository-{version}.json", version=version)
    try:
        ensure_containers(client, PREFIX, CONTAINERS)
        ours = sorted(client.containers.list(all=True, filters={"name": PREFIX}), key=lambda c: c.name)
        changed = ours[:CHANGED]
        steps = [("Add, empty repository", ADD, None), ("Add again", ADD, None),
                 ("Update, nothing changed", UPDATE, None),
                 (f"Update, {CHANGED} stopped", UPDATE, lambda: [c.stop(timeout=0) for c in changed]),
                 (f"Delete, {CHANGED} removed", DELETE, lambda: [c.remove(force=True) for c in changed]),
                 ("Delete again", DELETE, None)]
        for label, command, change in steps:
            if change:
                change()
            on_daemon = len(client.api.containers(all=True, quiet=True))
            elapsed, calls = sync(command, sandbox)
            rows.append([f"{api} {version}", label, on_daemon, f"{elapsed:.2f}",
                         *(calls.get(op, 0) for op in SESSION + READS + WRITES),
                         sum(calls.get(op, 0) for op in WRITES)])
    finally:
        sandbox.stop()
    return rows


def main():
    client = docker_client()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        try:
            for api, version in VERSIONS:
                rows += passes(client, api, version, work)
        finally:
            remove_containers(client, PREFIX)
    print_table(["api", "step", "containers", "wall s", *SESSION, *READS, *WRITES, "writes"], rows)


if __name__ == "__main__":
    main()
