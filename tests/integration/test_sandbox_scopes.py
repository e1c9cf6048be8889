"""Scope operations of the stand-in through suds, zeep and our client, against both WSDL versions:
one ID space, built-in scopes read-only, assignment idempotent, release of a non-member faulting."""
import pytest

from tests.fixtures.soap_apis import fault_of, new_node, new_scope

BUILT_IN = "this facility is built in scope. (facilityId = {})"
NOT_A_SCOPE = "ScopeEntity.findByPrimaryKey, facilityId = {}"
BUILT_INS = ["INTERNAL", "REGISTERED", "UNREGISTERED", "OWNER", "OS", "ALL_USERS", "ADMINISTRATORS",
             "HINEMOS_MODULE", "LINUX", "WINDOWS", "SOLARIS", "NW_EQUIPMENT", "OTHER"]


def test_add_scope_top_level_and_below(api):
    api("addScope", None, new_scope("docker", description="Docker hosts"))
    api("addScope", "docker", new_scope("docker_host1"))
    api("addScope", "", new_scope("web"))  # "" is the top level too
    top = [f["facilityId"] for f in api("getFacilityList", None)]
    assert "docker" in top and "web" in top and "docker_host1" not in top
    [child] = api("getFacilityList", "docker")
    assert (child["facilityId"], child["facilityName"], child["facilityType"]) == (
        "docker_host1", "scope docker_host1", 0)
    assert child["displaySortOrder"] == 200 and child["valid"] is True


def test_add_scope_under_a_builtin_scope_is_not_rejected(api):
    api("addScope", "REGISTERED", new_scope("mine"))
    assert "mine" in api("getFacilityIdList", "REGISTERED", 1)


def test_add_scope_faults(api):
    api("addNode", new_node("web1"))
    assert fault_of(api, "addScope", None, new_scope("web1")) == (
        "FacilityDuplicate", "FacilityInfo, primaryKey = web1")  # one ID space for nodes and scopes
    assert fault_of(api, "addScope", None, new_scope("OS")) == (
        "FacilityDuplicate", "FacilityInfo, primaryKey = OS")
    assert fault_of(api, "addScope", "ghost", new_scope("s1")) == (
        "InvalidSetting", "Scope does not exist! facilityId = ghost")
    assert fault_of(api, "addScope", "web1", new_scope("s1")) == (
        "HinemosUnknown", "a parent's facility is not a scope. (parentFacilityId = web1, facilityId = s1)")
    assert fault_of(api, "addScope", None, new_scope("s1", facilityType=1)) == (
        "InvalidSetting", "Scope FacilityType is  1")
    assert fault_of(api, "addScope", None, new_scope("bad id")) == (
        "InvalidSetting", '$[MESSAGE_ID_ILLEGAL_CHARACTERS:"bad id":"$[FACILITY_ID]"]')
    assert fault_of(api, "addScope", None, new_scope("s1", facilityName=None)) == (
        "InvalidSetting", '$[MESSAGE_PLEASE_INPUT:"$[FACILITY_NAME]"]')
    assert fault_of(api, "addScope", None, new_scope("s1", description="d" * 257)) == (
        "InvalidSetting", '$[MESSAGE_INPUT_OVER_LIMIT:"$[DESCRIPTION]":"256"]')


def test_get_scope(api):
    api("addScope", None, new_scope("docker", description="Docker hosts", ownerRoleId="ADMINISTRATORS"))
    scope = api("getScope", "docker")
    assert (scope["facilityId"], scope["facilityName"], scope["description"]) == (
        "docker", "scope docker", "Docker hosts")
    assert (scope["ownerRoleId"], scope["facilityType"]) == ("ADMINISTRATORS", 0)
    assert api("getScope", "REGISTERED")["facilityName"] == "Registered Nodes"
    api("addNode", new_node("web1"))
    assert api("getScope", "web1")["facilityName"] == "name of web1"  # not checked to be a scope
    assert "facilityId" not in api("getScope", "")
    assert fault_of(api, "getScope", "ghost") == (
        "FacilityNotFound", "FacilityEntity.findByPrimaryKey, facilityId = ghost")


def test_modify_scope(api):
    api("addScope", None, new_scope("docker"))
    api("modifyScope", new_scope("docker", facilityName="Docker", description="hosts"))
    scope = api("getScope", "docker")
    assert (scope["facilityName"], scope["description"]) == ("Docker", "hosts")


@pytest.mark.parametrize("target", ["ghost", "web1", "REGISTERED"])
def test_modify_scope_faults(api, target):
    api("addNode", new_node("web1"))
    message = BUILT_IN.format(target) if target == "REGISTERED" else NOT_A_SCOPE.format(target)
    assert fault_of(api, "modifyScope", new_scope(target)) == ("HinemosUnknown", message)


def test_modify_scope_cannot_change_the_owner(api):
    api("addScope", None, new_scope("docker"))
    assert fault_of(api, "modifyScope", new_scope("docker", ownerRoleId="ADMINISTRATORS")) == (
        "InvalidSetting", "$[MESSAGE_OWNERROLEID_CHANGE_NG]")


def test_delete_scope_removes_sub_scopes_but_keeps_nodes(api):
    api("addScope", None, new_scope("docker"))
    api("addScope", "docker", new_scope("docker_host1"))
    api("addNode", new_node("web1"))
    api("assignNodeScope", "docker_host1", ["web1"])
    api("deleteScope", ["docker"])
    assert fault_of(api, "getScope", "docker_host1")[0] == "FacilityNotFound"
    assert api("isNode", "web1") is True
    assert sorted(api("getNodeScopeList", "web1")) == sorted(["Registered Nodes>", "Owner Role>All Users>",
                                                              "OS>Linux>"])
    api("deleteScope", [])


@pytest.mark.parametrize("builtin", BUILT_INS)
def test_builtin_scopes_are_read_only(api, builtin):
    api("addNode", new_node("web1"))
    read_only = ("HinemosUnknown", BUILT_IN.format(builtin))
    assert fault_of(api, "deleteScope", [builtin]) == read_only
    assert fault_of(api, "assignNodeScope", builtin, ["web1"]) == read_only
    assert fault_of(api, "releaseNodeScope", builtin, ["web1"]) == read_only
    owner = api("getScope", builtin)["ownerRoleId"]
    assert fault_of(api, "modifyScope", new_scope(builtin, ownerRoleId=owner)) == (
        "HinemosUnknown", BUILT_IN.format(builtin))


def test_delete_scope_faults_roll_back(api):
    api("addScope", None, new_scope("docker"))
    api("addNode", new_node("web1"))
    assert fault_of(api, "deleteScope", ["docker", "web1"]) == ("HinemosUnknown", NOT_A_SCOPE.format("web1"))
    assert fault_of(api, "deleteScope", ["ghost"]) == ("HinemosUnknown", NOT_A_SCOPE.format("ghost"))
    api.sandbox.mark_used("docker", "$[MONITOR_SETTING] : SYSLOG1")
    assert fault_of(api, "deleteScope", ["docker"]) == ("UsedFacility", "$[MONITOR_SETTING] : SYSLOG1")
    assert api("getScope", "docker")["facilityId"] == "docker"


def test_assign_node_scope_is_idempotent(api):
    api("addScope", None, new_scope("web"))
    api("addNode", new_node("web1"))
    api("addNode", new_node("web2"))
    api("assignNodeScope", "web", ["web1"])
    api("assignNodeScope", "web", ["web1", "web2"])  # web1 already a member: skipped
    assert sorted(api("getFacilityIdList", "web", 0)) == ["web", "web1", "web2"]


def test_assign_node_scope_faults(api):
    api("addScope", None, new_scope("web"))
    api("addNode", new_node("web1"))
    for operation in ("assignNodeScope", "releaseNodeScope"):
        assert fault_of(api, operation, "ghost", ["web1"]) == (
            "InvalidSetting", "Scope does not exist! facilityId = ghost")
        assert fault_of(api, operation, "web", []) == (
            "InvalidSetting", "$[MESSAGE_PLEASE_SET_NODE_REPOSITORY]")
        for bad in ("ghost", "web"):
            assert fault_of(api, operation, "web", ["web1", bad]) == (
                "InvalidSetting", f"Node does not exist! facilityId = {bad}")
        assert fault_of(api, operation, "web1", ["web1"]) == ("HinemosUnknown", NOT_A_SCOPE.format("web1"))
    assert api("getFacilityIdList", "web", 0) == ["web"]


def test_release_node_scope(api):
    api("addScope", None, new_scope("web"))
    api("addNode", new_node("web1"))
    api("addNode", new_node("web2"))
    api("assignNodeScope", "web", ["web1", "web2"])
    api("releaseNodeScope", "web", ["web1"])
    assert api("getFacilityIdList", "web", 0) == ["web", "web2"]
    assert fault_of(api, "releaseNodeScope", "web", ["web2", "web1"]) == (
        "HinemosUnknown",
        "FacilityRelationEntity.findByPrimaryKey[parentFacilityId, childFacilityId] = [web, web1]")
    assert api("getFacilityIdList", "web", 0) == ["web", "web2"]  # rolled back


def test_get_facility_list(api):
    api("addScope", None, new_scope("web"))
    api("addNode", new_node("web1"))
    api("assignNodeScope", "web", ["web1"])
    top = [f["facilityId"] for f in api("getFacilityList", "")]
    assert {"INTERNAL", "REGISTERED", "UNREGISTERED", "OWNER", "OS", "web"} <= set(top)
    [member] = api("getFacilityList", "web")
    assert (member["facilityId"], member["facilityType"]) == ("web1", 1)
    assert api("getFacilityList", "web1") == []
    assert fault_of(api, "getFacilityList", "ghost") == (
        "HinemosUnknown", "com.clustercontrol.fault.HinemosUnknown")  # a null message inside the manager
