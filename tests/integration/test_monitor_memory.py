"""MonitorDockerContainerResourceMemory.py against the real daemon and snmpd: values checked against
the daemon's own stats and /info, for a container holding 64 MiB of anonymous memory."""
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from hinemos_docker.commands.memory import COMMAND
from hinemos_docker.output import AGENT_LINE_RE
from tests.fixtures.testbed import TEST_LABEL

MIB = 1024 * 1024
# dd reads 64 MiB from /dev/zero into its buffer, then blocks on the full pipe: the buffer stays
# resident as anonymous memory (cgroup v1 rss) while sleep runs; a tmpfs file would count as cache
HOLD_64_MIB = "sh -c 'dd if=/dev/zero bs=64M count=1 | sleep 3600'"
UNIX = "unix:///var/run/docker.sock"
ROOT = Path(__file__).resolve().parents[2]


def _values(result):
    assert result.code == 0, result.err
    assert all(AGENT_LINE_RE.match(line) for line in result.lines), result.out
    return {key: float(value) for key, value in (line.rsplit(",", 1) for line in result.lines)}


def _daemon_rss(docker_client, container):
    stats = docker_client.api.stats(container.id, stream=False, one_shot=True)
    return stats["memory_stats"]["stats"]["rss"]


def _holding(docker_client, container, timeout=20):
    """The container, once the daemon reports its 64 MiB as rss."""
    deadline = time.monotonic() + timeout
    while _daemon_rss(docker_client, container) < 60 * MIB:
        if time.monotonic() > deadline:
            pytest.fail(f"{container.name} did not reach 60 MiB rss")
        time.sleep(0.2)
    return container


@pytest.fixture(scope="module")
def bed(docker_client, testbed):
    """One set of containers for the module (starting them and waiting for the 64 MiB costs
    seconds): two holding 64 MiB, one without and one with a 256 MiB limit, an idle one and a
    stopped one, under a prefix no other test uses."""
    prefix = f"hdt{uuid.uuid4().hex[:8]}-"
    created = []

    def run(suffix, command, **kwargs):
        created.append(docker_client.containers.run(testbed.image, command, name=f"{prefix}{suffix}",
                                                    labels={TEST_LABEL: __name__}, detach=True, **kwargs))
        return created[-1]

    try:
        holder = run("hold", HOLD_64_MIB)
        limited = run("limited", HOLD_64_MIB, mem_limit="256m")
        idle = run("idle", "sleep 3600")
        stopped = run("stopped", "sleep 3600")
        stopped.stop(timeout=0)
        yield SimpleNamespace(prefix=prefix, holder=_holding(docker_client, holder),
                              limited=_holding(docker_client, limited), idle=idle, stopped=stopped)
    finally:
        for container in created:
            container.remove(force=True, v=True)


def test_default_mode_is_rss_relative_to_the_hosts_memory(run_script, bed, docker_client):
    values = _values(run_script(COMMAND, "-i", UNIX, "-n", f"{bed.prefix}*"))
    # running containers only
    assert set(values) == {f"host_mem_usage:{c.id[:8]}" for c in (bed.holder, bed.limited, bed.idle)}
    mem_total = docker_client.info()["MemTotal"]
    held = values[f"host_mem_usage:{bed.holder.id[:8]}"]
    assert held == pytest.approx(100 * _daemon_rss(docker_client, bed.holder) / mem_total, abs=0.011)
    assert held >= round(100 * 60 * MIB / mem_total, 2)
    assert values[f"host_mem_usage:{bed.idle.id[:8]}"] < held


def test_container_mode_is_rss_relative_to_the_limit(run_script, bed, docker_client):
    values = _values(run_script(COMMAND, "-i", "127.0.0.1", "-n", f"{bed.prefix}*", "--container"))
    limited = values[f"host_mem_usage:{bed.limited.id[:8]}"]
    assert limited == pytest.approx(100 * _daemon_rss(docker_client, bed.limited) / (256 * MIB), abs=0.011)
    assert limited > 23  # 64 MiB of 256 MiB
    # no limit: the host's memory is the denominator, as in the default mode
    unlimited = 100 * _daemon_rss(docker_client, bed.holder) / docker_client.info()["MemTotal"]
    assert values[f"host_mem_usage:{bed.holder.id[:8]}"] == pytest.approx(unlimited, abs=0.011)


