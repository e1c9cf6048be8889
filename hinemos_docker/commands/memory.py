"""MonitorDockerContainerResourceMemory.py: memory usage of each running container relative to the
host (default) or to its limit (--container), the host's usage excluding the containers
(--with-host, over SNMP), or the raw cgroup figures (--all) (docs/rules.md#memory-usage)."""
from .. import cgroup_stats, cli, containers, memory
from ..output import count, percent
from .selection import emit_measurements, or_none, selected_running

KEY_PREFIX = "host_mem_usage"
HOST_KEY = f"{KEY_PREFIX}:host"


def _mode_options(parser):
    group = parser.add_argument_group("mode (default: usage relative to the host's memory)")
    group.add_argument("--container", action="store_true",
                       help="usage relative to the container's memory limit (the host's memory when "
                            "it has none)")
    group.add_argument("--with-host", action="store_true",
                       help=f"add {HOST_KEY}: the host's memory usage excluding all running "
                            "containers, read over SNMP (-sv/-sc/-sp)")
    group.add_argument("--all", action="store_true",
                       help="print the raw memory_stats.stats figures (keys suffixed :<ID> when the "
                            "selection can hold several containers); not with --container/--with-host")
    parser.add_rule(cli.EXCLUDES, ("all", "container", "with_host"),
                    "--all cannot be combined with --container or --with-host")


def container_key(container_id):
    return f"{KEY_PREFIX}:{containers.short_id(container_id, 8)}"


def detail_measurements(samples, suffixed):
    """Integer lines of each sample's memory_stats.stats, keys sorted per container, `<key>:<id8>`
    when `suffixed`."""
    return [count(f"{key}:{containers.short_id(cid, 8)}" if suffixed else key, value)
            for cid, sample in samples.items() for key, value in memory.memory_details(sample)]


def usage_measurements(rss_by_id, denominators):
    """`host_mem_usage:<id8>` = 100 × rss / denominator for each container."""
    return [percent(container_key(cid), memory.usage_percent(rss, denominators[cid]))
            for cid, rss in rss_by_id.items()]


def _host_line(args, console, rss_sum):
    from ..snmp import host_memory
    value, clamped = memory.host_excluding_containers(host_memory(args), rss_sum)
    if clamped:
        console.warn(f"{HOST_KEY}: the containers' rss exceeds the host's used memory "
                     "(figures read at different moments); printed as 0")
    return percent(HOST_KEY, value)


def main(args, console):
    from ..local_engine import connect_for_counters
    engine = connect_for_counters(args, cgroup_stats.MEMORY_COUNTERS)
    selected = [c["Id"] for c in selected_running(engine, args)]
    running = selected
    if args.with_host:
        # the host line subtracts every running container, whatever -c/-n selects
        running = list(dict.fromkeys(selected + [c["Id"] for c in engine.containers()]))
    samples = engine.stats_many(running)
    if args.all:
        # plain keys only when -c/-n designates one container, so keys never change with the
        # number of containers that happen to run
        selection = args.container_id or args.container_name
        suffixed = not selection or containers.is_pattern(selection)
        details = detail_measurements({cid: samples[cid] for cid in selected if cid in samples}, suffixed)
        emit_measurements(console, args, or_none(args, details, [KEY_PREFIX]))
        return 0
    rss_all = {cid: memory.rss(samples[cid]) for cid in running if cid in samples}
    rss_all = {cid: rss for cid, rss in rss_all.items() if rss is not None}  # stopped meanwhile
    rss_selected = {cid: rss_all[cid] for cid in selected if cid in rss_all}
    mem_total = engine.info()["MemTotal"]
    if args.container:
        inspected = engine.per_container(engine.inspect, rss_selected)
        rss_selected = {cid: rss for cid, rss in rss_selected.items() if cid in inspected}
        denominators = {cid: memory.memory_limit(inspected[cid], mem_total) for cid in rss_selected}
    else:
        denominators = dict.fromkeys(rss_selected, mem_total)
    measurements = or_none(args, usage_measurements(rss_selected, denominators), [KEY_PREFIX])
    if args.with_host:
        measurements.append(_host_line(args, console, sum(rss_all.values())))
    emit_measurements(console, args, measurements)
    return 0


COMMAND = cli.Command(
    prog="MonitorDockerContainerResourceMemory.py",
    description="Memory usage (%) of each running Docker container, as Hinemos custom-monitor lines "
                f"`{KEY_PREFIX}:<container ID>,<percent>`: rss relative to the host's memory (default) "
                "or to the container's limit (--container), plus the host excluding the containers "
                "(--with-host), or the raw memory figures (--all).",
    options=[cli.docker_options, cli.counter_source_options, cli.container_options, cli.run_timeout_option,
             cli.snmp_options,
             _mode_options],
    main=main,
    epilog="output: one line per running container, in the daemon's order, e.g. "
           f"{KEY_PREFIX}:4dfd0a12,0.24; --with-host adds {HOST_KEY},<percent>; --all prints "
           "one <figure>[:<ID>],<integer> line per memory figure\n"
           "exit status: 0 normal (also when a named container is stopped: no line), 1 abnormal "
           "(bad options, no such container, Docker daemon or SNMP agent unreachable)",
)
