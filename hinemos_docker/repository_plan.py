"""The plans of RepositoryDockerNodeAdd, Delete and Update, pure: from the Desired state of one
host and the Repository as it is, the messages to print and the client calls to make, in order.

Every plan adds only what is missing and changes only what differs, so a second run over an
unchanged world plans no call; assignments are batched, one assignNodeScope per scope.
"""
from dataclasses import dataclass
from typing import Callable, Optional

from .messages import message
from .repository_model import (
    CONTAINER_SCOPE,
    HOST_SCOPE,
    ROOT_ID,
    TYPE_NODE,
    TYPE_SCOPE,
    VARIABLES,
    ContainerNode,
    Desired,
    Facility,
    Repository,
    container_nodes,
    delete_candidates,
    gone_candidates,
    node_variables,
    own_scopes,
)


@dataclass(frozen=True)
class Call:
    """One client call: the RepositoryClient method and its arguments."""

    operation: str
    args: tuple


@dataclass(frozen=True)
class Step:
    """Lines to print, then the call they announce (None: only lines)."""

    lines: tuple
    call: Optional[Call] = None


@dataclass(frozen=True)
class Plan:
    steps: tuple

    @property
    def calls(self):
        return [step.call for step in self.steps if step.call is not None]


class _Steps:
    """Builds a Plan: lines accumulate until the call they announce."""

    def __init__(self):
        self.steps, self.lines = [], []

    def say(self, key, **args):
        self.lines.append(message(key, **args))

    def call(self, operation, *args):
        self.steps.append(Step(tuple(self.lines), Call(operation, args)))
        self.lines = []

    def plan(self):
        if self.lines:
            self.steps.append(Step(tuple(self.lines)))
        return Plan(tuple(self.steps))


class _Memberships:
    """Scope members as the plan goes: the snapshot's plus the assignments planned so far."""

    def __init__(self, repo):
        self.repo = repo
        self.usable = {fid for fid, f in repo.facilities.items() if f.is_scope}
        self.members = {scope: set(ids) for scope, ids in repo.members.items()}

    def created(self, scope):
        self.usable.add(scope)

    def assign(self, steps, scope, fids):
        """Say per node whether it is assigned already; one batched assignNodeScope for the rest."""
        if scope not in self.usable:
            steps.say("scope_unusable_skip", scope=scope)
            return
        members = self.members.setdefault(scope, set())
        missing = [fid for fid in fids if fid not in members]
        for fid in fids:
            steps.say("assigning" if fid in missing else "assigned_skip", x=fid)
        if missing:
            members.update(missing)
            steps.call("assign_node_scope", scope, missing)

    def label_verdict(self, scope, fid, own):
        """What to do with one scope of a label (docs/rules.md#label-scopes): assign, or why not;
        `own` are the scopes the scripts manage, never taken from a label."""
        if scope in own:
            return "own_scope"
        facility = self.repo.facilities.get(scope)
        if scope not in self.usable:
            return "not_a_scope" if facility is not None else "missing"
        if facility is not None and facility.built_in:
            return "built_in"
        return "member" if fid in self.members.get(scope, ()) else "assign"


# message keys of the label step: Add (its last step) and Update (after the nodes)
ADD_LABEL = {"header": "assigning_label_scopes", "missing": "scope_missing", "built_in": "scope_built_in",
             "not_a_scope": "not_a_scope", "member": "already_in_scope", "assign": "assigning",
             "own_scope": "scope_own"}
UPDATE_LABEL = {**ADD_LABEL, "header": "checking_label", "missing": "scope_missing_update",
                "assign": "assigning_to_scope"}


def _label_steps(steps, memberships, nodes, keys, own):
    """Assign nodes to the existing scopes of their label, one assignNodeScope per scope."""
    wanted = {}
    for node in nodes:
        if node.label_scopes is None:
            continue
        fid = node.facility_id
        steps.say(keys["header"], fid=fid, scopes=list(node.label_scopes))
        for scope in node.label_scopes:
            verdict = memberships.label_verdict(scope, fid, own)
            steps.say(keys[verdict], scope=scope, x=fid)
            if verdict == "assign":
                wanted.setdefault(scope, []).append(fid)
    for scope, fids in wanted.items():
        memberships.members.setdefault(scope, set()).update(fids)
        steps.call("assign_node_scope", scope, fids)


