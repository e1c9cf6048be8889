"""HTTP to the Hinemos manager, the one edge every transport (SOAP, REST) sends through, so that what
is decided about the connection (timeouts, redirects, TLS) holds for both: one ManagerHttp per
manager, whose request() returns a Reply or raises HinemosError, one plain sentence naming the URL
and the cause (refused, timeout, unknown host, closed connection).

Redirects are not followed: a manager that answers with one is reported, so credentials never go
to another address.
"""
import http.client
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from .errors import HinemosError
from .manager_url import DEFAULT_TIMEOUT

USER_AGENT = "hinemos-docker"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict
    body: bytes
    url: str


class ManagerHttp:
    """Requests to one manager (its base URL), each bounded by `timeout` seconds."""

    def __init__(self, base_url, timeout=DEFAULT_TIMEOUT):
        self.base_url = base_url
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def request(self, method, url, body=None, headers=None):
        """One request; the Reply whatever its status, HinemosError when nothing usable answered."""
        try:
            response = self.session.request(method, url, data=body, headers=headers, timeout=self.timeout,
                                            allow_redirects=False)
        except requests.RequestException as e:
            raise HinemosError(f"cannot reach the Hinemos manager at {url}: {self.reason(e, url)}") from None
        return Reply(response.status_code, dict(response.headers), response.content, url)

    def reason(self, error, url):
        """What went wrong, in words: the innermost OS-level cause of a requests exception."""
        if isinstance(error, requests.Timeout):
            return f"no answer within {self.timeout:g} s"
        cause = _root_cause(error)
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, (socket.timeout, TimeoutError)):
            return f"no answer within {self.timeout:g} s"
        if isinstance(cause, socket.gaierror):
            return f"unknown host {urlsplit(url).hostname}"
        if isinstance(cause, (http.client.RemoteDisconnected, ConnectionResetError)):
            return "the connection was closed without an answer"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror[0].lower() + cause.strerror[1:]
        return str(cause) or type(cause).__name__

    def close(self):
        self.session.close()


def _root_cause(error):
    """Follow urllib3's `reason` attributes and exception chaining down to the first OS-level cause."""
    seen = set()
    while id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and not isinstance(error, requests.RequestException) and error.strerror:
            return error
        inner = getattr(error, "reason", None)
        if not isinstance(inner, BaseException):
            inner = error.__cause__ or error.__context__
        if inner is None:
            return error
        error = inner
    return error
