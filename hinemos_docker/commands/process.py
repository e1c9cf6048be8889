"""MonitorDockerContainerProcess.py: number of processes matching a pattern in each running
container (SEED-SPEC 3.7, DECISIONS 21-22)."""
import re

from .. import cli, containers
from ..errors import DockerError, UsageError
from ..output import count, emit

ALL_PROCESSES = ".*"
# `ps -ef` says CMD; other ps_args (aux) and some daemons say COMMAND
COMMAND_TITLES = ("CMD", "COMMAND")


def _pattern_options(parser):
    group = parser.add_argument_group("process pattern")
    group.add_argument("-prog", "--prog", dest="prog", metavar="PROG",
                       help="regular expression searched in each process's command line "
                            f"(the CMD column of docker top) (default: {ALL_PROCESSES}, every process)")
    group.add_argument("-args", "--args", dest="args", metavar="ARGS",
                       help="regular expression of the arguments: the process counts when "
                            "'PROG ARGS' (joined by one space) is found; without -prog, PROG is "
                            f"{ALL_PROCESSES}. Quote it; write -args=-x when it starts with '-'")


def _compiled(text, option):
    try:
        return re.compile(text)
    except re.error as exc:
        raise UsageError(f"invalid {option} pattern '{text}': {exc}") from None


def process_pattern(prog=None, args=None):
    """(key label, compiled regex) for -prog/-args: `PROG` or `PROG ARGS`; each part is grouped, so
    an alternation in PROG does not swallow ARGS."""
    prog = ALL_PROCESSES if prog is None else prog
    _compiled(prog, "-prog")
    if args is None:
        return prog, re.compile(prog)
    _compiled(args, "-args")
    return f"{prog} {args}", _compiled(f"(?:{prog}) (?:{args})", "-prog/-args")


def count_processes(top, pattern):
    """How many rows of a /top answer have a command line in which `pattern` is found."""
    titles = top.get("Titles") or []
    column = next((titles.index(t) for t in COMMAND_TITLES if t in titles), None)
    if column is None:
        raise DockerError(f"docker top answered no CMD column (titles: {', '.join(titles)})")
    return sum(1 for row in top.get("Processes") or [] if pattern.search(row[column]))


def process_key(label, container_id):
    return f"{label}:{containers.short_id(container_id, 12)}"


def _top_while_running(engine):
    def top(container_id):
        try:
            return engine.top(container_id)
        except DockerError as exc:
            if "is not running" in exc.reason:  # stopped between listing and top: skipped
                return None
            raise
    return top


def main(args, console):
    label, pattern = process_pattern(args.prog, args.args)
    from ..docker_engine import MAX_PARALLEL_REQUESTS, connect
    engine = connect(args, pool_size=MAX_PARALLEL_REQUESTS)
    listed = engine.containers(all=bool(args.container_id or args.container_name))
    selected = [c["Id"] for c in containers.select_running(listed, args.container_id, args.container_name)]
    tops = engine.per_container(_top_while_running(engine), selected)
    emit(console, [count(process_key(label, cid), count_processes(tops[cid], pattern))
                   for cid in selected if cid in tops])
    return 0


COMMAND = cli.Command(
    prog="MonitorDockerContainerProcess.py",
    description="Number of processes in each running Docker container whose command line matches "
                "a regular expression, as Hinemos custom-monitor lines `PROG:<container ID>,<count>`.",
    options=[cli.docker_options, cli.container_options, _pattern_options],
    main=main,
)
