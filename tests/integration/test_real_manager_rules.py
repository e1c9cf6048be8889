"""End to end against the stand-in's receiving side: the repository the sync builds in the stand-in,
the real monitors' output, and what a real manager would notify with the manual's settings.

- A stopped container, after Update, notifies `exited` on the Docker host node (its own node is
  unmanaged, and the manager drops messages for it); a running container is not notified.
- A per-host CPU monitor over 30 containers at the agent's default buffer raises the UNKNOWN a real
  manager raises; the per-container setting (scope docker_container, -c #[NODE_NAME]) raises none.
- A selection without a running container raises no UNKNOWN.
"""
from concurrent.futures import ThreadPoolExecutor

import pytest

from hinemos_docker.commands import container_status, cpu, events
from hinemos_docker.commands.repository_sync import ADD, UPDATE
from hinemos_docker.sandbox.receiving import custom, systemlog
from hinemos_docker.sandbox.receiving.notifications import CRITICAL, INFO, UNKNOWN
from hinemos_docker.sandbox.receiving.receiver import SyslogReceiver, live_repository

DOCKER = ["-i", "127.0.0.1", "-p", "2375"]
CPU_SETTING = custom.MANUAL_MONITORS["CONTAINER_CPU"]


@pytest.fixture
def english(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "HINEMOS_USER", "HINEMOS_PASSWORD", "DOCKER_HOST"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def host(unique_prefix):
    return f"{unique_prefix}host"


def sync(run_script, command, sandbox, host):
    result = run_script(command, *DOCKER, "-m", sandbox.base_url, "-f", host)
    assert (result.code, result.err) == (0, ""), result.out
    return result


def receiver_for(sandbox, *monitors):
    return SyslogReceiver(live_repository(sandbox), monitors)


def test_stopped_container_after_update_notifies_exited_on_the_docker_host_node(
        run_script, english, sandbox, make_container, unique_prefix, host):
    stopping, running = make_container("stopping"), make_container("running")
    sync(run_script, ADD, sandbox, host)
    stopping.stop(timeout=0)
    stopping.wait()
    sync(run_script, UPDATE, sandbox, host)
    node = sandbox.repository.get_node(f"{host}-{stopping.name}")
    assert node["valid"] is False  # what Update does to a stopped container's node

    with receiver_for(sandbox, systemlog.container_status_monitor()) as receiver:
        result = run_script(container_status.COMMAND, *DOCKER, "-n", f"{unique_prefix}*",
                            "-s", f"127.0.0.1:{receiver.udp_port}")
        assert (result.code, result.err) == (0, "")
        assert receiver.wait_received(2) == 2
        notified = receiver.wait_for(lambda n: True)
    assert [(n.monitor_id, n.facility_id, n.priority, n.message) for n in notified] == [
        ("CONTAINER_STATUS", host, CRITICAL, f"hinemos_docker: {stopping.id[:12]} exited")]
    assert running.id[:12] not in " ".join(n.message for n in notified)


def test_the_manuals_rule_loses_the_stopped_container_after_update(
        run_script, english, sandbox, make_container, unique_prefix, host):
    stopping = make_container("stopping")
    sync(run_script, ADD, sandbox, host)
    stopping.stop(timeout=0)
    stopping.wait()
    sync(run_script, UPDATE, sandbox, host)
    monitor = systemlog.container_status_monitor("docker_container")
    with receiver_for(sandbox, monitor) as receiver:
        result = run_script(container_status.COMMAND, *DOCKER, "-c", stopping.id[:12],
                            "-s", f"127.0.0.1:{receiver.tcp_port}", "--syslog-protocol", "tcp",
                            "--always-container-hostname")
        assert (result.code, result.err) == (0, "")
        assert receiver.wait_received(1) == 1
    assert receiver.notifications == []
    ((message, why),) = receiver.unnotified
    assert message.hostname == stopping.id[:12] and why.startswith("dropped: ")


def test_event_monitors_first_run_reaches_the_docker_host_node_whole(
        run_script, english, sandbox, make_container, host, tmp_path):
    for n in range(3):
        make_container(f"event{n}")
    sync(run_script, ADD, sandbox, host)
    with receiver_for(sandbox, systemlog.container_event_monitor()) as receiver:
        result = run_script(events.COMMAND, *DOCKER, "-k", "events", "--state-dir", tmp_path,
                            "-s", f"127.0.0.1:{receiver.udp_port}")
        assert result.code == 0, result.err
        sent = len(result.lines)
        assert sent >= 6  # at least create and start of each container
        assert receiver.wait_received(sent, timeout=30) == sent
    assert {(n.facility_id, n.priority) for n in receiver.notifications} == {(host, INFO)}
    assert len(receiver.notifications) == sent


@pytest.fixture
def thirty(make_container, run_script, english, sandbox, host):
    """30 running containers registered under `host`."""
    made = [make_container(f"c{n:02d}") for n in range(30)]
    sync(run_script, ADD, sandbox, host)
    return made


def test_per_host_cpu_over_30_containers_is_unknown_at_the_default_buffer(
        run_script, thirty, unique_prefix, host, tmp_path):
    result = run_script(cpu.COMMAND, *DOCKER, "-n", f"{unique_prefix}*", "-k", f"{host}_CONTAINER_CPU",
                        "--state-dir", tmp_path, "--all")
    assert result.code == 0 and len(result.lines) == 30
    size = len(result.out.encode())
    assert size > 512 and f"at least {size}" in result.err
    raised = custom.judge(CPU_SETTING, host, result.out)
    assert [n.priority for n in raised].count(UNKNOWN) == 1
    assert len(raised) < 30  # the lines after the cut are lost
    assert all(n.priority != UNKNOWN for n in custom.judge(CPU_SETTING.with_buffer(size), host, result.out))


def test_per_container_cpu_setting_raises_no_unknown(run_script, thirty, sandbox, host, unique_prefix,
                                                     tmp_path):
    """Scope docker_container: the manager runs the command once per valid container node, with
    #[NODE_NAME] = its node name (the 12-character ID); here for this test's containers."""
    repository = sandbox.repository
    nodes = [repository.get_node(fid)
             for fid in repository.get_node_facility_id_list("docker_container", "ALL_USERS", 0)
             if fid.startswith(f"{host}-{unique_prefix}")]
    assert len(nodes) == 30

    def run_for(node):
        name = node["nodeName"]
        result = run_script(cpu.COMMAND, "-i", node["ipAddressV4"], "-p", "2375", "-c", name,
                            "-k", f"{name}_CONTAINER_CPU", "--state-dir", tmp_path, "--all")
        assert (result.code, result.err) == (0, "")
        return custom.judge(CPU_SETTING, node["facilityId"], result.out)

    with ThreadPoolExecutor(6) as pool:
        raised = [n for found in pool.map(run_for, nodes) for n in found]
    assert len(raised) == 30 and {n.priority for n in raised} == {INFO}
    assert {n.facility_id for n in raised} == {node["facilityId"] for node in nodes}


def test_an_empty_selection_raises_no_unknown(run_script, make_container, unique_prefix, tmp_path):
    make_container("stopped", state="exited")
    result = run_script(cpu.COMMAND, *DOCKER, "-n", f"{unique_prefix}*", "-k", "empty",
                        "--state-dir", tmp_path)
    assert result.code == 0
    raised = custom.judge(CPU_SETTING, "docker_host1", result.out)
    assert [(n.priority, n.message) for n in raised] == [(INFO, "VALUE : cpu_usage:(none)=0.0")]
