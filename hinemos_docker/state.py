"""The -k state file (docs/rules.md#state-file): JSON in STATE_DIR/KEY_ID.txt, read and replaced under an
exclusive lock, written atomically with mode 0600, never followed through a symlink.

A corrupt file is reset with a warning so the next run recovers; nothing is written unless the
run succeeded (the caller saves explicitly).
"""
import errno
import fcntl
import json
import os
import tempfile

from .errors import StateFileError


class StateFile:
    """`with StateFile(key, directory, warn) as state:` -> state.previous (dict), state.save(dict)."""

    def __init__(self, key_id, directory, warn):
        self.path = os.path.join(directory, f"{key_id}.txt")
        self.directory = directory
        self.warn = warn
        self.previous = {}
        self._lock_fd = None

    def __enter__(self):
        lock_path = f"{self.path}.lock"
        try:
            self._lock_fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        except OSError as exc:
            self._close_lock()
            raise StateFileError(f"cannot lock state file {lock_path}: {_why(exc)}") from None
        self.previous = self._load()
        return self

    def __exit__(self, *exc_info):
        self._close_lock()

    def _close_lock(self):
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None

    def _load(self):
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise StateFileError(f"cannot read state file {self.path}: {_why(exc)}") from None
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read()
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            self.warn(f"state file {self.path} is corrupt ({exc}); starting afresh")
            return {}
        return data

    def save(self, data):
        """Replace the file atomically: a crash leaves either the old or the new content."""
        try:
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.directory)
        except OSError as exc:
            raise StateFileError(f"cannot write state file {self.path}: {_why(exc)}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                # dumps, not dump: only the one-shot encoder is the C one (10x faster at 200 samples)
                handle.write(json.dumps(data, separators=(",", ":"), sort_keys=True))
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)  # replaces a symlink itself, never its target
        except OSError as exc:
            _unlink_quietly(tmp)
            raise StateFileError(f"cannot write state file {self.path}: {_why(exc)}") from None


def _why(exc):
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link (refusing to follow it)"
    return exc.strerror or str(exc)


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass
