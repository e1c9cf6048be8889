"""The stand-in's HTTP/SOAP surface and persistence: the WSDL served with its own address, Basic auth
checked by hand on every POST (faults over HTTP 500, never 401; urlsafe base64 accepted), the fault
and response envelopes of the JAX-WS RI, the data file surviving restarts and SIGKILL, the CLI."""
import base64
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.fixtures.sandbox import SANDBOX_VERSIONS

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "hinemos_docker" / "sandbox" / "wsdl"
NS = {"S": "http://schemas.xmlsoap.org/soap/envelope/", "r": "http://repository.ws.clustercontrol.com",
      "wsdl": "http://schemas.xmlsoap.org/wsdl/", "soap": "http://schemas.xmlsoap.org/wsdl/soap/",
      "xs": "http://www.w3.org/2001/XMLSchema"}
GOOD_AUTH = "Basic " + base64.b64encode(b"hinemos:hinemos").decode()
WSA = ('<S:Header><wsa:Action xmlns:wsa="http://www.w3.org/2005/08/addressing">'
       'http://repository.ws.clustercontrol.com/RepositoryEndpoint/echoRequest</wsa:Action>'
       '<wsa:MessageID xmlns:wsa="http://www.w3.org/2005/08/addressing">urn:uuid:1</wsa:MessageID></S:Header>')


def envelope(operation, body="", header=""):
    return (f'<S:Envelope xmlns:S="{NS["S"]}">{header}<S:Body><r:{operation} xmlns:r="{NS["r"]}">{body}'
            f"</r:{operation}></S:Body></S:Envelope>").encode()


def post(sandbox, data, authorization=GOOD_AUTH):
    """(HTTP status, parsed envelope) of a raw POST to the endpoint."""
    request = urllib.request.Request(sandbox.endpoint_url, data=data,
                                     headers={"Content-Type": "text/xml; charset=utf-8"})
    if authorization is not None:
        request.add_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, ET.fromstring(response.read())
    except urllib.error.HTTPError as e:
        return e.code, ET.fromstring(e.read())


def fault_parts(root):
    fault = root.find("S:Body/S:Fault", NS)
    detail = fault.find("detail")
    beans = list(detail) if detail is not None else []
    return (fault.findtext("faultcode"), fault.findtext("faultstring"),
            [(bean.tag, bean.findtext("message")) for bean in beans])


def get(url, host=None):
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("sandbox_version", SANDBOX_VERSIONS)
def test_wsdl_and_schemas_carry_the_serving_address(sandbox, sandbox_version):
    wsdl = get(sandbox.wsdl_url)
    root = ET.fromstring(wsdl)
    assert root.find("wsdl:service/wsdl:port/soap:address", NS).get("location") == sandbox.endpoint_url
    locations = [i.get("schemaLocation") for i in root.iter(f"{{{NS['xs']}}}import")]
    schema_count = len(list((REFERENCE / sandbox_version).glob("*.xsd")))
    assert locations == [f"{sandbox.endpoint_url}?xsd={n}" for n in range(1, schema_count + 1)]
    assert "localhost:8080" not in wsdl
    for n in range(1, schema_count + 1):
        served = get(f"{sandbox.endpoint_url}?xsd={n}")
        reference = (REFERENCE / sandbox_version / f"RepositoryEndpoint_xsd{n}.xsd").read_text("utf-8")
        assert served == reference.replace("http://localhost:8080/HinemosWS", sandbox.base_url)
    assert wsdl == (REFERENCE / sandbox_version / "RepositoryEndpoint.wsdl").read_text("utf-8").replace(
        "http://localhost:8080/HinemosWS", sandbox.base_url)


def test_wsdl_follows_the_host_the_client_used(sandbox):
    port = sandbox.base_url.rsplit(":", 1)[1].split("/")[0]
    wsdl = get(sandbox.wsdl_url, host=f"localhost:{port}")
    assert f'location="http://localhost:{port}/HinemosWS/RepositoryEndpoint"' in wsdl


def test_unknown_documents_are_404(sandbox):
    for url in (f"{sandbox.endpoint_url}?xsd=9", f"{sandbox.base_url}/OtherEndpoint?wsdl"):
        with pytest.raises(urllib.error.HTTPError) as info:
            get(url)
        assert info.value.code == 404


