"""The -k state file: atomic, locked, 0600, no symlink, corrupt file reset with a warning."""
import json
import os
import stat
import threading

import pytest

from hinemos_docker.errors import StateFileError
from hinemos_docker.state import StateFile


def test_missing_file_is_empty_and_save_writes_0600(tmp_path):
    warnings = []
    with StateFile("hoge", str(tmp_path), warnings.append) as state:
        assert state.previous == {}
        state.save({"a": 1})
    path = tmp_path / "hoge.txt"
    assert json.loads(path.read_text()) == {"a": 1}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with StateFile("hoge", str(tmp_path), warnings.append) as state:
        assert state.previous == {"a": 1}
    assert warnings == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe", b""])
def test_corrupt_file_is_reset_with_a_warning(tmp_path, content):
    (tmp_path / "k.txt").write_bytes(content)
    warnings = []
    with StateFile("k", str(tmp_path), warnings.append) as state:
        assert state.previous == {}
    assert len(warnings) == 1 and "corrupt" in warnings[0]


def test_a_symlink_is_never_followed(tmp_path):
    target = tmp_path / "target"
    target.write_text('{"secret": 1}')
    os.symlink(target, tmp_path / "k.txt")
    with pytest.raises(StateFileError, match="symbolic link"):
        with StateFile("k", str(tmp_path), print):
            pass
    assert target.read_text() == '{"secret": 1}'


def test_unwritable_directory_is_one_error(tmp_path):
    with pytest.raises(StateFileError, match="cannot lock state file"):
        with StateFile("k", str(tmp_path / "missing"), print):
            pass


def test_concurrent_writers_never_corrupt_the_file(tmp_path):
    def bump():
        for _ in range(50):
            with StateFile("n", str(tmp_path), print) as state:
                state.save({"n": state.previous.get("n", 0) + 1})
    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert json.loads((tmp_path / "n.txt").read_text()) == {"n": 200}


def test_nothing_is_written_unless_saved(tmp_path):
    (tmp_path / "k.txt").write_text('{"old": true}')
    with pytest.raises(RuntimeError):
        with StateFile("k", str(tmp_path), print):
            raise RuntimeError("run failed")
    assert json.loads((tmp_path / "k.txt").read_text()) == {"old": True}
