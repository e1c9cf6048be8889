"""The fast path's reading of cgroup files (cgroup_stats, and CgroupFiles on the trees under
tests/data/cgroup): the hierarchy found from mountinfo, the container's directory under either
driver, and a stats document that gives the same Sample, rss and memory keys as the API's answer."""
import json
from pathlib import Path

import pytest

from hinemos_docker import cgroup_stats, daemon_time, memory, metrics
from hinemos_docker.local_engine import CgroupFiles

DATA = Path(__file__).resolve().parents[1] / "data"
TREES = DATA / "cgroup"
V1_ID = "bcd888f18d019ac6b628bd366f9fc198658cb4b78025943873f35fcb8bba4710"
V2_ID = "5f1c0a7be3d2c9e8a1b4f6d7c8e9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7"
V1_API = json.loads((TREES / "v1-cgroupfs" / "api-stats.json").read_text())
V2_API = json.loads((DATA / "stats" / "v2-constructed-1.json").read_text())
EVERY_KIND = cgroup_stats.RATE_COUNTERS + cgroup_stats.MEMORY_COUNTERS


def reader(tree):
    """CgroupFiles over one tree, its mount points and /proc moved under the tree."""
    hierarchy = cgroup_stats.hierarchy_from_mountinfo((TREES / tree / "mountinfo").read_text())
    moved = {controller: f"{TREES / tree}{mount}" for controller, mount in hierarchy.mounts.items()}
    files = CgroupFiles(cgroup_stats.Hierarchy(hierarchy.version, moved), EVERY_KIND,
                        proc=str(TREES / tree / "proc"))
    files.online_cpus = 2 if hierarchy.version == 1 else 4  # the machines the API answers came from
    return files


def read_at(document, api):
    """The document with the API answer's read time, so that whole Samples compare."""
    return {**document, "read": api["read"]}


# ---- the hierarchy ---------------------------------------------------------------------------

def test_this_machine_kind_is_cgroup_v1_with_one_mount_per_controller():
    hierarchy = cgroup_stats.hierarchy_from_mountinfo((TREES / "v1-cgroupfs" / "mountinfo").read_text())
    assert hierarchy == cgroup_stats.Hierarchy(1, {"cpuacct": "/sys/fs/cgroup/cpuacct",
                                                   "blkio": "/sys/fs/cgroup/blkio",
                                                   "memory": "/sys/fs/cgroup/memory"})


def test_a_hybrid_systemd_host_uses_v1_and_the_co_mounted_cpu_cpuacct():
    hierarchy = cgroup_stats.hierarchy_from_mountinfo((TREES / "v1-systemd" / "mountinfo").read_text())
    assert hierarchy.version == 1
    assert hierarchy.mounts["cpuacct"] == "/sys/fs/cgroup/cpu,cpuacct"


@pytest.mark.parametrize("tree", ["v2-cgroupfs", "v2-systemd"])
def test_a_unified_host_uses_v2(tree):
    hierarchy = cgroup_stats.hierarchy_from_mountinfo((TREES / tree / "mountinfo").read_text())
    assert hierarchy == cgroup_stats.Hierarchy(2, {"": "/sys/fs/cgroup"})


@pytest.mark.parametrize("text", [
    "",
    # inside a container: only a sub-tree of the host's hierarchy is mounted
    "40 31 0:38 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
    # v1 without the memory controller
    "32 31 0:29 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"
    "38 31 0:35 / /sys/fs/cgroup/blkio rw - cgroup cgroup rw,blkio\n",
], ids=["nothing", "sub-tree", "v1-partial"])
def test_a_hierarchy_not_mounted_whole_is_not_used(text):
    assert cgroup_stats.hierarchy_from_mountinfo(text) is None


# ---- the container's directory ---------------------------------------------------------------

@pytest.mark.parametrize("tree, container_id, relative", [
    ("v1-cgroupfs", V1_ID, f"docker/{V1_ID}"),
    ("v1-systemd", V1_ID, f"system.slice/docker-{V1_ID}.scope"),
    ("v2-cgroupfs", V2_ID, f"docker/{V2_ID}"),
    ("v2-systemd", V2_ID, f"system.slice/docker-{V2_ID}.scope"),
])
def test_the_directory_of_either_driver_is_found(tree, container_id, relative):
    directories = reader(tree).directories(container_id)
    assert directories and all(path.endswith(relative) for path in directories.values())


def test_an_unknown_container_has_no_directory_and_no_document():
    files = reader("v1-cgroupfs")
    assert files.directories("0" * 64) is None
    assert files.stats("0" * 64, "default") is None


# ---- the document against the API's answer ----------------------------------------------------

@pytest.mark.parametrize("tree", ["v1-cgroupfs", "v1-systemd"])
def test_v1_files_give_the_api_sample_rss_and_memory_keys(tree):
    """Recorded on this machine: the API's one-shot answer, then the files, of a busy container."""
    document = reader(tree).stats(V1_ID, "default")
    if tree == "v1-systemd":  # constructed with CFQ accounting: the API would answer those entries
        assert metrics.sample_from_stats(document).disk_read == 204800 + 4096
        document["blkio_stats"] = V1_API["blkio_stats"]
    assert metrics.sample_from_stats(read_at(document, V1_API)) == metrics.sample_from_stats(V1_API)
    assert memory.rss(document) == memory.rss(V1_API)
    assert memory.memory_details(document) == memory.memory_details(V1_API)


