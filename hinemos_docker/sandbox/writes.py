"""The write operations of the endpoint, each all-or-nothing: check everything, then change.

Records are replaced, never changed in place, so the shallow Repository.snapshot() is enough to
undo a failed call. Steps, defaults and messages follow docs/hinemos-facts.md#repository-operations
(RepositoryControllerBean/FacilityModifier): addNode/modifyNode validate the whole node and replace
it, addNode auto-assigns REGISTERED, the owner-role scope and the OS scope, built-in scopes are
read-only, assigning a member is a no-op, releasing a non-member and deleting an unknown node fault.
"""
from .facilities import java
from .model import (
    FACILITY_DEFAULTS,
    PASSWORD_FIELDS,
    TYPE_NODE,
    TYPE_SCOPE,
    Fault,
    is_rest,
    msg,
    now_ms,
    reveal,
)
from .validation import check_node, check_scope, expand_ipv6


def _unknown(message):
    return Fault("HinemosUnknown", message)


def _node_from_request(repo, info):
    """NodeInfo as JAXB builds it from the request: constructor defaults where elements are absent."""
    node = dict(repo.defaults)
    node.update({k: v for k, v in info.items() if v is not None and k in repo.node_fields})
    if "snmpVersion" in info and info["snmpVersion"] is None:
        node["snmpVersion"] = 0  # setDefaultInfo: null -> v1
    for field in PASSWORD_FIELDS:  # JAXB sets xCrypt after x (alphabetical order): the Crypt twin wins
        crypt = node.pop(field + "Crypt", None)
        if crypt:
            node[field] = reveal(crypt)
    for field, schema_field in repo.node_fields.items():
        if schema_field.repeated and field in node:
            node[field] = [item for item in node[field] if item is not None]
    if is_rest(repo.version):  # 7.x drops a variable row only when its name and value are both empty
        node["nodeVariableInfo"] = [v for v in node.get("nodeVariableInfo", [])
                                    if v.get("nodeVariableName") or v.get("nodeVariableValue")]
    elif repo.version != "6.0":  # 6.2 skips variables without a name
        node["nodeVariableInfo"] = [v for v in node.get("nodeVariableInfo", []) if v.get("nodeVariableName")]
    if repo.version != "6.0":  # empty host names are skipped since 6.2
        node["nodeHostnameInfo"] = [h for h in node.get("nodeHostnameInfo", []) if h.get("hostname")]
    return node


def _stamp(record, user, created=True):
    stamp = now_ms()
    if created:
        record.update(createUserId=user, createDatetime=stamp)
    record.update(modifyUserId=user, modifyDatetime=stamp)


def _finish_node(node):
    if node.get("ipAddressVersion") == 6:
        node["ipAddressV6"] = expand_ipv6(node["ipAddressV6"])
    if "nodeOsInfo" in node:
        node["nodeOsInfo"] = {**node["nodeOsInfo"], "facilityId": node["facilityId"]}


def add_node(repo, info):
    if info is None:
        raise _unknown(None)  # NullPointerException inside the manager
    node = _node_from_request(repo, info)
    fid = node.get("facilityId")
    check_node(node, repo.facilities.get(fid), repo.version)
    if fid in repo.facilities:
        raise Fault("FacilityDuplicate", f"FacilityInfo, primaryKey = {fid}")
    auto_scopes = ["REGISTERED", node["ownerRoleId"], node["platformFamily"]]
    for scope in auto_scopes:
        if not repo.is_scope(scope):
            raise _unknown(f"FacilityEntity.findByPrimaryKey, facilityId = {scope}")
    node.update(facilityType=TYPE_NODE, displaySortOrder=100)
    _stamp(node, repo.user)
    _finish_node(node)
    repo.facilities[fid] = node
    for scope in auto_scopes:
        repo.children[scope][fid] = None


def modify_node(repo, info):
    if info is None:
        raise _unknown(None)
    node = _node_from_request(repo, info)
    fid = node.get("facilityId")
    stored = repo.facilities.get(fid)
    check_node(node, stored, repo.version)
    if "valid" in info and info["valid"] is None:
        raise _unknown("node's valid is invalid . (valid = null)")
    if stored is None:
        raise _unknown(f"FacilityEntity.findByPrimaryKey, facilityId = {fid}")
    if stored["facilityType"] != TYPE_NODE:
        raise _unknown(f"NodeEntity.findByPrimaryKey, facilityId = {fid}")
    _replace_node(repo, stored, node)


def _replace_node(repo, stored, node):
    """The full overwrite of modifyNode, moving the node between OS scopes if the platform changed."""
    fid = stored["facilityId"]
    old_platform, new_platform = stored["platformFamily"], node["platformFamily"]
    if old_platform != new_platform and not repo.is_scope(new_platform):
        raise _unknown(f"FacilityEntity.findByPrimaryKey, facilityId = {new_platform}")
    node.update(facilityType=TYPE_NODE, createUserId=stored["createUserId"],
                createDatetime=stored["createDatetime"])
    _stamp(node, repo.user, created=False)
    _finish_node(node)
    repo.facilities[fid] = node
    if old_platform != new_platform:
        repo.children.get(old_platform, {}).pop(fid, None)
        repo.children[new_platform][fid] = None


