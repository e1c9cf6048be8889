"""Node operations of the stand-in through suds, zeep and our client, against both WSDL versions:
semantics, validation and faults as docs/hinemos-facts.md#repository-operations and the facts after
it state them."""
import pytest

from tests.fixtures.soap_apis import fault_of, new_node

NODE_NOT_FOUND = "NodeEntity.findByPrimaryKey, facilityId = {}"
FACILITY_NOT_FOUND = "FacilityEntity.findByPrimaryKey, facilityId = {}"
IPV4 = "$[MESSAGE_PLEASE_SET_IPV4_CORRECT_FORMAT]"
OWNER_CHANGE = ("InvalidSetting", "$[MESSAGE_OWNERROLEID_CHANGE_NG]")

VARIABLES = [{"nodeVariableName": "DOCKER_HOST", "nodeVariableValue": "docker_host1"},
             {"nodeVariableName": "DOCKER_STATUS", "nodeVariableValue": "running"}]


def test_add_node_then_get_node_returns_it(api):
    api("addNode", new_node("web1", description="a container", nodeVariableInfo=VARIABLES,
                            nodeHostnameInfo=[{"hostname": "0123456789ab"}]))
    node = api("getNode", "web1")
    assert node["facilityId"] == "web1"
    assert node["facilityName"] == "name of web1"
    assert node["facilityType"] == 1
    assert node["ownerRoleId"] == "ALL_USERS"
    assert node["ipAddressV4"] == "192.0.2.10"
    assert node["nodeName"] == "web1"
    assert node["description"] == "a container"
    assert node["valid"] is True
    assert node["displaySortOrder"] == 100
    assert node["createUserId"] == "hinemos"
    assert [(v["nodeVariableName"], v["nodeVariableValue"]) for v in node["nodeVariableInfo"]] == [
        ("DOCKER_HOST", "docker_host1"), ("DOCKER_STATUS", "running")]
    assert node["nodeHostnameInfo"] == [{"hostname": "0123456789ab"}]
    # omitted elements take NodeInfo's constructor defaults
    assert (node["snmpCommunity"], node["snmpPort"], node["sshPort"], node["agentAwakePort"]) == (
        "public", 161, 22, 24005)


def test_add_node_assigns_registered_owner_role_and_os_scopes(api):
    api("addNode", new_node("web1", ownerRoleId="ADMINISTRATORS", platformFamily="WINDOWS"))
    assert sorted(api("getNodeScopeList", "web1")) == sorted(
        ["Registered Nodes>", "Owner Role>Administrators>", "OS>Windows>"])
    for scope in ("REGISTERED", "ADMINISTRATORS", "WINDOWS"):
        assert "web1" in api("getFacilityIdList", scope, 1)


def test_add_node_can_be_invalid_from_the_start(api):
    api("addNode", new_node("web1", valid=False))
    assert api("getNode", "web1")["valid"] is False


@pytest.mark.parametrize("existing", ["node", "scope", "builtin"])
def test_add_node_with_a_taken_id_is_facility_duplicate(api, existing):
    fid = {"node": "web1", "scope": "docker", "builtin": "REGISTERED"}[existing]
    if existing == "node":
        api("addNode", new_node("web1"))
    if existing == "scope":
        api("addScope", None, {"facilityId": "docker", "facilityName": "Docker", "ownerRoleId": "ALL_USERS"})
    fault = fault_of(api, "addNode", new_node(fid))
    assert fault == ("FacilityDuplicate", f"FacilityInfo, primaryKey = {fid}")


def test_add_node_over_a_facility_of_another_owner_fails_validation_first(api):
    api("addNode", new_node("web1", ownerRoleId="ADMINISTRATORS"))
    assert fault_of(api, "addNode", new_node("web1")) == OWNER_CHANGE


