"""The 7.x REST face of the stand-in's settings: MonitorsettingRestEndpoints (customNumeric,
systemlog, monitor), JobRestEndpoints (setting/jobunit, setting/job_treeFull) and
NotifyRestEndpoints (notify), over the same Settings model as the 6.2 SOAP endpoints.

rest.RestApi serves these ROUTES like its repository ones (token, privilege, error body, the status
of each fault class); a handler takes the settings, the path parameters, the query (one value per
name) and the JSON body, and returns the JSON-ready reply. Enum names are strict (a name the
manager does not know is 400, as Jackson refuses it). Sources (branch master of
github.com/hinemos/hinemos): HinemosManager/src_rest/com/clustercontrol/rest/endpoint/monitorsetting/
MonitorsettingRestEndpoints.java, …/jobmanagement/JobRestEndpoints.java, …/notify/NotifyRestEndpoints.java
and their dto/ packages.
"""
import copy
import re
from datetime import datetime

from ..settings_rest import (
    CONVERT_FLAGS,
    END_STATUSES,
    JOB_FIELDS,
    JOB_PRIORITIES,
    JOB_TYPES,
    MONITOR_TYPES,
    NOTIFY_TYPES,
    NUMERIC_TYPES,
    PRIORITIES,
    PROCESSING_METHODS,
    RUN_INTERVALS,
    STOP_TYPES,
)
from .model import Fault, msg
from .settings_validation import MON_CUSTOM_N, MON_SYSLOG_S

MONITORS = "/MonitorsettingRestEndpoints/monitorsetting"
JOBS = "/JobRestEndpoints/job"
NOTIFY = "/NotifyRestEndpoints/notify"
# the settings' exception classes -> status (HinemosRestExceptionMapper: by their base class)
FAULT_STATUS = {"JobInvalid": 400, "MonitorNotFound": 404, "JobMasterNotFound": 404, "NotifyNotFound": 404,
                "MonitorDuplicate": 409, "JobMasterDuplicate": 409}
COMMAND_EXEC_TYPES = {"INDIVIDUAL": "INDIVIDUAL", "SELECTED": "SELECTED"}  # 6.2 sends the names too
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # the manager's yyyy-MM-dd HH:mm:ss.SSS, in its own zone


def _invalid(message):
    return Fault("InvalidSetting", message)


def _enum(value, table, field):
    """The code of an enum name; a name the manager does not know is refused as Jackson does."""
    if value is None:
        return None
    codes = {name: code for code, name in table.items()}
    if value not in codes:
        raise _invalid(f'Cannot deserialize value of type `{field}` from String "{value}": not one of the '
                       f"values accepted for Enum class: [{', '.join(codes)}]")
    return codes[value]


def _name(code, table):
    return None if code is None else table.get(code)


def _date(millis):
    return None if millis is None else datetime.fromtimestamp(millis / 1000).strftime(DATETIME_FORMAT)[:-3]


# -- monitors --------------------------------------------------------------------------------

def _monitor_from_request(settings, body, type_id, monitor_id=None, stored=None):
    """The 6.2-shaped monitorInfo that a POST or PUT body describes (PUT: the ids of `stored`)."""
    if not isinstance(body, dict):
        raise _invalid("the request body is not a JSON object")
    info = copy.deepcopy(body)
    if stored is not None:
        info.update(monitorId=monitor_id, ownerRoleId=stored["ownerRoleId"])
    info.update(monitorTypeId=type_id, monitorType=1 if type_id == MON_CUSTOM_N else 2,
                runInterval=_enum(body.get("runInterval"), RUN_INTERVALS, "RunIntervalEnum"))
    if type_id == MON_SYSLOG_S:
        info["runInterval"] = 0  # ignored for the system-log monitor
        if body.get("priorityChangeJudgmentType") is None:
            raise _invalid(msg("MESSAGE_PLEASE_INPUT", msg("PRIORITY_CHANGE_JUDGMENT_TYPE")))
        rules = sorted(body.get("stringValueInfo") or [], key=lambda r: (r or {}).get("orderNo") or 0)
        info["stringValueInfo"] = [
            {**rule, "priority": _enum(rule.get("priority"), PRIORITIES, "PriorityEnum")} for rule in rules]
    else:
        if body.get("priorityChangeFailureType") is None:
            raise _invalid(msg("MESSAGE_PLEASE_INPUT", msg("PRIORITY_CHANGE_FAILURE_TYPE")))
        info["numericValueInfo"] = [
            {**row, "monitorNumericType": _enum(row.get("monitorNumericType"), NUMERIC_TYPES,
                                                "MonitorNumericTypeEnum"),
             "priority": _enum(row.get("priority"), PRIORITIES, "PriorityEnum")}
            for row in body.get("numericValueInfo") or []]
        check = body.get("customCheckInfo")
        if check is not None:
            info["customCheckInfo"] = {
                **{k: v for k, v in check.items() if k != "commandExecTypeCode"},
                "commandExecType": _enum(check.get("commandExecTypeCode"), COMMAND_EXEC_TYPES,
                                         "CommandExecTypeEnum"),
                "convertFlg": _enum(check.get("convertFlg"), CONVERT_FLAGS, "ConvertFlagEnum")}
    info["notifyRelationList"] = [
        {"notifyId": relation.get("notifyId"),
         "notifyType": settings.notifications.get(relation.get("notifyId"), {}).get("notifyType")}
        for relation in body.get("notifyRelationList") or []]
    return info


