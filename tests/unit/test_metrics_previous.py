"""Whether a previous sample may be used (docs/rules.md#previous-sample): the state-file form of a
Sample, a restart told from the docker-ps Status or from counters that went back."""
import json
from pathlib import Path

import pytest

from hinemos_docker import metrics

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

@pytest.mark.parametrize("status, seconds", [
    ("Up Less than a second", 0),
    ("Up 1 second", 1),
    ("Up 42 seconds", 42),
    ("Up About a minute", 60),
    ("Up 5 minutes", 300),
    ("Up 5 minutes (healthy)", 300),
    ("Up 59 minutes (Paused)", 3540),
    ("Up About an hour", 3600),
    ("Up 3 hours", 2.5 * 3600),
    ("Up 2 days (unhealthy)", 47.5 * 3600),
    ("Up 3 weeks", (504 - 0.5) * 3600),
    ("Up 4 months", (2880 - 0.5) * 3600),
    ("Up 2 years", 2 * 8760 * 3600),
])
def test_running_at_least(status, seconds):
    assert metrics.running_at_least(status) == pytest.approx(seconds)


@pytest.mark.parametrize("status", ["", None, "Exited (0) 3 minutes ago", "Restarting (1) 2 seconds ago",
                                    "Created", "Up forever"])
def test_status_without_an_uptime(status):
    assert metrics.running_at_least(status) is None


# ---- does the previous sample continue into this one? -----------------------------------------

def test_first_run_has_nothing_to_continue():
    assert not metrics.continues(None, BUSY_2, "Up 3 hours")


def test_sample_of_the_same_run_continues():
    assert metrics.continues(BUSY_1, BUSY_2, "Up 5 minutes")


def test_container_started_after_the_previous_sample_does_not_continue():
    # 300 s between the samples, but up for (at least) 4 minutes only: it restarted in between,
    # even though every counter grew
    now = later(BUSY_1, 300, cpu_total=BUSY_1.cpu_total * 3)
    assert not metrics.continues(BUSY_1, now, "Up 4 minutes")
    assert metrics.continues(BUSY_1, now, "Up 6 minutes")


def test_an_uncertain_uptime_errs_towards_a_fresh_sample():
    # "5 minutes" is 300-359 s: with 301 s elapsed the restart cannot be ruled out
    now = later(BUSY_1, 301, cpu_total=BUSY_1.cpu_total + 1)
    assert not metrics.continues(BUSY_1, now, "Up 5 minutes")
    assert not metrics.continues(BUSY_1, now, "Up and away")


def test_a_counter_that_went_back_does_not_continue():
    for counter in ("cpu_total", "rx_bytes", "disk_write"):
        assert not metrics.continues(V2_1, later(V2_1, 60, **{counter: 0}), "Up 3 hours")
    core_back = later(BUSY_1, 60, cpu_total=BUSY_1.cpu_total + 5, percpu=(0, BUSY_1.percpu[1] + 5))
    assert not metrics.continues(BUSY_1, core_back, "Up 3 hours")


def test_an_older_or_same_read_does_not_continue():
    assert not metrics.continues(BUSY_2, BUSY_1, "Up 3 hours")
    assert not metrics.continues(BUSY_1, BUSY_1, "Up 3 hours")
