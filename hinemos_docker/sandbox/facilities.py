"""The in-memory repository: facilities, scope relations, and the read operations of the endpoint.

Semantics are the manager's (docs/hinemos-facts.md#repository-operations): one ID space for nodes
and scopes, built-in scopes present from the start, partial node copies from the list operations,
invalid nodes hidden only by getNodeFacilityIdList. The write operations live in writes.py; both
work on plain dicts shaped like the schema's types (soap.Schema), and raise model.Fault for what the
manager answers with a fault.
"""
import copy

from . import soap
from .model import (
    ADMIN_ROLE,
    FACILITY_DEFAULTS,
    FIXED_BUILTIN_IDS,
    FULL_ONLY_LISTS,
    PARTIAL_COPY_FIELDS,
    PASSWORD_FIELDS,
    PLATFORMS,
    REST_ONLY_FIELDS,
    ROLES,
    ROOT_ID,
    ROOT_NAME,
    TYPE_COMPOSITE,
    TYPE_NODE,
    TYPE_SCOPE,
    Fault,
    builtin_scopes,
    conceal,
    is_rest,
    model_schema,
    node_defaults,
    now_ms,
)
from .validation import check_id

STATE_FORMAT = 1
TREE_DATA_FIELDS = ("facilityId", "facilityName", "facilityType", "displaySortOrder", "iconImage", "valid",
                    "ownerRoleId", "description")


def java(value):
    """How Java string concatenation prints a value (null for None)."""
    return "null" if value is None else value