def test_post_without_authorization_is_invalid_user_pass_over_http_500(sandbox):
    status, root = post(sandbox, envelope("echo", "<arg0>hi</arg0>"), authorization=None)
    assert status == 500
    assert fault_parts(root) == ("S:Server", "Authorization does not exist",
                                 [(f"{{{NS['r']}}}InvalidUserPass", "Authorization does not exist")])


def test_wrong_password_is_a_fault_not_a_401(sandbox):
    bad = "Basic " + base64.b64encode(b"hinemos:nope").decode()
    status, root = post(sandbox, envelope("echo", "<arg0>hi</arg0>"), authorization=bad)
    assert status == 500
    assert fault_parts(root)[1] == "user(hinemos)/password is invalid combination"


def test_urlsafe_base64_credentials_are_accepted(make_sandbox):
    sandbox = make_sandbox(password="??>>")  # standard base64 of hinemos:??>> has both / and +
    standard = base64.b64encode(b"hinemos:??>>").decode()
    urlsafe = base64.urlsafe_b64encode(b"hinemos:??>>").decode()
    assert "/" in standard and "+" in standard and urlsafe != standard
    for token in (standard, urlsafe, urlsafe.rstrip("=")):
        status, root = post(sandbox, envelope("echo", "<arg0>hi</arg0>"), authorization=f"Basic {token}")
        assert status == 200
        assert root.findtext("S:Body/r:echoResponse/return", namespaces=NS) == "hi, hi"


def test_an_authorization_header_without_a_space_is_a_generic_fault(sandbox):
    status, root = post(sandbox, envelope("echo", "<arg0>hi</arg0>"), authorization="Basic")
    assert status == 500
    code, string, beans = fault_parts(root)
    assert code == "S:Server" and beans == []


def test_response_envelope_is_document_literal_wrapped(sandbox):
    status, root = post(sandbox, envelope("echo", "<arg0>hi</arg0>", header=WSA))  # headers are ignored
    assert status == 200
    [wrapper] = list(root.find("S:Body", NS))
    assert wrapper.tag == f"{{{NS['r']}}}echoResponse"
    assert [(child.tag, child.text) for child in wrapper] == [("return", "hi, hi")]  # unqualified


def test_response_elements_follow_the_schema_order(sandbox):
    status, root = post(sandbox, envelope("getScope", "<arg0>REGISTERED</arg0>"))
    names = [child.tag for child in root.find("S:Body/r:getScopeResponse/return", NS)]
    assert names[0] == "ownerRoleId"  # the base type (monitor namespace) first, unqualified
    assert names[1:] == sorted(names[1:])  # then facilityInfo's elements, alphabetical


def test_a_void_operation_answers_an_empty_wrapper(sandbox):
    status, root = post(sandbox, envelope("deleteNode"))
    assert status == 200
    assert list(root.find("S:Body/r:deleteNodeResponse", NS)) == []


def test_fault_with_a_null_message(sandbox):
    status, root = post(sandbox, envelope("getFacilityList", "<arg0>ghost</arg0>"))
    assert (status, fault_parts(root)) == (500, ("S:Server", "com.clustercontrol.fault.HinemosUnknown",
                                                 [(f"{{{NS['r']}}}HinemosUnknown", None)]))


def test_undispatchable_requests_are_client_faults(sandbox):
    status, root = post(sandbox, b"<not-soap")
    assert status == 500 and fault_parts(root)[0] == "S:Client"
    status, root = post(sandbox, envelope("noSuchOperation"))
    assert status == 500 and fault_parts(root)[0] == "S:Client"
    status, root = post(sandbox, envelope("getNodeFull", "<arg0>x</arg0>"))  # in the WSDL, not served here
    assert status == 500 and fault_parts(root)[0] == "S:Server"


def test_calls_are_counted_per_operation(sandbox):
    post(sandbox, envelope("echo", "<arg0>a</arg0>"))
    post(sandbox, envelope("echo", "<arg0>b</arg0>"), authorization=None)
    post(sandbox, envelope("getPlatformList"))
    assert sandbox.calls == {"echo": 2, "getPlatformList": 1}


def _add(client, fid, **fields):
    client.add_node({"facilityId": fid, "facilityName": fid, "ownerRoleId": "ALL_USERS",
                     "platformFamily": "LINUX", "ipAddressVersion": 4, "ipAddressV4": "192.0.2.1",
                     "nodeName": fid, **fields})


