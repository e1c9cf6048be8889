"""Pure rules of the event monitor (docs/rules.md#event-window): which window of Docker events a
run reads, which of them are new, what the -k state keeps, and how an event is written.

Exactly once across runs. The daemon's GET /events?since=S&until=U returns its buffered events
with S <= timeNano <= U (both ends inclusive, nanoseconds; moby daemon/events). A run reads
[previous end - OVERLAP, now] and drops the events it remembers from the previous run's last
OVERLAP ns; so an event stamped just before the previous end but published to the buffer after
that query, or one a second-precision daemon would return twice, is still reported exactly once.
`now` is the daemon's own clock (/info SystemTime), so a skewed clock never makes the call wait.
"""
import json
from dataclasses import dataclass
from datetime import datetime

from .daemon_time import NS_PER_S
from .docker_endpoint import host_of, split_host_port
from .syslog_format import SyslogMessage, report_line

OVERLAP_NS = NS_PER_S
FIRST_RUN_NS = 300 * NS_PER_S  # a first run reads the last 300 s
# moby keeps only its last 256 events (daemon/events eventsLimit); a window that returns about
# that many may have lost older ones. The slack covers events published after `until`.
DAEMON_EVENT_BUFFER = 256
BUFFER_SLACK = 8


@dataclass(frozen=True)
class Window:
    """Events with since <= time <= until (ns), minus those already reported (`seen` keys)."""

    since: int
    until: int
    seen: frozenset = frozenset()


def event_time_ns(event):
    """timeNano, or `time` in seconds from daemons older than API 1.22."""
    if isinstance(event.get("timeNano"), int):
        return event["timeNano"]
    return int(event.get("time") or 0) * NS_PER_S


def event_key(event):
    """What tells two events apart: time, type, action and the object acted on."""
    actor = event.get("Actor") or {}
    return ":".join((str(event_time_ns(event)), event.get("Type") or "",
                     event.get("Action") or event.get("status") or "",
                     actor.get("ID") or event.get("id") or ""))


def parse_state(data):
    """The kept window {"daemon": ID, "until": ns, "boundary": [event keys]}; ValueError otherwise."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    until, boundary = data.get("until"), data.get("boundary")
    if not isinstance(until, int) or isinstance(until, bool) or not isinstance(data.get("daemon"), str):
        raise ValueError("no event window")
    if not isinstance(boundary, list) or not all(isinstance(key, str) for key in boundary):
        raise ValueError("the window's boundary is not a list of event keys")
    return data


def plan_window(previous, daemon_id, now_ns):
    """(Window of this run, a note to warn about or None) from the previous run's state."""
    first = Window(now_ns - FIRST_RUN_NS, now_ns)
    if not previous:
        return first, None
    until, boundary = previous.get("until"), previous.get("boundary")
    if not isinstance(until, int) or not isinstance(boundary, list):
        return first, "the state file holds no event window; reading the last 300 s"
    if previous.get("daemon") != daemon_id:
        return first, "the state file is of another Docker daemon; reading the last 300 s"
    if until > now_ns:
        return first, ("the previous window ends after the daemon's current time (clock set "
                       "back?); reading the last 300 s")
    return Window(until - OVERLAP_NS, now_ns, frozenset(boundary)), None


def _may_lie_in(event, start, end):
    """Whether the event may have happened in [start, end]: an event with only `time` happened
    somewhere in that whole second."""
    time_ns = event_time_ns(event)
    precision = 1 if isinstance(event.get("timeNano"), int) else NS_PER_S
    return start < time_ns + precision and time_ns <= end


def new_events(events, window):
    """The events of the window not reported before, in the daemon's order."""
    return [e for e in events
            if _may_lie_in(e, window.since, window.until) and event_key(e) not in window.seen]


def state_after(window, events, daemon_id):
    """The state to keep: the window end and the keys of every event in its last OVERLAP ns
    (the next window's overlap), whether reported by this run or an earlier one."""
    boundary = {event_key(e) for e in events if _may_lie_in(e, window.until - OVERLAP_NS, window.until)}
    return {"daemon": daemon_id, "until": window.until, "boundary": sorted(boundary)}


def possibly_truncated(returned_count):
    """True when the daemon's event buffer may have dropped events of the window."""
    return returned_count >= DAEMON_EVENT_BUFFER - BUFFER_SLACK


def syslog_hostname(docker_ip, base_url):
    """The HOSTNAME of the events: the -i string itself (without a :PORT); the host of a tcp:// URL (or of
    DOCKER_HOST); 127.0.0.1 without -i or for a unix:// socket (this machine)."""
    if docker_ip and "://" not in docker_ip:
        return split_host_port(docker_ip)[0]
    return host_of(base_url)


def event_json(event):
    """The event as compact JSON in the daemon's key order; ASCII only (non-ASCII is escaped), so
    the manager's charset never matters."""
    return json.dumps(event, separators=(",", ":"))


def event_local_time(event):
    """The event's time in local time, to the second (the syslog header and the line show it)."""
    return datetime.fromtimestamp(event_time_ns(event) // NS_PER_S)


def event_message(event, hostname):
    return SyslogMessage(event_local_time(event), hostname, event_json(event))


def event_line(event, hostname):
    """`YYYY-MM-DD HH:MM:SS <host> <event JSON>`: the file line, also printed on stdout."""
    return report_line(event_local_time(event), hostname, event_json(event))
