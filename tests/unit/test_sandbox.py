"""The stand-in's pieces without HTTP traffic: Basic-auth decoding and faults, the schema model
read from the XSD, the SOAP envelopes it writes, and the atomic data file."""
import base64
import json
import xml.etree.ElementTree as ET

import pytest

from hinemos_docker.sandbox import soap, store
from hinemos_docker.sandbox.server import Sandbox, decode_basic

NS = {"S": "http://schemas.xmlsoap.org/soap/envelope/", "r": "http://repository.ws.clustercontrol.com"}
ECHO = (b'<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>'
        b'<r:echo xmlns:r="http://repository.ws.clustercontrol.com"><arg0>hi</arg0></r:echo></S:Body></S:Envelope>')


@pytest.fixture
def stand_in(tmp_path):
    sandbox = Sandbox(port=0, data=tmp_path / "repository.json", password="??>>")  # bound, not serving
    yield sandbox
    sandbox.stop()


def test_no_authorization_header_is_invalid_user_pass_over_http_500(stand_in):
    status, text = stand_in.handle(ECHO, None)
    assert status == 500
    fault = ET.fromstring(text).find("S:Body/S:Fault", NS)
    assert fault.findtext("faultcode") == "S:Server"
    assert fault.findtext("faultstring") == "Authorization does not exist"
    [bean] = list(fault.find("detail"))
    assert bean.tag == f"{{{NS['r']}}}InvalidUserPass"
    assert bean.findtext("message") == "Authorization does not exist"


def test_urlsafe_and_standard_base64_are_both_accepted(stand_in):
    account = b"hinemos:??>>"
    tokens = {base64.b64encode(account).decode(), base64.urlsafe_b64encode(account).decode()}
    assert len(tokens) == 2
    for token in tokens:
        status, text = stand_in.handle(ECHO, f"Basic {token}")
        assert status == 200
        assert ET.fromstring(text).findtext("S:Body/r:echoResponse/return", namespaces=NS) == "hi, hi"


def test_decode_basic_is_lenient_like_commons_codec():
    assert decode_basic("aGluZW1vczpoaW5lbW9z") == b"hinemos:hinemos"
    assert decode_basic("aGluZW1vczo_Pz4-") == b"hinemos:??>>"
    assert decode_basic("aGluZW1vczo/Pz4+") == b"hinemos:??>>"
    assert decode_basic("aGlu ZW1v!czpo") == b"hinemos:h"


def test_wrong_account_message(stand_in):
    token = base64.b64encode(b"admin:x:y").decode()  # the password may hold colons
    status, text = stand_in.handle(ECHO, f"Basic {token}")
    assert status == 500
    assert ET.fromstring(text).findtext("S:Body/S:Fault/faultstring", namespaces=NS) == (
        "user(admin)/password is invalid combination")


@pytest.mark.parametrize("version, node_elements, operations", [("6.2", 98, 43), ("6.0", None, 34)])
def test_schema_model_follows_the_xsd(version, node_elements, operations):
    schema = soap.schema(version)
    assert len(schema.operations()) == operations
    facility = [f.name for f in schema.types["facilityInfo"]]
    scope = [f.name for f in schema.types["scopeInfo"]]
    assert facility == scope  # scopeInfo adds nothing
    assert facility[0] == "ownerRoleId" and facility.count("ownerRoleId") == 1
    assert facility[1:] == sorted(facility[1:])
    node = [f.name for f in schema.types["nodeInfo"]]
    assert node[:len(facility)] == facility and len(set(node)) == len(node)
    if node_elements:
        assert len(node) - len(facility) == node_elements
    fields = schema.field_maps["getNodeList"]
    assert (fields["arg0"].required, fields["arg1"].required) == (False, True)
    assert schema.field_maps["deleteNode"]["arg0"].repeated


def test_decode_request_fills_java_defaults():
    schema = soap.schema("6.2")
    wrapper = ET.fromstring('<r:getNodeList xmlns:r="http://repository.ws.clustercontrol.com"/>')
    assert schema.decode_request(wrapper) == [None, 0]
    wrapper = ET.fromstring('<r:deleteNode xmlns:r="http://repository.ws.clustercontrol.com"/>')
    assert schema.decode_request(wrapper) == [[]]


def test_response_omits_none_and_repeats_lists():
    text = soap.schema("6.2").response("getNodeScopeList", ["a>", "b&c>"])
    assert '<ns2:getNodeScopeListResponse xmlns:ns2="http://repository.ws.clustercontrol.com">' in text
    assert "<return>a&gt;</return><return>b&amp;c&gt;</return>" in text
    assert "<return>" not in soap.schema("6.2").response("getNodeList", [])


def test_store_replaces_the_file_atomically(tmp_path):
    path = tmp_path / "data.json"
    assert store.load(path) is None
    store.save(path, {"a": 1})
    store.save(path, {"a": 2, "text": "日本語"})
    assert json.loads(path.read_text("utf-8")) == {"a": 2, "text": "日本語"}
    assert store.load(path) == {"a": 2, "text": "日本語"}
    assert [p.name for p in tmp_path.iterdir()] == ["data.json"]
    path.write_text("{torn", "utf-8")
    with pytest.raises(store.StoreError, match="not a stand-in data file"):
        store.load(path)
