"""The counter monitors' fast path on this machine's cgroup v1 against the real daemon: chosen only
for a local daemon unless --from-api, documents that agree with the daemon's own stats (CPU within
1 percentage point over the same window, the same network, memory and per-CPU figures), the same
state file both ways, and a container whose cgroup lies elsewhere measured through the API."""
import json
import os
import time
import uuid

import pytest

from hinemos_docker import cgroup_stats, cli, memory, metrics
from hinemos_docker.commands import cpu, network
from hinemos_docker.docker_endpoint import resolve_endpoint
from hinemos_docker.docker_engine import DockerEngine
from hinemos_docker.local_engine import CgroupFiles, LocalEngine, connect_for_counters
from hinemos_docker.output import AGENT_LINE_RE
from tests.fixtures.docker import TEST_LABEL

BUSY_LOOP = "sh -c 'while :; do :; done'"
UNIX = "unix:///var/run/docker.sock"

pytestmark = pytest.mark.skipif(CgroupFiles.discover() is None, reason="cgroups not mounted whole here")


@pytest.fixture(scope="module")
def trio(docker_client, testbed):
    """A busy loop on the default bridge, an idle container on the host's network and one sharing
    the busy one's network namespace (names <prefix>busy/host/joined)."""
    prefix = f"hdt{uuid.uuid4().hex[:8]}-"
    made = {}
    try:
        kinds = (("busy", BUSY_LOOP, {}), ("host", "sleep 3600", {"network_mode": "host"}),
                 ("joined", "sleep 3600", {"network_mode": f"container:{prefix}busy"}))
        for suffix, command, extra in kinds:
            made[suffix] = docker_client.containers.run(
                testbed.image, command, name=f"{prefix}{suffix}", labels={TEST_LABEL: "fast_path"},
                detach=True, **extra)
        yield prefix, made
    finally:
        for container in made.values():
            container.remove(force=True)


def engines():
    endpoint = resolve_endpoint(UNIX)
    every_kind = cgroup_stats.RATE_COUNTERS + cgroup_stats.MEMORY_COUNTERS
    return LocalEngine(endpoint, 60, CgroupFiles.discover(every_kind)), DockerEngine(endpoint)


def parse(command, *argv):
    return cli.build_parser(command).parse_args(list(argv))


@pytest.mark.parametrize("argv, local", [
    (["-i", UNIX], True),
    (["-i", "127.0.0.1"], True),
    (["-i", UNIX, "--from-api"], False),
    (["-i", "127.0.0.1", "--from-api"], False),
])
def test_the_fast_path_is_taken_for_a_local_daemon_unless_from_api(argv, local):
    engine = connect_for_counters(parse(cpu.COMMAND, "-k", "x", *argv), cgroup_stats.RATE_COUNTERS)
    assert isinstance(engine, LocalEngine) is local


def test_documents_agree_with_the_daemons_stats(trio):
    prefix, made = trio
    local, api = engines()
    listed = {c["Id"]: c for c in local.containers() if c["Names"][0].startswith(f"/{prefix}")}
    assert set(listed) == {c.id for c in made.values()}
    from_api = api.stats_many(listed)
    from_files = local.stats_many(listed)
    for container_id in listed:
        files, daemon = from_files[container_id], from_api[container_id]
        assert sorted(files.get("networks") or {}) == sorted(daemon.get("networks") or {})
        for name, counters in (daemon.get("networks") or {}).items():
            assert files["networks"][name]["rx_packets"] >= counters["rx_packets"]
        assert len(files["cpu_stats"]["cpu_usage"]["percpu_usage"]) == \
            len(daemon["cpu_stats"]["cpu_usage"]["percpu_usage"])
        assert files["cpu_stats"]["online_cpus"] == daemon["cpu_stats"]["online_cpus"]
        keys = [[key for key, _ in memory.memory_details(document)] for document in (files, daemon)]
        assert keys[0] == keys[1]
        assert abs(memory.rss(files) - memory.rss(daemon)) <= 1024 * 1024
    host = made["host"].id
    assert "networks" not in from_files[host] and "networks" not in from_api[host]
    joined, busy = made["joined"].id, made["busy"].id
    assert from_files[joined]["networks"].keys() == from_files[busy]["networks"].keys() == {"eth0"}


