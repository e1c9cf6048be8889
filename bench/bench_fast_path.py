#!/usr/bin/env python3
"""The counter monitors' local fast path (cgroup files) beside the API path (--from-api), at 10,
50 and 200 containers on the local daemon: wall time and peak RSS of whole script runs, and the
agreement of the two paths' CPU values over the same window.

- CPU (`--all`), disk, network: a steady run (previous samples in the -k state file, the last run
  more than a second ago) and a first run (no state: two samples, a second apart);
- memory (default mode: rss relative to the host's memory);
- the fast path also over tcp://127.0.0.1:2375, the way Hinemos calls the scripts by default;
- agreement: the API's one-shot stats of every bench container and, as soon as they arrive, the
  cgroup files; again 3 s later; the largest |CPU % by the API - CPU % by the files| over the
  containers. Three of them run a busy loop capped at --cpus 0.25 so that the figures are not all
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

from bench_resources import measure
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


def script_run(monitor, count, state_dir, key, extra):
    script, options, per_container = MONITORS[monitor]
    argv = [sys.executable, BIN / script, "-n", SELECTION, *options, *extra]
    if monitor != "memory":
        argv += ["-k", key, "--state-dir", state_dir]
    return measure(argv, (count + BUSY) * per_container)


def median_steady(monitor, count, state_dir, extra):
    """(median wall s, max peak RSS MiB) of RUNS steady runs, each over 1.2 s after the last."""
    key = f"steady{count}{monitor.split()[0]}{'api' if '--from-api' in extra else ''}"
    script_run(monitor, count, state_dir, key, extra)  # leaves the state file
    results = []
    for _ in range(RUNS):
        time.sleep(1.2)
        results.append(script_run(monitor, count, state_dir, key, extra))
    walls = sorted(wall for wall, _ in results)
    return walls[len(walls) // 2], max(rss for _, rss in results)


def first_run(monitor, count, state_dir, extra):
    return script_run(monitor, count, state_dir, f"first{time.monotonic_ns()}", extra)


def agreement(count):
    """(largest |API - files| CPU percentage points over the bench containers, the busy ones' mean
    CPU % by the API) over one 3 s window read the same moments both ways."""
    endpoint = resolve_endpoint(UNIX)
    local, api = LocalEngine(endpoint, 60, CgroupFiles.discover()), DockerEngine(endpoint, pool_size=256)
    ids = [c["Id"] for c in local.containers() if c["Names"][0].startswith(f"/{SELECTION[:-1]}")]

    def both():
        daemon = api.stats_many(ids)
        files = local.stats_many(ids)
        return ({cid: metrics.sample_from_stats(stats) for cid, stats in daemon.items()},
                {cid: metrics.sample_from_stats(stats) for cid, stats in files.items()})
    api_1, files_1 = both()
    time.sleep(3)
    api_2, files_2 = both()
    differences, busy = [], []
    for cid in ids:
        by_api = metrics.cpu_percent(api_1[cid], api_2[cid])
        by_files = metrics.cpu_percent(files_1[cid], files_2[cid])
        differences.append(abs(by_api - by_files))
        if by_api > 5:
            busy.append(by_api)
    assert len(ids) == count + BUSY
    return max(differences), sum(busy) / max(len(busy), 1)


def bench(count, state_dir):
    rows = []
    for monitor in MONITORS:
        paths = [("fast path, unix", ["-i", UNIX]), ("API (--from-api), unix", ["-i", UNIX, "--from-api"])]
        if monitor == "CPU --all":
            paths.insert(1, ("fast path, tcp 127.0.0.1", ["-i", "127.0.0.1"]))
        for label, extra in paths:
            if monitor == "memory":
                rows.append([monitor, label, count, *median_of_runs(monitor, count, state_dir, extra), "-"])
                continue
            steady = median_steady(monitor, count, state_dir, extra)
            first = first_run(monitor, count, state_dir, extra)
            rows.append([monitor, label, count, *steady, f"{first[0]:.2f}"])
    return rows


def median_of_runs(monitor, count, state_dir, extra):
    results = [script_run(monitor, count, state_dir, "", extra) for _ in range(RUNS)]
    walls = sorted(wall for wall, _ in results)
    return walls[len(walls) // 2], max(rss for _, rss in results)


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
    print_table(["monitor", "path", "containers", "steady wall s", "peak RSS MiB", "first run wall s"],
                [[m, p, n, f"{w:.2f}", f"{r:.0f}", f] for m, p, n, w, r, f in rows])
    print()
    print_table(["containers", "max |API - files| CPU pp", "busy containers' CPU % (API)"], agreements)


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [10, 50, 200])
