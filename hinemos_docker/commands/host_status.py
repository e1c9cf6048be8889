"""MonitorDockerHostStatus.py: daemon alive, containers per state, disk usage (docs/rules.md#host-status)."""
from .. import cli, containers
from ..errors import DockerError
from ..output import count, emit


def _mode_options(parser):
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--status", dest="mode", action="store_const", const="status",
                       help="print Status,0 when the Docker daemon answers, Status,1 otherwise (default)")
    group.add_argument("--count", dest="mode", action="store_const", const="count",
                       help="print the number of containers per state")
    group.add_argument("--size", dest="mode", action="store_const", const="size",
                       help="print the bytes used by all images and by the containers of each state")
    parser.set_defaults(mode="status")


def daemon_status(args):
    """0 when GET /_ping answers OK, 1 on any failure: the measurement itself succeeded."""
    from ..docker_engine import connect
    try:
        return 0 if connect(args).ping() else 1
    except DockerError:
        return 1


def main(args, console):
    if args.mode == "status":
        emit(console, [count("Status", daemon_status(args))])
        return 0
    from ..docker_engine import connect
    engine = connect(args)
    if args.mode == "count":
        per_state = containers.count_by_state(engine.containers(all=True))
        emit(console, [count(state, n) for state, n in per_state.items()])
    else:
        image_bytes = sum(image.get("Size") or 0 for image in engine.images())
        per_state = containers.size_by_state(engine.containers(all=True, size=True))
        emit(console, [count("image", image_bytes)] + [count(s, n) for s, n in per_state.items()])
    return 0


COMMAND = cli.Command(
    prog="MonitorDockerHostStatus.py",
    description="Docker host state for a Hinemos custom monitor: daemon alive (--status, default), "
                "containers per state (--count) or disk usage in bytes (--size).",
    options=[cli.docker_options, cli.run_timeout_option, _mode_options],
    main=main,
)