@pytest.mark.parametrize("tree", ["v2-cgroupfs", "v2-systemd"])
def test_v2_files_give_the_api_sample_rss_and_memory_keys(tree):
    """Constructed from the v2 API answer: cpu.stat in microseconds, io.stat per device, a 6.1
    kernel's memory.stat (more keys than the API keeps, workingset_refault split in two)."""
    document = reader(tree).stats(V2_ID, "default")
    assert metrics.sample_from_stats(read_at(document, V2_API)) == metrics.sample_from_stats(V2_API)
    assert memory.rss(document) == memory.rss(V2_API)
    assert memory.memory_details(document) == memory.memory_details(V2_API)
    assert "percpu_usage" not in document["cpu_stats"]["cpu_usage"]


def test_host_network_has_no_interfaces_as_in_the_api():
    document = reader("v2-cgroupfs").stats(V2_ID, "host")
    assert "networks" not in document
    sample = metrics.sample_from_stats(document)
    assert (sample.rx_bytes, sample.tx_bytes, sample.rx_packets, sample.tx_packets) == (0, 0, 0, 0)


def test_the_read_time_is_the_time_of_reading():
    before = daemon_time.rfc3339_ns(daemon_time.rfc3339(0)) or 0
    document = reader("v1-cgroupfs").stats(V1_ID, "default")
    assert metrics.sample_from_stats(document).read_ns > before
    assert daemon_time.rfc3339_ns(daemon_time.rfc3339(1_700_000_000_123456789)) == 1_700_000_000_123456789


# ---- the parsers ------------------------------------------------------------------------------

def test_blkio_entries_skip_totals_and_keep_ops():
    text = "8:0 Read 4096\n8:0 Write 0\n8:0 Total 4096\nTotal 4096\n"
    assert cgroup_stats.blkio_entries(text) == [
        {"major": 8, "minor": 0, "op": "Read", "value": 4096},
        {"major": 8, "minor": 0, "op": "Write", "value": 0},
        {"major": 8, "minor": 0, "op": "Total", "value": 4096}]
    assert cgroup_stats.blkio_entries("Total 0\n") == []
    assert cgroup_stats.blkio_entries(None) == []


@pytest.mark.parametrize("files, read", [
    ({"blkio.throttle.io_service_bytes": "8:0 Read 7\n"}, 7),  # no CFQ scheduler
    ({"blkio.io_serviced_recursive": "Total 0\n", "blkio.io_service_bytes_recursive": "Total 0\n",
      "blkio.throttle.io_service_bytes": "8:0 Read 7\n"}, 7),  # CFQ files without entries
    ({"blkio.io_serviced_recursive": "8:0 Read 1\n", "blkio.io_service_bytes_recursive": "8:0 Read 5\n",
      "blkio.throttle.io_service_bytes": "8:0 Read 7\n"}, 5),  # CFQ accounting wins
], ids=["throttle", "cfq-empty", "cfq"])
def test_v1_block_io_follows_the_daemons_choice_of_files(files, read):
    entries = cgroup_stats.v1_blkio_bytes(files)
    assert sum(entry["value"] for entry in entries if entry["op"] == "Read") == read


def test_io_stat_of_a_device_without_bytes_reads_zero():
    assert cgroup_stats.io_stat_entries("8:16 rios=3 wios=4\n") == [
        {"major": 8, "minor": 16, "op": "read", "value": 0},
        {"major": 8, "minor": 16, "op": "write", "value": 0}]


def test_net_dev_leaves_out_lo_and_malformed_lines():
    text = (TREES / "v2-cgroupfs" / "proc" / "4242" / "net" / "dev").read_text() + "  bad: 1 2\n"
    assert cgroup_stats.net_dev(text) == {
        "eth0": {"rx_bytes": 10000, "rx_packets": 100, "tx_bytes": 4000, "tx_packets": 40},
        "eth1": {"rx_bytes": 2000, "rx_packets": 20, "tx_bytes": 1000, "tx_packets": 10}}


@pytest.mark.parametrize("version, files", [
    (1, {"cpuacct.usage": None}), (1, {"cpuacct.usage": ""}), (2, {"cpu.stat": "user_usec 5\n"}),
    (1, {"memory.stat": None})])
def test_a_figure_every_cgroup_has_missing_means_no_document(version, files):
    assert cgroup_stats.stats_document(version, files, 1, 2, {}) is None


def test_each_monitor_reads_only_the_files_it_needs():
    assert cgroup_stats.files_to_read(1, cgroup_stats.MEMORY_COUNTERS) == {"memory": ["memory.stat"]}
    assert cgroup_stats.files_to_read(1, cgroup_stats.RATE_COUNTERS, cgroup_stats.KERNEL_OPTIONAL) == {
        "cpuacct": ["cpuacct.usage", "cpuacct.usage_percpu", "cgroup.procs"],
        "blkio": ["blkio.throttle.io_service_bytes"]}
    assert cgroup_stats.files_to_read(2, cgroup_stats.RATE_COUNTERS) == {
        "": ["cpu.stat", "io.stat", "cgroup.procs"]}


def test_the_memory_monitor_reads_no_cpu_figure_and_the_rate_monitors_no_memory():
    hierarchy = reader("v1-cgroupfs").hierarchy
    memory_only = CgroupFiles(hierarchy, cgroup_stats.MEMORY_COUNTERS).stats(V1_ID, "default")
    assert memory.rss(memory_only) == memory.rss(V1_API) and "cpu_stats" not in memory_only
    rates = CgroupFiles(hierarchy, cgroup_stats.RATE_COUNTERS, proc=str(TREES / "v1-cgroupfs" / "proc"))
    document = rates.stats(V1_ID, "default")
    assert "memory_stats" not in document
    assert metrics.sample_from_stats(read_at(document, V1_API)) == metrics.sample_from_stats(V1_API)


def test_first_pid():
    assert cgroup_stats.first_pid("4242\n4250\n") == 4242
    assert cgroup_stats.first_pid("") is None
