"""Pure: a container's cgroup files (v1 or v2) read as the part of the Docker API's one-shot stats
answer that the counter monitors use, so that the fast path and the API path share every formula
(metrics.sample_from_stats, memory.rss) and the state file.

The daemon itself gets these figures from the same files through containerd, which picks them as
follows (github.com/containerd/cgroups: cgroup1/cpuacct.go, blkio.go, memory.go; cgroup2/manager.go;
moby daemon/stats_unix.go turns them into the API's JSON):
- CPU: v1 `cpuacct.usage` and `cpuacct.usage_percpu` (ns); v2 `cpu.stat` usage_usec x 1000, no
  per-CPU figures. `online_cpus` is the host's online CPU count.
- block I/O: v1 the CFQ file `blkio.io_service_bytes_recursive` when the CFQ files exist and hold
  entries, else `blkio.throttle.io_service_bytes`; v2 `io.stat` rbytes/wbytes as ops read/write.
- memory: a fixed list of `memory.stat` keys per version (missing keys are 0).
- network: the interfaces of the container's network namespace but `lo`; none for
  `--network host` (the API then leaves `networks` out), as it does for `--network none`.
No I/O here.
"""
from dataclasses import dataclass

from .daemon_time import rfc3339

NS_PER_US = 1000
# the memory_stats.stats keys the API answers (recorded from dockerd 20.10 on cgroup v1; moby's
# statsV2 list on cgroup v2)
V1_MEMORY_KEYS = (
    "active_anon", "active_file", "cache", "dirty", "hierarchical_memory_limit", "hierarchical_memsw_limit",
    "inactive_anon", "inactive_file", "mapped_file", "pgfault", "pgmajfault", "pgpgin", "pgpgout", "rss",
    "rss_huge", "total_active_anon", "total_active_file", "total_cache", "total_dirty",
    "total_inactive_anon", "total_inactive_file", "total_mapped_file", "total_pgfault", "total_pgmajfault",
    "total_pgpgin", "total_pgpgout", "total_rss", "total_rss_huge", "total_unevictable", "total_writeback",
    "unevictable", "writeback")
V2_MEMORY_KEYS = (
    "anon", "file", "kernel_stack", "slab", "sock", "shmem", "file_mapped", "file_dirty", "file_writeback",
    "anon_thp", "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable",
    "slab_reclaimable", "slab_unreclaimable", "pgfault", "pgmajfault", "workingset_refault",
    "workingset_activate", "workingset_nodereclaim", "pgrefill", "pgscan", "pgsteal", "pgactivate",
    "pgdeactivate", "pglazyfree", "pglazyfreed", "thp_fault_alloc", "thp_collapse_alloc")
# what a rate monitor's Sample holds, and what the memory monitor reads
RATE_COUNTERS = ("cpu", "blkio", "network")
MEMORY_COUNTERS = ("memory",)
# per version and kind of counter: (controller, files); "" is the v2 unified hierarchy
FILES = {
    1: {"cpu": ("cpuacct", ("cpuacct.usage", "cpuacct.usage_percpu")),
        "blkio": ("blkio", ("blkio.io_serviced_recursive", "blkio.io_service_bytes_recursive",
                            "blkio.throttle.io_service_bytes")),
        "network": ("cpuacct", ("cgroup.procs",)),
        "memory": ("memory", ("memory.stat",))},
    2: {"cpu": ("", ("cpu.stat",)), "blkio": ("", ("io.stat",)), "network": ("", ("cgroup.procs",)),
        "memory": ("", ("memory.stat",))},
}
# files that exist in every cgroup or in none, depending on the kernel (the CFQ scheduler's)
KERNEL_OPTIONAL = ("blkio.io_serviced_recursive", "blkio.io_service_bytes_recursive")
V1_CONTROLLERS = ("cpuacct", "blkio", "memory")


@dataclass(frozen=True)
class Hierarchy:
    """Where this machine mounts cgroups: version 1 with a mount point per controller, or version 2
    with the unified mount point under the key ""."""

    version: int
    mounts: dict


def hierarchy_from_mountinfo(text):
    """The Hierarchy Docker uses on this machine, from /proc/self/mountinfo; None when it is not
    mounted whole here (a mount of a sub-tree, as inside a container, cannot be mapped to the
    daemon's paths). Like runc, cgroup v1 wins when its controllers are mounted (hybrid hosts)."""
    v1, v2 = {}, None
    for line in text.splitlines():
        mount, separator, source = line.partition(" - ")
        fields, described = mount.split(), source.split()
        if not separator or len(fields) < 5 or len(described) < 3 or fields[3] != "/":
            continue
        mount_point, (fs_type, _, options) = fields[4].replace("\\040", " "), described[:3]
        if fs_type == "cgroup":
            for controller in options.split(","):
                if controller in V1_CONTROLLERS:
                    v1.setdefault(controller, mount_point)
        elif fs_type == "cgroup2" and v2 is None:
            v2 = mount_point
    if all(controller in v1 for controller in V1_CONTROLLERS):
        return Hierarchy(1, {controller: v1[controller] for controller in V1_CONTROLLERS})
    if v2 is not None and not v1:
        return Hierarchy(2, {"": v2})
    return None


