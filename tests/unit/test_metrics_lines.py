"""The lines the rate monitors build from pairs of samples (no daemon): keys, order, option
defaults, --with-host scaling, --core on cgroup v2, and a container whose samples give no value."""
import argparse
import io
import json
from pathlib import Path

import pytest

from hinemos_docker import metrics
from hinemos_docker.cli import Console, build_parser
from hinemos_docker.commands import cpu, disk, network, rates
from hinemos_docker.errors import NotSupported, UsageError
from hinemos_docker.output import format_line

DATA = Path(__file__).resolve().parents[1] / "data" / "stats"


def sample(name):
    return metrics.sample_from_stats(json.loads((DATA / name).read_text()))


def interval(name, prefix, suffix=""):
    raw = json.loads((DATA / f"{prefix}-1{suffix}.json").read_text())
    container = {"Id": raw["id"], "Names": [f"/{name}"], "Status": "Up 2 hours"}
    return rates.Interval(container, sample(f"{prefix}-1{suffix}.json"), sample(f"{prefix}-2{suffix}.json"))


BUSY = interval("busy", "v1-oneshot-busy")
IDLE = interval("idle", "v1-oneshot-idle")
V2 = interval("web-v2", "v2-constructed")
BLKIO = interval("busy", "v1-blkio-two-devices", "-constructed")


def console():
    return Console("test", io.StringIO(), io.StringIO())


def _args(**options):
    return argparse.Namespace(**options)


def lines(measurements):
    return [format_line(m) for m in measurements]


def test_cpu_all_lines_by_container_name_in_the_given_order():
    got = lines(cpu.container_measurements(console(), [IDLE, BUSY], "all", with_host=False))
    assert [line.split(",")[0] for line in got] == ["cpu_usage:idle", "cpu_usage:busy"]
    assert got[1] == f"cpu_usage:busy,{metrics.cpu_percent(BUSY.before, BUSY.after):.2f}"


def test_cpu_core_lines_ascend_within_a_container():
    got = lines(cpu.container_measurements(console(), [BUSY, IDLE], "core", with_host=False))
    assert [line.split(",")[0] for line in got] == [
        "cpu_usage#0:busy", "cpu_usage#1:busy", "cpu_usage#0:idle", "cpu_usage#1:idle"]


def test_cpu_with_host_divides_by_the_online_cpus():
    plain = cpu.container_measurements(console(), [BUSY, V2], "all", with_host=False)
    shared = cpu.container_measurements(console(), [BUSY, V2], "all", with_host=True)
    assert shared[0].value == pytest.approx(plain[0].value / 2)
    assert shared[1].value == pytest.approx(plain[1].value / 4)


def test_core_on_cgroup_v2_is_one_clear_error():
    with pytest.raises(NotSupported, match="cgroup v2"):
        cpu.container_measurements(console(), [BUSY, V2], "core", with_host=False)


def test_container_whose_counters_went_back_gets_a_warning_not_a_line():
    restarted = rates.Interval(BUSY.container, BUSY.after, BUSY.before)
    out = console()
    got = cpu.container_measurements(out, [restarted, IDLE], "all", with_host=False)
    assert [m.key for m in got] == ["cpu_usage:idle"]
    assert "no value for busy" in out.err.getvalue()
    assert rates.rate_measurements(out, [restarted], disk.counters(_args(read=False, write=False))) == []


@pytest.mark.parametrize("argv, with_host_ok", [
    ([], True), (["--all"], True), (["--core"], False), (["-c", "abc"], False), (["-n", "web*"], False),
])
def test_with_host_only_over_all_containers_in_all_mode(argv, with_host_ok):
    parser = build_parser(cpu.COMMAND)
    parser.check_rules(parser.parse_args(["-k", "K", *argv]))
    with_host = parser.parse_args(["-k", "K", "--with-host", *argv])
    if with_host_ok:
        parser.check_rules(with_host)
    else:
        with pytest.raises(UsageError, match="--with-host cannot be combined with -c, -n or --core"):
            parser.check_rules(with_host)


@pytest.mark.parametrize("read, write, prefixes", [
    (False, False, ["disk_read", "disk_write"]),
    (True, False, ["disk_read"]),
    (False, True, ["disk_write"]),
    (True, True, ["disk_read", "disk_write"]),
])
def test_disk_options(read, write, prefixes):
    got = rates.rate_measurements(console(), [BLKIO], disk.counters(_args(read=read, write=write)))
    short = BLKIO.container_id[:8]
    assert [m.key for m in got] == [f"{prefix}:{short}" for prefix in prefixes]
    elapsed = (BLKIO.after.read_ns - BLKIO.before.read_ns) / 1e9
    expected = {"disk_read": 409_600 / elapsed, "disk_write": 204_800 / elapsed}
    assert [m.value for m in got] == pytest.approx([expected[prefix] for prefix in prefixes])


@pytest.mark.parametrize("options, prefixes", [
    ({}, ["nw_rxkb", "nw_txkb"]),
    ({"pck": True}, ["nw_rxpck", "nw_txpck"]),
    ({"tx": True}, ["nw_txkb"]),
    ({"rx": True, "pck": True}, ["nw_rxpck"]),
    ({"tx": True, "rx": True, "kb": True}, ["nw_rxkb", "nw_txkb"]),
    ({"kb": True, "pck": True}, ["nw_rxkb", "nw_txkb", "nw_rxpck", "nw_txpck"]),
])
def test_network_options(options, prefixes):
    args = _args(**{"kb": False, "pck": False, "rx": False, "tx": False, **options})
    got = rates.rate_measurements(console(), [V2, BUSY], network.counters(args))
    assert [m.key for m in got] == [f"{prefix}:{i.container_id[:8]}"
                                    for i in (V2, BUSY) for prefix in prefixes]
    v2_rates = {"nw_rxkb": 10_500, "nw_txkb": 2_000, "nw_rxpck": 105, "nw_txpck": 20}
    assert [m.value for m in got[:len(prefixes)]] == pytest.approx([v2_rates[p] for p in prefixes])


def test_state_keeps_the_newest_sample_of_measured_containers_only():
    data = rates.state_data([BUSY, V2], host_cpu={"user": 1})
    assert set(data["containers"]) == {BUSY.container_id, V2.container_id}
    assert metrics.sample_from_state(data["containers"][BUSY.container_id]) == BUSY.after
    assert data["host_cpu"] == {"user": 1}
