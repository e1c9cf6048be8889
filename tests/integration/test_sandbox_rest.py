"""The stand-in's 7.x REST API through plain requests calls written from the manager's contract
(docs/hinemos-versions.md): login and tokens, the error body and its statuses, validation, built-in
scopes, the full-replace PUT, all-or-nothing bulk deletes, release of an unassigned node, enums and
dates. Nothing here goes through our client edge.
"""
import re

import pytest
import requests

from tests.fixtures.rest_api import PlainRest, RestFault
from tests.fixtures.sandbox import REST_VERSIONS

pytestmark = pytest.mark.parametrize("sandbox_version", REST_VERSIONS)
ACCESS = "/AccessRestEndpoints/access"
DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}")


@pytest.fixture
def rest(sandbox):
    return PlainRest(sandbox.base_url)


def new_node(fid, **fields):
    return {"facilityId": fid, "facilityName": fid, "ownerRoleId": "ALL_USERS", "platformFamily": "LINUX",
            "ipAddressVersion": "IPV4", "ipAddressV4": "10.0.0.5", "nodeName": fid, **fields}


def fault(call, *args, **kwargs):
    with pytest.raises(RestFault) as info:
        call(*args, **kwargs)
    return info.value.status, info.value.exception, info.value.message


def test_health_check_needs_no_token_and_the_soap_endpoint_is_gone(sandbox):
    reply = requests.get(sandbox.base_url + ACCESS + "/healthCheck_forMC")
    assert (reply.status_code, reply.content) == (200, b"")
    reply = requests.get(sandbox.root_url + "/HinemosWS/RepositoryEndpoint?wsdl")
    assert reply.status_code == 404 and reply.json()["exception"] == "com.clustercontrol.fault.UrlNotFound"


def test_login_token_and_the_error_body(sandbox):
    login_url = sandbox.base_url + ACCESS + "/login"
    reply = requests.post(login_url, json={"userId": "hinemos", "password": "bad"})
    body = reply.json()
    assert reply.status_code == 401 and set(body) == {"status", "message", "exception", "stack"}
    assert (body["status"], body["exception"], body["message"]) == (
        401, "com.clustercontrol.fault.InvalidUserPass", "user(hinemos)/password is invalid combination")
    assert isinstance(body["stack"], list)
    reply = requests.post(login_url, json={"userId": "hinemos", "password": "hinemos"})
    login = reply.json()
    assert reply.status_code == 200 and login["token"]["validTermMinites"] == 1440
    assert re.fullmatch(r"[0-9a-f-]{36}", login["token"]["tokenId"])
    assert DATE.fullmatch(login["token"]["expirationDate"])
    assert set(login["managerInfo"]) == {"timeZoneOffset", "timeOffsetMillis", "options"}


def test_bearer_header_rules(sandbox, rest):
    tree = sandbox.base_url + "/RepositoryRestEndpoints/repository/facility_tree"
    cases = [({}, "There is no valid authentication header."),
             ({"Authorization": "Bearer"}, "Bearer authentication format is invalid."),
             ({"Authorization": f"Bearer  {rest.token}"}, "Bearer authentication format is invalid."),
             ({"Authorization": "Bearer 00000000-0000-0000-0000-000000000000"},
              "Bearer authentication access token is invalid."),
             ({"Authorization": f"Basic {rest.token}"}, "Bearer authentication format is invalid."),
             ({"Authorization": f"Bearer {rest.token}", "X-HinemosToken": "Bearer nope"},
              "Bearer authentication access token is invalid.")]
    for headers, message in cases:
        reply = requests.get(tree, headers=headers)
        assert (reply.status_code, reply.json()["message"]) == (401, message), headers
    assert requests.get(tree, headers={"X-HinemosToken": f"Bearer {rest.token}"}).status_code == 200


def test_relogin_logout_and_an_expired_token(sandbox, rest):
    old = rest.token
    renewed = rest.call("GET", ACCESS + "/relogin")["token"]["tokenId"]
    assert renewed != old
    rest.repo("GET", "/facility_tree")  # the old token lives on until its term
    assert rest.call("GET", ACCESS + "/logout") == {"result": True, "message": "logout success."}
    assert fault(rest.repo, "GET", "/facility_tree")[:2] == (401, "InvalidUserPass")
    rest.token = renewed
    sandbox.expire_tokens()
    assert fault(rest.repo, "GET", "/facility_tree") == (401, "InvalidUserPass",
                                                         "Bearer authentication access token is invalid.")


def test_client_version_header_must_match_when_sent(sandbox, rest):
    assert rest.repo("GET", "/platform", headers={"X-HinemosClientVersion": sandbox.version})
    assert fault(rest.repo, "GET", "/platform", headers={"X-HinemosClientVersion": "6.2"})[:2] == (
        400, "InvalidSetting")


