"""Where the Docker daemon is (-i/-p, TLS options, DOCKER_HOST), the Docker host's address that
follows from it, and why a connection to it failed: shared by the SDK edge (docker_engine), the
stdlib fast path of the counter monitors, SNMP, the syslog monitors and the sync, so all resolve
the same target and word the same failure the same way. Pure but for connection_reason's lazy
import; stdlib only.
"""
import ipaddress
import os
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit

from .errors import UsageError
from .urls import has_credentials, host_and_port_text, port_value, without_credentials

# the address of "this machine": the default -i, and the Docker host of a unix:// socket
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2375
DEFAULT_TLS_PORT = 2376


@dataclass(frozen=True)
class Endpoint:
    """Where the daemon is: base_url for the SDK, and TLS files when TLS is used."""

    base_url: str
    tls: bool = False
    verify: bool = False
    ca_cert: Optional[str] = None
    client_cert: Optional[str] = None
    client_key: Optional[str] = None
    # neither --tlscert nor --tlskey: the DOCKER_CERT_PATH pair, used only if cert.pem exists (docker CLI)
    default_client_files: bool = False
    # TLS chosen by an https:// URL alone, without --tls or --tlsverify: unverified, so warned about
    implied_tls: bool = False

    @property
    def display(self):
        if self.base_url.startswith("unix://"):
            return self.base_url
        return self.base_url.replace("http://", "tcp://").replace("https://", "tcp://")


def split_host_port(target):
    """(host, port or None) of an -i value: HOST, HOST:PORT, an IPv6 literal, [IPv6] or
    [IPv6]:PORT, as the docker CLI's -H takes them."""
    parts = host_and_port_text(target)
    if parts is None:
        return target, None
    host, text = parts
    if text is None:
        return host, None
    port = port_value(text)
    if port is None:
        raise UsageError(f"invalid port in Docker host '{target}' (expected 1-65535)")
    return host, port


def host_of(base_url):
    """The Docker host as an endpoint's URL names it (docs/rules.md#host-ipv4): the URL's host; a
    unix:// socket is this machine."""
    if base_url.startswith("unix://"):
        return DEFAULT_HOST
    return urlsplit(base_url).hostname or DEFAULT_HOST


def _tcp_url(host, port, tls):
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # IPv6 literal
    return f"{'https' if tls else 'http'}://{host}:{port}"


def resolve_endpoint(ip=None, port=None, tls=None, tlsverify=None, tlscacert=None, tlscert=None,
                     tlskey=None, environ=None):
    """The Endpoint for -i/-p/TLS options and the docker CLI's variables (docs/rules.md#docker-endpoint).
    Pure."""
    environ = os.environ if environ is None else environ
    verify = bool(tlsverify) or (tlsverify is None and bool(environ.get("DOCKER_TLS_VERIFY")))
    use_tls = verify or bool(tls)
    target = ip
    if ip is None and port is None and environ.get("DOCKER_HOST"):
        target = environ["DOCKER_HOST"]
    default_port = DEFAULT_TLS_PORT if use_tls else DEFAULT_PORT
    if target is None:
        base_url = _tcp_url(DEFAULT_HOST, port or default_port, use_tls)
    elif "://" in target:
        if has_credentials(target):
            raise UsageError(f"Docker URL '{without_credentials(target)}' holds credentials; the Docker "
                             "API takes none (use TLS client certificates)")
        scheme = target.partition("://")[0]
        if scheme == "unix":
            if port is not None:
                raise UsageError("-p cannot be used with a unix:// socket")
            return Endpoint(base_url=target)
        if scheme not in ("tcp", "http", "https"):
            raise UsageError(f"unsupported Docker URL '{target}' (use unix:// or tcp://)")
        implied = scheme == "https" and not use_tls
        use_tls = use_tls or scheme == "https"
        try:
            parts = urlsplit(target)
            url_port = parts.port
        except ValueError:
            raise UsageError(f"invalid port in Docker URL '{target}' (expected 1-65535)") from None
        if not parts.hostname:
            raise UsageError(f"Docker URL '{target}' has no host")
        if url_port is not None and port is not None:
            raise UsageError(f"-p conflicts with the port in '{target}'")
        base_url = _tcp_url(parts.hostname, url_port or port or default_port, use_tls)
    else:
        if not target or any(c in target for c in "/@ \t"):
            raise UsageError(f"invalid Docker host '{without_credentials(target)}'")
        host, host_port = split_host_port(target)
        if host_port is not None and port is not None:
            raise UsageError(f"-p conflicts with the port in '{target}'")
        base_url = _tcp_url(host, host_port or port or default_port, use_tls)
        implied = False
    if not use_tls:
        return Endpoint(base_url=base_url)
    cert_dir = environ.get("DOCKER_CERT_PATH") or os.path.join(os.path.expanduser("~"), ".docker")
    return Endpoint(
        base_url=base_url, tls=True, verify=verify,
        ca_cert=tlscacert or os.path.join(cert_dir, "ca.pem"),
        client_cert=tlscert or os.path.join(cert_dir, "cert.pem"),
        client_key=tlskey or os.path.join(cert_dir, "key.pem"),
        default_client_files=not (tlscert or tlskey),
        implied_tls=target is not None and "://" in target and implied,
    )


def endpoint_from_args(args):
    return resolve_endpoint(args.docker_ip, args.docker_port, args.tls, args.tlsverify,
                            args.tlscacert, args.tlscert, args.tlskey)


# Go's answer (dockerd's) to plain HTTP on a TLS port
PLAIN_HTTP_ON_TLS = "Client sent an HTTP request to an HTTPS server"


def connection_reason(exc):
    """A short reason for a connection failure to the daemon, one plain sentence."""
    if PLAIN_HTTP_ON_TLS in str(exc):
        return "the daemon expects TLS on this port (use --tls or --tlsverify)"
    from .connection import failure_reason  # only when something failed: the fast path does not pay
    reason = failure_reason(exc, peer="the daemon")
    if "requires a client certificate" in reason:
        reason += " (--tlscert/--tlskey or DOCKER_CERT_PATH)"
    return reason


def is_local(endpoint):
    """True when the daemon runs on this machine as far as the address tells: a unix socket, or
    plain tcp to a loopback address (TLS endpoints are left to the SDK)."""
    if endpoint.base_url.startswith("unix://"):
        return True
    parts = urlsplit(endpoint.base_url)
    if endpoint.tls or parts.scheme != "http":
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False
