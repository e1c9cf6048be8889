"""The REST transport of the repository client (Hinemos 7.x; hinemos_manager.py chooses it).

The same plain-data interface as the SOAP client (hinemos_ws.SoapRepositoryClient), so the sync
does not know which one it talks to: values cross this edge in the SOAP shapes (facilityType 0/1,
ipAddressVersion 4), and are sent as the 7.x enum names (TYPE_SCOPE, IPV4) on the wire.

The contract is the 7.x manager's (docs/hinemos-versions.md): a login gives a Bearer token with a
fixed term; a 401 on a later call (the token expired mid-run, or the manager restarted) gets one new
login and one retry; the run ends with a logout. Every error body
(`{"status", "message", "exception": "com.clustercontrol.fault.X", "stack"}`) becomes the same
errors.HinemosFault subclass a SOAP fault of class X becomes, in one place (_fault). `PUT /node/{id}`
replaces the whole node, so modify_node() must be given the node as GET /node/{id} returned it.
"""
import collections
import json
import threading
from urllib.parse import quote, urlencode

from .errors import FAULTS, FacilityNotFound, HinemosError, InvalidCredentials, ManagerInternalError
from .manager_http import ManagerHttp
from .manager_url import DEFAULT_TIMEOUT
from .repository_model import RepositoryBuilder

LOGIN = "/AccessRestEndpoints/access/login"
LOGOUT = "/AccessRestEndpoints/access/logout"
HEALTH_CHECK = "/AccessRestEndpoints/access/healthCheck_forMC"
REPOSITORY = "/RepositoryRestEndpoints/repository"
FAULT_PACKAGE = "com.clustercontrol.fault."
# the error class the manager's exception mapper gives each status (HinemosRestExceptionMapper)
STATUS_FAULTS = {400: "InvalidSetting", 401: "InvalidUserPass", 403: "InvalidRole", 404: "FacilityNotFound",
                 409: "FacilityDuplicate", 500: "HinemosUnknown"}
# enum fields: SOAP value (what the sync uses) -> 7.x JSON name (the Java enum's name())
ENUMS = {
    "facilityType": {0: "TYPE_SCOPE", 1: "TYPE_NODE", 2: "TYPE_COMPOSITE", 3: "TYPE_MANAGER"},
    "ipAddressVersion": {4: "IPV4", 6: "IPV6"},
    "snmpVersion": {0: "TYPE_V1", 1: "TYPE_V2", 3: "TYPE_V3"},
    "snmpSecurityLevel": {"": "NONE", "noauth_nopriv": "NOAUTH_NOPRIV", "auth_nopriv": "AUTH_NOPRIV",
                          "auth_priv": "AUTH_PRIV"},
    "snmpAuthProtocol": {"": "NONE", "MD5": "MD5", "SHA": "SHA", "SHA-224": "SHA224", "SHA-256": "SHA256",
                         "SHA-384": "SHA384", "SHA-512": "SHA512"},
    "snmpPrivProtocol": {"": "NONE", "DES": "DES", "AES": "AES", "AES-192": "AES192", "AES-256": "AES256"},
    "wbemProtocol": {"": "NONE", "http": "HTTP", "https": "HTTPS"},
    "winrmProtocol": {"": "NONE", "http": "HTTP", "https": "HTTPS"},
}
NAMES = {field: {name: value for value, name in table.items()} for field, table in ENUMS.items()}
# what ModifyNodeRequest lacks: the id is in the path, the owner role cannot change
NOT_MODIFIABLE = ("facilityId", "ownerRoleId")


def to_json(node):
    """A node in the SOAP shapes as 7.x JSON: enum values as names (unknown values pass as they are)."""
    return {key: ENUMS[key].get(value, value) if key in ENUMS else value for key, value in node.items()}


def from_json(node):
    """7.x JSON as the SOAP shapes; to_json(from_json(x)) == x, so a read node goes back unchanged."""
    return {key: NAMES[key].get(value, value) if key in NAMES else value for key, value in node.items()}


def tree_hook(builder):
    """A json object_hook that hands every facility tree item of GET facility_tree to `builder` (a
    repository_model.RepositoryBuilder) as it is decoded and leaves its ID in its place: JSON
    objects are decoded innermost first, so an item's children are IDs by then, and no copy of the
    tree is built."""
    def hook(value):
        data = value.get("data")
        if isinstance(data, dict) and "facilityId" in data:
            children = value.get("children") or []
            return builder.add(from_json(data), [child for child in children if isinstance(child, str)])
        return value
    return hook


def error_of(status, body, base_url, url):
    """The one mapping of a non-200 answer to our errors: the HinemosFault subclass of the exception
    class the error body names (the same one a SOAP fault of that class gives), else the class the
    manager maps to that status; JAX-RS' own 404/405 (no such resource) is no fault of the manager's."""
    body = body if isinstance(body, dict) else {}
    java_class = str(body.get("exception") or "")
    name = java_class[len(FAULT_PACKAGE):] if java_class.startswith(FAULT_PACKAGE) else None
    # JAX-RS' own 404 names no class of a missing object (FacilityNotFound, MonitorNotFound, ...)
    if status in (404, 405, 406, 415) and name in (None, "HinemosUnknown", "UrlNotFound"):
        return HinemosError(f"the Hinemos manager at {url} has no such REST API (HTTP {status})")
    if name is None and status not in STATUS_FAULTS:
        return HinemosError(f"the Hinemos manager at {url} answered HTTP {status}")
    cls = FAULTS.get(name) or FAULTS.get(STATUS_FAULTS.get(status), ManagerInternalError)
    message = body.get("message")
    return cls(name or STATUS_FAULTS[status], message if message is not None else f"HTTP {status}", base_url)


