#!/usr/bin/env python3
"""Wall time of the job scripts as whole processes: a trivial exec, stop with -t 0 / 2 / 10 of a
container that ignores SIGTERM and of one that ends on it, start and restart of 10 containers
through one pattern, and download of 2 MB and 100 MB (median of several runs)."""
import statistics
import sys
import tempfile

from common import BENCH_LABEL, IMAGE, ROOT, docker_client, print_table, remove_containers, time_command

PREFIX = "hdbench-jobs-"
DOCKER = ["-i", "unix:///var/run/docker.sock"]
IGNORES_TERM = "sleep 3600"
ENDS_ON_TERM = ["sh", "-c", 'trap "exit 0" TERM; while :; do sleep 0.2; done']


def script(name, *argv):
    return [sys.executable, ROOT / "bin" / f"{name}.py", *DOCKER, *argv]


def timed_after(prepare, argv, runs=3):
    """Median wall time (s) of argv, each run after prepare() put the containers in place."""
    times = []
    for _ in range(runs):
        prepare()
        times.append(time_command(argv, runs=1))
    return statistics.median(times)


def main():
    client = docker_client()
    rows = []
    try:
        one = client.containers.run(IMAGE, IGNORES_TERM, name=f"{PREFIX}exec", labels=BENCH_LABEL,
                                    detach=True)
        one.exec_run(["dd", "if=/dev/zero", "of=/tmp/big", "bs=1M", "count=100"])
        ms = time_command(script("JobDockerContainerCommand", "-n", one.name, "echo x"), runs=7) * 1000
        rows.append(["Command 'echo x'", "1", f"{ms:.0f}"])
        with tempfile.TemporaryDirectory() as destination:
            for source, label in (("/bin", "Download /bin (2 MB)"), ("/tmp/big", "Download 100 MB file")):
                ms = time_command(script("FileDockerContainerDownload", "-n", one.name, source, destination),
                                  runs=5) * 1000
                rows.append([label, "1", f"{ms:.0f}"])
        one.remove(force=True)

        for command, kind in ((IGNORES_TERM, "ignores TERM"), (ENDS_ON_TERM, "ends on TERM")):
            stopped = client.containers.create(IMAGE, command, name=f"{PREFIX}stop", labels=BENCH_LABEL)
            for wait in ("0", "2", "10"):
                if kind == "ends on TERM" and wait != "10":
                    continue
                argv = script("JobDockerContainerStop", "-t", wait, "-n", stopped.name)
                ms = timed_after(stopped.start, argv)
                rows.append([f"Stop -t {wait}, container {kind}", "1", f"{ms * 1000:.0f}"])
            stopped.remove(force=True)

        many = [client.containers.create(IMAGE, ENDS_ON_TERM, name=f"{PREFIX}many{n:02d}", labels=BENCH_LABEL)
                for n in range(10)]
        pattern = f"{PREFIX}many*"

        def stop_all():
            for container in many:
                container.stop(timeout=0)

        ms = timed_after(stop_all, script("JobDockerContainerStart", "-n", pattern))
        rows.append(["Start (pattern)", "10", f"{ms * 1000:.0f}"])
        argv = script("JobDockerContainerRestart", "-t", "10", "-n", pattern)
        ms = timed_after(lambda: None, argv)  # they are running after the start above
        rows.append(["Restart -t 10 (pattern, ends on TERM)", "10", f"{ms * 1000:.0f}"])
    finally:
        remove_containers(client, PREFIX)
    print_table(["job", "containers", "median ms"], rows)


if __name__ == "__main__":
    main()
