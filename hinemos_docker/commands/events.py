"""MonitorDockerHostEvent.py: Docker events since the previous run, sent as syslog messages and/or
appended to a file (docs/rules.md#event-window, docs/rules.md#event-lines).

The window under -k advances only after every destination took every event: a run that fails
exits 1 and the next run reads the same events again (none is lost).
"""
import errno
import os
import stat
import time
from contextlib import ExitStack

from .. import cli, daemon_time, events, syslog, syslog_format
from ..errors import LocalFileError
from ..state import open_state


def _logfile_option(parser):
    parser.add_argument("-f", "--logfile", metavar="LOGFILE",
                        help="file to which one line per event is appended (created if missing); "
                             "-s, -f or both are required")
    parser.add_rule(cli.ONE_OF, ("syslog", "logfile"),
                    "one of -s SYSLOG_HOST:PORT and -f LOGFILE is required (both are allowed)")


class LogFile:
    """LOGFILE opened for appending before anything is sent (created with --file-mode); lines
    reach the disk on write(). Any file that takes writes will do: /dev/null, a FIFO with a reader,
    a terminal."""

    def __init__(self, path, mode=cli.DEFAULT_FILE_MODE):
        self.path = path
        try:
            # without blocking: a FIFO nobody reads is an error, not a hang
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC, mode)
        except OSError as exc:
            reason = "a FIFO that nobody reads" if exc.errno == errno.ENXIO else exc.strerror or exc
            raise LocalFileError(f"cannot write LOGFILE {path}: {reason}") from None
        os.set_blocking(fd, True)
        self.regular = stat.S_ISREG(os.fstat(fd).st_mode)
        self.handle = os.fdopen(fd, "a", encoding="utf-8")

    def write(self, lines):
        try:
            self.handle.write("".join(f"{line}\n" for line in lines))
            self.handle.flush()
            if self.regular:  # a device or a FIFO has no disk to reach (fsync fails there)
                os.fsync(self.handle.fileno())
        except OSError as exc:
            raise LocalFileError(f"cannot write LOGFILE {self.path}: {exc.strerror or exc}") from None

    def close(self):
        self.handle.close()


def read_window(engine, previous, warn):
    """(Window, every event the daemon returned for it, daemon ID), `now` by the daemon's clock."""
    info = engine.info()
    daemon_id = info.get("ID", "")
    try:
        now = daemon_time.rfc3339_ns(info.get("SystemTime")) or time.time_ns()
    except ValueError:  # a daemon that does not say: this machine's clock
        now = time.time_ns()
    window, note = events.plan_window(previous, daemon_id, now)
    if note:
        warn(note)
    returned = engine.events(*(daemon_time.docker_timestamp(ns) for ns in (window.since, window.until)))
    if events.possibly_truncated(len(returned)):
        warn(f"the Docker daemon returned {len(returned)} events, about all it keeps "
             f"({events.DAEMON_EVENT_BUFFER}): older events of this window may be lost; run more often")
    return window, returned, daemon_id


def deliver(args, lines, messages, warn):
    """Open every destination first (nothing is sent if one is unusable), then send the syslog
    messages, then append the lines to the file."""
    with ExitStack() as stack:
        logfile = LogFile(args.logfile, args.file_mode) if args.logfile else None
        if logfile:
            stack.callback(logfile.close)
        if args.syslog:
            stack.enter_context(syslog.open_sender(args, warn)).send(messages)
        if logfile:
            logfile.write(lines)


def main(args, console):
    from ..docker_engine import connect
    engine = connect(args)
    hostname = events.syslog_hostname(args.docker_ip, engine.endpoint.base_url)
    if args.syslog:
        syslog_format.check_hostname(hostname)
    with open_state(args, console, events.parse_state) as state:
        window, returned, daemon_id = read_window(engine, state.previous, console.warn)
        fresh = events.new_events(returned, window)
        lines = [events.event_line(e, hostname) for e in fresh]
        deliver(args, lines, [events.event_message(e, hostname) for e in fresh], console.warn)
        state.save(events.state_after(window, returned, daemon_id))
    for line in lines:  # what was delivered, for a person running it by hand
        console.print(line)
    return 0


COMMAND = cli.Command(
    prog="MonitorDockerHostEvent.py",
    description="Docker events of one host for a Hinemos system-log monitor: every event since the "
                "previous run (kept under -k; the last 300 s on a first run), sent as syslog "
                "(HOSTNAME = the -i host) and/or appended to LOGFILE, each exactly once.",
    options=[cli.docker_options, cli.state_options, cli.run_timeout_option, cli.syslog_options,
             _logfile_option, cli.file_mode_option],
    main=main,
    epilog="lines (LOGFILE and stdout): YYYY-MM-DD HH:MM:SS <-i host> <event as compact JSON>",
)
