"""Pure rules of the job scripts (docs/rules.md#job-states): which containers a job acts on,
skips or fails by state, the result lines and the exit code, the command's start failure, the
download's tar file name and its `tar -tv` listing.

No I/O: everything works on the JSON of GET /containers/json, on exec output and on tarfile members.
"""
import re
import stat
import tarfile
from dataclasses import dataclass
from datetime import datetime

from .containers import container_name, container_state, select, short_id
from .errors import AmbiguousContainer, CommandNotStarted, ContainerNotFound, ExitCode

# the one state each operation acts on (docs/rules.md#job-states); rm -f acts on every state
TARGET_STATE = {"start": "exited", "stop": "running", "restart": "running", "rm": "exited"}
SUCCESS, FAILED, SKIP = "Success", "Failed", "Skip"


@dataclass(frozen=True)
class Result:
    """What a job did to one container: Success, Failed (with the reason) or Skip (with the state)."""

    container_id: str
    name: str
    outcome: str
    detail: str = ""

    @property
    def line(self):
        head = f"{short_id(self.container_id)} {self.name}"
        if self.outcome == FAILED:
            return f"{head} Failed: {self.detail}"
        if self.outcome == SKIP:
            return f"{head} Skip ({self.detail})"
        return f"{head} Success"


def succeeded(container):
    return Result(container["Id"], container_name(container), SUCCESS)


def failed(container, reason):
    # a reason may be a multi-line daemon message; the result stays one line
    return Result(container["Id"], container_name(container), FAILED, " ".join(str(reason).split()))


def skipped(container, why):
    return Result(container["Id"], container_name(container), SKIP, why)


def link_names(container):
    """The links other containers hold to this one, as Docker names them: `/<parent>/<alias>`."""
    return [name for name in container.get("Names") or [] if "/" in name.lstrip("/")]


def plan(operation, container, force=False, link=False):
    """The result decided without calling Docker, or None when the job acts on the container.

    start acts on exited containers (a never-started `Created` one included: it is exited in the
    four-state model of docs/rules.md#container-state), stop and restart on running ones, rm on
    exited ones or on every state with -f; other states are skipped, except that rm without -f fails.
    rm -l removes the container's links in any state, and skips a container that has none.
    """
    state = container_state(container)
    if operation == "rm" and link:
        return None if link_names(container) else skipped(container, "no links")
    if state == TARGET_STATE[operation] or (operation == "rm" and force):
        return None
    if operation == "rm":
        return failed(container, f"container is {state}; -f removes it")
    return skipped(container, state)


def exit_code(results):
    """0 when no container failed, 9 when one or more failed (skips are not failures)."""
    if any(result.outcome == FAILED for result in results):
        return ExitCode.PARTIAL_FAILURE
    return ExitCode.OK


# ---- selection ------------------------------------------------------------------------------

def _wanted(container_id, name):
    return ("container ID", container_id) if container_id is not None else ("container name", name)


def select_targets(containers, container_id=None, name=None):
    """The containers -c/-n choose (the command line gives one of them), in API order; choosing none
    is an error for a job."""
    chosen = select(containers, container_id, name)
    if not chosen:
        what, value = _wanted(container_id, name)
        raise ContainerNotFound(f"no container matches {what} '{value}'")
    return chosen


def select_one(containers, container_id=None, name=None):
    """The single container the command and download jobs act on (docs/rules.md#one-container-jobs)."""
    chosen = select_targets(containers, container_id, name)
    if len(chosen) > 1:
        what, value = _wanted(container_id, name)
        names = ", ".join(container_name(c) for c in chosen)
        raise AmbiguousContainer(f"{what} '{value}' matches {len(chosen)} containers ({names}); "
                         "this script acts on exactly one")
    return chosen[0]


# ---- command job ----------------------------------------------------------------------------

EXEC_FAILURE_MARK = "OCI runtime exec failed"
# the runtime names the command last: ...: exec: "nosuch": executable file not found in $PATH: unknown
_EXEC_REASON_RE = re.compile(r'.*exec: (?P<reason>.+?)(?:: unknown)?\s*$', re.S)


