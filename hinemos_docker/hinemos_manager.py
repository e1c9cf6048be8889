"""The repository client the sync uses, whichever API the manager speaks: connect() chooses the
transport (SOAP for Hinemos 5.x/6.x, REST for 7.x, which has no SOAP repository endpoint) and
returns a client with the RepositoryClient interface below; both transports send through one
manager_http.ManagerHttp. connect_settings() does the same for the monitor and job settings
(SettingDockerAdd.py).

With `api="auto"` it probes: a 7.x manager answers the REST health check without a token, a 6.x
manager has no /HinemosWeb context at all (docs/hinemos-versions.md). The probe is one GET; a manager
that cannot be reached is reported there (naming the health check's URL), before anything else.
"""
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Optional, Protocol

from .manager_http import ManagerHttp
from .manager_url import DEFAULT_TIMEOUT
from .repository_model import Repository


class RepositoryClient(Protocol):
    """What the sync needs from the manager. Values are in the SOAP shapes on both transports
    (facilityType 0 scope / 1 node, ipAddressVersion 4); failures are errors.HinemosError and its
    HinemosFault subclasses (FacilityDuplicate, FacilityNotFound, InvalidSetting, ...)."""

    api: str             # "soap" or "rest"
    endpoint_url: str    # what the sync prints as "endpoint:" and errors name
    calls: dict          # calls made, by operation

    def repository(self) -> Repository:
        """The whole facility tree (one read) as a Repository, built as the reply arrives."""

    def node(self, facility_id: str) -> Optional[dict]:
        """The node with its variables and host names (None if there is none), as modify_node wants it."""

    def add_node(self, node: dict) -> None: ...

    def modify_node(self, node: dict) -> None:
        """Replace the node: pass node() as read, with the changes; everything else is kept."""

    def add_scope(self, parent_id: str, facility_id: str, name: str) -> None: ...

    def assign_node_scope(self, scope_id: str, node_ids: list) -> None:
        """Idempotent: members already assigned are skipped."""

    def delete_nodes(self, facility_ids: list) -> None:
        """One call, all or nothing."""

    def is_node(self, facility_id: str) -> Optional[bool]: ...

    def close(self) -> None:
        """Log out; the client is not used afterwards."""

    def for_worker(self) -> "RepositoryClient":
        """A client another thread may use at the same time as this one: itself (REST: one token,
        renewed under a lock), or a copy with connections and call counts of its own (SOAP)."""


def connect(manager_url, user, password, api="auto", timeout=DEFAULT_TIMEOUT, http=None):
    """A RepositoryClient of the manager at `manager_url` (a manager_url.ManagerUrl), logged in
    where the API has a login; `api` is one of manager_url.APIS: "soap", "rest" or "auto" (probe).
    Every request goes through `http` (a manager_http.ManagerHttp; default: one with `timeout`)."""
    http = http or ManagerHttp(manager_url.root, timeout)
    if api_of(http, manager_url, api) == "rest":
        from .hinemos_rest import RestRepositoryClient
        return RestRepositoryClient(manager_url.rest_base, user, password, http)
    from .hinemos_ws import SoapRepositoryClient
    return SoapRepositoryClient(manager_url.soap_base, user, password, http)


class NodeReader:
    """Full nodes (client.node: getNode / GET node/{id}) with up to `max_in_flight` calls at once
    across every submit(), in the order asked: the API has no bulk read, and a manager's latency is
    paid per call. Each worker thread has its own client (client.for_worker()); their call counts
    are added to `client`'s at close()."""

    def __init__(self, client, max_in_flight):
        self.client = client
        self._pool = ThreadPoolExecutor(max_workers=max_in_flight, thread_name_prefix="node-reader")
        self._local, self._workers, self._lock = threading.local(), [], threading.Lock()

    def submit(self, facility_ids):
        """{id: a future of client.node(id)}, read after what earlier calls submitted."""
        return {fid: self._pool.submit(self._read, fid) for fid in dict.fromkeys(facility_ids)}

    def read(self, facility_ids):
        """{id: client.node(id)}; the first failure is raised."""
        return {fid: future.result() for fid, future in self.submit(facility_ids).items()}

    def _read(self, facility_id):
        worker = getattr(self._local, "client", None)
        if worker is None:
            worker = self._local.client = self.client.for_worker()
            with self._lock:
                self._workers.append(worker)
        return worker.node(facility_id)

    def close(self):
        self._pool.shutdown(wait=True, cancel_futures=True)
        for worker in self._workers:
            if worker is not self.client:
                self.client.calls.update(worker.calls)
                worker.close()
        self._workers.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def read_nodes(client, facility_ids, max_in_flight):
    """{id: client.node(id)} with up to `max_in_flight` calls at once (NodeReader)."""
    with NodeReader(client, max_in_flight) as reader:
        return reader.read(facility_ids)


def connect_settings(manager_url, user, password, api="auto", timeout=DEFAULT_TIMEOUT, http=None):
    """The monitor and job settings of the same manager, chosen the same way: a SoapSettings
    (hinemos_settings_ws) or a logged-in RestSettings (hinemos_settings_rest)."""
    http = http or ManagerHttp(manager_url.root, timeout)
    if api_of(http, manager_url, api) == "rest":
        from .hinemos_settings_rest import RestSettings
        return RestSettings(manager_url.rest_base, user, password, http)
    from .hinemos_settings_ws import SoapSettings
    return SoapSettings(manager_url.soap_base, user, password, http)


def api_of(http, manager_url, api):
    """"soap" or "rest": `api` when it names one, else what the manager answers to the probe."""
    if api != "auto":
        return api
    from .hinemos_rest import is_rest_api
    return "rest" if is_rest_api(http, manager_url.rest_base) else "soap"
