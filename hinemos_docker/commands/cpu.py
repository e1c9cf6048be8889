"""MonitorDockerContainerResourceCpu.py (alias MonitorDockerContainerRepositoryCPU.py): CPU usage (%)
of each running container (--all, the default) or of each of its cores (--core); with --with-host
as shares of the whole host, plus the host's own usage over SNMP (docs/rules.md#cpu-usage,
docs/rules.md#previous-sample, docs/rules.md#cgroup-v2)."""
import dataclasses
import time

from .. import cli, metrics
from ..errors import NotSupported
from ..output import percent
from . import rates
from .selection import emit_measurements, or_none

KEY = "cpu_usage"
HOST_KEY = f"{KEY}:host"
STATE_HOST = "host_cpu"
# snmpd refreshes its ssCpuRaw* counters about every 5 s: a first run waits for one refresh
HOST_REFRESH_WAIT = 6.0
HOST_POLL_INTERVAL = 0.25


def _mode_options(parser):
    group = parser.add_argument_group("mode")
    modes = group.add_mutually_exclusive_group()
    modes.add_argument("--all", dest="mode", action="store_const", const="all",
                       help=f"{KEY}:<container name> per container: 100 x CPU seconds per second, "
                            "all cores together (default; not with --core)")
    modes.add_argument("--core", dest="mode", action="store_const", const="core",
                       help=f"{KEY}#<core>:<container name> per core of each container, cores from 0 "
                            "(cgroup v1 hosts only; not with --all)")
    group.add_argument("--with-host", action="store_true",
                       help="print every container's value as a share of the whole host (divided by "
                            f"its online CPUs) and add {HOST_KEY}, read over SNMP (-sv/-sc/-sp); "
                            "not with -c, -n or --core")
    parser.set_defaults(mode="all")
    parser.add_rule(cli.EXCLUDES, ("with_host", "container_id", "container_name", "mode"),
                    "--with-host cannot be combined with -c, -n or --core")


def container_measurements(console, intervals, mode, with_host):
    """The cpu_usage lines of each container, in API order; cores ascending within a container."""
    measurements = []
    for interval in intervals:
        before, after = interval.before, interval.after
        if mode == "core":
            if after.percpu is None:
                raise NotSupported("the Docker host uses cgroup v2, which reports no per-CPU usage: "
                                 "--core is not available there (use --all)")
            values = metrics.cpu_percent_per_core(before, after)
            if values is None:
                rates.unmeasured(console, interval, KEY)
                continue
            measurements += [percent(f"{KEY}#{core}:{interval.name}", value)
                             for core, value in enumerate(values)]
            continue
        value = metrics.cpu_percent(before, after)
        if value is not None and with_host:
            value = metrics.share_of_host(value, after.online_cpus)
        if value is None:
            rates.unmeasured(console, interval, KEY)
            continue
        measurements.append(percent(f"{KEY}:{interval.name}", value))
    return measurements


def host_usage(args, console, kept, first, first_at):
    """(host CPU percent or None, newest ssCpuRaw* counters): from the previous run's counters, else
    from `first` (read at monotonic `first_at`) and the agent's next refresh of its counters."""
    before = metrics.host_counters_from_state(kept)
    if before is not None:
        value = metrics.host_cpu_percent(before, first)
        if value is not None:
            return value, first
    from ..snmp import host_cpu_counters
    while time.monotonic() < first_at + HOST_REFRESH_WAIT:
        time.sleep(HOST_POLL_INTERVAL)
        later = host_cpu_counters(args)
        if later != first:
            value = metrics.host_cpu_percent(first, later)
            if value is None:
                console.warn(f"{HOST_KEY}: the SNMP agent's CPU counters went back (agent restarted?); "
                             "no host value this time")
            return value, later
    console.warn(f"{HOST_KEY}: the SNMP agent's CPU counters did not change within "
                 f"{HOST_REFRESH_WAIT:.0f} s; no host value this time")
    return None, first


def main(args, console):
    with rates.open_state(args, console) as state:
        if args.with_host:
            from ..snmp import host_cpu_counters
            host_first, host_first_at = host_cpu_counters(args), time.monotonic()
        intervals = rates.container_intervals(args, state)
        measurements = or_none(args, container_measurements(console, intervals, args.mode, args.with_host),
                               [KEY])
        extra = {}
        if args.with_host:
            host_value, extra[STATE_HOST] = host_usage(args, console, (state.previous or {}).get(STATE_HOST),
                                                       host_first, host_first_at)
            if host_value is not None:
                measurements.append(percent(HOST_KEY, host_value))
        state.save(rates.state_data(intervals, **extra))
    emit_measurements(console, args, measurements)
    return 0


COMMAND = cli.Command(
    prog="MonitorDockerContainerResourceCpu.py",
    description="CPU usage (%) of each running Docker container as Hinemos custom-monitor lines "
                f"`{KEY}:<container name>,<percent>` (--all, default) or per core (--core), computed "
                "against the previous run's sample kept under -k (a first run samples twice, ~1 s "
                "apart). 100 means one core fully busy; --with-host rescales to the whole host.",
    options=[cli.docker_options, cli.counter_source_options, cli.container_options, cli.state_options,
             cli.run_timeout_option,
             cli.snmp_options, _mode_options],
    main=main,
)

# the name the manual's usage line prints (docs/rules.md#script-names)
ALIAS_COMMAND = dataclasses.replace(COMMAND, prog="MonitorDockerContainerRepositoryCPU.py")
