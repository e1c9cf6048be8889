"""Docker Engine API edge: the connection (tcp, unix socket, TLS, DOCKER_HOST), every call the
scripts make, and the one place where the SDK's and requests' exceptions become ours. Where the
daemon is (docker_endpoint) and why a connection failed are shared with the stdlib fast path.

Commands import this module lazily, so `--help` never pays for importing the SDK.
"""
import os
from contextlib import contextmanager

import docker
import docker.errors
import docker.tls
import requests.adapters
import requests.exceptions
import urllib3

from .deadline import NO_DEADLINE, bounded
from .docker_endpoint import connection_reason, endpoint_from_args
from .errors import ContainerNotFound, ContainerNotRunning, DockerRefused, DockerUnreachable, TlsFileError
from .parallel import per_container

ONE_SHOT_STATS_API = (1, 41)
MAX_PARALLEL_REQUESTS = 256


class _APIClient(docker.APIClient):
    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE replace the session's verify, so the
        # --tlscacert CA (or --tls without verification) would be ignored (docker-py #2433)
        return super().merge_environment_settings(url, proxies, stream,
                                                  self.verify if verify is None else verify, cert)


class DockerEngine:
    """A connection to one Docker daemon; every method raises only our DockerError family."""

    # no window is shorter than the daemon's collector tick: a stats request sent right after
    # another is answered on the next tick, and two runs within one tick read the same sample
    shortest_window_s = 0

    def __init__(self, endpoint, timeout=10, pool_size=10, deadline=NO_DEADLINE, warn=None):
        self.endpoint = endpoint
        self.url = endpoint.display
        self.timeout = timeout
        self.deadline = deadline
        if endpoint.implied_tls and warn is not None:
            warn(f"{self.url}: TLS without verifying the daemon's certificate (an https:// URL alone); "
                 "use --tlsverify to verify it, or --tls to say that you mean it")
        tls = False
        if endpoint.tls:
            client_cert = (endpoint.client_cert, endpoint.client_key)
            if endpoint.default_client_files and not os.path.isfile(endpoint.client_cert):
                client_cert = ()  # a daemon started with --tls alone asks for no client certificate
            for path in client_cert + ((endpoint.ca_cert,) if endpoint.verify else ()):
                if not os.path.isfile(path):
                    raise TlsFileError(f"TLS file not found: {path}")
            tls = docker.tls.TLSConfig(client_cert=client_cert or None,
                                       ca_cert=endpoint.ca_cert if endpoint.verify else None,
                                       verify=endpoint.verify)
            if not endpoint.verify:
                # --tls is the operator's explicit choice, as with the docker CLI: no warning per request
                urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self.api = self.call("connect", lambda: _APIClient(
            base_url=endpoint.base_url, version="auto", timeout=timeout, tls=tls,
            max_pool_size=max(pool_size, 10)))
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
            explanation = " ".join(explanation.split())
            # 409 Conflict has several causes; "is not running" is the daemon's words for this one
            error = (ContainerNotRunning if exc.status_code == 409 and "is not running" in explanation
                     else DockerRefused)
            raise error(f"Docker daemon at {self.url}: {what}: {explanation}", reason=explanation) from exc
        except requests.exceptions.ReadTimeout as exc:
            raise DockerUnreachable(f"Docker daemon at {self.url} did not answer {what} "
                                    f"within {self.timeout:g} s") from exc
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout, OSError,
                docker.errors.DockerException) as exc:
            reason = connection_reason(exc)
            if reason == "timed out":  # a read timeout that came wrapped: the same words as above
                raise DockerUnreachable(f"Docker daemon at {self.url} did not answer {what} "
                                        f"within {self.timeout:g} s") from exc
            raise DockerUnreachable(f"cannot connect to the Docker daemon at {self.url}: {reason}") from exc

    def call(self, what, function, seconds=None):
        """function() translated, ended after `seconds` (default: the per-call timeout) or when
        the run's deadline comes, however slowly the daemon answers."""
        budget, limit = self.deadline.bound(self.timeout if seconds is None else seconds)

        def too_slow():
            return DockerUnreachable(f"Docker daemon at {self.url} did not answer {what} {limit}")
        with self.translated(what):
            return bounded(function, budget, too_slow)

    # ---- host -------------------------------------------------------------------------------

    def ping(self):
        """True when GET /_ping answers 200 OK."""
        response = self.call("ping", lambda: self.api.get(self.api._url("/_ping"), timeout=self.timeout))
        return response.status_code == 200 and response.text.strip() == "OK"

    def info(self):
        return self.call("info", lambda: self.api.info())

    def images(self):
        return self.call("list images", lambda: self.api.images(all=True))

    def containers(self, all=False, size=False):
        """GET /containers/json, newest first as the API returns them."""
        return self.call("list containers", lambda: self.api.containers(all=all, size=size))

    # ---- one container ----------------------------------------------------------------------

    def inspect(self, container_id):
        return self.call(f"inspect {container_id[:12]}", lambda: self.api.inspect_container(container_id))

    def top(self, container_id):
        return self.call(f"top {container_id[:12]}", lambda: self.api.top(container_id))

    @property
    def one_shot_stats(self):
        return self.api_version >= ONE_SHOT_STATS_API

    def stats(self, container_id):
        """One stats sample: one-shot on API 1.41+, else the classic two-sample call (~1-2 s)."""
        def sample():
            try:
                if self.one_shot_stats:
                    return self.api.stats(container_id, stream=False, one_shot=True)
                return self.api.stats(container_id, stream=False)
            except requests.exceptions.JSONDecodeError:
                # the daemon answers 200 with an empty body when the container goes away meanwhile
                raise ContainerNotFound(f"stats {container_id[:12]}: the container went away") from None
        return self.call(f"stats {container_id[:12]}", sample)

    def stats_many(self, container_ids):
        """{id: sample} for every container, all requests in flight at once (the daemon answers on
        a ~1 s collector tick shared by concurrent requests); a container that vanished is left out."""
        return self.per_container(self.stats, container_ids)

    def per_container(self, call, container_ids):
        """{id: call(id)} with every call in flight at once (stats, top, inspect); a container
        that vanished meanwhile is left out."""
        return per_container(call, container_ids, MAX_PARALLEL_REQUESTS)

    def start(self, container_id):
        self.call(f"start {container_id[:12]}", lambda: self.api.start(container_id))

    def stop(self, container_id, wait):
        # the HTTP call lasts up to `wait` seconds by design
        self.api.timeout = max(self.timeout, wait + 30)
        self.call(f"stop {container_id[:12]}", lambda: self.api.stop(container_id, timeout=wait),
                  seconds=self.api.timeout)

    def restart(self, container_id, wait):
        self.api.timeout = max(self.timeout, wait + 30)
        self.call(f"restart {container_id[:12]}", lambda: self.api.restart(container_id, timeout=wait),
                  seconds=self.api.timeout)

    def remove(self, container_id, force=False, link=False, volumes=False):
        self.call(f"remove {container_id[:12]}",
                  lambda: self.api.remove_container(container_id, v=volumes, link=link, force=force))

    def exec_create(self, container_id, cmd, environment=None):
        return self.call(f"exec in {container_id[:12]}", lambda: self.api.exec_create(
            container_id, cmd, stdout=True, stderr=True, environment=environment)["Id"])

    def exec_run(self, container_id, cmd):
        """Run a short command in the container to its end; its output (stdout and stderr)."""
        exec_id = self.exec_create(container_id, cmd)
        return self.call(f"exec in {container_id[:12]}", lambda: self.api.exec_start(exec_id))

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
        return self.exec_inspect(exec_id)["ExitCode"]

    def exec_inspect(self, exec_id):
        return self.call("exec inspect", lambda: self.api.exec_inspect(exec_id))

    def archive(self, container_id, path):
        """(chunks of a tar stream, stat dict) of GET /containers/{id}/archive."""
        what = f"archive {path} of {container_id[:12]}"
        # the call is bounded until the answer starts; the chunks by the timeout of each read
        chunks, stat = self.call(what, lambda: self.api.get_archive(container_id, path,
                                                                     chunk_size=1024 * 1024))
        return self._translated_chunks(chunks, what), stat

    def events(self, since, until):
        """Events between two UNIX times, both ends inclusive, as a list of dicts; give the times as
        `SECONDS.NNNNNNNNN` text to be exact to the nanosecond (a float keeps only ~0.2 us)."""
        return self.call("events", lambda: list(self.api.events(since=since, until=until, decode=True)))


def connect(args, pool_size=10):
    """A DockerEngine from the shared Docker options (and the run's deadline and warnings, which
    the harness adds to args)."""
    return DockerEngine(endpoint_from_args(args), timeout=args.docker_timeout, pool_size=pool_size,
                        deadline=getattr(args, "deadline", NO_DEADLINE), warn=getattr(args, "warn", None))
