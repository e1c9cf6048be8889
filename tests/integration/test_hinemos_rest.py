"""The REST transport of the client edge (hinemos_rest) and the choice of transport
(hinemos_manager.connect) against the stand-in: the login, one new login on an expired token, the
logout, errors mapped to the same exceptions as SOAP faults, enums as names on the wire, the
full-replace PUT, bulk delete, idempotent assign, and transport trouble as one line naming the URL.
"""
import http.server
import threading

import pytest

from hinemos_docker import hinemos_manager, hinemos_rest, manager_url
from hinemos_docker.errors import (
    FacilityDuplicate,
    FacilityNotFound,
    HinemosError,
    InvalidCredentials,
    InvalidSetting,
    ManagerInternalError,
    MissingPrivilege,
    UsedFacility,
)
from tests.fixtures.ports import refusing_port
from tests.fixtures.rest_api import PlainRest
from tests.fixtures.sandbox import REST_VERSIONS

rest_versions = pytest.mark.parametrize("sandbox_version", REST_VERSIONS)


def node(fid, **fields):
    return {"facilityId": fid, "facilityName": f"container {fid}", "ownerRoleId": "ALL_USERS",
            "platformFamily": "LINUX", "ipAddressVersion": 4, "ipAddressV4": "10.0.0.7", "nodeName": fid,
            **fields}


@pytest.fixture
def sandbox_version():
    return "7.1"


@pytest.fixture
def client(sandbox):
    client = hinemos_rest.connect(sandbox.base_url, "hinemos", "hinemos")
    yield client
    client.close()


@rest_versions
def test_values_cross_the_edge_in_soap_shapes_and_travel_as_enum_names(client, sandbox):
    client.add_node(node("c1", snmpVersion=3, snmpSecurityLevel="auth_priv", snmpAuthProtocol="SHA",
                         snmpAuthPassword="authpass1", snmpPrivProtocol="AES", snmpPrivPassword="privpass1",
                         nodeVariableInfo=[{"nodeVariableName": "DOCKER_HOST", "nodeVariableValue": "h1"}]))
    wire = PlainRest(sandbox.base_url).node("c1")
    enums = ("ipAddressVersion", "snmpVersion", "snmpSecurityLevel", "snmpPrivProtocol")
    assert [wire[k] for k in enums] == ["IPV4", "TYPE_V3", "AUTH_PRIV", "AES"]
    got = client.node("c1")
    assert (got["ipAddressVersion"], got["snmpVersion"], got["snmpSecurityLevel"], got["facilityType"]) == (
        4, 3, "auth_priv", 1)
    assert got["nodeVariableInfo"][0]["nodeVariableValue"] == "h1"
    assert client.node("ghost") is None
    repo = client.repository()
    assert "REGISTERED" in repo.members["_ROOT_"] and "_ROOT_" not in repo.facilities
    assert repo.facilities["REGISTERED"].is_scope and repo.facilities["REGISTERED"].built_in is True
    assert "c1" in repo.members["REGISTERED"] and repo.facilities["c1"].is_node


def test_modify_sends_back_what_was_read_so_nothing_an_operator_added_is_lost(client, sandbox):
    rest = PlainRest(sandbox.base_url)
    client.add_node(node("c1", nodeVariableInfo=[{"nodeVariableName": "DOCKER_STATUS",
                                                  "nodeVariableValue": "a"}]))
    by_hand = rest.node("c1")
    by_hand["nodeVariableInfo"].append({"nodeVariableName": "OWNER", "nodeVariableValue": "ops"})
    by_hand.update(nodeNoteInfo=[{"noteId": 0, "note": "keep me"}], snmpCommunity="private")
    rest.repo("PUT", "/node/c1", json=by_hand)
    read = client.node("c1")
    read["nodeVariableInfo"][0]["nodeVariableValue"] = "b"
    client.modify_node({**read, "valid": False})
    after = rest.node("c1")
    assert [(v["nodeVariableName"], v["nodeVariableValue"]) for v in after["nodeVariableInfo"]] == [
        ("DOCKER_STATUS", "b"), ("OWNER", "ops")]
    assert (after["valid"], after["snmpCommunity"], after["nodeNoteInfo"][0]["note"]) == (
        False, "private", "keep me")
    client.modify_node({**client.node("c1"), "valid": True})
    assert rest.node("c1")["valid"] is True


def test_bulk_delete_is_one_call_and_assign_is_idempotent(client, sandbox):
    client.add_scope(None, "docker", "Docker")
    client.add_scope("docker", "docker_host1", "docker_host1")
    for fid in ("c1", "c2", "c3"):
        client.add_node(node(fid))
    client.assign_node_scope("docker_host1", ["c1", "c2"])
    client.assign_node_scope("docker_host1", ["c1", "c2", "c3"])  # c1, c2: assigned already
    client.assign_node_scope("docker_host1", [])
    assert sandbox.calls["assignNodeScope"] == 2
    assert (client.is_node("c1"), client.is_node("docker"), client.is_node("ghost")) == (True, False, None)
    client.delete_nodes(["c1", "c2", "c3"])
    client.delete_nodes([])
    assert sandbox.calls["deleteNode"] == 1 and client.calls["deleteNode"] == 1
    assert client.node("c1") is None


