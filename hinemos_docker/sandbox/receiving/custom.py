"""A custom monitor (カスタム監視) as the Hinemos agent reads a command's stdout and the manager
judges it. Pure: a test or the demo feeds it the stdout of a monitor run.

Agent (CommandCollector, CommandExecutor): only the first `buffer` bytes of stdout are kept
(monitor.custom.buffer, default 512); the text is split at LF (trailing empty lines dropped, as
Java's split does); a line counts when it matches ^(.+),\\s*(-?[0-9.]+)$ with the key greedy to
the last comma; a number Java cannot read (`1.2.3`) is NaN; a line that does not match, or repeats
a key, is an invalid line.
Manager (RunCustom): empty stdout (or only LF) is one UNKNOWN every run; otherwise, with
monitoring on, each key is judged: NaN is UNKNOWN, info if lower <= v < upper of the info range,
warning likewise, else critical; then one UNKNOWN per invalid line (monitoring on). The exit code
and stderr are never judged, only shown.
"""
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from .notifications import CRITICAL, INFO, UNKNOWN, WARNING, Notification

DEFAULT_BUFFER = 512
# Java's `.` stops at any line terminator, `\s` is ASCII, `$` may stand before one final terminator
_TERMINATOR = r"\n\r\u0085\u2028\u2029"
LINE_RE = re.compile(rf"^([^{_TERMINATOR}]+),[ \t\n\x0b\f\r]*(-?[0-9.]+)(?:\r\n|[{_TERMINATOR}])?\Z")
NO_OUTPUT = "FAILURE : command execution failed (timeout, no stdout or not unexecutable command)..."


@dataclass(frozen=True)
class CustomMonitor:
    """A custom-monitor setting: ID, whether values are judged (監視), the info and warning ranges
    [lower, upper), and the agent's monitor.custom.buffer."""

    monitor_id: str
    monitoring: bool = True
    info: Optional[tuple] = None
    warning: Optional[tuple] = None
    buffer: int = DEFAULT_BUFFER

    def with_buffer(self, buffer):
        return CustomMonitor(self.monitor_id, self.monitoring, self.info, self.warning, buffer)


# the manual's settings; disk and network are collected, not judged
MANUAL_MONITORS = {m.monitor_id: m for m in (
    CustomMonitor("DOC_HOST_STATUS", True, (0, 1), (0, 1)),
    CustomMonitor("DOC_HOST_COUNT", False),
    CustomMonitor("DOC_HOST_SIZE", False),
    CustomMonitor("CONTAINER_CPU", True, (0, 80), (80, 90)),
    CustomMonitor("CONTAINER_MEM", True, (0, 80), (80, 90)),
    CustomMonitor("CONTAINER_DISK", False),
    CustomMonitor("CONTAINER_NETWORK", False),
    CustomMonitor("CONTAINER_PROCESS", True, (0, 10), (10, 20)),
)}


@dataclass(frozen=True)
class AgentResult:
    """What the agent sends the manager: the kept stdout, the values by key (in order), the
    invalid lines by line number, and whether output was discarded."""

    stdout: str
    values: dict
    invalid: dict
    discarded: bool


def agent_reads(stdout, buffer=DEFAULT_BUFFER):
    """The AgentResult of a command's stdout (bytes or str)."""
    data = stdout.encode("utf-8") if isinstance(stdout, str) else stdout
    kept = data[:buffer].decode("utf-8", "replace")
    values, invalid = {}, {}
    lines = kept.split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, 1):
        match = LINE_RE.match(line)
        if not match or match.group(1) in values:
            invalid[number] = line
            continue
        values[match.group(1)] = _java_double(match.group(2))
    return AgentResult(kept, values, invalid, len(data) > buffer)


def _java_double(text):
    try:
        return float(text)
    except ValueError:
        return math.nan


def java_double_text(value):
    """Double.toString: `0.07`, `80.0`, `1.0E7`, `NaN`."""
    if math.isnan(value):
        return "NaN"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(float(value))
        return text if "e" not in text else f"{value:.1f}"
    sign, digits, exponent = Decimal(repr(float(value))).normalize().as_tuple()
    mantissa = "".join(map(str, digits))
    power = len(digits) - 1 + exponent
    return f"{'-' if sign else ''}{mantissa[0]}.{mantissa[1:] or '0'}E{power}"


def judge_value(monitor, value):
    """The priority of one value (RunCustom.judgePriority)."""
    if math.isnan(value):
        return UNKNOWN
    if monitor.info is None or monitor.warning is None:
        return UNKNOWN
    if monitor.info[0] <= value < monitor.info[1]:
        return INFO
    if monitor.warning[0] <= value < monitor.warning[1]:
        return WARNING
    return CRITICAL


def judge(monitor, facility_id, stdout, timed_out=False):
    """The notifications one run of the command raises for the node `facility_id`."""
    result = agent_reads(stdout, monitor.buffer)
    if not monitor.monitoring:
        return []
    if timed_out or result.stdout in ("", "\n"):
        return [Notification(monitor.monitor_id, facility_id, UNKNOWN, NO_OUTPUT)]
    notifications = [Notification(monitor.monitor_id, facility_id, judge_value(monitor, value),
                                  f"VALUE : {key}={java_double_text(value)}")
                     for key, value in result.values.items()]
    notifications += [Notification(monitor.monitor_id, facility_id, UNKNOWN,
                                   f"FAILURE : invalid line found (not 2 column or duplicate) - "
                                   f"(line {number}) {line}")
                      for number, line in result.invalid.items()]
    return notifications
