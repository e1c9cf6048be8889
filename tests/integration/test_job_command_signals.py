"""Stopping a command job (Hinemos sends SIGTERM; a person at a terminal, SIGINT) stops its command
in the container too, children included, and the script exits with the shell's 128 + signal."""
import signal
import subprocess
import sys
import time

import pytest

from tests.fixtures.scripts import installed_script


def in_container(container):
    """The command lines of the container's processes (docker top)."""
    container.reload()
    top = container.top()
    column = top["Titles"].index("CMD") if "CMD" in top["Titles"] else len(top["Titles"]) - 1
    return [process[column] for process in top["Processes"]]


def wait_for(predicate, seconds=30):
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
@pytest.mark.parametrize("command, marks", [
    (["sleep 3131"], ["sleep 3131"]),
    (["--shell", "sleep 3132 & sleep 3133; wait"], ["sleep 3132", "sleep 3133"]),
])
def test_a_signalled_job_stops_its_command_and_exits_128_plus_the_signal(make_container, testbed,
                                                                         signum, code, command, marks):
    container = make_container("signalled")
    job = subprocess.Popen([sys.executable, str(installed_script("JobDockerContainerCommand.py")),
                            "-i", testbed.docker_url_unix, "-n", container.name, *command],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: all(any(m in p for p in in_container(container)) for m in marks)), \
            in_container(container)
        job.send_signal(signum)
        out, err = job.communicate(timeout=60)
    finally:
        if job.poll() is None:
            job.kill()
            job.communicate()
    assert job.returncode == code, err
    assert err.splitlines() == [f"JobDockerContainerCommand.py: stopped by {signal.Signals(signum).name}"]
    assert wait_for(lambda: not any(m in p for m in marks for p in in_container(container)), 10), \
        in_container(container)
    assert any("sleep 3600" in p for p in in_container(container))  # the container itself runs on


def test_a_command_that_ignores_the_signal_is_killed_after_the_grace(make_container, testbed):
    container = make_container("stubborn")
    job = subprocess.Popen([sys.executable, str(installed_script("JobDockerContainerCommand.py")),
                            "-i", testbed.docker_url_unix, "-n", container.name, "--shell",
                            "trap '' TERM; sleep 3134"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: any("sleep 3134" in p for p in in_container(container)))
        job.send_signal(signal.SIGTERM)
        _, err = job.communicate(timeout=60)
    finally:
        if job.poll() is None:
            job.kill()
            job.communicate()
    assert job.returncode == 143, err
    assert wait_for(lambda: not any("3134" in p for p in in_container(container)), 10)
