"""Pure rules of the process monitor (docs/rules.md#process-count): the -prog/-args pattern, its key
and the count of matching rows of a /top answer. No I/O."""
import re
import warnings

from .containers import short_id
from .errors import DockerError, UsageError

ALL_PROCESSES = ".*"
# `ps -ef` (the daemon's default) says CMD; other ps_args (aux) say COMMAND
COMMAND_TITLES = ("CMD", "COMMAND")


def _compiled(text, option):
    try:
        # Python < 3.11 only warns about what 3.11 refuses (a global flag after the start)
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            return re.compile(text)
    except (re.error, DeprecationWarning) as exc:
        raise UsageError(f"invalid {option} pattern '{text}': {exc}") from None


def process_pattern(prog=None, args=None):
    """(key label, compiled regex) for -prog/-args: `PROG`, or `PROG ARGS` joined by one space with
    PROG defaulting to .*; each part is grouped, so an alternation in PROG does not swallow ARGS."""
    prog = ALL_PROCESSES if prog is None else prog
    if args is None:
        return prog, _compiled(prog, "-prog")
    _compiled(prog, "-prog")
    _compiled(args, "-args")
    return f"{prog} {args}", _compiled(f"(?:{prog}) (?:{args})", "-prog/-args")


def count_processes(top, pattern):
    """How many rows of a /top answer have a command line in which `pattern` is found (re.search)."""
    titles = top.get("Titles") or []
    column = next((titles.index(t) for t in COMMAND_TITLES if t in titles), None)
    if column is None:
        raise DockerError(f"docker top answered no CMD column (titles: {', '.join(titles)})")
    return sum(1 for row in top.get("Processes") or [] if pattern.search(row[column]))


def process_key(label, container_id):
    """`<label>:<12-character container ID>`."""
    return f"{label}:{short_id(container_id, 12)}"