def monitor_response(info):
    """A stored monitor as MonitorInfoResponse: codes as enum names, dates as text."""
    response = {key: value for key, value in info.items() if key not in ("delayTime", "notifyGroupId")}
    response.update(
        monitorType=_name(info.get("monitorType"), MONITOR_TYPES),
        runInterval=_name(info.get("runInterval"), RUN_INTERVALS),
        regDate=_date(info.get("regDate")), updateDate=_date(info.get("updateDate")),
        notifyRelationList=[
            {"notifyId": r["notifyId"], "notifyType": _name(r.get("notifyType"), NOTIFY_TYPES)}
            for r in info.get("notifyRelationList") or []],
        numericValueInfo=[{**{k: v for k, v in row.items() if k != "monitorId"},
                           "monitorNumericType": _name(row.get("monitorNumericType"), NUMERIC_TYPES),
                           "priority": _name(row.get("priority"), PRIORITIES)}
                          for row in info.get("numericValueInfo") or []],
        stringValueInfo=[{**{k: v for k, v in rule.items() if k != "monitorId"}, "orderNo": order,
                          "priority": _name(rule.get("priority"), PRIORITIES)}
                         for order, rule in enumerate(info.get("stringValueInfo") or [], start=1)],
    )
    check = info.get("customCheckInfo")
    if check is not None:
        response["customCheckInfo"] = {
            **{k: v for k, v in check.items() if k not in ("monitorId", "monitorTypeId", "commandExecType")},
            "commandExecTypeCode": check.get("commandExecType"),
            "convertFlg": _name(check.get("convertFlg"), CONVERT_FLAGS)}
    response["priorityChangeFailureType" if info["monitorTypeId"] == MON_CUSTOM_N
             else "priorityChangeJudgmentType"] = "NOT_PRIORITY_CHANGE"
    return response


def _add(type_id):
    def add(settings, params, query, body):
        info = _monitor_from_request(settings, body, type_id)
        settings.add_monitor(info)
        return monitor_response(settings.monitors[info["monitorId"]])
    return add


def _modify(type_id):
    def modify(settings, params, query, body):
        monitor_id = params["monitorId"]
        stored = settings.get_monitor(monitor_id)  # MonitorNotFound first
        settings.modify_monitor(_monitor_from_request(settings, body, type_id, monitor_id, stored))
        return monitor_response(settings.monitors[monitor_id])
    return modify


def _list_monitors(settings, params, query, body):
    return [monitor_response(m) for m in settings.get_monitor_list()]


def _get_monitor(settings, params, query, body):
    return monitor_response(settings.get_monitor(params["monitorId"]))


def _delete_monitors(settings, params, query, body):
    ids = [i for i in (query.get("monitorIds") or "").split(",") if i]
    deleted = [monitor_response(settings.monitors[i]) for i in ids if i in settings.monitors]
    settings.delete_monitor(ids)
    return deleted


# -- jobs ------------------------------------------------------------------------------------

def _job_from_request(item):
    if not isinstance(item, dict):
        raise _invalid("jobTreeItem is not a JSON object")
    body = {k.lower(): (k, v) for k, v in (item.get("data") or {}).items()}  # read case-insensitively
    names = {json_name.lower(): field for field, json_name in JOB_FIELDS.items()}
    data = {names.get(lower, original): value for lower, (original, value) in body.items()}
    data["type"] = _enum(data.get("type", "JOBUNIT"), JOB_TYPES, "JobTypeEnum")
    for key in JOB_PRIORITIES:
        data[key] = _enum(data.get(key, "CRITICAL"), PRIORITIES, "PrioritySelectEnum")
    if data.get("endStatus") is not None:
        data["endStatus"] = [{**s, "type": _enum(s.get("type", "NORMAL"), END_STATUSES, "EndStatusEnum")}
                             for s in data["endStatus"]]
    if data.get("command") is not None:
        command = dict(data["command"])
        command["processingMethod"] = _enum(command.get("processingMethod"), PROCESSING_METHODS,
                                            "ProcessingMethodEnum")
        command["stopType"] = _enum(command.get("stopType"), STOP_TYPES, "StopTypeEnum")
        data["command"] = command
    data.setdefault("description", "")
    return {"data": data, "children": [_job_from_request(c) for c in item.get("children") or []]}


