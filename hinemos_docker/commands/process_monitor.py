"""MonitorDockerContainerProcess.py: number of processes matching a pattern in each running
container (docs/rules.md#process-count)."""
from .. import cli
from ..errors import ContainerNotRunning
from ..output import count
from ..process_match import ALL_PROCESSES, count_processes, process_key, process_pattern
from .selection import emit_measurements, or_none, selected_running


def _pattern_options(parser):
    group = parser.add_argument_group("process pattern")
    group.add_argument("-prog", "--prog", dest="prog", metavar="PROG",
                       help="regular expression searched in each process's command line "
                            f"(the CMD column of docker top) (default: {ALL_PROCESSES}, every process)")
    group.add_argument("-args", "--args", dest="args", metavar="ARGS",
                       help="regular expression of the arguments: the process counts when "
                            "'PROG ARGS' (joined by one space) is found; without -prog, PROG is "
                            f"{ALL_PROCESSES}. Quote it; write -args=-x when it starts with '-'")


def top_if_running(engine):
    """engine.top that answers None for a container that stopped after the listing."""
    def top(container_id):
        try:
            return engine.top(container_id)
        except ContainerNotRunning:  # stopped between listing and top: skipped
            return None
    return top


def main(args, console):
    label, pattern = process_pattern(args.prog, args.args)
    from ..docker_engine import MAX_PARALLEL_REQUESTS, connect
    engine = connect(args, pool_size=MAX_PARALLEL_REQUESTS)
    selected = [c["Id"] for c in selected_running(engine, args)]
    tops = engine.per_container(top_if_running(engine), selected)
    measurements = [count(process_key(label, cid), count_processes(tops[cid], pattern))
                    for cid in selected if cid in tops]
    emit_measurements(console, args, or_none(args, measurements, [label]))
    return 0


COMMAND = cli.Command(
    prog="MonitorDockerContainerProcess.py",
    description="Number of processes in each running Docker container whose command line matches "
                "a regular expression, as Hinemos custom-monitor lines `PROG:<container ID>,<count>`.",
    options=[cli.docker_options, cli.container_options, cli.run_timeout_option, _pattern_options],
    main=main,
    epilog="output: one line per running container, in the daemon's order, e.g. httpd:4dfd0a12b9de,4\n"
           "exit status: 0 normal (also when a named container is stopped: no line), 1 abnormal "
           "(bad options or pattern, no such container, Docker daemon unreachable)",
)
