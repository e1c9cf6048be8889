"""Client edge of the Hinemos manager's SOAP endpoints (RepositoryEndpoint here, the settings
endpoints in hinemos_settings_ws): the only module that imports suds.

Scripts import it lazily, so the monitors never pay for suds. Everything that crosses this edge is
plain Python (dicts, lists, str, int, bool), never a suds object, and every failure is one of ours:
SoapClient.call() is the single choke point where SOAP faults become errors.HinemosFault and
transport trouble (refused, timeout, unknown host, HTTP errors, something that is not the endpoint)
becomes errors.HinemosError naming the URL. Loading the WSDL goes through the same translation.

The contract is the real manager's: Basic auth is sent pre-emptively on every request because
the manager never answers 401 (docs/hinemos-facts.md#basic-auth), the WSDL is read on
every connect (cache=None) and requests are built from the live types, so one client speaks to 6.0
and 6.2 managers alike.
"""
import collections
import http.client
import socket
import urllib.error
import xml.etree.ElementTree as ET
import xml.sax
from urllib.parse import urlsplit

import suds
import suds.client
import suds.sudsobject
import suds.transport
import suds.transport.http

from .errors import HinemosError, HinemosFault

NS_REPOSITORY = "http://repository.ws.clustercontrol.com"
NS_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
NS_XS = "http://www.w3.org/2001/XMLSchema"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
INTEGER_TYPES = {"int", "long", "short", "byte", "integer", "unsignedInt", "unsignedShort"}
FAULT_PACKAGE = "com.clustercontrol.fault."


def connect(base_url, user, password, timeout=30.0):
    """A RepositoryClient for the manager at `base_url` (e.g. http://127.0.0.1:8080/HinemosWS)."""
    return RepositoryClient(base_url, user, password, timeout)


