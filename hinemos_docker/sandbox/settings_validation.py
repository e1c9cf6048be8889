"""MonitorValidator and JobValidator of the manager (6.2), for the settings the stand-in serves:
custom numeric and system-log monitors, jobunits of command jobs.

The rules, their order and their messages are those the manager's source shows
(HinemosManager/src_monitor/.../monitor/run/util/MonitorValidator.java,
src_jobmanagement/.../jobmanagement/util/JobValidator.java). A field the manager unboxes without a
check gives a NullPointerException there, which the endpoint answers as HinemosUnknown without a
message: `required()` models that.
"""
import re

from .model import ROLES, Fault, msg
from .validation import check_string, invalid

ID_PATTERN = re.compile(r"[A-Za-z0-9\-_.@]+")
RUN_INTERVALS = (30, 60, 300, 600, 1800, 3600)
ILLEGAL_ITEM_CHARACTERS = set("!,<>?|＠")
DOUBLE_LIMIT = 1.0e308
CUSTOM_TIMEOUT_MAX = 3_600_000
MON_CUSTOM_N, MON_SYSLOG_S = "MON_CUSTOM_N", "MON_SYSLOG_S"
MONITOR_TYPES = {MON_CUSTOM_N: 1, MON_SYSLOG_S: 2}
BASIC, CHANGE = "", "CHANGE"
PRIORITY_INFO, PRIORITY_WARNING = 3, 2
TYPE_JOBUNIT, TYPE_JOBNET, TYPE_JOB = 0, 1, 2
INT_MAX = 2**31 - 1


def required(value):
    """A value the manager unboxes: None is its NullPointerException (HinemosUnknown, no message)."""
    if value is None:
        raise Fault("HinemosUnknown", None)
    return value


def _check_id(label, value, max_size):
    if not value:
        raise invalid(msg("MESSAGE_PLEASE_SET_" + label) if label == "MONITOR_ID" else
                      msg("MESSAGE_PLEASE_INPUT", msg(label)))
    check_string(label, value, True, 1, max_size)
    if not ID_PATTERN.fullmatch(value):
        raise invalid(msg("MESSAGE_INPUT_ILLEGAL_CHARACTERS", msg(label), value))


def check_monitor(info, stored, facility_exists, notification_exists, rest=False):
    """validateMonitorInfo for MON_CUSTOM_N and MON_SYSLOG_S; `stored` is the monitor being
    modified (None on add); `rest`: a 7.x manager's rules (master MonitorValidator)."""
    required(info)
    monitor_id = info.get("monitorId")
    _check_id("MONITOR_ID", monitor_id, 64)
    monitor_type = required(info.get("monitorType"))
    type_id = info.get("monitorTypeId")
    if MONITOR_TYPES.get(type_id) != monitor_type:
        raise invalid(f"validateMonitorInfo() Invalid Monitor Type. monitorType = {monitor_type}")
    check_string("DESCRIPTION", info.get("description"), False, 0, 256)
    owner = info.get("ownerRoleId")
    if not owner:
        raise invalid(msg("MESSAGE_PLEASE_SET_OWNERROLEID"))
    if owner not in ROLES:
        raise invalid(f"RoleInfo.findByPrimaryKey, roleId = {owner}")
    if stored is not None and stored.get("ownerRoleId") != owner:
        raise invalid(msg("MESSAGE_OWNERROLEID_CHANGE_NG"))
    facility = info.get("facilityId")
    if not facility:
        raise invalid(msg("MESSAGE_PLEASE_SET_SCOPE"))
    if not facility_exists(facility):
        raise invalid(f"FacilityEntity.findByPrimaryKey, facilityId = {facility}")
    interval = required(info.get("runInterval"))
    if type_id == MON_CUSTOM_N and interval not in RUN_INTERVALS:
        raise invalid("RunInterval is not 1 min / 5 min / 10 min / 30 min / 60 min.")
    calendar = info.get("calendarId")
    if calendar is not None:  # the stand-in has no calendars
        raise invalid(msg("MESSAGE_CALENDAR_ID_IS_NULL") if calendar == "" else
                      msg("MESSAGE_CALENDAR_ID_NOT_EXIST", calendar))
    for flag in ("monitorFlg", "collectorFlg"):
        required(info.get(flag))
    monitored = info["monitorFlg"]
    check_string("APPLICATION", info.get("application"), monitored, 1 if monitored else 0, 64)
    for relation in info.get("notifyRelationList") or []:
        notify_id = (relation or {}).get("notifyId")
        if not notification_exists(notify_id):
            raise invalid(msg("MESSAGE_NOTIFY_ID_NOT_EXIST", notify_id))
    if type_id == MON_CUSTOM_N:
        _check_numeric(info, interval, rest)
    else:
        _check_string_rules(info)


