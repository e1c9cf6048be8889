"""The manager's monitor and job settings: the operations of MonitorSettingEndpoint and JobEndpoint
(6.2) over monitors, jobunits and the notifications they name.

Semantics are the manager's (HinemosManager/src_ws/.../MonitorSettingEndpoint.java, JobEndpoint.java
and the controller beans they call): addMonitor validates then refuses a duplicate, modifyMonitor
replaces the whole setting, deleteMonitor is all-or-nothing, registerJobunit creates or replaces a
whole jobunit (items sent with propertyFull false are taken from the stored definition), and the
manager fills in its own fields (notify group IDs, dates, users). Values are plain dicts shaped like
the schema's types (soap.Schema). Notifications are only read (NotifyEndpoint getNotify,
getNotifyList): tests and the demo add them with Sandbox.add_notification(), as an operator creates
EVENT_FOR_POLLING in the client.
"""
import copy
import itertools

from .facilities import java
from .model import Fault, now_ms
from .settings_validation import (
    MON_CUSTOM_N,
    MON_SYSLOG_S,
    TYPE_JOBUNIT,
    check_jobunit,
    check_monitor,
    required,
    walk,
)

TYPE_COMPOSITE = -1
STATE_FORMAT = 1


class Settings:
    """Monitors by ID, jobunits (stored trees of full job data) by ID, notifications by ID."""

    def __init__(self, repository, state=None):
        self.repository = repository
        self.monitors = {}
        self.jobunits = {}
        self.notifications = {}
        self.locks = {}  # edit session -> jobunit ID
        self._sessions = itertools.count(1)
        if state:
            if state.get("format") != STATE_FORMAT:
                raise ValueError(f"unknown settings data format {state.get('format')!r}")
            self.monitors = state["monitors"]
            self.jobunits = state["jobunits"]
            self.notifications = state["notifications"]

    def snapshot(self):
        """What restore() takes back to (the settings are few: a deep copy)."""
        return copy.deepcopy((self.monitors, self.jobunits, self.notifications, self.locks))

    def restore(self, snapshot):
        self.monitors, self.jobunits, self.notifications, self.locks = snapshot

    def to_state(self):
        return {"format": STATE_FORMAT, "monitors": self.monitors, "jobunits": self.jobunits,
                "notifications": self.notifications}

    @property
    def user(self):
        return self.repository.user

    @property
    def rest(self):
        """Whether the manager is a 7.x one (its validator differs in places)."""
        return self.repository.version.startswith("7.")

    def facility_exists(self, facility_id):
        return facility_id in self.repository.facilities

    def notification_exists(self, notify_id):
        return notify_id in self.notifications

    def add_notification(self, notify_id, notify_type=1, owner_role_id="ALL_USERS", description=""):
        self.notifications[notify_id] = {"notifyId": notify_id, "notifyType": notify_type,
                                         "ownerRoleId": owner_role_id, "description": description,
                                         "validFlg": True}

    def echo(self, text):
        return f"{java(text)}, {java(text)}"

    # -- NotifyEndpoint (the two reads the settings need) ----------------------------------------

    def get_notify(self, notify_id):
        if notify_id not in self.notifications:
            raise Fault("NotifyNotFound", f"NotifyInfo.findByPrimaryKey, notifyId = {java(notify_id)}")
        return copy.deepcopy(self.notifications[notify_id])

    def get_notify_list(self):
        return [copy.deepcopy(n) for _, n in sorted(self.notifications.items())]

    # -- MonitorSettingEndpoint ------------------------------------------------------------------

    def get_monitor_list(self):
        return [copy.deepcopy(m) for _, m in sorted(self.monitors.items())]

    def get_monitor_list_by_condition(self, condition):
        condition = condition or {}
        wanted = {k: condition.get(k) for k in ("monitorId", "monitorTypeId", "facilityId", "ownerRoleId")
                  if condition.get(k)}
        return [m for m in self.get_monitor_list() if all(m.get(k) == v for k, v in wanted.items())]

    def get_custom_list(self):
        return [m for m in self.get_monitor_list() if m["monitorTypeId"] in (MON_CUSTOM_N, "MON_CUSTOM_S")]

    def get_systemlog_list(self):
        return [m for m in self.get_monitor_list() if m["monitorTypeId"] == MON_SYSLOG_S]

    def get_monitor(self, monitor_id):
        if not monitor_id:
            raise Fault("HinemosUnknown", "monitorId is null or empty.")
        return copy.deepcopy(self._stored_monitor(monitor_id, "MonitorNotFound"))

    def _stored_monitor(self, monitor_id, fault):
        if monitor_id not in self.monitors:
            raise Fault(fault, f"MonitorInfo.findByPrimaryKey, monitorId = {java(monitor_id)}")
        return self.monitors[monitor_id]

    def add_monitor(self, info):
        check_monitor(info, None, self.facility_exists, self.notification_exists, self.rest)
        if info["monitorId"] in self.monitors:
            raise Fault("MonitorDuplicate", f"MonitorInfo, primaryKey = {info['monitorId']}")
        stamp = now_ms()
        self.monitors[info["monitorId"]] = self._stored(info, regDate=stamp, regUser=self.user)
        return True

    def modify_monitor(self, info):
        required(info)
        stored = self._stored_monitor(info.get("monitorId"), "MonitorNotFound")
        check_monitor(info, stored, self.facility_exists, self.notification_exists, self.rest)
        self.monitors[info["monitorId"]] = self._stored(info, regDate=stored["regDate"],
                                                        regUser=stored["regUser"])
        return True

    def _stored(self, info, **created):
        """The monitor as the manager keeps it: its own fields filled in, the IDs copied down."""
        monitor = copy.deepcopy(info)
        monitor_id, type_id = monitor["monitorId"], monitor["monitorTypeId"]
        group = f"{type_id}-{monitor_id}-0"
        monitor.update(created, updateDate=now_ms(), updateUser=self.user, notifyGroupId=group,
                       delayTime=sum(monitor_id.encode()) % 60)  # the manager picks its own start offset
        for key in ("predictionApplication", "changeApplication"):
            if not monitor.get(key):
                monitor[key] = monitor.get("application", "")
        for relation in monitor.get("notifyRelationList") or []:
            relation["notifyGroupId"] = group
        for key in ("numericValueInfo", "stringValueInfo"):
            for row in monitor.get(key) or []:
                row["monitorId"] = monitor_id
        if monitor.get("customCheckInfo") is not None:
            monitor["customCheckInfo"].update(monitorId=monitor_id, monitorTypeId=type_id)
        return monitor

    def delete_monitor(self, monitor_ids):
        if not monitor_ids:
            raise Fault("HinemosUnknown", "monitorIdList is null or empty.")
        for monitor_id in monitor_ids:  # all checked first: the manager rolls the whole list back
            self._stored_monitor(monitor_id, "HinemosUnknown")
        for monitor_id in monitor_ids:
            del self.monitors[monitor_id]
        return True

    def set_status_monitor(self, monitor_id, monitor_type_id, valid):
        self._stored_monitor(monitor_id, "MonitorNotFound")["monitorFlg"] = bool(valid)

    def set_status_collector(self, monitor_id, monitor_type_id, valid):
        self._stored_monitor(monitor_id, "MonitorNotFound")["collectorFlg"] = bool(valid)

    # -- JobEndpoint -----------------------------------------------------------------------------

    def get_job_tree(self, owner_role_id, tree_only):
        def item(data, children=()):
            return {"data": data, "children": list(children)}

        def brief(data):
            info = {"id": data["id"], "jobunitId": data["jobunitId"], "name": data["name"],
                    "type": data["type"], "propertyFull": False, "useApprovalReqSentence": False,
                    "registeredModule": data.get("registeredModule", False)}
            if not tree_only:
                info.update(description=data.get("description"), iconId=data.get("iconId"),
                            ownerRoleId=data.get("ownerRoleId"))
            return info

        def tree(stored):
            return item(brief(stored["data"]), [tree(child) for child in stored.get("children") or []])

        units = [tree(unit["tree"]) for _, unit in sorted(self.jobunits.items())
                 if not owner_role_id or unit["tree"]["data"]["ownerRoleId"] == owner_role_id]

        def composite(name):
            return {"id": "", "jobunitId": "", "name": name, "type": TYPE_COMPOSITE, "propertyFull": False,
                    "registeredModule": False, "useApprovalReqSentence": False}

        return item(composite("composite"), [item(composite("$[JOB]"), units)])

    def _stored_job(self, jobunit_id, job_id):
        unit = self.jobunits.get(jobunit_id)
        for item in walk(unit["tree"]) if unit else ():
            if item["data"]["id"] == job_id:
                return item["data"]
        raise Fault("JobMasterNotFound", f"JobMstEntity.findByPrimaryKey, jobunitId = {java(jobunit_id)}, "
                                         f"jobId = {java(job_id)}", jobType=0)

    def get_job_full(self, info):
        required(info)
        if info.get("propertyFull"):
            return info
        return copy.deepcopy(self._stored_job(info.get("jobunitId"), info.get("id")))

    def get_job_full_list(self, infos):
        try:
            return [self.get_job_full(info) for info in infos]
        except Fault as e:
            raise Fault("HinemosUnknown", e.message) from None

    def register_jobunit(self, root):
        required(root)
        root_data = required(root.get("data"))
        jobunit_id, owner = root_data.get("jobunitId"), root_data.get("ownerRoleId")
        tree = self._full_tree(root, jobunit_id, owner, None)
        check_jobunit(tree, self.facility_exists, self.notification_exists)
        if tree["data"].get("type", TYPE_JOBUNIT) != TYPE_JOBUNIT:
            raise Fault("JobInvalid", f"There is not jobunit but job({tree['data'].get('type')}, "
                                      f"{tree['data'].get('id')}) ")
        held = self.jobunits.get(jobunit_id)
        if held is not None and held["tree"]["data"]["ownerRoleId"] != owner:
            raise Fault("InvalidSetting", "$[MESSAGE_OWNERROLEID_CHANGE_NG]")
        stamp = now_ms()
        for item in walk(tree):
            item["data"].update(createTime=held["created"] if held else stamp, createUser=self.user,
                                updateTime=stamp, updateUser=self.user, propertyFull=True)
        self.jobunits[jobunit_id] = {"tree": tree, "updateTime": stamp,
                                     "created": held["created"] if held else stamp}
        self.locks = {session: unit for session, unit in self.locks.items() if unit != jobunit_id}
        return stamp

    def _full_tree(self, item, jobunit_id, owner, parent_id):
        """FullJob.setJobTreeFull, then the parents rebuilt and the root's jobunitId and owner set on
        every item."""
        data = required(item.get("data"))
        if not data.get("propertyFull"):
            try:
                data = self._stored_job(data.get("jobunitId"), data.get("id"))
            except Fault as e:
                raise Fault("HinemosUnknown", e.message) from None
        data = {**copy.deepcopy(data), "jobunitId": jobunit_id, "ownerRoleId": owner}
        if parent_id is not None:
            data["parentId"] = parent_id
        children = [self._full_tree(child, jobunit_id, owner, data.get("id"))
                    for child in item.get("children") or [] if child is not None]
        return {"data": data, "children": children}

    def delete_jobunit(self, jobunit_id):
        if jobunit_id not in self.jobunits:
            self._stored_job(jobunit_id, jobunit_id)  # its JobMasterNotFound
        del self.jobunits[jobunit_id]

    def get_update_time_list(self, jobunit_ids):
        return [self.jobunits[j]["updateTime"] if j in self.jobunits else None for j in jobunit_ids]

    def get_edit_lock(self, jobunit_id, update_time, force):
        unit = self.jobunits.get(jobunit_id)
        if unit is not None and update_time is not None and update_time != unit["updateTime"]:
            raise Fault("UpdateTimeNotLatest", f"$[MESSAGE_JOBUNIT_UPDATED:\"{jobunit_id}\"]")
        if jobunit_id in self.locks.values() and not force:
            raise Fault("OtherUserGetLock", f"$[MESSAGE_JOBUNIT_LOCKED:\"{jobunit_id}\"]")
        self.locks = {s: unit_id for s, unit_id in self.locks.items() if unit_id != jobunit_id}
        session = next(self._sessions)
        self.locks[session] = jobunit_id
        return session

    def check_edit_lock(self, jobunit_id, session):
        if self.locks.get(session) != jobunit_id:
            raise Fault("OtherUserGetLock", f"$[MESSAGE_JOBUNIT_LOCKED:\"{jobunit_id}\"]")

    def release_edit_lock(self, session):
        self.locks.pop(session, None)


