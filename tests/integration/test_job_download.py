"""FileDockerContainerDownload.py against the real daemon: a file and a directory saved byte for
byte as `docker cp CONTAINER:SOURCE -` gives them, the printed path and listing, and bad input that
ends with one line, exit 1 and nothing half-written."""
import ctypes
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from hinemos_docker.commands.download import COMMAND

ROOT = Path(__file__).resolve().parents[2]
FILES = ("mkdir -p /root/sub && echo hello > /root/a.txt && echo x > /root/sub/b && ln -s a.txt /root/sym "
         "&& chmod 700 /root/sub && chmod 600 /root/a.txt")


@pytest.fixture
def container(make_container):
    made = make_container("a")
    assert made.exec_run(["sh", "-c", FILES]).exit_code == 0
    return made


@pytest.fixture
def download(run_script, testbed):
    return lambda *argv: run_script(COMMAND, "-i", testbed.docker_url_unix, *argv)


def docker_cp(docker_cli, container, source):
    """The tar stream `docker cp CONTAINER:SOURCE -` writes."""
    return subprocess.run([*docker_cli, "cp", f"{container.id}:{source}", "-"], capture_output=True,
                          check=True, timeout=60).stdout


@pytest.mark.parametrize("source, file_name, members", [
    ("/root/", "_root_.tar", [("drwxr-xr-x", "0", "root/"), ("-rw-------", "6", "root/a.txt"),
                              ("drwx------", "0", "root/sub/"), ("-rw-r--r--", "2", "root/sub/b"),
                              ("lrwxrwxrwx", "0", "root/sym -> a.txt")]),
    ("/root/a.txt", "_root_a.txt.tar", [("-rw-------", "6", "a.txt")]),
])
def test_download_is_what_docker_cp_gives(download, docker_cli, container, tmp_path, source, file_name,
                                          members):
    destination = tmp_path / "new" / "dir"  # created, like mkdir -p
    result = download("-n", container.name, source, str(destination))
    assert result.code == 0, result.err
    path = destination / f"{container.name}{file_name}"
    assert result.lines[0] == str(path)
    assert sorted(os.listdir(destination)) == [path.name]  # no temporary file left
    assert path.read_bytes() == docker_cp(docker_cli, container, source)
    # `<mode> <uid>/<gid> <size> <date> <time> <name>`: owner and modes as in the container
    listed = [line.split(" ", 5) for line in result.lines[1:]]
    assert [(mode, owner, size, name) for mode, owner, size, _, _, name in listed] == [
        (mode, "0/0", size, name) for mode, size, name in members]


def test_download_from_a_stopped_container_replaces_an_earlier_download(download, docker_cli, container,
                                                                        tmp_path):
    first = download("-c", container.id[:12], "/root/sub", str(tmp_path))
    assert first.code == 0, first.err
    container.exec_run(["sh", "-c", "echo changed > /root/sub/b"])
    container.stop(timeout=0)
    second = download("-c", container.id[:12], "/root/sub", str(tmp_path))
    assert second.code == 0, second.err
    path = tmp_path / f"{container.name}_root_sub.tar"
    assert os.listdir(tmp_path) == [path.name]
    with tarfile.open(path) as archive:
        assert archive.extractfile("sub/b").read() == b"changed\n"
    assert path.read_bytes() == docker_cp(docker_cli, container, "/root/sub")


def _one_line_exit_1(result, message):
    assert (result.code, result.out) == (1, "")
    assert len(result.err.splitlines()) == 1 and message in result.err, result.err


def test_missing_source_leaves_nothing(download, container, tmp_path):
    destination = tmp_path / "not-yet"
    result = download("-n", container.name, "/nonexistent", str(destination))
    _one_line_exit_1(result, f"cannot download /nonexistent from {container.id[:12]} {container.name}: "
                             "Could not find the file /nonexistent")
    assert not destination.exists()


def test_destination_that_is_a_file_is_refused(download, container, tmp_path):
    destination = tmp_path / "file"
    destination.write_text("keep")
    result = download("-n", container.name, "/root/", str(destination))
    _one_line_exit_1(result, f"DESTINATION {destination} exists and is not a directory")
    assert os.listdir(tmp_path) == ["file"] and destination.read_text() == "keep"
    below = download("-n", container.name, "/root/", str(destination / "sub"))
    _one_line_exit_1(below, f"cannot create DESTINATION {destination / 'sub'}: Not a directory")


def _without_root_file_access():
    """In the child before exec: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set,
    so that even root obeys file modes (PR_CAPBSET_DROP)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_destination_that_is_not_writable_is_refused(testbed, container, tmp_path):
    """As a real process, for which the read-only directory is really read-only (root included)."""
    destination = tmp_path / "read-only"
    destination.mkdir()
    destination.chmod(0o555)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bin" / "FileDockerContainerDownload.py"), "-i", testbed.docker_url_unix,
         "-n", container.name, "/root/", str(destination)],
        capture_output=True, text=True, timeout=60,
        preexec_fn=_without_root_file_access if os.geteuid() == 0 else None)
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr == (f"FileDockerContainerDownload.py: cannot write in {destination}: "
                             "Permission denied\n")
    assert os.listdir(destination) == []


def test_selection_and_daemon_errors(download, run_script, make_container, container, unique_prefix,
                                     tmp_path):
    make_container("b")
    destination = tmp_path / "d"
    for argv, message in ((["-n", f"{unique_prefix}*"], "matches 2 containers"),
                          (["-n", f"{unique_prefix}nothing*"], "no container matches container name"),
                          ([], "one of the arguments -c")):
        _one_line_exit_1(download(*argv, "/root/", str(destination)), message)
    _one_line_exit_1(run_script(COMMAND, "-p", "1", "-n", container.name, "/root/", str(destination)),
                     "cannot connect to the Docker daemon at tcp://127.0.0.1:1: connection refused")
    assert not destination.exists()
