"""HTTP and SOAP plumbing of the stand-in: the WSDL GETs, Basic auth on every POST, dispatch, faults;
for a 7.x stand-in, the requests under /HinemosWeb/api go to rest.py instead (there is no SOAP then).

Like the manager's JAX-WS endpoint: the WSDL and schemas are served without authentication with the
serving address written into them; every POST checks the Authorization header by hand and answers a
failure with an InvalidUserPass fault over HTTP 500 (never a 401 challenge); SOAP headers are
ignored; every acknowledged write is persisted before the response is sent.

With `latency_ms`, every answer leaves that long after its request was handled, each connection in
its own thread and the wait outside the repository lock: calls in flight together wait together,
as on a real manager across a network.
"""
import base64
import binascii
import collections
import json
import re
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import urlsplit

from . import rest, soap, store, writes
from .facilities import Repository
from .model import REST_VERSIONS, Fault, JavaError, is_rest, model_schema
from .settings import SETTINGS_OPERATIONS, Settings

SERVICE_PATH = "/HinemosWS/"
ENDPOINT_PATH = SERVICE_PATH + "RepositoryEndpoint"
_HOST_HEADER = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]+)?|\[[0-9A-Fa-f:.]+\](:[0-9]+)?")
_BASE64_JUNK = re.compile(r"[^A-Za-z0-9+/]")
# operation -> (function(repository, *args), whether it writes)
OPERATIONS = {
    "echo": (Repository.echo, False),
    "getFacilityTree": (Repository.get_facility_tree, False),
    "getNodeFacilityTree": (Repository.get_node_facility_tree, False),
    "getNodeListAll": (Repository.get_node_list_all, False),
    "getNode": (Repository.get_node, False),
    "addNode": (writes.add_node, True),
    "modifyNode": (writes.modify_node, True),
    "deleteNode": (writes.delete_node, True),
    "getFacilityList": (Repository.get_facility_list, False),
    "getScope": (Repository.get_scope, False),
    "addScope": (writes.add_scope, True),
    "modifyScope": (writes.modify_scope, True),
    "deleteScope": (writes.delete_scope, True),
    "getNodeList": (Repository.get_node_list, False),
    "getNodeScopeList": (Repository.get_node_scope_list, False),
    "getFacilityIdList": (Repository.get_facility_id_list, False),
    "getNodeFacilityIdList": (Repository.get_node_facility_id_list, False),
    "assignNodeScope": (writes.assign_node_scope, True),
    "releaseNodeScope": (writes.release_node_scope, True),
    "isNode": (Repository.is_node_operation, False),
    "setValid": (writes.set_valid, True),
    "getPlatformList": (Repository.get_platform_list, False),
}


class _Server(ThreadingHTTPServer):
    """The HTTP(S) server: TLS per connection when a certificate is given, and every open
    connection closed on stop, as a manager that goes away closes its keep-alive connections."""

    daemon_threads = True
    # many clients connect at once under a bench; the default backlog of 5 would drop their SYNs
    request_queue_size = 128

    def __init__(self, address, handler, tls_context=None):
        super().__init__(address, handler)
        self.tls_context = tls_context
        self.connections = set()
        self.connections_lock = threading.Lock()

    def get_request(self):
        conn, address = super().get_request()
        with self.connections_lock:
            self.connections.add(conn)
        return conn, address

    def finish_request(self, request, client_address):
        if self.tls_context is not None:
            request.settimeout(10)  # a client that never finishes its handshake
            try:
                request = self.tls_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            request.settimeout(None)
        super().finish_request(request, client_address)

    def shutdown_request(self, request):
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        with self.connections_lock:
            open_connections, self.connections = self.connections, set()
        for conn in open_connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed by the client
                pass


def decode_basic(token):
    """commons-codec Base64.decodeBase64: both alphabets, characters outside them skipped, lenient padding."""
    text = _BASE64_JUNK.sub("", token.replace("-", "+").replace("_", "/"))
    text = text[: len(text) - len(text) % 4] if len(text) % 4 == 1 else text + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text)
    except binascii.Error:
        return b""


class Endpoint(NamedTuple):
    """One SOAP endpoint: its schema, its operations, and the model they work on ('repository' or
    'settings', an attribute of the Sandbox)."""

    schema: soap.Schema
    operations: dict
    model: str


