"""The event monitor's pure rules: windows, exactly-once across runs, state, lines."""
import json
import random
from calendar import timegm
from datetime import datetime
from pathlib import Path

import pytest

from hinemos_docker import daemon_time, events
from hinemos_docker.daemon_time import NS_PER_S
from hinemos_docker.events import Window

DATA = Path(__file__).resolve().parents[1] / "data" / "events"
LIFECYCLE = [json.loads(line)
             for line in (DATA / "container_lifecycle.jsonl").read_text("utf-8").splitlines()]
DAEMON = "L5NI:Q352:XDE6"
T0 = 1_795_881_600 * NS_PER_S


# ---- a model of moby's event buffer (daemon/events/events.go), to run the rules against -------

def parse_docker_timestamp(text):
    """moby's timetypes.ParseTimestamps: SECONDS[.FRACTION], the fraction scaled to ns."""
    seconds, _, fraction = text.partition(".")
    return int(seconds) * NS_PER_S + (int(fraction.ljust(9, "0")[:9]) if fraction else 0)


class FakeDaemon:
    """Events stamped when logged and visible once published; a query returns the published ones
    with since <= time <= until. An old daemon (`seconds_only`) sends no timeNano and compares
    whole seconds."""

    def __init__(self, seconds_only=False):
        self.seconds_only = seconds_only
        self.published = []

    def publish(self, stamp_ns, name):
        event = {"Type": "container", "Action": name, "Actor": {"ID": name}, "time": stamp_ns // NS_PER_S}
        if not self.seconds_only:
            event["timeNano"] = stamp_ns
        self.published.append(event)

    def query(self, since, until):
        since_ns, until_ns = parse_docker_timestamp(since), parse_docker_timestamp(until)
        if self.seconds_only:
            return [e for e in self.published
                    if since_ns // NS_PER_S <= e["time"] <= until_ns // NS_PER_S]
        return [e for e in self.published if since_ns <= e["timeNano"] <= until_ns]


def run_monitor(daemon, state, now_ns, delivered=True):
    """One run as the command does it: plan, query, select, save only when delivered."""
    window, _ = events.plan_window(state, DAEMON, now_ns)
    returned = daemon.query(*(daemon_time.docker_timestamp(ns) for ns in (window.since, window.until)))
    fresh = events.new_events(returned, window)
    if not delivered:
        return state, []
    return events.state_after(window, returned, DAEMON), [e["Action"] for e in fresh]


def replay(timeline, seconds_only=False):
    """Every name reported, in order, over a timeline of ("publish", stamp, name) and
    ("run", now, delivered) steps."""
    daemon, state, reported = FakeDaemon(seconds_only), {}, []
    for step in timeline:
        if step[0] == "publish":
            daemon.publish(step[1], step[2])
        else:
            state, names = run_monitor(daemon, state, step[1], delivered=step[2])
            reported += names
    return reported


@pytest.mark.parametrize("seconds_only", [False, True], ids=["nanoseconds", "seconds-only daemon"])
def test_each_event_is_reported_once_at_window_edges(seconds_only):
    until1 = T0 + 10 * NS_PER_S + 500
    timeline = [
        ("publish", T0 - 301 * NS_PER_S, "too-old-for-a-first-run"),
        ("publish", T0 - 299 * NS_PER_S, "within-first-window"),
        ("run", T0, True),
        ("publish", T0 + 1, "just-after-first-end"),
        ("publish", until1, "exactly-at-the-end"),
        ("run", until1, True),
        # stamped before the previous end, published (buffered) only after that query
        ("publish", until1 - 300_000_000, "published-late"),
        ("publish", until1 + 1, "one-ns-later"),
        ("run", until1 + 200_000_000, True),  # a run less than a second later
        ("publish", T0 + 20 * NS_PER_S, "before-a-failed-run"),
        ("run", T0 + 21 * NS_PER_S, False),  # a destination failed: the window stays
        ("publish", T0 + 22 * NS_PER_S, "after-a-failed-run"),
        ("run", T0 + 23 * NS_PER_S, True),
        ("run", T0 + 23 * NS_PER_S, True),  # same instant again: nothing new
    ]
    assert replay(timeline, seconds_only) == [
        "within-first-window", "just-after-first-end", "exactly-at-the-end", "published-late",
        "one-ns-later", "before-a-failed-run", "after-a-failed-run"]


@pytest.mark.parametrize("seconds_only", [False, True], ids=["nanoseconds", "seconds-only daemon"])
@pytest.mark.parametrize("seed", range(25))
def test_random_timelines_report_every_event_exactly_once(seed, seconds_only):
    rng = random.Random(seed)
    now, timeline, names = T0, [("run", T0, True)], []
    for run in range(30):
        for n in range(rng.randrange(0, 6)):
            # stamped up to 0.8 s before it becomes visible; some land exactly on a run's end
            stamp = now - rng.choice([0, 0, rng.randrange(1, 800_000_000)])
            name = f"e{run}-{n}"
            timeline.append(("publish", max(stamp, T0 + 1), name))
            names.append(name)
        now += rng.choice([1, 1000, 300_000_000, NS_PER_S, 7 * NS_PER_S])
        timeline.append(("run", now, rng.random() > 0.2))
    timeline.append(("run", now + 2 * NS_PER_S, True))
    reported = replay(timeline, seconds_only)
    assert sorted(reported) == sorted(names)


def test_first_run_reads_the_last_300_seconds():
    window, note = events.plan_window({}, DAEMON, T0)
    assert window == Window(T0 - 300 * NS_PER_S, T0) and note is None


def test_next_run_starts_one_second_before_the_previous_end_and_skips_what_it_saw():
    previous = {"daemon": DAEMON, "until": T0, "boundary": ["k1"]}
    window, note = events.plan_window(previous, DAEMON, T0 + 60 * NS_PER_S)
    assert window == Window(T0 - NS_PER_S, T0 + 60 * NS_PER_S, frozenset({"k1"})) and note is None


@pytest.mark.parametrize("previous, reason", [
    ({"daemon": "other", "until": T0, "boundary": []}, "another Docker daemon"),
    ({"daemon": DAEMON, "until": T0 + NS_PER_S, "boundary": []}, "clock set back"),
    ({"daemon": DAEMON, "until": "yesterday", "boundary": []}, "no event window"),
    ({"samples": {}}, "no event window"),
])
def test_unusable_state_starts_afresh_with_a_note(previous, reason):
    window, note = events.plan_window(previous, DAEMON, T0)
    assert window == Window(T0 - 300 * NS_PER_S, T0)
    assert reason in note


def test_state_keeps_the_end_and_the_keys_of_its_last_second():
    daemon = FakeDaemon()
    for offset, name in ((-NS_PER_S - 1, "older"), (-NS_PER_S, "edge"), (0, "at-end")):
        daemon.publish(T0 + offset, name)
    state = events.state_after(Window(T0 - 5 * NS_PER_S, T0), daemon.published, DAEMON)
    assert state == {"daemon": DAEMON, "until": T0, "boundary": sorted(
        events.event_key(e) for e in daemon.published[1:])}
    assert json.loads(json.dumps(state)) == state


def test_daemon_time_parses_rfc3339_with_nanoseconds():
    base = timegm((2026, 11, 28, 16, 1, 36)) * NS_PER_S
    assert daemon_time.rfc3339_ns("2026-11-28T16:01:36.335571527Z") == base + 335571527
    assert daemon_time.rfc3339_ns("2026-11-28T16:01:36.3Z") == base + 300_000_000
    assert daemon_time.rfc3339_ns("2026-11-28T16:01:36Z") == base
    assert daemon_time.rfc3339_ns("2026-11-29T01:01:36.5+09:00") == base + 500_000_000
    assert daemon_time.rfc3339_ns("2026-11-28T11:31:36-04:30") == base
    for text in ("", "28 Nov 2026"):
        with pytest.raises(ValueError):
            daemon_time.rfc3339_ns(text)


def test_docker_timestamp_keeps_nanoseconds():
    assert daemon_time.docker_timestamp(1795881693080767476) == "1795881693.080767476"
    assert daemon_time.docker_timestamp(5 * NS_PER_S + 7) == "5.000000007"
    assert parse_docker_timestamp(daemon_time.docker_timestamp(1795881693080767476)) == 1795881693080767476


def test_recorded_events_have_distinct_keys_and_nanosecond_times():
    keys = [events.event_key(e) for e in LIFECYCLE]
    assert len(set(keys)) == len(LIFECYCLE) == 9  # stop -t 0 logs two kill events
    assert events.event_time_ns(LIFECYCLE[0]) == 1795881693080767476
    old_style = {"status": "die", "id": "d7ee4dbeeddc", "from": "httpd:2.4", "time": 1441527846}
    assert events.event_time_ns(old_style) == 1441527846 * NS_PER_S
    assert events.event_key(old_style) == f"{1441527846 * NS_PER_S}::die:d7ee4dbeeddc"


def test_possibly_truncated_near_the_daemons_256_event_buffer():
    assert not events.possibly_truncated(100)
    assert events.possibly_truncated(256)
    assert events.possibly_truncated(250)


@pytest.mark.parametrize("docker_ip, base_url, hostname", [
    ("docker_host1", "http://docker_host1:2375", "docker_host1"),
    ("100.74.26.24", "http://100.74.26.24:2375", "100.74.26.24"),
    ("Docker_Host1", "http://Docker_Host1:2375", "Docker_Host1"),  # kept as given
    ("tcp://docker_host2:4243", "http://docker_host2:4243", "docker_host2"),
    ("unix:///var/run/docker.sock", "unix:///var/run/docker.sock", "127.0.0.1"),
    (None, "http://127.0.0.1:2375", "127.0.0.1"),
    (None, "https://dockerhost:2376", "dockerhost"),  # from DOCKER_HOST
    ("docker_host1:4243", "http://docker_host1:4243", "docker_host1"),  # -i HOST:PORT
    ("[::1]:2375", "http://[::1]:2375", "::1"),
])
def test_syslog_hostname_is_the_i_host(docker_ip, base_url, hostname):
    assert events.syslog_hostname(docker_ip, base_url) == hostname


def test_event_json_is_compact_ascii_in_the_daemons_order():
    text = events.event_json(LIFECYCLE[0])
    assert text.startswith('{"status":"create","id":"8ce0a1f44e72')
    assert " " not in text and "\n" not in text and text.isascii()
    assert '"note":"\\u65e5\\u672c\\u8a9e"' in text
    assert json.loads(text) == LIFECYCLE[0]


def test_event_line_and_message_carry_the_events_local_time():
    die = next(e for e in LIFECYCLE if e["Action"] == "die")
    when = datetime.fromtimestamp(die["time"])
    assert events.event_line(die, "docker_host1") == (
        f"{when:%Y-%m-%d %H:%M:%S} docker_host1 {events.event_json(die)}")
    message = events.event_message(die, "docker_host1")
    assert (message.timestamp, message.hostname, message.text) == (
        when, "docker_host1", events.event_json(die))
