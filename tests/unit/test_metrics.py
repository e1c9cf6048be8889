"""Samples and rates of the rate monitors on recorded cgroup v1 stats and constructed v2 stats
(tests/data/stats/README.md says how each file was made)."""
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from hinemos_docker import daemon_time, metrics

DATA = Path(__file__).resolve().parents[1] / "data" / "stats"


def stats(name):
    return json.loads((DATA / name).read_text())


def sample(name):
    return metrics.sample_from_stats(stats(name))


def seconds_between(first, second):
    return (second.read_ns - first.read_ns) / 1e9


# ---- read time --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2026-11-28T15:55:22.011093118Z", datetime(2026, 11, 28, 15, 55, 22, tzinfo=timezone.utc)),
    ("2015-08-25T07:10:20.848951084-04:00", datetime(2015, 8, 25, 11, 10, 20, tzinfo=timezone.utc)),
    ("2015-08-25T20:10:20.848951084+09:00", datetime(2015, 8, 25, 11, 10, 20, tzinfo=timezone.utc)),
    ("2026-11-28T15:55:25Z", datetime(2026, 11, 28, 15, 55, 25, tzinfo=timezone.utc)),
])
def test_read_time_whole_seconds_follow_the_offset(text, expected):
    assert daemon_time.rfc3339_ns(text) // metrics.NS_PER_S == int(expected.timestamp())


@pytest.mark.parametrize("text, nanoseconds", [
    ("2026-11-28T15:55:22.011093118Z", 11093118),
    ("2026-11-28T15:55:25.03686974Z", 36869740),  # Go drops trailing zeros: 8 digits
    ("2026-11-28T15:55:25.5Z", 500000000),
    ("2026-11-28T15:55:25Z", 0),
])
def test_read_time_keeps_every_nanosecond(text, nanoseconds):
    assert daemon_time.rfc3339_ns(text) % metrics.NS_PER_S == nanoseconds


def test_zero_read_time_means_not_running():
    assert daemon_time.rfc3339_ns("0001-01-01T00:00:00Z") is None


@pytest.mark.parametrize("text", ["", "yesterday", "2026-11-28 15:55:25Z", "2026-11-28T15:55:25.1234567890Z"])
def test_bad_read_time_is_an_error(text):
    with pytest.raises(ValueError):
        daemon_time.rfc3339_ns(text)


# ---- samples ----------------------------------------------------------------------------------

def test_v1_one_shot_sample_takes_the_documented_fields():
    raw = stats("v1-oneshot-busy-1.json")
    got = metrics.sample_from_stats(raw)
    usage = raw["cpu_stats"]["cpu_usage"]
    assert got.read_ns == daemon_time.rfc3339_ns(raw["read"])
    assert got.cpu_total == usage["total_usage"]
    assert got.percpu == tuple(usage["percpu_usage"])
    assert sum(got.percpu) == got.cpu_total  # the manual's (*1): total = sum of the cores
    assert got.online_cpus == 2
    assert (got.disk_read, got.disk_write) == (0, 0)  # block I/O lists are empty on this machine
    eth0 = raw["networks"]["eth0"]
    assert (got.rx_bytes, got.tx_bytes, got.rx_packets, got.tx_packets) == (
        eth0["rx_bytes"], eth0["tx_bytes"], eth0["rx_packets"], eth0["tx_packets"])


def test_container_without_network_counts_zero_traffic():
    got = sample("v1-oneshot-network-none.json")
    assert (got.rx_bytes, got.tx_bytes, got.rx_packets, got.tx_packets) == (0, 0, 0, 0)


def test_stopped_container_gives_no_sample():
    assert sample("v1-oneshot-stopped.json") is None


def test_classic_stats_of_older_daemons_give_the_current_sample():
    raw = stats("v1-classic-busy.json")
    got = metrics.sample_from_stats(raw)
    assert got.read_ns == daemon_time.rfc3339_ns(raw["read"])
    assert got.cpu_total == raw["cpu_stats"]["cpu_usage"]["total_usage"]


def test_manual_2015_sample_with_single_network_and_one_device():
    got = sample("manual-2015-conteiner_B.json")
    assert (got.cpu_total, got.percpu) == (19377187586, (10738949512, 8638238074))
    assert got.online_cpus == 2  # no online_cpus before API 1.27: the number of per-CPU figures
    assert (got.disk_read, got.disk_write) == (5640192, 0)
    assert (got.rx_bytes, got.tx_bytes, got.rx_packets, got.tx_packets) == (1854, 738, 23, 9)


def test_v1_block_io_sums_read_and_write_over_devices_only():
    first = sample("v1-blkio-two-devices-1-constructed.json")
    # Sync/Async/Total entries are not added in: 1000000 + 20000 read, 300000 + 0 written
    assert (first.disk_read, first.disk_write) == (1_020_000, 300_000)


def test_v2_sample_has_no_per_cpu_figures_and_lower_case_block_ops():
    got = sample("v2-constructed-1.json")
    assert got.percpu is None
    assert got.online_cpus == 4
    assert (got.disk_read, got.disk_write) == (1_500_000, 2_000_000)
    assert (got.rx_bytes, got.tx_bytes) == (12_000, 5_000)  # eth0 + eth1


def test_sample_without_cpu_figures_is_an_error():
    raw = stats("v1-oneshot-idle-1.json")
    del raw["cpu_stats"]
    with pytest.raises(ValueError):
        metrics.sample_from_stats(raw)


# ---- CPU --------------------------------------------------------------------------------------

def test_busy_loop_reads_near_one_full_core():
    first, second = sample("v1-oneshot-busy-1.json"), sample("v1-oneshot-busy-2.json")
    value = metrics.cpu_percent(first, second)
    expected = 100 * (second.cpu_total - first.cpu_total) / (second.read_ns - first.read_ns)
    assert value == pytest.approx(expected)
    assert 50 < value <= 101  # 2 cores shared with other work while recording


def test_idle_container_reads_near_zero():
    assert metrics.cpu_percent(sample("v1-oneshot-idle-1.json"), sample("v1-oneshot-idle-2.json")) < 1


def test_per_core_values_add_up_to_the_total():
    first, second = sample("v1-oneshot-busy-1.json"), sample("v1-oneshot-busy-2.json")
    cores = metrics.cpu_percent_per_core(first, second)
    assert len(cores) == 2
    assert sum(cores) == pytest.approx(metrics.cpu_percent(first, second))


def test_v2_cpu_is_not_divided_by_the_cores():
    first, second = sample("v2-constructed-1.json"), sample("v2-constructed-2.json")
    assert metrics.cpu_percent(first, second) == pytest.approx(150.0)
    assert metrics.cpu_percent_per_core(first, second) is None


def test_with_host_divides_by_the_online_cpus():
    assert metrics.share_of_host(150.0, 4) == pytest.approx(37.5)
    assert metrics.share_of_host(150.0, None) is None


def test_a_changed_number_of_cores_gives_no_per_core_values():
    first, second = sample("v1-oneshot-busy-1.json"), sample("v1-oneshot-busy-2.json")
    hotplugged = metrics.Sample(**{**second.__dict__, "percpu": second.percpu + (0,)})
    assert metrics.cpu_percent_per_core(first, hotplugged) is None


# ---- disk and network -------------------------------------------------------------------------

def test_v1_disk_rates_over_two_devices():
    first = sample("v1-blkio-two-devices-1-constructed.json")
    second = sample("v1-blkio-two-devices-2-constructed.json")
    elapsed = seconds_between(first, second)
    assert metrics.per_second(first, second, "disk_read") == pytest.approx(409_600 / elapsed)
    assert metrics.per_second(first, second, "disk_write") == pytest.approx(204_800 / elapsed)


def test_v2_disk_and_network_rates():
    first, second = sample("v2-constructed-1.json"), sample("v2-constructed-2.json")
    rates = {counter: metrics.per_second(first, second, counter)
             for counter in ("disk_read", "disk_write", "rx_bytes", "tx_bytes", "rx_packets", "tx_packets")}
    assert rates == pytest.approx({"disk_read": 2_048_000, "disk_write": 512_000, "rx_bytes": 10_500,
                                   "tx_bytes": 2_000, "rx_packets": 105, "tx_packets": 20})


def test_recorded_traffic_of_an_http_server():
    first, second = sample("v1-oneshot-httpd-1.json"), sample("v1-oneshot-httpd-2.json")
    elapsed = seconds_between(first, second)
    assert metrics.per_second(first, second, "tx_bytes") == pytest.approx(
        (second.tx_bytes - first.tx_bytes) / elapsed)
    assert metrics.per_second(first, second, "tx_bytes") > 1_000_000  # the server sends the file
    assert metrics.per_second(first, second, "disk_read") == 0


# ---- no value rather than a wrong one ---------------------------------------------------------

@pytest.mark.parametrize("counter", ["cpu_total", "disk_read", "rx_bytes", "tx_packets"])
def test_counter_reset_gives_none_never_a_negative_rate(counter):
    first, second = sample("v2-constructed-1.json"), sample("v2-constructed-2.json")
    restarted = metrics.Sample(**{**second.__dict__, counter: 0})
    assert metrics.per_second(first, restarted, counter) is None


def test_non_positive_interval_gives_none():
    first = sample("v1-oneshot-busy-1.json")
    assert metrics.per_second(first, first, "cpu_total") is None
    assert metrics.cpu_percent(first, first) is None
    assert metrics.cpu_percent_per_core(first, first) is None
    assert metrics.cpu_percent(sample("v1-oneshot-busy-2.json"), first) is None


def test_per_core_reset_gives_none():
    first, second = sample("v1-oneshot-busy-1.json"), sample("v1-oneshot-busy-2.json")
    reset = metrics.Sample(**{**second.__dict__, "percpu": (0, second.percpu[1])})
    assert metrics.cpu_percent_per_core(first, reset) is None


# ---- host CPU over SNMP (docs/rules.md#cpu-usage) --------------------------------------------------------

def host(user, nice, system, idle, wait):
    return {"user": user, "nice": nice, "system": system, "idle": idle, "wait": wait}


def test_host_cpu_is_the_non_idle_share_of_all_ticks():
    before = host(26317, 10, 5000, 84801, 100)
    after = host(27059, 10, 5100, 84808, 100)  # 742 + 100 busy, 7 idle ticks
    assert metrics.host_cpu_percent(before, after) == pytest.approx(100 * (1 - 7 / 849))


def test_host_cpu_without_elapsed_ticks_or_after_a_wrap_is_none():
    before = host(26317, 10, 5000, 84801, 100)
    assert metrics.host_cpu_percent(before, before) is None
    assert metrics.host_cpu_percent(before, host(5, 10, 5100, 84900, 100)) is None