def job_response(tree):
    """A stored jobTreeItem as the 7.x JSON (JobTreeItemResponseP2)."""
    data = {JOB_FIELDS.get(k, k): v for k, v in tree["data"].items() if k != "propertyFull"}
    data["type"] = _name(tree["data"].get("type"), JOB_TYPES)
    for key in JOB_PRIORITIES:
        if key in data:
            data[key] = _name(data[key], PRIORITIES)
    for key in ("createTime", "updateTime"):
        if key in data:
            data[key] = _date(data[key])
    if data.get("endStatus") is not None:
        data["endStatus"] = [{**s, "type": _name(s.get("type"), END_STATUSES)} for s in data["endStatus"]]
    if data.get("command") is not None:
        command = dict(data["command"])
        command["processingMethod"] = _name(command.get("processingMethod"), PROCESSING_METHODS)
        command["stopType"] = _name(command.get("stopType"), STOP_TYPES)
        data["command"] = command
    return {"data": data, "children": [job_response(child) for child in tree.get("children") or []]}


def _register(settings, body, must_exist):
    if not isinstance(body, dict) or body.get("jobTreeItem") is None:
        raise _invalid(msg("MESSAGE_PLEASE_INPUT", "jobTreeItem"))
    tree = _job_from_request(body["jobTreeItem"])
    jobunit_id = tree["data"].get("jobunitId")
    if must_exist and jobunit_id not in settings.jobunits:
        raise _invalid(msg("MESSAGE_JOBUNIT_ID_NOT_EXIST", jobunit_id))
    if not must_exist and jobunit_id in settings.jobunits:
        raise Fault("JobMasterDuplicate", msg("MESSAGE_JOBUNIT_ID_DUPLICATED", jobunit_id))
    settings.register_jobunit(tree)
    return job_response(settings.jobunits[jobunit_id]["tree"])


def _add_jobunit(settings, params, query, body):
    return _register(settings, body, must_exist=False)


def _replace_jobunit(settings, params, query, body):
    return _register(settings, body, must_exist=True)


def _job_tree_full(settings, params, query, body):
    owner = query.get("ownerRoleId")
    units = [job_response(unit["tree"]) for _, unit in sorted(settings.jobunits.items())
             if not owner or unit["tree"]["data"]["ownerRoleId"] == owner]
    top = {"id": "", "jobunitId": "", "type": "COMPOSITE"}
    jobs = {"data": {**top, "name": "Job"}, "children": units}
    return {"data": {**top, "name": "composite"}, "children": [jobs]}


def _delete_jobunit(settings, params, query, body):
    jobunit_id = params["jobunitId"]
    tree = job_response(settings.jobunits[jobunit_id]["tree"]) if jobunit_id in settings.jobunits else None
    settings.delete_jobunit(jobunit_id)
    return tree


def _notify_list(settings, params, query, body):
    return [{**n, "notifyType": _name(n.get("notifyType"), NOTIFY_TYPES)} for n in settings.get_notify_list()
            if not query.get("ownerRoleId") or n.get("ownerRoleId") == query["ownerRoleId"]]


# (method, path pattern below /HinemosWeb/api, operation, handler, whether it writes); the operations
# are named as the 6.2 SOAP ones where there is one, so call counts read alike on both APIs
ROUTES = [
    ("GET", MONITORS + "/monitor", "getMonitorList", _list_monitors, False),
    ("DELETE", MONITORS + "/monitor", "deleteMonitor", _delete_monitors, True),
    ("GET", MONITORS + "/monitor/{monitorId}", "getMonitor", _get_monitor, False),
    ("POST", MONITORS + "/customNumeric", "addMonitor", _add(MON_CUSTOM_N), True),
    ("PUT", MONITORS + "/customNumeric/{monitorId}", "modifyMonitor", _modify(MON_CUSTOM_N), True),
    ("POST", MONITORS + "/systemlog", "addMonitor", _add(MON_SYSLOG_S), True),
    ("PUT", MONITORS + "/systemlog/{monitorId}", "modifyMonitor", _modify(MON_SYSLOG_S), True),
    ("GET", JOBS + "/setting/job_treeFull", "getJobTreeFull", _job_tree_full, False),
    ("POST", JOBS + "/setting/jobunit", "registerJobunit", _add_jobunit, True),
    ("PUT", JOBS + "/setting/jobunit/{jobunitId}", "replaceJobunit", _replace_jobunit, True),
    ("DELETE", JOBS + "/setting/jobunit/{jobunitId}", "deleteJobunit", _delete_jobunit, True),
    ("GET", NOTIFY + "/notify", "getNotifyList", _notify_list, False),
]


def pattern(path):
    """The regular expression of a route's path: {name} matches one path segment."""
    return re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path)
