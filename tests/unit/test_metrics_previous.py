"""Whether a previous sample may be used (docs/rules.md#previous-sample): the state-file form of a
Sample, a restart told from the docker-ps Status or from counters that went back."""
import json
import time
from pathlib import Path

import pytest

from hinemos_docker import daemon_time, metrics

DATA = Path(__file__).resolve().parents[1] / "data" / "stats"


def sample(name):
    return metrics.sample_from_stats(json.loads((DATA / name).read_text()))


BUSY_1, BUSY_2 = sample("v1-oneshot-busy-1.json"), sample("v1-oneshot-busy-2.json")
V2_1 = sample("v2-constructed-1.json")


def later(base, seconds, **counters):
    return metrics.Sample(**{**base.__dict__, "read_ns": base.read_ns + int(seconds * 1e9), **counters})


# ---- state-file form --------------------------------------------------------------------------

@pytest.mark.parametrize("kept", [BUSY_1, V2_1], ids=["v1", "v2"])
def test_sample_survives_the_state_file(kept):
    text = json.dumps(metrics.sample_to_state(kept))
    assert metrics.sample_from_state(json.loads(text)) == kept


@pytest.mark.parametrize("change", [
    lambda d: d.pop("cpu_total"),
    lambda d: d.update(extra=1),
    lambda d: d.update(cpu_total=-1),
    lambda d: d.update(cpu_total="12"),
    lambda d: d.update(cpu_total=True),
    lambda d: d.update(cpu_total=1.5),
    lambda d: d.update(percpu="0,1"),
    lambda d: d.update(percpu=[1, None]),
    lambda d: d.update(online_cpus="2"),
], ids=["missing", "extra", "negative", "string", "bool", "float", "percpu-text", "percpu-null",
        "online-text"])
def test_an_entry_that_is_not_a_sample_is_ignored(change):
    data = metrics.sample_to_state(BUSY_1)
    change(data)
    assert metrics.sample_from_state(data) is None


@pytest.mark.parametrize("data", [None, [], "x", 3])
def test_non_dict_entries_are_ignored(data):
    assert metrics.sample_from_state(data) is None


def test_host_counters_from_state():
    counters = {"user": 1, "nice": 2, "system": 3, "idle": 4, "wait": 5}
    assert metrics.host_counters_from_state(counters) == counters
    assert metrics.host_counters_from_state({**counters, "idle": -4}) is None
    assert metrics.host_counters_from_state({"user": 1}) is None
    assert metrics.host_counters_from_state(None) is None


# ---- uptime from the Status -------------------------------------------------------------------

HOUR = 3600


def human_duration(seconds, variant):
    """docker's HumanDuration (github.com/docker/go-units, duration.go) as daemons have shipped it:
    "truncating" (before late 2016: whole hours, weeks up to 90 days, plural "1 seconds"),
    "46-minutes" (late 2016 to 2019: rounded hours, "About an hour" from 46 minutes) and "rounding"
    (2019 on). Go's int() truncates, as int() does here for positive values."""
    if int(seconds) < 1:
        return "Less than a second"
    if int(seconds) == 1 and variant != "truncating":
        return "1 second"
    if int(seconds) < 60:
        return f"{int(seconds)} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < (46 if variant == "46-minutes" else 60):
        return f"{minutes} minutes"
    hours = int(seconds / HOUR) if variant == "truncating" else int(seconds / HOUR + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * (3 if variant == "truncating" else 2):
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds / HOUR) // 24 // 365} years"


def durations():
    """Up to 5 years: every second of the first two hours, every phrase boundary of every variant
    (whole and half hours up to 2 days, whole and half days after) and either side of it, and a
    dense geometric sweep."""
    points = set(range(0, 2 * HOUR + 1))
    edges = [hours * HOUR for hours in range(1, 49)] + [days * 24 * HOUR for days in range(2, 5 * 366)]
    for edge in edges:
        for near in (edge - HOUR / 2, edge, edge + HOUR / 2):
            points.update((near - 0.001, near, near + 0.001))
    value = 1.0
    while value < 5 * 8760 * HOUR:
        points.add(value)
        value *= 1.0007
    return sorted(point for point in points if point >= 0)


@pytest.mark.parametrize("variant", ["truncating", "46-minutes", "rounding"])
def test_every_phrase_stands_for_a_range_holding_the_true_uptime(variant):
    seen = set()
    for seconds in durations():
        phrase = human_duration(seconds, variant)
        low, high = metrics.uptime_range(f"Up {phrase}")
        assert low <= seconds < high, (phrase, seconds)
        seen.add(phrase.split()[-1].rstrip("s"))
    # every kind of phrase was produced, so every branch of uptime_range was checked
    assert seen == {"second", "minute", "hour", "day", "week", "month", "year"}


@pytest.mark.parametrize("status, low, high", [
    ("Up Less than a second", 0, 1),
    ("Up 1 second", 1, 2),
    ("Up 1 seconds", 1, 2),
    ("Up 42 seconds", 42, 43),
    ("Up About a minute", 60, 120),
    ("Up 5 minutes", 300, 360),
    ("Up 5 minutes (healthy)", 300, 360),
    ("Up 59 minutes (Paused)", 3540, 3600),
    ("Up About an hour", 46 * 60, 2 * HOUR),
    ("Up 3 hours", 2.5 * HOUR, 4 * HOUR),
    ("Up 2 days (unhealthy)", 47.5 * HOUR, 72 * HOUR),
    ("Up 3 weeks (health: starting)", (504 - 0.5) * HOUR, 672 * HOUR),
    ("Up 4 months", (2880 - 0.5) * HOUR, 3600 * HOUR),
    ("Up 1 years", 8760 * HOUR, 17520 * HOUR),
    ("Up 2 years", 2 * 8760 * HOUR, 3 * 8760 * HOUR),
])
def test_uptime_range(status, low, high):
    assert metrics.uptime_range(status) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize("status", ["", None, "Exited (0) 3 minutes ago", "Restarting (1) 2 seconds ago",
                                    "Created", "Up forever", "Up 2.000000 years", "Removal In Progress"])
def test_status_without_an_uptime(status):
    assert metrics.uptime_range(status) is None


# ---- does the previous sample continue into this one? -----------------------------------------

SAME, NEW, ASK = metrics.Continuity.SAME_RUN, metrics.Continuity.NEW_RUN, metrics.Continuity.ASK_START
LISTED_WITHIN = 50_000_000  # the listing came at most 50 ms before this run's sample


def continuity(before, after, status, listed_within_ns=LISTED_WITHIN):
    return metrics.continuity(before, after, status, listed_within_ns)


def test_first_run_has_nothing_to_continue():
    assert continuity(None, BUSY_2, "Up 3 hours") is NEW


def test_sample_of_the_same_run_continues():
    assert continuity(BUSY_1, BUSY_2, "Up 5 minutes") is SAME


def test_a_steady_run_just_past_a_whole_minute_needs_no_second_sample():
    # cron every 5 minutes: 300.4 s between the samples of a container up "5 minutes" (300-359 s).
    # Read as its lower bound the phrase could not vouch for the previous sample; read as the
    # range it stands for it cannot rule it out either, so the start time settles it
    now = later(BUSY_1, 300.4, cpu_total=BUSY_1.cpu_total + 1)
    assert continuity(BUSY_1, now, "Up 5 minutes") is ASK
    assert continuity(BUSY_1, now, "Up 6 minutes") is SAME


def test_a_phrase_whose_whole_range_falls_inside_the_interval_proves_a_restart():
    # 300 s between the samples, but up less than 4 minutes + the listing delay: it restarted in
    # between, even though every counter grew
    now = later(BUSY_1, 300, cpu_total=BUSY_1.cpu_total * 3)
    assert continuity(BUSY_1, now, "Up 3 minutes") is NEW
    assert continuity(BUSY_1, now, "Up Less than a second") is NEW
    # "4 minutes" is 240-299 s at the listing, up to 50 ms before `now`: a start 300.05 s before
    # `now` cannot be excluded
    assert continuity(BUSY_1, now, "Up 4 minutes") is ASK
    assert continuity(BUSY_1, now, "Up 4 minutes", listed_within_ns=0) is NEW


def test_a_status_without_an_uptime_asks_for_the_start_time():
    now = later(BUSY_1, 60, cpu_total=BUSY_1.cpu_total + 1)
    assert continuity(BUSY_1, now, "Up and away") is ASK
    assert continuity(BUSY_1, now, None) is ASK


def test_started_by_compares_the_start_with_the_previous_read():
    read = BUSY_1.read_ns
    assert metrics.started_by(BUSY_1, "2001-01-01T00:00:00Z") is SAME
    assert metrics.started_by(BUSY_1, "2099-01-01T00:00:00Z") is NEW
    # nanosecond precision, both times on the daemon's clock
    assert daemon_time.rfc3339_ns(time_text(read)) == read
    assert metrics.started_by(BUSY_1, time_text(read)) is SAME
    assert metrics.started_by(BUSY_1, time_text(read + 1)) is NEW
    # Go's zero time: the daemon does not know when it started
    assert metrics.started_by(BUSY_1, "0001-01-01T00:00:00Z") is NEW


def time_text(ns):
    seconds, fraction = divmod(ns, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{fraction:09d}Z"


def test_a_counter_that_went_back_does_not_continue():
    for counter in ("cpu_total", "rx_bytes", "disk_write"):
        assert continuity(V2_1, later(V2_1, 60, **{counter: 0}), "Up 3 hours") is NEW
    core_back = later(BUSY_1, 60, cpu_total=BUSY_1.cpu_total + 5, percpu=(0, BUSY_1.percpu[1] + 5))
    assert continuity(BUSY_1, core_back, "Up 3 hours") is NEW


def test_an_older_or_same_read_does_not_continue():
    assert continuity(BUSY_2, BUSY_1, "Up 3 hours") is NEW
    assert continuity(BUSY_1, BUSY_1, "Up 3 hours") is NEW

