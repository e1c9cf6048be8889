"""The RFC 3164 packet and report lines, checked against the Hinemos manager's parsing rules
(docs/hinemos-facts.md#syslog-reception) modelled below from its description."""
import re
from datetime import datetime

import pytest

from hinemos_docker import cli, syslog_format
from hinemos_docker.commands.container_status import COMMAND as CONTAINER_STATUS
from hinemos_docker.errors import SyslogError, UsageError
from hinemos_docker.syslog_format import SyslogMessage

# The manager's header parse (6.1+; 6.0 is the strict subset): <PRI>, an RFC 3164 date whose
# single-digit day may carry one extra space, then a HOSTNAME token of letters, digits . / _ -
# not ending in ':'; the rest is `message`. A packet that does not fit is attributed to the
# sender's IP (6.1+) or dropped (6.0): the model returns None then.
MANAGER_HEADER = re.compile(
    r"^<(?P<pri>\d{1,3})>(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"(?P<day>[ \d]\d) (?P<time>\d\d:\d\d:\d\d) (?P<host>[A-Za-z0-9./_-]*[A-Za-z0-9./_-]) "
    r"(?P<message>.*)$", re.S)
# the manual's CONTAINER_STATUS patterns, in the documented order; the first full match wins
STATUS_PATTERNS = (".*running.*", ".*paused.*", ".*restarting.*", ".*exited.*")


def manager_view(packet):
    match = MANAGER_HEADER.match(packet)
    return match and match.groupdict()


def first_matching_pattern(message):
    return next(p for p in STATUS_PATTERNS if re.fullmatch(p, message, re.S))


def test_pri_is_facility_times_8_plus_severity_with_user_info_default():
    assert syslog_format.priority() == 14
    assert syslog_format.priority("local7", "debug") == 191
    assert syslog_format.priority("kern", "emerg") == 0


def test_the_command_line_takes_the_rfc3164_names_and_nothing_else():
    parser = cli.build_parser(CONTAINER_STATUS)
    pris = {syslog_format.priority(args.syslog_facility, args.syslog_severity)
            for args in (parser.parse_args(["-s", "127.0.0.1:514", "--syslog-facility", f,
                                            "--syslog-severity", s])
                         for f in ("kern", "cron", "authpriv", "ftp", "local0", "local7")
                         for s in ("emerg", "warning", "debug"))}
    assert pris == {f * 8 + s for f in (0, 9, 10, 11, 16, 23) for s in (0, 4, 7)}
    with pytest.raises(UsageError, match="invalid choice: 'lokal0'"):
        parser.parse_args(["-s", "127.0.0.1:514", "--syslog-facility", "lokal0"])


def test_unknown_facility_is_a_syslog_error():
    with pytest.raises(SyslogError, match="'lokal0'"):
        syslog_format.priority("lokal0")


@pytest.mark.parametrize("when, text", [
    (datetime(2015, 9, 6, 8, 18, 44), "Sep  6 08:18:44"),
    (datetime(2015, 11, 28, 23, 5, 0), "Nov 28 23:05:00"),
    (datetime(2016, 1, 1, 0, 0, 0), "Jan  1 00:00:00"),
])
def test_rfc3164_timestamp_pads_the_day_with_a_space(when, text):
    assert syslog_format.rfc3164_timestamp(when) == text


def test_month_names_are_english_for_every_month():
    months = [syslog_format.rfc3164_timestamp(datetime(2020, m, 10))[:3] for m in range(1, 13)]
    assert months == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.mark.parametrize("hostname", ["90b56eb899e7", "docker_host1", "Docker-Host.example.com",
                                      "127.0.0.1", "localhost"])
def test_accepted_hostnames(hostname):
    assert syslog_format.check_hostname(hostname) == hostname


@pytest.mark.parametrize("hostname", ["", "a b", "a/b", "::1", "fe80::1", "host:", "ホスト", "a\tb"])
def test_refused_hostnames_are_one_clear_error(hostname):
    with pytest.raises(SyslogError, match="HOSTNAME .* not accepted by the Hinemos manager"):
        syslog_format.check_hostname(hostname)


def test_packet_is_the_rfc3164_header_tag_and_message():
    message = SyslogMessage(datetime(2015, 9, 6, 7, 15, 16), "90b56eb899e7", "90b56eb899e7 exited")
    assert (syslog_format.format_packet(message, 14)
            == "<14>Sep  6 07:15:16 90b56eb899e7 hinemos_docker: 90b56eb899e7 exited")


def test_packet_refuses_a_bad_hostname_and_a_line_break():
    with pytest.raises(SyslogError):
        syslog_format.format_packet(SyslogMessage(datetime(2020, 1, 1), "a b", "x"), 14)
    with pytest.raises(SyslogError, match="line break"):
        syslog_format.format_packet(SyslogMessage(datetime(2020, 1, 1), "host", "a\nb"), 14)


@pytest.mark.parametrize("state", ["running", "paused", "restarting", "exited"])
def test_manager_sees_the_container_node_and_the_documented_pattern_matches(state):
    for day in (6, 28):  # a padded and an unpadded day
        message = SyslogMessage(datetime(2015, 9, day, 7, 15, 16), "4dfd0a12b9de", f"4dfd0a12b9de {state}")
        view = manager_view(syslog_format.format_packet(message, syslog_format.priority()))
        assert view["host"] == "4dfd0a12b9de" and view["pri"] == "14"
        assert view["message"] == f"hinemos_docker: 4dfd0a12b9de {state}"
        assert first_matching_pattern(view["message"]) == f".*{state}.*"


def test_manager_sees_the_docker_host_of_an_event():
    event = '{"status":"die","id":"d7ee4dbeeddc","time":1441527846}'
    message = SyslogMessage(datetime(2015, 9, 6, 8, 24, 6), "docker_host1", event)
    view = manager_view(syslog_format.format_packet(message, 14))
    assert view["host"] == "docker_host1"
    assert re.fullmatch(".*", view["message"], re.S)
    assert view["message"].endswith(event)


def test_fit_leaves_short_packets_alone_and_cuts_at_a_character_boundary():
    assert syslog_format.fit("abc", 3) == (b"abc", False)
    data, cut = syslog_format.fit("ab日本", 6)  # 日 is bytes 3-5, 本 would end at byte 8
    assert (data, cut) == ("ab日".encode(), True)
    data, cut = syslog_format.fit("ab日本", 4)
    assert (data, cut) == (b"ab", True)


def test_limits_are_the_managers():
    assert (syslog_format.MAX_UDP_PACKET, syslog_format.MAX_TCP_MESSAGE) == (8192, 4096)


def test_report_line():
    assert (syslog_format.report_line(datetime(2015, 9, 6, 7, 15, 16), "90b56eb899e7", "exited")
            == "2015-09-06 07:15:16 90b56eb899e7 exited")
