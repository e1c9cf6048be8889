"""The manager's system-log monitor: which nodes a parsed message belongs to, which settings see
it, and which rule decides its notification (SystemLogMonitor.notifySyslog, FacilitySelector).

HOSTNAME -> nodes, in the manager's order:
1. node name = HOSTNAME cut at the first '.', case-insensitive, **managed (valid) nodes only**;
   if the name is known but all its nodes are unmanaged, the message is dropped (no fall-back);
2. else the IP address HOSTNAME is (or resolves to), again managed nodes only;
3. else host names (case-sensitive, the short name) of managed nodes;
4. else the UNREGISTERED scope, which only a setting on UNREGISTERED sees.
A setting then keeps the nodes inside its scope (managed nodes under it, at any depth) and the
first valid rule whose pattern matches the whole message (DOTALL) decides: notify with its
priority, or (not processed) nothing.

The repository is read through the stand-in Repository's query operations (getNodeListAll,
getNode, getNodeFacilityIdList), the same data the SOAP and REST endpoints serve.
"""
import ipaddress
import re
from dataclasses import dataclass, field

from .notifications import CRITICAL, INFO, WARNING, Notification

UNREGISTERED = "UNREGISTERED"
HOSTS_FILE = "/etc/hosts"


@dataclass(frozen=True)
class Rule:
    """One pattern-matching row (メッセージのパターンマッチング): `process` False = do not process."""

    pattern: str
    priority: str = INFO
    process: bool = True
    valid: bool = True
    ignore_case: bool = False

    def matches(self, message):
        flags = re.DOTALL | (re.IGNORECASE if self.ignore_case else 0)
        return re.fullmatch(self.pattern, message, flags) is not None


@dataclass(frozen=True)
class SystemLogMonitor:
    """A system-log monitor setting (システムログ監視): ID, scope, rules in order."""

    monitor_id: str
    scope: str
    rules: tuple
    owner_role_id: str = "ALL_USERS"


def container_status_monitor(scope="docker_host"):
    """CONTAINER_STATUS as the manual sets it (only `running` is normal); scope docker_host by
    default, where the state messages of stopped containers arrive, `docker_container` for the
    manual's rule (HOSTNAME = container ID for every state)."""
    return SystemLogMonitor("CONTAINER_STATUS", scope, (
        Rule(".*running.*", process=False),
        Rule(".*paused.*", WARNING),
        Rule(".*restarting.*", WARNING),
        Rule(".*exited.*", CRITICAL),
    ))


def container_event_monitor():
    """CONTAINER_EVENT as the manual sets it: every event of a Docker host node, info."""
    return SystemLogMonitor("CONTAINER_EVENT", "docker_host", (Rule(".*", INFO),))


@dataclass
class NodeIndex:
    """The lookups of FacilitySelector's caches, built from the repository: facility IDs by
    lower-cased node name and by IP address (all nodes and managed ones), by host name (managed)."""

    by_name: dict = field(default_factory=dict)
    valid_by_name: dict = field(default_factory=dict)
    by_address: dict = field(default_factory=dict)
    valid_by_address: dict = field(default_factory=dict)
    valid_by_hostname: dict = field(default_factory=dict)

    @classmethod
    def of(cls, repository):
        index = cls()
        for listed in repository.get_node_list_all():
            node = repository.get_node(listed["facilityId"])
            fid, valid = node["facilityId"], bool(node.get("valid"))
            name = (node.get("nodeName") or "").lower()
            _add(index.by_name, name, fid)
            if valid:
                _add(index.valid_by_name, name, fid)
            address = _address(node.get("ipAddressV6") if node.get("ipAddressVersion") == 6
                               else node.get("ipAddressV4"))
            if address is not None:
                _add(index.by_address, address, fid)
                if valid:
                    _add(index.valid_by_address, address, fid)
            for entry in node.get("nodeHostnameInfo") or []:
                if valid and entry and entry.get("hostname"):
                    _add(index.valid_by_hostname, entry["hostname"], fid)
        return index

    def resolve(self, hostname, hosts_file=HOSTS_FILE):
        """The facility IDs a HOSTNAME designates: a set (empty: known but unmanaged, dropped),
        or {UNREGISTERED}."""
        short = hostname.split(".", 1)[0]
        if short.lower() in self.by_name:
            return set(self.valid_by_name.get(short.lower(), ()))
        address = _address(hostname) or _hosts_file_address(hostname, hosts_file)
        if address is not None and address in self.by_address:
            return set(self.valid_by_address.get(address, ()))
        if short in self.valid_by_hostname:
            return set(self.valid_by_hostname[short])
        return {UNREGISTERED}


def _add(mapping, key, fid):
    mapping.setdefault(key, set()).add(fid)


def _address(text):
    try:
        return ipaddress.ip_address(text) if text else None
    except ValueError:
        return None


def _hosts_file_address(name, hosts_file):
    """The first address of `name` in the hosts file: the manager asks the resolver (InetAddress),
    the stand-in only the hosts file, so that no query leaves the machine."""
    try:
        with open(hosts_file, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    for line in lines:
        words = line.split("#", 1)[0].split()
        if len(words) > 1 and name in words[1:]:
            return _address(words[0])
    return None


class Snapshot:
    """What the judgement reads of the repository, read once for many messages (the manager keeps
    the same in caches refreshed when the repository changes): the NodeIndex, and the managed
    nodes under each setting's scope (getNodeFacilityIdList, any depth)."""

    def __init__(self, repository, monitors):
        self.index = NodeIndex.of(repository)
        self.covered = {(m.scope, m.owner_role_id): set(repository.get_node_facility_id_list(
            m.scope, m.owner_role_id, 0)) for m in monitors}

    @staticmethod
    def version(repository, monitors):
        """A value that changes whenever what a Snapshot holds may change: every node's
        modification time and address, the managed nodes, and the members of the settings' scopes."""
        nodes = tuple((n["facilityId"], n.get("modifyDatetime"), n.get("ipAddressV4"), n.get("ipAddressV6"))
                      for n in repository.get_node_list_all())
        managed = tuple(repository.get_node_facility_id_list("REGISTERED", None, 0))
        scopes = tuple(tuple(repository.get_facility_id_list(m.scope, 0)) for m in monitors)
        return nodes, managed, scopes

    def in_scope(self, monitor, facility_ids):
        """The IDs of `facility_ids` the monitor's scope covers (getValidFacilityIdList)."""
        if facility_ids == {UNREGISTERED}:
            return [UNREGISTERED] if monitor.scope == UNREGISTERED else []
        covered = self.covered[(monitor.scope, monitor.owner_role_id)]
        return sorted(fid for fid in facility_ids if fid in covered)


def evaluate(message, monitors, snapshot):
    """(notifications, why nothing was notified or None) for one ParsedSyslog, against a Snapshot
    of the repository taken with the same monitors."""
    facility_ids = snapshot.index.resolve(message.hostname)
    if not facility_ids:
        return [], (f"dropped: HOSTNAME {message.hostname} names only nodes whose management flag "
                    "is OFF")
    notifications = []
    for monitor in monitors:
        nodes = snapshot.in_scope(monitor, facility_ids)
        if not nodes:
            continue
        rule = next((r for r in monitor.rules if r.valid and r.matches(message.message)), None)
        if rule is not None and rule.process:
            notifications += [Notification(monitor.monitor_id, fid, rule.priority, message.message)
                              for fid in nodes]
    if notifications:
        return notifications, None
    return [], f"not notified: HOSTNAME {message.hostname} -> {sorted(facility_ids)}"
