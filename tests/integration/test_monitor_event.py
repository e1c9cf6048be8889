"""MonitorDockerHostEvent.py against the real dockerd and the real rsyslogd of the test bed.

Other developers make events on the same daemon at the same time: every check selects the events
of this test's own containers. The reference is the daemon's live event stream (docker SDK),
which, unlike GET /events?since&until, does not depend on the daemon's 256-event buffer.
"""
import json
import re
import socket
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime

import pytest

from hinemos_docker.commands.events import COMMAND
from tests.fixtures.syslog import closed_port

LINE_RE = re.compile(r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?P<host>\S+) (?P<event>\{.*\})$")


def ident(event):
    return event["timeNano"], event["Type"], event["Action"], event["Actor"]["ID"]


def of_containers(ids):
    """Predicate: the event concerns one of these containers (its own or a network event)."""
    def concerns(event):
        actor = event.get("Actor") or {}
        return actor.get("ID") in ids or (actor.get("Attributes") or {}).get("container") in ids
    return concerns


def parsed_lines(lines, concerns):
    """(line match, event) of the lines whose event concerns our containers."""
    result = []
    for line in lines:
        match = LINE_RE.match(line)
        assert match, line
        event = json.loads(match.group("event"))
        if concerns(event):
            result.append((match, event))
    return result


@contextmanager
def live_events(docker_client):
    """A list that fills with every event the daemon publishes from now until the block ends."""
    received = []
    stream = docker_client.api.events(since=int(time.time()) - 1, decode=True)

    def collect():
        try:
            for event in stream:
                received.append(event)
        except Exception:  # the stream was closed under the iteration
            pass

    reader = threading.Thread(target=collect, daemon=True)
    reader.start()
    try:
        yield received
    finally:
        time.sleep(0.3)  # live delivery lags publication slightly
        stream.close()
        reader.join(5)


@pytest.fixture
def event_args(tmp_path):
    """Options shared by the runs of one test: -i, a fresh -k and state dir, and the file."""
    log = tmp_path / "events.log"
    return log, ["-i", "127.0.0.1", "-k", "hdt_event", "--state-dir", str(tmp_path)]


def test_events_appear_exactly_once_across_runs(run_script, testbed, docker_client, make_container,
                                               syslog_received, event_args):
    log, base = event_args
    argv = base + ["-s", f"127.0.0.1:{testbed.syslog_tcp_port}", "--syslog-protocol", "tcp",
                   "-f", str(log)]
    churned = []

    def churn():  # create, start, stop, destroy while the script runs
        for n in range(3):
            container = make_container(f"churn{n}")
            churned.append(container)
            time.sleep(0.2)
            container.stop(timeout=0)
            container.remove()

    with live_events(docker_client) as truth:
        first = make_container("first")  # before the first run, which reads the last 300 s
        runs = [run_script(COMMAND, *argv)]
        worker = threading.Thread(target=churn)
        worker.start()
        while worker.is_alive() or len(runs) < 3:
            runs.append(run_script(COMMAND, *argv))
        worker.join()
        first.stop(timeout=0)  # between runs
        first.remove()
        runs.append(run_script(COMMAND, *argv))

    assert [r.code for r in runs] == [0] * len(runs), [r.err for r in runs]
    concerns = of_containers({c.id for c in [first, *churned]})
    expected = [ident(e) for e in truth if concerns(e)]
    assert len(set(expected)) == len(expected)
    actions = Counter(e["Action"] for e in truth if concerns(e) and e["Type"] == "container")
    assert all(actions[a] == 4 for a in ("create", "start", "die", "stop", "destroy")), actions

    printed = [parsed_lines(r.lines, concerns) for r in runs]
    assert {"create", "start"} <= {e["Action"] for _, e in printed[0]}  # first run: last 300 s
    reported = [ident(e) for per_run in printed for _, e in per_run]
    assert sorted(reported) == sorted(expected)  # each exactly once, over all runs
    for match, event in (p for per_run in printed for p in per_run):
        assert match.group("host") == "127.0.0.1"
        assert match.group("time") == datetime.fromtimestamp(event["time"]).strftime("%Y-%m-%d %H:%M:%S")

    filed = parsed_lines(log.read_text("utf-8").splitlines(), concerns)
    assert [m.group(0) for m, _ in filed] == [m.group(0) for per_run in printed for m, _ in per_run]

    records = syslog_received.wait_for(
        lambda r: r["syslogtag"] == "hinemos_docker:" and r["msg"].startswith(" {")
        and concerns(json.loads(r["msg"])), len(expected))
    assert sorted(ident(json.loads(r["msg"])) for r in records) == sorted(expected)
    for record in records:
        event = json.loads(record["msg"])
        stamp = datetime.fromtimestamp(event["time"]).strftime("%b %e %H:%M:%S")
        assert record["hostname"] == "127.0.0.1" and record["pri"] == "14"
        assert record["rawmsg"] == f"<14>{stamp} 127.0.0.1 hinemos_docker: {record['msg'][1:]}"


@pytest.mark.parametrize("docker_ip, hostname", [
    ("127.0.0.1", "127.0.0.1"),
    ("localhost", "localhost"),
    ("tcp://127.0.0.1:2375", "127.0.0.1"),
    ("unix:///var/run/docker.sock", "127.0.0.1"),
])
def test_syslog_hostname_follows_i_over_udp(run_script, testbed, make_container, syslog_received,
                                            event_args, docker_ip, hostname):
    log, base = event_args
    assert run_script(COMMAND, *base, "-f", str(log)).code == 0  # the window starts now
    container = make_container("host")
    argv = [a if a != "127.0.0.1" else docker_ip for a in base]
    result = run_script(COMMAND, *argv, "-s", f"127.0.0.1:{testbed.syslog_port}")
    assert result.code == 0, result.err
    concerns = of_containers({container.id})
    assert {m.group("host") for m, _ in parsed_lines(result.lines, concerns)} == {hostname}
    records = syslog_received.wait_for(
        lambda r: r["msg"].startswith(" {") and concerns(json.loads(r["msg"])), 3)  # create, connect, start
    assert {r["hostname"] for r in records} == {hostname}
    assert all(f" {hostname} hinemos_docker: " in r["rawmsg"] for r in records)


@pytest.mark.parametrize("bad, message", [
    ([], "one of -s SYSLOG_HOST:PORT and -f LOGFILE is required"),
    (["-s", "127.0.0.1"], "expected HOST:PORT"),
    (["-s", "127.0.0.1:99999"], "invalid port"),
    (["-s", "no-such-host.invalid:514"], "cannot resolve the syslog destination"),
    (["-s", "TCP_CLOSED", "--syslog-protocol", "tcp"], "connection refused"),
    (["-s", "UDP_CLOSED"], "ICMP port unreachable"),
    (["-f", "TMP_DIR"], "cannot write LOGFILE"),
    (["-f", "/proc/hdt-no-such-dir/events.log"], "cannot write LOGFILE"),
    (["-s", "UDP_OK", "-f", "TMP_DIR"], "cannot write LOGFILE"),
], ids=["neither", "no-port", "bad-port", "unresolvable", "tcp-closed", "udp-closed", "dir-as-file",
        "proc-file", "file-bad-syslog-ok"])
def test_failed_run_is_one_line_and_keeps_the_window(run_script, testbed, tmp_path, make_container,
                                                     event_args, bad, message):
    log, base = event_args
    assert run_script(COMMAND, *base, "-f", str(log)).code == 0
    state_file = tmp_path / "hdt_event.txt"
    saved = state_file.read_bytes()
    container = make_container("kept")
    bad = [a.replace("TCP_CLOSED", f"127.0.0.1:{closed_port()}")
            .replace("UDP_CLOSED", f"127.0.0.1:{closed_port(socket.SOCK_DGRAM)}")
            .replace("UDP_OK", f"127.0.0.1:{testbed.syslog_port}")
            .replace("TMP_DIR", str(tmp_path)) for a in bad]

    failed = run_script(COMMAND, *base, *bad)
    assert (failed.code, failed.out) == (1, "")
    assert len(failed.err.splitlines()) == 1 and message in failed.err, failed.err
    assert failed.err.startswith("MonitorDockerHostEvent.py: ")
    assert state_file.read_bytes() == saved

    after = run_script(COMMAND, *base, "-f", str(log))
    assert after.code == 0
    actions = [e["Action"] for _, e in parsed_lines(after.lines, of_containers({container.id}))]
    assert sorted(actions) == ["connect", "create", "start"]


def test_key_is_required(run_script, tmp_path):
    result = run_script(COMMAND, "-f", str(tmp_path / "events.log"))
    assert result.code == 1 and "-k/--key" in result.err and len(result.err.splitlines()) == 1
