"""Custom-monitor output: key,value lines that always match the Hinemos agent's rule.

The agent (6.1+) accepts `^(.+),\\s*(-?[0-9.]+)$` per line and keeps at most 512 bytes of stdout
by default (monitor.custom.buffer, docs/hinemos-facts.md#custom-monitor-output); nothing else may
reach stdout of a custom monitor.
"""
import math
import re
from dataclasses import dataclass

from .errors import OutputError

AGENT_LINE_RE = re.compile(r"^(.+),\s*(-?[0-9.]+)$")
AGENT_STDOUT_LIMIT = 512  # monitor.custom.buffer default, bytes
NO_CONTAINER = "(none)"


@dataclass(frozen=True)
class Measurement:
    """One key with a number; `decimals` 2 for percentages and rates, 0 for counts and bytes."""

    key: str
    value: float
    decimals: int = 2


def percent(key, value):
    return Measurement(key, value, 2)


def count(key, value):
    return Measurement(key, value, 0)


def format_number(value, decimals):
    """Fixed-point text: no exponent, no sign on zero; NaN and infinity are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise OutputError(f"not a number: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise OutputError(f"not a finite number: {value!r}")
    if decimals == 0:
        return str(int(round(value)))
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def format_line(measurement):
    """`key,value`; the key may not hold a line break, and the line must pass the agent rule."""
    key = measurement.key
    if not key or "\n" in key or "\r" in key:
        raise OutputError(f"invalid key {key!r}")
    line = f"{key},{format_number(measurement.value, measurement.decimals)}"
    if not AGENT_LINE_RE.match(line):
        raise OutputError(f"line {line!r} does not match the Hinemos agent rule")
    return line


def none_measurements(prefixes):
    """`<prefix>:(none),0` for each key prefix: what a run prints when it selects no running
    container, since Hinemos turns empty stdout into UNKNOWN every interval. `(none)` cannot be a
    container name or ID, so it never collides with a real key."""
    return [count(f"{prefix}:{NO_CONTAINER}", 0) for prefix in prefixes]


def buffer_warning(size, per_container_helps=True):
    """The stderr line of an output larger than the agent keeps: the operator reads it in the
    UNKNOWN notification of the cut line, so it names the bytes needed and the remedies."""
    remedies = f"raise monitor.custom.buffer to at least {size} in the agent's Agent.properties"
    if per_container_helps:
        remedies += (", or set the monitor per container (scope docker_container, "
                     "-c #[NODE_NAME], one container per run)")
    return (f"output is {size} bytes; the Hinemos agent keeps only the first {AGENT_STDOUT_LIMIT} "
            f"bytes (monitor.custom.buffer): the line cut there is judged UNKNOWN and the rest is "
            f"lost; {remedies}")


def emit(console, measurements, per_container_helps=True):
    """Print the lines; a value that cannot be printed is left out with a warning, and a warning
    tells when the Hinemos agent will cut the output (`per_container_helps`: False when the run
    already selects one container)."""
    lines = []
    for measurement in measurements:
        try:
            lines.append(format_line(measurement))
        except OutputError as exc:
            console.warn(f"{measurement.key}: {exc}; line left out")
    for line in lines:
        console.print(line)
    size = sum(len(line.encode("utf-8")) + 1 for line in lines)
    if size > AGENT_STDOUT_LIMIT:
        console.warn(buffer_warning(size, per_container_helps))
    return lines
