"""Client edge of the manager's settings over the 7.x REST API: the RestRepositoryClient of
hinemos_rest (one login, Bearer token, one re-login on a 401, the error body mapped in one place)
with the settings resources. The interface is SoapSettings' (hinemos_settings_ws): values cross it
in the 6.2 shapes, and settings_rest converts them to and from the 7.x JSON.

Resources (branch master of github.com/hinemos/hinemos, HinemosManager/src_rest/.../endpoint/):
NotifyRestEndpoints GET notify; MonitorsettingRestEndpoints GET monitor, POST customNumeric |
systemlog, PUT customNumeric/{id} | systemlog/{id}; JobRestEndpoints GET setting/job_treeFull,
POST setting/jobunit (a new jobunit; 409 if it exists), PUT setting/jobunit/{id} (replaces it).
"""
from urllib.parse import quote

from . import settings_plan, settings_rest
from .hinemos_rest import RestRepositoryClient

MONITORS = "/MonitorsettingRestEndpoints/monitorsetting"
JOBS = "/JobRestEndpoints/job"
NOTIFY = "/NotifyRestEndpoints/notify"


class RestSettings(RestRepositoryClient):
    """The settings of a 7.x manager, after a login."""

    def notification_types(self, notify_ids):
        """{notify ID: notifyType} of the notifications that exist, out of `notify_ids`."""
        codes = {name: code for code, name in settings_rest.NOTIFY_TYPES.items()}
        listed = {n.get("notifyId"): codes.get(n.get("notifyType"))
                  for n in self._request("GET", f"{NOTIFY}/notify", "getNotifyList") or []}
        return {notify_id: listed[notify_id] for notify_id in notify_ids if notify_id in listed}

    def missing_facilities(self, facility_ids):
        """The facility IDs (nodes or scopes) the repository does not have, in order."""
        return [fid for fid in facility_ids if self.is_node(fid) is None]

    def monitors(self, monitor_ids):
        """{monitor ID: stored monitor in the 6.2 shape} of the monitors that exist, out of `monitor_ids`."""
        wanted = set(monitor_ids)
        listed = self._request("GET", f"{MONITORS}/monitor", "getMonitorList") or []
        return {m["monitorId"]: settings_rest.monitor_info(m) for m in listed if m.get("monitorId") in wanted}

    def add_monitor(self, info):
        resource = settings_rest.MONITOR_RESOURCES[info["monitorTypeId"]]
        self._request("POST", f"{MONITORS}/{resource}", "addMonitor", body=settings_rest.monitor_body(info))

    def modify_monitor(self, info):
        """PUT …/{monitorId} replaces the whole setting."""
        resource = settings_rest.MONITOR_RESOURCES[info["monitorTypeId"]]
        self._request("PUT", f"{MONITORS}/{resource}/{quote(info['monitorId'])}", "modifyMonitor",
                      body=settings_rest.monitor_body(info, for_add=False))

    def jobunit(self, jobunit_id):
        """The stored jobunit as a jobTreeItem in the 6.2 shape, or None if there is none."""
        tree = settings_rest.job_tree(self._request("GET", f"{JOBS}/setting/job_treeFull", "getJobTreeFull"))
        return settings_plan.find_jobunit(tree, jobunit_id)

    def register_jobunit(self, tree, exists):
        """POST a new jobunit, or PUT one that `exists` (both send the whole tree)."""
        body = settings_rest.jobunit_body(tree)
        if exists:
            jobunit_id = quote(tree["data"]["id"])
            self._request("PUT", f"{JOBS}/setting/jobunit/{jobunit_id}", "replaceJobunit", body=body)
        else:
            self._request("POST", f"{JOBS}/setting/jobunit", "registerJobunit", body=body)
