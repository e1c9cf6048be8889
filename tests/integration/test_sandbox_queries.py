"""Read operations of the stand-in through suds, zeep and our client, against both WSDL versions:
the trees, the id lists (invalid nodes hidden only by getNodeFacilityIdList), platforms, echo, and
authentication on every call."""
import pytest

from tests.fixtures.sandbox import SANDBOX_VERSIONS
from tests.fixtures.soap_apis import Api, fault_of, new_node, new_scope

PLATFORMS = ["LINUX", "WINDOWS", "SOLARIS", "NW_EQUIPMENT", "OTHER"]


def test_echo(api):
    assert api("echo", "hi") == "hi, hi"


def test_platform_list(api):
    platforms = api("getPlatformList")
    assert [p["id"] for p in platforms] == PLATFORMS
    assert all(p["name"] for p in platforms)


def _children(item):
    return {child["data"]["facilityId"]: child for child in item.get("children", [])}


def test_facility_tree_of_a_fresh_manager(api):
    root = api("getFacilityTree", None)
    assert root["data"]["facilityId"] == "_ROOT_"
    assert root["data"]["facilityName"] == "$[ROOT]"
    assert root["data"]["facilityType"] == 2
    top = _children(root)
    expected = {"INTERNAL", "REGISTERED", "UNREGISTERED", "OWNER", "OS"}
    if api.version == "6.2":
        expected.add("NODE_CONFIGURATION")
    assert set(top) == expected
    assert set(_children(top["OWNER"])) == {"ALL_USERS", "ADMINISTRATORS", "INTERNAL", "HINEMOS_MODULE"}
    assert list(_children(top["OS"])) == PLATFORMS
    assert all(item["data"]["builtInFlg"] is True for item in top.values())
    assert "parent" not in root


def test_facility_tree_holds_scopes_and_nodes(api):
    api("addScope", None, new_scope("docker"))
    api("addScope", "docker", new_scope("docker_host1"))
    api("addNode", new_node("web1"))
    api("assignNodeScope", "docker_host1", ["web1"])
    top = _children(api("getFacilityTree", ""))
    docker = top["docker"]
    assert docker["data"]["builtInFlg"] is False
    host = _children(docker)["docker_host1"]
    node = _children(host)["web1"]
    assert (node["data"]["facilityType"], node["data"]["facilityName"]) == (1, "name of web1")
    assert "web1" in _children(top["REGISTERED"])
    assert "web1" in _children(_children(top["OS"])["LINUX"])
    assert "ALL_USERS" in node["authorizedRoleIdSet"]


def test_facility_tree_for_an_owner_role(api):
    api("addNode", new_node("mine", ownerRoleId="HINEMOS_MODULE"))
    api("addNode", new_node("theirs"))
    top = _children(api("getFacilityTree", "HINEMOS_MODULE"))
    assert set(_children(top["REGISTERED"])) == {"mine"}
    assert set(_children(api("getNodeFacilityTree", "HINEMOS_MODULE"))) == {"mine"}


def test_node_facility_tree_is_flat(api):
    api("addScope", None, new_scope("docker"))
    api("addNode", new_node("web1"))
    api("addNode", new_node("web2", valid=False))
    api("assignNodeScope", "docker", ["web1"])
    root = api("getNodeFacilityTree", None)
    assert root["data"]["facilityId"] == "_ROOT_"
    nodes = _children(root)
    assert set(nodes) == {"web1", "web2"}
    assert all(not item.get("children") for item in nodes.values())


def test_facility_id_lists(api):
    api("addScope", None, new_scope("docker"))
    api("addScope", "docker", new_scope("docker_host1"))
    api("addNode", new_node("web1"))
    api("addNode", new_node("web2"))
    api("addNode", new_node("web3", valid=False))
    api("assignNodeScope", "docker", ["web1"])
    api("assignNodeScope", "docker_host1", ["web2", "web3"])
    assert sorted(api("getFacilityIdList", "docker", 0)) == ["docker", "docker_host1", "web1", "web2", "web3"]
    assert sorted(api("getFacilityIdList", "docker", 1)) == ["docker", "docker_host1", "web1"]
    assert api("getFacilityIdList", "ghost", 0) == []
    assert api("getFacilityIdList", "", 0) == []
    # getNodeFacilityIdList hides invalid nodes; getFacilityIdList does not
    assert sorted(api("getNodeFacilityIdList", "docker", None, 0)) == ["web1", "web2"]
    assert api("getNodeFacilityIdList", "docker", "", 1) == ["web1"]
    assert api("getNodeFacilityIdList", "web3", None, 0) == []
    assert api("getNodeFacilityIdList", "ghost", None, 0) == []
    assert api("getNodeFacilityIdList", "docker", "HINEMOS_MODULE", 0) == []


def test_node_scope_list(api):
    api("addScope", None, new_scope("docker", facilityName="Docker"))
    api("addScope", "docker", new_scope("docker_host1", facilityName="Host 1"))
    api("addNode", new_node("web1"))
    api("assignNodeScope", "docker_host1", ["web1"])
    assert sorted(api("getNodeScopeList", "web1")) == sorted(
        ["Registered Nodes>", "Owner Role>All Users>", "OS>Linux>", "Docker>Host 1>"])
    assert fault_of(api, "getNodeScopeList", "ghost") == (
        "HinemosUnknown", "FacilityEntity.findByPrimaryKey, facilityId = ghost")


@pytest.mark.parametrize("kind", ["client", "suds", "zeep"])
@pytest.mark.parametrize("sandbox_version", SANDBOX_VERSIONS)
@pytest.mark.parametrize("user, password", [("hinemos", "wrong"), ("nobody", "hinemos")])
def test_every_call_checks_the_password(sandbox, kind, user, password):
    api = Api(kind, sandbox, user=user, password=password)  # the WSDL GET needs no authentication
    for operation, args in (("echo", ("hi",)), ("getNode", ("web1",)), ("addNode", (new_node("web1"),))):
        assert fault_of(api, operation, *args) == (
            "InvalidUserPass", f"user({user})/password is invalid combination")
    assert sandbox.repository.facilities.get("web1") is None
