"""The stand-in's settings endpoints (6.2 MonitorSettingEndpoint, JobEndpoint, NotifyEndpoint)
through clients that are not ours: zeep and suds reading the WSDL it serves (the reference files,
addresses rewritten), and plain requests with hand-written envelopes."""
import copy
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests

from hinemos_docker import settings
from hinemos_docker.sandbox import soap
from tests.fixtures.sandbox import SANDBOX_PASSWORD, SANDBOX_USER

NS_MONITOR = "http://monitor.ws.clustercontrol.com"
NS_JOB = "http://jobmanagement.ws.clustercontrol.com"
WSDL_DIR = Path(soap.__file__).parent / "wsdl"
AUTH = (SANDBOX_USER, SANDBOX_PASSWORD)
MONITORS = {m["monitorId"]: m for m in settings.monitors(settings.Options())}


@pytest.fixture
def manager(sandbox):
    for scope in ("docker_host", "docker_container", "manager_server"):
        sandbox.repository.facilities[scope] = {**sandbox.repository.facilities["REGISTERED"],
                                                "facilityId": scope, "builtInFlg": False}
    sandbox.add_notification("EVENT_FOR_POLLING")
    return sandbox


def zeep_client(sandbox, endpoint):
    import zeep
    import zeep.transports
    session = requests.Session()
    session.auth = AUTH
    return zeep.Client(f"{sandbox.base_url}/{endpoint}?wsdl",
                       transport=zeep.transports.Transport(session=session))


def suds_client(sandbox, endpoint):
    import suds.client
    import suds.transport.http
    transport = suds.transport.http.HttpAuthenticated(username=SANDBOX_USER, password=SANDBOX_PASSWORD)
    return suds.client.Client(f"{sandbox.base_url}/{endpoint}?wsdl", transport=transport, cache=None)


def zeep_fault(call, *args):
    import zeep.exceptions
    with pytest.raises(zeep.exceptions.Fault) as info:
        call(*args)
    detail = info.value.detail
    name = detail[0].tag.rsplit("}", 1)[-1] if detail is not None and len(detail) else None
    return name, info.value.message


@pytest.mark.parametrize("endpoint, files", [
    ("MonitorSettingEndpoint", ["MonitorSettingEndpoint.wsdl", "MonitorSettingEndpoint_xsd1.xsd",
                                "MonitorSettingEndpoint_xsd2.xsd", "MonitorSettingEndpoint_xsd3.xsd"]),
    ("JobEndpoint", ["JobEndpoint.wsdl", "JobEndpoint_xsd1.xsd", "JobEndpoint_xsd2.xsd"]),
])
def test_serves_the_reference_files_with_its_address(sandbox, endpoint, files):
    for name in files:
        query = "wsdl" if name.endswith(".wsdl") else f"xsd={name[-5]}"
        served = requests.get(f"{sandbox.base_url}/{endpoint}?{query}", timeout=10)
        reference = (WSDL_DIR / "6.2-settings" / name).read_text(encoding="utf-8")
        assert served.status_code == 200
        assert served.text == reference.replace("http://localhost:8080/HinemosWS", sandbox.base_url)
        assert "localhost:8080" not in served.text


def test_the_6_0_stand_in_has_no_settings_endpoints(make_sandbox):
    old = make_sandbox(version="6.0")
    assert requests.get(f"{old.base_url}/MonitorSettingEndpoint?wsdl", timeout=10).status_code == 404