class Sandbox:
    """One stand-in manager: a repository and settings, its data file, and an HTTP server on host:port."""

    def __init__(self, port=0, data=None, version="6.2", user="hinemos", password="hinemos",
                 host="127.0.0.1", verbose=False, token_minutes=rest.DEFAULT_TOKEN_MINUTES,
                 latency_ms=0, tls_cert=None, tls_key=None):
        if latency_ms < 0:
            raise ValueError(f"latency must not be negative: {latency_ms} ms")
        if version not in versions():
            raise ValueError(f"unknown Hinemos version {version!r} (known: {', '.join(versions())})")
        self.schema = soap.schema(model_schema(version))
        self.version = version
        self.rest = rest.RestApi(self, token_minutes) if is_rest(version) else None
        self.privileges = {"READ", "ADD", "MODIFY"}  # of the login user on the repository
        self.user, self.password = user, password
        self.data = data
        self.verbose = verbose
        self.calls = collections.Counter()
        self.latency_s = latency_ms / 1000
        self.in_flight = self.in_flight_peak = 0
        self.lock = threading.RLock()
        self.endpoints = {"RepositoryEndpoint": Endpoint(self.schema, OPERATIONS, "repository")}
        for endpoint in soap.SETTINGS_WSDL.get(version, ()):
            self.endpoints[endpoint] = Endpoint(soap.schema(version, endpoint), SETTINGS_OPERATIONS[endpoint],
                                                "settings")
        state = store.load(data) if data is not None else None
        self._load(state)
        if data is not None and state is None:
            store.write(data, store.dump(self._state()))  # a new data file holds the fresh repository at once
        tls_context = None
        if tls_cert is not None:  # HTTPS, as a manager behind a TLS front
            tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls_context.load_cert_chain(tls_cert, tls_key)
        self.httpd = _Server((host, port), _Handler, tls_context)
        self.httpd.sandbox = self
        bound_host, bound_port = self.httpd.server_address[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        self.scheme = "https" if tls_context is not None else "http"
        self.root_url = f"{self.scheme}://{shown}:{bound_port}"
        # 7.x: the REST API; 5.x/6.x: the web services (RepositoryEndpoint below)
        self.base_url = self.root_url + (rest.API_PATH if self.rest else "/HinemosWS")
        self.endpoint_url = self.root_url + ENDPOINT_PATH
        self.wsdl_url = self.endpoint_url + "?wsdl"
        self._thread = None

    # -- life cycle ------------------------------------------------------------------------------

    def start(self):
        """Serve in a background thread; returns self."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="hinemos-sandbox", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        self.httpd.serve_forever()

    def stop(self):
        """Stop serving and close the socket (idempotent)."""
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.server_close()
        self.httpd.close_connections()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- test and demo hooks (not part of the manager's contract) --------------------------------

    def reset(self):
        """Back to a fresh manager (built-in scopes only, no settings), persisted; counters cleared."""
        with self.lock:
            self._load(None)
            self._persist()
            self.calls.clear()
            self.in_flight_peak = 0
            if self.rest:
                self.rest.tokens.expire_all()

    def expire_tokens(self):
        """Every REST token issued so far is past its term (a token that expired mid-run)."""
        with self.lock:
            self.rest.tokens.expire_all()

    def add_notification(self, notify_id, notify_type=1, owner_role_id="ALL_USERS"):
        """Create a notification (type 1: event), as an operator does in the client before the
        monitors that name it."""
        with self.lock:
            self.settings.add_notification(notify_id, notify_type, owner_role_id)
            self._persist()

    def mark_used(self, facility_id, *messages):
        """Pretend settings reference `facility_id` (deleting it raises UsedFacility); none: clear."""
        with self.lock:
            self.repository.mark_used(facility_id, *messages)
            self._persist()

    def _load(self, state):
        self.repository = Repository(self.version, self.user, state)
        self.settings = Settings(self.repository, (state or {}).get("settings"))

    def _state(self):
        return {**self.repository.to_state(), "settings": self.settings.to_state()}

    def wait_latency(self):
        """Hold one answer back by the latency; `in_flight_peak` counts answers held at once."""
        if not self.latency_s:
            return
        with self.lock:
            self.in_flight += 1
            self.in_flight_peak = max(self.in_flight_peak, self.in_flight)
        try:
            time.sleep(self.latency_s)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _persist(self):
        if self.data is not None:
            store.write(self.data, store.dump(self._state()))

    def _undo_point(self):
        """What a failed write goes back to, taken before every write: a shallow copy of the
        repository (a write costs the same at any number of node fields) and of the settings."""
        return self.repository.snapshot(), self.settings.snapshot()

    def _undo(self, point):
        self.repository.restore(point[0])
        self.settings.restore(point[1])

    # -- requests --------------------------------------------------------------------------------

    def document(self, query, host, endpoint="RepositoryEndpoint"):
        """The WSDL (query 'wsdl') or schema ('xsd=N') with `host`'s base URL written in, or None."""
        if query.lower() == "wsdl":
            name = f"{endpoint}.wsdl"
        elif re.fullmatch(r"xsd=[0-9]+", query):
            name = f"{endpoint}_xsd{int(query[4:])}.xsd"
        else:
            return None
        try:
            text = self.endpoints[endpoint].schema.file(name)
        except OSError:
            return None
        base = f"{self.scheme}://{host}/HinemosWS" if host and _HOST_HEADER.fullmatch(host) else self.base_url
        return text.replace(soap.REFERENCE_BASE_URL, base).encode("utf-8")

    def handle(self, body, authorization, endpoint="RepositoryEndpoint"):
        """(HTTP status, SOAP envelope text) answering one request POSTed to `endpoint`."""
        served = self.endpoints[endpoint]
        schema = served.schema
        try:
            tag, wrapper = soap.parse_request(body)
        except soap.SoapError as e:
            return 500, soap.plain_fault("S:Client", str(e))
        operation = tag.rsplit("}", 1)[-1]
        if tag != f"{{{schema.namespace}}}{operation}" or operation not in schema.operations():
            return 500, soap.plain_fault("S:Client", f"Cannot find dispatch method for {tag}")
        with self.lock:
            self.calls[operation] += 1
        if operation not in served.operations:
            return 500, soap.plain_fault("S:Server", f"{operation} is not served by the Hinemos stand-in")
        function, writing = served.operations[operation]
        try:
            self.authenticate(authorization)
            args = schema.decode_request(wrapper)
            with self.lock:
                result = self.run(function, writing, args, served.model)
        except Fault as f:
            return 500, soap.fault(f.name, f.message, f.extra, schema.namespace)
        except JavaError as e:
            return 500, soap.plain_fault("S:Server", str(e))
        except Exception as e:  # a request JAXB could not bind: no Hinemos detail
            return 500, soap.plain_fault("S:Server", str(e) or type(e).__name__)
        return 200, schema.response(operation, result)

    def run(self, function, writing, args, model="repository"):
        """function(model, *args) under the lock held by the caller, `model` the repository or the
        settings; a write is persisted, or undone if it failed (like the manager's transaction)."""
        undo_point = self._undo_point() if writing else None
        try:
            result = function(getattr(self, model), *args)
            if writing:
                self._persist()
            return result
        except Exception as e:  # like the manager: a failed write applies nothing
            if writing:
                self._undo(undo_point)
            if isinstance(e, Fault):
                raise
            raise Fault("HinemosUnknown", str(e) or None) from e

    def authenticate(self, header):
        """HttpAuthenticator.getAccount + the password check, faults as the manager raises them."""
        if header is None:
            raise Fault("InvalidUserPass", "Authorization does not exist")
        parts = header.split(" ")
        if len(parts) < 2:
            raise JavaError("1")  # ArrayIndexOutOfBoundsException inside the manager
        account = decode_basic(parts[1]).decode("utf-8", errors="replace")
        if ":" not in account:
            raise JavaError("1")
        user, password = account.split(":", 1)
        if (user, password) != (self.user, self.password):
            raise Fault("InvalidUserPass", f"user({user})/password is invalid combination")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no delayed-ACK stalls
    server_version = "HinemosStandIn/1.0"

    def _endpoint(self, path):
        name = path[len(SERVICE_PATH):] if path.startswith(SERVICE_PATH) else None
        return name if name in self.server.sandbox.endpoints else None

    def do_GET(self):
        if self._rest("GET"):
            return
        url = urlsplit(self.path)
        sandbox = self.server.sandbox
        endpoint = self._endpoint(url.path)
        if endpoint is None:
            return self._send(404, b"Not Found", "text/plain; charset=utf-8")
        if not url.query:
            wsdl_url = f"{sandbox.base_url}/{endpoint}?wsdl"
            page = f"<html><body><p>{endpoint} <a href=\"?wsdl\">{wsdl_url}</a></p></body></html>"
            return self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")
        document = sandbox.document(url.query, self.headers.get("Host"), endpoint)
        if document is None:
            return self._send(404, b"Not Found", "text/plain; charset=utf-8")
        self._send(200, document, "text/xml;charset=utf-8")

    def do_POST(self):
        body = self._body()
        if self._rest("POST", body):
            return
        endpoint = self._endpoint(urlsplit(self.path).path)
        if endpoint is None:
            return self._send(404, b"Not Found", "text/plain; charset=utf-8")
        status, envelope = self.server.sandbox.handle(body, self.headers.get("Authorization"), endpoint)
        self._send(status, envelope.encode("utf-8"), "text/xml;charset=utf-8")

    def do_PUT(self):
        if not self._rest("PUT", self._body()):
            self._send(404, b"Not Found", "text/plain; charset=utf-8")

    def do_DELETE(self):
        if not self._rest("DELETE", self._body()):
            self._send(404, b"Not Found", "text/plain; charset=utf-8")

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _rest(self, method, body=b""):
        """Answer a 7.x stand-in's request; False when the SOAP side (or nothing) serves the path."""
        api = self.server.sandbox.rest
        if api is None:
            return False
        url = urlsplit(self.path)
        if url.path.startswith(rest.API_PATH + "/"):
            status, reply = api.handle(method, url.path[len(rest.API_PATH):], url.query, self.headers, body)
        else:  # Grizzly's error page for a context the manager does not publish (SOAP is gone in 7.x)
            status, reply = 404, rest.RestError(404, "UrlNotFound", f"{url.path} is not found.").body()
        payload = b"" if reply is None else json.dumps(reply, ensure_ascii=False).encode("utf-8")
        self._send(status, payload, "application/json")
        return True

    def _send(self, status, body, content_type):
        self.server.sandbox.wait_latency()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        if self.server.sandbox.verbose:
            super().log_message(format, *args)


def versions():
    """The manager versions a stand-in can be: the SOAP WSDLs it carries and the REST ones."""
    return soap.versions() + list(REST_VERSIONS)
