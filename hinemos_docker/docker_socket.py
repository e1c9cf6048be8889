"""A few GETs of the Docker Engine API over the stdlib (http.client on the unix socket or plain
tcp): what the counter monitors' fast path asks the daemon (the container list, inspect, info)
without paying ~0.4 s for importing the SDK. Failures are worded as the SDK edge words them.
"""
import http.client
import json
import socket
import threading
from urllib.parse import quote, urlencode, urlsplit

from .docker_endpoint import connection_reason
from .errors import ContainerNotFound, DockerError, DockerUnreachable


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


class DockerSocket:
    """GET requests to one daemon (an Endpoint without TLS); one keep-alive connection per thread."""

    def __init__(self, endpoint, timeout):
        self.url = endpoint.display
        self.timeout = timeout
        self._base = urlsplit(endpoint.base_url)
        self._local = threading.local()

    def _connection(self):
        connection = getattr(self._local, "connection", None)
        if connection is None:
            if self._base.scheme == "unix":
                connection = _UnixConnection(self._base.path, self.timeout)
            else:
                connection = http.client.HTTPConnection(self._base.hostname, self._base.port,
                                                        timeout=self.timeout)
            self._local.connection = connection
        return connection

    def get(self, path, what, **query):
        """The decoded JSON answer of GET path?query; the daemon's 404 is ContainerNotFound."""
        target = path + (f"?{urlencode(query)}" if query else "")
        connection = self._connection()
        try:
            if connection.sock is None:
                connection.connect()
        except OSError as exc:
            connection.close()
            raise DockerUnreachable(f"cannot connect to the Docker daemon at {self.url}: "
                                    f"{connection_reason(exc)}") from exc
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            body = response.read()
        except socket.timeout as exc:
            connection.close()
            raise DockerUnreachable(f"Docker daemon at {self.url} did not answer {what} "
                                    f"within {self.timeout} s") from exc
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise DockerUnreachable(f"cannot connect to the Docker daemon at {self.url}: "
                                    f"{connection_reason(exc)}") from exc
        if response.status == 404:
            reason = _message(body) or "not found"
            raise ContainerNotFound(f"{what}: {reason}", reason=reason)
        if response.status >= 300:
            reason = _message(body) or f"HTTP {response.status}"
            raise DockerError(f"Docker daemon at {self.url}: {what}: {reason}", reason=reason)
        try:
            return json.loads(body)
        except ValueError:
            raise DockerError(f"Docker daemon at {self.url}: {what}: not a JSON answer") from None

    def containers(self, all=False):
        """GET /containers/json, newest first as the API returns them."""
        return self.get("/containers/json", "list containers", **({"all": "1"} if all else {}))

    def inspect(self, container_id):
        return self.get(f"/containers/{quote(container_id)}/json", f"inspect {container_id[:12]}")

    def info(self):
        return self.get("/info", "info")


def _message(body):
    """The daemon's error text: the `message` of its JSON error body, else the body itself."""
    text = body.decode("utf-8", "replace").strip()
    try:
        return json.loads(text).get("message", text).strip()
    except (ValueError, AttributeError):
        return text
