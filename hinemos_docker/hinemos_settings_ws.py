"""Client edge of the manager's settings over SOAP (5.x/6.x): MonitorSettingEndpoint, JobEndpoint
and NotifyEndpoint, on the SoapClient of hinemos_ws (same Basic auth, live WSDL, fault translation).

SoapSettings is the interface the settings command uses, in plain data shaped like the 6.2 types
(monitorInfo, jobTreeItem): notification_types, missing_facilities, monitors, add/modify_monitor,
jobunit, register_jobunit. The same methods exist for 7.x over REST.
"""
from . import settings_plan
from .errors import SettingNotFound
from .hinemos_ws import SoapClient, SoapRepositoryClient

NS_MONITOR = "http://monitor.ws.clustercontrol.com"
NS_JOB = "http://jobmanagement.ws.clustercontrol.com"
NS_NOTIFY = "http://notify.ws.clustercontrol.com"


class MonitorSettingClient(SoapClient):
    ENDPOINT = "MonitorSettingEndpoint"
    NAMESPACE = NS_MONITOR
    PROBE_OPERATION = "addMonitor"

    def monitor_list(self):
        return self.call("getMonitorList") or []

    def add_monitor(self, info):
        self.call("addMonitor", self._build("monitorInfo", info))

    def modify_monitor(self, info):
        """modifyMonitor replaces the whole setting."""
        self.call("modifyMonitor", self._build("monitorInfo", info))


class JobClient(SoapClient):
    ENDPOINT = "JobEndpoint"
    NAMESPACE = NS_JOB
    PROBE_OPERATION = "registerJobunit"

    def job_tree(self):
        """getJobTree of every owner role, IDs and names only."""
        return self.call("getJobTree", None, True)

    def full_jobs(self, jobunit_id, job_ids):
        """getJobFullList: the full jobInfo of each job (propertyFull false asks for the stored one)."""
        refs = [self._build("jobInfo", {"jobunitId": jobunit_id, "id": job_id, "propertyFull": False,
                                        "registeredModule": False, "useApprovalReqSentence": False})
                for job_id in job_ids]
        return self.call("getJobFullList", refs) or []

    def register_jobunit(self, tree):
        self.call("registerJobunit", self._build("jobTreeItem", tree))


class NotifyClient(SoapClient):
    ENDPOINT = "NotifyEndpoint"
    NAMESPACE = NS_NOTIFY
    PROBE_OPERATION = "getNotify"

    def notify_type(self, notify_id):
        """The notification's notifyType, None if there is no such notification."""
        try:
            return (self.call("getNotify", notify_id) or {}).get("notifyType")
        except SettingNotFound:
            return None


class SoapSettings:
    """The settings of one manager over its SOAP endpoints, through one manager_http.ManagerHttp;
    each endpoint's WSDL is read when first used."""

    api = "soap"

    def __init__(self, base_url, user, password, http):
        self._connect = lambda cls: cls(base_url, user, password, http)
        self._clients = {}
        self.http = http
        self.endpoint_url = base_url

    def _client(self, cls):
        if cls not in self._clients:
            self._clients[cls] = self._connect(cls)
        return self._clients[cls]

    def notification_types(self, notify_ids):
        """{notify ID: notifyType} of the notifications that exist, out of `notify_ids`."""
        client = self._client(NotifyClient)
        types = {notify_id: client.notify_type(notify_id) for notify_id in notify_ids}
        return {notify_id: kind for notify_id, kind in types.items() if kind is not None}

    def missing_facilities(self, facility_ids):
        """The facility IDs (nodes or scopes) the repository does not have, in order."""
        repository = self._client(SoapRepositoryClient)
        return [fid for fid in facility_ids if repository.is_node(fid) is None]

    def monitors(self, monitor_ids):
        """{monitor ID: stored monitorInfo} of the monitors that exist, out of `monitor_ids`."""
        wanted = set(monitor_ids)
        listed = self._client(MonitorSettingClient).monitor_list()
        return {m["monitorId"]: m for m in listed if m.get("monitorId") in wanted}

    def add_monitor(self, info):
        self._client(MonitorSettingClient).add_monitor(info)

    def modify_monitor(self, info):
        self._client(MonitorSettingClient).modify_monitor(info)

    def jobunit(self, jobunit_id):
        """The stored jobunit as a jobTreeItem of full job data (getJobTree gives only IDs and
        names), or None if there is none."""
        client = self._client(JobClient)
        root = settings_plan.find_jobunit(client.job_tree(), jobunit_id)
        if root is None:
            return None
        full = client.full_jobs(jobunit_id, [item["data"]["id"] for item in settings_plan.walk(root)])
        return _with_data(root, {data["id"]: data for data in full if data})

    def register_jobunit(self, tree, exists):
        """registerJobunit creates or replaces the whole jobunit, whether it `exists` or not."""
        self._client(JobClient).register_jobunit(_without_parents(tree))

    def close(self):
        """End the connection (SOAP has no login to end)."""
        self.http.close()


def _with_data(item, by_id):
    return {"data": by_id.get(item["data"]["id"], item["data"]),
            "children": [_with_data(child, by_id) for child in item.get("children") or [] if child]}


def _without_parents(item):
    """The manager rebuilds parents; sending them would repeat the tree inside itself."""
    return {"data": item["data"], "children": [_without_parents(c) for c in item.get("children") or []]}
