"""Every wait ends: a peer that trickles one byte per read (each read well within its timeout)
cannot stretch a call past --docker-timeout / --hinemos-timeout, nor a monitor's run past
--run-timeout. The scripts run as real processes; a hang would fail the guard of run_bounded."""
import re

import pytest

MONITORS = [
    ("MonitorDockerContainerProcess.py", []),
    ("MonitorDockerContainerResourceMemory.py", []),
    ("MonitorDockerContainerResourceDisk.py", ["-k", "trickle", "--state-dir", "{tmp}"]),
    ("MonitorDockerHostStatus.py", ["--count"]),
]


@pytest.mark.parametrize("script, extra", MONITORS, ids=[m[0] for m in MONITORS])
def test_a_trickling_docker_daemon_is_bounded_by_the_docker_timeout(run_bounded, trickling_server,
                                                                      tmp_path, script, extra):
    extra = [value.format(tmp=tmp_path) for value in extra]
    result = run_bounded(script, "-i", "127.0.0.1", "-p", trickling_server.port, "--docker-timeout", "2",
                         *extra)
    assert result.code == 1 and result.out == ""
    # the SDK path's first call is connect, the counter monitors' fast path lists containers first
    assert re.fullmatch(f"{script}: Docker daemon at tcp://127.0.0.1:{trickling_server.port} did not answer "
                        r"(connect|list containers) within 2 s\n", result.err), result.err
    assert trickling_server.connections >= 1  # it did talk to the trickler


def test_the_run_timeout_cuts_a_longer_docker_timeout(run_bounded, trickling_server):
    result = run_bounded("MonitorDockerContainerProcess.py", "-i", "127.0.0.1", "-p", trickling_server.port,
                         "--docker-timeout", "60", "--run-timeout", "3")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"MonitorDockerContainerProcess.py: Docker daemon at tcp://127.0.0.1:{trickling_server.port} "
        "did not answer connect within the run's 3 s (--run-timeout)"]


def test_a_job_is_bounded_by_the_docker_timeout_too(run_bounded, trickling_server):
    result = run_bounded("JobDockerContainerStart.py", "-i", "127.0.0.1", "-p", trickling_server.port,
                         "--docker-timeout", "2", "-n", "anything")
    assert result.code == 1
    assert "did not answer connect within 2 s" in result.err and len(result.err.splitlines()) == 1


@pytest.mark.parametrize("api, path", [("soap", "/HinemosWS/RepositoryEndpoint?wsdl"),
                                       ("rest", "/HinemosWeb/api/"), ("auto", "/HinemosWeb/api/")])
def test_a_trickling_manager_is_bounded_by_the_hinemos_timeout(run_bounded, trickling_server, api, path):
    root = f"http://127.0.0.1:{trickling_server.port}"
    result = run_bounded("RepositoryDockerNodeAdd.py", "-m", f"{root}/HinemosWS", "--hinemos-api", api,
                         "--hinemos-timeout", "2", "-f", "trickle-host", "-i", "127.0.0.1", "-p", "1")
    assert result.code == 1
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"RepositoryDockerNodeAdd.py: cannot reach the Hinemos manager at {root}{path}"
                               ), result.err
    assert lines[0].endswith(": no answer within 2 s")


def test_the_default_timeouts_fit_the_agents_15_s():
    from hinemos_docker import cli, manager_url
    assert cli.DEFAULT_RUN_TIMEOUT < 15
    assert cli.DEFAULT_DOCKER_TIMEOUT < cli.DEFAULT_RUN_TIMEOUT
    assert manager_url.DEFAULT_TIMEOUT < 15
