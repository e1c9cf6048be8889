#!/usr/bin/env python3
"""The counter monitors' local fast path (cgroup files) beside the API path (--from-api), at 10,
50 and 200 containers on the local daemon: wall time and peak RSS of whole script runs, and the
agreement of the two paths' CPU values over the same window.

- CPU (`--all`), disk, network: a steady run (previous samples in the -k state file, the last run
  more than a second ago) and a first run (no state: two samples, a second apart);
- memory (default mode: rss relative to the host's memory);
- the fast path also over tcp://127.0.0.1:2375, the way Hinemos calls the scripts by default;
- one container per run (a per-container monitor setting), fast path and API;
- CPU seconds (user + system) of each run beside its wall time: the cost on the machine that runs
  the scripts (the daemon's own work for the API's stats calls is not in it);
- agreement: the API's one-shot stats of every bench container and, as soon as each arrives, that
  container's cgroup files; again 5 s later; the largest |CPU % by the API - CPU % by the files|
  over the containers. Three of them run a busy loop capped at --cpus 0.25 so that the figures are not all
  zero (and the bench leaves the 2 shared cores mostly to others).

Bench containers are named hdbench-fast-NNN and hdbench-fastbusy-N (label
hinemos-docker-test=bench) and removed at the end. Goals: a steady fast-path run under 0.2 s at
200 containers; values within 1 percentage point of the API path. Usage: bench/bench_fast_path.py [COUNT ...]
"""
import compileall
import sys
import tempfile
import time
from pathlib import Path

from bench_resources import usage
from common import BENCH_LABEL, IMAGE, ROOT, docker_client, ensure_containers, print_table, remove_containers

sys.path.insert(0, str(ROOT))
from hinemos_docker import metrics  # noqa: E402
from hinemos_docker.docker_endpoint import resolve_endpoint  # noqa: E402
from hinemos_docker.docker_engine import DockerEngine  # noqa: E402
from hinemos_docker.local_engine import CgroupFiles, LocalEngine  # noqa: E402

PREFIX = "hdbench-fast-"
BUSY_PREFIX = "hdbench-fastbusy-"
SELECTION = "hdbench-fast*"  # both kinds
BUSY = 3
UNIX = "unix:///var/run/docker.sock"
BIN = ROOT / "bin"
RUNS = 3
MONITORS = {  # name -> (script, extra options, lines per container)
    "CPU --all": ("MonitorDockerContainerResourceCpu.py", ["--all"], 1),
    "disk": ("MonitorDockerContainerResourceDisk.py", [], 2),
    "network": ("MonitorDockerContainerResourceNetwork.py", [], 2),
    "memory": ("MonitorDockerContainerResourceMemory.py", [], 1),
}


def ensure_busy(client):
    """BUSY capped busy loops beside the idle bench containers (named hdbench-fastbusy-N)."""
    for number in range(BUSY):
        name = f"{BUSY_PREFIX}{number}"
        if not client.containers.list(all=True, filters={"name": f"^/{name}$"}):
            client.containers.run(IMAGE, "sh -c 'while :; do :; done'", name=name, labels=BENCH_LABEL,
                                  nano_cpus=250_000_000, detach=True)


def script_run(monitor, lines, state_dir, key, extra, selection=SELECTION):
    """(wall s, peak RSS MiB, CPU s) of one run printing at least `lines` container blocks."""
    script, options, per_container = MONITORS[monitor]
    argv = [sys.executable, BIN / script, "-n", selection, *options, *extra]
    if monitor != "memory":
        argv += ["-k", key, "--state-dir", state_dir]
    return usage(argv, lines * per_container)


