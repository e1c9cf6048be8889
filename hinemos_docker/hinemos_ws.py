"""Client edge of the Hinemos manager's SOAP endpoints (RepositoryEndpoint here, the settings
endpoints in hinemos_settings_ws): the only module that imports suds.

The SOAP transport of the repository client (Hinemos 5.x/6.x; hinemos_manager.py chooses it).
Scripts import it lazily, so the monitors never pay for suds. Everything that crosses this edge is
plain Python (dicts, lists, str, int, bool), never a suds object, and every failure is one of ours:
SoapClient.call() is the single choke point where SOAP faults become the errors.HinemosFault
subclass of their class and transport trouble (refused, timeout, unknown host, HTTP errors, something
that is not the endpoint) becomes errors.HinemosError naming the URL. Loading the WSDL goes through
the same translation. HTTP goes through manager_http.ManagerHttp.

suds loads the WSDL and its schemas; the calls themselves are written and read here from the live
types (document/literal, unqualified parts, as suds writes them): suds' marshalling and its
parse of every reply cost about 4 ms of CPU per getNode, which at thousands of nodes is minutes,
and a suds client cannot be shared between threads where these calls can.

The contract is the real manager's: Basic auth is sent pre-emptively on every POST because the
manager never answers 401 (docs/hinemos-facts.md#basic-auth), the WSDL is read on every connect and
requests are built from the live types, so one client speaks to 6.0 and 6.2 managers alike
(docs/hinemos-versions.md).
"""
import base64
import collections
import copy
import io
import threading
import xml.etree.ElementTree as ET
import xml.sax
from http.client import responses as HTTP_REASONS
from xml.sax.saxutils import escape as xml_escape

import suds
import suds.client
import suds.transport

from .errors import FacilityNotFound, HinemosError, fault
from .manager_http import ManagerHttp
from .manager_url import DEFAULT_TIMEOUT
from .repository_model import RepositoryBuilder
from .soap_tree import FacilityTreeReader

NS_REPOSITORY = "http://repository.ws.clustercontrol.com"
NS_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
NS_XS = "http://www.w3.org/2001/XMLSchema"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
INTEGER_TYPES = {"int", "long", "short", "byte", "integer", "unsignedInt", "unsignedShort"}
FAULT_PACKAGE = "com.clustercontrol.fault."


def connect(base_url, user, password, timeout=DEFAULT_TIMEOUT, http=None):
    """A SoapRepositoryClient for the manager at `base_url` (e.g. http://127.0.0.1:8080/HinemosWS),
    through `http` (a manager_http.ManagerHttp; default: a new one with `timeout`)."""
    return SoapRepositoryClient(base_url, user, password, http or ManagerHttp(base_url, timeout))


def basic_authorization(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


class ManagerTransport(suds.transport.Transport):
    """suds' transport over ManagerHttp: GETs (the WSDL, its schemas) without credentials, as the
    manager serves them; POSTs with pre-emptive Basic auth, since the manager never answers 401 to
    ask for it. An HTTP error status reaches suds as its TransportError (a 500 carries the fault)."""

    def __init__(self, http, authorization):
        super().__init__()
        self.http = http
        self.authorization = authorization

    def open(self, request):
        return io.BytesIO(_checked(self.http.request("GET", request.url)))

    def send(self, request):
        headers = {**request.headers, "Authorization": self.authorization}
        reply = self.http.request("POST", request.url, body=request.message, headers=headers)
        return suds.transport.Reply(reply.status, reply.headers, _checked(reply))


def _checked(reply):
    if reply.status != 200:
        raise suds.transport.TransportError(HTTP_REASONS.get(reply.status, ""), reply.status,
                                            io.BytesIO(reply.body))
    return reply.body


class SoapClient:
    """suds client of one endpoint, <base_url>/<ENDPOINT>; subclasses name the endpoint, its target
    namespace and an operation only that endpoint has, and add plain-data helpers."""

    ENDPOINT = "RepositoryEndpoint"
    NAMESPACE = NS_REPOSITORY
    PROBE_OPERATION = "getNode"
    api = "soap"

    def __init__(self, base_url, user, password, http):
        self.base_url = base_url.rstrip("/")
        self.service_url = f"{self.base_url}/{self.ENDPOINT}"
        self.endpoint_url = f"{self.service_url}?wsdl"
        self.http = http
        self.calls = collections.Counter()
        self._headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""',
                         "Authorization": basic_authorization(user, password)}
        self._types = {}  # (type, namespace) -> {element: (type, namespace, repeated)} of the live WSDL
        self._complex = {}  # (type, namespace) -> _children() of a complex type, None for a simple one
        self._types_lock = threading.Lock()  # suds resolves schema types lazily, not thread-safe
        transport = ManagerTransport(http, basic_authorization(user, password))
        self._suds = self._loaded(lambda: suds.client.Client(self.endpoint_url, transport=transport,
                                                             cache=None))
        self._operations = {name for service in self._suds.wsdl.services for port in service.ports
                            for name in port.methods}
        if self.PROBE_OPERATION not in self._operations:
            raise HinemosError(f"{self.endpoint_url} is not a {self.ENDPOINT} WSDL "
                               f"(no {self.PROBE_OPERATION} operation)")

    # -- the choke point -------------------------------------------------------------------------

    def call(self, operation, *args):
        """Invoke one SOAP operation with positional arguments; returns its plain return value
        (a list for repeated returns, None for void operations). Safe from several threads."""
        reply = self._post(operation, args)
        return self._decode_reply(operation, reply.body)

    def _post(self, operation, args, sink=None):
        """The reply of one call, a fault raised as ours; with `sink`, a 200 reply's body goes to
        sink(chunk) as it arrives (manager_http). Posted where the user pointed -m, whatever host
        name the manager writes into its WSDL."""
        if operation not in self._operations:
            raise HinemosError(f"the Hinemos manager at {self.endpoint_url} has no operation "
                               f"{operation}")
        self.calls[operation] += 1
        reply = self.http.request("POST", self.service_url, body=self._envelope(operation, args),
                                  headers=self._headers, sink=sink)
        if reply.status == 500:
            found = fault_name_and_message(reply.body)
            if found is not None:
                raise fault(*found, self.endpoint_url)
        if reply.status != 200:
            raise self._unreachable(f"HTTP {reply.status} {HTTP_REASONS.get(reply.status, '')}".strip())
        return reply

    def _envelope(self, operation, args):
        parts = self._children(operation, self.NAMESPACE)
        body = "".join(_element(name, value) for name, value in zip(parts, args))
        return (f'<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="{NS_SOAP}"><S:Body>'
                f'<ns0:{operation} xmlns:ns0="{self.NAMESPACE}">{body}</ns0:{operation}></S:Body>'
                "</S:Envelope>").encode()

    def _loaded(self, function):
        """function() (suds loading the WSDL and its schemas), its failures as ours."""
        try:
            return function()
        except suds.transport.TransportError as e:  # an HTTP error status while loading the WSDL
            raise self._unreachable(f"HTTP {e.httpcode} {e}".strip()) from None
        except HinemosError:  # from ManagerHttp: one sentence naming the URL already
            raise
        except xml.sax.SAXException as e:
            raise HinemosError(f"{self.endpoint_url} did not answer with SOAP/WSDL XML: {e}") from None
        except Exception as e:  # suds found no usable service description there
            raise HinemosError(f"{self.endpoint_url} is not a {self.ENDPOINT} WSDL: {e}") from None

    def _unreachable(self, reason):
        return HinemosError(f"cannot reach the Hinemos manager at {self.endpoint_url}: {reason}")

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
        found = self._types.get(key)
        if found is None:
            with self._types_lock:
                schema_type = self._suds.wsdl.schema.types[key].resolve()
                found = self._types[key] = {child.name: (child.type[0], child.type[1],
                                                         child.multi_occurrence())
                                            for child, _ in schema_type.children()}
        return found

    def _fields(self, type_name, namespace):
        """_children() of a complex type; None for a simple one (XSD built-ins, enums)."""
        key = (type_name, namespace)
        try:
            return self._complex[key]
        except KeyError:
            pass
        with self._types_lock:
            schema_type = self._suds.wsdl.schema.types.get(key)
            simple = namespace == NS_XS or schema_type is None or schema_type.enum()
        found = self._complex[key] = None if simple else self._children(type_name, namespace)
        return found

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
        fields = self._fields(type_name, namespace)
        if fields is None:
            return _simple(element.text or "", type_name)
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

    def close(self):
        """End the connection (SOAP has no login to end)."""
        self.http.close()

    def for_worker(self):
        """A client for another thread: the same live types, connections and call counts of its own."""
        worker = copy.copy(self)
        worker.http = self.http.another()
        worker.calls = collections.Counter()
        return worker