def _check_numeric(info, interval, rest):
    for flag in ("predictionFlg", "changeFlg"):  # unboxed by the numeric checks only
        required(info.get(flag))
    # 6.2 checks the collected item on every numeric monitor, 7.x only when it is collected
    items = (("COLLECTION_DISPLAY_NAME", "itemName", 256), ("COLLECTION_UNIT", "measure", 64))
    for label, field, size in items if info["collectorFlg"] or not rest else ():
        value = info.get(field)
        check_string(label, value, True, 1, size)
        if ILLEGAL_ITEM_CHARACTERS & set(value):
            raise invalid(msg("MESSAGE_INPUT_ILLEGAL_CHARACTERS", msg(label), value))
    check_string("PREDICTION_METHOD", info.get("predictionMethod"), True, 1, 64)
    ranges = (("predictionAnalysysRange", "ANALYSYS_RANGE"), ("predictionTarget", "PREDICTION_TARGET"),
              ("changeAnalysysRange", "ANALYSYS_RANGE"))
    for field, label in ranges:
        value = required(info.get(field))
        if value < 1:
            raise invalid(msg("MESSAGE_INPUT_BETWEEN", msg(label), 1, INT_MAX))
    if (info["predictionFlg"] or info["changeFlg"]) and not info["collectorFlg"]:
        raise invalid(msg("MESSAGE_IVALID_RELATION", msg("COLLECTION"), msg("PREDICTION")))
    check = info.get("customCheckInfo")
    if check is None:
        raise invalid(f"Custom Monitor Setting is not defined. monitorId = {info['monitorId']}")
    rows = {}
    for row in info.get("numericValueInfo") or []:
        row = row or {}
        if row.get("monitorNumericType") in (BASIC, CHANGE):
            rows[row["monitorNumericType"], required(row.get("priority"))] = row
    for kind, suffix in ((CHANGE, "_CHANGE"), (BASIC, "")):
        for priority, name in ((PRIORITY_INFO, "INFO"), (PRIORITY_WARNING, "WARN")):
            row = rows.get((kind, priority), {})
            low, high = row.get("thresholdLowerLimit"), row.get("thresholdUpperLimit")
            message = msg(f"MESSAGE_PLEASE_SET_{name}_UPPERVALUE_EXCEED_LOWERVALUE{suffix}")
            if low is None or high is None or low > high:
                raise invalid(message)
            if not (-DOUBLE_LIMIT <= low <= DOUBLE_LIMIT and -DOUBLE_LIMIT <= high <= DOUBLE_LIMIT):
                raise invalid(msg("MESSAGE_INPUT_RANGE_OVER", msg(name), -DOUBLE_LIMIT, DOUBLE_LIMIT))
    _check_custom(info["monitorId"], check, interval)


def _check_custom(monitor_id, check, interval):
    exec_type = required(check.get("commandExecType"))
    if exec_type == "SELECTED" and not check.get("selectedFacilityId"):
        raise invalid(msg("MESSAGE_PLEASE_SELECT_NODE_RUN_COMMAND"))
    if required(check.get("specifyUser")):
        user = check.get("effectiveUser")
        if not user or len(user) > 64:
            raise invalid(msg("MESSAGE_PLEASE_INPUT_EFFECTIVEUSER"))
    command = check.get("command")
    if not command or len(command) > 1024:
        raise invalid(msg("MESSAGE_PLEASE_INPUT_COMMAND"))
    timeout = check.get("timeout")
    if timeout is None or not 1 <= timeout <= CUSTOM_TIMEOUT_MAX:
        raise invalid(msg("MESSAGE_PLEASE_INPUT_TIMEOUT"))
    if timeout > interval * 1000:
        raise invalid(msg("MESSAGE_PLEASE_INPUT_TIMEOUT_SHORTER_THAN_MONITOR_INTERVAL"))


def _check_string_rules(info):
    monitor_id = info["monitorId"]
    for order, rule in enumerate(info.get("stringValueInfo") or [], start=1):
        rule = rule or {}
        processed = required(rule.get("processType"))
        pattern = rule.get("pattern")
        where = f"monitorId = {monitor_id}, orderNo = {order}"
        if pattern is None:
            raise invalid(f"Pattern is not defined. {where}")
        if pattern == "" and processed:
            raise invalid(f"Pattern is empty string. {where}")
        check_string("PATTERN_MATCHING_EXPRESSION", pattern, True, 0, 1024)
        try:
            re.compile(pattern)
        except re.error:
            raise invalid(f"Pattern is not regular expression. {where}") from None
        check_string("MESSAGE", rule.get("message"), processed, 1 if processed else 0, 256)
        check_string("DESCRIPTION", rule.get("description"), False, 0, 256)


