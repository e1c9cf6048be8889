"""The stand-in's receiving side without sockets: the manager's syslog parse and year rule, node
matching against a repository built with the stand-in's own write operations, the system-log
rules, and the custom-monitor agent cut and judgement."""
from datetime import datetime

import pytest

from hinemos_docker.output import AGENT_LINE_RE
from hinemos_docker.sandbox import writes
from hinemos_docker.sandbox.facilities import Repository
from hinemos_docker.sandbox.receiving import custom, syslog_parser, systemlog
from hinemos_docker.sandbox.receiving.notifications import CRITICAL, INFO, UNKNOWN, WARNING

NOW = datetime(2026, 12, 1, 21, 0, 0)


# ---- parse -----------------------------------------------------------------------------------

def test_our_packet_parses_with_the_tag_in_the_message():
    message = syslog_parser.parse("<14>Dec  1 20:59:58 90b56eb899e7 hinemos_docker: 90b56eb899e7 exited",
                                  "127.0.0.1", NOW)
    assert (message.facility, message.severity, message.date, message.hostname) == (
        "USER", "INFO", datetime(2026, 12, 1, 20, 59, 58), "90b56eb899e7")
    assert message.message == "hinemos_docker: 90b56eb899e7 exited"


@pytest.mark.parametrize("packet, hostname, message", [
    ("<13>Dec  1 20:00:00 hinemos_docker: x", "10.1.1.1", "hinemos_docker: x"),  # no HOSTNAME: a TAG
    ("<13>Dec  1 20:00:00 [host-1] x y", "host-1", "x y"),
    ("<13>Dec  1 20:00:00 ho|st x", "10.1.1.1", "ho|st x"),  # a character the manager refuses
    ("<13>2026-12-01T20:00:00Z host x", "10.1.1.1", "2026-12-01T20:00:00Z host x"),  # Z: no date
    ("plain text", "10.1.1.1", "plain text"),
])
def test_fallbacks_to_the_sender(packet, hostname, message):
    parsed = syslog_parser.parse(packet, "10.1.1.1", NOW)
    assert (parsed.hostname, parsed.message) == (hostname, message)


def test_rfc3339_with_an_offset_is_a_date():
    parsed = syslog_parser.parse("<13>2026-12-01T20:00:00+00:00 host x", "10.1.1.1", NOW)
    assert parsed.hostname == "host" and parsed.date != NOW


@pytest.mark.parametrize("month, day, now, year", [
    (12, 1, NOW, 2026),
    (1, 1, datetime(2026, 12, 31, 23, 0), 2027),   # just past midnight on the sender: next year
    (12, 3, NOW, 2025),                            # a sender clock 2 days ahead lands a year back
    (12, 2, NOW, 2026),                            # within the 24 h the manager allows ahead
    (2, 29, datetime(2027, 3, 1), 2024),           # the last leap year
])
def test_the_year_rule(month, day, now, year):
    assert syslog_parser.syslog_date(month, day, 20, 0, 0, now).year == year


# ---- node matching and rules ----------------------------------------------------------------

def node(fid, name, ip, valid=True, hostnames=None):
    return {"facilityId": fid, "facilityName": fid, "ownerRoleId": "ALL_USERS", "platformFamily": "LINUX",
            "ipAddressVersion": 4, "ipAddressV4": ip, "nodeName": name, "valid": valid,
            "nodeHostnameInfo": [{"hostname": h} for h in (hostnames or [name])]}


@pytest.fixture
def repository():
    """A host node and two container nodes of the same IP, one of them unmanaged, as the sync
    leaves them, in the scopes the sync makes."""
    repo = Repository("6.2")
    for scope in ("docker_host", "docker_container"):
        writes.add_scope(repo, "", {"facilityId": scope, "facilityName": scope, "ownerRoleId": "ALL_USERS"})
    writes.add_node(repo, node("docker_host1", "docker_host1", "127.0.0.1"))
    writes.add_node(repo, node("docker_host1-web", "aaaaaaaaaaaa", "127.0.0.1"))
    writes.add_node(repo, node("docker_host1-db", "bbbbbbbbbbbb", "127.0.0.1", valid=False))
    writes.add_node(repo, node("other", "other", "10.0.0.9", hostnames=["other.example"]))
    writes.assign_node_scope(repo, "docker_host", ["docker_host1"])
    writes.assign_node_scope(repo, "docker_container", ["docker_host1-web", "docker_host1-db"])
    return repo


