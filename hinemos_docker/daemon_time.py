"""The Docker daemon's times, read and written in one place: RFC 3339 with up to nine fraction
digits (Go's time.RFC3339Nano: `...Z` or a numeric offset such as `-04:00`), as in a stats answer's
`read`, a container's State.StartedAt and /info's SystemTime; and the `SECONDS.NANOSECONDS` form
the daemon's since/until filters take. Pure, stdlib only."""
import calendar
import re
import time

NS_PER_S = 1_000_000_000
_RFC3339 = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:Z|([+-])(\d\d):(\d\d))$")


def rfc3339_ns(text):
    """ns since the epoch; None for Go's zero time `0001-01-01T00:00:00Z`, which the daemon sends
    for a container that is not running; ValueError for anything else that is not RFC 3339."""
    match = _RFC3339.match(text or "")
    if not match:
        raise ValueError(f"invalid RFC 3339 time {text!r}")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    if year <= 1:
        return None
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    if match.group(8):
        offset = int(match.group(9)) * 3600 + int(match.group(10)) * 60
        seconds -= offset if match.group(8) == "+" else -offset
    return seconds * NS_PER_S + int((match.group(7) or "").ljust(9, "0"))


def rfc3339(ns):
    """An epoch time in ns as the API writes `read`: UTC, nine fraction digits."""
    seconds, fraction = divmod(ns, NS_PER_S)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{fraction:09d}Z"


def docker_timestamp(ns):
    """The since/until text the daemon parses to the nanosecond: `SECONDS.NNNNNNNNN`."""
    return f"{ns // NS_PER_S}.{ns % NS_PER_S:09d}"
