"""Sampling shared by the rate monitors (CPU, disk, network; docs/rules.md#state-file,
docs/rules.md#previous-sample).

Under the -k state file's lock: list the running containers chosen by -c/-n, fetch one one-shot
stats sample of each (all requests in flight at once), and pair it with the previous run's sample.
Whether the previous sample is usable comes from the uptime range the Status stands for, else from
the start time (inspect, when the range cannot tell). A container without a usable previous sample
(first run, new, restarted, a counter went back) gets a second sample at once, which the daemon
answers on its next collector tick (~1 s later).
The state keeps the newest sample of each measured container by full ID; the command saves it only
once the run has its values.
"""
import time
from dataclasses import dataclass

from .. import cgroup_stats, cli, containers, metrics
from ..errors import DockerRefused
from ..output import Measurement
from ..state import open_state as open_state_file
from .selection import emit_measurements, or_none, selected_running

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


def samples_of(engine, container_ids):
    """{id: Sample} of one stats round of the containers; those that stopped are left out."""
    samples = {}
    for container_id, stats in engine.stats_many(container_ids).items():
        try:
            sample = metrics.sample_from_stats(stats)
        except ValueError as exc:
            raise DockerRefused(f"Docker daemon at {engine.url}: stats {container_id[:12]}: {exc}") from None
        if sample is not None:
            samples[container_id] = sample
    return samples


def parse_state(data):
    """The kept data of a rate monitor, {"containers": {id: sample}, ...}; ValueError otherwise
    (a single entry that is not a sample is only measured afresh)."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    kept = data.get(STATE_CONTAINERS, {})
    if not isinstance(kept, dict) or not all(isinstance(sample, dict) for sample in kept.values()):
        raise ValueError(f"'{STATE_CONTAINERS}' is not a map of samples")
    return data


def previous_samples(state):
    """{id: Sample} kept by the previous run; entries that are not samples are ignored."""
    kept = (state.previous or {}).get(STATE_CONTAINERS, {})
    samples = {cid: metrics.sample_from_state(data) for cid, data in kept.items()}
    return {cid: sample for cid, sample in samples.items() if sample is not None}


def measure(engine, chosen, previous, listed_at):
    """An Interval for every chosen container still running, in the order given: from its previous
    sample when that continues into this run's sample, else between this sample and a second one.
    No window is shorter than engine.shortest_window_s: a second sample (which the daemon answers
    on its next tick) waits that long, and so does a later sample for a previous one too recent.
    `listed_at` is the monotonic time just before the listing whose Status `chosen` carries."""
    by_id = {container["Id"]: container for container in chosen}
    firsts = samples_of(engine, by_id)
    listed_within_ns = int((time.monotonic() - listed_at) * metrics.NS_PER_S)
    verdicts = {cid: metrics.continuity(previous.get(cid), first, by_id[cid].get("Status"), listed_within_ns)
                for cid, first in firsts.items()}
    asked = [cid for cid, verdict in verdicts.items() if verdict is metrics.Continuity.ASK_START]
    for cid, inspected in engine.per_container(engine.inspect, asked).items():
        verdicts[cid] = metrics.started_by(previous[cid], inspected["State"]["StartedAt"])
    shortest_ns = int(engine.shortest_window_s * metrics.NS_PER_S)
    again = [cid for cid, verdict in verdicts.items() if verdict is metrics.Continuity.NEW_RUN]
    young = [cid for cid, verdict in verdicts.items() if verdict is metrics.Continuity.SAME_RUN
             and firsts[cid].read_ns - previous[cid].read_ns < shortest_ns]
    laters = {}
    if again or young:
        waits = [shortest_ns] * bool(again) + [previous[cid].read_ns + shortest_ns - firsts[cid].read_ns
                                               for cid in young]
        time.sleep(max(waits) / metrics.NS_PER_S)
        laters = samples_of(engine, again + young)
    intervals = []
    for cid, container in by_id.items():
        verdict = verdicts.get(cid)
        if verdict is metrics.Continuity.SAME_RUN and cid not in young:
            intervals.append(Interval(container, previous[cid], firsts[cid]))
        elif cid in laters:
            start = previous[cid] if verdict is metrics.Continuity.SAME_RUN else firsts[cid]
            intervals.append(Interval(container, start, laters[cid]))
    return intervals


def state_data(intervals, **extra):
    """What the state file keeps: the newest sample of each measured container (containers gone
    are dropped), plus the command's own entries."""
    kept = {i.container_id: metrics.sample_to_state(i.after) for i in intervals}
    return {STATE_CONTAINERS: kept, **extra}


def open_state(args, console):
    """The locked -k state file (use with `with`)."""
    return open_state_file(args, console, parse_state)


def container_intervals(args, state):
    """Connect, select and measure: the Intervals of this run, in API order."""
    from ..local_engine import connect_for_counters
    engine = connect_for_counters(args, cgroup_stats.RATE_COUNTERS)
    listed_at = time.monotonic()
    return measure(engine, selected_running(engine, args), previous_samples(state), listed_at)


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
        options=[cli.docker_options, cli.counter_source_options, cli.container_options, cli.state_options,
                 cli.run_timeout_option,
                 value_options],
        main=lambda args, console: run_rate_monitor(args, console, counters(args)),
    )