@pytest.mark.parametrize("hostname, expected", [
    ("aaaaaaaaaaaa", {"docker_host1-web"}),
    ("AAAAAAAAAAAA.example.com", {"docker_host1-web"}),        # short name, any case
    ("bbbbbbbbbbbb", set()),                                  # known, unmanaged: dropped
    ("127.0.0.1", {"docker_host1", "docker_host1-web"}),      # every managed node of that IP
    ("docker_host1", {"docker_host1"}),
    ("other.example", {"other"}),                              # node name "other", cut at the dot
    ("nobody", {"UNREGISTERED"}),
])
def test_hostname_to_nodes(repository, hostname, expected):
    assert systemlog.NodeIndex.of(repository).resolve(hostname, hosts_file="/nonexistent") == expected


def test_host_names_come_last_and_are_case_sensitive(repository):
    writes.add_node(repository, node("n2", "n2", "10.0.0.10", hostnames=["Alias"]))
    index = systemlog.NodeIndex.of(repository)
    assert index.resolve("Alias", hosts_file="/nonexistent") == {"n2"}
    assert index.resolve("alias", hosts_file="/nonexistent") == {"UNREGISTERED"}


def test_names_resolve_through_the_hosts_file(repository, tmp_path):
    hosts = tmp_path / "hosts"
    hosts.write_text("# comment\n127.0.0.1 localhost my-docker\n")
    index = systemlog.NodeIndex.of(repository)
    assert index.resolve("my-docker", hosts_file=hosts) == {"docker_host1", "docker_host1-web"}


def judge(message, monitors, repository):
    return systemlog.evaluate(message, monitors, systemlog.Snapshot(repository, monitors))


def test_the_snapshot_version_changes_with_what_judgement_reads(repository):
    monitors = [systemlog.container_status_monitor()]
    before = systemlog.Snapshot.version(repository, monitors)
    writes.set_valid(repository, "docker_host1-db", True)
    after_valid = systemlog.Snapshot.version(repository, monitors)
    writes.assign_node_scope(repository, "docker_host", ["docker_host1-web"])
    after_assign = systemlog.Snapshot.version(repository, monitors)
    assert len({before, after_valid, after_assign}) == 3
    assert systemlog.Snapshot.version(repository, monitors) == after_assign


def parsed(hostname, text):
    return syslog_parser.parse(f"<14>Dec  1 20:59:58 {hostname} hinemos_docker: {text}", "127.0.0.1", NOW)


@pytest.mark.parametrize("hostname, state, scope, expected", [
    ("127.0.0.1", "exited", "docker_host", [("docker_host1", CRITICAL)]),
    ("docker_host1", "paused", "docker_host", [("docker_host1", WARNING)]),
    ("aaaaaaaaaaaa", "running", "docker_host", []),          # not in scope, and not processed
    ("aaaaaaaaaaaa", "restarting", "docker_container", [("docker_host1-web", WARNING)]),
    ("bbbbbbbbbbbb", "exited", "docker_container", []),      # the manual's rule after Update: lost
])
def test_container_status_rules(repository, hostname, state, scope, expected):
    monitor = systemlog.container_status_monitor(scope)
    cid = "b" * 12
    notifications, why = judge(parsed(hostname, f"{cid} {state}"), [monitor], repository)
    assert [(n.facility_id, n.priority) for n in notifications] == expected
    assert all(n.message == f"hinemos_docker: {cid} {state}" and n.monitor_id == "CONTAINER_STATUS"
               for n in notifications)
    assert (why is None) == bool(expected)
    if hostname == "bbbbbbbbbbbb":
        assert why.startswith("dropped: HOSTNAME bbbbbbbbbbbb names only nodes whose management flag is OFF")