def test_cpu_over_the_same_window_is_within_one_percentage_point(trio):
    """Both paths read at the same moments: the daemon answers right after its collector read the
    same counters, and the files are read as soon as that answer arrives."""
    _, made = trio
    busy = made["busy"].id
    local, api = engines()
    local.containers()

    def both():
        daemon = metrics.sample_from_stats(api.stats(busy))
        files = metrics.sample_from_stats(local.stats_many([busy])[busy])
        return daemon, files
    daemon_1, files_1 = both()
    time.sleep(3)
    daemon_2, files_2 = both()
    by_api, by_files = metrics.cpu_percent(daemon_1, daemon_2), metrics.cpu_percent(files_1, files_2)
    assert by_api > 5  # the loop did run
    print(f"CPU over the same window: API {by_api:.3f} %, files {by_files:.3f} %")
    assert abs(by_api - by_files) < 1, (by_api, by_files)


def lines(result):
    assert result.code == 0, result.err
    assert all(AGENT_LINE_RE.match(line) for line in result.lines), result.out
    return dict(line.rsplit(",", 1) for line in result.lines)


@pytest.mark.parametrize("first, then", [([], ["--from-api"]), (["--from-api"], [])],
                         ids=["files-then-api", "api-then-files"])
def test_the_state_file_serves_both_paths(run_script, trio, tmp_path, first, then):
    """A run on one path continues from the other's samples. The busy container's kept sample is
    zeroed (no counter goes back), so a run that used it prints exactly 100 x its CPU time over
    the time since that sample: a pair of samples within the run could not give that figure."""
    prefix, made = trio
    argv = ["-k", "both", "--state-dir", tmp_path, "-n", f"{prefix}*", "-i", UNIX]
    keys = lines(run_script(cpu.COMMAND, *argv, *first)).keys()
    path = tmp_path / "both.txt"
    state = json.loads(path.read_text())
    kept = state["data"]["containers"][made["busy"].id]
    kept.update(cpu_total=0, percpu=[0] * len(kept["percpu"]))
    path.write_text(json.dumps(state))
    time.sleep(2.2)  # up long enough for every Status to vouch for the kept samples

    got = lines(run_script(cpu.COMMAND, *argv, *then))
    now = json.loads(path.read_text())["data"]["containers"][made["busy"].id]
    assert got.keys() == keys
    expected = 100 * now["cpu_total"] / (now["read_ns"] - kept["read_ns"])
    assert got[f"cpu_usage:{prefix}busy"] == f"{expected:.2f}"


def test_network_keys_are_the_same_both_ways(run_script, trio, tmp_path):
    prefix, _ = trio
    argv = ["-k", "net", "--state-dir", tmp_path, "-n", f"{prefix}*", "-i", UNIX, "--kb", "--pck"]
    by_files = lines(run_script(network.COMMAND, *argv))
    by_api = lines(run_script(network.COMMAND, *argv, "--from-api"))
    assert by_files.keys() == by_api.keys() and len(by_files) == 3 * 4


def test_a_container_in_another_cgroup_parent_is_measured_through_the_api(run_script, docker_client,
                                                                           testbed, tmp_path):
    parent = f"/hdt{uuid.uuid4().hex[:8]}"
    container = docker_client.containers.run(testbed.image, BUSY_LOOP, name=f"{parent[1:]}-elsewhere",
                                             cgroup_parent=parent, labels={TEST_LABEL: "fast_path"},
                                             detach=True)
    try:
        local, _ = engines()
        assert local.cgroups.directories(container.id) is None
        got = lines(run_script(cpu.COMMAND, "-k", "x", "--state-dir", tmp_path, "-n", container.name,
                               "-i", UNIX))
        assert float(got[f"cpu_usage:{container.name}"]) > 5
    finally:
        container.remove(force=True)
        for mount in CgroupFiles.discover().hierarchy.mounts.values():
            if os.path.isdir(mount + parent):
                os.rmdir(mount + parent)
