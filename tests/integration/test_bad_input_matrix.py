"""Every script, given a Docker host that does not answer or does not exist, ends with one clear
stderr line and exit 1 (MonitorDockerHostStatus --status alone reports it as Status,1, exit 0)."""
import socket

import pytest

from hinemos_docker import launcher


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _required_args(name, tmp_path):
    """The smallest valid argument list of each script apart from the Docker host."""
    state = ["-k", "matrix", "--state-dir", str(tmp_path)]
    return {
        "MonitorDockerHostStatus": ["--count"],
        "MonitorDockerHostEvent": [*state, "-f", str(tmp_path / "events.log")],
        "MonitorDockerContainerStatus": ["-s", "127.0.0.1:15514"],
        "MonitorDockerContainerResourceCpu": state,
        "MonitorDockerContainerRepositoryCPU": state,
        "MonitorDockerContainerResourceMemory": [],
        "MonitorDockerContainerResourceDisk": state,
        "MonitorDockerContainerResourceNetwork": state,
        "MonitorDockerContainerProcess": [],
        "JobDockerContainerCommand": ["-n", "web", "true"],
        "FileDockerContainerDownload": ["-n", "web", "/etc", str(tmp_path / "dl")],
        "JobDockerContainerStart": ["-n", "web*"],
        "JobDockerContainerStop": ["-n", "web*"],
        "JobDockerContainerRestart": ["-n", "web*"],
        "JobDockerContainerRm": ["-n", "web*"],
        "RepositoryDockerNodeAdd": ["-f", "docker_host1", "-m", f"http://127.0.0.1:{_closed_port()}/HinemosWS"],
        "RepositoryDockerNodeDelete": ["-f", "docker_host1", "-m", f"http://127.0.0.1:{_closed_port()}/HinemosWS"],
        "RepositoryDockerNodeUpdate": ["-f", "docker_host1", "-m", f"http://127.0.0.1:{_closed_port()}/HinemosWS"],
    }[name]


# the scripts that reach a Docker host (SettingDockerAdd talks to the manager only; its unreachable
# manager is in test_settings_command.py)
# RepositoryDockerNodeSync reports a failing host per step, as the cron wrapper does (several lines
# by design): test_repository_sync_hosts.py holds it to that
DOCKER_SCRIPTS = sorted(set(launcher.SCRIPTS) - {"SettingDockerAdd", "RepositoryDockerNodeSync"})


@pytest.mark.parametrize("name", DOCKER_SCRIPTS)
@pytest.mark.parametrize("host", ["closed-port", "unknown-host"])
def test_unreachable_docker_host_is_one_line_and_exit_1(run_script, tmp_path, name, host):
    docker = ["-i", "127.0.0.1", "-p", str(_closed_port())] if host == "closed-port" else \
             ["-i", "no-such-host.invalid"]
    result = run_script(launcher.command_for(name), *docker, *_required_args(name, tmp_path))
    assert result.code == 1, (result.out, result.err)
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith(f"{name}.py: ")
    assert any(reason in result.err for reason in (
        "connection refused", "cannot resolve the host name", "cannot reach the Hinemos manager"))
    assert "Traceback" not in result.err
    # nothing half-written: no download, no event window
    assert not (tmp_path / "dl").exists() or not any((tmp_path / "dl").iterdir())
    assert not (tmp_path / "matrix.txt").exists()


def test_status_mode_reports_the_unreachable_daemon_as_a_value(run_script):
    result = run_script(launcher.command_for("MonitorDockerHostStatus"), "-p", str(_closed_port()))
    assert (result.code, result.out, result.err) == (0, "Status,1\n", "")