def container_paths(container_id):
    """Where a container's cgroup lies below each hierarchy's root: the cgroupfs driver's
    `docker/<id>` and the systemd driver's `system.slice/docker-<id>.scope` (default parents)."""
    return (f"docker/{container_id}", f"system.slice/docker-{container_id}.scope")


def files_to_read(version, kinds, absent=()):
    """{controller: file names} to read for the kinds of counters, less the files this kernel
    does not have."""
    chosen = {}
    for kind in kinds:
        controller, names = FILES[version][kind]
        chosen.setdefault(controller, []).extend(name for name in names if name not in absent)
    return chosen


# ---- parsing the files ------------------------------------------------------------------------

def flat_keyed(text):
    """{key: int} of a `key value` per line file (memory.stat, cpu.stat)."""
    values = {}
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            values[parts[0]] = int(parts[1])
    return values


def blkio_entries(text):
    """The API's io_service_bytes_recursive entries of a cgroup v1 blkio file (`8:0 Read 4096`
    lines; the `Total` lines are left out, as the daemon does)."""
    entries = []
    for line in (text or "").splitlines():
        parts = line.replace(":", " ").split()
        if len(parts) == 4 and parts[0].isdigit() and parts[1].isdigit() and parts[3].isdigit():
            entries.append({"major": int(parts[0]), "minor": int(parts[1]), "op": parts[2],
                            "value": int(parts[3])})
    return entries


def io_stat_entries(text):
    """The API's entries of cgroup v2 `io.stat` (`8:0 rbytes=.. wbytes=.. rios=..` lines): per
    device an op `read` of rbytes and an op `write` of wbytes."""
    entries = []
    for line in (text or "").splitlines():
        device, *pairs = line.split()
        major, _, minor = device.partition(":")
        if not (major.isdigit() and minor.isdigit()):
            continue
        values = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
        for op, key in (("read", "rbytes"), ("write", "wbytes")):
            entries.append({"major": int(major), "minor": int(minor), "op": op,
                            "value": int(values.get(key, "0") or 0)})
    return entries


def v1_blkio_bytes(files):
    """containerd's choice on cgroup v1: the CFQ figures when that scheduler's files exist and
    hold entries, else the throttle layer's."""
    if files.get("blkio.io_serviced_recursive") is not None:
        cfq = blkio_entries(files.get("blkio.io_service_bytes_recursive"))
        if cfq or blkio_entries(files["blkio.io_serviced_recursive"]):
            return cfq
    return blkio_entries(files.get("blkio.throttle.io_service_bytes"))


def net_dev(text):
    """{interface: counters} of /proc/<pid>/net/dev, `lo` left out (the API counts only the
    interfaces Docker attached)."""
    interfaces = {}
    for line in (text or "").splitlines()[2:]:
        name, _, counters = line.partition(":")
        name, values = name.strip(), counters.split()
        if name == "lo" or len(values) < 16 or not all(value.isdigit() for value in values):
            continue
        interfaces[name] = {"rx_bytes": int(values[0]), "rx_packets": int(values[1]),
                            "tx_bytes": int(values[8]), "tx_packets": int(values[9])}
    return interfaces


def first_pid(text):
    """The first process of a cgroup.procs file, or None when the cgroup is empty."""
    for line in (text or "").splitlines():
        if line.strip().isdigit():
            return int(line)
    return None


# ---- the stats document -----------------------------------------------------------------------

def stats_document(version, files, read_ns, online_cpus, networks=None):
    """The one-shot stats answer's fields the monitors read, from the texts of the files that
    were read (name -> text; None for one that does not exist) at `read_ns`, and the container's
    interfaces ({} for none, None when not read); None when a figure every cgroup has is missing
    (the cgroup went away meanwhile)."""
    document = {"read": rfc3339(read_ns)}
    cpu_file = "cpuacct.usage" if version == 1 else "cpu.stat"
    if cpu_file in files:
        if version == 1:
            if not (files[cpu_file] or "").strip().isdigit():
                return None
            percpu = [int(value) for value in (files.get("cpuacct.usage_percpu") or "").split()]
            cpu_usage = {"total_usage": int(files[cpu_file]), "percpu_usage": percpu or None}
        else:
            cpu_stat = flat_keyed(files[cpu_file])
            if "usage_usec" not in cpu_stat:
                return None
            cpu_usage = {"total_usage": cpu_stat["usage_usec"] * NS_PER_US}
        document["cpu_stats"] = {"cpu_usage": cpu_usage, "online_cpus": online_cpus}
    if "blkio.throttle.io_service_bytes" in files:
        document["blkio_stats"] = {"io_service_bytes_recursive": v1_blkio_bytes(files)}
    elif "io.stat" in files:
        document["blkio_stats"] = {"io_service_bytes_recursive": io_stat_entries(files["io.stat"])}
    if "memory.stat" in files:
        if files["memory.stat"] is None:
            return None
        memory_stat = flat_keyed(files["memory.stat"])
        keys = V1_MEMORY_KEYS if version == 1 else V2_MEMORY_KEYS
        document["memory_stats"] = {"stats": {key: memory_stat.get(key, 0) for key in keys}}
    if networks:
        document["networks"] = networks
    return document
