"""Shared benchmark helpers: labelled bench containers, timing of whole script runs."""
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_LABEL = {"hinemos-docker-test": "bench"}
IMAGE = os.environ.get("HD_TEST_IMAGE", "hinemos-docker-test:latest")


def docker_client():
    import docker
    return docker.DockerClient(base_url="unix:///var/run/docker.sock", max_pool_size=32)


def ensure_containers(client, prefix, wanted, command="sleep 3600"):
    """Exactly `wanted` running bench containers named <prefix>NNN (creates or removes the difference)."""
    names = [f"{prefix}{number:03d}" for number in range(wanted)]
    existing = {c.name: c for c in client.containers.list(all=True, filters={"name": prefix})}
    for name, container in existing.items():
        if name not in names:
            container.remove(force=True)
    for name in names:
        if name not in existing:  # the numbers a previous step removed are made again
            client.containers.run(IMAGE, command, name=name, labels=BENCH_LABEL, detach=True)


def remove_containers(client, prefix):
    for container in client.containers.list(all=True, filters={"name": prefix}):
        container.remove(force=True)


def time_command(argv, runs=5, env=None):
    """Median wall time (s) of a subprocess over `runs` runs; fails loudly if it fails."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(map(str, argv))} failed: {result.stderr.strip()}")
    return statistics.median(times)


# A child's peak RSS (ru_maxrss) counts the memory of the process it was forked or vforked from,
# so commands are started from this small launcher rather than from a bench (which may hold the SDK,
# a client or a whole stand-in): it forks, execs the command, and reports wall time, exit code,
# peak RSS (KiB) and CPU seconds (user + system) of that grandchild as JSON on the file
# descriptor it is given.
LAUNCHER = """
import json, os, sys, time
report, argv = int(sys.argv[1]), sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
os.write(report, json.dumps([time.perf_counter() - start, os.waitstatus_to_exitcode(status),
                             usage.ru_maxrss, usage.ru_utime + usage.ru_stime]).encode())
"""


def run_measured(argv, env, stdout, stderr):
    """(wall seconds, exit code, peak RSS KiB, CPU seconds) of one command run through LAUNCHER,
    its output to the files `stdout` and `stderr`."""
    read_end, write_end = os.pipe()
    try:
        subprocess.run([sys.executable, "-c", LAUNCHER, str(write_end), *map(str, argv)], stdout=stdout,
                       stderr=stderr, env=env, pass_fds=(write_end,), check=True)
    finally:
        os.close(write_end)
    with os.fdopen(read_end) as report:
        return tuple(json.loads(report.read()))


def print_table(headers, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    for row in [headers, ["-" * w for w in widths], *rows]:
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths)))
