#!/usr/bin/env python3
"""CPU usage of every running container at 10, 50 and 200 containers: wall time and
peak RSS of

- ours, `MonitorDockerContainerResourceCpu.py --all`: a steady run (the previous sample is in the -k
  state file: one stats round) and a first run (no state: two rounds, ~1 s apart);
- the 2015 scripts' approach: a sequential loop of the SDK's `stats(stream=False)` (each call waits
  for two collector ticks); at 200 containers it would take minutes, so it is measured at 10 and
  50 and extrapolated from the time per container at 50;
- `check_docker --cpu` (PyPI), installed only into BENCH_VENV (default /tmp/bench-venv);
- a raw parallel loop: one-shot stats of every container over the unix socket with http.client,
  all requests in flight at once (the practical floor).

Every method reads the same bench containers (named hdbench-res-NNN) over the unix socket; ours is
also timed over tcp://127.0.0.1:2375, the way Hinemos calls it. Targets: ours under 3 s at 200
containers, and within 2x of the raw loop. Usage: bench/bench_resources.py [COUNT ...]
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

from common import ROOT, docker_client, ensure_containers, print_table, remove_containers, run_measured

PREFIX = "hdbench-res-"
SCRIPT = ROOT / "bin" / "MonitorDockerContainerResourceCpu.py"
SOCKET = "/var/run/docker.sock"
BENCH_VENV = os.environ.get("BENCH_VENV", "/tmp/bench-venv")
CHECK_DOCKER = os.path.join(BENCH_VENV, "bin", "check_docker")
NAIVE_MEASURED_UP_TO = 50


# ---- the two loops, run as their own processes (python3 bench_resources.py naive|raw) ---------------

def naive_loop():
    """The original's approach: list, then one blocking stats(stream=False) call per container."""
    import docker
    api = docker.APIClient(base_url=f"unix://{SOCKET}", version="auto")
    for container in api.containers(filters={"name": PREFIX}):
        stats = api.stats(container["Id"], stream=False)
        print(stats["cpu_stats"]["cpu_usage"]["total_usage"])


def raw_loop():
    """List, then every one-shot stats request at once over plain http.client: the floor."""
    import http.client
    import socket
    from concurrent.futures import ThreadPoolExecutor

    class UnixConnection(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(SOCKET)

    def get(path):
        connection = UnixConnection("localhost")
        connection.request("GET", path)
        body = connection.getresponse().read()
        connection.close()
        return json.loads(body)

    filters = urllib.parse.quote(json.dumps({"name": [PREFIX]}))
    ids = [c["Id"] for c in get(f"/v1.41/containers/json?filters={filters}")]
    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        answers = pool.map(lambda cid: get(f"/v1.41/containers/{cid}/stats?stream=false&one-shot=true"), ids)
        for stats in answers:
            print(stats["cpu_stats"]["cpu_usage"]["total_usage"])


# ---- measuring ------------------------------------------------------------------------------------

def measure(argv, expected_lines):
    """(wall seconds, peak RSS in MiB) of one process, which must succeed and print a line per container."""
    return usage(argv, expected_lines)[:2]


def usage(argv, expected_lines):
    """(wall seconds, peak RSS in MiB, CPU seconds) of one process, as measure()."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        wall, code, max_rss_kib, cpu_seconds = run_measured(argv, env, out, err)
        out.seek(0)
        err.seek(0)
        lines = out.read().decode().splitlines()
        # check_docker exits 1 or 2 for WARNING or CRITICAL: a result, not a failure
        if code not in (0, 1, 2) or len(lines) < expected_lines:
            raise SystemExit(f"{' '.join(map(str, argv))} failed ({code}): "
                             f"{err.read().decode().strip()[-500:]}")
    return wall, max_rss_kib / 1024, cpu_seconds


def median_of(runs, argv, expected_lines, before=None):
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(measure(argv, expected_lines))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def ensure_check_docker():
    if not os.access(CHECK_DOCKER, os.X_OK):
        print(f"installing check_docker into {BENCH_VENV} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", BENCH_VENV], check=True)
        subprocess.run([os.path.join(BENCH_VENV, "bin", "pip"), "install", "-q", "check_docker"], check=True)


def bench(count, state_dir):
    ours = [sys.executable, SCRIPT, "-k", f"bench{count}", "--state-dir", state_dir, "-n", f"{PREFIX}*",
            "--all"]
    state_file = os.path.join(state_dir, f"bench{count}.txt")

    def forget_state():
        if os.path.exists(state_file):
            os.unlink(state_file)
    rows = []
    measure(ours + ["-i", f"unix://{SOCKET}"], count)  # leaves a state file for the steady runs
    for label, extra in (("ours, steady (state kept), unix", ["-i", f"unix://{SOCKET}"]),
                         ("ours, steady (state kept), tcp", ["-i", "127.0.0.1"])):
        rows.append([label, count, *median_of(3, ours + extra, count)])
    rows.append(["ours, first run (no state), unix", count,
                 *median_of(3, ours + ["-i", f"unix://{SOCKET}"], count, before=forget_state)])
    rows.append(["raw parallel one-shot loop", count,
                 *median_of(3, [sys.executable, __file__, "raw"], count)])
    check = [CHECK_DOCKER, "--connection", SOCKET, "--containers", f"{PREFIX}.*", "--cpu", "80:90"]
    rows.append(["check_docker --cpu (10 threads)", count, *median_of(1 if count > 50 else 3, check, 1)])
    if count <= NAIVE_MEASURED_UP_TO:
        rows.append(["naive sequential stats(stream=False)", count,
                     *measure([sys.executable, __file__, "naive"], count)])
    return rows


def main(counts):
    ensure_check_docker()
    client = docker_client()
    state_dir = tempfile.mkdtemp(prefix="bench-resources-")
    rows = []
    try:
        for count in counts:
            print(f"{count} containers ...", file=sys.stderr)
            ensure_containers(client, PREFIX, count)
            time.sleep(2)  # let the new containers settle
            rows += bench(count, state_dir)
    finally:
        remove_containers(client, PREFIX)
        shutil.rmtree(state_dir)
    naive = {row[1]: row[2] for row in rows if row[0].startswith("naive")}
    if naive and max(counts) > NAIVE_MEASURED_UP_TO and NAIVE_MEASURED_UP_TO in naive:
        per_container = naive[NAIVE_MEASURED_UP_TO] / NAIVE_MEASURED_UP_TO
        for count in (c for c in counts if c > NAIVE_MEASURED_UP_TO):
            rows.append(["naive sequential stats(stream=False)", count, f"~{per_container * count:.0f} "
                         f"(extrapolated)", "-"])
    rows.sort(key=lambda row: (row[1], row[0]))
    print_table(["method", "containers", "wall s", "peak RSS MiB"],
                [[m, n, w if isinstance(w, str) else f"{w:.2f}", r if isinstance(r, str) else f"{r:.0f}"]
                 for m, n, w, r in rows])
    floor = {row[1]: row[2] for row in rows if row[0].startswith("raw")}
    for row in rows:
        if row[0].startswith("ours, steady") and row[1] in floor:
            print(f"{row[0]} at {row[1]}: {row[2] / floor[row[1]]:.2f}x the raw loop")


if __name__ == "__main__":
    if sys.argv[1:] == ["naive"]:
        naive_loop()
    elif sys.argv[1:] == ["raw"]:
        raw_loop()
    else:
        main([int(n) for n in sys.argv[1:]] or [10, 50, 200])
