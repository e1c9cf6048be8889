"""The stand-in's 7.x REST API under /HinemosWeb/api: login and Bearer tokens, the repository
resources the sync and its tests use, and the manager's error body, over the same repository model
(facilities.py, writes.py) that the SOAP versions serve.

Where 7.x answers differently from 6.2 SOAP, this module says so where it decides: the duplicate-id
check (409) runs before validation on add; an unknown node is 404 on modify and delete; addScope
wraps a bad parent as 400; the status of every error follows the exception class (FAULT_STATUS).
"""
import json
import re
import time
from urllib.parse import parse_qs

from . import rest_json, settings_rest
from .facilities import java
from .model import TYPE_NODE, Fault, JavaError
from .tokens import DEFAULT_TOKEN_MINUTES, Tokens
from .writes import (
    add_node,
    add_scope,
    assign_node_scope,
    delete_node,
    modify_node,
    release_node_scope,
    set_valid,
)

API_PATH = "/HinemosWeb/api"
ACCESS = "/AccessRestEndpoints/access"
REPOSITORY = "/RepositoryRestEndpoints/repository"
FAULT_PACKAGE = "com.clustercontrol.fault."
# HinemosRestExceptionMapper: exception class -> status (anything else: 500)
FAULT_STATUS = {"FacilityDuplicate": 409, "FacilityNotFound": 404, "InvalidSetting": 400, "UsedFacility": 400,
                "InvalidUserPass": 401, "InvalidRole": 403, "ObjectPrivilege_InvalidRole": 403,
                **settings_rest.FAULT_STATUS}


class RestError(Fault):
    """A fault whose status is not its class's (JAX-RS' own 404/405, the version check)."""

    def __init__(self, status, name, message):
        super().__init__(name, message)
        self.status = status

    def body(self):
        return {"status": self.status, "message": self.message, "exception": FAULT_PACKAGE + self.name,
                "stack": [f"{FAULT_PACKAGE}{self.name}: {self.message}", "\tat (the Hinemos stand-in)"]}


def from_fault(fault):
    """The answer to a fault: its status, and the ExceptionBody naming its class."""
    if isinstance(fault, RestError):
        return fault
    return RestError(FAULT_STATUS.get(fault.name, 500), fault.name, fault.message)


