"""Memory formulas (hinemos_docker.memory) and the memory monitor's lines, on recorded cgroup v1
and constructed cgroup v2 JSON (tests/data/memory/README.md)."""
import json
from pathlib import Path

import pytest

from hinemos_docker import memory
from hinemos_docker.commands.memory import HOST_KEY, container_key, detail_measurements, usage_measurements
from hinemos_docker.output import AGENT_LINE_RE, format_line

DATA = Path(__file__).parent.parent / "data" / "memory"


def load(name):
    return json.loads((DATA / name).read_text())


V1 = load("stats_v1_anon64m.json")
V1_LIMITED = load("stats_v1_anon64m_limit256m.json")
V2 = load("stats_v2_anon64m_limit256m_constructed.json")
EXITED = load("stats_v1_exited.json")
MEM_TOTAL = load("info_excerpt.json")["MemTotal"]


def test_rss_is_the_v1_rss_figure():
    assert memory.rss(V1) == V1["memory_stats"]["stats"]["rss"] == 67256320


def test_rss_is_anon_on_cgroup_v2():
    assert "rss" not in V2["memory_stats"]["stats"]
    assert memory.rss(V2) == V2["memory_stats"]["stats"]["anon"]


def test_a_sample_without_memory_figures_has_no_rss():
    assert EXITED["memory_stats"] == {}
    assert memory.rss(EXITED) is None


def test_host_relative_usage_of_the_recorded_64_mib_container():
    value = memory.usage_percent(memory.rss(V1), MEM_TOTAL)
    assert value == pytest.approx(100 * 67256320 / 25276059648)
    assert format_line(usage_measurements({V1["id"]: memory.rss(V1)}, {V1["id"]: MEM_TOTAL})[0]) == \
        f"host_mem_usage:{V1['id'][:8]},0.27"


def test_the_manuals_example_value():
    # the manual's memory example: rss 8556544 of 3609448448 bytes prints 0.24
    assert format_line(usage_measurements({"c7a095b8ec29": 8556544}, {"c7a095b8ec29": 3609448448})[0]) == \
        "host_mem_usage:c7a095b8,0.24"


def test_limit_is_the_inspected_memory_limit():
    inspect = load("inspect_limit256m_excerpt.json")
    assert memory.memory_limit(inspect, MEM_TOTAL) == 268435456
    # the daemon's cgroup limit agrees with the configured one
    assert V1_LIMITED["memory_stats"]["limit"] == 268435456


def test_no_limit_means_the_hosts_memory():
    inspect = load("inspect_unlimited_excerpt.json")
    assert inspect["HostConfig"]["Memory"] == 0
    assert memory.memory_limit(inspect, MEM_TOTAL) == MEM_TOTAL


def test_limit_of_an_old_api_is_config_memory():
    # constructed: before API 1.19 the limit lived in Config (the manual's curl example)
    assert memory.memory_limit({"Config": {"Memory": 5242880}}, MEM_TOTAL) == 5242880


def test_container_relative_usage():
    limit = memory.memory_limit(load("inspect_limit256m_excerpt.json"), MEM_TOTAL)
    value = memory.usage_percent(memory.rss(V1_LIMITED), limit)
    assert value == pytest.approx(100 * V1_LIMITED["memory_stats"]["stats"]["rss"] / 268435456)
    assert 25.0 < value < 25.1


# constructed SNMP answers in KB, as UCD-SNMP-MIB gives them
HOST_KB = {"total": 1_000_000, "avail": 600_000, "buffer": 50_000, "cached": 150_000}


def test_host_used_is_total_minus_avail_buffer_cached_in_bytes():
    assert memory.host_used_bytes(HOST_KB) == 200_000 * 1024


def test_host_excluding_containers():
    value, clamped = memory.host_excluding_containers(HOST_KB, 50_000 * 1024)
    assert value == pytest.approx(15.0)
    assert not clamped


def test_host_excluding_containers_is_never_negative():
    value, clamped = memory.host_excluding_containers(HOST_KB, 250_000 * 1024)
    assert value == 0
    assert clamped


def test_host_line_key():
    assert HOST_KEY == "host_mem_usage:host"
    assert container_key(V1["id"]) == f"host_mem_usage:{V1['id'][:8]}"


def test_details_are_the_integer_stats_sorted_by_key():
    details = memory.memory_details(V1)
    assert [key for key, _ in details] == sorted(V1["memory_stats"]["stats"])
    assert dict(details)["rss"] == 67256320
    assert dict(details)["hierarchical_memory_limit"] == 9223372036854771712


def test_details_of_cgroup_v2():
    details = dict(memory.memory_details(V2))
    assert details["anon"] == 67371008
    assert "rss" not in details and "total_rss" not in details


def test_details_skip_values_that_are_not_integers():
    # constructed: nothing but integers may reach a custom monitor's integer lines
    sample = {"memory_stats": {"stats": {"rss": 1, "odd": "x", "flag": True, "ratio": 0.5}}}
    assert memory.memory_details(sample) == [("rss", 1)]


def test_detail_keys_plain_or_suffixed_and_every_line_valid():
    samples = {V1["id"]: V1, V2["id"]: V2}
    plain = [format_line(m) for m in detail_measurements({V1["id"]: V1}, suffixed=False)]
    assert "rss,67256320" in plain
    suffixed = [format_line(m) for m in detail_measurements(samples, suffixed=True)]
    assert f"rss:{V1['id'][:8]},67256320" in suffixed
    assert f"anon:{V2['id'][:8]},67371008" in suffixed
    assert len(suffixed) == len(V1["memory_stats"]["stats"]) + len(V2["memory_stats"]["stats"])
    assert all(AGENT_LINE_RE.match(line) for line in plain + suffixed)
    # the big cgroup limit prints exactly, not as a float
    assert "hierarchical_memory_limit,9223372036854771712" in plain

