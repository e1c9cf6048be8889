"""What a local user can plant in the shared default state directory (/tmp) never hangs a monitor
or makes it write elsewhere, and any content of the state file recovers: each case as the operator
sees it, a real process of the script (a hang would fail run_bounded's guard)."""
import json
import os
import subprocess
import sys

import pytest

from hinemos_docker.state import FORMAT

DISK = "MonitorDockerContainerResourceDisk.py"
EVENTS = "MonitorDockerHostEvent.py"
KEY = "attacked"


def disk(run_bounded, state_dir, *extra):
    # a selection that matches nothing: the run is only about the state file
    return run_bounded(DISK, "-k", KEY, "--state-dir", state_dir, "-n", "hdt-no-such-container*", *extra)


def refusal(result):
    assert (result.code, result.out) == (1, ""), result
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{DISK}: "), result.err
    return lines[0]


@pytest.mark.parametrize("name", [f"{KEY}.txt", f"{KEY}.txt.lock"])
def test_a_fifo_is_refused_at_once(run_bounded, tmp_path, name):
    os.mkfifo(tmp_path / name, 0o600)
    line = refusal(disk(run_bounded, tmp_path))
    assert f"{tmp_path / name}: it is a FIFO, not a regular file; remove it (rm -r {tmp_path / name})" in line


def test_a_directory_at_the_state_path_is_refused(run_bounded, tmp_path):
    (tmp_path / f"{KEY}.txt").mkdir()
    assert "it is a directory, not a regular file; remove it" in refusal(disk(run_bounded, tmp_path))


@pytest.mark.parametrize("name", [f"{KEY}.txt", f"{KEY}.txt.lock"])
def test_a_planted_symlink_is_refused_and_its_target_untouched(run_bounded, tmp_path, name):
    target = tmp_path / "victim"
    target.write_text("precious\n")
    os.symlink(target, tmp_path / name)
    line = refusal(disk(run_bounded, tmp_path))
    assert f"it is a symbolic link (refusing to follow it); remove it (rm {tmp_path / name})" in line
    assert target.read_text() == "precious\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file of another user needs root")
def test_a_file_of_another_user_is_refused(run_bounded, tmp_path):
    planted = tmp_path / f"{KEY}.txt"
    planted.write_text(json.dumps({"format": FORMAT, "script": DISK, "data": {"containers": {}}}))
    os.chown(planted, 65534, 65534)
    line = refusal(disk(run_bounded, tmp_path))
    assert "belongs to uid 65534, not to this user (uid 0); remove it" in line
    assert "--state-dir" in line


def test_a_lock_held_by_another_process_ends_the_run_with_one_line(run_bounded, tmp_path):
    lock = tmp_path / f"{KEY}.txt.lock"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600); "
        "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(120)"), str(lock)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        line = refusal(disk(run_bounded, tmp_path))
        assert f"state file {tmp_path / KEY}.txt is locked by another run since more than 5 s" in line
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert disk(run_bounded, tmp_path).code == 0  # the next run, with the lock free, goes on


def test_many_runs_of_one_key_at_once_all_end_and_the_state_stays_whole(tmp_path):
    from tests.fixtures.scripts import installed_script
    argv = [sys.executable, str(installed_script(DISK)), "-k", KEY, "--state-dir", str(tmp_path),
            "-n", "hdt-no-such-container*"]
    runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(8)]
    results = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        results.append((run.returncode, err))
    for code, err in results:
        assert code == 0 or (code == 1 and "is locked by another run" in err), err
    with open(tmp_path / f"{KEY}.txt") as handle:
        assert json.load(handle) == {"format": FORMAT, "script": DISK, "data": {"containers": {}}}


@pytest.mark.parametrize("content", [
    "[" * 200_000 + "]" * 200_000,                                       # nesting past the recursion limit
    json.dumps({"format": FORMAT, "script": DISK, "data": {"containers": [1, 2]}}),
    json.dumps({"format": FORMAT, "script": DISK, "data": {"containers": {"x": [[]]}}}),
    json.dumps({"format": FORMAT, "script": DISK, "data": "text"}),
    "\x00\xff garbage",
])
def test_any_content_is_reset_with_one_warning(run_bounded, tmp_path, content):
    (tmp_path / f"{KEY}.txt").write_text(content)
    result = disk(run_bounded, tmp_path)
    assert result.code == 0, result.err
    assert len(result.err.splitlines()) == 1 and "starting afresh" in result.err, result.err
    assert json.loads((tmp_path / f"{KEY}.txt").read_text())["data"] == {"containers": {}}
    assert disk(run_bounded, tmp_path).err == ""  # recovered: the next run is quiet


@pytest.mark.parametrize("window", [
    {"daemon": "x", "until": 1, "boundary": [["unhashable"]]},
    {"daemon": ["x"], "until": 1, "boundary": []},
    {"daemon": "x", "until": "yesterday", "boundary": []},
    {"daemon": "x", "until": True, "boundary": []},
])
def test_an_event_window_of_wrong_types_is_reset(run_bounded, tmp_path, window):
    (tmp_path / f"{KEY}.txt").write_text(json.dumps({"format": FORMAT, "script": EVENTS, "data": window}))
    result = run_bounded(EVENTS, "-k", KEY, "--state-dir", tmp_path, "-f", tmp_path / "events.log")
    assert result.code == 0, result.err
    about_state = state_warnings(result)
    assert len(about_state) == 1 and "starting afresh" in about_state[0], result.err
    assert json.loads((tmp_path / f"{KEY}.txt").read_text())["script"] == EVENTS


def state_warnings(result):
    """The warnings about the state file (a busy shared daemon may add one about its event buffer)."""
    return [line for line in result.err.splitlines() if "state file" in line]


def test_two_scripts_sharing_a_key_warn_and_reset_instead_of_misreading(run_bounded, tmp_path):
    assert disk(run_bounded, tmp_path).code == 0
    result = run_bounded(EVENTS, "-k", KEY, "--state-dir", tmp_path, "-f", tmp_path / "events.log")
    assert result.code == 0, result.err
    assert state_warnings(result) == [
        f"{EVENTS}: warning: state file {tmp_path / KEY}.txt is not usable (written by {DISK}: two "
        "monitor settings share this KEY_ID, give each its own); starting afresh"]
    assert json.loads((tmp_path / f"{KEY}.txt").read_text())["script"] == EVENTS


def test_state_files_are_0600(run_bounded, tmp_path):
    os.umask(umask := os.umask(0))  # whatever umask the suite runs with
    assert disk(run_bounded, tmp_path).code == 0
    for name in (f"{KEY}.txt", f"{KEY}.txt.lock"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600 & ~umask
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
