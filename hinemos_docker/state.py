"""The -k state file (docs/rules.md#state-file, docs/security.md#the-state-directory): JSON in
STATE_DIR/KEY_ID.txt, read and replaced under an exclusive lock (STATE_DIR/KEY_ID.txt.lock),
written atomically with mode 0600.

The default STATE_DIR, /tmp, is writable by every local user, so nothing there is trusted: a
symbolic link, a file owned by another user or anything but a regular file at either path is
refused with a line naming what to remove; the state is opened without blocking (a FIFO cannot
hang a run) and the lock is waited for a bounded time. Content that does not parse into the shape
the script expects (any depth, any type, over the size limit, written by another script under the
same KEY_ID, or by an older version) is reset with one warning, so the next run recovers. Nothing
is written unless the run succeeded (the caller saves explicitly), and an interrupted save leaves
no temporary file.

On disk: {"format": 1, "script": "<the script's name>", "data": <what the script keeps>}.
"""
import errno
import fcntl
import json
import os
import stat
import time

from .cli import state_dir
from .deadline import NO_DEADLINE
from .errors import StateFileError

FORMAT = 1
MAX_STATE_BYTES = 8 * 1024 * 1024
# the lock's longest wait: a few runs of the same KEY_ID queue, a pile-up fails fast (the agent
# gives the whole command 15 s)
LOCK_WAIT_SECONDS = 5.0
LOCK_POLL_SECONDS = 0.02
# what a script's parse function raises for content that is not the shape it expects
CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
SHAPE_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError)


def open_state(args, console, parse):
    """The one way a script opens its -k state file: `with open_state(...) as state:`; the previous
    data is `parse(data)` (which raises ValueError or TypeError for a wrong shape), else None."""
    return StateFile(args.key_id, state_dir(args), console.prog, console.warn, parse,
                     getattr(args, "deadline", NO_DEADLINE))


class StateFile:
    """state.previous (what `parse` made of the kept data, None on a first run), state.save(data)."""

    def __init__(self, key_id, directory, script, warn, parse, deadline=NO_DEADLINE,
                 lock_wait=LOCK_WAIT_SECONDS):
        self.path = os.path.join(directory, f"{key_id}.txt")
        self.lock_path = f"{self.path}.lock"
        self.temporary = os.path.join(directory, f".{key_id}.txt.tmp")
        self.directory = directory
        self.script = script
        self.warn = warn
        self.parse = parse
        self.deadline = deadline
        self.lock_wait = lock_wait
        self.previous = None
        self._lock_fd = None

    def __enter__(self):
        self._lock_fd = _open_own_file(self.lock_path, os.O_RDWR | os.O_CREAT, "lock file")
        try:
            self._lock()
            self.previous = self._load()
        except BaseException:
            self._close_lock()
            raise
        return self

    def __exit__(self, *exc_info):
        self._close_lock()

    def _lock(self):
        wait = self.deadline.budget(self.lock_wait)
        ends = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= ends:
                    raise StateFileError(
                        f"state file {self.path} is locked by another run since more than {wait:g} s "
                        f"(too many runs of this KEY_ID at once, or a run that hangs: see "
                        f"fuser {self.lock_path})") from None
                time.sleep(LOCK_POLL_SECONDS)
            except OSError as exc:
                raise StateFileError(f"cannot lock state file {self.lock_path}: {exc.strerror}") from None

    def _close_lock(self):
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None

    def _load(self):
        fd = _open_own_file(self.path, os.O_RDONLY, "state file", missing_ok=True)
        if fd is None:
            return None
        with os.fdopen(fd, "rb") as handle:
            try:
                raw = handle.read(MAX_STATE_BYTES + 1)
            except OSError as exc:
                raise StateFileError(f"cannot read state file {self.path}: {exc.strerror}") from None
        try:
            return self.parse(self._data(raw))
        except SHAPE_ERRORS as exc:
            reason = "too deeply nested" if isinstance(exc, RecursionError) else exc
            self.warn(f"state file {self.path} is not usable ({reason}); starting afresh")
            return None

    def _data(self, raw):
        """The script's data from the file's bytes; ValueError when it is not ours to use."""
        if len(raw) > MAX_STATE_BYTES:
            raise ValueError(f"larger than {MAX_STATE_BYTES // (1024 * 1024)} MiB")
        envelope = json.loads(raw.decode("utf-8"))
        if not isinstance(envelope, dict) or "format" not in envelope:
            raise ValueError("not written by this version of the suite")
        if envelope.get("format") != FORMAT:
            raise ValueError(f"format {envelope.get('format')!r}, not {FORMAT}")
        if envelope.get("script") != self.script:
            raise ValueError(f"written by {str(envelope.get('script'))[:80]}: two monitor settings "
                             "share this KEY_ID, give each its own")
        return envelope.get("data")

    def save(self, data):
        """Replace the file atomically: a crash leaves either the old or the new content."""
        text = json.dumps({"format": FORMAT, "script": self.script, "data": data},
                          separators=(",", ":"), sort_keys=True)
        try:
            _remove_stale(self.temporary)
            fd = os.open(self.temporary, CREATE_NEW, 0o600)
        except OSError as exc:
            why = _why(exc, self.temporary)
            raise StateFileError(f"cannot write state file {self.path}: {why}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(self.temporary, self.path)  # replaces a symlink itself, never its target
        except OSError as exc:
            _unlink_quietly(self.temporary)
            raise StateFileError(f"cannot write state file {self.path}: {_why(exc, self.path)}") from None
        except BaseException:  # an interrupt (signal, deadline) mid-save: no temporary is left
            _unlink_quietly(self.temporary)
            raise


def _open_own_file(path, flags, what, missing_ok=False):
    """An fd of `path` if it is a regular file of this user, opened without following a symbolic
    link and without blocking; StateFileError naming what to remove otherwise."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o600)
    except FileNotFoundError:
        if missing_ok:
            return None
        raise StateFileError(f"cannot open {what} {path}: no such directory") from None
    except OSError as exc:
        raise StateFileError(f"cannot open {what} {path}: {_why(exc, path)}") from None
    info = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = f"it is {_kind(info.st_mode)}, not a regular file"
    elif info.st_uid != os.geteuid():
        problem = f"it belongs to uid {info.st_uid}, not to this user (uid {os.geteuid()})"
    if problem:
        os.close(fd)
        raise StateFileError(f"refusing {what} {path}: {problem}; remove it (rm -r {path}), or give "
                             "--state-dir a directory only this user can write")
    return fd


def _kind(mode):
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _remove_stale(path):
    """Remove the temporary a killed run left (the lock is held: no other run writes it now)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _why(exc, path):
    if exc.errno == errno.ELOOP:
        return f"it is a symbolic link (refusing to follow it); remove it (rm {path})"
    if exc.errno in (errno.EPERM, errno.EACCES, errno.EEXIST) and os.path.lexists(path):
        return f"{exc.strerror}; remove it (rm {path}), or use another --state-dir"
    if exc.errno == errno.EISDIR:
        return f"it is a directory; remove it (rm -r {path})"
    return exc.strerror or str(exc)


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass
