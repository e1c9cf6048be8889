"""Pure metrics of the rate monitors (CPU, disk, network): a Sample of cumulative counters from the
stats JSON of cgroup v1 or v2, and the rates and percentages between two samples
(docs/rules.md#cpu-usage, docs/rules.md#disk-rates, docs/rules.md#network-rates).

No I/O here. A rate is None whenever it cannot be trusted (a counter went backwards, the interval
is not positive, a figure is missing), so that no negative or made-up value reaches Hinemos.
"""
import enum
import re
from dataclasses import dataclass, fields
from typing import Optional

from .daemon_time import NS_PER_S, rfc3339_ns


@dataclass(frozen=True)
class Sample:
    """Cumulative counters of one container at the daemon's `read` time (ns since the epoch).

    CPU in ns (percpu is None on cgroup v2, which has no per-CPU figures); disk in bytes summed
    over devices; network in bytes and packets summed over interfaces (0 without any interface,
    as `docker stats` shows for --network none or host).
    """

    read_ns: int
    cpu_total: int
    percpu: Optional[tuple]
    online_cpus: Optional[int]
    disk_read: int
    disk_write: int
    rx_bytes: int
    tx_bytes: int
    rx_packets: int
    tx_packets: int


COUNTERS = ("cpu_total", "disk_read", "disk_write", "rx_bytes", "tx_bytes", "rx_packets", "tx_packets")


def _blkio_bytes(stats, op):
    """Bytes of one direction summed over devices: cgroup v1 says `Read`/`Write`, v2 `read`/`write`."""
    entries = (stats.get("blkio_stats") or {}).get("io_service_bytes_recursive") or []
    return sum(entry.get("value") or 0 for entry in entries if (entry.get("op") or "").lower() == op)


def _network_interfaces(stats):
    """The per-interface counters: `networks` (API 1.21+) or the single `network` of older daemons."""
    if stats.get("networks"):
        return list(stats["networks"].values())
    return [stats["network"]] if stats.get("network") else []


def sample_from_stats(stats):
    """The Sample of one stats answer (one-shot or classic), or None when the container is not
    running (the daemon then answers with a zero read time and no figures)."""
    read_ns = rfc3339_ns(stats.get("read"))
    if read_ns is None:
        return None
    cpu_usage = (stats.get("cpu_stats") or {}).get("cpu_usage") or {}
    if not isinstance(cpu_usage.get("total_usage"), int):
        raise ValueError("stats without cpu_stats.cpu_usage.total_usage")
    percpu = cpu_usage.get("percpu_usage")
    interfaces = _network_interfaces(stats)

    def network(counter):
        return sum(interface.get(counter) or 0 for interface in interfaces)

    return Sample(
        read_ns=read_ns,
        cpu_total=cpu_usage["total_usage"],
        percpu=tuple(percpu) if percpu else None,
        online_cpus=(stats.get("cpu_stats") or {}).get("online_cpus") or (len(percpu) if percpu else None),
        disk_read=_blkio_bytes(stats, "read"),
        disk_write=_blkio_bytes(stats, "write"),
        rx_bytes=network("rx_bytes"),
        tx_bytes=network("tx_bytes"),
        rx_packets=network("rx_packets"),
        tx_packets=network("tx_packets"),
    )


# ---- samples kept in the -k state file ------------------------------------------------------

def sample_to_state(sample):
    """A JSON-ready dict of a Sample (field by field: asdict would deep-copy every value)."""
    data = {field.name: getattr(sample, field.name) for field in fields(Sample)}
    data["percpu"] = list(sample.percpu) if sample.percpu is not None else None
    return data


def sample_from_state(data):
    """The Sample kept by a previous run, or None when the entry is not one (an older or edited
    file): the run then takes its own second sample instead of trusting it."""
    names = [field.name for field in fields(Sample)]
    if not isinstance(data, dict) or sorted(data) != sorted(names):
        return None
    percpu = data["percpu"]
    integers = [data[name] for name in names if name not in ("percpu", "online_cpus")]
    if not all(_is_count(value) for value in integers):
        return None
    if percpu is not None and not (isinstance(percpu, list) and all(_is_count(v) for v in percpu)):
        return None
    if data["online_cpus"] is not None and not _is_count(data["online_cpus"]):
        return None
    return Sample(**dict(data, percpu=tuple(percpu) if percpu is not None else None))


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# ---- is the previous sample usable? -----------------------------------------------------------

_UPTIME_RE = re.compile(r"^Up (?:(Less than a second)|About an? (minute|hour)|(\d+) (second|minute|hour|"
                        r"day|week|month|year)s?)\b")
_HOUR = 3600
# [low, high) seconds behind each phrase of docker's HumanDuration (github.com/docker/go-units,
# duration.go), as the union over the versions daemons ship: older ones truncate hours where newer
# ones round them (hours from N - 0.5), and for a while "About an hour" began at 46 minutes
_RANGES = {
    "second": lambda n: (n, n + 1),
    "minute": lambda n: (60 * n, 60 * n + 60),
    "hour": lambda n: ((n - 0.5) * _HOUR, (n + 1) * _HOUR),
    "day": lambda n: ((24 * n - 0.5) * _HOUR, (24 * n + 24) * _HOUR),
    "week": lambda n: ((168 * n - 0.5) * _HOUR, (168 * n + 168) * _HOUR),
    "month": lambda n: ((720 * n - 0.5) * _HOUR, (720 * n + 720) * _HOUR),
    "year": lambda n: (8760 * n * _HOUR, (8760 * n + 8760) * _HOUR),
}
_ABOUT = {"minute": (60, 120), "hour": (46 * 60, 2 * _HOUR)}


def uptime_range(status):
    """(low, high): the container has been up at least `low` and less than `high` seconds when the
    daemon wrote its docker-ps Status (`Up 3 minutes`, `Up About an hour (healthy)`); None when
    the text says nothing usable."""
    match = _UPTIME_RE.match(status or "")
    if not match:
        return None
    if match.group(1):
        return 0, 1
    if match.group(2):
        return _ABOUT[match.group(2)]
    return _RANGES[match.group(4)](int(match.group(3)))


def counters_went_back(before, after):
    """True when any counter of `after` is below that of `before` (a restart, a new cgroup, an
    interface that went away)."""
    if any(getattr(after, name) < getattr(before, name) for name in COUNTERS):
        return True
    if before.percpu is not None and after.percpu is not None and len(before.percpu) == len(after.percpu):
        return any(a < b for a, b in zip(after.percpu, before.percpu))
    return False


class Continuity(enum.Enum):
    """Whether a previous sample and this run's sample measure the same run of a container."""

    SAME_RUN = "same run"
    NEW_RUN = "new run"  # or no previous sample: take a second one
    ASK_START = "ask the start time"  # the Status cannot tell: compare State.StartedAt


def continuity(before, after, status, listed_within_ns):
    """Does `after` continue `before`? It must be a later read with no counter gone back, and the
    container must have been up since `before` was read. The Status
    gives the uptime as a range at the listing, which came at most `listed_within_ns` before
    `after` was read: a low end covering the interval proves the same run, a high end inside it
    proves a restart, anything between is settled by the start time (never by a guess, never by
    a second sample)."""
    if before is None or after.read_ns <= before.read_ns or counters_went_back(before, after):
        return Continuity.NEW_RUN
    uptime = uptime_range(status)
    if uptime is None:
        return Continuity.ASK_START
    interval = after.read_ns - before.read_ns
    low, high = (bound * NS_PER_S for bound in uptime)
    if low >= interval:
        return Continuity.SAME_RUN
    if high + listed_within_ns <= interval:
        return Continuity.NEW_RUN
    return Continuity.ASK_START


def started_by(before, started_at):
    """Continuity from the container's State.StartedAt (RFC 3339, the daemon's clock like `read`):
    the same run when it started no later than `before` was read."""
    started_ns = rfc3339_ns(started_at)
    if started_ns is not None and started_ns <= before.read_ns:
        return Continuity.SAME_RUN
    return Continuity.NEW_RUN


# ---- rates and percentages --------------------------------------------------------------------

def per_second(before, after, counter):
    """Δcounter / Δread in units per second; None when a counter went back or the interval is not
    positive."""
    interval = after.read_ns - before.read_ns
    delta = getattr(after, counter) - getattr(before, counter)
    if interval <= 0 or delta < 0:
        return None
    return delta * NS_PER_S / interval


def cpu_percent(before, after):
    """100 × Δtotal_usage / Δread, not divided by the number of cores."""
    rate = per_second(before, after, "cpu_total")
    return None if rate is None else 100 * rate / NS_PER_S


def cpu_percent_per_core(before, after):
    """[100 × Δpercpu_usage[i] / Δread for each core i]; None without per-CPU figures (cgroup v2),
    when the number of cores changed, a counter went back or the interval is not positive."""
    interval = after.read_ns - before.read_ns
    if before.percpu is None or after.percpu is None or len(before.percpu) != len(after.percpu):
        return None
    deltas = [a - b for a, b in zip(after.percpu, before.percpu)]
    if interval <= 0 or any(delta < 0 for delta in deltas):
        return None
    return [100 * delta / interval for delta in deltas]


def share_of_host(percent, online_cpus):
    """A container's CPU percent as a percent of the whole host (--with-host); None
    when the daemon did not say how many CPUs are online."""
    return percent / online_cpus if online_cpus else None


HOST_CPU_COUNTERS = ("user", "nice", "system", "idle", "wait")


def host_cpu_percent(before, after):
    """100 × (1 − Δidle / Δ(user+nice+system+idle+wait)) from UCD-SNMP ssCpuRaw* counters
    (docs/rules.md#cpu-usage); None when a counter went back (wrap, agent restart) or nothing elapsed."""
    deltas = {name: after[name] - before[name] for name in HOST_CPU_COUNTERS}
    total = sum(deltas.values())
    if total <= 0 or any(delta < 0 for delta in deltas.values()):
        return None
    return 100 * (1 - deltas["idle"] / total)


def host_counters_from_state(data):
    """ssCpuRaw* counters kept by a previous run, or None when the entry is not one."""
    if not isinstance(data, dict) or sorted(data) != sorted(HOST_CPU_COUNTERS):
        return None
    return data if all(_is_count(data[name]) for name in HOST_CPU_COUNTERS) else None
