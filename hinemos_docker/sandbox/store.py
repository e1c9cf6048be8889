"""The stand-in's data file: the whole repository as JSON, replaced atomically after every write.

A write goes to a temporary file in the same directory, is fsynced, then os.replace()d over the data
file (and the directory is fsynced), so a killed stand-in leaves either the old or the new state,
never a torn file, and loses nothing it acknowledged.
"""
import json
import os
import tempfile
from pathlib import Path


class StoreError(Exception):
    """The data file cannot be read or written."""


def load(path):
    """The saved state, or None if the file does not exist or is empty."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as e:
        raise StoreError(f"cannot read {path}: {e.strerror}") from None
    if not text.strip():
        return None
    try:
        state = json.loads(text)
    except ValueError as e:
        raise StoreError(f"{path} is not a stand-in data file: {e}") from None
    if not isinstance(state, dict):
        raise StoreError(f"{path} is not a stand-in data file")
    return state


def dump(state):
    """The JSON text of a state."""
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


def save(path, state):
    """Write `state` to `path` atomically and durably; returns the JSON text written."""
    text = dump(state)
    write(path, text)
    return text


def write(path, text):
    """Replace `path` with `text` atomically and durably."""
    path = Path(path)
    data = text.encode("utf-8")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp, path)
        except BaseException:
            _unlink(temp)
            raise
        _fsync_directory(directory)
    except OSError as e:
        raise StoreError(f"cannot write {path}: {e.strerror or e}") from None


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_directory(directory):
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not every platform can open a directory; the replace itself is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