def delete_node(repo, ids):
    for fid in ids:
        if fid in repo.used:
            raise Fault("UsedFacility", "\n".join(repo.used[fid]), plugin=0)
        if fid not in repo.facilities:
            raise _unknown(f"FacilityEntity.findByPrimaryKey, facilityId = {java(fid)}")
        if not repo.is_node(fid):
            raise _unknown(f"this facility is not a node. (facilityId = {fid})")
    for fid in dict.fromkeys(ids):
        del repo.facilities[fid]
        for kids in repo.children.values():
            kids.pop(fid, None)


def _scope_from_request(info):
    scope = {**FACILITY_DEFAULTS, "facilityType": TYPE_SCOPE}
    wanted = set(FACILITY_DEFAULTS) | {"ownerRoleId"}
    scope.update({k: v for k, v in info.items() if v is not None and k in wanted})
    return scope


def add_scope(repo, parent_id, info):
    if info is None:
        raise _unknown(None)
    scope = _scope_from_request(info)
    fid = scope.get("facilityId")
    check_scope(parent_id, scope, repo.facilities.get(fid), repo.facilities.__contains__, repo.version, True)
    if parent_id and not repo.is_scope(parent_id):
        raise _unknown(f"a parent's facility is not a scope. (parentFacilityId = {parent_id}, "
                       f"facilityId = {fid})")
    if fid in repo.facilities:
        raise Fault("FacilityDuplicate", f"FacilityInfo, primaryKey = {fid}")
    scope.update(valid=True, displaySortOrder=200, builtInFlg=False, notReferFlg=False)
    _stamp(scope, repo.user)
    repo.facilities[fid] = scope
    repo.children[fid] = {}
    repo.children[parent_id or "_ROOT_"][fid] = None


def modify_scope(repo, info):
    if info is None:
        raise _unknown(None)
    scope = _scope_from_request(info)
    fid = scope.get("facilityId")
    check_scope(None, scope, repo.facilities.get(fid), repo.facilities.__contains__, repo.version, False)
    repo.scope_or_fault(fid)
    # a new record, not the stored one changed: a failed call's undo keeps the records it copied
    stored = {**repo.facilities[fid],
              **{k: scope[k] for k in ("facilityName", "description", "iconImage", "ownerRoleId")}}
    _stamp(stored, repo.user, created=False)
    repo.facilities[fid] = stored


def delete_scope(repo, ids):
    for fid in ids:
        repo.scope_or_fault(fid)
        if fid in repo.used:
            raise Fault("UsedFacility", "\n".join(repo.used[fid]), plugin=0)
    for fid in dict.fromkeys(ids):
        if fid in repo.facilities:  # an earlier id of the same call may have removed it already
            _remove_scope(repo, fid)


def _remove_scope(repo, fid):
    for child in list(repo.children.pop(fid, {})):
        if repo.is_scope(child):
            _remove_scope(repo, child)  # sub-scopes go too; nodes only lose the relation
    for kids in repo.children.values():
        kids.pop(fid, None)
    del repo.facilities[fid]
    repo.used.pop(fid, None)


def _check_assignment(repo, scope_id, node_ids):
    """validateaAssignNodeScope, then checkIsBuildInScope (the four checks of
    docs/hinemos-facts.md#repository-operations)."""
    if scope_id not in repo.facilities:
        raise Fault("InvalidSetting", f"Scope does not exist! facilityId = {java(scope_id)}")
    if not node_ids:
        raise Fault("InvalidSetting", msg("MESSAGE_PLEASE_SET_NODE_REPOSITORY"))
    for fid in node_ids:
        if not repo.is_node(fid):
            raise Fault("InvalidSetting", f"Node does not exist! facilityId = {java(fid)}")
    repo.scope_or_fault(scope_id)


def assign_node_scope(repo, scope_id, node_ids):
    _check_assignment(repo, scope_id, node_ids)
    for fid in node_ids:
        repo.children[scope_id].setdefault(fid, None)  # already a member: skipped


def release_node_scope(repo, scope_id, node_ids):
    _check_assignment(repo, scope_id, node_ids)
    members = repo.children[scope_id]
    for fid in node_ids:
        if fid not in members:
            raise _unknown("FacilityRelationEntity.findByPrimaryKey[parentFacilityId, childFacilityId] = "
                           f"[{scope_id}, {fid}]")
    for fid in node_ids:
        members.pop(fid, None)


def set_valid(repo, fid, valid):
    if not fid:
        raise Fault("InvalidSetting", msg("MESSAGE_ID_IS_NULL", msg("FACILITY_ID")))
    if not repo.is_node(fid):
        raise Fault("FacilityNotFound", f"NodeEntity.findByPrimaryKey, facilityId = {fid}")
    stored = repo.facilities[fid]
    node = {**stored, "valid": bool(valid)}
    check_node(node, stored, repo.version)  # the stored node is validated again
    _replace_node(repo, stored, node)
