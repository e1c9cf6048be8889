"""Commands: orchestration only, each reads as acquire -> compute -> emit."""
from .. import containers


def selected_running(engine, args):
    """Running containers chosen by -c/-n, in API order. Only an exact -c/-n lists all containers,
    so that a stopped match selects nothing instead of failing as unknown
    (docs/rules.md#running-only)."""
    exact = any(value and not containers.is_pattern(value)
                for value in (args.container_id, args.container_name))
    listed = engine.containers(all=exact)
    return containers.select_running(listed, args.container_id, args.container_name)
