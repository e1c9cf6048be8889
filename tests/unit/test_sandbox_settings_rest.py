"""The stand-in's 7.x settings resources, in-process through its REST dispatch (login, token, error
body; no socket): bodies written from the 7.x DTOs, statuses and error bodies as the manager answers."""
import copy
import json
from urllib.parse import urlencode

import pytest

from hinemos_docker import settings, settings_plan, settings_rest
from hinemos_docker.sandbox.server import Sandbox

MON = "/MonitorsettingRestEndpoints/monitorsetting"
JOB = "/JobRestEndpoints/job"

CPU = {  # AddCustomNumericMonitorRequest as the 7.x client sends it
    "monitorId": "CPU1", "ownerRoleId": "ALL_USERS", "application": "CPU1", "description": "cpu",
    "monitorFlg": True, "runInterval": "MIN_05", "facilityId": "docker_host",
    "notifyRelationList": [{"notifyId": "EVENT_FOR_POLLING"}], "collectorFlg": True,
    "itemName": "CPU", "measure": "%", "predictionFlg": False, "predictionMethod": "POLYNOMIAL_1",
    "predictionAnalysysRange": 60, "predictionTarget": 60, "changeFlg": False, "changeAnalysysRange": 60,
    "numericValueInfo": [
        {"monitorNumericType": kind, "priority": priority, "thresholdLowerLimit": low,
         "thresholdUpperLimit": high}
        for kind, priority, low, high in (("BASIC", "INFO", 0.0, 80.0), ("BASIC", "WARNING", 80.0, 90.0),
                                          ("CHANGE", "INFO", 0.0, 0.0), ("CHANGE", "WARNING", 0.0, 0.0))],
    "priorityChangeFailureType": "NOT_PRIORITY_CHANGE",
    "customCheckInfo": {"command": "/bin/cpu -i #[IP_ADDRESS]", "specifyUser": False,
                        "commandExecTypeCode": "SELECTED", "selectedFacilityId": "manager_server",
                        "timeout": 15000, "convertFlg": "NONE"},
}
STATUS = {  # AddSystemlogMonitorRequest
    "monitorId": "STATE1", "ownerRoleId": "ALL_USERS", "application": "STATE1", "monitorFlg": True,
    "facilityId": "docker_host", "notifyRelationList": [{"notifyId": "EVENT_FOR_POLLING"}],
    "collectorFlg": False,
    "priorityChangeJudgmentType": "NOT_PRIORITY_CHANGE",
    "stringValueInfo": [
        {"orderNo": 2, "pattern": ".*exited.*", "message": "stopped", "priority": "CRITICAL",
         "processType": True, "caseSensitivityFlg": False, "validFlg": True},
        {"orderNo": 1, "pattern": ".*running.*", "message": "", "priority": "INFO",
         "processType": False, "caseSensitivityFlg": False, "validFlg": True}],
}


@pytest.fixture
def stand_in():
    sandbox = Sandbox(port=0, version="7.1")
    for fid in ("docker_host", "docker_container", "manager_server"):
        base = sandbox.repository.facilities["REGISTERED"]
        sandbox.repository.facilities[fid] = {**base, "facilityId": fid, "builtInFlg": False}
    sandbox.add_notification("EVENT_FOR_POLLING")
    login = json.dumps({"userId": "hinemos", "password": "hinemos"}).encode()
    reply = sandbox.rest.handle("POST", "/AccessRestEndpoints/access/login", "", {}, login)[1]
    sandbox.token = reply["token"]
    yield sandbox
    sandbox.stop()


def call(stand_in, method, path, body=None, **query):
    headers = {"Authorization": f"Bearer {stand_in.token['tokenId']}"}
    payload = b"" if body is None else json.dumps(body).encode()
    return stand_in.rest.handle(method, path, urlencode(query), headers, payload)


def test_custom_numeric_add_read_modify_delete(stand_in):
    status, reply = call(stand_in, "POST", MON + "/customNumeric", CPU)
    assert status == 200
    assert (reply["monitorType"], reply["runInterval"]) == ("NUMERIC", "MIN_05")
    assert reply["monitorTypeId"] == "MON_CUSTOM_N"
    assert reply["notifyRelationList"] == [{"notifyId": "EVENT_FOR_POLLING", "notifyType": "EVENT"}]
    assert reply["customCheckInfo"]["commandExecTypeCode"] == "SELECTED"
    assert len(reply["regDate"]) == len("2026-12-01 21:00:00.000")
    stored = stand_in.settings.monitors["CPU1"]  # kept in the 6.2 model the SOAP endpoints serve
    assert (stored["runInterval"], stored["monitorType"]) == (300, 1)
    assert stored["customCheckInfo"]["convertFlg"] == 0
    assert call(stand_in, "POST", MON + "/customNumeric", CPU)[0] == 409
    changed = {k: v for k, v in CPU.items() if k not in ("monitorId", "ownerRoleId")}
    changed["runInterval"] = "MIN_10"
    status, reply = call(stand_in, "PUT", MON + "/customNumeric/CPU1", changed)
    assert (status, reply["runInterval"]) == (200, "MIN_10")
    assert stand_in.settings.monitors["CPU1"]["ownerRoleId"] == "ALL_USERS"
    assert [m["monitorId"] for m in call(stand_in, "GET", MON + "/monitor")[1]] == ["CPU1"]
    read = call(stand_in, "GET", MON + "/monitor/CPU1")[1]
    assert read["customCheckInfo"]["command"] == "/bin/cpu -i #[IP_ADDRESS]"
    status, deleted = call(stand_in, "DELETE", MON + "/monitor", monitorIds="CPU1")
    assert status == 200 and [m["monitorId"] for m in deleted] == ["CPU1"]
    status, body = call(stand_in, "GET", MON + "/monitor/CPU1")
    assert (status, body["exception"]) == (404, "com.clustercontrol.fault.MonitorNotFound")