# operation -> (function(settings, *args), whether it writes), per endpoint
MONITOR_OPERATIONS = {
    "echo": (Settings.echo, False),
    "getMonitorList": (Settings.get_monitor_list, False),
    "getMonitorListByCondition": (Settings.get_monitor_list_by_condition, False),
    "getMonitor": (Settings.get_monitor, False),
    "addMonitor": (Settings.add_monitor, True),
    "modifyMonitor": (Settings.modify_monitor, True),
    "deleteMonitor": (Settings.delete_monitor, True),
    "setStatusMonitor": (Settings.set_status_monitor, True),
    "setStatusCollector": (Settings.set_status_collector, True),
    "getCustomList": (Settings.get_custom_list, False),
    "getSystemlogList": (Settings.get_systemlog_list, False),
}
NOTIFY_OPERATIONS = {
    "echo": (Settings.echo, False),
    "getNotify": (Settings.get_notify, False),
    "getNotifyList": (Settings.get_notify_list, False),
}
JOB_OPERATIONS = {
    "echo": (Settings.echo, False),
    "getJobTree": (Settings.get_job_tree, False),
    "getJobFull": (Settings.get_job_full, False),
    "getJobFullList": (Settings.get_job_full_list, False),
    "registerJobunit": (Settings.register_jobunit, True),
    "deleteJobunit": (Settings.delete_jobunit, True),
    "getUpdateTimeList": (Settings.get_update_time_list, False),
    "getEditLock": (Settings.get_edit_lock, False),
    "checkEditLock": (Settings.check_edit_lock, False),
    "releaseEditLock": (Settings.release_edit_lock, False),
}
SETTINGS_OPERATIONS = {"MonitorSettingEndpoint": MONITOR_OPERATIONS, "JobEndpoint": JOB_OPERATIONS,
                       "NotifyEndpoint": NOTIFY_OPERATIONS}
