"""The settings in the 7.x REST shapes, pure: the 6.2-shaped dicts of settings.py to the JSON bodies
of MonitorsettingRestEndpoints and JobRestEndpoints, and the JSON the manager returns back to the
6.2 shape, so that one plan (settings_plan) serves both transports.

7.x sends codes as Java enum names (runInterval MIN_05, priority INFO, ...) and names some fields
differently (commandExecTypeCode, orderNo, updateTaget); sources on branch master of
github.com/hinemos/hinemos: HinemosManager/src_rest/com/clustercontrol/rest/endpoint/monitorsetting/dto/
(AddCustomNumericMonitorRequest, AddSystemlogMonitorRequest, MonitorInfoResponse and the
enumtype/ classes in HinemosCommon), and for jobs the internal JobInfo bean that
POST/PUT setting/jobunit read field by field (HinemosManager/src_jobmanagement/com/clustercontrol/
jobmanagement/bean/JobInfo.java).
"""
from .settings import MON_CUSTOM_N, MON_SYSLOG_S

RUN_INTERVALS = {0: "NONE", 30: "SEC_30", 60: "MIN_01", 300: "MIN_05", 600: "MIN_10", 1800: "MIN_30",
                 3600: "MIN_60"}
PRIORITIES = {0: "CRITICAL", 1: "UNKNOWN", 2: "WARNING", 3: "INFO", 4: "NONE"}
NUMERIC_TYPES = {"": "BASIC", "PREDICTION": "PREDICTION", "CHANGE": "CHANGE"}
MONITOR_TYPES = {0: "TRUTH", 1: "NUMERIC", 2: "STRING", 3: "TRAP", 4: "SCENARIO", 5: "BINARY"}
CONVERT_FLAGS = {0: "NONE", 1: "DELTA"}
NOTIFY_TYPES = {0: "STATUS", 1: "EVENT", 2: "MAIL", 3: "JOB", 4: "LOG_ESCALATE", 5: "COMMAND", 6: "INFRA",
                7: "REST", 8: "CLOUD", 9: "MESSAGE"}
JOB_TYPES = {-1: "COMPOSITE", 0: "JOBUNIT", 1: "JOBNET", 2: "JOB", 3: "FILEJOB", 4: "JOBUNIT_UNREFERABLE",
             5: "REFERJOB", 6: "MANAGER", 7: "REFERJOBNET", 8: "APPROVALJOB", 9: "MONITORJOB"}
END_STATUSES = {0: "NORMAL", 1: "WARNING", 2: "ABNORMAL", 3: "BEGINNING", 4: "ANY"}
PROCESSING_METHODS = {0: "ALL_NODE", 1: "RETRY"}
STOP_TYPES = {0: "EXECUTE_COMMAND", 1: "DESTROY_PROCESS"}
NOT_PRIORITY_CHANGE = "NOT_PRIORITY_CHANGE"
# 6.2 jobInfo field -> the 7.x JSON field (the bean's own field names)
JOB_FIELDS = {"propertyFull": "updateTaget", "registeredModule": "registered",
              "useApprovalReqSentence": "isUseApprovalReqSentence"}
JOB_PRIORITIES = ("beginPriority", "normalPriority", "warnPriority", "abnormalPriority")
# settings.py monitor type -> (resource path below monitorsetting/, the 7.x type name)
MONITOR_RESOURCES = {MON_CUSTOM_N: "customNumeric", MON_SYSLOG_S: "systemlog"}


def _reverse(table):
    return {name: code for code, name in table.items()}


def _coded(value, table):
    return None if value is None else table[value]


def _decoded(value, table):
    return None if value is None else _reverse(table).get(value, value)


def _present(mapping):
    return {key: value for key, value in mapping.items() if value is not None}


# -- monitors --------------------------------------------------------------------------------

def monitor_body(info, for_add=True):
    """The JSON body of POST customNumeric / systemlog (for_add) or of PUT …/{monitorId}, which has
    neither monitorId nor ownerRoleId (they cannot change)."""
    body = {
        "monitorId": info["monitorId"], "ownerRoleId": info["ownerRoleId"],
        "application": info.get("application"), "description": info.get("description"),
        "monitorFlg": info.get("monitorFlg"), "runInterval": _coded(info.get("runInterval"), RUN_INTERVALS),
        "calendarId": info.get("calendarId"), "facilityId": info.get("facilityId"),
        "notifyRelationList": [{"notifyId": r["notifyId"]} for r in info.get("notifyRelationList") or []],
        "collectorFlg": info.get("collectorFlg"),
    }
    if info["monitorTypeId"] == MON_CUSTOM_N:
        check = info["customCheckInfo"]
        body.update({
            "itemName": info.get("itemName"), "measure": info.get("measure"),
            "predictionFlg": info.get("predictionFlg"), "predictionMethod": info.get("predictionMethod"),
            "predictionAnalysysRange": info.get("predictionAnalysysRange"),
            "predictionTarget": info.get("predictionTarget"), "changeFlg": info.get("changeFlg"),
            "changeAnalysysRange": info.get("changeAnalysysRange"),
            "numericValueInfo": [_present({
                "monitorNumericType": NUMERIC_TYPES[row["monitorNumericType"]],
                "priority": PRIORITIES[row["priority"]], "message": row.get("message"),
                "thresholdLowerLimit": row["thresholdLowerLimit"],
                "thresholdUpperLimit": row["thresholdUpperLimit"]}) for row in info["numericValueInfo"]],
            "priorityChangeFailureType": NOT_PRIORITY_CHANGE,
            "customCheckInfo": _present({
                "command": check["command"], "specifyUser": check["specifyUser"],
                "effectiveUser": check.get("effectiveUser"), "commandExecTypeCode": check["commandExecType"],
                "selectedFacilityId": check.get("selectedFacilityId"), "timeout": check["timeout"],
                "convertFlg": CONVERT_FLAGS[check["convertFlg"]]}),
        })
    else:
        body.update({
            "priorityChangeJudgmentType": NOT_PRIORITY_CHANGE,
            "stringValueInfo": [_present({
                "orderNo": order, "pattern": rule["pattern"], "description": rule.get("description"),
                "message": rule.get("message"), "priority": PRIORITIES[rule["priority"]],
                "processType": rule["processType"], "caseSensitivityFlg": rule["caseSensitivityFlg"],
                "validFlg": rule["validFlg"]})
                for order, rule in enumerate(info["stringValueInfo"], start=1)],
        })
    if not for_add:
        del body["monitorId"], body["ownerRoleId"]
    return _present(body)


