"""A Docker daemon that crashes, freezes or restarts, on the tests' own second dockerd: each run
that cannot finish ends in one line and exit 1 and keeps the previous state, and the first run
after the daemon is back converges."""
import re
import signal
import subprocess
import sys
import time

import docker
import pytest

from tests.fixtures.scripts import installed_script

DISK = "MonitorDockerContainerResourceDisk.py"


@pytest.fixture
def daemon(second_dockerd):
    second_dockerd.ensure_running()
    yield second_dockerd
    second_dockerd.ensure_running()


@pytest.fixture
def sleeper(daemon, testbed, unique_prefix):
    client = docker.DockerClient(base_url=daemon.url)
    container = client.containers.run(testbed.image, "sleep 3600", name=f"{unique_prefix}fault", detach=True,
                                      network_mode="none", restart_policy={"Name": "always"})
    yield container
    daemon.ensure_running()
    container.remove(force=True)
    client.close()


def disk(run_bounded, daemon, state_dir, *extra):
    return run_bounded(DISK, "-i", daemon.url, "-k", "fault", "--state-dir", state_dir, *extra)


def one_line(result, prog=DISK):
    assert (result.code, result.out) == (1, ""), result
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{prog}: "), result.err
    return lines[0][len(prog) + 2:]


def test_a_killed_daemon_fails_in_one_line_keeps_the_state_and_the_restart_converges(
        run_bounded, daemon, sleeper, tmp_path):
    first = disk(run_bounded, daemon, tmp_path)
    assert first.code == 0, first.err
    state = (tmp_path / "fault.txt").read_bytes()
    assert sleeper.id.encode() in state

    daemon.kill()
    assert one_line(disk(run_bounded, daemon, tmp_path)) == (
        f"cannot connect to the Docker daemon at {daemon.url}: connection refused")
    assert (tmp_path / "fault.txt").read_bytes() == state

    daemon.start()  # the container comes back by its restart policy, with new counters
    for _ in range(100):
        sleeper.reload()
        if sleeper.status == "running":
            break
        time.sleep(0.1)
    again = disk(run_bounded, daemon, tmp_path)
    assert again.code == 0, again.err
    assert [line.split(",")[0] for line in again.out.splitlines()] == [
        line.split(",")[0] for line in first.out.splitlines()]
    assert (tmp_path / "fault.txt").read_bytes() != state


def test_a_frozen_daemon_is_bounded_by_the_docker_timeout(run_bounded, daemon, sleeper, tmp_path):
    assert disk(run_bounded, daemon, tmp_path).code == 0
    state = (tmp_path / "fault.txt").read_bytes()
    daemon.freeze()
    try:
        for script, extra in ((DISK, ["-k", "fault", "--state-dir", str(tmp_path)]),
                              ("MonitorDockerContainerProcess.py", []),
                              ("JobDockerContainerStop.py", ["-n", sleeper.name])):
            result = run_bounded(script, "-i", daemon.url, "--docker-timeout", "2", *extra)
            # the SDK path's first call is connect, the counter monitors' fast path lists containers
            assert re.fullmatch(f"Docker daemon at {re.escape(daemon.url)} did not answer "
                                r"(connect|list containers) within 2 s", one_line(result, script)), script
    finally:
        daemon.thaw()
    assert (tmp_path / "fault.txt").read_bytes() == state


def test_a_daemon_killed_mid_run_ends_the_run_in_one_line(daemon, sleeper, tmp_path):
    run = subprocess.Popen([sys.executable, str(installed_script(DISK)), "-i", daemon.url, "-k", "fault",
                            "--state-dir", str(tmp_path), "--docker-timeout", "30", "--run-timeout", "0"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        daemon.freeze()
        time.sleep(1.5)  # the run has connected and waits for an answer that will not come
        daemon.kill()
        out, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert (run.returncode, out) == (1, ""), err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{DISK}: "), err
    assert f"Docker daemon at {daemon.url}" in lines[0] and "(" not in lines[0].split(": ", 2)[-1], err
    assert not (tmp_path / "fault.txt").exists()  # nothing kept from a run that did not finish


def test_a_command_job_whose_daemon_is_killed_ends(daemon, sleeper):
    job = subprocess.Popen([sys.executable, str(installed_script("JobDockerContainerCommand.py")), "-i",
                            daemon.url, "-n", sleeper.name, "sleep 3135"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2)
        daemon.kill()
        _, err = job.communicate(timeout=60)
    finally:
        if job.poll() is None:
            job.send_signal(signal.SIGKILL)
            job.communicate()
    assert job.returncode == 1, err
    assert len(err.splitlines()) == 1 and f"Docker daemon at {daemon.url}" in err, err