@pytest.mark.parametrize("version", SANDBOX_VERSIONS)
def test_restart_serves_the_same_repository(make_sandbox, tmp_path, version):
    from hinemos_docker import hinemos_ws
    data = tmp_path / "kept.json"
    first = make_sandbox(version=version, data=data)
    client = hinemos_ws.connect(first.base_url, "hinemos", "hinemos")
    client.add_scope(None, "docker", "Docker")
    _add(client, "web1", nodeVariableInfo=[{"nodeVariableName": "DOCKER_STATUS", "nodeVariableValue": "up"}])
    client.assign_node_scope("docker", ["web1"])
    client.call("setValid", "web1", False)
    before = (client.repository(), client.node("web1"))
    first.stop()
    second = make_sandbox(version=version, data=data)
    again = hinemos_ws.connect(second.base_url, "hinemos", "hinemos")
    assert (again.repository(), again.node("web1")) == before
    assert again.node("web1")["valid"] is False
    assert [p.name for p in tmp_path.iterdir()] == ["kept.json"]  # no temporary file left behind


def test_a_killed_stand_in_loses_nothing_acknowledged(run_sandbox_process, tmp_path):
    from hinemos_docker import hinemos_ws
    data = tmp_path / "repository.json"
    process, base_url = run_sandbox_process(data)
    assert re.fullmatch(r"http://127\.0\.0\.1:[0-9]+/HinemosWS", base_url)
    client = hinemos_ws.connect(base_url, "hinemos", "hinemos")
    client.add_scope(None, "docker", "Docker")
    for n in range(20):
        _add(client, f"web{n}")
    client.assign_node_scope("docker", [f"web{n}" for n in range(20)])
    client.delete_nodes(["web0"])
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    json.loads(data.read_text("utf-8"))  # a complete document, never a torn one
    process, base_url = run_sandbox_process(data)
    client = hinemos_ws.connect(base_url, "hinemos", "hinemos")
    listed = client.call("getFacilityIdList", "docker", 1)
    assert sorted(listed) == sorted(["docker"] + [f"web{n}" for n in range(1, 20)])
    assert client.node("web0") is None
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0


def test_cli_rejects_a_data_file_of_the_other_version(run_sandbox_process, make_sandbox, tmp_path):
    data = tmp_path / "v60.json"
    make_sandbox(version="6.0", data=data).stop()
    with pytest.raises(RuntimeError, match="6.0"):
        run_sandbox_process(data, "--version", "6.2")


def test_cli_reports_a_port_in_use(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        command = [sys.executable, "-m", "hinemos_docker.sandbox", "--port", str(port),
                   "--data", str(tmp_path / "r.json")]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "cannot start" in result.stderr


def test_concurrent_writes_are_all_kept(sandbox):
    from hinemos_docker import hinemos_ws
    errors = []

    def worker(k):
        try:
            client = hinemos_ws.connect(sandbox.base_url, "hinemos", "hinemos")
            for n in range(10):
                _add(client, f"t{k}-{n}")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    saved = json.loads(Path(sandbox.data).read_text("utf-8"))
    assert len([f for f in saved["facilities"] if f.startswith("t")]) == 40


def test_a_write_that_fails_half_way_leaves_nothing_behind(make_sandbox):
    """Like the manager's transaction: whatever a failing write changed (records, relations, used
    marks, settings) is undone, without the whole state being serialised."""
    from hinemos_docker import hinemos_ws
    from hinemos_docker.sandbox import Fault
    sandbox = make_sandbox()
    client = hinemos_ws.connect(sandbox.base_url, "hinemos", "hinemos")
    client.add_scope(None, "docker", "Docker")
    _add(client, "web1")
    before = (client.repository(), client.node("web1"), json.dumps(sandbox.settings.to_state()))

    def half_done(repo):
        repo.facilities["web1"] = {**repo.facilities["web1"], "facilityName": "changed"}
        repo.children["docker"]["web1"] = None
        repo.used["docker"] = ["a monitor"]
        sandbox.settings.notifications["N1"] = {"notifyId": "N1"}
        raise Fault("HinemosUnknown", "half way")
    with sandbox.lock, pytest.raises(Fault, match="half way"):
        sandbox.run(half_done, True, ())
    assert (client.repository(), client.node("web1"), json.dumps(sandbox.settings.to_state())) == before
    assert sandbox.repository.used == {}