def test_built_in_scopes_and_the_tree(rest):
    tree = rest.repo("GET", "/facility_tree")
    assert tree["data"]["facilityId"] == "_ROOT_" and tree["data"]["facilityType"] == "TYPE_COMPOSITE"
    assert tree["childrenTotal"] == len(tree["children"])
    top = {c["data"]["facilityId"]: c for c in tree["children"]}
    assert {"REGISTERED", "UNREGISTERED", "OWNER", "OS", "INTERNAL", "NODE_CONFIGURATION"} <= set(top)
    assert top["OS"]["data"]["facilityType"] == "TYPE_SCOPE" and top["OS"]["data"]["builtInFlg"] is True
    assert "LINUX" in [c["data"]["facilityId"] for c in top["OS"]["children"]]
    assert set(top["REGISTERED"]["data"]) == {"facilityId", "facilityName", "facilityType", "description",
                                              "displaySortOrder", "iconImage", "valid", "builtInFlg",
                                              "notReferFlg", "ownerRoleId"}


def test_add_node_enums_dates_and_full_read(rest):
    added = rest.repo("POST", "/node", json=new_node("n1", nodeVariableInfo=[
        {"nodeVariableName": "K", "nodeVariableValue": "V"},
        {"nodeVariableName": "", "nodeVariableValue": ""}]))  # a row empty in both is dropped
    assert added["facilityType"] == "TYPE_NODE" and added["ipAddressVersion"] == "IPV4"
    assert (added["snmpVersion"], added["snmpSecurityLevel"], added["wbemProtocol"]) == (
        "TYPE_V2", "NOAUTH_NOPRIV", "HTTP")
    assert DATE.fullmatch(added["createDatetime"]) and added["cloudLogPriority"] == 16
    node = rest.repo("GET", "/node/n1")
    assert [(v["nodeVariableName"], v["nodeVariableValue"]) for v in node["nodeVariableInfo"]] == [("K", "V")]
    assert DATE.fullmatch(node["nodeVariableInfo"][0]["regDate"])
    assert "nodeVariableInfo" not in rest.repo("GET", "/node_withoutNodeConfigInfo/n1")
    iso_format = {"X-HinemosClientDatetimeFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"}
    iso = rest.repo("GET", "/node/n1", headers=iso_format)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)", iso["createDatetime"])
    listed = rest.repo("GET", "/node_withoutNodeConfigInfo")
    assert listed["total"] == 1 and set(listed["nodeInfoList"][0]) == {
        "facilityId", "facilityName", "ipAddressVersion", "ipAddressV4", "ipAddressV6", "platformFamily",
        "description", "ownerRoleId", "createDatetime", "modifyDatetime"}


def test_add_node_validation_statuses(rest):
    def add(**fields):
        return fault(rest.repo, "POST", "/node", json=new_node(fields.pop("fid", "n2"), **fields))[:2]

    rest.repo("POST", "/node", json=new_node("n1"))
    # 7.x checks the id first: a duplicate with bad fields is 409
    assert add(fid="n1", ipAddressV4="nope") == (409, "FacilityDuplicate")
    assert add(ipAddressVersion="ipv4") == (400, "InvalidSetting")  # enum names are case-sensitive
    assert add(ipAddressV4="10.0.0.300") == (400, "InvalidSetting")
    for name, value in (("K", ""), ("", "V")):  # 7.x: a value is required, and a name with it
        row = {"nodeVariableName": name, "nodeVariableValue": value}
        assert add(nodeVariableInfo=[row]) == (400, "InvalidSetting")
    assert add(platformFamily="AMIGA") == (400, "InvalidSetting")
    headers = {"Authorization": f"Bearer {rest.token}", "Content-Type": "application/json"}
    reply = requests.post(rest.base_url + "/RepositoryRestEndpoints/repository/node", data="{not json",
                          headers=headers)
    assert reply.status_code == 400
    rest.repo("POST", "/node", json=new_node("n256", facilityName="x" * 256))  # 7.x allows 256
    assert add(fid="n257", facilityName="x" * 257) == (400, "InvalidSetting")


def test_put_replaces_the_whole_node(rest):
    variables = [{"nodeVariableName": "K", "nodeVariableValue": "V"}]
    hostnames = [{"hostname": "h1"}]
    rest.repo("POST", "/node", json=new_node("n1", valid=False, snmpCommunity="private",
                                             nodeVariableInfo=variables, nodeHostnameInfo=hostnames))
    full = rest.repo("GET", "/node/n1")
    full["description"] = "edited"
    kept = rest.repo("PUT", "/node/n1", json=full)  # read, edit, send back: only the edit changes
    assert (kept["description"], kept["valid"], kept["snmpCommunity"]) == ("edited", False, "private")
    assert [v["nodeVariableName"] for v in kept["nodeVariableInfo"]] == ["K"]
    bare = rest.repo("PUT", "/node/n1", json={k: full[k] for k in (
        "facilityName", "platformFamily", "ipAddressVersion", "ipAddressV4", "nodeName")})
    assert (bare["valid"], bare["snmpCommunity"], bare["nodeVariableInfo"], bare["nodeHostnameInfo"]) == (
        True, "public", [], [])  # omitted lists are deleted, omitted scalars go back to their defaults
    moved = rest.repo("PUT", "/node/n1", json={**full, "ownerRoleId": "ADMINISTRATORS"})
    assert moved["ownerRoleId"] == "ALL_USERS"
    assert fault(rest.repo, "PUT", "/node/ghost", json=full)[:2] == (404, "FacilityNotFound")
    assert rest.repo("PUT", "/node_valid/n1", json={"flg": False})["valid"] is False