def exec_start_failure(message, exit_code=None):
    """(exit code, reason) when `message` is the runtime's refusal to start the command, else None.

    Docker 20.10 answers a command it cannot start with exit code 126 and this message in the
    output stream; newer daemons may raise it from exec start instead. The code becomes 127 for
    a command not found and 126 for one that cannot be executed, as a shell reports them.
    """
    if EXEC_FAILURE_MARK not in message:
        return None
    if exit_code is not None and exit_code not in (ExitCode.COMMAND_NOT_EXECUTABLE,
                                                   ExitCode.COMMAND_NOT_FOUND):
        return None
    match = _EXEC_REASON_RE.match(message)
    reason = match.group("reason") if match else message.strip()
    not_found = "not found" in reason or "no such file" in reason.lower()
    return (ExitCode.COMMAND_NOT_FOUND if not_found else ExitCode.COMMAND_NOT_EXECUTABLE), reason


# The Exec API has no way to signal an exec; the job's command carries this variable (inherited by
# every process it starts) so that a second exec can find and signal all of them by it
EXEC_MARK_VARIABLE = "HINEMOS_DOCKER_JOB"


def exec_mark(token):
    """The environment entry that marks the processes of one command job."""
    return f"{EXEC_MARK_VARIABLE}={token}"


def signal_marked_vector(mark, signal_name):
    """The exec command (busybox or coreutils sh) that sends `signal_name` to every process whose
    environment holds `mark`; the signalling shell has no such variable, so it spares itself."""
    script = ('for p in /proc/[0-9]*; do '
              'tr "\\0" "\\n" < "$p/environ" 2>/dev/null | grep -qxF "$1" && kill -s "$2" "${p#/proc/}"; '
              'done; exit 0')
    return ["sh", "-c", script, "signal-job", mark, signal_name]


def command_not_started(container, failure):
    """The error for a command the runtime refused to start: one line, the shell's exit code."""
    code, reason = failure
    return CommandNotStarted(f"cannot run the command in {short_id(container['Id'])} "
                             f"{container_name(container)}: {reason}", code)


# ---- download job ---------------------------------------------------------------------------

def container_path(source):
    """SOURCE as an absolute path: Docker reads a relative one from the container's root."""
    return source if source.startswith("/") else f"/{source}"


def archive_name(name, source):
    """`<container name><SOURCE with each '/' replaced by '_'>.tar` (docs/rules.md#download-file-name);
    a relative SOURCE counts from the root (`root` -> `<name>_root.tar`, as `/root`)."""
    return f"{name}{container_path(source).replace('/', '_')}.tar"


_TYPE_CHAR = {tarfile.DIRTYPE: "d", tarfile.SYMTYPE: "l", tarfile.LNKTYPE: "h",
              tarfile.CHRTYPE: "c", tarfile.BLKTYPE: "b", tarfile.FIFOTYPE: "p"}


_NAME_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b",
                 "\f": "\\f", "\v": "\\v"}


def escaped_name(name):
    """A member name as GNU tar lists it: a backslash or a control character as a C escape (`\\n`,
    `\\177`), so that a file name in the container can never forge a line of the listing; the
    Unicode line and paragraph separators are escaped too (`\\u2028`)."""
    return "".join(_escaped_char(c) for c in name)


def _escaped_char(c):
    if c in _NAME_ESCAPES:
        return _NAME_ESCAPES[c]
    code = ord(c)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\{code:03o}"
    if c in "\u2028\u2029":
        return f"\\u{code:04x}"
    return c


def listing_line(member, tz=None):
    """`<mode> <uid>/<gid> <size> <YYYY-MM-DD HH:MM:SS> <name>` like `tar -tv --numeric-owner
    --full-time`: directories end with '/', links show their target, names escaped as tar does;
    times in `tz` (default local).
    """
    # Docker's tar writer keeps the file-type bits in the mode, GNU tar does not: use the member type
    mode = _TYPE_CHAR.get(member.type, "-") + stat.filemode(member.mode & 0o7777)[1:]
    when = datetime.fromtimestamp(member.mtime, tz).strftime("%Y-%m-%d %H:%M:%S")
    name = escaped_name(member.name)
    if member.isdir() and not name.endswith("/"):
        name += "/"
    if member.issym():
        name += f" -> {escaped_name(member.linkname)}"
    elif member.islnk():
        name += f" link to {escaped_name(member.linkname)}"
    return f"{mode} {member.uid}/{member.gid} {member.size} {when} {name}"
