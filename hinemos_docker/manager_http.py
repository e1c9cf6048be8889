"""The HTTP connection to the Hinemos manager, for both of its APIs: the one place where the manager's
requests.Session is made (the SOAP transport and the REST client both use it), and where transport
trouble (refused, timeout, unknown host, closed connection) becomes one plain sentence.
"""
import http.client
import socket
from urllib.parse import urlsplit

import requests

from .errors import HinemosError
from .manager_url import DEFAULT_TIMEOUT

USER_AGENT = "hinemos-docker"


class ManagerSession(requests.Session):
    """A requests.Session whose every request has the manager timeout."""

    def __init__(self, timeout=DEFAULT_TIMEOUT):
        super().__init__()
        self.timeout = timeout
        self.headers["User-Agent"] = USER_AGENT

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, **kwargs)


def session(timeout=DEFAULT_TIMEOUT):
    """A new session to the manager."""
    return ManagerSession(timeout)


def unreachable(url, error, timeout):
    """The HinemosError for a request to `url` that failed with the requests/OS exception `error`."""
    return HinemosError(f"cannot reach the Hinemos manager at {url}: {reason(error, url, timeout)}")


def reason(error, url, timeout):
    """What went wrong, in words: the innermost OS-level cause of a requests exception."""
    if isinstance(error, requests.Timeout):
        return f"no answer within {timeout:g} s"
    cause = _root_cause(error)
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    if isinstance(cause, (socket.timeout, TimeoutError)):
        return f"no answer within {timeout:g} s"
    if isinstance(cause, socket.gaierror):
        return f"unknown host {urlsplit(url).hostname}"
    if isinstance(cause, (http.client.RemoteDisconnected, ConnectionResetError)):
        return "the connection was closed without an answer"
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror[0].lower() + cause.strerror[1:]
    return str(cause) or type(cause).__name__


def _root_cause(error):
    """Follow urllib3's `reason` attributes and exception chaining down to the first cause."""
    seen = set()
    while id(error) not in seen:
        seen.add(id(error))
        inner = getattr(error, "reason", None)
        if not isinstance(inner, BaseException):
            inner = error.__cause__ or error.__context__
        if inner is None:
            return error
        if isinstance(error, OSError) and not isinstance(error, requests.RequestException) and error.strerror:
            return error
        error = inner
    return error
