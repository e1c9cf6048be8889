"""The -k state file: atomic, locked for a bounded time, 0600, only a regular file of this user,
any content of the wrong shape (or of another script) reset with one warning."""
import fcntl
import json
import os
import stat
import threading
import time

import pytest

from hinemos_docker.errors import Interrupted, StateFileError
from hinemos_docker.state import FORMAT, MAX_STATE_BYTES, StateFile

SCRIPT = "MonitorTest.py"


def as_dict(data):
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def state_file(tmp_path, key="k", warn=print, parse=as_dict, script=SCRIPT, **kwargs):
    return StateFile(key, str(tmp_path), script, warn, parse, **kwargs)


def envelope(data, script=SCRIPT, format=FORMAT):
    return json.dumps({"format": format, "script": script, "data": data})


def test_missing_file_is_none_and_save_writes_0600_naming_the_script(tmp_path):
    warnings = []
    with state_file(tmp_path, "hoge", warnings.append) as state:
        assert state.previous is None
        state.save({"a": 1})
    path = tmp_path / "hoge.txt"
    assert json.loads(path.read_text()) == {"format": FORMAT, "script": SCRIPT, "data": {"a": 1}}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "hoge.txt.lock").stat().st_mode) == 0o600
    with state_file(tmp_path, "hoge", warnings.append) as state:
        assert state.previous == {"a": 1}
    assert warnings == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def _nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("content", [
    b"{not json", b"[1, 2]", b"\xff\xfe", b"", b"null", b'"text"', b"1e999",
    _nested(100_000).encode(),                                   # RecursionError in json
    envelope(None).encode(), envelope([1, 2]).encode(),          # data of the wrong type
    envelope({"a": 1}, format=2).encode(),                       # another format version
    json.dumps({"a": 1}).encode(),                               # the unversioned format of old
    envelope({"a": 1}, script="MonitorOther.py").encode(),       # another script under this KEY_ID
    envelope({"a": 1}, script=["x"]).encode(),
])
def test_content_of_the_wrong_shape_is_reset_with_one_warning(tmp_path, content):
    (tmp_path / "k.txt").write_bytes(content)
    warnings = []
    with state_file(tmp_path, warn=warnings.append) as state:
        assert state.previous is None
        state.save({"fresh": True})
    assert len(warnings) == 1 and "starting afresh" in warnings[0], warnings
    with state_file(tmp_path) as state:
        assert state.previous == {"fresh": True}


def test_another_scripts_file_is_named_in_the_warning(tmp_path):
    (tmp_path / "k.txt").write_text(envelope({"a": 1}, script="MonitorDockerHostEvent.py"))
    warnings = []
    with state_file(tmp_path, warn=warnings.append):
        pass
    assert "written by MonitorDockerHostEvent.py" in warnings[0] and "KEY_ID" in warnings[0]


def test_a_parse_error_of_any_type_at_any_depth_resets(tmp_path):
    def parse(data):
        return {frozenset(item) for item in data["window"]}  # TypeError: unhashable list
    (tmp_path / "k.txt").write_text(envelope({"window": [[["deep"]]]}))
    warnings = []
    with state_file(tmp_path, warn=warnings.append, parse=parse) as state:
        assert state.previous is None
    assert len(warnings) == 1


def test_a_file_over_the_size_limit_is_reset_without_reading_it_whole(tmp_path):
    (tmp_path / "k.txt").write_bytes(b" " * (MAX_STATE_BYTES + 10))
    warnings = []
    with state_file(tmp_path, warn=warnings.append) as state:
        assert state.previous is None
    assert "larger than" in warnings[0]


@pytest.mark.parametrize("name", ["k.txt", "k.txt.lock"])
def test_a_symlink_is_refused_naming_what_to_remove(tmp_path, name):
    target = tmp_path / "target"
    target.write_text('{"secret": 1}')
    os.symlink(target, tmp_path / name)
    with pytest.raises(StateFileError, match=f"symbolic link.*remove it .rm {tmp_path}/{name}"):
        with state_file(tmp_path):
            pass
    assert target.read_text() == '{"secret": 1}'


