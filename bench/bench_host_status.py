#!/usr/bin/env python3
"""Wall time of MonitorDockerHostStatus.py --count at 1, 50 and 200 containers, and the start-up
cost of a script (--help); median of several runs. Target: start-up under 250 ms."""
import sys

from common import ROOT, docker_client, ensure_containers, print_table, remove_containers, time_command

PREFIX = "hdbench-status-"
SCRIPT = ROOT / "bin" / "MonitorDockerHostStatus.py"


def main():
    client = docker_client()
    startup_ms = time_command([sys.executable, SCRIPT, "--help"], runs=9) * 1000
    rows = [["--help (start-up)", "-", f"{startup_ms:.0f}"]]
    try:
        for containers in (1, 50, 200):
            ensure_containers(client, PREFIX, containers)
            for mode in ("--status", "--count"):
                ms = time_command([sys.executable, SCRIPT, mode], runs=7) * 1000
                rows.append([mode, containers, f"{ms:.0f}"])
    finally:
        remove_containers(client, PREFIX)
    print_table(["command", "bench containers", "median ms"], rows)


if __name__ == "__main__":
    main()
