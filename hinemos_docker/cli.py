"""Command-line harness: each shared option is defined once here, and run() is the only place
where exceptions become exit codes and one-line stderr messages.

A script is a Command: its documented name, its option groups and a main(args, console).
"""
import argparse
import importlib.util
import os
import re
import shutil
import signal
import stat
import sys
import textwrap
import threading
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable, Optional

from . import manager_url, urls
from .deadline import NO_DEADLINE, Deadline
from .errors import ExitCode, HinemosDockerError, Interrupted, LocalFileError, UsageError
from .urls import has_credentials, without_credentials

DEFAULT_HINEMOS_URL = "http://127.0.0.1:8080/HinemosWS"
DEFAULT_HINEMOS_USER = "hinemos"
DEFAULT_HINEMOS_PASSWORD = "hinemos"
DEFAULT_STATE_DIR = "/tmp"
DEFAULT_MANAGER_READS = 8
DEFAULT_HOSTS_IN_FLIGHT = 8
DEFAULT_FILE_MODE = 0o600
# the Hinemos agent gives a custom monitor's command 15 s (its default); a monitor ends before that
DEFAULT_DOCKER_TIMEOUT = 10
DEFAULT_RUN_TIMEOUT = 12
# signals that stop a script as a person or Hinemos (stopping a job) sends them
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
KEY_ID_RE = re.compile(r"^[A-Za-z0-9._@-]+$")


class StdoutClosed(Exception):
    """The reader of stdout went away (`| head`): not an error to report."""


class Console:
    """The script's stdout/stderr; injected so tests run scripts in-process."""

    def __init__(self, prog, stdout, stderr):
        self.prog = prog
        self.out = stdout
        self.err = stderr

    def print(self, line=""):
        try:
            self.out.write(f"{line}\n")
        except BrokenPipeError:
            raise StdoutClosed() from None

    def warn(self, message):
        self.err.write(f"{self.prog}: warning: {message}\n")

    def error(self, message):
        """One line, always: a multi-line text (e.g. a UsedFacility fault) is joined with ' / '."""
        text = " / ".join(line.strip() for line in str(message).splitlines() if line.strip())
        self.err.write(f"{self.prog}: {text}\n")


@dataclass(frozen=True)
class Command:
    """One documented script: name, option adders (shared groups and its own), entry function."""

    prog: str
    description: str
    options: Sequence[Callable[[argparse.ArgumentParser], None]]
    main: Callable[[argparse.Namespace, Console], Optional[int]]
    epilog: Optional[str] = None
    # appended to an "unrecognized arguments" usage error (e.g. an unquoted COMMAND)
    unrecognized_hint: Optional[str] = None
    # the stderr text of an error (e.g. in the language of the script's other messages)
    error_text: Callable[[Exception], str] = str


class _HelpRequested(Exception):
    pass