@pytest.mark.parametrize("change, message", [
    ({"facilityId": None}, '$[MESSAGE_ID_IS_NULL:"$[FACILITY_ID]"]'),
    ({"facilityId": "web/1"}, '$[MESSAGE_ID_ILLEGAL_CHARACTERS:"web/1":"$[FACILITY_ID]"]'),
    ({"facilityId": "web 1"}, '$[MESSAGE_ID_ILLEGAL_CHARACTERS:"web 1":"$[FACILITY_ID]"]'),
    ({"facilityId": "x" * 513}, '$[MESSAGE_INPUT_OVER_LIMIT:"$[FACILITY_ID]":"512"]'),
    ({"facilityId": "_ROOT_"}, '$[MESSAGE_NOT_ALLOWED_IN_REPOSITORY:"_ROOT_"]'),
    ({"facilityName": None}, '$[MESSAGE_PLEASE_INPUT:"$[FACILITY_NAME]"]'),
    ({"ownerRoleId": None}, "$[MESSAGE_PLEASE_SET_OWNERROLEID]"),
    ({"ownerRoleId": "NO_SUCH_ROLE"}, "RoleInfo.findByPrimaryKey, roleId = NO_SUCH_ROLE"),
    ({"platformFamily": None}, '$[MESSAGE_PLEASE_INPUT:"$[PLATFORM_FAMILY_NAME]"]'),
    ({"platformFamily": "BEOS"}, "platform BEOS does not exist!"),
    ({"facilityType": 0}, "Node FacilityType is  1"),
    ({"ipAddressVersion": None}, "IpAddressVersion is not 4 / 6."),  # omitted: the default -1
    ({"ipAddressVersion": 5}, "IpAddressVersion is not 4 / 6."),
    ({"ipAddressV4": None}, IPV4),
    ({"ipAddressV4": "docker-host.example"}, IPV4 + "(docker-host.example)"),
    ({"ipAddressV4": "10.0.0.256"}, IPV4 + "(10.0.0.256)"),
    ({"ipAddressV4": "10.0.0"}, IPV4 + "(10.0.0)"),
    ({"ipAddressVersion": 6, "ipAddressV6": "not-v6"}, "$[MESSAGE_PLEASE_SET_IPV6_CORRECT_FORMAT](not-v6)"),
    ({"nodeName": None}, '$[MESSAGE_PLEASE_INPUT:"$[NODE_NAME]"]'),
    ({"nodeName": "n" * 129}, '$[MESSAGE_INPUT_OVER_LIMIT:"$[NODE_NAME]":"128"]'),
    ({"snmpVersion": 2}, "$[MESSAGE_PLEASE_SET_SNMP_VERSION]"),
    ({"wbemProtocol": "ftp"}, "WBEM Protocol is http or https"),
    ({"nodeVariableInfo": VARIABLES + [VARIABLES[0]]},
     '$[MESSAGE_ERROR_IN_OVERLAP:"$[NODE_VARIABLE]":"DOCKER_HOST"]'),
])
def test_add_node_validation(api, change, message):
    assert fault_of(api, "addNode", new_node("web1", **change)) == ("InvalidSetting", message)
    assert "web1" not in api("getFacilityIdList", "REGISTERED", 0)


def test_add_node_rejects_an_empty_node_variable_value_in_6_2(api):
    node = new_node("web1", nodeVariableInfo=[{"nodeVariableName": "DOCKER_PORTS", "nodeVariableValue": ""}])
    if api.version == "6.0":
        api("addNode", node)  # 6.0 checks duplicate names only
        return
    fault = fault_of(api, "addNode", node)
    assert fault == ("InvalidSetting", '$[MESSAGE_PLEASE_INPUT:"$[NODE_VARIABLE_VALUE]"]')


def test_add_node_with_ipv6_stores_the_expanded_form(api):
    api("addNode", new_node("web6", ipAddressVersion=6, ipAddressV4=None, ipAddressV6="fe80::1"))
    assert api("getNode", "web6")["ipAddressV6"] == "fe80:0:0:0:0:0:0:1"


def test_get_node_of_unknown_or_scope_is_facility_not_found(api):
    for fid in ("nope", "REGISTERED"):
        assert fault_of(api, "getNode", fid) == ("FacilityNotFound", NODE_NOT_FOUND.format(fid))


def test_get_node_of_empty_id_is_an_empty_node(api):
    node = api("getNode", "")
    assert "facilityId" not in node
    assert node["snmpCommunity"] == "public"


def test_modify_node_replaces_the_whole_node(api):
    api("addNode", new_node("web1", description="first", nodeVariableInfo=VARIABLES, snmpCommunity="secret"))
    status = [{"nodeVariableName": "DOCKER_STATUS", "nodeVariableValue": "exited"}]
    api("modifyNode", new_node("web1", facilityName="renamed", nodeVariableInfo=status))
    node = api("getNode", "web1")
    assert node["facilityName"] == "renamed"
    assert "description" not in node  # omitted: back to the default ""
    assert node["snmpCommunity"] == "public"
    assert node["nodeVariableInfo"] == status
    assert node["createUserId"] == "hinemos"


def test_modify_node_moves_the_node_between_os_scopes(api):
    api("addNode", new_node("web1"))
    api("modifyNode", new_node("web1", platformFamily="OTHER"))
    assert "web1" not in api("getFacilityIdList", "LINUX", 0)
    assert "web1" in api("getFacilityIdList", "OTHER", 0)