def test_every_error_body_maps_to_the_exception_a_soap_fault_maps_to(client, sandbox):
    client.add_scope(None, "docker", "Docker")
    client.add_node(node("c1"))
    cases = [(FacilityDuplicate, "FacilityDuplicate", lambda: client.add_scope(None, "docker", "Docker")),
             (FacilityNotFound, "FacilityNotFound", lambda: client.delete_nodes(["c1", "ghost"])),
             (InvalidSetting, "InvalidSetting", lambda: client.add_node(node("c2", ipAddressV4="a.b"))),
             (ManagerInternalError, "HinemosUnknown", lambda: client.assign_node_scope("OS", ["c1"]))]
    for error, name, call in cases:
        with pytest.raises(error) as info:
            call()
        assert info.value.name == name and info.value.url == sandbox.base_url
        assert str(info.value).startswith(f"Hinemos manager at {sandbox.base_url} raised {name}: ")
    sandbox.mark_used("c1", "Monitor setting M1 uses it")
    with pytest.raises(UsedFacility, match="raised UsedFacility: Monitor setting M1 uses it$"):
        client.delete_nodes(["c1"])
    sandbox.privileges.discard("MODIFY")
    with pytest.raises(MissingPrivilege, match="raised InvalidRole: You do not have access rights"):
        client.modify_node({**client.node("c1"), "valid": False})


def test_wrong_password_is_invalid_credentials_at_login(sandbox):
    with pytest.raises(InvalidCredentials) as info:
        hinemos_rest.connect(sandbox.base_url, "hinemos", "wrong")
    assert str(info.value) == (f"Hinemos manager at {sandbox.base_url} raised InvalidUserPass: "
                               "user(hinemos)/password is invalid combination")


def test_an_expired_token_gets_one_new_login_and_the_call_is_retried(client, sandbox):
    client.add_scope(None, "before", "before")
    sandbox.expire_tokens()  # the run outlived the token's term, or the manager restarted
    client.add_scope(None, "after", "after")
    assert (client.calls["login"], client.calls["addScope"]) == (2, 3)
    assert PlainRest(sandbox.base_url).is_node("after") is False


def test_a_token_refused_again_after_the_new_login_is_an_error_not_a_loop(make_sandbox):
    sandbox = make_sandbox(version="7.1", token_minutes=0)  # every token is born expired
    client = hinemos_rest.connect(sandbox.base_url, "hinemos", "hinemos")
    with pytest.raises(InvalidCredentials, match="Bearer authentication access token is invalid"):
        client.repository()
    assert (client.calls["login"], client.calls["getFacilityTree"]) == (2, 2)


def test_close_logs_out(client, sandbox):
    token = client._token
    client.close()
    assert sandbox.calls["logout"] == 1
    rest = PlainRest(sandbox.base_url)
    rest.token = token
    with pytest.raises(Exception, match="401 InvalidUserPass"):
        rest.repo("GET", "/facility_tree")


@pytest.mark.parametrize("sandbox_version, path, api", [
    ("7.1", "", "rest"), ("7.0", "/HinemosWeb/", "rest"), ("7.1", "/HinemosWS/", "rest"),
    ("6.2", "", "soap"), ("6.0", "/HinemosWeb/api", "soap"),
    ("6.2", "/HinemosWS/RepositoryEndpoint?wsdl", "soap")])
def test_the_probe_picks_the_api_the_manager_speaks(sandbox, path, api):
    client = hinemos_manager.connect(manager_url.parse(sandbox.root_url + path), "hinemos", "hinemos")
    try:
        assert client.api == api
        expected = sandbox.base_url if api == "rest" else sandbox.endpoint_url + "?wsdl"
        assert client.endpoint_url == expected
        assert "REGISTERED" in client.repository().members["_ROOT_"]
    finally:
        client.close()
    assert sandbox.calls["healthCheck"] == (1 if api == "rest" else 0)


def test_unreachable_and_not_a_manager_are_one_line():
    with refusing_port() as port:
        root = f"http://127.0.0.1:{port}"
        with pytest.raises(HinemosError) as info:
            hinemos_manager.connect(manager_url.parse(root), "hinemos", "hinemos")
    probe = f"{root}/HinemosWeb/api/AccessRestEndpoints/access/healthCheck_forMC"
    assert str(info.value) == f"cannot reach the Hinemos manager at {probe}: connection refused"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PlainTextHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(HinemosError) as info:
            hinemos_rest.connect(root + "/HinemosWeb/api", "hinemos", "hinemos")
    finally:
        server.shutdown()
        server.server_close()
    login = f"{root}/HinemosWeb/api/AccessRestEndpoints/access/login"
    assert str(info.value) == f"the Hinemos manager at {login} did not answer with JSON"


def test_a_silent_manager_times_out_with_one_line():
    import socket
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        root = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(HinemosError) as info:
            hinemos_manager.connect(manager_url.parse(root), "hinemos", "hinemos", timeout=0.5)
    probe = f"{root}/HinemosWeb/api/AccessRestEndpoints/access/healthCheck_forMC"
    assert str(info.value) == f"cannot reach the Hinemos manager at {probe}: no answer within 0.5 s"


class _PlainTextHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = b"hello"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass
