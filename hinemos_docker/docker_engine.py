"""Docker Engine API edge: the connection (tcp, unix socket, TLS, DOCKER_HOST), every call the
scripts make, and the one place where the SDK's and requests' exceptions become ours.

Commands import this module lazily, so `--help` never pays for importing the SDK.
"""
import os
import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit

import docker
import docker.errors
import docker.tls
import requests.adapters
import requests.exceptions
import urllib3

from .cli import split_host_port
from .errors import ContainerNotFound, DockerError, DockerUnreachable, UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2375
DEFAULT_TLS_PORT = 2376
ONE_SHOT_STATS_API = (1, 41)
MAX_PARALLEL_REQUESTS = 256


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

    @property
    def display(self):
        if self.base_url.startswith("unix://"):
            return self.base_url
        return self.base_url.replace("http://", "tcp://").replace("https://", "tcp://")


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
        scheme = target.partition("://")[0]
        if scheme == "unix":
            if port is not None:
                raise UsageError("-p cannot be used with a unix:// socket")
            return Endpoint(base_url=target)
        if scheme not in ("tcp", "http", "https"):
            raise UsageError(f"unsupported Docker URL '{target}' (use unix:// or tcp://)")
        use_tls = use_tls or scheme == "https"
        parts = urlsplit(target)
        try:
            url_port = parts.port
        except ValueError:
            raise UsageError(f"invalid port in Docker URL '{target}' (expected 1-65535)") from None
        if not parts.hostname:
            raise UsageError(f"Docker URL '{target}' has no host")
        if url_port is not None and port is not None:
            raise UsageError(f"-p conflicts with the port in '{target}'")
        base_url = _tcp_url(parts.hostname, url_port or port or default_port, use_tls)
    else:
        if not target or any(c in target for c in "/ \t"):
            raise UsageError(f"invalid Docker host '{target}'")
        host, host_port = split_host_port(target)
        if host_port is not None and port is not None:
            raise UsageError(f"-p conflicts with the port in '{target}'")
        base_url = _tcp_url(host, host_port or port or default_port, use_tls)
    if not use_tls:
        return Endpoint(base_url=base_url)
    cert_dir = environ.get("DOCKER_CERT_PATH") or os.path.join(os.path.expanduser("~"), ".docker")
    return Endpoint(
        base_url=base_url, tls=True, verify=verify,
        ca_cert=tlscacert or os.path.join(cert_dir, "ca.pem"),
        client_cert=tlscert or os.path.join(cert_dir, "cert.pem"),
        client_key=tlskey or os.path.join(cert_dir, "key.pem"),
        default_client_files=not (tlscert or tlskey),
    )


def endpoint_from_args(args):
    return resolve_endpoint(args.docker_ip, args.docker_port, args.tls, args.tlsverify,
                            args.tlscacert, args.tlscert, args.tlskey)


TLS_REASONS = {
    "WRONG_VERSION_NUMBER": "TLS error: the daemon does not speak TLS on this port (wrong version number)",
    "TLSV13_ALERT_CERTIFICATE_REQUIRED": "TLS error: the daemon requires a client certificate "
                                         "(--tlscert/--tlskey or DOCKER_CERT_PATH)",
}


