"""Errors are chosen by type where the daemon's answer is parsed: a 409 "not running" is its own
class (the per-container loops skip it), a daemon that refuses is told apart from one that cannot
be reached, and UsageError is kept for the command line."""
import pytest

from hinemos_docker import errors
from hinemos_docker.cli import build_parser
from hinemos_docker.commands import host_status
from hinemos_docker.commands.process_monitor import COMMAND
from hinemos_docker.docker_engine import connect
from tests.fixtures.syslog import closed_port

UNIX = "unix:///var/run/docker.sock"


def engine_at(*argv):
    return connect(build_parser(COMMAND).parse_args(list(argv)))


def test_top_of_a_stopped_container_is_container_not_running(make_container):
    stopped = make_container("stopped", state="exited")
    with pytest.raises(errors.ContainerNotRunning) as info:
        engine_at("-i", UNIX).top(stopped.id)
    assert isinstance(info.value, errors.DockerRefused)
    assert not isinstance(info.value, (errors.DockerUnreachable, errors.UsageError))


def test_another_conflict_is_refused_but_not_not_running(make_container):
    running = make_container("running")
    with pytest.raises(errors.DockerRefused) as info:
        engine_at("-i", UNIX).remove(running.id)  # 409: a running container needs force
    assert not isinstance(info.value, errors.ContainerNotRunning)


def test_an_unknown_container_is_not_found():
    with pytest.raises(errors.ContainerNotFound) as info:
        engine_at("-i", UNIX).inspect("0" * 64)
    assert isinstance(info.value, errors.DockerRefused)


def test_a_closed_port_is_unreachable_not_refused():
    with pytest.raises(errors.DockerUnreachable) as info:
        engine_at("-i", "127.0.0.1", "-p", str(closed_port()))
    assert not isinstance(info.value, errors.DockerRefused)


def test_run_time_facts_are_not_usage_errors(run_script, make_container, unique_prefix):
    make_container("twin-a")
    make_container("twin-b")
    from hinemos_docker.commands.exec_job import COMMAND as JOB
    result = run_script(JOB, "-i", UNIX, "-n", f"{unique_prefix}twin-*", "true")
    assert result.code == 1 and "(see --help)" not in result.err  # a fact of the host, not of argv
    assert "matches 2 containers" in result.err


@pytest.mark.parametrize("how, warned", [("https-url", True), ("--tls", False), ("--tlsverify", False)])
def test_an_https_url_alone_warns_that_the_daemon_is_not_verified(run_script, tls_front_open, tls_certs,
                                                                 how, warned):
    url = f"https://127.0.0.1:{tls_front_open.port}"
    extra = {"https-url": (), "--tls": ("--tls",),
             "--tlsverify": ("--tlsverify", "--tlscacert", tls_certs.ca)}[how]
    result = run_script(host_status.COMMAND, "-i", url, *extra, "--count")
    assert result.code == 0, result.err
    expected = [f"MonitorDockerHostStatus.py: warning: tcp://127.0.0.1:{tls_front_open.port}: TLS without "
                "verifying the daemon's certificate (an https:// URL alone); use --tlsverify to verify "
                "it, or --tls to say that you mean it"] if warned else []
    assert result.err.splitlines() == expected
