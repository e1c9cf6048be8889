"""Pure memory formulas of MonitorDockerContainerResourceMemory.py (docs/rules.md#memory-usage).

Inputs are the JSON of one-shot stats, of inspect and of /info, and the host's UCD-SNMP memory
values (KB); no I/O here.
"""
KB = 1024


def rss(sample):
    """Bytes of anonymous memory: `rss` on cgroup v1, `anon` on cgroup v2; None when the sample has
    no memory figures (the container stopped between listing and stats)."""
    stats = (sample.get("memory_stats") or {}).get("stats") or {}
    for key in ("rss", "anon"):
        if isinstance(stats.get(key), int):
            return stats[key]
    return None


def memory_limit(inspect, mem_total):
    """The container's memory limit in bytes (HostConfig.Memory; Config.Memory before API 1.19),
    or the host's MemTotal when it has none (Docker says 0)."""
    limit = (inspect.get("HostConfig") or {}).get("Memory") or (inspect.get("Config") or {}).get("Memory")
    return limit or mem_total


def usage_percent(used, total):
    """100 × used / total."""
    return 100.0 * used / total


def host_used_bytes(host_kb):
    """Memory the host uses for processes: memTotalReal − memAvailReal − memBuffer − memCached, KB
    to bytes (memAvailReal tracks MemFree, so buffers and page cache are taken out separately)."""
    return (host_kb["total"] - host_kb["avail"] - host_kb["buffer"] - host_kb["cached"]) * KB


def host_excluding_containers(host_kb, container_rss_sum):
    """(percent, clamped): 100 × (used − Σ rss) / total. The two figures are read at different
    moments (snmpd caches its values for seconds), so a negative difference is clamped to 0 and
    reported as clamped."""
    other = host_used_bytes(host_kb) - container_rss_sum
    return usage_percent(max(other, 0), host_kb["total"] * KB), other < 0


def memory_details(sample):
    """The raw integer pairs of memory_stats.stats, sorted by key."""
    stats = (sample.get("memory_stats") or {}).get("stats") or {}
    return sorted((key, value) for key, value in stats.items()
                  if isinstance(value, int) and not isinstance(value, bool))