def test_zeep_registers_reads_changes_and_deletes_monitors(manager):
    client = zeep_client(manager, "MonitorSettingEndpoint")
    monitor_info = client.get_type(f"{{{NS_MONITOR}}}monitorInfo")
    assert client.service.addMonitor(monitor_info(**MONITORS["CONTAINER_CPU"])) is True
    assert client.service.addMonitor(MONITORS["CONTAINER_STATUS"]) is True
    cpu = client.service.getMonitor("CONTAINER_CPU")
    assert cpu.customCheckInfo.command == MONITORS["CONTAINER_CPU"]["customCheckInfo"]["command"]
    assert cpu.customCheckInfo.commandExecType == "SELECTED"
    assert cpu.notifyGroupId == "MON_CUSTOM_N-CONTAINER_CPU-0" and cpu.regUser == SANDBOX_USER
    rows = sorted((r.monitorNumericType or "", r.priority) for r in cpu.numericValueInfo)
    assert rows[:2] == [("", 0), ("", 1)] and len(rows) == 8
    assert [m.monitorId for m in client.service.getCustomList()] == ["CONTAINER_CPU"]
    status = client.service.getSystemlogList()[0]
    assert [r.pattern for r in status.stringValueInfo] == [".*running.*", ".*paused.*", ".*restarting.*",
                                                           ".*exited.*"]
    changed = copy.deepcopy(MONITORS["CONTAINER_CPU"])
    changed["runInterval"] = 600
    assert client.service.modifyMonitor(changed) is True
    assert client.service.getMonitor("CONTAINER_CPU").runInterval == 600
    client.service.setStatusMonitor("CONTAINER_CPU", "MON_CUSTOM_N", False)
    assert client.service.getMonitor("CONTAINER_CPU").monitorFlg is False
    assert client.service.deleteMonitor(["CONTAINER_CPU", "CONTAINER_STATUS"]) is True
    assert client.service.getMonitorList() == []


def test_zeep_sees_the_managers_faults(manager):
    client = zeep_client(manager, "MonitorSettingEndpoint")
    client.service.addMonitor(MONITORS["CONTAINER_MEM"])
    assert zeep_fault(client.service.addMonitor, MONITORS["CONTAINER_MEM"]) == (
        "MonitorDuplicate", "MonitorInfo, primaryKey = CONTAINER_MEM")
    assert zeep_fault(client.service.getMonitor, "NOPE") == (
        "MonitorNotFound", "MonitorInfo.findByPrimaryKey, monitorId = NOPE")
    # an unknown ID in the list: HinemosUnknown, and the whole list is rolled back
    assert zeep_fault(client.service.deleteMonitor, ["CONTAINER_MEM", "NOPE"])[0] == "HinemosUnknown"
    assert [m.monitorId for m in client.service.getMonitorList()] == ["CONTAINER_MEM"]
    assert zeep_fault(client.service.deleteMonitor, []) == (
        "HinemosUnknown", "monitorIdList is null or empty.")

    def without(monitor_id, *path):
        info = copy.deepcopy(MONITORS[monitor_id])
        target = info
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return info

    # unboxed by the 6.2 validator: a NullPointerException, HinemosUnknown without a message
    assert zeep_fault(client.service.addMonitor, without("CONTAINER_CPU", "monitorType")) == (
        "HinemosUnknown", "com.clustercontrol.fault.HinemosUnknown")
    no_exec_type = without("CONTAINER_CPU", "customCheckInfo", "commandExecType")
    assert zeep_fault(client.service.addMonitor, no_exec_type)[0] == "HinemosUnknown"
    no_change_rows = copy.deepcopy(MONITORS["CONTAINER_CPU"])
    no_change_rows["numericValueInfo"] = [r for r in no_change_rows["numericValueInfo"]
                                          if r["monitorNumericType"] == ""]
    assert zeep_fault(client.service.addMonitor, no_change_rows) == (
        "InvalidSetting", "$[MESSAGE_PLEASE_SET_INFO_UPPERVALUE_EXCEED_LOWERVALUE_CHANGE]")
    other_notify = copy.deepcopy(MONITORS["CONTAINER_CPU"])
    other_notify["notifyRelationList"] = [{"notifyId": "MAIL_ONLY", "notifyType": 2}]
    assert zeep_fault(client.service.addMonitor, other_notify) == (
        "InvalidSetting", '$[MESSAGE_NOTIFY_ID_NOT_EXIST:"MAIL_ONLY"]')
    bad_interval = {**MONITORS["CONTAINER_CPU"], "runInterval": 120}
    assert zeep_fault(client.service.addMonitor, bad_interval)[1] == (
        "RunInterval is not 1 min / 5 min / 10 min / 30 min / 60 min.")
    long_timeout = copy.deepcopy(MONITORS["DOC_HOST_STATUS"])
    long_timeout.update(runInterval=30)
    long_timeout["customCheckInfo"]["timeout"] = 40000
    assert zeep_fault(client.service.addMonitor, long_timeout)[1] == (
        "$[MESSAGE_PLEASE_INPUT_TIMEOUT_SHORTER_THAN_MONITOR_INTERVAL]")
    no_scope = {**MONITORS["CONTAINER_CPU"], "facilityId": "docker_nowhere"}
    assert zeep_fault(client.service.addMonitor, no_scope) == (
        "InvalidSetting", "FacilityEntity.findByPrimaryKey, facilityId = docker_nowhere")
    empty_pattern = copy.deepcopy(MONITORS["CONTAINER_EVENT"])
    empty_pattern["stringValueInfo"][0]["pattern"] = ""
    assert zeep_fault(client.service.addMonitor, empty_pattern)[1] == (
        "Pattern is empty string. monitorId = CONTAINER_EVENT, orderNo = 1")
    assert [m.monitorId for m in client.service.getMonitorList()] == ["CONTAINER_MEM"]