def test_modify_node_faults(api):
    fault = fault_of(api, "modifyNode", new_node("ghost"))
    assert fault == ("HinemosUnknown", FACILITY_NOT_FOUND.format("ghost"))
    api("addNode", new_node("web1"))
    assert fault_of(api, "modifyNode", new_node("web1", ownerRoleId="ADMINISTRATORS")) == OWNER_CHANGE
    fault = fault_of(api, "modifyNode", new_node("web1", ipAddressV4="host.example"))
    assert fault == ("InvalidSetting", IPV4 + "(host.example)")


def test_delete_node(api):
    api("addNode", new_node("web1"))
    api("addNode", new_node("web2"))
    api("deleteNode", ["web1", "web2"])
    assert api("getNodeListAll") == []
    assert api("getFacilityIdList", "REGISTERED", 0) == ["REGISTERED"]
    api("deleteNode", [])  # an empty array is a no-op


def test_delete_node_faults_and_rolls_back(api):
    api("addNode", new_node("web1"))
    fault = fault_of(api, "deleteNode", ["web1", "ghost"])
    assert fault == ("HinemosUnknown", FACILITY_NOT_FOUND.format("ghost"))
    assert fault_of(api, "deleteNode", ["web1", "REGISTERED"]) == (
        "HinemosUnknown", "this facility is not a node. (facilityId = REGISTERED)")
    assert api("isNode", "web1") is True  # all or nothing


def test_delete_node_referenced_by_settings_is_used_facility(api):
    api("addNode", new_node("web1"))
    api.sandbox.mark_used("web1", "$[MONITOR_SETTING] : CPU01", "$[JOB_MANAGEMENT] : JOB1")
    assert fault_of(api, "deleteNode", ["web1"]) == (
        "UsedFacility", "$[MONITOR_SETTING] : CPU01\n$[JOB_MANAGEMENT] : JOB1")


def test_is_node(api):
    api("addNode", new_node("web1"))
    assert api("isNode", "web1") is True
    assert api("isNode", "REGISTERED") is False
    assert fault_of(api, "isNode", "ghost") == ("FacilityNotFound", FACILITY_NOT_FOUND.format("ghost"))


def test_set_valid(api):
    api("addNode", new_node("web1"))
    api("setValid", "web1", False)
    assert api("getNode", "web1")["valid"] is False
    assert api("getNodeFacilityIdList", "REGISTERED", None, 0) == []
    api("setValid", "web1", True)
    assert api("getNode", "web1")["valid"] is True
    assert api("getNodeFacilityIdList", "REGISTERED", None, 0) == ["web1"]


def test_set_valid_faults(api):
    for fid in ("ghost", "REGISTERED"):
        assert fault_of(api, "setValid", fid, False) == ("FacilityNotFound", NODE_NOT_FOUND.format(fid))
    fault = fault_of(api, "setValid", "", False)
    assert fault == ("InvalidSetting", '$[MESSAGE_ID_IS_NULL:"$[FACILITY_ID]"]')


def test_node_lists_are_partial_copies(api):
    api("addNode", new_node("web1", description="d", valid=False, nodeVariableInfo=VARIABLES))
    for nodes in (api("getNodeListAll"), api("getNodeList", "REGISTERED", 0)):
        [node] = nodes
        assert (node["facilityId"], node["facilityName"], node["description"]) == ("web1", "name of web1",
                                                                                  "d")
        assert (node["ipAddressV4"], node["platformFamily"]) == ("192.0.2.10", "LINUX")
        assert node["ownerRoleId"] == "ALL_USERS"
        assert node["valid"] is True  # the constructor default, not the node's flag
        assert "nodeName" not in node and "nodeVariableInfo" not in node


def test_get_node_list_levels_and_odd_ids(api):
    api("addScope", None, {"facilityId": "docker", "facilityName": "Docker", "ownerRoleId": "ALL_USERS"})
    api("addScope", "docker", {"facilityId": "host1", "facilityName": "Host 1", "ownerRoleId": "ALL_USERS"})
    api("addNode", new_node("top"))
    api("addNode", new_node("deep"))
    api("assignNodeScope", "docker", ["top"])
    api("assignNodeScope", "host1", ["deep"])
    assert sorted(n["facilityId"] for n in api("getNodeList", "docker", 0)) == ["deep", "top"]
    assert [n["facilityId"] for n in api("getNodeList", "docker", 1)] == ["top"]
    assert [n["facilityId"] for n in api("getNodeList", "top", 0)] == ["top"]
    assert api("getNodeList", "ghost", 0) == []
    assert api("getNodeList", "", 0) == []