@pytest.mark.parametrize("version", ["1", "2c"])
def test_with_host_adds_the_host_line(run_script, bed, testbed, version):
    values = _values(run_script(COMMAND, "-i", "127.0.0.1", "-n", f"{bed.prefix}*", "--with-host",
                                "-sv", version, "-sc", testbed.snmp_community, "-sp", testbed.snmp_port))
    assert list(values)[-1] == "host_mem_usage:host"
    assert 0 <= values["host_mem_usage:host"] <= 100
    assert len(values) == 4


def test_container_with_host_prints_limit_values_and_the_host_line(run_script, bed, testbed):
    values = _values(run_script(COMMAND, "-i", "127.0.0.1", "-c", bed.limited.id[:12], "--container",
                                "--with-host", "-sc", testbed.snmp_community, "-sp", testbed.snmp_port))
    assert list(values) == [f"host_mem_usage:{bed.limited.id[:8]}", "host_mem_usage:host"]
    assert values[f"host_mem_usage:{bed.limited.id[:8]}"] > 23


def test_wrong_community_is_one_clear_line(run_script, bed, testbed):
    result = run_script(COMMAND, "-i", "127.0.0.1", "-c", bed.holder.id[:12], "--with-host", "-sc", "wrong",
                        "-sp", testbed.snmp_port, "--snmp-timeout", "1")
    assert (result.code, result.out) == (1, "")
    assert result.err == (f"{COMMAND.prog}: no answer from SNMP agent at 127.0.0.1:{testbed.snmp_port} "
                          "(timeout or wrong community)\n")


def test_all_of_one_container_prints_plain_keys(run_script, bed, docker_client):
    result = run_script(COMMAND, "-i", UNIX, "-n", bed.holder.name, "--all")
    values = _values(result)
    assert values["rss"] >= 60 * MIB
    daemon = docker_client.api.stats(bed.holder.id, stream=False, one_shot=True)["memory_stats"]["stats"]
    assert list(values) == sorted(daemon)
    assert all(line == f"{key},{int(value)}" for line, (key, value) in zip(result.lines, values.items()))
    # 30-odd cgroup v1 figures exceed what the agent reads by default
    assert "keeps only the first 512 bytes" in result.err and "-c #[NODE_NAME]" not in result.err


def test_all_of_a_pattern_suffixes_the_keys(run_script, bed):
    values = _values(run_script(COMMAND, "-i", UNIX, "-n", f"{bed.prefix}*", "--all"))
    assert values[f"rss:{bed.holder.id[:8]}"] >= 60 * MIB
    assert values[f"rss:{bed.limited.id[:8]}"] >= 60 * MIB
    running = (bed.holder, bed.limited, bed.idle)
    assert {key.rsplit(":", 1)[1] for key in values} == {c.id[:8] for c in running}


@pytest.mark.parametrize("mode", ["--container", "--with-host"])
def test_all_with_another_mode_is_a_usage_error(run_script, mode):
    result = run_script(COMMAND, "--all", mode)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"{COMMAND.prog}: --all cannot be combined with --container or --with-host\n"


@pytest.mark.parametrize("option", ["-n", "-c"])
def test_a_stopped_container_prints_nothing(run_script, bed, option):
    value = bed.stopped.name if option == "-n" else bed.stopped.id[:12]
    result = run_script(COMMAND, "-i", UNIX, option, value)
    assert (result.code, result.out, result.err) == (0, "", "")


def test_an_unknown_container_is_one_line_exit_1(run_script, bed):
    result = run_script(COMMAND, "-i", UNIX, "-n", f"{bed.prefix}none")
    assert (result.code, result.out) == (1, "")
    assert result.err == f"{COMMAND.prog}: no such container: container name '{bed.prefix}none'\n"


def test_pysnmp_is_imported_only_with_with_host(bed):
    code = ("import sys; from hinemos_docker.cli import run; "
            "from hinemos_docker.commands.memory import COMMAND; "
            f"run(COMMAND, ['-i', '{UNIX}', '-n', '{bed.prefix}*']); "
            "print('pysnmp' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.stdout.splitlines()[-1] == "False", result.stderr
