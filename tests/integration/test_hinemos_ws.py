"""The client edge (hinemos_ws) against the stand-in: plain-data helpers on both WSDL shapes, and the
one place where faults and transport trouble become HinemosFault / HinemosError naming the URL."""
import http.server
import socket
import threading

import pytest

from hinemos_docker import hinemos_ws
from hinemos_docker.errors import HinemosError, HinemosFault
from tests.fixtures.sandbox import SANDBOX_VERSIONS

OS_FIELDS = {"nodeOsInfo": {"osName": "Linux", "osRelease": "5.10"}, "osName": "Linux", "osRelease": "5.10"}


def node(fid, **fields):
    return {"facilityId": fid, "facilityName": f"container {fid}", "ownerRoleId": "ALL_USERS",
            "platformFamily": "LINUX", "ipAddressVersion": 4, "ipAddressV4": "192.0.2.7", "nodeName": fid,
            "description": None, **fields}


def assert_plain(value):
    """Only dicts, lists, str, int, bool and None: never a suds object."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str
            assert_plain(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain(item)
    else:
        assert value is None or type(value) in (str, int, bool), type(value)


@pytest.fixture
def client(sandbox):
    return hinemos_ws.connect(sandbox.base_url, "hinemos", "hinemos")


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connect_names_the_wsdl_url(sandbox):
    client = hinemos_ws.connect(sandbox.base_url + "/", "hinemos", "hinemos")
    assert client.endpoint_url == f"{sandbox.base_url}/RepositoryEndpoint?wsdl"
    assert client.call("echo", "hi") == "hi, hi"


@pytest.mark.parametrize("sandbox_version", SANDBOX_VERSIONS)
def test_nodes_as_plain_dicts_on_either_shape(client, sandbox, sandbox_version):
    variables = [{"nodeVariableName": "DOCKER_HOST", "nodeVariableValue": "docker_host1"},
                 {"nodeVariableName": "DOCKER_PORTS", "nodeVariableValue": ""}]
    client.add_node(node("c1", nodeVariableInfo=variables, nodeHostnameInfo=[{"hostname": "0123456789ab"}],
                         notAField="ignored", **OS_FIELDS))
    got = client.node("c1")
    assert_plain(got)
    assert got["facilityId"] == "c1" and got["nodeName"] == "c1" and got["valid"] is True
    assert got["nodeHostnameInfo"] == [{"hostname": "0123456789ab"}]
    # "" is never sent as a value: the variable arrives with a null value instead of faulting
    assert got["nodeVariableInfo"] == [variables[0], {"nodeVariableName": "DOCKER_PORTS"}]
    if sandbox_version == "6.2":
        assert got["nodeOsInfo"]["osName"] == "Linux" and "osName" not in got
    else:
        assert got["osName"] == "Linux" and "nodeOsInfo" not in got
    assert "notAField" not in got
    assert client.node("nope") is None


def test_markup_and_other_scripts_in_values_arrive_as_sent(client, sandbox):
    command = 'sh -c "a < b && c > d" \'é\' 日本語 ]]> &amp;'
    variables = [{"nodeVariableName": "DOCKER_COMMAND", "nodeVariableValue": command}]
    client.add_node(node("c1", description="<b>bold</b> & more", nodeVariableInfo=variables))
    got = client.node("c1")
    assert got["description"] == "<b>bold</b> & more" and got["nodeVariableInfo"] == variables
    assert client.call("echo", "<&>") == "<&>, <&>"


@pytest.mark.parametrize("operation, args", [
    ("getNode", ("c1",)), ("getFacilityTree", (None,)), ("deleteNode", (["a", "b"],)),
    ("assignNodeScope", ("s", ["a", "b"])), ("getNodeFacilityIdList", ("docker", None, 0)),
])
def test_requests_are_the_envelopes_suds_writes(client, operation, args):
    """The body elements of a request written from the live types are those suds marshals."""
    import xml.etree.ElementTree as ET

    import suds.client
    reference = suds.client.Client(client.endpoint_url, cache=None, nosend=True)

    def body(envelope):
        root = ET.fromstring(envelope)
        call = root.find(f"{{{hinemos_ws.NS_SOAP}}}Body")[0]
        return call.tag, [(child.tag, child.text) for child in call]
    expected = getattr(reference.service, operation)(*args).envelope
    assert body(client._envelope(operation, args)) == body(expected)


@pytest.mark.parametrize("sandbox_version", SANDBOX_VERSIONS)
def test_repository_helpers(client, sandbox, sandbox_version):
    client.add_scope(None, "docker", "Docker", description="Docker hosts")
    client.add_scope("docker", "docker_host1", "docker_host1")
    assert client.scope("docker")["description"] == "Docker hosts"
    assert client.scope("ghost") is None
    client.add_node(node("c1"))
    client.add_node(node("c2"))
    client.assign_node_scope("docker_host1", ["c1", "c2"])
    client.assign_node_scope("docker_host1", ["c1"])  # already a member
    assert sorted(client.call("getFacilityIdList", "docker", 0)) == ["c1", "c2", "docker", "docker_host1"]
    assert client.call("getFacilityIdList", "docker", 1) == ["docker", "docker_host1"]
    assert client.call("getFacilityIdList", "ghost", 0) == []
    listed = client.call("getNodeList", "docker", 0)
    assert_plain(listed)
    assert sorted(n["facilityId"] for n in listed) == ["c1", "c2"]
    client.modify_node(node("c1", facilityName="renamed"))
    assert client.node("c1")["facilityName"] == "renamed"
    client.call("setValid", "c2", False)
    assert client.node("c2")["valid"] is False
    assert client.call("getNodeFacilityIdList", "docker", None, 0) == ["c1"]
    assert (client.is_node("c1"), client.is_node("docker"), client.is_node("ghost")) == (True, False, None)
    client.call("releaseNodeScope", "docker_host1", ["c2"])
    client.delete_nodes(["c1", "c2"])
    assert client.call("getNodeList", "docker", 0) == []
    assert any(p["id"] == "LINUX" and p.get("name") for p in client.call("getPlatformList"))
    repo = client.repository()
    assert {"docker", "REGISTERED"} <= repo.members["_ROOT_"] and "_ROOT_" not in repo.facilities
    assert repo.facilities["docker"] == ("docker", "Docker", 0, True, False)
    assert repo.facilities["REGISTERED"].built_in is True
    assert repo.members["docker"] == {"docker_host1"}


def test_calls_count_what_was_sent(client, sandbox):
    client.delete_nodes([])
    client.assign_node_scope("REGISTERED", [])
    client.call("echo", "a")
    client.node("ghost")
    assert client.calls == {"echo": 1, "getNode": 1}
    assert sandbox.calls == {"echo": 1, "getNode": 1}


def test_wrong_password_is_invalid_user_pass(sandbox):
    client = hinemos_ws.connect(sandbox.base_url, "x", "wrong")  # the WSDL needs no login
    with pytest.raises(HinemosFault) as info:
        client.call("echo", "hi")
    e = info.value
    assert (e.name, e.fault_message, e.url) == ("InvalidUserPass", "user(x)/password is invalid combination",
                                                client.endpoint_url)
    assert str(e) == (f"Hinemos manager at {client.endpoint_url} raised InvalidUserPass: "
                      "user(x)/password is invalid combination")


def test_a_fault_carries_its_name_and_message(client):
    client.add_scope(None, "docker", "Docker")
    with pytest.raises(HinemosFault) as info:
        client.add_scope(None, "docker", "Docker")
    assert (info.value.name, info.value.fault_message) == (
        "FacilityDuplicate", "FacilityInfo, primaryKey = docker")
    assert isinstance(info.value, HinemosError)


def test_closed_port_is_one_line_naming_the_url():
    url = f"http://127.0.0.1:{closed_port()}/HinemosWS"
    with pytest.raises(HinemosError) as info:
        hinemos_ws.connect(url, "hinemos", "hinemos")
    assert str(info.value) == (f"cannot reach the Hinemos manager at {url}/RepositoryEndpoint?wsdl: "
                               "connection refused")
    assert not isinstance(info.value, HinemosFault)


def test_unknown_host_is_one_line_naming_the_url():
    url = "http://no-such-manager.invalid:8080/HinemosWS"
    with pytest.raises(HinemosError) as info:
        hinemos_ws.connect(url, "hinemos", "hinemos", timeout=5)
    assert str(info.value) == (f"cannot reach the Hinemos manager at {url}/RepositoryEndpoint?wsdl: "
                               "unknown host no-such-manager.invalid")


def test_manager_gone_after_connect(sandbox):
    client = hinemos_ws.connect(sandbox.base_url, "hinemos", "hinemos")
    sandbox.stop()
    with pytest.raises(HinemosError, match="connection refused$") as info:
        client.call("echo", "hi")
    assert str(info.value) == f"cannot reach the Hinemos manager at {client.service_url}: connection refused"


def test_http_error_is_one_line_naming_the_url(sandbox):
    url = sandbox.base_url.replace("/HinemosWS", "/Other")
    with pytest.raises(HinemosError) as info:
        hinemos_ws.connect(url, "hinemos", "hinemos")
    message = str(info.value)
    assert "\n" not in message and f"{url}/RepositoryEndpoint?wsdl" in message and "404" in message


def test_timeout_is_one_line_naming_the_url():
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/HinemosWS"
        with pytest.raises(HinemosError) as info:
            hinemos_ws.connect(url, "hinemos", "hinemos", timeout=0.5)
    assert str(info.value) == (f"cannot reach the Hinemos manager at {url}/RepositoryEndpoint?wsdl: "
                               "no answer within 0.5 s")


class _HtmlHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html><body>not a web service</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_something_else_at_the_url_is_one_line():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HtmlHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/HinemosWS"
        with pytest.raises(HinemosError) as info:
            hinemos_ws.connect(url, "hinemos", "hinemos")
    finally:
        server.shutdown()
        server.server_close()
    assert "\n" not in str(info.value) and f"{url}/RepositoryEndpoint?wsdl" in str(info.value)


RI_STACK_TRACE = (
    '<?xml version="1.0" ?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>'
    '<S:Fault><faultcode>S:Server</faultcode><faultstring>java.lang.NullPointerException</faultstring>'
    '<detail><ns2:exception xmlns:ns2="http://jax-ws.dev.java.net/" class="java.lang.NullPointerException" '
    'note="To disable this feature, set the system property"><ns2:stackTrace><ns2:frame class="A" line="1" '
    'method="m"/></ns2:stackTrace></ns2:exception></detail></S:Fault></S:Body></S:Envelope>')
NO_DETAIL = ('<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>'
             '<faultcode>S:Server</faultcode><faultstring>1</faultstring></S:Fault></S:Body></S:Envelope>')
NULL_MESSAGE = ('<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>'
                '<faultcode>S:Server</faultcode><faultstring>com.clustercontrol.fault.HinemosUnknown'
                '</faultstring></S:Fault></S:Body></S:Envelope>')


@pytest.mark.parametrize("reply, expected", [
    ((500, RI_STACK_TRACE), ("NullPointerException", "java.lang.NullPointerException")),
    ((500, NO_DETAIL), ("Server", "1")),
    ((500, NULL_MESSAGE), ("HinemosUnknown", "com.clustercontrol.fault.HinemosUnknown")),
])
def test_fault_shapes_the_stand_in_never_sends(client, sandbox, monkeypatch, reply, expected):
    monkeypatch.setattr(sandbox, "handle", lambda body, authorization, *endpoint: reply)
    with pytest.raises(HinemosFault) as info:
        client.call("echo", "hi")
    assert (info.value.name, info.value.fault_message) == expected


@pytest.mark.parametrize("cut", [40, 5000])
def test_a_facility_tree_cut_short_is_one_line(client, sandbox, monkeypatch, cut):
    request = client._envelope("getFacilityTree", (None,))
    status, whole = sandbox.handle(request, client._headers["Authorization"])
    assert status == 200
    monkeypatch.setattr(sandbox, "handle", lambda body, authorization, *endpoint: (200, whole[:-cut]))
    with pytest.raises(HinemosError) as info:
        client.repository()
    expected = f"{client.endpoint_url} answered getFacilityTree with no facility tree: "
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)


def test_a_non_soap_error_page_is_one_line(client, sandbox, monkeypatch):
    monkeypatch.setattr(sandbox, "handle", lambda body, authorization, *endpoint: (503, "<html>busy</html>"))
    with pytest.raises(HinemosError) as info:
        client.call("echo", "hi")
    assert "\n" not in str(info.value) and client.endpoint_url in str(info.value) and "503" in str(info.value)


def test_an_operation_the_manager_lacks(make_sandbox):
    sandbox = make_sandbox(version="6.0")
    client = hinemos_ws.connect(sandbox.base_url, "hinemos", "hinemos")
    with pytest.raises(HinemosError, match="has no operation getNodeFull"):
        client.call("getNodeFull", "c1")
    assert client.calls == {}
