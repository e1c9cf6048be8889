"""MonitorDockerContainerProcess.py against the real daemon: counts equal what the daemon's own
top shows."""
import re
import time

import pytest

from hinemos_docker.cli import build_parser
from hinemos_docker.commands.process_monitor import COMMAND, top_if_running
from hinemos_docker.docker_engine import connect
from hinemos_docker.output import AGENT_LINE_RE

# sh starts two sleeps in the background and execs httpd: three processes
WEB = "sh -c 'sleep 3600 & sleep 3600 & httpd -f -p 80; '"
UNIX = "unix:///var/run/docker.sock"


def _values(result):
    assert result.code == 0, result.err
    assert all(AGENT_LINE_RE.match(line) for line in result.lines), result.out
    return {key: int(value) for key, value in (line.rsplit(",", 1) for line in result.lines)}


def _daemon_commands(docker_client, container, rows, timeout=20):
    """The CMD column of the daemon's own top, once it shows `rows` processes."""
    deadline = time.monotonic() + timeout
    while True:
        top = docker_client.api.top(container.id)
        commands = [row[top["Titles"].index("CMD")] for row in top["Processes"]]
        if len(commands) == rows:
            return commands
        if time.monotonic() > deadline:
            pytest.fail(f"top of {container.name} shows {commands}")
        time.sleep(0.1)


@pytest.fixture
def web(make_container, docker_client):
    container = make_container("web", WEB)
    _daemon_commands(docker_client, container, 3)
    return container


@pytest.mark.parametrize("argv, label, daemon_pattern", [
    ((), ".*", ".*"),
    (("-prog", "sleep"), "sleep", "sleep"),
    (("-prog", "httpd"), "httpd", "httpd"),
    (("--prog", "httpd", "--args", "-f -p 80"), "httpd -f -p 80", "httpd -f -p 80"),
    (("-args", "3600"), ".* 3600", ".* 3600"),
    (("-prog", "^sleep 3600$"), "^sleep 3600$", "^sleep 3600$"),
])
def test_counts_equal_the_daemons_top(run_script, web, docker_client, argv, label, daemon_pattern):
    values = _values(run_script(COMMAND, "-i", UNIX, "-c", web.id[:12], *argv))
    expected = sum(1 for cmd in _daemon_commands(docker_client, web, 3) if re.search(daemon_pattern, cmd))
    assert values == {f"{label}:{web.id[:12]}": expected}


def test_the_documented_counts(run_script, web):
    assert _values(run_script(COMMAND, "-c", web.id[:12], "-prog", "sleep")) == {f"sleep:{web.id[:12]}": 2}
    assert _values(run_script(COMMAND, "-c", web.id[:12], "-prog", "httpd")) == {f"httpd:{web.id[:12]}": 1}
    assert _values(run_script(COMMAND, "-c", web.id[:12])) == {f".*:{web.id[:12]}": 3}


def test_one_line_per_running_container(run_script, web, make_container, docker_client, unique_prefix):
    idle = make_container("idle")
    make_container("stopped", state="exited")
    rows = len(_daemon_commands(docker_client, idle, 1))
    values = _values(run_script(COMMAND, "-i", "127.0.0.1", "-n", f"{unique_prefix}*"))
    assert values == {f".*:{web.id[:12]}": 3, f".*:{idle.id[:12]}": rows}


def test_a_stopped_container_prints_nothing(run_script, make_container):
    stopped = make_container("stopped", state="exited")
    result = run_script(COMMAND, "-n", stopped.name, "-prog", "sleep")
    assert (result.code, result.out, result.err) == (0, "", "")


@pytest.mark.parametrize("argv, message", [
    (("-prog", "(",), "invalid -prog pattern '(': missing ), unterminated subpattern at position 0"),
    (("-args", "[",), "invalid -args pattern '[': unterminated character set at position 0"),
    (("-prog",), "argument -prog/--prog: expected one argument (see --help)"),
    (("-c", "0123456789ab", "-n", "x"), "argument -n/--container-name: not allowed with argument "
                                        "-c/--container-id (see --help)"),
])
def test_bad_input_is_one_line_exit_1(run_script, argv, message):
    result = run_script(COMMAND, *argv)
    assert (result.code, result.out, result.err) == (1, "", f"{COMMAND.prog}: {message}\n")


def test_an_unknown_container_is_one_line_exit_1(run_script, unique_prefix):
    result = run_script(COMMAND, "-n", f"{unique_prefix}none")
    assert (result.code, result.out) == (1, "")
    assert result.err == f"{COMMAND.prog}: no such container: container name '{unique_prefix}none'\n"


def test_a_container_stopped_after_listing_is_skipped(make_container, web):
    # the daemon refuses top of a stopped container; the run leaves it out instead of failing
    stopped = make_container("stopped", state="exited")
    engine = connect(build_parser(COMMAND).parse_args(["-i", UNIX]))
    tops = engine.per_container(top_if_running(engine), [stopped.id, web.id])
    assert list(tops) == [web.id]