def test_suds_registers_a_jobunit_and_reads_it_back(manager):
    client = suds_client(manager, "JobEndpoint")
    tree = settings.jobunit("JU_001", "docker_host1", "container_D", settings.Options())
    assert int(client.service.registerJobunit(tree)) > 0
    root = client.service.getJobTree(None, True)
    assert root.data.type == -1
    jobunit = root.children[0].children[0]
    assert (jobunit.data.id, jobunit.data.type) == ("JU_001", 0)
    assert [c.data.id for c in jobunit.children][2] == "START_container_D"
    ref = client.factory.create(f"{{{NS_JOB}}}jobInfo")
    ref.jobunitId, ref.id, ref.propertyFull = "JU_001", "START_container_D", False
    ref.registeredModule, ref.useApprovalReqSentence = False, False
    full = client.service.getJobFull(ref)
    assert full.command.startCommand.endswith("JobDockerContainerStart.py -i docker_host1 -n container_D")
    assert (full.command.facilityID, full.command.stopType, full.parentId) == ("manager_server", 1, "JU_001")
    assert [(s.type, s.startRangeValue, s.endRangeValue) for s in full.endStatus][1] == (1, 9, 9)
    session = client.service.getEditLock("JU_001", client.service.getUpdateTimeList(["JU_001"])[0], False)
    client.service.checkEditLock("JU_001", session)
    client.service.releaseEditLock(session)
    client.service.deleteJobunit("JU_001")
    assert not getattr(client.service.getJobTree(None, True).children[0], "children", None)


def test_job_validation_through_zeep(manager):
    client = zeep_client(manager, "JobEndpoint")
    tree = settings.jobunit("JU_002", "docker_host1", "web", settings.Options())

    def variant(change):
        copied = copy.deepcopy(tree)
        change(copied["children"][0]["data"])
        return copied

    # a new job sent with propertyFull false has no stored definition to stand for it
    assert zeep_fault(client.service.registerJobunit, variant(lambda d: d.update(propertyFull=False)))[0] \
        == "HinemosUnknown"
    # type is unboxed with default 0: a command job without it is taken for a jobunit
    assert zeep_fault(client.service.registerJobunit, variant(lambda d: d.pop("type"))) == (
        "InvalidSetting", "jobType is TYPE_JOBUNIT, but jobId != jobunitId")
    no_retry = variant(lambda d: d["command"].pop("messageRetry"))
    assert zeep_fault(client.service.registerJobunit, no_retry) == (
        "InvalidSetting", "validateJobUnit() messageRetry or commandRetry is null(job). "
                          "jobunitId = JU_002, jobId = COMMAND_web")
    assert zeep_fault(client.service.registerJobunit, variant(lambda d: d["endStatus"].pop()))[1] == (
        "the number of JobEndStatus is too few [COMMAND_web] 2")
    assert zeep_fault(client.service.registerJobunit,
                      variant(lambda d: d["command"].update(facilityID="no_such_node")))[1].startswith(
        "FacilityId is not exist in repository. FacilityId = no_such_node")
    assert client.service.getJobTree(None, True).children[0].children == []


