"""The settings the receiving side judges with: those registered in the stand-in (by
SettingDockerAdd.py or any client of its settings endpoints), read from the monitorInfo records it
keeps, as a manager judges with its own settings. Without any registered setting of a kind, the
manual's (systemlog.container_status_monitor, custom.MANUAL_MONITORS) stand in for them.

Pure: records in, the receiving side's monitor values out. A setting whose monitoring is off
judges nothing (monitorFlg false); a rule's caseSensitivityFlg true makes its pattern match
case-insensitively (the manager's naming), priority 4 (none) is a rule that does not notify.
"""
from . import custom, systemlog
from .notifications import CRITICAL, INFO, UNKNOWN, WARNING

PRIORITIES = {0: CRITICAL, 1: UNKNOWN, 2: WARNING, 3: INFO}  # PriorityConstant; 4 = none
BASIC = ""


def _rule(row):
    priority = PRIORITIES.get(row.get("priority"))
    return systemlog.Rule(row["pattern"], priority or INFO,
                          process=bool(row.get("processType")) and priority is not None,
                          valid=row.get("validFlg") is not False,
                          ignore_case=bool(row.get("caseSensitivityFlg")))


def system_log_monitors(records):
    """The SystemLogMonitor of every registered system-log setting whose monitoring is on, by ID."""
    return [systemlog.SystemLogMonitor(m["monitorId"], m["facilityId"],
                                       tuple(_rule(row) for row in m.get("stringValueInfo") or []),
                                       m.get("ownerRoleId") or "ALL_USERS")
            for _, m in sorted(records.items())
            if m.get("monitorTypeId") == "MON_SYSLOG_S" and m.get("monitorFlg")]


def custom_monitors(records):
    """{monitor ID: CustomMonitor} of the registered custom numeric settings."""
    monitors = {}
    for monitor_id, m in sorted(records.items()):
        if m.get("monitorTypeId") != "MON_CUSTOM_N":
            continue
        ranges = {row.get("priority"): (row.get("thresholdLowerLimit"), row.get("thresholdUpperLimit"))
                  for row in m.get("numericValueInfo") or [] if row.get("monitorNumericType") == BASIC}
        judged = bool(m.get("monitorFlg"))
        monitors[monitor_id] = custom.CustomMonitor(monitor_id, judged, ranges.get(3) if judged else None,
                                                    ranges.get(2) if judged else None)
    return monitors


def of_state(state):
    """(system-log monitors, {ID: custom monitor}) a stand-in's data file holds, the manual's where
    it holds none of a kind."""
    records = ((state or {}).get("settings") or {}).get("monitors") or {}
    syslog = system_log_monitors(records) or [systemlog.container_status_monitor(),
                                              systemlog.container_event_monitor()]
    return syslog, custom_monitors(records) or dict(custom.MANUAL_MONITORS)