def test_bulk_delete_is_all_or_nothing(sandbox, rest):
    for fid in ("a", "b", "c"):
        rest.repo("POST", "/node", json=new_node(fid))
    delete = {"facilityIds": "a,ghost"}
    assert fault(rest.repo, "DELETE", "/node", params=delete)[:2] == (404, "FacilityNotFound")
    sandbox.mark_used("b", "Monitor setting M1 uses it")
    assert fault(rest.repo, "DELETE", "/node", params={"facilityIds": "a,b"}) == (
        400, "UsedFacility", "Monitor setting M1 uses it")
    assert rest.is_node("a") is True
    deleted = rest.repo("DELETE", "/node", params={"facilityIds": "a,c"})
    assert sorted(n["facilityId"] for n in deleted) == ["a", "c"]
    assert (rest.is_node("a"), rest.is_node("b"), rest.is_node("c")) == (None, True, None)


def test_scopes_assign_and_release(rest):
    rest.add_scope(None, "s1", "S1")
    assert fault(rest.add_scope, None, "s1", "S1")[:2] == (409, "FacilityDuplicate")
    assert fault(rest.add_scope, "ghost", "s2", "S2")[:2] == (400, "InvalidSetting")
    assert fault(rest.add_scope, "OS", "s2", "S2")[:2] == (400, "InvalidSetting")
    rest.add_scope("s1", "s1a", "S1a")
    assert rest.repo("GET", "/scope/s1a") == {"facilityId": "s1a", "facilityName": "S1a", "description": "",
                                             "iconImage": "", "ownerRoleId": "ALL_USERS"}
    rest.repo("POST", "/node", json=new_node("n1"))
    rest.repo("POST", "/node", json=new_node("n2"))
    first = rest.repo("PUT", "/facilityRelation/s1", json={"facilityIdList": ["n1"]})
    again = rest.repo("PUT", "/facilityRelation/s1", json={"facilityIdList": ["n1", "n2"]})  # n1: skipped
    assert [f["facilityId"] for f in first] == ["n1", "s1a"] and [f["facilityId"] for f in again] == [
        "n1", "n2", "s1a"]
    assert "facilityType" not in again[0]
    assert fault(rest.repo, "PUT", "/facilityRelation/s1", json={"facilityIdList": ["ghost"]})[0] == 400
    assert fault(rest.repo, "PUT", "/facilityRelation/OS", json={"facilityIdList": ["n1"]})[:2] == (
        500, "HinemosUnknown")
    rest.repo("PUT", "/facilityRelation_release/s1", json={"facilityIdList": ["n2"]})
    # a node that is not assigned fails the whole release: n1 stays
    release = {"facilityIdList": ["n1", "n2"]}
    assert fault(rest.repo, "PUT", "/facilityRelation_release/s1", json=release)[:2] == (
        500, "HinemosUnknown")
    assert [c["facilityId"] for c in rest.facility_tree()["children"] if c["facilityId"] == "s1"] == ["s1"]
    s1 = next(c for c in rest.facility_tree()["children"] if c["facilityId"] == "s1")
    assert sorted(c["facilityId"] for c in s1["children"]) == ["n1", "s1a"]


def test_jax_rs_statuses_and_persistence(sandbox, rest, make_sandbox, tmp_path):
    assert fault(rest.repo, "GET", "/no_such_resource")[:2] == (404, "HinemosUnknown")
    assert fault(rest.repo, "GET", "/node")[:2] == (405, "HinemosUnknown")
    assert fault(rest.repo, "GET", "/node_withoutNodeConfigInfo", params={"parentFacilityId": "OS",
                                                                         "level": "SOME"})[0] == 404
    rest.repo("POST", "/node", json=new_node("kept"))
    data = sandbox.data
    sandbox.stop()
    restarted = make_sandbox(version=sandbox.version, data=data)
    assert PlainRest(restarted.base_url).node("kept")["facilityId"] == "kept"  # the old token died with it
    with pytest.raises(ValueError):
        make_sandbox(version="6.2", data=data)


def test_a_user_without_the_privilege_gets_403(sandbox, rest):
    sandbox.privileges.discard("ADD")
    assert fault(rest.add_scope, None, "s1", "S1")[:2] == (403, "InvalidRole")
    assert rest.repo("GET", "/facility_tree")


def test_python_m_sandbox_serves_the_rest_api(run_sandbox_process, tmp_path, sandbox_version):
    process, base_url = run_sandbox_process(tmp_path / "repository.json", "--version", sandbox_version)
    assert base_url.endswith("/HinemosWeb/api")
    assert requests.get(base_url + ACCESS + "/healthCheck_forMC", timeout=10).status_code == 200
    assert PlainRest(base_url).is_node("REGISTERED") is False