def is_rest_api(http, base_url):
    """Whether a 7.x REST API answers at `base_url` (through a ManagerHttp): its health check needs
    no token."""
    return http.request("GET", base_url + HEALTH_CHECK).status == 200


def connect(base_url, user, password, timeout=DEFAULT_TIMEOUT, http=None):
    """A logged-in RestRepositoryClient of the API at `base_url` (…/HinemosWeb/api)."""
    return RestRepositoryClient(base_url, user, password, http or ManagerHttp(base_url, timeout))


class RestRepositoryClient:
    """The repository operations of the sync over the 7.x REST API, after a login."""

    api = "rest"

    def __init__(self, base_url, user, password, http):
        self.base_url = base_url.rstrip("/")
        self.endpoint_url = self.base_url
        self.http = http
        self.calls = collections.Counter()
        self._credentials = {"userId": user, "password": password}
        self._token = None
        self._lock = threading.RLock()  # for the token and the call counts: workers share this client
        self._login()

    # -- the choke point -------------------------------------------------------------------------

    def _login(self):
        reply = self._send("POST", LOGIN, "login", body=self._credentials)
        try:
            self._token = reply["token"]["tokenId"]
        except (KeyError, TypeError):
            raise HinemosError(f"the Hinemos manager at {self.base_url} answered the login without a "
                               "token") from None

    def _request(self, method, path, operation, **kwargs):
        """One authenticated call; on a 401 (expired or unknown token), one new login and one retry.
        Of threads that met the same expired token, only the first logs in again."""
        stale = self._token
        try:
            return self._send(method, path, operation, **kwargs)
        except InvalidCredentials:
            with self._lock:
                if self._token == stale:
                    self._login()
            return self._send(method, path, operation, **kwargs)

    def _send(self, method, path, operation, body=None, query=None, object_hook=None):
        url = self.base_url + path + (f"?{urlencode(query)}" if query else "")
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body).encode("utf-8")
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"
        with self._lock:
            self.calls[operation] += 1
        received = bytearray()  # a 200 reply arrives here, not joined from parts: one copy, not two
        reply = self.http.request(method, url, body=body, headers=headers, sink=received.extend)
        answer = _json(received if reply.status == 200 else reply.body, object_hook)
        if reply.status == 200:
            if answer is _NOT_JSON:
                raise HinemosError(f"the Hinemos manager at {url} did not answer with JSON")
            return answer
        raise error_of(reply.status, answer, self.base_url, url)

    def close(self):
        """Log out (the token would expire on its own: a failing logout changes nothing)."""
        if self._token is not None:
            try:
                self._send("GET", LOGOUT, "logout")
            except HinemosError:
                pass
            self._token = None
        self.http.close()

    def for_worker(self):
        """This client: its calls may run in several threads at once (one token, locked renewal)."""
        return self

    # -- the repository operations ---------------------------------------------------------------

    def repository(self):
        """GET facility_tree as a repository_model.Repository, built while the JSON is decoded."""
        builder = RepositoryBuilder()
        root = self._request("GET", f"{REPOSITORY}/facility_tree", "getFacilityTree",
                             object_hook=tree_hook(builder))
        if not isinstance(root, str):
            raise HinemosError(f"the Hinemos manager at {self.base_url} answered the facility tree with "
                               "something else")
        return builder.repository()

    def node(self, facility_id):
        """GET node/{id}: the full node, every list included; None if there is no such node."""
        try:
            return from_json(self._request("GET", f"{REPOSITORY}/node/{quote(facility_id)}", "getNodeFull"))
        except FacilityNotFound:
            return None

    def add_node(self, node):
        """POST node."""
        self._request("POST", f"{REPOSITORY}/node", "addNode", body=to_json(node))

    def modify_node(self, node):
        """PUT node/{id}, which replaces the whole node: pass the node as node() read it, changed."""
        body = {key: value for key, value in to_json(node).items() if key not in NOT_MODIFIABLE}
        self._request("PUT", f"{REPOSITORY}/node/{quote(node['facilityId'])}", "modifyNode", body=body)

    def delete_nodes(self, facility_ids):
        """DELETE node?facilityIds=a,b: all in one call and one transaction; nothing sent for []."""
        ids = list(facility_ids)
        if ids:
            self._request("DELETE", f"{REPOSITORY}/node", "deleteNode", query={"facilityIds": ",".join(ids)})

    def add_scope(self, parent_id, facility_id, name, description=None, owner_role_id="ALL_USERS"):
        """POST scope under `parent_id` (None or "" for the top level)."""
        scope = {"facilityId": facility_id, "facilityName": name, "description": description,
                 "ownerRoleId": owner_role_id}
        self._request("POST", f"{REPOSITORY}/scope", "addScope",
                      body={"parentFacilityId": parent_id or None, "scopeInfo": scope})

    def assign_node_scope(self, scope_id, node_ids):
        """PUT facilityRelation/{scope}: members already assigned are skipped; nothing sent for []."""
        ids = list(node_ids)
        if ids:
            self._request("PUT", f"{REPOSITORY}/facilityRelation/{quote(scope_id)}", "assignNodeScope",
                          body={"facilityIdList": ids})

    def is_node(self, facility_id):
        """POST facility_isNode/{id}: True for a node, False for a scope, None for an unknown id."""
        try:
            reply = self._request("POST", f"{REPOSITORY}/facility_isNode/{quote(facility_id)}", "isNode")
            return bool(reply["isNode"])
        except FacilityNotFound:
            return None


_NOT_JSON = object()


def _json(data, object_hook=None):
    try:
        return json.loads(data, object_hook=object_hook)
    except ValueError:  # UnicodeDecodeError included
        return _NOT_JSON