@pytest.mark.parametrize("name", ["k.txt", "k.txt.lock"])
def test_a_fifo_is_refused_at_once(tmp_path, name):
    os.mkfifo(tmp_path / name, 0o600)
    started = time.monotonic()
    with pytest.raises(StateFileError, match="a FIFO, not a regular file; remove it"):
        with state_file(tmp_path):
            pass
    assert time.monotonic() - started < 2  # a refusal, not a wait (no timing target)


@pytest.mark.parametrize("name", ["k.txt", "k.txt.lock"])
def test_a_directory_is_refused(tmp_path, name):
    (tmp_path / name).mkdir()
    with pytest.raises(StateFileError, match="directory.*remove it"):
        with state_file(tmp_path):
            pass


def test_a_device_is_refused(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mknod needs root")
    os.mknod(tmp_path / "k.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null's numbers
    with pytest.raises(StateFileError, match="a character device, not a regular file; remove it"):
        with state_file(tmp_path):
            pass


@pytest.mark.parametrize("name", ["k.txt", "k.txt.lock"])
def test_a_file_of_another_user_is_refused(tmp_path, name):
    if os.geteuid() != 0:
        pytest.skip("making a file of another user needs root")
    (tmp_path / name).write_text(envelope({"a": 1}))
    os.chown(tmp_path / name, 65534, 65534)
    with pytest.raises(StateFileError, match="belongs to uid 65534, not to this user.*remove it"):
        with state_file(tmp_path):
            pass


def test_a_held_lock_is_waited_for_a_bounded_time_then_one_error(tmp_path):
    holder = os.open(tmp_path / "k.txt.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        with pytest.raises(StateFileError, match="locked by another run since more than 0.3 s"):
            with state_file(tmp_path, lock_wait=0.3):
                pass
    finally:
        os.close(holder)
    with state_file(tmp_path, lock_wait=0.3) as state:  # free again
        assert state.previous is None


def test_a_lock_released_within_the_wait_is_taken(tmp_path):
    holder = os.open(tmp_path / "k.txt.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)
    threading.Timer(0.2, os.close, [holder]).start()
    with state_file(tmp_path, lock_wait=5) as state:
        state.save({"a": 1})


def test_unwritable_directory_is_one_error(tmp_path):
    with pytest.raises(StateFileError, match="cannot open lock file"):
        with state_file(tmp_path / "missing"):
            pass


def test_concurrent_writers_never_corrupt_the_file(tmp_path):
    def bump():
        for _ in range(50):
            with state_file(tmp_path, "n", lock_wait=60) as state:
                state.save({"n": (state.previous or {}).get("n", 0) + 1})
    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with state_file(tmp_path, "n") as state:
        assert state.previous == {"n": 200}


def test_nothing_is_written_unless_saved(tmp_path):
    (tmp_path / "k.txt").write_text(envelope({"old": True}))
    with pytest.raises(RuntimeError):
        with state_file(tmp_path):
            raise RuntimeError("run failed")
    assert json.loads((tmp_path / "k.txt").read_text())["data"] == {"old": True}


def test_an_interrupt_inside_the_save_leaves_no_temporary(tmp_path, monkeypatch):
    (tmp_path / "k.txt").write_text(envelope({"old": True}))

    def interrupted_fsync(fd):
        raise Interrupted(15)
    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    with pytest.raises(Interrupted):
        with state_file(tmp_path) as state:
            state.save({"new": True})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.txt", "k.txt.lock"]
    assert json.loads((tmp_path / "k.txt").read_text())["data"] == {"old": True}


def test_a_temporary_left_by_a_killed_run_is_replaced(tmp_path):
    (tmp_path / ".k.txt.tmp").write_text("half written")
    with state_file(tmp_path) as state:
        state.save({"a": 1})
    assert not (tmp_path / ".k.txt.tmp").exists()
    with state_file(tmp_path) as state:
        assert state.previous == {"a": 1}
