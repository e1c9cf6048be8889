"""A few GETs of the Docker Engine API over a plain socket (the unix socket or tcp without TLS):
what the counter monitors' fast path asks the daemon (the container list, inspect, info) without
paying ~0.4 s for importing the SDK. Failures are worded as the SDK edge words them.
"""
import json
import socket
import time
from urllib.parse import quote, urlencode, urlsplit

from .deadline import NO_DEADLINE
from .docker_endpoint import connection_reason
from .errors import ContainerNotFound, ContainerNotRunning, DockerRefused, DockerUnreachable


class DockerSocket:
    """GET requests to one daemon (an Endpoint without TLS). Each is one HTTP/1.0 exchange on its
    own connection: the daemon then answers without chunking and closes, so reading to the end
    is the whole answer, and the stdlib's http.client (with ssl and email) is not imported."""

    def __init__(self, endpoint, timeout, deadline=NO_DEADLINE):
        self.url = endpoint.display
        self.timeout = timeout
        self.deadline = deadline
        self._base = urlsplit(endpoint.base_url)

    def _connect(self):
        if self._base.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            try:
                sock.connect(self._base.path)
            except OSError:
                sock.close()
                raise
            return sock
        return socket.create_connection((self._base.hostname, self._base.port), timeout=self.timeout)

    def _exchange(self, target, what):
        """(status, body) of one GET, ended after the timeout (or at the run's deadline) however
        slowly the daemon answers: each read waits only for what is left of the call's time."""
        budget, limit = self.deadline.bound(self.timeout)
        ends = time.monotonic() + budget
        try:
            sock = self._connect()
        except OSError as exc:
            raise DockerUnreachable(f"cannot connect to the Docker daemon at {self.url}: "
                                    f"{connection_reason(exc)}") from exc
        try:
            sock.sendall(f"GET {target} HTTP/1.0\r\nHost: docker\r\n\r\n".encode("ascii"))
            chunks = []
            while True:
                left = ends - time.monotonic()
                if left <= 0:
                    raise socket.timeout()
                sock.settimeout(left)
                chunk = sock.recv(262144)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout as exc:
            raise DockerUnreachable(f"Docker daemon at {self.url} did not answer {what} {limit}") from exc
        except OSError as exc:
            raise DockerUnreachable(f"cannot connect to the Docker daemon at {self.url}: "
                                    f"{connection_reason(exc)}") from exc
        finally:
            sock.close()
        head, separator, body = b"".join(chunks).partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].split()
        if not separator or len(status_line) < 2 or not status_line[1].isdigit():
            raise DockerUnreachable(f"cannot connect to the Docker daemon at {self.url}: "
                                    "the answer is not HTTP")
        return int(status_line[1]), body

    def get(self, path, what, **query):
        """The decoded JSON answer of GET path?query; the daemon's 404 is ContainerNotFound."""
        status, body = self._exchange(path + (f"?{urlencode(query)}" if query else ""), what)
        if status == 404:
            reason = _message(body) or "not found"
            raise ContainerNotFound(f"{what}: {reason}", reason=reason)
        if status >= 300:
            reason = _message(body) or f"HTTP {status}"
            error = ContainerNotRunning if status == 409 and "is not running" in reason else DockerRefused
            raise error(f"Docker daemon at {self.url}: {what}: {reason}", reason=reason)
        try:
            return json.loads(body)
        except ValueError:
            raise DockerRefused(f"Docker daemon at {self.url}: {what}: not a JSON answer") from None

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
