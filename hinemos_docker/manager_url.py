"""The Hinemos manager's address as `-m` gives it, pure: where its SOAP web services and its REST API
would be, and which one the address itself points at.

Accepted forms (http or https only):

- the manual's SOAP base, `http://mgr:8080/HinemosWS/` (also with `RepositoryEndpoint` and `?wsdl`
  appended, as copied from a browser): Hinemos 5.x/6.x publish `<base>/RepositoryEndpoint`;
- a 7.x REST base, `http://mgr:8080/HinemosWeb/api` or `http://mgr:8080/HinemosWeb/`: 7.x publishes
  `/HinemosWeb/api/<EndpointClass>/...` (HinemosManager RestServicePlugin, RestServiceClientPlugin);
- the bare manager, `http://mgr:8080`.

A path before `/HinemosWS` or `/HinemosWeb` (a reverse proxy's prefix) is kept for both bases; any
other path is taken as the SOAP base, as the manual's scripts took it.
"""
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

SOAP_CONTEXT = "/HinemosWS"
REST_CONTEXT = "/HinemosWeb/api"
SCHEMES = ("http", "https")
APIS = ("auto", "soap", "rest")  # --hinemos-api: probe, or force one
DEFAULT_TIMEOUT = 10.0  # seconds per call to the manager (--hinemos-timeout), below the agent's 15 s
_SOAP_TAIL = re.compile(r"(?i)/RepositoryEndpoint/?$")
_REST_TAIL = re.compile(r"/HinemosWeb(/api)?/?$")


@dataclass(frozen=True)
class ManagerUrl:
    """Where the manager's two APIs would be: which one answers is for the manager to say."""

    root: str
    soap_base: str
    rest_base: str


def parse(text):
    """The ManagerUrl of a `-m` value; ValueError with the reason when it is not one."""
    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in SCHEMES:
        raise ValueError(f"invalid manager URL '{text}' (expected http:// or https://)")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname or port == -1 or port == 0:
        raise ValueError(f"invalid manager URL '{text}' (expected http(s)://HOST:PORT/...)")
    if parts.fragment or parts.query.lower() not in ("", "wsdl"):
        raise ValueError(f"invalid manager URL '{text}' (no query or fragment expected)")
    root = f"{parts.scheme.lower()}://{parts.netloc}"
    path = _SOAP_TAIL.sub("", parts.path).rstrip("/")
    rest = _REST_TAIL.search(parts.path)
    if rest:
        prefix = parts.path[:rest.start()]
        return ManagerUrl(root, root + prefix + SOAP_CONTEXT, root + prefix + REST_CONTEXT)
    if not path:
        return ManagerUrl(root, root + SOAP_CONTEXT, root + REST_CONTEXT)
    prefix = path[:-len(SOAP_CONTEXT)] if path.endswith(SOAP_CONTEXT) else ""
    return ManagerUrl(root, root + path, root + prefix + REST_CONTEXT)