def test_first_matching_rule_wins_and_patterns_match_the_whole_message(repository):
    monitor = systemlog.SystemLogMonitor("M", "docker_host", (
        systemlog.Rule("exited", CRITICAL),                 # not a whole-message match
        systemlog.Rule(".*EXITED.*", WARNING, ignore_case=True),
        systemlog.Rule(".*exited.*", CRITICAL),
    ))
    notifications, _ = judge(parsed("docker_host1", "x exited"), [monitor], repository)
    assert [n.priority for n in notifications] == [WARNING]


def test_unregistered_reaches_only_a_setting_on_unregistered(repository):
    on_unregistered = systemlog.SystemLogMonitor("U", "UNREGISTERED", (systemlog.Rule(".*"),))
    notifications, _ = judge(parsed("nobody", "x"), [systemlog.container_event_monitor(), on_unregistered],
                             repository)
    assert [(n.monitor_id, n.facility_id) for n in notifications] == [("U", "UNREGISTERED")]


# ---- custom monitors -------------------------------------------------------------------------

CPU = custom.MANUAL_MONITORS["CONTAINER_CPU"]


def test_the_agent_parse_rule_and_invalid_lines():
    result = custom.agent_reads(b"a,1\nb, 2\nh:i,j,5\nk,-0.5\r\nc,3 \nd,1e3\ne,+1\ng,NaN\n\na,4\nf,1.2.3\n")
    assert list(result.values) == ["a", "b", "h:i,j", "k", "f"]
    assert result.values["k"] == -0.5 and result.values["f"] != result.values["f"]  # NaN
    assert list(result.invalid.values()) == ["c,3 ", "d,1e3", "e,+1", "g,NaN", "", "a,4"]


def test_the_buffer_cut_turns_the_cut_line_invalid_and_loses_the_rest():
    lines = [f"cpu_usage:container_{n:03d},1.25" for n in range(30)]
    stdout = "".join(f"{line}\n" for line in lines)
    assert all(AGENT_LINE_RE.match(line) for line in lines)
    notifications = custom.judge(CPU, "docker_host1", stdout)
    kept = 512 // len(lines[0] + "\n")
    assert [n.priority for n in notifications].count(INFO) == kept
    (unknown,) = [n for n in notifications if n.priority == UNKNOWN]
    assert unknown.message.startswith("FAILURE : invalid line found (not 2 column or duplicate) - "
                                      f"(line {kept + 1}) ")
    assert len(notifications) == kept + 1  # the lines after the cut are lost silently
    raised = custom.judge(CPU.with_buffer(8192), "docker_host1", stdout)
    assert [n.priority for n in raised] == [INFO] * 30


@pytest.mark.parametrize("stdout", [b"", b"\n"])
def test_empty_output_is_one_unknown_unless_values_are_not_judged(stdout):
    (notification,) = custom.judge(CPU, "docker_host1", stdout)
    assert (notification.priority, notification.message) == (UNKNOWN, custom.NO_OUTPUT)
    assert custom.judge(custom.MANUAL_MONITORS["CONTAINER_DISK"], "docker_host1", stdout) == []


@pytest.mark.parametrize("value, priority", [
    ("0", INFO), ("79.99", INFO), ("80.00", WARNING), ("89.99", WARNING), ("90", CRITICAL),
    ("-1", CRITICAL), ("1.2.3", UNKNOWN),
])
def test_the_manuals_cpu_thresholds(value, priority):
    (notification,) = custom.judge(CPU, "h", f"cpu_usage:web,{value}\n")
    assert notification.priority == priority
    assert notification.message.startswith("VALUE : cpu_usage:web=")


def test_host_status_one_is_critical_and_texts_are_javas():
    status = custom.MANUAL_MONITORS["DOC_HOST_STATUS"]
    assert [n.priority for n in custom.judge(status, "h", "Status,0\n")] == [INFO]
    (down,) = custom.judge(status, "h", "Status,1\n")
    assert (down.priority, down.message) == (CRITICAL, "VALUE : Status=1.0")
    texts = [custom.java_double_text(v) for v in (0.07, 1e7, 1.5e-5, 0.0)]
    assert texts == ["0.07", "1.0E7", "1.5E-5", "0.0"]
