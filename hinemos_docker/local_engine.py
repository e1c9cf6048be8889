"""The counter monitors' fast path (CPU, memory, disk, network) for a daemon on this machine: the
container list, inspect and info from the API over the stdlib, the counters from the containers'
cgroup files instead of the daemon's stats calls (which answer on its ~1 s collector tick).

The files give the same document the API's one-shot stats answer does (cgroup_stats), so the
formulas, keys and state file are those of the API path. A container whose files are not found
(another cgroup parent, a rootless daemon) or cannot be read is asked from the API as before.
--from-api, a remote or TLS daemon, or cgroups not mounted whole here select the API path.
"""
import os
import time

from . import cgroup_stats
from .deadline import NO_DEADLINE
from .docker_endpoint import endpoint_from_args, is_local
from .docker_socket import DockerSocket
from .parallel import per_container

MOUNTINFO = "/proc/self/mountinfo"
MAX_PARALLEL_CALLS = 8


class CgroupFiles:
    """Reads containers' counters of some kinds (cgroup_stats.FILES) from this machine's cgroups."""

    def __init__(self, hierarchy, kinds=cgroup_stats.RATE_COUNTERS, proc="/proc"):
        self.hierarchy = hierarchy
        self.proc = proc
        self.online_cpus = os.sysconf("SC_NPROCESSORS_ONLN")  # what the daemon reports as online_cpus
        # the root cgroup has the interface files every cgroup has: what it lacks, no cgroup has
        absent = [name for name in cgroup_stats.KERNEL_OPTIONAL if "blkio" in hierarchy.mounts
                  and not os.path.exists(os.path.join(hierarchy.mounts["blkio"], name))]
        self.files = cgroup_stats.files_to_read(hierarchy.version, kinds, absent)
        self.networks_read = "network" in kinds

    @classmethod
    def discover(cls, kinds=cgroup_stats.RATE_COUNTERS, mountinfo=MOUNTINFO):
        """The reader of this machine's cgroups, or None when they are not mounted whole here."""
        try:
            with open(mountinfo, encoding="utf-8") as handle:
                hierarchy = cgroup_stats.hierarchy_from_mountinfo(handle.read())
        except OSError:
            return None
        return cls(hierarchy, kinds) if hierarchy is not None else None

    def directories(self, container_id):
        """{controller: directory} of a container's cgroup, or None when no known layout holds it
        (one controller's directory tells: the daemon creates them all together)."""
        for relative in cgroup_stats.container_paths(container_id):
            found = {controller: os.path.join(self.hierarchy.mounts[controller], relative)
                     for controller in self.files}
            if os.path.isdir(next(iter(found.values()))):
                return found
        return None

    def stats(self, container_id, network_mode):
        """The stats document of a running container, or None when its files cannot tell (not
        found, unreadable, or the container stopped while they were read)."""
        directories = self.directories(container_id)
        if directories is None:
            return None
        read_ns = time.time_ns()
        try:
            files = {name: _read(os.path.join(directories[controller], name))
                     for controller, names in self.files.items() for name in names}
            networks = None
            if self.networks_read:
                networks = {} if network_mode == "host" else self.networks(files["cgroup.procs"])
        except OSError:
            return None
        return cgroup_stats.stats_document(self.hierarchy.version, files, read_ns, self.online_cpus,
                                           networks)

    def networks(self, procs):
        """The interfaces of the network namespace the cgroup's first process lives in."""
        pid = cgroup_stats.first_pid(procs)
        if pid is None:
            raise FileNotFoundError("no process in the cgroup")
        text = _read(os.path.join(self.proc, str(pid), "net", "dev"))
        if text is None:
            raise FileNotFoundError(f"no network statistics of process {pid}")
        return cgroup_stats.net_dev(text)


def _read(path):
    """The text of a file, None when it does not exist (the daemon reads such a figure as 0)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                return b"".join(chunks).decode("ascii", "replace")
            chunks.append(chunk)
    finally:
        os.close(fd)


class LocalEngine:
    """The DockerEngine calls of the counter monitors (containers, inspect, info, stats_many,
    per_container), the stats from cgroup files."""

    # the files answer at once, the daemon on its ~1 s tick: so that both measure over windows of
    # a second or more, a previous sample younger than this is not used and a second sample waits
    shortest_window_s = 1.0

    def __init__(self, endpoint, timeout, cgroups, deadline=NO_DEADLINE, warn=None):
        self.endpoint = endpoint
        self.timeout = timeout
        self.deadline = deadline
        self.warn = warn
        self.api = DockerSocket(endpoint, timeout, deadline)
        self.url = self.api.url
        self.cgroups = cgroups
        self._network_modes = {}
        self._sdk_engine = None

    def containers(self, all=False):
        listed = self.api.containers(all=all)
        self._network_modes.update({entry["Id"]: (entry.get("HostConfig") or {}).get("NetworkMode")
                                    for entry in listed})
        return listed

    def inspect(self, container_id):
        return self.api.inspect(container_id)

    def info(self):
        return self.api.info()

    def stats_many(self, container_ids):
        """{id: stats document}, from the files where they tell, else from the API; a container
        that stopped is left out or answers the API's zero read time, as on the API path."""
        documents, elsewhere = {}, []
        for container_id in container_ids:
            document = self.cgroups.stats(container_id, self._network_modes.get(container_id))
            if document is None:
                elsewhere.append(container_id)
            else:
                documents[container_id] = document
        if elsewhere:
            documents.update(self.sdk_engine().stats_many(elsewhere))
        return {cid: documents[cid] for cid in container_ids if cid in documents}

    def per_container(self, call, container_ids):
        """{id: call(id)} a few at a time (each call on its own connection); a container that
        vanished meanwhile is left out."""
        return per_container(call, container_ids, MAX_PARALLEL_CALLS)

    def sdk_engine(self):
        """The API path, for the containers the files cannot tell about (imported only then)."""
        if self._sdk_engine is None:
            from .docker_engine import MAX_PARALLEL_REQUESTS, DockerEngine
            self._sdk_engine = DockerEngine(self.endpoint, timeout=self.timeout,
                                            pool_size=MAX_PARALLEL_REQUESTS, deadline=self.deadline,
                                            warn=self.warn)
        return self._sdk_engine


def connect_for_counters(args, kinds):
    """The engine of a counter monitor reading `kinds` of counters (cgroup_stats.RATE_COUNTERS or
    MEMORY_COUNTERS): the fast path when the daemon runs here and its cgroup files are readable
    (unless --from-api), else the SDK's."""
    endpoint = endpoint_from_args(args)
    cgroups = None if args.from_api or not is_local(endpoint) else CgroupFiles.discover(kinds)
    if cgroups is None:
        from .docker_engine import MAX_PARALLEL_REQUESTS, connect
        return connect(args, pool_size=MAX_PARALLEL_REQUESTS)
    return LocalEngine(endpoint, args.docker_timeout, cgroups,
                       deadline=getattr(args, "deadline", NO_DEADLINE), warn=getattr(args, "warn", None))
