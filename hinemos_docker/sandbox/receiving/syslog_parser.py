"""A syslog packet parsed as the Hinemos manager's SyslogMessage.parse does (RFC 3164; RFC 5424 is
not supported there either). Pure: the receive time and the sender's address are arguments.

    <PRI>Mmm dd HH:MM:SS HOSTNAME TAG: MSG  -> hostname HOSTNAME, message "TAG: MSG"
    <PRI>Mmm dd HH:MM:SS TAG: MSG           -> hostname = the sender's address (a token ending in ':')
    <PRI>anything without a date            -> date = receive time, hostname = sender, message = rest
    no <PRI>                                -> facility user, severity notice, the whole text

The header time has no year: the manager takes, of the candidate years (next year down, at most
seven tried, two kept), the one nearest to now, never more than `period_hours`
(monitor.systemlog.period.hour, default 24) into the future; Feb 29 only exists in leap years. The
time is read in the manager's own time zone (naive local time here).
"""
import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

FACILITIES = ("KERN", "USER", "MAIL", "DAEMON", "AUTH", "SYSLOG", "LPR", "NEWS", "UUCP", "CRON",
              "AUTHPRIV", "FTP", "NTP", "SECURITY", "CONSOLE", "CRON", "LOCAL0", "LOCAL1", "LOCAL2",
              "LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7")
SEVERITIES = ("EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG")
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
PERIOD_HOURS = 24
YEARS_TRIED = 7
NO_PRI = 13  # user.notice
# MessageFormat "{0} {1,number,integer} {2}:{3}:{4} {5}" (RFC 3164) and the Cisco "MMM dd yyyy ..."
_RFC3164 = re.compile(r"^(\S*?) (-?\d+) (-?\d+):(-?\d+):(-?\d+) (.*)$", re.DOTALL)
_CISCO = re.compile(r"^(\S*?) (-?\d+) (-?\d+) (-?\d+):(-?\d+):(-?\d+) (.*)$", re.DOTALL)


@dataclass(frozen=True)
class ParsedSyslog:
    facility: str
    severity: str
    date: datetime        # naive, the manager's local time
    hostname: str
    message: str          # what the monitor's patterns are matched against
    raw: str
    sender: str


def parse(text, sender, now):
    """The ParsedSyslog of one received packet (decoded text), from `sender` (an IP), at `now`."""
    pri, rest = _pri(text)
    if pri is None:
        return ParsedSyslog("USER", "NOTICE", now, sender, text, text, sender)
    facility, severity = _facility(pri), SEVERITIES[pri & 7]
    dated = _date(rest, now)
    if dated is None:
        return ParsedSyslog(facility, severity, now, sender, rest, text, sender)
    date, rest = dated
    hostname, message = _hostname(rest)
    return ParsedSyslog(facility, severity, date, hostname or sender, message, text, sender)


def _facility(pri):
    code = pri >> 3
    return FACILITIES[code] if 0 <= code < len(FACILITIES) else "USER"


def _pri(text):
    """(PRI, the text after it) or (None, text): '<' then 1-3 digits then '>' within 5 characters."""
    if not text.startswith("<"):
        return None, text
    end = text.find(">", 2, 5)
    if end < 0 or not text[1:end].isdigit():
        return None, text
    return int(text[1:end]), text[end + 1:]


def _month(name):
    upper = name.upper()
    return MONTHS.index(upper) + 1 if upper in MONTHS else None


def _date(text, now):
    """(date, the text after the date) or None when the text starts with no date the manager reads."""
    if len(text) < 4:
        return None
    if text[3] != " " or _month(text[:3]) is None:
        return _rfc3339(text)
    if text[3:5] == "  ":
        text = text[:4] + text[5:]  # the space-padded day: "Sep  6" -> "Sep 6"
    match = _RFC3164.match(text)
    if match:
        numbers = [int(g) for g in match.groups()[1:5]]
        return syslog_date(_month(match.group(1)), *numbers, now=now), match.group(6)
    match = _CISCO.match(text)
    if match:
        day, year, hour, minute, second = (int(g) for g in match.groups()[1:6])
        try:
            return datetime(year, _month(match.group(1)), day, hour, minute, second), match.group(7)
        except ValueError:
            return None
    return None


def syslog_date(month, day, hour, minute, second, now, period_hours=PERIOD_HOURS):
    """The manager's year rule for a header without a year (see the module docstring)."""
    latest = now + timedelta(hours=period_hours if period_hours > 0 else PERIOD_HOURS)
    candidates = []
    for year in range(now.year + 1, now.year + 1 - YEARS_TRIED, -1):
        if len(candidates) == 2:
            break
        if month == 2 and day == 29 and not calendar.isleap(year):
            continue  # GregorianCalendar rolls it to Mar 1: not the day the header says
        try:
            candidate = datetime(year, month, day, hour, minute, second)
        except ValueError:
            continue
        if candidate <= latest:
            candidates.append(candidate)
    if not candidates:
        try:
            return datetime(now.year, month, day, hour, minute, second)
        except ValueError:
            return now
    return min(candidates, key=lambda c: abs(c - now))


def _rfc3339(text):
    """An RFC 3339 date with a numeric offset as the first token (the manager does not take 'Z')."""
    token, space, rest = text.partition(" ")
    if not space or not 24 <= len(token) <= 32:
        return None
    match = re.match(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?([+-])(\d\d):?(\d\d)$", token)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    sign = 1 if match.group(8) == "+" else -1
    offset = timedelta(hours=int(match.group(9)), minutes=int(match.group(10))) * sign
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset))
    except ValueError:
        return None
    return moment.astimezone().replace(tzinfo=None), rest


def _hostname(text):
    """(HOSTNAME, the rest) or (None, text): the first token, unless it ends with ':' (a TAG) or
    holds a character other than letters, digits, . / _ -; '[host]' is unwrapped."""
    token, space, rest = text.partition(" ")
    if not space or not token or token.endswith(":"):
        return None, text
    if token.startswith("[") and token.endswith("]"):
        token = token[1:-1]
    if not all(c.isdigit() or c.isupper() or c.islower() or c in "./_-" for c in token):
        return None, text
    return token, rest