def monitor_info(response):
    """A MonitorInfoResponse (GET monitor, GET monitor/{monitorId}) in the 6.2 monitorInfo shape."""
    monitor_id, type_id = response.get("monitorId"), response.get("monitorTypeId")
    info = dict(response)
    info.update(
        monitorType=_decoded(response.get("monitorType"), MONITOR_TYPES),
        runInterval=_decoded(response.get("runInterval"), RUN_INTERVALS),
        notifyRelationList=[{**r, "notifyType": _decoded(r.get("notifyType"), NOTIFY_TYPES)}
                            for r in response.get("notifyRelationList") or []],
        numericValueInfo=[{**row, "monitorId": monitor_id,
                           "monitorNumericType": _decoded(row.get("monitorNumericType"), NUMERIC_TYPES),
                           "priority": _decoded(row.get("priority"), PRIORITIES)}
                          for row in response.get("numericValueInfo") or []],
        stringValueInfo=[{**{key: value for key, value in rule.items() if key != "orderNo"},
                          "monitorId": monitor_id, "priority": _decoded(rule.get("priority"), PRIORITIES)}
                         for rule in sorted(response.get("stringValueInfo") or [],
                                            key=lambda rule: rule.get("orderNo") or 0)],
    )
    check = response.get("customCheckInfo")
    if check is not None:
        info["customCheckInfo"] = {
            **{key: value for key, value in check.items() if key != "commandExecTypeCode"},
            "monitorId": monitor_id, "monitorTypeId": type_id,
            "commandExecType": check.get("commandExecTypeCode"),
            "convertFlg": _decoded(check.get("convertFlg"), CONVERT_FLAGS)}
    return info


# -- jobs ------------------------------------------------------------------------------------

def _job_data_to_rest(data):
    body = {JOB_FIELDS.get(key, key): value for key, value in data.items()}
    body["type"] = JOB_TYPES[data["type"]]
    for key in JOB_PRIORITIES:
        if key in data:
            body[key] = PRIORITIES[data[key]]
    if "endStatus" in data:
        body["endStatus"] = [{**status, "type": END_STATUSES[status["type"]]} for status in data["endStatus"]]
    if "command" in data:
        command = dict(data["command"])
        command["processingMethod"] = PROCESSING_METHODS[command["processingMethod"]]
        command["stopType"] = STOP_TYPES[command["stopType"]]
        body["command"] = command
    return body


def _job_data_from_rest(body):
    reverse_fields = _reverse(JOB_FIELDS)
    data = {reverse_fields.get(key, key): value for key, value in body.items()}
    data["type"] = _decoded(body.get("type"), JOB_TYPES)
    for key in JOB_PRIORITIES:
        if key in body:
            data[key] = _decoded(body[key], PRIORITIES)
    if body.get("endStatus") is not None:
        data["endStatus"] = [{**s, "type": _decoded(s.get("type"), END_STATUSES)} for s in body["endStatus"]]
    if body.get("command") is not None:
        command = dict(body["command"])
        command["processingMethod"] = _decoded(command.get("processingMethod"), PROCESSING_METHODS)
        command["stopType"] = _decoded(command.get("stopType"), STOP_TYPES)
        data["command"] = command
    return data


def jobunit_body(tree):
    """The body of POST setting/jobunit and PUT setting/jobunit/{jobunitId}: the whole tree."""
    def item(node):
        return {"data": _job_data_to_rest(node["data"]),
                "children": [item(child) for child in node.get("children") or []]}
    return {"jobTreeItem": item(tree)}


def job_tree(response):
    """A JobTreeItem of GET setting/job_treeFull (or a jobunit reply) in the 6.2 jobTreeItem shape.
    Those replies carry every property, which 6.2 says with propertyFull (7.x never writes it)."""
    return {"data": {**_job_data_from_rest(response.get("data") or {}), "propertyFull": True},
            "children": [job_tree(child) for child in response.get("children") or [] if child]}