class RestApi:
    """Dispatch of one request: (status, JSON-ready body or None for an empty body)."""

    def __init__(self, sandbox, token_minutes=DEFAULT_TOKEN_MINUTES):
        self.sandbox = sandbox
        self.tokens = Tokens(token_minutes)
        major = sandbox.version
        self.routes = [
            ("GET", rf"{ACCESS}/healthCheck_forMC", "healthCheck", False, None, self.health_check),
            ("POST", rf"{ACCESS}/login", "login", False, None, self.login),
            ("GET", rf"{ACCESS}/relogin", "relogin", True, None, self.relogin),
            ("GET", rf"{ACCESS}/logout", "logout", True, None, self.logout),
            ("GET", rf"{ACCESS}/manager/connect", "connectCheck", True, None,
             lambda r: {"result": True, "message": "connect ok."}),
            ("GET", rf"{REPOSITORY}/facility_tree", "getFacilityTree", True, None, self.facility_tree),
            ("GET", rf"{REPOSITORY}/node/(?P<fid>[^/]+)", "getNodeFull", True, None, self.node_full),
            ("GET", rf"{REPOSITORY}/node_withoutNodeConfigInfo/(?P<fid>[^/]+)", "getNode", True, None,
             self.node_scalars),
            ("GET", rf"{REPOSITORY}/node_withoutNodeConfigInfo", "getNodeList", True, None, self.node_list),
            ("POST", rf"{REPOSITORY}/node", "addNode", True, "ADD", self.add_node),
            ("PUT", rf"{REPOSITORY}/node/(?P<fid>[^/]+)", "modifyNode", True, "MODIFY", self.modify_node),
            ("PUT", rf"{REPOSITORY}/node_valid/(?P<fid>[^/]+)", "setValid", True, "MODIFY", self.set_valid),
            ("DELETE", rf"{REPOSITORY}/node", "deleteNode", True, "MODIFY", self.delete_nodes),
            ("GET", rf"{REPOSITORY}/facility", "getFacilityList", True, None, self.facility_list),
            ("GET", rf"{REPOSITORY}/scope/(?P<fid>[^/]+)", "getScope", True, None, self.scope),
            ("POST", rf"{REPOSITORY}/scope", "addScope", True, "ADD", self.add_scope),
            ("PUT", rf"{REPOSITORY}/facilityRelation/(?P<fid>[^/]+)", "assignNodeScope", True, "MODIFY",
             lambda r: self.relation(r, assign_node_scope)),
            ("PUT", rf"{REPOSITORY}/facilityRelation_release/(?P<fid>[^/]+)", "releaseNodeScope", True,
             "MODIFY", lambda r: self.relation(r, release_node_scope)),
            ("POST", rf"{REPOSITORY}/facility_isNode/(?P<fid>[^/]+)", "isNode", True, None, self.is_node),
            ("GET", rf"{REPOSITORY}/platform", "getPlatformList", True, None,
             lambda r: self.repository().get_platform_list()),
        ]
        self.routes += [(method, settings_rest.pattern(path), operation, True, "MODIFY" if writes else None,
                         self._settings_resource(handler))
                        for method, path, operation, handler, writes in settings_rest.ROUTES]
        self.client_version = major

    def repository(self):
        return self.sandbox.repository

    def _settings_resource(self, handler):
        """A settings handler as a route function: the settings model, the path parameters, one
        value per query name, the JSON body (None without one)."""
        def resource(request):
            body = request.json() if request.body else None
            query = {name: values[-1] for name, values in request.query.items()}
            return handler(self.sandbox.settings, request.params, query, body)
        return resource

    # -- dispatch --------------------------------------------------------------------------------

    def handle(self, method, path, query, headers, body):
        """(HTTP status, body) of one request under API_PATH (`path` is what follows it)."""
        try:
            return 200, self._dispatch(method, path, query, headers, body)
        except Fault as f:
            error = from_fault(f)
            return error.status, error.body()
        except JavaError as e:
            return 500, RestError(500, "HinemosUnknown", str(e)).body()

    def _dispatch(self, method, path, query, headers, body):
        matches = [(m, route) for route in self.routes if (m := re.fullmatch(route[1], path))]
        if not matches:
            raise RestError(404, "HinemosUnknown", "javax.ws.rs.NotFoundException: HTTP 404 Not Found")
        match, route = next(((m, r) for m, r in matches if r[0] == method), (None, None))
        if route is None:
            raise RestError(405, "HinemosUnknown",
                            "javax.ws.rs.NotAllowedException: HTTP 405 Method Not Allowed")
        _, _, operation, needs_token, privilege, function = route
        with self.sandbox.lock:
            self.sandbox.calls[operation] += 1
        client_version = headers.get("X-HinemosClientVersion")
        if client_version is not None and client_version != self.client_version:
            raise RestError(400, "InvalidSetting", f"Client version({client_version}) does not match the "
                                                   f"manager version({self.client_version}).")
        if needs_token:
            self.authenticate(headers)
        if privilege is not None and privilege not in self.sandbox.privileges:
            raise RestError(403, "InvalidRole", f"You do not have access rights. (REPOSITORY.{privilege})")
        request = Request(match.groupdict(), parse_qs(query, keep_blank_values=True), headers, body,
                          self._date_pattern(headers))
        with self.sandbox.lock:
            return self.sandbox.run(lambda repo: function(request), privilege is not None, ())

    def _date_pattern(self, headers):
        pattern = headers.get("X-HinemosClientDatetimeFormat")
        return pattern if pattern and rest_json.date_format(pattern) else rest_json.DEFAULT_DATE_PATTERN

    def authenticate(self, headers):
        """BearerAuthenticationFilter: X-HinemosToken wins over Authorization; `Bearer <token>` exactly."""
        header = headers.get("X-HinemosToken") or headers.get("Authorization")
        if not header:
            raise RestError(401, "InvalidUserPass", "There is no valid authentication header.")
        parts = header.split(" ")
        if len(parts) != 2 or parts[0] != "Bearer" or not parts[1]:
            raise RestError(401, "InvalidUserPass", "Bearer authentication format is invalid.")
        if not self.tokens.valid(parts[1]):
            raise RestError(401, "InvalidUserPass", "Bearer authentication access token is invalid.")
        return parts[1]

    # -- access ----------------------------------------------------------------------------------

    def health_check(self, request):
        return None

    def _login_response(self, pattern):
        token, expiry = self.tokens.issue()
        offset = int(time.localtime().tm_gmtoff * 1000)
        expiration = rest_json.format_date(int(expiry * 1000), pattern)
        term = self.tokens.minutes
        return {"token": {"tokenId": token, "expirationDate": expiration, "validTermMinites": term},
                "managerInfo": {"timeZoneOffset": offset, "timeOffsetMillis": 0, "options": []}}

    def login(self, request):
        body = request.json()
        user, password = body.get("userId"), body.get("password")
        if (user, password) != (self.sandbox.user, self.sandbox.password):
            raise RestError(401, "InvalidUserPass", f"user({java(user)})/password is invalid combination")
        return self._login_response(request.date_pattern)

    def relogin(self, request):
        return self._login_response(request.date_pattern)

    def logout(self, request):
        self.tokens.revoke(self.authenticate(request.headers))
        return {"result": True, "message": "logout success."}

    # -- repository reads ------------------------------------------------------------------------

    def facility_tree(self, request):
        root = rest_json.tree_response(self.repository().get_facility_tree(None))
        return {**root, "childrenTotal": len(root["children"])}

    def _node_record(self, fid):
        repo = self.repository()
        if not repo.is_node(fid):
            raise Fault("FacilityNotFound", f"NodeEntity.findByPrimaryKey, facilityId = {fid}")
        return repo.facilities[fid]

    def _node(self, request, full=True):
        record = self._node_record(request.fid)
        return rest_json.node_response(self.repository(), record, request.date_pattern, full)

    def node_full(self, request):
        return self._node(request)

    def node_scalars(self, request):
        return self._node(request, full=False)

    def node_list(self, request):
        repo = self.repository()
        parent, level = request.param("parentFacilityId"), request.param("level")
        if parent is not None and level is not None:
            if level not in ("ALL", "ONE_LEVEL"):
                raise RestError(404, "HinemosUnknown", "javax.ws.rs.NotFoundException: HTTP 404 Not Found")
            ids = [n["facilityId"] for n in repo.get_node_list(parent, 0 if level == "ALL" else 1)]
        else:
            ids = [fid for fid in sorted(repo.facilities) if repo.is_node(fid)]
        nodes = [rest_json.node_summary(repo.facilities[fid], request.date_pattern) for fid in ids]
        return {"total": len(nodes), "nodeInfoList": nodes}

    def facility_list(self, request):
        records = self.repository().get_facility_list(request.param("parentFacilityId"))
        return [rest_json.facility_response(r, request.date_pattern) for r in records]

    def scope(self, request):
        repo = self.repository()
        record = repo.facilities.get(request.fid)
        if record is None or record["facilityType"] == TYPE_NODE:
            raise Fault("FacilityNotFound", f"ScopeEntity.findByPrimaryKey, facilityId = {request.fid}")
        return rest_json.scope_response(record)

    def is_node(self, request):
        return {"facilityId": request.fid, "isNode": self.repository().is_node_operation(request.fid)}

    # -- repository writes -----------------------------------------------------------------------

    def add_node(self, request):
        repo = self.repository()
        node = rest_json.node_request(repo, request.json(), request.date_pattern)
        if node.get("facilityId") in repo.facilities:  # 7.x checks the id before validating
            raise Fault("FacilityDuplicate", f"FacilityInfo, primaryKey = {node['facilityId']}")
        add_node(repo, node)
        return rest_json.node_response(repo, repo.facilities[node["facilityId"]], request.date_pattern)

    def modify_node(self, request):
        repo = self.repository()
        stored = self._node_record(request.fid)
        node = rest_json.node_request(repo, request.json(), request.date_pattern)
        # ModifyNodeRequest has neither: the id is the path's, the owner role is kept
        node.update(facilityId=request.fid, ownerRoleId=stored["ownerRoleId"])
        modify_node(repo, node)
        return rest_json.node_response(repo, repo.facilities[request.fid], request.date_pattern)

    def set_valid(self, request):
        body = request.json()
        self._node_record(request.fid)
        if not isinstance(body.get("flg"), bool):
            raise Fault("HinemosUnknown", "node's valid is invalid . (valid = null)")
        set_valid(self.repository(), request.fid, body["flg"])
        return self._node(request)

    def delete_nodes(self, request):
        repo = self.repository()
        ids = [fid for fid in (request.param("facilityIds") or "").split(",") if fid]
        for fid in ids:
            if fid not in repo.facilities:
                raise Fault("FacilityNotFound", f"FacilityEntity.findByPrimaryKey, facilityId = {fid}")
        before = [rest_json.node_response(repo, repo.facilities[fid], request.date_pattern)
                  for fid in dict.fromkeys(ids) if repo.is_node(fid)]
        delete_node(repo, ids)
        return before

    def add_scope(self, request):
        repo = self.repository()
        body = request.json()
        parent = body.get("parentFacilityId") or None
        info = body.get("scopeInfo")
        if not isinstance(info, dict):
            raise Fault("InvalidSetting", "scopeInfo is required")
        fid = info.get("facilityId")
        if fid in repo.facilities:  # 7.x checks the id before validating
            raise Fault("FacilityDuplicate", f"FacilityInfo, primaryKey = {fid}")
        if parent is not None and not repo.is_scope(parent):  # wrapped as InvalidSetting in 7.x
            raise Fault("InvalidSetting", f"Scope does not exist! facilityId = {parent}")
        if parent is not None and repo.is_builtin(parent):
            raise Fault("InvalidSetting", f"this facility is built in scope. (facilityId = {parent})")
        scope = {k: info.get(k) for k in rest_json.SCOPE_P1_FIELDS}
        add_scope(repo, parent, {**scope, "facilityType": 0})
        return rest_json.scope_response(repo.facilities[fid])

    def relation(self, request, write):
        repo = self.repository()
        ids = request.json().get("facilityIdList")
        if not isinstance(ids, list):
            ids = []
        write(repo, request.fid, ids)
        members = sorted(repo.children.get(request.fid, {}))
        records = [repo.facility_record(repo.facilities[c]) for c in members]
        return [{k: v for k, v in rest_json.facility_response(r, request.date_pattern).items()
                 if k != "facilityType"} for r in records]


class Request:
    """What a resource method reads: path parameters, query, headers, body, the date pattern."""

    def __init__(self, path_params, query, headers, body, date_pattern):
        self.params = path_params
        self.fid = path_params.get("fid")
        self.query = query
        self.headers = headers
        self.body = body
        self.date_pattern = date_pattern

    def param(self, name):
        values = self.query.get(name)
        return values[0] if values else None

    def json(self):
        """The body as Jackson reads it: malformed JSON is a 400 InvalidSetting."""
        try:
            value = json.loads(self.body.decode("utf-8") if self.body else "null")
        except (ValueError, UnicodeDecodeError) as e:
            raise Fault("InvalidSetting", f"JSON parse error: {e}") from None
        if not isinstance(value, dict):
            raise Fault("InvalidSetting", "JSON parse error: an object is expected")
        return value