class SoapClient:
    """suds client of one endpoint, <base_url>/<ENDPOINT>; subclasses name the endpoint, its target
    namespace and an operation only that endpoint has, and add plain-data helpers."""

    ENDPOINT = "RepositoryEndpoint"
    NAMESPACE = NS_REPOSITORY
    PROBE_OPERATION = "getNode"

    def __init__(self, base_url, user, password, timeout=30.0):
        self.base_url = base_url.rstrip("/")
        self.service_url = f"{self.base_url}/{self.ENDPOINT}"
        self.endpoint_url = f"{self.service_url}?wsdl"
        self.timeout = timeout
        self.calls = collections.Counter()
        self._types = {}  # (type, namespace) -> {element: (type, namespace, repeated)} of the live WSDL
        # pre-emptive: suds' default (https.HttpAuthenticated) waits for a 401 that never comes
        transport = suds.transport.http.HttpAuthenticated(username=user, password=password, timeout=timeout)
        # location: post where the user pointed, whatever host name the manager writes into its WSDL;
        # retxml: suds marshals requests and raises faults, replies are read by _decode_reply (suds'
        # unmarshaller needs ~40 ms per nodeInfo, which makes a node list of hundreds take minutes)
        self._suds = self._translated(lambda: suds.client.Client(
            self.endpoint_url, transport=transport, cache=None, location=self.service_url, retxml=True),
            loading=True)
        operations = {name for service in self._suds.wsdl.services for port in service.ports
                      for name in port.methods}
        if self.PROBE_OPERATION not in operations:
            raise HinemosError(f"{self.endpoint_url} is not a {self.ENDPOINT} WSDL "
                               f"(no {self.PROBE_OPERATION} operation)")

    # -- the choke point -------------------------------------------------------------------------

    def call(self, operation, *args):
        """Invoke one SOAP operation with positional arguments; returns its plain return value
        (a list for repeated returns, None for void operations)."""
        try:
            method = getattr(self._suds.service, operation)
        except suds.MethodNotFound:
            raise HinemosError(f"the Hinemos manager at {self.endpoint_url} has no operation "
                               f"{operation}") from None
        self.calls[operation] += 1
        reply = self._translated(lambda: method(*args))
        return self._decode_reply(operation, reply)

    def _translated(self, function, loading=False):
        try:
            return function()
        except suds.WebFault as e:
            name, message = fault_name_and_message(e.fault)
            raise HinemosFault(name, message, self.endpoint_url) from None
        except suds.transport.TransportError as e:
            reason = str(e) if str(e).startswith("HTTP") else f"HTTP {e.httpcode} {e}".strip()
            raise self._unreachable(reason) from None
        except urllib.error.URLError as e:
            raise self._unreachable(self._reason(e.reason)) from None
        except (OSError, http.client.HTTPException) as e:
            raise self._unreachable(self._reason(e)) from None
        except xml.sax.SAXException as e:
            raise HinemosError(f"{self.endpoint_url} did not answer with SOAP/WSDL XML: {e}") from None
        except Exception as e:
            status = e.args[0] if e.args else None
            if isinstance(status, tuple) and len(status) == 2 and isinstance(status[0], int):
                raise self._unreachable(f"HTTP {status[0]} {status[1] or ''}".strip()) from None
            if loading:  # suds found no usable service description there
                raise HinemosError(f"{self.endpoint_url} is not a {self.ENDPOINT} WSDL: {e}") from None
            raise

    def _unreachable(self, reason):
        return HinemosError(f"cannot reach the Hinemos manager at {self.endpoint_url}: {reason}")

    def _reason(self, reason):
        if isinstance(reason, ConnectionRefusedError):
            return "connection refused"
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return f"no answer within {self.timeout:g} s"
        if isinstance(reason, socket.gaierror):
            return f"unknown host {urlsplit(self.base_url).hostname}"
        if isinstance(reason, http.client.RemoteDisconnected):
            return "the connection was closed without an answer"
        if isinstance(reason, OSError) and reason.strerror:
            return reason.strerror[0].lower() + reason.strerror[1:]
        return str(reason) or type(reason).__name__

    # -- building requests from the live WSDL ----------------------------------------------------

    def _build(self, type_name, data, namespace=None):
        """The live schema's type as a dict for suds, in schema order: None values and keys the
        type does not have are left out (so 6.0/6.2 shape differences are harmless)."""
        namespace = namespace or self.NAMESPACE
        built = {}
        for key, (child_type, child_ns, _) in self._children(type_name, namespace).items():
            value = data.get(key)
            if value is None:
                continue
            if type_name == "nodeVariableInfo" and key == "nodeVariableValue" and value == "":
                continue  # the manager rejects "" (null is allowed)
            if isinstance(value, (list, tuple)):
                value = [self._build(child_type, v, child_ns) if isinstance(v, dict) else v
                         for v in value if v is not None]
            elif isinstance(value, dict):
                value = self._build(child_type, value, child_ns)
            built[key] = value
        return built

    def _children(self, type_name, namespace):
        key = (type_name, namespace)
        if key not in self._types:
            schema_type = self._suds.wsdl.schema.types[key].resolve()
            self._types[key] = {child.name: (child.type[0], child.type[1], child.multi_occurrence())
                                for child, _ in schema_type.children()}
        return self._types[key]

    # -- reading replies with the live WSDL's types ----------------------------------------------

    def _decode_reply(self, operation, reply):
        try:
            root = ET.fromstring(reply)
        except ET.ParseError as e:
            raise HinemosError(f"{self.endpoint_url} answered {operation} with malformed XML: {e}") from None
        body = root.find(f"{{{NS_SOAP}}}Body")
        wrapper = next(iter(body), None) if body is not None else None
        fields = self._children(operation + "Response", self.NAMESPACE)
        if wrapper is None or "return" not in fields:
            return None
        return_type, return_ns, repeated = fields["return"]
        values = [self._decode(e, return_type, return_ns) for e in wrapper if _local(e.tag) == "return"]
        return values if repeated else (values[0] if values else None)

    def _decode(self, element, type_name, namespace):
        if element.get(XSI_NIL) in ("true", "1"):
            return None
        declared = element.get(XSI_TYPE)
        if declared:
            type_name, namespace = _local(declared), self.NAMESPACE
        schema_type = self._suds.wsdl.schema.types.get((type_name, namespace))
        if namespace == NS_XS or schema_type is None or schema_type.enum():  # enum: a simple type
            return _simple(element.text or "", type_name)
        fields = self._children(type_name, namespace)
        value = {}
        for child in element:
            name = _local(child.tag)
            if name not in fields:
                continue  # an element this WSDL does not declare: ignored, as JAXB does
            child_type, child_ns, repeated = fields[name]
            item = self._decode(child, child_type, child_ns)
            if repeated:
                value.setdefault(name, []).append(item)
            else:
                value[name] = item
        return value

    def echo(self, text):
        """echo: the manager answers 'text, text'."""
        return self.call("echo", text)