def add_plan(desired, repo):
    """RepositoryDockerNodeAdd (docs/rules.md#sync-add): create what is missing, assign what
    is not assigned; existing scopes and nodes are left as they are."""
    steps, memberships = _Steps(), _Memberships(repo)
    steps.say("creating_scopes")
    for scope, parent in desired.scopes():
        facility = repo.facilities.get(scope)
        if facility is None and parent and parent not in memberships.usable:
            steps.say("scope_unusable_skip", scope=parent)
        elif facility is None:
            steps.say("creating", x=scope)
            steps.call("add_scope", parent, scope, scope)
            memberships.created(scope)
        else:
            steps.say("exists_skip" if facility.is_scope else "is_node_skip", x=scope)

    host = desired.host_facility_id
    steps.say("creating_host_node")
    host_is_node = _create_node(steps, repo, host, desired.host_node)
    steps.say("assigning_host_node")
    memberships.assign(steps, HOST_SCOPE, [host] if host_is_node else [])

    steps.say("creating_container_nodes")
    registered = []
    for node in desired.containers:
        if not node.registrable:
            steps.say("invalid_facility", name=node.name, fid=node.facility_id)
        elif _create_node(steps, repo, node.facility_id, lambda n=node: n.node_info(desired.description)):
            registered.append(node)
    for scope in (CONTAINER_SCOPE, desired.host_scope):
        steps.say("assigning_container_nodes", scope=scope)
        memberships.assign(steps, scope, [n.facility_id for n in registered])
    _label_steps(steps, memberships, registered, ADD_LABEL, own_scopes(desired, repo))
    return steps.plan()


def _create_node(steps, repo, fid, node_info):
    """Plan addNode unless the ID exists; True when a node of that ID will exist."""
    facility = repo.facilities.get(fid)
    if facility is None:
        steps.say("creating", x=fid)
        steps.call("add_node", node_info())
        return True
    steps.say("exists_skip" if facility.is_node else "is_scope_skip", x=fid)
    return facility.is_node


def delete_plan(desired, repo):
    """RepositoryDockerNodeDelete (docs/rules.md#sync-delete): one deleteNode for this host's nodes
    (DOCKER_HOST = -f) whose container is gone; scopes, host nodes and other hosts' nodes are never
    touched."""
    steps = _Steps()
    steps.say("deleting_container_nodes")
    current = {c.facility_id for c in desired.containers}
    names = {c.name for c in desired.containers}
    gone = []
    for fid in delete_candidates(desired, repo):
        if fid not in current:
            owner = node_variables(repo.nodes.get(fid)).get("DOCKER_HOST")
            if owner != desired.host_facility_id:
                continue  # not a node of this host: not ours to judge
        steps.say("facility", fid=fid)
        if fid in current or repo.facilities[fid].name in names:
            steps.say("exists")
        else:
            steps.say("deleting")
            gone.append(fid)
    if gone:
        steps.call("delete_nodes", gone)
    return steps.plan()


def update_plan(desired, repo):
    """RepositoryDockerNodeUpdate (docs/rules.md#sync-update): DOCKER_STATUS and the management
    flag from the state, derived properties after a recreation, then the label scopes that exist."""
    steps, memberships = _Steps(), _Memberships(repo)
    steps.say("updating_container_nodes")
    own = []
    for node in desired.containers:
        fid = node.facility_id
        if not node.registrable:
            steps.say("invalid_facility", name=node.name, fid=fid)
            continue
        steps.say("facility", fid=fid)
        current = repo.nodes.get(fid)
        if current is None:
            steps.say("is_scope_skip" if repo.is_scope(fid) else "not_registered", x=fid)
            continue
        variables = node_variables(current)
        owner = variables.get("DOCKER_HOST")
        if owner != desired.host_facility_id:
            steps.say("not_own_node", host=desired.host_facility_id, value=owner or "-")
            continue
        own.append(node)
        refreshed, changed = refreshed_node(node, current)
        old_state = variables.get("DOCKER_STATUS") or "-"
        if refreshed is None:
            steps.say("state_skip", old=old_state, new=node.state)
            continue
        steps.say("state_change", old=old_state, new=node.state)
        derived = [name for name in changed if name not in ("valid", "DOCKER_STATUS")]
        if derived:
            steps.say("refreshing", names=", ".join(derived))
        steps.call("modify_node", refreshed)
    _label_steps(steps, memberships, own, UPDATE_LABEL, own_scopes(desired, repo))
    return steps.plan()


