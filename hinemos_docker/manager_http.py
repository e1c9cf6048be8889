"""HTTP to the Hinemos manager, the one edge every transport (SOAP, REST) sends through, so that
the protections hold for all of them:

- requests reach only the manager's origin (scheme, host, port of -m): a schema import or a
  redirect that points elsewhere (another host, http from https, file://) is refused, so the
  credentials, sent on every request, stay with the manager;
- https:// is verified against the system's CAs, or --hinemos-cacert; --hinemos-insecure turns the
  check off with a warning on every run;
- each call ends within --hinemos-timeout however slowly the manager answers (and within the run's
  deadline), and a reply is read up to MAX_REPLY_BYTES, never more (held whole, or handed on as
  it arrives);
- every failure is one plain sentence naming the manager's URL and the cause.
"""
import copy
import os
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import requests.utils
import urllib3

from .connection import failure_reason
from .deadline import NO_DEADLINE, bounded
from .errors import HinemosRefused, HinemosUnreachable, LocalFileError
from .manager_url import DEFAULT_TIMEOUT
from .urls import origin, without_credentials

USER_AGENT = "hinemos-docker"

MAX_REPLY_BYTES = 64 * 1024 * 1024
MAX_REDIRECTS = 3
CHUNK_BYTES = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict
    body: bytes
    url: str


def system_cas():
    """What `verify` names for the system's trusted CAs (the bundle file, else the directory)."""
    paths = ssl.get_default_verify_paths()
    for path in (paths.cafile, paths.capath):
        if path and os.path.exists(path):
            return path
    return True  # requests' own bundle


class ManagerHttp:
    """Requests to one manager (its base URL); request() returns a Reply or raises HinemosError."""

    def __init__(self, base_url, timeout=DEFAULT_TIMEOUT, cacert=None, insecure=False, warn=None,
                 deadline=NO_DEADLINE, max_reply_bytes=MAX_REPLY_BYTES):
        self.base_url = base_url
        self.shown = without_credentials(base_url)
        self.origin = origin(base_url)
        self.timeout = timeout
        self.deadline = deadline
        self.max_reply_bytes = max_reply_bytes
        if cacert is not None and not os.path.isfile(cacert):
            raise LocalFileError(f"--hinemos-cacert {cacert}: no such file")
        self.verify = False if insecure else (cacert or system_cas())
        if insecure and self.origin[0] == "https":
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # our own warning instead
            if warn is not None:
                warn(f"not verifying the certificate of the Hinemos manager at {self.shown} "
                     "(--hinemos-insecure): anyone on the path can read the password")
        self.session = _session()

    def another(self):
        """A ManagerHttp of the same manager and settings with connections of its own, for another
        thread (one that drives a client that is not thread-safe)."""
        twin = copy.copy(self)
        twin.session = _session()
        return twin

    def request(self, method, url, body=None, headers=None, sink=None):
        """One request (and same-origin redirects of a GET), bounded in time and size. With `sink`,
        a 200 answer's body is handed to sink(chunk) as it arrives and the Reply's body is empty,
        so a large reply need not be held twice (as chunks and joined)."""
        for _ in range(MAX_REDIRECTS + 1):
            self._check_origin(url)
            reply = self._bounded(lambda target=url: self._send(method, target, body, headers, sink), url)
            if reply.status not in REDIRECTS:
                return reply
            target = urljoin(url, reply.headers.get("Location", ""))
            if origin(target) != self.origin:
                raise HinemosRefused(
                    f"the Hinemos manager at {self.shown} redirected to {without_credentials(target)}, "
                    "not the manager's own address: refusing to follow it (the credentials stay with "
                    "the manager; if the manager moved, give -m the new URL)")
            if method != "GET":
                raise HinemosRefused(f"the Hinemos manager at {self.shown} answered {method} "
                                     f"{without_credentials(url)} with a redirect to "
                                     f"{without_credentials(target)}: give -m that URL")
            url = target
        raise HinemosRefused(f"the Hinemos manager at {self.shown} redirected more than "
                             f"{MAX_REDIRECTS} times")

    def _check_origin(self, url):
        if origin(url) != self.origin:
            raise HinemosRefused(f"refusing to fetch {without_credentials(url)} for the Hinemos manager "
                                 f"at {self.shown}: only the manager's own address is read")

    def _bounded(self, function, url):
        budget, limit = self.deadline.bound(self.timeout)
        return bounded(function, budget, lambda: self._unreachable(url, f"no answer {limit}"))

    def _unreachable(self, url, reason):
        return HinemosUnreachable(f"cannot reach the Hinemos manager at {without_credentials(url)}: {reason}")

    def _send(self, method, url, body, headers, sink):
        proxies = requests.utils.get_environ_proxies(url)  # proxies from the environment, still
        try:
            with self.session.request(method, url, data=body, headers=headers, timeout=self.timeout,
                                      verify=self.verify, allow_redirects=False, stream=True,
                                      proxies=proxies) as response:
                streamed = sink if response.status_code == 200 else None
                return Reply(response.status_code, dict(response.headers),
                             self._body(response, url, streamed), url)
        except requests.exceptions.Timeout:
            raise self._unreachable(url, f"no answer within {self.timeout:g} s") from None
        except (requests.exceptions.RequestException, OSError) as exc:
            reason = failure_reason(exc, peer="the manager")
            if reason == "cannot resolve the host name":
                reason = f"unknown host {urlsplit(url).hostname}"
            raise self._unreachable(url, reason) from None

    def _body(self, response, url, sink):
        limit = self.max_reply_bytes
        too_large = HinemosRefused(f"the Hinemos manager at {self.shown} answered "
                                   f"{without_credentials(url)} with more than {limit // (1024 * 1024)} "
                                   "MiB: refusing to read it")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        parts, size = [], 0
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise too_large
            if sink is None:
                parts.append(chunk)
            else:
                sink(chunk)
        return b"".join(parts)


    def close(self):
        self.session.close()


def _session():
    session = requests.Session()
    # no ~/.netrc credentials, no CA bundle from the environment: only what the options say
    session.trust_env = False
    session.headers["User-Agent"] = USER_AGENT
    return session


def from_args(args):
    """The ManagerHttp of the shared Hinemos options (and the run's deadline and warnings)."""
    return ManagerHttp(args.hinemos_url.root, timeout=args.hinemos_timeout, cacert=args.hinemos_cacert,
                       insecure=args.hinemos_insecure, warn=getattr(args, "warn", None),
                       deadline=getattr(args, "deadline", NO_DEADLINE))
