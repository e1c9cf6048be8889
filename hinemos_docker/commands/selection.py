"""The container selection the monitors share: what -c/-n choose, and what a run with nothing
selected prints."""
from .. import containers
from ..output import emit, none_measurements


def exact_selection(args):
    """Whether -c/-n names one container (no trailing *)."""
    return any(value and not containers.is_pattern(value)
               for value in (args.container_id, args.container_name))


def selected_running(engine, args):
    """Running containers chosen by -c/-n, in API order. Only an exact -c/-n lists all containers,
    so that a stopped match selects nothing instead of failing as unknown
    (docs/rules.md#running-only)."""
    exact = exact_selection(args)
    listed = engine.containers(all=exact)
    return containers.select_running(listed, args.container_id, args.container_name)


def or_none(args, measurements, prefixes):
    """The container measurements, or one `<prefix>:(none),0` line per key prefix when a pattern or
    whole-host run has none: Hinemos turns empty stdout into UNKNOWN every interval. An exact
    -c/-n naming a stopped container still prints nothing."""
    if measurements or exact_selection(args):
        return measurements
    return none_measurements(prefixes)


def emit_measurements(console, args, measurements):
    """Print through output.emit; the per-container remedy of its buffer warning only when the
    run does not already select one container."""
    return emit(console, measurements, per_container_helps=not exact_selection(args))