def _reason(exc):
    """A short reason for a connection failure, from the innermost cause."""
    seen = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return "cannot resolve the host name"
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, FileNotFoundError):
            return "no such socket"
        if isinstance(seen, PermissionError):
            return "permission denied"
        if isinstance(seen, (socket.timeout, TimeoutError)):
            return "timed out"
        if isinstance(seen, ssl.SSLCertVerificationError):
            return f"TLS error: certificate verify failed: {seen.verify_message}"
        if isinstance(seen, ssl.SSLEOFError):  # often how a refused or missing client certificate shows
            return "TLS error: the daemon closed the connection (does it require a client certificate?)"
        if isinstance(seen, ssl.SSLError):
            words = seen.reason.lower().replace("_", " ") if seen.reason else seen
            return TLS_REASONS.get(seen.reason) or f"TLS error: {words}"
        seen = seen.__cause__ or seen.__context__ or (
            seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
    text = str(exc)
    for marker, reason in (("Connection refused", "connection refused"),
                           ("Name or service not known", "cannot resolve the host name"),
                           ("Temporary failure in name resolution", "cannot resolve the host name"),
                           ("timed out", "timed out"), ("No such file", "no such socket"),
                           ("Client sent an HTTP request to an HTTPS server",  # Go's answer on a TLS port
                            "the daemon expects TLS on this port (use --tls or --tlsverify)")):
        if marker in text:
            return reason
    return text.splitlines()[0] if text else type(exc).__name__


class _APIClient(docker.APIClient):
    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE replace the session's verify, so the
        # --tlscacert CA (or --tls without verification) would be ignored (docker-py #2433)
        return super().merge_environment_settings(url, proxies, stream,
                                                  self.verify if verify is None else verify, cert)


class DockerEngine:
    """A connection to one Docker daemon; every method raises only our DockerError family."""

    def __init__(self, endpoint, timeout=60, pool_size=10):
        self.endpoint = endpoint
        self.url = endpoint.display
        self.timeout = timeout
        tls = False
        if endpoint.tls:
            client_cert = (endpoint.client_cert, endpoint.client_key)
            if endpoint.default_client_files and not os.path.isfile(endpoint.client_cert):
                client_cert = ()  # a daemon started with --tls alone asks for no client certificate
            for path in client_cert + ((endpoint.ca_cert,) if endpoint.verify else ()):
                if not os.path.isfile(path):
                    raise UsageError(f"TLS file not found: {path}")
            tls = docker.tls.TLSConfig(client_cert=client_cert or None,
                                       ca_cert=endpoint.ca_cert if endpoint.verify else None,
                                       verify=endpoint.verify)
            if not endpoint.verify:
                # --tls is the operator's explicit choice, as with the docker CLI: no warning per request
                urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        with self.translated("connect"):
            self.api = _APIClient(base_url=endpoint.base_url, version="auto", timeout=timeout,
                                  tls=tls, max_pool_size=max(pool_size, 10))
            if not endpoint.base_url.startswith("unix://"):
                # the SDK sizes only its unix-socket pool; over tcp requests keeps its default of 10
                adapter = requests.adapters.HTTPAdapter(pool_maxsize=max(pool_size, 10))
                self.api.mount("http://", adapter)
                self.api.mount("https://", adapter)
        self.api_version = tuple(int(x) for x in self.api.api_version.split("."))

    @contextmanager
    def translated(self, what):
        """The single checkpoint: SDK and transport exceptions become our errors."""
        try:
            yield
        except docker.errors.NotFound as exc:
            reason = exc.explanation or "not found"
            raise ContainerNotFound(f"{what}: {reason}", reason=reason) from exc
        except docker.errors.APIError as exc:
            explanation = exc.explanation or str(exc)
            if isinstance(explanation, bytes):
                explanation = explanation.decode("utf-8", "replace")
            raise DockerError(f"Docker daemon at {self.url}: {what}: {explanation.strip()}",
                              reason=explanation.strip()) from exc
        except requests.exceptions.ReadTimeout as exc:
            raise DockerUnreachable(f"Docker daemon at {self.url} did not answer {what} "
                                    f"within {self.timeout} s") from exc
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout, OSError) as exc:
            raise DockerUnreachable(f"cannot connect to the Docker daemon at {self.url}: "
                                    f"{_reason(exc)}") from exc
        except docker.errors.DockerException as exc:
            raise DockerUnreachable(f"cannot connect to the Docker daemon at {self.url}: "
                                    f"{_reason(exc)}") from exc

    # ---- host -------------------------------------------------------------------------------

    def ping(self):
        """True when GET /_ping answers 200 OK."""
        with self.translated("ping"):
            response = self.api.get(self.api._url("/_ping"), timeout=self.timeout)
        return response.status_code == 200 and response.text.strip() == "OK"

    def info(self):
        with self.translated("info"):
            return self.api.info()

    def images(self):
        with self.translated("list images"):
            return self.api.images(all=True)

    def containers(self, all=False, size=False):
        """GET /containers/json, newest first as the API returns them."""
        with self.translated("list containers"):
            return self.api.containers(all=all, size=size)

    # ---- one container ----------------------------------------------------------------------

    def inspect(self, container_id):
        with self.translated(f"inspect {container_id[:12]}"):
            return self.api.inspect_container(container_id)

    def top(self, container_id):
        with self.translated(f"top {container_id[:12]}"):
            return self.api.top(container_id)

    @property
    def one_shot_stats(self):
        return self.api_version >= ONE_SHOT_STATS_API

    def stats(self, container_id):
        """One stats sample: one-shot on API 1.41+, else the classic two-sample call (~1-2 s)."""
        with self.translated(f"stats {container_id[:12]}"):
            try:
                if self.one_shot_stats:
                    return self.api.stats(container_id, stream=False, one_shot=True)
                return self.api.stats(container_id, stream=False)
            except requests.exceptions.JSONDecodeError:
                # the daemon answers 200 with an empty body when the container goes away meanwhile
                raise ContainerNotFound(f"stats {container_id[:12]}: the container went away") from None

    def stats_many(self, container_ids):
        """{id: sample} for every container, all requests in flight at once (the daemon answers on
        a ~1 s collector tick shared by concurrent requests); a container that vanished is left out."""
        return self.per_container(self.stats, container_ids)

    def per_container(self, call, container_ids):
        """{id: call(id)} with every call in flight at once (stats, top, inspect); a container
        that vanished meanwhile is left out."""
        def fetch(container_id):
            try:
                return container_id, call(container_id)
            except ContainerNotFound:
                return container_id, None
        ids = list(container_ids)
        if not ids:
            return {}
        workers = min(len(ids), MAX_PARALLEL_REQUESTS)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(fetch, ids))
        return {cid: result for cid, result in results if result is not None}

    def start(self, container_id):
        with self.translated(f"start {container_id[:12]}"):
            self.api.start(container_id)

    def stop(self, container_id, wait):
        with self.translated(f"stop {container_id[:12]}"):
            # the HTTP call lasts up to `wait` seconds by design
            self.api.timeout = max(self.timeout, wait + 30)
            self.api.stop(container_id, timeout=wait)

    def restart(self, container_id, wait):
        with self.translated(f"restart {container_id[:12]}"):
            self.api.timeout = max(self.timeout, wait + 30)
            self.api.restart(container_id, timeout=wait)

    def remove(self, container_id, force=False, link=False, volumes=False):
        with self.translated(f"remove {container_id[:12]}"):
            self.api.remove_container(container_id, v=volumes, link=link, force=force)

    def exec_create(self, container_id, cmd):
        with self.translated(f"exec in {container_id[:12]}"):
            return self.api.exec_create(container_id, cmd, stdout=True, stderr=True)["Id"]

    def _translated_chunks(self, chunks, what):
        """The chunks of a streamed answer, with errors while reading them translated too."""
        with self.translated(what):
            yield from chunks

    def exec_stream(self, exec_id):
        """(stdout, stderr) chunks of a started exec; no read timeout, a job may run for hours."""
        with self.translated("exec start"):
            self.api.timeout = None
            try:
                chunks = self.api.exec_start(exec_id, stream=True, demux=True)
            finally:
                self.api.timeout = self.timeout  # later calls keep their timeout
        return self._translated_chunks(chunks, "exec output")

    def exec_exit_code(self, exec_id):
        with self.translated("exec inspect"):
            return self.api.exec_inspect(exec_id)["ExitCode"]

    def archive(self, container_id, path):
        """(chunks of a tar stream, stat dict) of GET /containers/{id}/archive."""
        what = f"archive {path} of {container_id[:12]}"
        with self.translated(what):
            chunks, stat = self.api.get_archive(container_id, path, chunk_size=1024 * 1024)
        return self._translated_chunks(chunks, what), stat

    def events(self, since, until):
        """Events between two UNIX times, both ends inclusive, as a list of dicts; give the times as
        `SECONDS.NNNNNNNNN` text to be exact to the nanosecond (a float keeps only ~0.2 us)."""
        with self.translated("events"):
            return list(self.api.events(since=since, until=until, decode=True))


def connect(args, pool_size=10):
    """A DockerEngine from the shared Docker options."""
    return DockerEngine(endpoint_from_args(args), timeout=args.docker_timeout, pool_size=pool_size)