class SoapRepositoryClient(SoapClient):
    """The RepositoryEndpoint, with plain-data helpers for the repository sync."""

    def node(self, facility_id):
        """getNode as a dict keyed by the WSDL element names present; None if there is no such node."""
        try:
            return self.call("getNode", facility_id)
        except FacilityNotFound:
            return None

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
        except FacilityNotFound:
            return None

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

    def is_node(self, facility_id):
        """isNode: True for a node, False for a scope, None for an unknown id."""
        try:
            return bool(self.call("isNode", facility_id))
        except FacilityNotFound:
            return None

    def repository(self):
        """getFacilityTree(None) as a repository_model.Repository, read as the reply arrives."""
        builder = RepositoryBuilder()
        reader = FacilityTreeReader(builder)
        try:
            self._post("getFacilityTree", (None,), sink=reader.feed)
            reader.finish()
        except ValueError as e:
            raise HinemosError(f"{self.endpoint_url} answered getFacilityTree with no facility tree: "
                               f"{e}") from None
        return builder.repository()


def _local(tag):
    """'{ns}name' or 'prefix:name' -> 'name'."""
    if tag.isidentifier():  # an unqualified element, as most are
        return tag
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


def _element(name, value):
    """`value` as the unqualified element(s) `name`: a list repeats it, a dict (from _build, in
    schema order) holds its children, None is left out."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "".join(_element(name, item) for item in value)
    if isinstance(value, dict):
        return f"<{name}>{''.join(_element(k, v) for k, v in value.items())}</{name}>"
    if isinstance(value, bool):
        return f"<{name}>{'true' if value else 'false'}</{name}>"
    return f"<{name}>{xml_escape(str(value))}</{name}>"


def fault_name_and_message(reply):
    """(fault class name, message) of a SOAP fault reply: from the detail element, else from the
    faultstring; None when `reply` is not a SOAP fault."""
    try:
        root = ET.fromstring(reply)
    except ET.ParseError:
        return None
    found = root.find(f"{{{NS_SOAP}}}Body/{{{NS_SOAP}}}Fault")
    if found is None:
        return None
    faultstring = _child_text(found, "faultstring") or ""
    detail = next((child for child in found if _local(child.tag) == "detail"), None)
    bean = next(iter(detail), None) if detail is not None else None
    if bean is not None:
        name = _local(bean.tag)
        java_class = bean.get("class")
        if name == "exception" and java_class:  # the RI's stack-trace detail of an unchecked exception
            return java_class.rsplit(".", 1)[-1], faultstring
        message = _child_text(bean, "message")
        return name, message if message is not None else faultstring
    if faultstring.startswith(FAULT_PACKAGE):  # a Hinemos exception whose message was null
        return faultstring[len(FAULT_PACKAGE):], faultstring
    return (_child_text(found, "faultcode") or "Server").rsplit(":", 1)[-1], faultstring


def _child_text(element, name):
    """The text of `element`'s child `name` (any namespace): '' if empty, None if absent."""
    child = next((c for c in element if _local(c.tag) == name), None)
    return None if child is None else child.text or ""