HELP_WIDTH = 100  # --help is never wider, whatever the terminal; docs/ show it at this width


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with two changes, so that --help reads the same on every Python 3.9+:
    descriptions and epilogs are wrapped like option help, keeping their explicit line breaks (an
    epilog's `output:` and `exit status:` lines), and an option with a value shows it once
    (`-i, --ip IP_ADDRESS`)."""

    def __init__(self, prog, width=None):
        super().__init__(prog, width=width or min(shutil.get_terminal_size().columns - 2, HELP_WIDTH))

    def _fill_text(self, text, width, indent):
        return "\n".join(textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent)
                         for line in text.splitlines())

    def _format_action_invocation(self, action):
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        value = self._format_args(action, self._get_default_metavar_for_optional(action))
        return f"{', '.join(action.option_strings)} {value}"


# the kinds of OptionRule
EXCLUDES = "excludes"    # the first option is not given with any of the others
ONE_OF = "one of"        # at least one of the options is given
TOGETHER = "together"    # all of the options or none


@dataclass(frozen=True)
class OptionRule:
    """How some options combine, beyond what argparse's groups say; `dests` are argparse dests. The
    option adders declare them on the parser beside the options; run() checks them all before the
    command starts, so commands and pure modules never re-check their options."""

    kind: str
    dests: tuple
    message: str

    def broken_by(self, given):
        """Whether the options `given` (dests set on the command line) break the rule."""
        present = [dest for dest in self.dests if dest in given]
        if self.kind == EXCLUDES:
            return self.dests[0] in given and len(present) > 1
        if self.kind == ONE_OF:
            return not present
        return 0 < len(present) < len(self.dests)


class Parser(argparse.ArgumentParser):
    """argparse with usage errors as UsageError (exit 1, never argparse's 2), help to `stream`, and
    the OptionRules its option adders declared."""

    stream = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._optionals.title = "options"  # the heading of Python 3.10+, also on 3.9
        self.option_rules = []

    def add_rule(self, kind, dests, message):
        self.option_rules.append(OptionRule(kind, tuple(dests), message))

    def check_rules(self, args):
        """UsageError for the first rule the parsed `args` break; an option counts as given when its
        value differs from its default."""
        given = {dest for dest, value in vars(args).items() if value != self.get_default(dest)}
        for rule in self.option_rules:
            if rule.broken_by(given):
                raise UsageError(rule.message)

    def print_help(self, file=None):
        super().print_help(file or self.stream)

    def error(self, message):
        raise UsageError(message)

    def _get_values(self, action, arg_strings):
        # before Python 3.12 argparse drops an option's own value "--" (-args=--) and hands the
        # command an empty list; it is the pattern "--"
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            value = self._get_value(action, "--")
            self._check_value(action, value)
            return value
        return super()._get_values(action, arg_strings)

    def exit(self, status=0, message=None):
        if message:
            raise UsageError(message.strip())
        raise _HelpRequested()


# ---- argument types ------------------------------------------------------------------------

def port_number(text):
    """A TCP/UDP port 1-65535."""
    port = urls.port_value(text)
    if port is None:
        raise argparse.ArgumentTypeError(f"invalid port '{text}' (expected 1-65535)")
    return port


def whole_number_of(unit):
    """An argparse type: a whole number (0 or more) of `unit`, named in the error."""
    def parse(text):
        try:
            value = int(text, 10)
        except ValueError:
            value = -1
        if value < 0:
            raise argparse.ArgumentTypeError(f"invalid number of {unit} '{text}'")
        return value
    return parse


positive_seconds = whole_number_of("seconds")


def positive_count(text):
    """An argparse type: how many at once, 1 or more."""
    value = whole_number_of("calls in flight")(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid number of calls in flight '{text}' (1 or more)")
    return value


def timeout_seconds(text):
    """A timeout in seconds: a positive number."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"invalid timeout '{text}' (expected seconds > 0)")
    return value


def hinemos_url(text):
    """-m: http(s)://HOST:PORT, or the SOAP base (/HinemosWS/), or the REST base (/HinemosWeb/api);
    never with credentials in it (they would show in ps and in logs)."""
    if has_credentials(text):
        raise argparse.ArgumentTypeError(
            f"'{without_credentials(text)}' holds credentials: give them with --user and --password-file")
    try:
        return manager_url.parse(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def key_id(text):
    if not KEY_ID_RE.match(text):
        raise argparse.ArgumentTypeError(
            f"invalid KEY_ID '{text}' (letters, digits and . _ @ - only)")
    return text


def snmp_community(text):
    """An SNMP community: 1-255 printable ASCII characters (what agents and pysnmp accept)."""
    if not 1 <= len(text) <= 255 or not all(" " <= c <= "~" for c in text):
        raise argparse.ArgumentTypeError(
            f"invalid SNMP community {text!r} (1-255 printable ASCII characters)")
    return text


def facility_id(text):
    from .repository_model import is_facility_id  # only the scripts that take a facility ID pay for it
    if not is_facility_id(text):
        raise argparse.ArgumentTypeError(
            f"invalid facility ID '{text}' (1-512 of letters, digits and - _ . @)")
    return text


def host_port(text):
    """SYSLOG_HOST:PORT (IPv6 as [addr]:port)."""
    parts = urls.host_and_port_text(text)
    if parts is None or parts[1] is None:
        raise argparse.ArgumentTypeError(f"invalid destination '{text}' (expected HOST:PORT)")
    return parts[0], port_number(parts[1])


# ---- shared option groups ------------------------------------------------------------------

def docker_options(parser):
    group = parser.add_argument_group("Docker connection")
    group.add_argument("-i", "--ip", dest="docker_ip", metavar="IP_ADDRESS",
                       help="Docker Remote API host: IP address, host name or URL "
                            "(unix:///var/run/docker.sock, tcp://host:port) (default: 127.0.0.1, "
                            "or DOCKER_HOST when neither -i nor -p is given)")
    group.add_argument("-p", "--port", dest="docker_port", metavar="DOCKER_PORT", type=port_number,
                       help="Docker Remote API port (default: 2375, 2376 with TLS)")
    group.add_argument("--tls", action="store_true", default=None,
                       help="use TLS without verifying the daemon (docker --tls)")
    group.add_argument("--tlsverify", action="store_true", default=None,
                       help="use TLS and verify the daemon (docker --tlsverify; env DOCKER_TLS_VERIFY)")
    group.add_argument("--tlscacert", metavar="FILE",
                       help="CA certificate (default: DOCKER_CERT_PATH/ca.pem)")
    group.add_argument("--tlscert", metavar="FILE",
                       help="client certificate (default: DOCKER_CERT_PATH/cert.pem)")
    group.add_argument("--tlskey", metavar="FILE", help="client key (default: DOCKER_CERT_PATH/key.pem)")
    group.add_argument("--docker-timeout", metavar="SECONDS", type=positive_seconds,
                       default=DEFAULT_DOCKER_TIMEOUT,
                       help="longest time one Docker API call may take, however slowly the daemon "
                            f"answers (default: {DEFAULT_DOCKER_TIMEOUT})")


def run_timeout_option(parser):
    """--run-timeout of the monitors: the whole run ends before the agent gives up on it."""
    parser.add_argument("--run-timeout", metavar="SECONDS", type=positive_seconds,
                        default=DEFAULT_RUN_TIMEOUT,
                        help="longest time the whole run may take, below the Hinemos agent's 15 s "
                             f"(default: {DEFAULT_RUN_TIMEOUT}; 0: no limit)")


def hinemos_options(parser):
    group = parser.add_argument_group("Hinemos manager")
    group.add_argument("-m", "--hinemos-url", metavar="HINEMOS_URL", type=hinemos_url,
                       default=hinemos_url(DEFAULT_HINEMOS_URL),
                       help="the Hinemos manager: http(s)://HOST:PORT, or its web-service URL as the manual "
                            "writes it (http://HOST:8080/HinemosWS/), or its 7.x REST API "
                            f"(http://HOST:8080/HinemosWeb/api) (default: {DEFAULT_HINEMOS_URL})")
    group.add_argument("--hinemos-api", choices=manager_url.APIS, default="auto",
                       help="the manager's API: SOAP (Hinemos 5.x/6.x), REST (7.x), or auto: ask the "
                            "manager (default: auto)")
    group.add_argument("--hinemos-timeout", metavar="SECONDS", type=timeout_seconds,
                       default=manager_url.DEFAULT_TIMEOUT,
                       help="longest time one call to the manager may take, however slowly it answers "
                            f"(default: {manager_url.DEFAULT_TIMEOUT:g})")
    group.add_argument("--hinemos-cacert", metavar="FILE",
                       help="CA certificate(s) that signed an https:// manager's certificate "
                            "(default: the system's trusted CAs)")
    group.add_argument("--hinemos-insecure", action="store_true",
                       help="do not verify an https:// manager's certificate (a self-signed manager; "
                            "warned about on every run)")
    group.add_argument("--user", dest="hinemos_user", metavar="USER",
                       help="Hinemos login user (default: env HINEMOS_USER, else hinemos)")
    group.add_argument("--password-file", dest="hinemos_password_file", metavar="FILE",
                       help="file holding the Hinemos password (default: env HINEMOS_PASSWORD, else hinemos)")


def manager_reads_option(parser):
    parser.add_argument("--manager-reads", metavar="N", type=positive_count, default=DEFAULT_MANAGER_READS,
                        help="full-node reads (getNode, GET node/{id}) in flight at once; the API has no "
                             f"bulk read (default: {DEFAULT_MANAGER_READS})")


def hinemos_credentials(args, environ=None):
    """(user, password) from the options, the environment, then the documented defaults."""
    environ = os.environ if environ is None else environ
    user = args.hinemos_user or environ.get("HINEMOS_USER") or DEFAULT_HINEMOS_USER
    if args.hinemos_password_file:
        password = read_password_file(args.hinemos_password_file)
    else:
        password = environ.get("HINEMOS_PASSWORD", DEFAULT_HINEMOS_PASSWORD)
    return user, password


def read_password_file(path):
    """The first line of a password file that only its owner can read (as ssh insists for keys)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise LocalFileError(f"cannot read password file {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise LocalFileError(f"password file {path} is not a regular file")
        if info.st_mode & 0o077:
            raise LocalFileError(f"password file {path} is open to group or others (mode "
                                 f"{stat.S_IMODE(info.st_mode):04o}): run chmod 600 {path}")
        first = handle.readline(4096)
    return first.decode("utf-8", "replace").rstrip("\r\n")


def file_mode(text):
    """An octal file mode such as 0600 or 640 (permission bits only)."""
    try:
        mode = int(text, 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o777:
        raise argparse.ArgumentTypeError(f"invalid file mode '{text}' (octal, e.g. 0600 or 0640)")
    return mode


def file_mode_option(parser):
    """--file-mode of the scripts that write files an operator may want others to read."""
    parser.add_argument("--file-mode", metavar="MODE", type=file_mode, default=DEFAULT_FILE_MODE,
                        help="permissions of the files this script creates, in octal, before the "
                             f"umask (default: {DEFAULT_FILE_MODE:04o}, only the owner; e.g. 0640)")


def host_facility_option(parser):
    parser.add_argument("-f", "--facility-id", dest="host_facility_id", metavar="HOST_FACILITY_ID",
                        required=True, type=facility_id,
                        help="facility ID of the node of the Docker host (required)")


def _container_selection(parser, required):
    group = parser.add_mutually_exclusive_group(required=required)
    scope = "" if required else " (default: all containers)"
    group.add_argument("-c", "--container-id", metavar="CONTAINER_ID",
                       help="container ID or unique ID prefix; a trailing * selects every ID with "
                            f"that prefix; not with -n{scope}")
    group.add_argument("-n", "--container-name", metavar="CONTAINER_NAME",
                       help="container name; a trailing * selects every name with that prefix; "
                            f"not with -c{scope}")


def container_options(parser):
    """-c/-n for monitors: optional, default all containers."""
    _container_selection(parser, required=False)


def required_container_options(parser):
    """-c/-n for jobs: one of them is required."""
    _container_selection(parser, required=True)


def counter_source_options(parser):
    group = parser.add_argument_group("counter source")
    group.add_argument("--from-api", action="store_true",
                       help="read the counters from the Docker API's stats even when the daemon runs on "
                            "this machine and its cgroup files are readable (default: read the files, "
                            "much faster; the container list still comes from the API)")


def state_options(parser):
    group = parser.add_argument_group("previous-run state")
    group.add_argument("-k", "--key", dest="key_id", metavar="KEY_ID", required=True, type=key_id,
                       help="unique ID of this monitor setting; the previous sample is kept in "
                            "STATE_DIR/KEY_ID.txt (required)")
    group.add_argument("--state-dir", metavar="STATE_DIR",
                       help="directory of the state files (default: env HINEMOS_DOCKER_STATE_DIR, "
                            f"else {DEFAULT_STATE_DIR})")


def state_dir(args, environ=None):
    environ = os.environ if environ is None else environ
    return args.state_dir or environ.get("HINEMOS_DOCKER_STATE_DIR") or DEFAULT_STATE_DIR


def syslog_options(parser, required=False):
    from .syslog_format import FACILITY_CODES, SEVERITY_CODES  # the syslog monitors' own table
    facilities, severities = tuple(FACILITY_CODES), tuple(SEVERITY_CODES)
    group = parser.add_argument_group("syslog")
    group.add_argument("-s", "--syslog", metavar="SYSLOG_HOST:PORT", type=host_port, required=required,
                       help="syslog destination of the result, e.g. 127.0.0.1:514")
    group.add_argument("--syslog-protocol", choices=("udp", "tcp"), default="udp",
                       help="syslog transport (default: udp)")
    # a metavar, so that usage stays short; the choices are listed in the help
    group.add_argument("--syslog-facility", choices=facilities, default="user", metavar="FACILITY",
                       help=f"syslog facility: {', '.join(facilities)} (default: user)")
    group.add_argument("--syslog-severity", choices=severities, default="info", metavar="SEVERITY",
                       help=f"syslog severity: {', '.join(severities)} (default: info)")


def snmp_options(parser):
    group = parser.add_argument_group("SNMP (used with --with-host)")
    group.add_argument("-sv", "--snmp-version", metavar="SNMP_VER", choices=("1", "2c"), default="1",
                       help="SNMP version: 1 or 2c (default: 1)")
    group.add_argument("-sc", "--snmp-community", metavar="SNMP_COM", default="public", type=snmp_community,
                       help="SNMP community (default: public)")
    group.add_argument("-sp", "--snmp-port", metavar="SNMP_PORT", type=port_number, default=161,
                       help="SNMP port (default: 161)")
    group.add_argument("--snmp-timeout", metavar="SECONDS", type=positive_seconds, default=2,
                       help="SNMP timeout per request (default: 2)")


# ---- the harness ---------------------------------------------------------------------------

def build_parser(command, stream=None, width=None):
    """The command's parser; `width` fixes the help width (default: the terminal's, at most
    HELP_WIDTH)."""
    parser = Parser(prog=command.prog, description=command.description, epilog=command.epilog,
                    allow_abbrev=False, formatter_class=lambda prog: HelpFormatter(prog, width))
    for add_options in command.options:
        add_options(parser)
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    parser.stream = stream
    return parser


def help_text(command, width=HELP_WIDTH):
    """The command's --help at a fixed width, as docs/ show it."""
    return build_parser(command, width=width).format_help()


# module -> distribution of each runtime dependency that commands import when they need it
RUNTIME_PACKAGES = {"docker": "docker", "suds": "suds-community", "pysnmp": "pysnmp", "requests": "requests",
                    "urllib3": "requests"}


def missing_package_message(module_name):
    """What to do when a script runs under an interpreter that lacks runtime dependencies: every
    missing one is named, so that one install fixes them all."""
    missing = {RUNTIME_PACKAGES[module_name.partition(".")[0]]}
    missing.update(dist for module, dist in RUNTIME_PACKAGES.items()
                   if importlib.util.find_spec(module) is None)
    names = ", ".join(f"'{dist}'" for dist in sorted(missing))
    return (f"the Python package{'s' if len(missing) > 1 else ''} {names} "
            f"{'are' if len(missing) > 1 else 'is'} not installed for {sys.executable}; install "
            f"hinemos-docker with its dependencies for that interpreter: {sys.executable} -m pip install "
            "<hinemos-docker source directory>")


def _looks_like_option(text, known):
    """Whether argparse would take `text` for one of the `known` option strings (alone, as
    --opt=value or as -o with an attached value). An argument holding a space never is one."""
    if " " in text:
        return False
    return text.split("=", 1)[0] in known or (not text.startswith("--") and text[:2] in known)


def attach_dash_values(parser, argv):
    """argv with `-opt VALUE` written `-opt=VALUE` where VALUE starts with '-' but is no option
    (`-args "-p 80"`, `-prog -f`), which argparse would otherwise refuse with "expected one
    argument"; everything after `--` is left alone."""
    known = set(parser._option_string_actions)
    takes_value = {option for option, action in parser._option_string_actions.items()
                   if isinstance(action, argparse._StoreAction) and action.nargs is None}
    result, index = [], 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            return result + argv[index:]
        following = argv[index + 1] if index + 1 < len(argv) else None
        if (word in takes_value and following is not None and following.startswith("-")
                and following != "--" and not _looks_like_option(following, known)):
            result.append(f"{word}={following}")
            index += 2
            continue
        result.append(word)
        index += 1
    return result


class _Stopping:
    """While a command runs: SIGTERM, SIGINT and SIGHUP raise Interrupted in the main thread (so
    every cleanup runs: the state file's temporary, the command job's process in the container), and
    the run's deadline raises RunTimeout there (a last resort: each call has its own bound). Only the
    first signal interrupts; the cleanup it starts is not interrupted again."""

    def __init__(self, deadline):
        self.deadline = deadline
        self.active = threading.current_thread() is threading.main_thread()
        self.signalled = False
        self.saved = {}

    def _interrupt(self, signum, frame):
        if not self.signalled:
            self.signalled = True
            raise Interrupted(signum)

    def _expire(self, signum, frame):
        raise self.deadline.expired()

    def __enter__(self):
        if self.active:
            self.saved = {signum: signal.signal(signum, self._interrupt) for signum in STOP_SIGNALS}
            if self.deadline.seconds:
                self.saved[signal.SIGALRM] = signal.signal(signal.SIGALRM, self._expire)
                # half a second after the deadline, so a bounded call reports first and in its words
                signal.setitimer(signal.ITIMER_REAL, self.deadline.seconds + 0.5)
        return self

    def __exit__(self, *exc_info):
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            for signum, handler in self.saved.items():
                signal.signal(signum, handler)


def run(command, argv=None, stdout=None, stderr=None):
    """Parse argv, run the command and return its exit code; never raises.

    The command's args carry two things besides the options: `deadline` (the end of the run under
    --run-timeout, else none) and `warn` (the console's warning printer) for the I/O edges."""
    argv = sys.argv[1:] if argv is None else list(argv)
    console = Console(command.prog, stdout or sys.stdout, stderr or sys.stderr)
    debug = "--debug" in argv
    try:
        parser = build_parser(command, console.out)
        args = parser.parse_args(attach_dash_values(parser, argv))
    except _HelpRequested:
        return ExitCode.OK
    except UsageError as exc:
        text = str(exc)
        if command.unrecognized_hint and text.startswith("unrecognized arguments"):
            text = f"{text}; {command.unrecognized_hint}"
        console.error(f"{command.error_text(UsageError(text))} (see --help)")
        return ExitCode.ABNORMAL
    run_timeout = getattr(args, "run_timeout", None)
    args.deadline = Deadline(run_timeout) if run_timeout else NO_DEADLINE
    args.warn = console.warn
    try:
        parser.check_rules(args)
        with _Stopping(args.deadline):
            return int(command.main(args, console) or ExitCode.OK)
    except Interrupted as exc:
        console.error(f"stopped by {signal.Signals(exc.signum).name}")
        return exc.exit_code
    except StdoutClosed:
        _discard_stdout(console)
        return ExitCode.ABNORMAL
    except HinemosDockerError as exc:
        if debug:
            traceback.print_exc(file=console.err)
        console.error(command.error_text(exc))
        return exc.exit_code
    except KeyboardInterrupt:  # SIGINT outside the main thread's handler
        console.error("stopped by SIGINT")
        return 128 + signal.SIGINT
    except Exception as exc:  # a bug or a broken installation: still one line, the traceback on request
        if debug:
            traceback.print_exc(file=console.err)
        console.error(_unexpected_error_line(exc))
        return ExitCode.ABNORMAL


def _discard_stdout(console):
    """After the reader of stdout left: stop silently, as a pipeline stage would (exit 1: the run
    may be incomplete), and point fd 1 at /dev/null so that the interpreter's last flush raises
    nothing either."""
    if console.out is sys.stdout:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass


def _unexpected_error_line(exc):
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").partition(".")[0] in RUNTIME_PACKAGES:
        return missing_package_message(exc.name)
    return f"unexpected error: {type(exc).__name__}: {exc} (rerun with --debug)"


def main(command):
    """Entry point of a bin script or console script. Output still buffered when the reader of
    stdout left (`| head`) is dropped silently: the run itself was complete."""
    code = run(command)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout(Console(command.prog, sys.stdout, sys.stderr))
    sys.exit(code)
