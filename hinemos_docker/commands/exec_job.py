"""JobDockerContainerCommand.py: run a command in one running container through the Exec API;
its stdout and stderr pass through as they come and its exit code is ours
(docs/rules.md#command-words, docs/rules.md#one-container-jobs)."""
import codecs
import secrets
import shlex
import signal
import time

from .. import cli, jobs
from ..containers import container_name, container_state, short_id
from ..errors import DockerRefused, HinemosDockerError, Interrupted, UsageError, WrongContainerState


def _command_options(parser):
    parser.add_argument("--shell", action="store_true",
                        help="run COMMAND with sh -c in the container (pipes, redirections, $VARS); "
                             "by default it is split like a shell would and run without one")
    parser.add_argument("command", metavar="COMMAND",
                        help='the command line to run, one argument (quote it: "find /root")')


def command_vector(command, shell=False):
    """The exec command vector of the COMMAND argument (docs/rules.md#command-words)."""
    if shell:
        return ["sh", "-c", command]
    try:
        vector = shlex.split(command)
    except ValueError as exc:
        raise UsageError(f"cannot split COMMAND {command!r}: {exc}") from None
    if not vector:
        raise UsageError("COMMAND is empty")
    return vector


class Passthrough:
    """One output stream of the command onto ours, flushed per chunk: raw bytes where our stream has
    a binary buffer (Hinemos decodes them with its own job.stream.charset), UTF-8 text otherwise."""

    def __init__(self, stream):
        self.stream = stream
        self.binary = getattr(stream, "buffer", None)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def write(self, data):
        try:
            if self.binary is not None:
                self.stream.flush()
                self.binary.write(data)
                self.binary.flush()
            else:
                self.stream.write(self.decoder.decode(data))
                self.stream.flush()
        except BrokenPipeError:
            raise cli.StdoutClosed() from None


def pass_through(chunks, console):
    """Copy the command's output to ours as it comes; return the first stdout chunk held back when
    it may be the runtime's refusal to start the command (b"" when nothing is held)."""
    out, err = Passthrough(console.out), Passthrough(console.err)
    held = b""
    for index, (stdout, stderr) in enumerate(chunks):
        if index == 0 and stdout and stdout.startswith(jobs.EXEC_FAILURE_MARK.encode()):
            held = stdout
            continue
        if held:
            out.write(held)
            held = b""
        if stdout:
            out.write(stdout)
        if stderr:
            err.write(stderr)
    return held


# after the job's own signal, how long its command may take to end before it is killed
STOP_GRACE_SECONDS = 5.0


def stop_command(engine, container_id, exec_id, mark, signum, warn):
    """Send the job's signal to every process of the command in the container, give the command
    STOP_GRACE_SECONDS to end, then SIGKILL whatever is left of it (a child that ignores the signal,
    as background jobs of sh ignore SIGINT): a stopped job leaves nothing behind."""
    try:
        engine.exec_run(container_id, jobs.signal_marked_vector(mark, signal.Signals(signum).name[3:]))
        ends = time.monotonic() + STOP_GRACE_SECONDS
        while engine.exec_inspect(exec_id).get("Running") and time.monotonic() < ends:
            time.sleep(0.1)
        engine.exec_run(container_id, jobs.signal_marked_vector(mark, "KILL"))
    except HinemosDockerError as exc:
        warn(f"could not stop the command in the container: {exc}")


def main(args, console):
    from ..docker_engine import connect
    vector = command_vector(args.command, args.shell)
    engine = connect(args)
    container = jobs.select_one(engine.containers(all=True), args.container_id, args.container_name)
    state = container_state(container)
    if state != "running":
        raise WrongContainerState(f"container {short_id(container['Id'])} {container_name(container)} "
                                  f"is {state}: a command runs only in a running container")
    mark = jobs.exec_mark(secrets.token_hex(8))
    exec_id = engine.exec_create(container["Id"], vector, environment=[mark])
    try:
        held = pass_through(engine.exec_stream(exec_id), console)
    except DockerRefused as exc:  # a newer daemon refuses the command at exec start
        failure = jobs.exec_start_failure(exc.reason)
        if failure is None:
            raise
        raise jobs.command_not_started(container, failure) from exc
    except Interrupted as stopped:
        stop_command(engine, container["Id"], exec_id, mark, stopped.signum, console.warn)
        raise
    code = engine.exec_exit_code(exec_id)
    if held:
        failure = jobs.exec_start_failure(held.decode("utf-8", "replace"), code)
        if failure is not None:
            raise jobs.command_not_started(container, failure)
        Passthrough(console.out).write(held)
    if code is None:
        raise DockerRefused(f"the Docker daemon at {engine.url} did not report the command's exit code")
    return code


COMMAND = cli.Command(
    prog="JobDockerContainerCommand.py",
    description="Run COMMAND in one running container (Docker Exec API) for a Hinemos command job: "
                "its stdout and stderr pass through separately and its exit code is the script's.",
    options=[cli.docker_options, cli.required_container_options, _command_options],
    main=main,
    unrecognized_hint='COMMAND is one argument: quote the whole command line, e.g. "find /root"',
    epilog="exit status: the command's own; 128 + the signal's number when the job is stopped "
           "(SIGTERM 143, SIGINT 130: its command in the container is stopped too); 127 when the "
           "command is not found in the container, 126 when it cannot be executed; 1 for the "
           "script's own errors (bad options, no or several matching containers, a container that "
           "is not running, Docker unreachable)",
)