def refreshed_node(node, current):
    """(the nodeInfo for modifyNode, the names of what changed), or (None, []) when nothing did.

    modifyNode overwrites the whole node, so the node as read is sent back (notes, SNMP settings
    and variables an operator added survive); only the management flag, node name, host name and
    the six variables are set from the container."""
    wanted = node.variables()
    variables = node_variables(current)
    hostnames = [h["hostname"] for h in current.get("nodeHostnameInfo") or [] if h and h.get("hostname")]
    changed = [name for name, differs in (("valid", current.get("valid") != node.valid),
                                          ("nodeName", current.get("nodeName") != node.container_id),
                                          ("hostname", node.container_id not in hostnames)) if differs]
    changed += [name for name in VARIABLES if variables.get(name) != wanted.get(name)]
    if not changed:
        return None, []
    hostnames = [h for h in hostnames if h not in (current.get("nodeName"), node.container_id)]
    kept = [v for v in current.get("nodeVariableInfo") or []
            if v and v.get("nodeVariableName") not in VARIABLES]
    refreshed = {**current, "valid": node.valid, "nodeName": node.container_id,
                 "nodeHostnameInfo": [{"hostname": h} for h in hostnames + [node.container_id]],
                 "nodeVariableInfo": kept + [{"nodeVariableName": n, "nodeVariableValue": v}
                                             for n, v in wanted.items()]}
    return refreshed, changed


def applied(repo, calls):
    """The Repository as the manager holds it after `calls` (made in order) succeeded: what the
    next plan of the same run needs instead of reading the tree again. A node added is known in
    full, as it was sent."""
    if not calls:
        return repo
    facilities, nodes = dict(repo.facilities), dict(repo.nodes)
    members = dict(repo.members)

    def add_members(scope, fids):
        members[scope] = members.get(scope, set()) | set(fids)
    for call in calls:
        if call.operation == "add_scope":
            parent, fid, name = call.args[:3]
            facilities[fid] = Facility(fid, name, TYPE_SCOPE, True, False)
            add_members(parent or ROOT_ID, [fid])
            members.setdefault(fid, set())
        elif call.operation in ("add_node", "modify_node"):
            node = call.args[0]
            fid = node["facilityId"]
            facilities[fid] = Facility(fid, node.get("facilityName") or "", TYPE_NODE,
                                       bool(node.get("valid", True)), False)
            nodes[fid] = node
        elif call.operation == "assign_node_scope":
            add_members(*call.args)
        elif call.operation == "delete_nodes":
            gone = set(call.args[0])
            for fid in gone:
                facilities.pop(fid, None)
                nodes.pop(fid, None)
            members = {scope: ids - gone if ids & gone else ids
                       for scope, ids in members.items() if scope not in gone}
        else:
            raise ValueError(f"no model of {call.operation}")
    return Repository(facilities, members, nodes)


# ---- the three actions ------------------------------------------------------------------------

def _status_line(node):
    return message("container_status", id=node.container_id, name=node.name, status=node.status,
                   state=node.state)


def _add_listing(node):
    return ([] if node.ports else [message("port_not_bind")]) + [_status_line(node)]


def _delete_listing(node):
    return [message("container", id=node.container_id, name=node.name)]


def _update_listing(node):
    return [_status_line(node)]


@dataclass(frozen=True)
class SyncAction:
    """One of the sync's three actions, as data: the script that runs it alone, how it lists the
    containers (docs/rules.md#sync-listing), which full nodes its plan needs (None: the facility
    tree is enough) and its plan."""

    name: str
    script: str
    listing_title: str
    listing: Callable[[ContainerNode], list]
    nodes_to_read: Optional[Callable[[Desired, Repository], list]]
    plan: Callable[[Desired, Repository], Plan]

    @property
    def reads_nodes(self):
        return self.nodes_to_read is not None

    def node_ids(self, desired, repo):
        """The IDs of the full nodes the plan needs."""
        return self.nodes_to_read(desired, repo) if self.reads_nodes else []

    def container_lines(self, desired):
        """The container list as the script prints it before its plan."""
        return [message(self.listing_title)] + [line for node in desired.containers
                                                for line in self.listing(node)]


ADD = SyncAction("add", "RepositoryDockerNodeAdd.py", "getting_containers", _add_listing, None, add_plan)
DELETE = SyncAction("delete", "RepositoryDockerNodeDelete.py", "got_containers", _delete_listing,
                    gone_candidates, delete_plan)
UPDATE = SyncAction("update", "RepositoryDockerNodeUpdate.py", "getting_containers", _update_listing,
                    container_nodes, update_plan)
# in the order the manual's cron wrapper runs them
ACTIONS = (ADD, DELETE, UPDATE)