class RepositoryClient(SoapClient):
    """The RepositoryEndpoint, with plain-data helpers for the repository sync."""

    def node(self, facility_id):
        """getNode as a dict keyed by the WSDL element names present; None if there is no such node."""
        try:
            return self.call("getNode", facility_id)
        except HinemosFault as e:
            if e.name == "FacilityNotFound":
                return None
            raise

    def add_node(self, node):
        """addNode from a dict; keys the live nodeInfo lacks (6.0 vs 6.2) are skipped."""
        self.call("addNode", self._build("nodeInfo", node))

    def modify_node(self, node):
        """modifyNode from a dict. It replaces the whole node: pass every field to keep."""
        self.call("modifyNode", self._build("nodeInfo", node))

    def delete_nodes(self, facility_ids):
        """deleteNode, all or nothing; nothing is sent for an empty list."""
        ids = list(facility_ids)
        if ids:
            self.call("deleteNode", ids)

    def scope(self, facility_id):
        """getScope as a dict; None if the id is unknown (a node id returns that node's data)."""
        try:
            return self.call("getScope", facility_id)
        except HinemosFault as e:
            if e.name == "FacilityNotFound":
                return None
            raise

    def add_scope(self, parent_id, facility_id, name, description=None, owner_role_id="ALL_USERS"):
        """addScope under `parent_id` (None or "" for the top level)."""
        scope = self._build("scopeInfo", {"facilityId": facility_id, "facilityName": name, "facilityType": 0,
                                          "description": description, "ownerRoleId": owner_role_id})
        self.call("addScope", parent_id, scope)

    def assign_node_scope(self, scope_id, node_ids):
        """assignNodeScope; members already assigned are skipped by the manager; nothing sent for []."""
        ids = list(node_ids)
        if ids:
            self.call("assignNodeScope", scope_id, ids)

    def release_node_scope(self, scope_id, node_ids):
        """releaseNodeScope; the manager faults (HinemosUnknown) for a node that is not a member."""
        ids = list(node_ids)
        if ids:
            self.call("releaseNodeScope", scope_id, ids)

    def set_valid(self, facility_id, valid):
        """setValid: the node's management flag."""
        self.call("setValid", facility_id, bool(valid))

    def is_node(self, facility_id):
        """isNode: True for a node, False for a scope, None for an unknown id."""
        try:
            return bool(self.call("isNode", facility_id))
        except HinemosFault as e:
            if e.name == "FacilityNotFound":
                return None
            raise

    def facility_tree(self):
        """getFacilityTree(None) as {facilityId, facilityName, facilityType, valid, builtInFlg, children}."""
        return tree(self.call("getFacilityTree", None))

    def facility_ids(self, parent_id, level=0):
        """getFacilityIdList: `parent_id` itself and the ids under it (0 = all levels)."""
        return self.call("getFacilityIdList", parent_id, level)

    def node_list(self, parent_id, level=0):
        """getNodeList: nodes under `parent_id`, as the manager's partial copies (do not trust `valid`)."""
        return self.call("getNodeList", parent_id, level)

    def platforms(self):
        """getPlatformList as {platform id: name}."""
        return {p["id"]: p.get("name") for p in self.call("getPlatformList")}


def tree(item):
    """One facilityTreeItem (a dict from call()) as {facilityId, …, builtInFlg, children}."""
    data = item.get("data") or {}
    keys = ("facilityId", "facilityName", "facilityType", "valid", "builtInFlg")
    node = {key: data.get(key) for key in keys}
    node["children"] = [tree(child) for child in item.get("children", []) if child is not None]
    return node


def _local(tag):
    """'{ns}name' or 'prefix:name' -> 'name'."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _simple(text, type_name):
    """An XSD simple value: integers and booleans converted, everything else the text itself."""
    if type_name in INTEGER_TYPES:
        try:
            return int(text)
        except ValueError:
            return None
    if type_name == "boolean":
        return {"true": True, "1": True, "false": False, "0": False}.get(text.strip())
    if type_name in ("double", "float"):
        try:
            return float(text)
        except ValueError:
            return None
    return text


def fault_name_and_message(fault):
    """(fault class name, message) of a SOAP fault: from the detail element, else from faultstring."""
    faultstring = str(getattr(fault, "faultstring", "") or "")
    detail = getattr(fault, "detail", None)
    for name in getattr(detail, "__keylist__", []):
        if name.startswith("_"):
            continue
        bean = getattr(detail, name)
        if isinstance(bean, suds.sudsobject.Object):
            java_class = getattr(bean, "_cls", None) or getattr(bean, "_class", None)
            if name == "exception" and java_class:  # the RI's stack-trace detail of an unchecked exception
                return str(java_class).rsplit(".", 1)[-1], faultstring
            message = getattr(bean, "message", None)
            return name, str(message) if message is not None else faultstring
        return name, faultstring
    if faultstring.startswith(FAULT_PACKAGE):  # a Hinemos exception whose message was null
        return faultstring[len(FAULT_PACKAGE):], faultstring
    code = str(getattr(fault, "faultcode", "") or "Server")
    return code.rsplit(":", 1)[-1], faultstring