def summary(results):
    """(median wall s, median CPU s, largest peak RSS MiB) of several runs."""
    def median(values):
        return sorted(values)[len(values) // 2]
    return median([r[0] for r in results]), median([r[2] for r in results]), max(r[1] for r in results)


def steady(monitor, lines, state_dir, extra, selection=SELECTION):
    """summary() of RUNS steady runs, each over 1.2 s after the last (memory keeps no state)."""
    key = f"steady{time.monotonic_ns()}"
    script_run(monitor, lines, state_dir, key, extra, selection)  # leaves the state file
    results = []
    for _ in range(RUNS):
        time.sleep(1.2)
        results.append(script_run(monitor, lines, state_dir, key, extra, selection))
    return summary(results)


def agreement(count):
    """(largest |API - files| CPU percentage points over the bench containers, the busy ones' mean
    CPU % by the API) over one 5 s window, each container's files read as soon as its API answer
    arrives (all requests in flight at once), at the start and at the end."""
    endpoint = resolve_endpoint(UNIX)
    local, api = LocalEngine(endpoint, 60, CgroupFiles.discover()), DockerEngine(endpoint, pool_size=256)
    ids = [c["Id"] for c in local.containers() if c["Names"][0].startswith(f"/{SELECTION[:-1]}")]

    def both(container_id):
        daemon = metrics.sample_from_stats(api.stats(container_id))
        return daemon, metrics.sample_from_stats(local.stats_many([container_id])[container_id])
    start = api.per_container(both, ids)
    time.sleep(5)
    end = api.per_container(both, ids)
    differences, busy = [], []
    for cid in ids:
        by_api = metrics.cpu_percent(start[cid][0], end[cid][0])
        by_files = metrics.cpu_percent(start[cid][1], end[cid][1])
        differences.append(abs(by_api - by_files))
        if by_api > 5:
            busy.append(by_api)
    assert len(ids) == count + BUSY
    return max(differences), sum(busy) / max(len(busy), 1)


def bench(count, state_dir):
    rows = []
    lines = count + BUSY
    for monitor in MONITORS:
        paths = [("fast path, unix", ["-i", UNIX]), ("API (--from-api), unix", ["-i", UNIX, "--from-api"])]
        if monitor == "CPU --all":
            paths.insert(1, ("fast path, tcp 127.0.0.1", ["-i", "127.0.0.1"]))
        for label, extra in paths:
            first = "-"
            if monitor != "memory":
                key = f"first{time.monotonic_ns()}"
                first = f"{script_run(monitor, lines, state_dir, key, extra)[0]:.2f}"
            rows.append([monitor, label, lines, *steady(monitor, lines, state_dir, extra), first])
    # a per-container monitor setting: one run per container node, a single container each
    for label, extra in (("fast path, one container", ["-i", UNIX]),
                         ("API, one container", ["-i", UNIX, "--from-api"])):
        one = steady("CPU --all", 1, state_dir, extra, selection=f"{BUSY_PREFIX}0")
        rows.append(["CPU --all", label, 1, *one, "-"])
    return rows


def main(counts):
    if CgroupFiles.discover() is None:
        raise SystemExit("cgroups are not mounted whole here: no fast path to bench")
    # time the scripts as installed (byte-compiled), even where PYTHONDONTWRITEBYTECODE is set
    compileall.compile_dir(ROOT / "hinemos_docker", quiet=1)
    client = docker_client()
    state_dir = tempfile.mkdtemp(prefix="bench-fast-")
    rows, agreements = [], []
    try:
        ensure_busy(client)
        for count in counts:
            print(f"{count} containers ...", file=sys.stderr)
            ensure_containers(client, PREFIX, count)
            time.sleep(3)
            rows += bench(count, state_dir)
            agreements.append([count + BUSY, *(f"{value:.3f}" for value in agreement(count))])
    finally:
        remove_containers(client, PREFIX)
        remove_containers(client, BUSY_PREFIX)
        for path in Path(state_dir).glob("*"):
            path.unlink()
        Path(state_dir).rmdir()
    headers = ["monitor", "path", "containers", "steady wall s", "CPU s", "peak RSS MiB", "first run wall s"]
    print_table(headers,
                [[m, p, n, f"{w:.2f}", f"{c:.2f}", f"{r:.0f}", f] for m, p, n, w, c, r, f in rows])
    print()
    print_table(["containers", "max |API - files| CPU pp", "busy containers' CPU % (API)"], agreements)


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [10, 50, 200])