ADD_MONITOR_WITHOUT_CHECK = """<?xml version="1.0" encoding="UTF-8"?>
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
<ns2:addMonitor xmlns:ns2="http://monitor.ws.clustercontrol.com"><arg0>
<ownerRoleId>ALL_USERS</ownerRoleId><application>X</application><changeAnalysysRange>60</changeAnalysysRange>
<changeFlg>false</changeFlg><collectorFlg>false</collectorFlg><facilityId>docker_host</facilityId>
<itemName>x</itemName><measure>x</measure><monitorFlg>true</monitorFlg><monitorId>RAW1</monitorId>
<monitorType>1</monitorType><monitorTypeId>MON_CUSTOM_N</monitorTypeId>
<numericValueInfo><monitorNumericType></monitorNumericType><priority>3</priority>
<thresholdLowerLimit>0.0</thresholdLowerLimit><thresholdUpperLimit>1.0</thresholdUpperLimit></numericValueInfo>
<numericValueInfo><monitorNumericType></monitorNumericType><priority>2</priority>
<thresholdLowerLimit>1.0</thresholdLowerLimit><thresholdUpperLimit>2.0</thresholdUpperLimit></numericValueInfo>
<numericValueInfo><monitorNumericType>CHANGE</monitorNumericType><priority>3</priority>
<thresholdLowerLimit>0.0</thresholdLowerLimit><thresholdUpperLimit>0.0</thresholdUpperLimit></numericValueInfo>
<numericValueInfo><monitorNumericType>CHANGE</monitorNumericType><priority>2</priority>
<thresholdLowerLimit>0.0</thresholdLowerLimit><thresholdUpperLimit>0.0</thresholdUpperLimit></numericValueInfo>
<predictionAnalysysRange>60</predictionAnalysysRange><predictionFlg>false</predictionFlg>
<predictionMethod>POLYNOMIAL_1</predictionMethod><predictionTarget>60</predictionTarget>
<runInterval>300</runInterval>
</arg0></ns2:addMonitor></S:Body></S:Envelope>"""


def test_plain_requests_envelopes(manager, make_sandbox):
    url = f"{manager.base_url}/MonitorSettingEndpoint"
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
    body = ADD_MONITOR_WITHOUT_CHECK.encode()
    unauthenticated = requests.post(url, data=body, headers=headers, timeout=10)
    assert unauthenticated.status_code == 500 and "<ns2:InvalidUserPass" in unauthenticated.text
    reply = requests.post(url, data=body, headers=headers, auth=AUTH, timeout=10)
    assert reply.status_code == 500
    fault = ET.fromstring(reply.content).find(".//faultstring").text
    assert fault == "Custom Monitor Setting is not defined. monitorId = RAW1"
    assert f'<ns2:InvalidSetting xmlns:ns2="{NS_MONITOR}">' in reply.text
    with_check = ADD_MONITOR_WITHOUT_CHECK.replace(
        "<runInterval>", "<customCheckInfo><command>/bin/true</command><commandExecType>INDIVIDUAL"
                         "</commandExecType><specifyUser>false</specifyUser><timeout>5000</timeout>"
                         "</customCheckInfo><runInterval>")
    created = requests.post(url, data=with_check.encode(), headers=headers, auth=AUTH, timeout=10)
    assert created.status_code == 200 and "<return>true</return>" in created.text
    # written to the data file before the answer: a restarted stand-in still has it
    manager.stop()
    again = make_sandbox(data=manager.data)
    assert again.settings.monitors["RAW1"]["customCheckInfo"]["command"] == "/bin/true"
    get_notify = (b'<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>'
                  b'<n:getNotify xmlns:n="http://notify.ws.clustercontrol.com"><arg0>EVENT_FOR_POLLING</arg0>'
                  b"</n:getNotify></S:Body></S:Envelope>")
    notify = requests.post(f"{again.base_url}/NotifyEndpoint", auth=AUTH, headers=headers, timeout=10,
                           data=get_notify)
    assert notify.status_code == 200 and "<notifyType>1</notifyType>" in notify.text


