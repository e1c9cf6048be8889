"""MonitorDockerContainerStatus.py against the real dockerd and the real rsyslogd of the test bed."""
import re
import socket

import pytest

from hinemos_docker.commands.container_status import COMMAND
from tests.fixtures.syslog import closed_port

LINE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (?P<id>[0-9a-f]{12}) (?P<state>\w+)$")


@pytest.fixture
def containers_in_every_state(make_container):
    """{container: expected state words} for running, paused, exited and never-started ones."""
    return {
        make_container("run"): {"running"},
        make_container("paused", state="paused"): {"paused"},
        make_container("exited", state="exited"): {"exited"},
        make_container("created", state="created"): {"exited"},
        # between two failures it is `Up` for a moment
        make_container("restarting", state="restarting"): {"restarting", "running"},
    }


def _by_id(lines):
    matches = [LINE_RE.match(line) for line in lines]
    assert all(matches), lines
    return {m.group("id"): m.group("state") for m in matches}


def test_udp_states_stdout_and_syslog(run_script, testbed, unique_prefix, containers_in_every_state,
                                      syslog_received):
    result = run_script(COMMAND, "-i", "127.0.0.1", "-n", f"{unique_prefix}*",
                        "-s", f"127.0.0.1:{testbed.syslog_port}")
    assert (result.code, result.err) == (0, "")
    printed = _by_id(result.lines)
    expected = {c.id[:12]: states for c, states in containers_in_every_state.items()}
    assert set(printed) == set(expected) and len(result.lines) == len(expected)
    for cid, state in printed.items():
        assert state in expected[cid]
    assert len({line[:19] for line in result.lines}) == 1  # one time for the whole run

    records = syslog_received.wait_for(lambda r: r["msg"][1:13] in expected, len(expected))
    # running: the container node; any other state: the Docker host node, which stays managed
    assert sorted((r["hostname"], r["msg"]) for r in records) == sorted(
        (cid if state == "running" else "127.0.0.1", f" {cid} {state}") for cid, state in printed.items())
    for record in records:
        assert (record["syslogtag"], record["pri"]) == ("hinemos_docker:", "14")
        stamp = re.match(r"^<14>(\w{3} [ \d]\d \d\d:\d\d:\d\d) ", record["rawmsg"])
        assert stamp, record["rawmsg"]


def test_manuals_rule_sends_every_state_with_the_container_id(run_script, testbed, make_container,
                                                               syslog_received):
    stopped = make_container("exited", state="exited")
    cid = stopped.id[:12]
    result = run_script(COMMAND, "-i", "127.0.0.1:2375", "-c", cid,
                        "-s", f"127.0.0.1:{testbed.syslog_port}", "--always-container-hostname")
    assert (result.code, result.err) == (0, "")
    (record,) = syslog_received.wait_for(lambda r: r["msg"] == f" {cid} exited", 1)
    assert record["hostname"] == cid


def test_a_stopped_container_goes_to_the_host_as_i_names_it(run_script, testbed, make_container,
                                                             syslog_received):
    stopped = make_container("exited", state="exited")
    cid = stopped.id[:12]
    result = run_script(COMMAND, "-i", "localhost", "-p", "2375", "-c", cid,
                        "-s", f"127.0.0.1:{testbed.syslog_port}")
    assert (result.code, result.err) == (0, "")
    (record,) = syslog_received.wait_for(lambda r: r["msg"] == f" {cid} exited", 1)
    assert record["hostname"] == "localhost"


def test_tcp_with_facility_and_severity_and_one_container(run_script, testbed, make_container,
                                                          syslog_received):
    container = make_container("tcp")
    cid = container.id[:12]
    result = run_script(COMMAND, "-c", cid, "-s", f"localhost:{testbed.syslog_tcp_port}",
                        "--syslog-protocol", "tcp", "--syslog-facility", "local0",
                        "--syslog-severity", "warning")
    assert (result.code, result.err) == (0, "")
    assert [LINE_RE.match(line).group("id", "state") for line in result.lines] == [(cid, "running")]
    (record,) = syslog_received.wait_for(lambda r: r["hostname"] == cid, 1)
    assert (record["pri"], record["msg"]) == (str(16 * 8 + 4), f" {cid} running")


def test_pattern_that_matches_nothing_prints_nothing(run_script, testbed, unique_prefix):
    result = run_script(COMMAND, "-n", f"{unique_prefix}none*", "-s", f"127.0.0.1:{testbed.syslog_port}")
    assert (result.code, result.out, result.err) == (0, "", "")


@pytest.mark.parametrize("argv, message", [
    ([], "-s/--syslog"),
    (["-s", "127.0.0.1"], "expected HOST:PORT"),
    (["-s", "127.0.0.1:0"], "invalid port"),
    (["-s", "127.0.0.1:65536"], "invalid port"),
    (["-s", "127.0.0.1:syslog"], "invalid port"),
    (["-s", "no-such-host.invalid:514"], "cannot resolve the syslog destination no-such-host.invalid:514"),
    (["-s", "TCP_CLOSED", "--syslog-protocol", "tcp"], "connection refused"),
    (["-s", "UDP_CLOSED"], "ICMP port unreachable"),
    (["-c", "0000deadbeef0000", "-s", "UDP_OK"], "no such container"),
], ids=["no-s", "no-port", "port-0", "port-too-big", "port-name", "unresolvable", "tcp-closed",
        "udp-closed", "unknown-container"])
def test_bad_input_is_one_line_and_exit_1(run_script, testbed, make_container, argv, message):
    argv = [a.replace("TCP_CLOSED", f"127.0.0.1:{closed_port()}")
             .replace("UDP_CLOSED", f"127.0.0.1:{closed_port(socket.SOCK_DGRAM)}")
             .replace("UDP_OK", f"127.0.0.1:{testbed.syslog_port}") for a in argv]
    if "-c" not in argv:  # something to send
        argv += ["-c", make_container("bad").id[:12]]
    result = run_script(COMMAND, *argv)
    assert result.code == 1 and result.out == ""
    assert len(result.err.splitlines()) == 1 and message in result.err, result.err
    assert result.err.startswith("MonitorDockerContainerStatus.py: ")
