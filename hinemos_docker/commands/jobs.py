"""JobDockerContainerStart/Stop/Restart/Rm.py: operate on the containers -c/-n select, one line
per container, exit 0, 9 or 1 (docs/rules.md#job-lines, docs/rules.md#job-states)."""
from .. import cli, jobs
from ..errors import DockerRefused

DEFAULT_WAIT = 10  # seconds, Docker's own default (docs/rules.md#job-wait)


def _wait_option(parser):
    parser.add_argument("-t", "--wait", metavar="WAIT", type=cli.positive_seconds, default=DEFAULT_WAIT,
                        help="seconds Docker waits for the container to stop before killing it "
                             f"(default: {DEFAULT_WAIT}; 0 kills at once)")


def _rm_options(parser):
    parser.add_argument("-f", "--force", action="store_true",
                        help="remove containers in any state, killing running ones (default: only "
                             "exited containers are removed; others are reported as Failed)")
    parser.add_argument("-l", "--link", action="store_true",
                        help="remove the links other containers hold to the selected containers "
                             "(docker rm --link) instead of the containers themselves")
    parser.add_argument("-v", "--volumes", action="store_true",
                        help="also remove the anonymous volumes of the removed containers")


def _act(operation, engine, container, args):
    container_id = container["Id"]
    if operation == "start":
        engine.start(container_id)
    elif operation in ("stop", "restart"):
        getattr(engine, operation)(container_id, args.wait)
    elif args.link:
        for link in jobs.link_names(container):
            engine.remove(link, link=True)
    else:
        engine.remove(container_id, force=args.force, volumes=args.volumes)


def _result(operation, engine, container, args):
    """The container's result; a refusal by the daemon is a Failed line, an unreachable daemon
    ends the job (exit 1)."""
    decided = jobs.plan(operation, container, force=getattr(args, "force", False),
                        link=getattr(args, "link", False))
    if decided is not None:
        return decided
    try:
        _act(operation, engine, container, args)
    except DockerRefused as exc:
        return jobs.failed(container, exc.reason)
    return jobs.succeeded(container)


def run_job(operation, args, console):
    """Select, then act on each container in API order, printing its line as soon as it is known
    (Hinemos shows the output of a job that was cut short too)."""
    from ..docker_engine import connect
    engine = connect(args)
    targets = jobs.select_targets(engine.containers(all=True), args.container_id, args.container_name)
    results = []
    for container in targets:
        result = _result(operation, engine, container, args)
        console.print(result.line)
        console.out.flush()
        results.append(result)
    return jobs.exit_code(results)


_EPILOG = ("output: one line per selected container: '<id12> <name> Success', "
           "'<id12> <name> Failed: <reason>' or '<id12> <name> Skip (<state>)'\n"
           "exit status: 0 no container failed, 9 one or more failed, "
           "1 abnormal end (bad options, no match, Docker unreachable)")


def _command(operation, prog, description, extra_options=()):
    return cli.Command(
        prog=prog,
        description=description,
        options=[cli.docker_options, cli.required_container_options, *extra_options],
        main=lambda args, console: run_job(operation, args, console),
        epilog=_EPILOG,
    )


START_COMMAND = _command(
    "start", "JobDockerContainerStart.py",
    "Start the selected containers that are exited (never-started ones included); others are skipped.")
STOP_COMMAND = _command(
    "stop", "JobDockerContainerStop.py",
    "Stop the selected containers that are running; others are skipped.", [_wait_option])
RESTART_COMMAND = _command(
    "restart", "JobDockerContainerRestart.py",
    "Restart the selected containers that are running; others are skipped.", [_wait_option])
RM_COMMAND = _command(
    "rm", "JobDockerContainerRm.py",
    "Remove the selected containers that are exited; without -f any other is reported as Failed.",
    [_rm_options])