SYSLOG_BODY = {  # AddSystemlogMonitorRequest, as the 7.x DTO names its fields
    "monitorId": "EVENTS", "ownerRoleId": "ALL_USERS", "application": "EVENTS", "monitorFlg": True,
    "facilityId": "docker_host", "notifyRelationList": [{"notifyId": "EVENT_FOR_POLLING"}],
    "collectorFlg": False, "priorityChangeJudgmentType": "NOT_PRIORITY_CHANGE",
    "stringValueInfo": [{"orderNo": 1, "pattern": ".*", "message": "event", "priority": "INFO",
                         "processType": True, "caseSensitivityFlg": False, "validFlg": True}],
}


def test_plain_requests_on_the_7_1_settings_resources(make_sandbox):
    from tests.fixtures.rest_api import PlainRest, RestFault
    sandbox = make_sandbox(version="7.1")
    sandbox.add_notification("EVENT_FOR_POLLING")
    client = PlainRest(sandbox.base_url)
    client.add_scope(None, "docker_host", "docker_host")
    mon = "/MonitorsettingRestEndpoints/monitorsetting"
    created = client.call("POST", mon + "/systemlog", json=SYSLOG_BODY)
    assert (created["monitorType"], created["runInterval"]) == ("STRING", "NONE")
    assert created["notifyRelationList"] == [{"notifyId": "EVENT_FOR_POLLING", "notifyType": "EVENT"}]
    with pytest.raises(RestFault) as duplicate:
        client.call("POST", mon + "/systemlog", json=SYSLOG_BODY)
    assert (duplicate.value.status, duplicate.value.exception) == (409, "MonitorDuplicate")
    with pytest.raises(RestFault) as bad:
        client.call("POST", mon + "/systemlog", json={**SYSLOG_BODY, "monitorId": "E2",
                                                       "notifyRelationList": [{"notifyId": "NONE_SUCH"}]})
    assert (bad.value.status, bad.value.message) == (400, '$[MESSAGE_NOTIFY_ID_NOT_EXIST:"NONE_SUCH"]')
    assert client.call("GET", mon + "/monitor/EVENTS")["stringValueInfo"][0]["priority"] == "INFO"
    with pytest.raises(RestFault) as missing:
        client.call("GET", mon + "/monitor/NOPE")
    assert (missing.value.status, missing.value.exception) == (404, "MonitorNotFound")
    assert [n["notifyType"] for n in client.call("GET", "/NotifyRestEndpoints/notify/notify")] == ["EVENT"]
    jobunit = {"jobTreeItem": {"data": {
        "id": "JU", "jobunitId": "JU", "name": "unit", "type": "JOBUNIT", "ownerRoleId": "ALL_USERS",
        "updateTaget": True, "endStatus": [
            {"type": "NORMAL", "value": 0, "startRangeValue": 0, "endRangeValue": 0},
            {"type": "WARNING", "value": 1, "startRangeValue": 1, "endRangeValue": 1},
            {"type": "ABNORMAL", "value": -1, "startRangeValue": -1, "endRangeValue": -1}]}, "children": []}}
    created = client.call("POST", "/JobRestEndpoints/job/setting/jobunit", json=jobunit)
    assert created["data"]["type"] == "JOBUNIT"
    tree = client.call("GET", "/JobRestEndpoints/job/setting/job_treeFull")
    assert [unit["data"]["id"] for unit in tree["children"][0]["children"]] == ["JU"]
    client.close()
