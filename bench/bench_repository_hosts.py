#!/usr/bin/env python3
"""The cron wrapper over many Docker hosts: the sequential wrapper (three script runs per host, each
reading the whole facility tree) beside the one run (RepositoryDockerNodeSync.py: one tree read,
hosts and full-node reads in parallel), at hosts x containers = 1x200, 5x200, 20x200 and 50x200 and
a stand-in answering 0 and 20 ms late. Hosts are facility IDs over the local daemon (every host
lists the same containers). Per run: wall seconds, calls by operation as the stand-in received
them, and the peak RSS of the largest process of the run. Every measured run is steady (the
repository was synced just before), so it makes no writing call.

    python3 bench/bench_repository_hosts.py [--hosts 1,5,20,50] [--latencies 0,20]
                                            [--sequential-up-to 50] [--api soap|rest]

The sequential wrapper costs grow with hosts² x containers (each of its 3 x H runs parses a tree of
H x C nodes); runs over --sequential-up-to hosts are left out and say so. The set-up (one cold
sync per host count, at latency 0, of the hosts the previous count had not registered) is shown
as "one run, set-up". The daemon is shared: containers of others are
registered too ('containers' says how many the daemon had). Bench containers carry the bench label
and a per-run name prefix and are removed at the end."""
import argparse
import os
import sys
import tempfile
from pathlib import Path

from common import ROOT, docker_client, ensure_containers, print_table, remove_containers, run_measured

sys.path.insert(0, str(ROOT))
from hinemos_docker.sandbox import start  # noqa: E402

PREFIX = f"hdbench-hosts{os.getpid()}-"
CONTAINERS = 200
DOCKER = "127.0.0.1:2375"
READS = ("getFacilityTree", "getNode", "getNodeFull")
WRITES = ("addScope", "addNode", "assignNodeScope", "modifyNode", "deleteNode")
SESSION = ("healthCheck", "login", "logout")
# the wrapper as it was before the one run: Add for every host, then Delete, then Update
SEQUENTIAL_WRAPPER = r"""
mapfile -t HOSTS < <(grep -v '^[[:space:]]*$' <<<"$REPOSITORY_DOCKER_HOSTS")
status=0
for script in RepositoryDockerNodeAdd.py RepositoryDockerNodeDelete.py RepositoryDockerNodeUpdate.py; do
    for host in "${HOSTS[@]}"; do
        read -r ip facility_id <<<"$host"
        "$BIN/$script" -i "$ip" -f "$facility_id" "$@" || status=1
    done
done
exit $status
"""


def run_wrapper(argv, hosts, sandbox):
    """(wall s, calls, peak RSS MiB of the largest process) of one wrapper run over `hosts`."""
    # the bin scripts start `python3` from PATH: this interpreter's first
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "LANG": "C.UTF-8", "BIN": str(ROOT / "bin"),
           "HINEMOS_DOCKER_BIN": str(ROOT / "bin"),
           "REPOSITORY_DOCKER_HOSTS": "".join(f"{DOCKER} {host}\n" for host in hosts)}
    env.pop("LC_ALL", None)
    sandbox.calls.clear()
    with open(os.devnull, "wb") as out, tempfile.TemporaryFile() as err:
        # through the launcher: a process forked from this one (which holds the stand-in and its
        # whole repository) would be charged this one's memory
        elapsed, code, max_rss_kib, _ = run_measured([*argv, "-m", sandbox.root_url], env, out, err)
        if code != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv)} failed: {err.read().decode().strip()[-2000:]}")
    return elapsed, dict(sandbox.calls), max_rss_kib / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", default="1,5,20,50")
    parser.add_argument("--latencies", default="0,20")
    parser.add_argument("--sequential-up-to", type=int, default=50)
    parser.add_argument("--api", choices=("soap", "rest"), default="soap")
    options = parser.parse_args()
    host_counts = [int(x) for x in options.hosts.split(",")]
    latencies = [int(x) for x in options.latencies.split(",")]
    client = docker_client()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        sequential = Path(work) / "sequential-wrapper.sh"
        sequential.write_text(SEQUENTIAL_WRAPPER)
        one_run = [str(ROOT / "bin" / "RepositoryDockerNode.sh")]
        sandbox = start(port=0, version="7.1" if options.api == "rest" else "6.2")
        try:
            ensure_containers(client, PREFIX, CONTAINERS)
            on_daemon = len(client.api.containers(all=True, quiet=True))
            for count in host_counts:
                hosts = [f"{PREFIX}h{number:02d}" for number in range(count)]
                sandbox.latency_s = 0
                # cold: registers the hosts not yet registered (those of the previous count are)
                elapsed, calls, rss = run_wrapper(one_run, hosts, sandbox)
                rows.append(["one run, set-up", f"{count}x{CONTAINERS}", on_daemon, 0, f"{elapsed:.2f}",
                             f"{rss:.0f}", *(calls.get(op, 0) for op in SESSION + READS),
                             sum(calls.get(op, 0) for op in WRITES)])
                print(rows[-1], file=sys.stderr, flush=True)
                for latency in latencies:
                    sandbox.latency_s = latency / 1000
                    for name, argv in (("sequential", ["bash", str(sequential)]), ("one run", one_run)):
                        if name == "sequential" and count > options.sequential_up_to:
                            rows.append([name, f"{count}x{CONTAINERS}", on_daemon, latency, "(left out)"])
                            continue
                        elapsed, calls, rss = run_wrapper(argv, hosts, sandbox)
                        rows.append([name, f"{count}x{CONTAINERS}", on_daemon, latency, f"{elapsed:.2f}",
                                     f"{rss:.0f}", *(calls.get(op, 0) for op in SESSION + READS),
                                     sum(calls.get(op, 0) for op in WRITES)])
                        print(rows[-1], file=sys.stderr, flush=True)
        finally:
            sandbox.stop()
            remove_containers(client, PREFIX)
    print_table(["wrapper", "hosts x containers", "on daemon", "latency ms", "wall s", "peak RSS MiB",
                 *SESSION, *READS, "writes"], [row + [""] * (13 - len(row)) for row in rows])


if __name__ == "__main__":
    main()