class Repository:
    """Facilities by id, and the ordered children of every scope (ROOT_ID for the top level)."""

    def __init__(self, version="6.2", user="hinemos", state=None):
        self.version = version
        self.user = user
        self.schema = soap.schema(model_schema(version))
        self.node_fields = dict(self.schema.field_maps["nodeInfo"])
        if is_rest(version):
            self.node_fields.update({name: soap.Field(name, kind, False, False)
                                     for name, (kind, _) in REST_ONLY_FIELDS.items()})
        self.facility_fields = [f.name for f in self.schema.types["facilityInfo"]]
        self.defaults = node_defaults(self.node_fields.values())
        self.facilities = {}
        self.children = {ROOT_ID: {}}
        self.used = {}  # facility id -> messages of the settings that reference it (UsedFacility)
        self._compact = {}  # facility id -> (node record, its compact form) for to_state()
        if state is None:
            stamp = now_ms()
            for parent, scope in builtin_scopes(version):
                if isinstance(scope, dict):
                    self.facilities[scope["facilityId"]] = {**scope, "createDatetime": stamp,
                                                            "modifyDatetime": stamp}
                    self.children[scope["facilityId"]] = {}
                    scope = scope["facilityId"]
                self.children[parent][scope] = None
        else:
            self._load(state)

    # -- persistence -----------------------------------------------------------------------------

    def to_state(self):
        """A JSON-ready snapshot; nodes keep only what differs from NodeInfo's defaults."""
        facilities = {}
        for fid, record in self.facilities.items():
            if record["facilityType"] == TYPE_NODE:
                cached = self._compact.get(fid)
                if cached is None or cached[0] is not record:  # node writes replace the record
                    cached = self._compact[fid] = (record, {k: v for k, v in record.items()
                                                            if self.defaults.get(k, ...) != v})
                record = cached[1]
            facilities[fid] = record
        for fid in [f for f in self._compact if f not in self.facilities]:
            del self._compact[fid]
        return {"format": STATE_FORMAT, "version": self.version, "facilities": facilities,
                "children": {p: list(c) for p, c in self.children.items()}, "used": self.used}

    def snapshot(self):
        """What restore() takes back to: the dicts a write changes, copied one level deep (the
        writes replace facility records and never change them in place)."""
        return dict(self.facilities), {p: dict(c) for p, c in self.children.items()}, dict(self.used)

    def restore(self, snapshot):
        self.facilities, self.children, self.used = snapshot

    def _load(self, state):
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"unknown data format {state.get('format')!r}")
        if state.get("version") != self.version:
            raise ValueError(f"the data file is of a {state.get('version')} stand-in, not {self.version}")
        for fid, record in state["facilities"].items():
            if record.get("facilityType", TYPE_NODE) == TYPE_NODE:
                record = {**self.defaults, **record}
            self.facilities[fid] = record
        self.children = {p: dict.fromkeys(c) for p, c in state["children"].items()}
        self.used = dict(state.get("used", {}))

    # -- relations -------------------------------------------------------------------------------

    def is_node(self, fid):
        record = self.facilities.get(fid)
        return record is not None and record["facilityType"] == TYPE_NODE

    def is_scope(self, fid):
        record = self.facilities.get(fid)
        return record is not None and record["facilityType"] == TYPE_SCOPE

    def parents(self, fid):
        return [p for p, kids in self.children.items() if fid in kids]

    def is_builtin(self, fid):
        """FacilitySelector.isBuildinScope: fixed ids, role ids, and every child of OS."""
        return fid in FIXED_BUILTIN_IDS or fid in ROLES or fid in self.children.get("OS", {})

    def sorted_children(self, parent):
        kids = self.children.get(parent, {})
        return sorted(kids, key=lambda c: (self.facilities[c]["displaySortOrder"], c))

    def descendants(self, parent, level):
        """Ids under `parent` to `level` levels (0 = all), without repeats."""
        found, frontier, depth = {}, [parent], 0
        while frontier and (level <= 0 or depth < level):
            depth += 1
            following = []
            for scope in frontier:
                for child in self.sorted_children(scope):
                    if child not in found:
                        found[child] = None
                        following.append(child)
            frontier = following
        return list(found)

    def visible(self, record, role):
        """Object-privilege view: the login user (an administrator) or the given role sees it."""
        return not role or role == ADMIN_ROLE or record.get("ownerRoleId") == role

    def scope_or_fault(self, fid):
        """checkIsBuildInScope: the id must be a scope and not a built-in one."""
        if not self.is_scope(fid):
            raise Fault("HinemosUnknown", f"ScopeEntity.findByPrimaryKey, facilityId = {java(fid)}")
        if self.is_builtin(fid):
            raise Fault("HinemosUnknown", f"this facility is built in scope. (facilityId = {fid})")

    # -- views of records ------------------------------------------------------------------------

    def facility_record(self, record):
        data = {k: record[k] for k in self.facility_fields if k in record}
        data["builtInFlg"] = record["facilityType"] == TYPE_SCOPE and self.is_builtin(record["facilityId"])
        data["notReferFlg"] = False  # the login user (an administrator) may refer to everything
        return data

    def partial_node(self, record):
        """FacilitySelector.copyToNodeInfo: a few real fields, the constructor defaults elsewhere."""
        node = dict(self.defaults)
        node.update({k: record[k] for k in PARTIAL_COPY_FIELDS if k in record})
        return node

    def full_node(self, record):
        node = copy.deepcopy(record)
        if self.version != "6.0":
            for field in FULL_ONLY_LISTS:
                node.pop(field, None)
        for field in PASSWORD_FIELDS:
            if field in node and field + "Crypt" in self.node_fields:
                node[field + "Crypt"] = conceal(node[field])
        return node

    def tree_item(self, record, children, role):
        data = {k: record[k] for k in TREE_DATA_FIELDS if k in record}
        data["builtInFlg"] = self.facility_record(record)["builtInFlg"]
        data["notReferFlg"] = not self.visible(record, role)
        roles = [record.get("ownerRoleId"), ADMIN_ROLE]
        return {"authorizedRoleIdSet": list(dict.fromkeys(r for r in roles if r)),
                "children": children, "data": data}

    def root_item(self, children):
        data = {**FACILITY_DEFAULTS, "facilityId": ROOT_ID, "facilityName": ROOT_NAME,
                "facilityType": TYPE_COMPOSITE, "displaySortOrder": 0, "notReferFlg": False}
        return {"authorizedRoleIdSet": [], "children": children, "data": data}

    # -- read operations -------------------------------------------------------------------------

    def echo(self, text):
        return f"{java(text)}, {java(text)}"

    def get_facility_tree(self, owner_role_id):
        return self.root_item(self._subtree(ROOT_ID, owner_role_id))

    def _subtree(self, parent, role):
        items = []
        for child in self.sorted_children(parent):
            record = self.facilities[child]
            below = self._subtree(child, role) if record["facilityType"] == TYPE_SCOPE else []
            if self.visible(record, role) or below:
                items.append(self.tree_item(record, below, role))
        return items

    def get_node_facility_tree(self, owner_role_id):
        nodes = [r for fid, r in sorted(self.facilities.items())
                 if r["facilityType"] == TYPE_NODE and self.visible(r, owner_role_id)]
        return self.root_item([self.tree_item(r, [], owner_role_id) for r in nodes])

    def get_node_list_all(self):
        return [self.partial_node(self.facilities[f]) for f in sorted(self.facilities) if self.is_node(f)]

    def get_node(self, fid):
        if not fid:
            return {**self.defaults, "facilityId": "", "createDatetime": now_ms(), "modifyDatetime": now_ms()}
        if not self.is_node(fid):
            raise Fault("FacilityNotFound", f"NodeEntity.findByPrimaryKey, facilityId = {fid}")
        return self.full_node(self.facilities[fid])

    def get_facility_list(self, parent_id):
        if not parent_id:
            kids = [c for c in self.sorted_children(ROOT_ID) if self.is_scope(c)]
        elif parent_id not in self.facilities:
            raise Fault("HinemosUnknown", None)  # a NullPointerException inside the manager
        else:
            kids = self.sorted_children(parent_id)
        return [self.facility_record(self.facilities[c]) for c in kids]

    def get_scope(self, fid):
        stamp = now_ms()
        scope = {**FACILITY_DEFAULTS, "facilityType": TYPE_SCOPE, "createDatetime": stamp,
                 "modifyDatetime": stamp}
        if not fid:
            return scope
        record = self.facilities.get(fid)
        if record is None:
            raise Fault("FacilityNotFound", f"FacilityEntity.findByPrimaryKey, facilityId = {fid}")
        scope.update({k: record[k] for k in ("facilityId", "facilityName", "iconImage", "ownerRoleId")})
        if record.get("description"):
            scope["description"] = record["description"]
        return scope

    def get_node_list(self, parent_id, level):
        if self.is_node(parent_id):
            return [self.partial_node(self.facilities[parent_id])]
        if not parent_id or parent_id not in self.facilities:
            return []
        found = self.descendants(parent_id, level)
        return [self.partial_node(self.facilities[f]) for f in found if self.is_node(f)]

    def get_node_scope_list(self, node_id):
        if node_id not in self.facilities:
            raise Fault("HinemosUnknown", f"FacilityEntity.findByPrimaryKey, facilityId = {java(node_id)}")
        paths = []
        for parent in self.parents(node_id):
            names, scope = [], parent
            while scope != ROOT_ID:
                names.insert(0, self.facilities[scope]["facilityName"] + ">")
                scope = self.parents(scope)[0]
            paths.append("".join(names))
        return paths

    def get_facility_id_list(self, parent_id, level):
        if not parent_id or parent_id not in self.facilities:
            return []
        return [parent_id] + self.descendants(parent_id, level)

    def get_node_facility_id_list(self, parent_id, owner_role_id, level):
        if not parent_id or parent_id not in self.facilities:
            return []
        ids = [parent_id] if self.is_node(parent_id) else self.descendants(parent_id, level)
        return [f for f in ids if self.is_node(f) and self.facilities[f]["valid"]
                and self.visible(self.facilities[f], owner_role_id)]

    def is_node_operation(self, fid):
        if fid not in self.facilities:
            raise Fault("FacilityNotFound", f"FacilityEntity.findByPrimaryKey, facilityId = {java(fid)}")
        return self.is_node(fid)

    def get_platform_list(self):
        return [{"id": pid, "name": name} for pid, name in PLATFORMS.items()]

    # -- test hook -------------------------------------------------------------------------------

    def mark_used(self, fid, *messages):
        """Pretend monitor/job settings reference `fid`, so deleting it raises UsedFacility."""
        check_id("FACILITY_ID", fid, 512)
        if messages:
            self.used[fid] = list(messages)
        else:
            self.used.pop(fid, None)
