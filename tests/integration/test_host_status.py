"""MonitorDockerHostStatus.py against the real daemon: every value checked against what the
daemon itself reports (its State field, image and container sizes)."""
import socket
import time

import pytest

from hinemos_docker.commands.host_status import COMMAND
from hinemos_docker.output import AGENT_LINE_RE

# the daemon's own State field, folded into the manual's four states
DAEMON_STATE = {"running": "running", "paused": "paused", "restarting": "restarting", "exited": "exited",
                "created": "exited", "dead": "exited", "removing": "exited"}
STATES = ("running", "restarting", "paused", "exited")


def _lines(result):
    assert all(AGENT_LINE_RE.match(line) for line in result.lines), result.out
    return [tuple(line.split(",")) for line in result.lines]


def _settled(run_ours, daemon_view, attempts=8):
    """Our output and the daemon's own view, taken until the daemon did not change in between
    (other tests create containers concurrently)."""
    for _ in range(attempts):
        before = daemon_view()
        ours = run_ours()
        if daemon_view() == before:
            return ours, before
        time.sleep(0.3)
    pytest.fail("the daemon kept changing while measuring")


def _wait_for_state(container, state, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        container.reload()
        if container.attrs["State"]["Status"] == state:
            return
        time.sleep(0.1)
    pytest.fail(f"container never reached {state}")


def test_status_is_0_when_the_daemon_answers(run_script):
    for argv in ([], ["--status"], ["-i", "127.0.0.1", "--status"], ["-i", "127.0.0.1", "-p", "2375"],
                 ["-i", "unix:///var/run/docker.sock"], ["-i", "localhost"]):
        result = run_script(COMMAND, *argv)
        assert (result.code, result.out, result.err) == (0, "Status,0\n", ""), argv


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_status_is_1_and_exit_0_when_nothing_listens(run_script):
    result = run_script(COMMAND, "-i", "127.0.0.1", "-p", _closed_port(), "--status")
    assert (result.code, result.out) == (0, "Status,1\n")


def test_status_is_1_when_the_host_is_unknown(run_script):
    result = run_script(COMMAND, "-i", "no-such-host.invalid", "--status")
    assert (result.code, result.out) == (0, "Status,1\n")


def test_count_matches_the_daemon_in_every_state(run_script, make_container, docker_client):
    running = make_container("run")
    paused = make_container("paused", state="paused")
    exited = make_container("exited", state="exited")
    created = make_container("created", state="created")
    restarting = make_container("restarting", state="restarting")
    _wait_for_state(restarting, "restarting")
    for container, state in ((running, "running"), (paused, "paused"), (exited, "exited"),
                             (created, "created")):
        assert container.attrs["State"]["Status"] == state

    def daemon_counts():
        counts = dict.fromkeys(STATES, 0)
        for c in docker_client.api.containers(all=True):
            counts[DAEMON_STATE[c["State"]]] += 1
        return counts

    def ours():
        result = run_script(COMMAND, "--count")
        assert result.code == 0 and result.err == ""
        return _lines(result)

    lines, expected = _settled(ours, daemon_counts)
    assert [key for key, _ in lines] == list(STATES)
    assert {key: int(value) for key, value in lines} == expected
    assert all(expected[s] >= 1 for s in STATES)


def test_size_matches_the_daemon(run_script, make_container, docker_client):
    make_container("writer", command="sh -c 'dd if=/dev/zero of=/root/blob bs=1024 count=2048'",
                   state="exited")
    make_container("runner")

    def daemon_sizes():
        sizes = dict.fromkeys(STATES, 0)
        for c in docker_client.api.containers(all=True, size=True):
            sizes[DAEMON_STATE[c["State"]]] += c.get("SizeRw") or 0
        return sum(i["Size"] for i in docker_client.api.images(all=True)), sizes

    def ours():
        result = run_script(COMMAND, "--size")
        assert result.code == 0 and result.err == ""
        return _lines(result)

    lines, (image_total, sizes) = _settled(ours, daemon_sizes)
    assert [key for key, _ in lines] == ["image", *STATES]
    assert int(lines[0][1]) == image_total > 0
    assert {key: int(value) for key, value in lines[1:]} == sizes
    assert sizes["exited"] >= 2 * 1024 * 1024


@pytest.mark.parametrize("argv, message", [
    (["-p", "1", "--count"], "cannot connect to the Docker daemon at tcp://127.0.0.1:1: connection refused"),
    (["-i", "no-such-host.invalid", "--size"], "cannot resolve the host name"),
    (["-p", "0"], "invalid port '0'"),
    (["-p", "70000"], "invalid port '70000'"),
    (["-p", "abc"], "invalid port 'abc'"),
    (["--count", "--size"], "not allowed with argument"),
    (["--status", "--count"], "not allowed with argument"),
    (["--frobnicate"], "unrecognized arguments: --frobnicate"),
])
def test_bad_input_is_one_line_and_exit_1(run_script, argv, message):
    result = run_script(COMMAND, *argv)
    assert result.code == 1 and result.out == ""
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith("MonitorDockerHostStatus.py: ") and message in result.err
    assert "Traceback" not in result.err