def test_errors_are_the_managers_statuses_and_bodies(stand_in):
    bad_enum = {**CPU, "runInterval": "MIN_07"}
    status, body = call(stand_in, "POST", MON + "/customNumeric", bad_enum)
    assert status == 400 and body["exception"] == "com.clustercontrol.fault.InvalidSetting"
    assert '"MIN_07": not one of the values accepted' in body["message"]
    assert set(body) == {"status", "message", "exception", "stack"} and body["status"] == 400
    no_change = copy.deepcopy(CPU)
    no_change["numericValueInfo"] = no_change["numericValueInfo"][:2]
    assert call(stand_in, "POST", MON + "/customNumeric", no_change)[1]["message"] == (
        "$[MESSAGE_PLEASE_SET_INFO_UPPERVALUE_EXCEED_LOWERVALUE_CHANGE]")
    without = {k: v for k, v in CPU.items() if k != "priorityChangeFailureType"}
    assert call(stand_in, "POST", MON + "/customNumeric", without)[0] == 400
    assert call(stand_in, "PUT", MON + "/customNumeric/NOPE", CPU)[0] == 404
    status, body = call(stand_in, "DELETE", MON + "/monitor", monitorIds="NOPE")
    assert (status, body["exception"]) == (500, "com.clustercontrol.fault.HinemosUnknown")
    assert stand_in.settings.monitors == {}
    status, body = call(stand_in, "GET", MON + "/nothing_here")
    assert (status, body["exception"]) == (404, "com.clustercontrol.fault.HinemosUnknown")
    assert stand_in.rest.handle("GET", MON + "/monitor", "", {}, b"")[0] == 401  # a token is needed


def test_systemlog_rules_follow_order_no(stand_in):
    status, reply = call(stand_in, "POST", MON + "/systemlog", STATUS)
    assert status == 200
    rules = [(r["orderNo"], r["pattern"]) for r in reply["stringValueInfo"]]
    assert rules == [(1, ".*running.*"), (2, ".*exited.*")]
    assert [r["pattern"] for r in stand_in.settings.monitors["STATE1"]["stringValueInfo"]] == [
        ".*running.*", ".*exited.*"]
    assert stand_in.settings.monitors["STATE1"]["runInterval"] == 0


def test_jobunit_post_put_tree_and_conflicts(stand_in):
    tree = settings.jobunit("JU", "docker_host1", "web", settings.Options())
    body = settings_rest.jobunit_body(tree)
    status, reply = call(stand_in, "POST", JOB + "/setting/jobunit", body)
    assert status == 200 and reply["data"]["type"] == "JOBUNIT"
    assert [c["data"]["id"] for c in reply["children"]][0] == "COMMAND_web"
    assert reply["children"][0]["data"]["command"]["stopType"] == "DESTROY_PROCESS"
    status, conflict = call(stand_in, "POST", JOB + "/setting/jobunit", body)
    assert (status, conflict["exception"]) == (409, "com.clustercontrol.fault.JobMasterDuplicate")
    assert call(stand_in, "PUT", JOB + "/setting/jobunit/JU", body)[0] == 200
    other = copy.deepcopy(body)
    other["jobTreeItem"]["data"].update(id="JU2", jobunitId="JU2")
    assert call(stand_in, "PUT", JOB + "/setting/jobunit/JU2", other)[1]["message"] == (
        '$[MESSAGE_JOBUNIT_ID_NOT_EXIST:"JU2"]')
    status, full = call(stand_in, "GET", JOB + "/setting/job_treeFull")
    unit = full["children"][0]["children"][0]
    assert settings_plan.differences(tree, settings_rest.job_tree(unit)) == []
    assert call(stand_in, "DELETE", JOB + "/setting/jobunit/JU")[0] == 200
    assert call(stand_in, "DELETE", JOB + "/setting/jobunit/JU")[0] == 404


def test_the_clients_bodies_are_accepted_and_read_back_unchanged(stand_in):
    for monitor in settings.monitors(settings.Options()):
        resource = settings_rest.MONITOR_RESOURCES[monitor["monitorTypeId"]]
        status, reply = call(stand_in, "POST", f"{MON}/{resource}", settings_rest.monitor_body(monitor))
        assert status == 200, reply
        assert settings_plan.differences(monitor, settings_rest.monitor_info(reply)) == []
    assert len(call(stand_in, "GET", "/NotifyRestEndpoints/notify/notify")[1]) == 1
