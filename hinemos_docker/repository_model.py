"""Repository sync, pure: the nodes and scopes one Docker host should have (docs/rules.md#node-model), and
the repository as it is, from the snapshot the commands gather through the client (one
getFacilityTree, read into a RepositoryBuilder as it arrives, plus getNode only for the nodes a
plan may change). repository_plan.py compares
the two.
"""
import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple, Optional

from . import containers

CONTAINER_SCOPE = "docker_container"
HOST_SCOPE = "docker_host"
MAP_SCOPE = "docker_map"
ROOT_ID = "_ROOT_"
# the real manager's facility ID rule (docs/hinemos-facts.md#facility-id)
FACILITY_ID_RE = re.compile(r"^[A-Za-z0-9_.@-]{1,512}$")
OWNER_ROLE = "ALL_USERS"
PLATFORM = "LINUX"
TYPE_SCOPE, TYPE_NODE = 0, 1
FACILITY_NAME_MAX = 128
# the longest node-variable value the manager stores (6.2 validation); a longer command is cut
VARIABLE_VALUE_MAX = 1024
VARIABLES = ("DOCKER_CONTAINER_ID", "DOCKER_COMMAND", "DOCKER_PORTS", "DOCKER_IMAGE", "DOCKER_STATUS",
             "DOCKER_HOST")


# ---- desired state ---------------------------------------------------------------------------


def is_facility_id(text):
    """Whether the manager takes `text` as the ID of a node or scope it creates (not the root's)."""
    return bool(FACILITY_ID_RE.match(text)) and text != ROOT_ID


@dataclass(frozen=True)
class ContainerNode:
    """One container as the node it should be (docs/rules.md#node-model)."""

    host_facility_id: str
    ip_address: str
    name: str
    container_id: str
    status: str
    state: str
    command: str
    image: str
    ports: str
    label_scopes: Optional[tuple]

    @property
    def facility_id(self):
        return f"{self.host_facility_id}-{self.name}"

    @property
    def valid(self):
        return self.state == "running"

    @property
    def registrable(self):
        """Whether the manager accepts the facility ID and name (docs/hinemos-facts.md#facility-id)."""
        return is_facility_id(self.facility_id) and len(self.name) <= FACILITY_NAME_MAX

    def variables(self):
        """The six node variables by name; empty values are never sent (the manager rejects them)."""
        values = (self.container_id, self.command, self.ports, self.image, self.state, self.host_facility_id)
        return {name: value[:VARIABLE_VALUE_MAX] for name, value in zip(VARIABLES, values) if value}

    def node_info(self, description):
        """The nodeInfo of addNode."""
        return {**_node_info(self.facility_id, self.name, self.container_id, self.ip_address, description),
                "valid": self.valid,
                "nodeVariableInfo": [{"nodeVariableName": n, "nodeVariableValue": v}
                                     for n, v in self.variables().items()]}


def _node_info(facility_id, name, node_name, ip_address, description):
    return {"facilityId": facility_id, "facilityName": name, "description": description,
            "ownerRoleId": OWNER_ROLE, "platformFamily": PLATFORM, "ipAddressVersion": 4,
            "ipAddressV4": ip_address, "nodeName": node_name, "nodeHostnameInfo": [{"hostname": node_name}]}


@dataclass(frozen=True)
class Desired:
    """What one Docker host should look like in the repository."""

    host_facility_id: str
    ip_address: str
    description: str
    containers: tuple

    @property
    def host_scope(self):
        return f"{self.host_facility_id}_scope"

    def scopes(self):
        """(scope, parent) of docs/rules.md#scope-tree, parents first ('' = top level)."""
        return ((CONTAINER_SCOPE, ""), (HOST_SCOPE, ""), (MAP_SCOPE, ""), (self.host_scope, MAP_SCOPE))

    def host_node(self):
        """The nodeInfo of a new host node (docs/rules.md#node-model)."""
        f = self.host_facility_id
        return {**_node_info(f, f, f, self.ip_address, self.description), "valid": True}


