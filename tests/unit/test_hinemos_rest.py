"""The pure parts of the REST transport: SOAP shapes to 7.x JSON and back, the facility tree, and the
one mapping of error bodies to our exceptions. The bodies are shaped as the manager's ExceptionBody
(status, message, exception, stack), see docs/hinemos-versions.md."""
import json

import pytest

from hinemos_docker import hinemos_rest
from hinemos_docker.errors import (
    FacilityDuplicate,
    FacilityNotFound,
    HinemosError,
    HinemosFault,
    InvalidCredentials,
    InvalidSetting,
    ManagerInternalError,
    MissingPrivilege,
    SettingDuplicate,
    SettingNotFound,
    UsedFacility,
)
from hinemos_docker.repository_model import RepositoryBuilder

BASE = "http://mgr:8080/HinemosWeb/api"
URL = BASE + "/RepositoryRestEndpoints/repository/node"


def body(status, exception, message="m"):
    return {"status": status, "message": message, "exception": f"com.clustercontrol.fault.{exception}",
            "stack": ["frame"]}


def test_enum_values_travel_as_names_and_come_back_unchanged():
    node = {"facilityId": "n1", "facilityType": 1, "ipAddressVersion": 4, "snmpVersion": 3,
            "snmpSecurityLevel": "auth_priv", "snmpAuthProtocol": "SHA-256", "snmpPrivProtocol": "AES-128",
            "wbemProtocol": "https", "winrmProtocol": "", "valid": False, "nodeVariableInfo": []}
    wire = hinemos_rest.to_json(node)
    assert {k: wire[k] for k in ("facilityType", "ipAddressVersion", "snmpVersion", "snmpSecurityLevel",
                                 "snmpAuthProtocol", "wbemProtocol", "winrmProtocol")} == {
        "facilityType": "TYPE_NODE", "ipAddressVersion": "IPV4", "snmpVersion": "TYPE_V3",
        "snmpSecurityLevel": "AUTH_PRIV", "snmpAuthProtocol": "SHA256", "wbemProtocol": "HTTPS",
        "winrmProtocol": "NONE"}
    assert wire["snmpPrivProtocol"] == "AES-128"  # no such name: passed as it is, the manager decides
    assert hinemos_rest.from_json(wire) == node
    read = {"ipAddressVersion": None, "snmpVersion": "TYPE_V9", "facilityName": "x"}
    assert hinemos_rest.to_json(hinemos_rest.from_json(read)) == read


def test_the_facility_tree_in_soap_shapes_without_a_copy_of_it():
    tree = {"data": {"facilityId": "_ROOT_", "facilityName": "$[ROOT]", "facilityType": "TYPE_COMPOSITE",
                     "valid": True, "builtInFlg": False, "displaySortOrder": 0},
            "childrenTotal": 1,
            "children": [{"data": {"facilityId": "docker", "facilityName": "Docker",
                                   "facilityType": "TYPE_SCOPE", "valid": True, "builtInFlg": False},
                          "children": [{"data": {"facilityId": "n1", "facilityName": "n1",
                                                 "facilityType": "TYPE_NODE", "valid": False,
                                                 "builtInFlg": False}, "children": []}]},
                         {"data": {"facilityId": "REGISTERED", "facilityName": "Registered",
                                   "facilityType": "TYPE_SCOPE", "valid": True, "builtInFlg": True},
                          "children": [{"data": {"facilityId": "n1", "facilityName": "n1",
                                                 "facilityType": "TYPE_NODE", "valid": False,
                                                 "builtInFlg": False}}]}]}
    builder = RepositoryBuilder()
    root = json.loads(json.dumps(tree), object_hook=hinemos_rest.tree_hook(builder))
    repo = builder.repository()
    assert root == "_ROOT_"
    assert repo.facilities == {"docker": ("docker", "Docker", 0, True, False),
                               "n1": ("n1", "n1", 1, False, False),
                               "REGISTERED": ("REGISTERED", "Registered", 0, True, True)}
    assert repo.members == {"_ROOT_": {"docker", "REGISTERED"}, "docker": {"n1"}, "REGISTERED": {"n1"},
                            "n1": set()}
    # a node in two scopes is one ID string, not one per placement
    ids = [m for scope in ("docker", "REGISTERED") for m in repo.members[scope]]
    assert ids[0] is ids[1]


@pytest.mark.parametrize("status, exception, error", [
    (409, "FacilityDuplicate", FacilityDuplicate),
    (404, "FacilityNotFound", FacilityNotFound),
    (400, "InvalidSetting", InvalidSetting),
    (400, "UsedFacility", UsedFacility),
    (401, "InvalidUserPass", InvalidCredentials),
    (403, "InvalidRole", MissingPrivilege),
    (403, "ObjectPrivilege_InvalidRole", MissingPrivilege),
    (500, "HinemosUnknown", ManagerInternalError),
    (404, "MonitorNotFound", SettingNotFound),  # a missing setting is no missing REST API
    (409, "JobMasterDuplicate", SettingDuplicate),
    (400, "NodeMapException", InvalidSetting),  # a class we do not name: its status decides
    (500, "HinemosDbTimeout", ManagerInternalError),
])
def test_error_bodies_map_to_the_exceptions_of_soap_faults(status, exception, error):
    found = hinemos_rest.error_of(status, body(status, exception, "it went wrong"), BASE, URL)
    assert type(found) is error and isinstance(found, HinemosFault)
    assert (found.name, found.fault_message, found.url) == (exception, "it went wrong", BASE)
    assert str(found) == f"Hinemos manager at {BASE} raised {exception}: it went wrong"


@pytest.mark.parametrize("status, reply, expected", [
    (404, body(404, "HinemosUnknown", "javax.ws.rs.NotFoundException: HTTP 404 Not Found"),
     f"the Hinemos manager at {URL} has no such REST API (HTTP 404)"),
    (404, body(404, "UrlNotFound"), f"the Hinemos manager at {URL} has no such REST API (HTTP 404)"),
    (405, None, f"the Hinemos manager at {URL} has no such REST API (HTTP 405)"),
    (502, None, f"the Hinemos manager at {URL} answered HTTP 502"),
])
def test_answers_that_are_no_fault_of_the_repository(status, reply, expected):
    found = hinemos_rest.error_of(status, reply, BASE, URL)
    assert type(found) is HinemosError and str(found) == expected


def test_a_body_without_a_hinemos_class_takes_the_class_of_its_status():
    found = hinemos_rest.error_of(401, {"message": None}, BASE, URL)
    assert type(found) is InvalidCredentials and found.fault_message == "HTTP 401"
    assert type(hinemos_rest.error_of(500, "not json", BASE, URL)) is ManagerInternalError
