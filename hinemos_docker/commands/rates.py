"""Sampling shared by the rate monitors (CPU, disk, network; docs/rules.md#state-file,
docs/rules.md#previous-sample).

Under the -k state file's lock: list the running containers chosen by -c/-n, fetch one one-shot
stats sample of each (all requests in flight at once), and pair it with the previous run's sample.
A container without a usable previous sample (first run, new, restarted, a counter went back) gets
a second sample at once, which the daemon answers on its next collector tick (~1 s later).
The state keeps the newest sample of each measured container by full ID; the command saves it only
once the run has its values.
"""
from dataclasses import dataclass

from .. import cli, containers, metrics
from ..errors import DockerError
from ..output import Measurement
from ..state import StateFile
from . import emit_measurements, or_none, selected_running

STATE_CONTAINERS = "containers"


@dataclass(frozen=True)
class Interval:
    """Two samples of one container; `container` is its entry of GET /containers/json."""

    container: dict
    before: metrics.Sample
    after: metrics.Sample

    @property
    def container_id(self):
        return self.container["Id"]

    @property
    def name(self):
        return containers.container_name(self.container)


def sample_of(engine, container_id):
    """One stats Sample of a container, or None when it stopped meanwhile."""
    stats = engine.stats(container_id)
    try:
        return metrics.sample_from_stats(stats)
    except ValueError as exc:
        raise DockerError(f"Docker daemon at {engine.url}: stats {container_id[:12]}: {exc}") from None


def previous_samples(state):
    """{id: Sample} kept by the previous run; entries that are not samples are ignored."""
    kept = state.previous.get(STATE_CONTAINERS)
    if not isinstance(kept, dict):
        return {}
    samples = {cid: metrics.sample_from_state(data) for cid, data in kept.items()}
    return {cid: sample for cid, sample in samples.items() if sample is not None}


def measure(engine, chosen, previous):
    """An Interval for every chosen container still running, all containers at once: from its
    previous sample when that continues into this run's sample, else between this sample and a
    second one asked for as soon as the first arrives (the daemon answers it on its next tick)."""
    def interval(container):
        container_id = container["Id"]
        first = sample_of(engine, container_id)
        if first is None:
            return None
        if metrics.continues(previous.get(container_id), first, container.get("Status")):
            return Interval(container, previous[container_id], first)
        second = sample_of(engine, container_id)
        return Interval(container, first, second) if second is not None else None

    by_id = {container["Id"]: container for container in chosen}
    measured = engine.per_container(lambda container_id: interval(by_id[container_id]), by_id)
    return [measured[container_id] for container_id in by_id if container_id in measured]


def state_data(intervals, **extra):
    """What the state file keeps: the newest sample of each measured container (containers gone
    are dropped), plus the command's own entries."""
    kept = {i.container_id: metrics.sample_to_state(i.after) for i in intervals}
    return {STATE_CONTAINERS: kept, **extra}


def open_state(args, console):
    """The locked -k state file (use with `with`)."""
    return StateFile(args.key_id, cli.state_dir(args), console.warn)


def container_intervals(args, state):
    """Connect, select and measure: the Intervals of this run, in API order."""
    from ..docker_engine import MAX_PARALLEL_REQUESTS, connect
    engine = connect(args, pool_size=MAX_PARALLEL_REQUESTS)
    return measure(engine, selected_running(engine, args), previous_samples(state))


def unmeasured(console, interval, what):
    """Warn that a container gets no line: its two samples give no trustworthy value (it restarted
    between them, or the daemon left a figure out)."""
    console.warn(f"{what}: no value for {interval.name} ({interval.container_id[:12]}): its samples "
                 "do not give one (restarted between them?); it is measured again next run")


def rate_measurements(console, intervals, counters):
    """`<prefix>:<id8>,<per second>` for each (prefix, Sample counter) of each container, in API
    order; a container whose samples give no value for one of them gets no line at all."""
    measurements = []
    for interval in intervals:
        values = [(prefix, metrics.per_second(interval.before, interval.after, counter))
                  for prefix, counter in counters]
        if any(value is None for _, value in values):
            unmeasured(console, interval, ", ".join(prefix for prefix, _ in counters))
            continue
        short = containers.short_id(interval.container_id, 8)
        measurements += [Measurement(f"{prefix}:{short}", value) for prefix, value in values]
    return measurements


def run_rate_monitor(args, console, counters):
    """The whole run of the disk and network monitors: measure, keep the samples, print the rates."""
    with open_state(args, console) as state:
        intervals = container_intervals(args, state)
        measurements = rate_measurements(console, intervals, counters)
        state.save(state_data(intervals))
    emit_measurements(console, args, or_none(args, measurements, [prefix for prefix, _ in counters]))
    return 0


def rate_command(prog, description, value_options, counters):
    """The Command of a monitor printing, per container, the rates `counters(args)` chooses."""
    return cli.Command(
        prog=prog, description=description,
        options=[cli.docker_options, cli.container_options, cli.state_options, value_options],
        main=lambda args, console: run_rate_monitor(args, console, counters(args)),
    )
