"""Pure syslog formatting: the RFC 3164 packet `<PRI>Mmm dd HH:MM:SS HOSTNAME TAG: MSG` exactly as
the Hinemos manager parses it (docs/hinemos-facts.md#syslog-reception), and the
`YYYY-MM-DD HH:MM:SS ...` report lines the syslog monitors print beside what they send. No I/O;
syslog.py sends what this module builds.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from .errors import SyslogError

# RFC 3164 facility and severity codes, by the names --syslog-facility/--syslog-severity take
FACILITY_CODES = {
    "kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7,
    "uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "local0": 16, "local1": 17, "local2": 18,
    "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
}
SEVERITY_CODES = {
    "emerg": 0, "alert": 1, "crit": 2, "err": 3, "warning": 4, "notice": 5, "info": 6, "debug": 7,
}
# English whatever the locale: the manager parses `MMM` with an English date format
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The manager (6.1+) takes the HOSTNAME token only if it holds letters, digits, . / _ - (else it
# falls back to the sender's IP, and 6.0 drops the message); rsyslog, the documented relay, also
# refuses '/', so '/' is refused here too.
HOSTNAME_RE = re.compile(r"^[A-Za-z0-9._-]+$")
# The TAG rsyslog records as `hinemos_docker:`; the manager's `message` is "hinemos_docker: MSG",
# which the documented full-match patterns (.*running.* ...) still match.
TAG = "hinemos_docker"
# Manager limits: a UDP datagram is read into 8192 bytes; a TCP message is cut at 4096 bytes.
MAX_UDP_PACKET = 8192
MAX_TCP_MESSAGE = 4096
REPORT_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class SyslogMessage:
    """One message: its header time (local, naive), its HOSTNAME and its text."""

    timestamp: datetime
    hostname: str
    text: str


def priority(facility="user", severity="info"):
    """PRI = facility * 8 + severity (RFC 3164 4.1.1)."""
    try:
        return FACILITY_CODES[facility] * 8 + SEVERITY_CODES[severity]
    except KeyError as exc:
        raise SyslogError(f"unknown syslog facility or severity {exc.args[0]!r}") from None


def rfc3164_timestamp(when):
    """`Mmm dd HH:MM:SS` with the day padded by a space (`Sep  6 08:18:44`)."""
    return f"{MONTHS[when.month - 1]} {when.day:2d} {when:%H:%M:%S}"


def check_hostname(hostname):
    """The HOSTNAME itself, or SyslogError when the manager (or rsyslog) would not take it."""
    if not hostname or not HOSTNAME_RE.match(hostname):
        raise SyslogError(f"syslog HOSTNAME '{hostname}' is not accepted by the Hinemos manager "
                          "(letters, digits and . _ - only)")
    return hostname


def format_packet(message, pri, tag=TAG):
    """The whole RFC 3164 text of one message; the text may hold no line break (TCP framing)."""
    if "\n" in message.text or "\r" in message.text:
        raise SyslogError(f"syslog message holds a line break: {message.text[:60]!r}")
    return (f"<{pri}>{rfc3164_timestamp(message.timestamp)} {check_hostname(message.hostname)} "
            f"{tag}: {message.text}")


def fit(packet, limit):
    """(bytes of the packet cut to `limit` bytes at a character boundary, whether it was cut)."""
    data = packet.encode("utf-8")
    if len(data) <= limit:
        return data, False
    return data[:limit].decode("utf-8", "ignore").encode("utf-8"), True


def report_line(when, *words):
    """`YYYY-MM-DD HH:MM:SS word ...`, the line printed (and filed) for each message."""
    return " ".join((when.strftime(REPORT_TIME_FORMAT),) + words)