def desired_state(host_facility_id, ip_address, container_list, now):
    """The Desired state of a host from GET /containers/json?all=1, in API order."""
    nodes = tuple(
        ContainerNode(host_facility_id=host_facility_id, ip_address=ip_address,
                      name=containers.container_name(c), container_id=containers.short_id(c["Id"]),
                      status=c.get("Status") or "", state=containers.container_state(c),
                      command=c.get("Command") or "", image=c.get("Image") or "",
                      ports=containers.published_ports(c.get("Ports")),
                      label_scopes=_optional_tuple(containers.label_scopes(c.get("Labels"))))
        for c in container_list)
    return Desired(host_facility_id, ip_address, f"Auto detect at {now:%Y-%m-%d %H:%M:%S}", nodes)


def _optional_tuple(items):
    return None if items is None else tuple(items)


# ---- the repository as it is ---------------------------------------------------------------

class Facility(NamedTuple):
    """One facility of the tree (a tuple: a repository holds thousands)."""

    facility_id: str
    name: str
    type: int
    valid: bool
    built_in: bool

    @property
    def is_scope(self):
        return self.type == TYPE_SCOPE

    @property
    def is_node(self):
        return self.type == TYPE_NODE


@dataclass(frozen=True)
class Repository:
    """Facilities by ID, the direct members of every scope, and the nodes read in full (getNode)."""

    facilities: dict
    members: dict
    nodes: dict = field(default_factory=dict)

    def is_scope(self, facility_id):
        return facility_id in self.facilities and self.facilities[facility_id].is_scope

    def is_node(self, facility_id):
        return facility_id in self.facilities and self.facilities[facility_id].is_node

    def with_nodes(self, nodes):
        return replace(self, nodes={fid: node for fid, node in nodes.items() if node is not None})


class RepositoryBuilder:
    """A Repository from the items of a facility tree (getFacilityTree) as a reader meets them, each
    item once its data and its children's IDs are known: no copy of the tree is kept, and a node
    placed in several scopes is one Facility and one ID string."""

    def __init__(self):
        self.facilities, self.members, self._ids = {}, {}, {}

    def add(self, data, child_ids):
        """One item: `data` its facilityInfo (facilityId, facilityName, facilityType, valid, builtInFlg;
        other keys ignored), `child_ids` the IDs add() returned for its children. Returns its ID."""
        fid = self._ids.setdefault(data["facilityId"], data["facilityId"])
        if fid != ROOT_ID and fid not in self.facilities:
            self.facilities[fid] = Facility(fid, data.get("facilityName") or "", data.get("facilityType"),
                                            bool(data.get("valid", True)), bool(data.get("builtInFlg")))
        self.members.setdefault(fid, set()).update(child_ids)
        return fid

    def repository(self):
        return Repository(self.facilities, self.members)


def repository_from_tree(tree):
    """A Repository from a tree of {facilityId, facilityName, facilityType, valid, builtInFlg, children}."""
    builder = RepositoryBuilder()

    def walk(item):
        return builder.add(item, [walk(child) for child in item.get("children") or [] if child is not None])

    walk(tree)
    return builder.repository()


def own_scopes(desired, repo):
    """The scopes the repository scripts manage, which labels may not name:
    docker_container, docker_host, docker_map, this host's scope and every scope under docker_map."""
    under_map = {fid for fid in repo.members.get(MAP_SCOPE, ()) if repo.is_scope(fid)}
    return {CONTAINER_SCOPE, HOST_SCOPE, MAP_SCOPE, desired.host_scope} | under_map


def node_variables(node):
    """{name: value} of a getNode result."""
    return {v.get("nodeVariableName"): v.get("nodeVariableValue")
            for v in (node or {}).get("nodeVariableInfo") or [] if v}


def container_nodes(desired, repo):
    """The nodes of this host's containers that exist: the full nodes (getNode) Update compares."""
    return [c.facility_id for c in desired.containers if c.registrable and repo.is_node(c.facility_id)]


def gone_candidates(desired, repo):
    """The delete candidates whose container is gone: the full nodes (getNode) Delete reads to check
    their DOCKER_HOST."""
    current = {c.facility_id for c in desired.containers}
    return [fid for fid in delete_candidates(desired, repo) if fid not in current]


def delete_candidates(desired, repo):
    """Nodes that may be this host's: IDs with its prefix, and the members of its scope."""
    prefix = f"{desired.host_facility_id}-"
    in_scope = repo.members.get(desired.host_scope, set())
    return sorted(fid for fid, facility in repo.facilities.items()
                  if facility.is_node and (fid.startswith(prefix) or fid in in_scope))