def check_jobunit(root, facility_exists, notification_exists):
    """validateJobUnit over every item of a jobunit tree (parents and jobunitId already set)."""
    seen = set()
    for item in walk(root):
        data = item.get("data") or {}
        job_id = data.get("id")
        _check_id("JOB_ID", job_id, 64)
        _check_id("JOBUNIT_ID", data.get("jobunitId"), 64)
        job_type = data.get("type", TYPE_JOBUNIT)
        if job_type == TYPE_JOBUNIT and job_id != data.get("jobunitId"):
            raise invalid("jobType is TYPE_JOBUNIT, but jobId != jobunitId")
        check_string("JOB_NAME", data.get("name"), True, 1, 64)
        if data.get("description") is None:
            raise invalid(msg("MESSAGE_PLEASE_INPUT", msg("DESCRIPTION")))
        check_string("DESCRIPTION", data["description"], True, 0, 256)
        if data.get("ownerRoleId") not in ROLES:
            raise invalid(msg("MESSAGE_PLEASE_SET_OWNERROLEID"))
        if job_type in (TYPE_JOBUNIT, TYPE_JOBNET, TYPE_JOB):
            _check_end_status(job_id, data.get("endStatus") or [])
        for relation in data.get("notifyRelationInfos") or []:
            if not notification_exists((relation or {}).get("notifyId")):
                raise invalid(msg("MESSAGE_NOTIFY_ID_NOT_EXIST", (relation or {}).get("notifyId")))
        if data.get("iconId"):
            raise invalid(f"Icon Image is not exist in repository. iconId = {data['iconId']}")
        if job_id in seen:
            raise Fault("JobInvalid", msg("MESSAGE_JOBUNIT_NG_DUPLICATE_JOB", job_id, data.get("jobunitId")))
        seen.add(job_id)
        if job_type == TYPE_JOB:
            _check_command(data, facility_exists)


def _check_end_status(job_id, statuses):
    if not statuses:
        raise invalid(f"JobEndStatus is null [{job_id}]")
    if len(statuses) < 3:
        raise invalid(f"the number of JobEndStatus is too few [{job_id}] {len(statuses)}")
    for status in statuses:
        status = status or {}
        low, high = status.get("startRangeValue"), status.get("endRangeValue")
        if status.get("value") is None or low is None or high is None:
            raise invalid(f"JobEndStatus is null [{job_id}]")
        if low > high:
            raise invalid(f"startRangeValue > endRangeValue [{job_id}]")


def _check_command(data, facility_exists):
    command = data.get("command") or {}
    where = f"jobunitId = {data.get('jobunitId')}, jobId = {data.get('id')}"
    if not command.get("startCommand"):
        raise invalid(msg("MESSAGE_PLEASE_SET_COMMAND"))
    if required(command.get("stopType")) == 0 and not command.get("stopCommand"):
        raise invalid(msg("MESSAGE_PLEASE_SET_COMMAND"))
    if command.get("specifyUser") and not 1 <= len(command.get("user") or "") <= 64:
        raise invalid(msg("MESSAGE_PLEASE_INPUT", msg("EFFECTIVE_USER")))
    facility = command.get("facilityID")
    if not facility:
        raise invalid(msg("MESSAGE_PLEASE_SET_SCOPE"))
    if not facility.startswith("#[") and not facility_exists(facility):
        raise invalid(f"FacilityId is not exist in repository. FacilityId = {facility}, {where}")
    if command.get("messageRetry") is None or command.get("commandRetry") is None:
        raise invalid(f"validateJobUnit() messageRetry or commandRetry is null(job). {where}")
    if not 1 <= command["messageRetry"] <= 32767:
        raise invalid(msg("MESSAGE_INPUT_BETWEEN", msg("JOB_RETRIES"), 1, 32767))
    if command.get("commandRetryFlg") and not 1 <= command["commandRetry"] <= 32767:
        raise invalid(msg("MESSAGE_INPUT_BETWEEN", msg("JOB_RETRIES"), 1, 32767))


def walk(item):
    """The items of a jobTreeItem, parents first."""
    yield item
    for child in item.get("children") or []:
        if child is not None:
            yield from walk(child)
