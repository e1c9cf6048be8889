"""Shared benchmark helpers: labelled bench containers, timing of whole script runs."""
import os
import statistics
import subprocess
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


def print_table(headers, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    for row in [headers, ["-" * w for w in widths], *rows]:
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths)))
