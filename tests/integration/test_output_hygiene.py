"""What the scripts write is safe to read: files 0600 unless --file-mode says otherwise, a LOGFILE
that is no regular file (/dev/null, a FIFO) works or fails in one line, a download's listing cannot
be forged by a file name, and a peer that drops the connection is named in one plain sentence."""
import os
import socket
import stat
import threading
import time

import pytest

from hinemos_docker.commands import download, events, process_monitor
from hinemos_docker.commands.repository_sync import DELETE


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def run_events(run_script, tmp_path, *extra):
    return run_script(events.COMMAND, "-k", "hygiene", "--state-dir", tmp_path, *extra)


def test_the_logfile_is_created_0600_by_default(run_script, tmp_path, umask_022):
    result = run_events(run_script, tmp_path, "-f", tmp_path / "events.log")
    assert result.code == 0, result.err
    assert mode_of(tmp_path / "events.log") == 0o600


def test_file_mode_gives_others_what_the_operator_asks(run_script, tmp_path, umask_022):
    result = run_events(run_script, tmp_path, "-f", tmp_path / "events.log", "--file-mode", "0640")
    assert result.code == 0, result.err
    assert mode_of(tmp_path / "events.log") == 0o640


def test_a_bad_file_mode_is_a_usage_error(run_script, tmp_path):
    result = run_events(run_script, tmp_path, "-f", tmp_path / "events.log", "--file-mode", "999")
    assert result.code == 1 and "invalid file mode '999'" in result.err


def test_dev_null_is_a_logfile(run_script, tmp_path):
    result = run_events(run_script, tmp_path, "-f", "/dev/null")
    assert result.code == 0, result.err
    assert (tmp_path / "hygiene.txt").exists()  # the window advanced


def test_a_fifo_with_a_reader_is_a_logfile(run_script, tmp_path):
    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo, 0o600)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    time.sleep(0.2)  # the reader opens its end (a writer that comes first is told nobody reads)
    result = run_events(run_script, tmp_path, "-f", fifo)
    assert result.code == 0, result.err
    reader.join(10)
    assert received and received[0].decode().count("\n") == len(result.lines)


def test_a_fifo_nobody_reads_is_one_line_and_nothing_advances(run_script, tmp_path):
    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo, 0o600)
    result = run_events(run_script, tmp_path, "-f", fifo)
    assert (result.code, result.out) == (1, "")
    errors = [line for line in result.err.splitlines() if ": warning: " not in line]  # a busy daemon warns
    assert errors == [f"MonitorDockerHostEvent.py: cannot write LOGFILE {fifo}: a FIFO that nobody reads"]
    assert not (tmp_path / "hygiene.txt").exists()


@pytest.fixture
def container_with_forging_names(make_container):
    made = make_container("names")
    for name, content in (("plain", "x"), ("evil\n-rw-r--r-- 0 1 2026-01-01 00:00:00 forged", "y"),
                          ("tab\tback\\slash", "z")):
        command = ["sh", "-c", 'mkdir -p /root/d && echo "$2" > "/root/d/$1"', "sh", name, content]
        assert made.exec_run(command).exit_code == 0
    return made


def test_a_download_is_0600_and_its_listing_cannot_be_forged(run_script, testbed, tmp_path, umask_022,
                                                            container_with_forging_names):
    result = run_script(download.COMMAND, "-i", testbed.docker_url_unix, "-n",
                        container_with_forging_names.name, "/root/d", tmp_path)
    assert result.code == 0, result.err
    archive = result.lines[0]
    assert mode_of(archive) == 0o600
    names = sorted(line.split(" ", 5)[5] for line in result.lines[1:])
    assert names == ["d/", "d/evil\\n-rw-r--r-- 0 1 2026-01-01 00:00:00 forged", "d/plain",
                     "d/tab\\tback\\\\slash"]
    assert len(result.lines) == 1 + 4  # the path, then one line per member


def test_a_download_with_file_mode(run_script, testbed, tmp_path, umask_022, container_with_forging_names):
    result = run_script(download.COMMAND, "-i", testbed.docker_url_unix, "-n",
                        container_with_forging_names.name, "/root/d/plain", tmp_path, "--file-mode", "644")
    assert result.code == 0, result.err
    assert mode_of(result.lines[0]) == 0o644


@pytest.fixture
def hanging_up_server():
    """Accepts, reads the request, closes without a word."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.close()
    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


def test_a_docker_peer_that_hangs_up_is_one_plain_sentence(run_script, hanging_up_server):
    result = run_script(process_monitor.COMMAND, "-i", "127.0.0.1", "-p", hanging_up_server)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"MonitorDockerContainerProcess.py: cannot connect to the Docker daemon at "
        f"tcp://127.0.0.1:{hanging_up_server}: the connection was closed without an answer"]


@pytest.mark.parametrize("api, path", [("soap", "/HinemosWS/RepositoryEndpoint?wsdl"),
                                       ("auto", "/HinemosWeb/api/")])
def test_a_manager_that_hangs_up_is_one_plain_sentence(run_script, hanging_up_server, api, path):
    root = f"http://127.0.0.1:{hanging_up_server}"
    result = run_script(DELETE, "-m", f"{root}/HinemosWS", "--hinemos-api", api, "-f", "h1")
    assert result.code == 1
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"RepositoryDockerNodeDelete.py: cannot reach the Hinemos manager at {root}{path}"), result.err
    assert lines[0].endswith(": the connection was closed without an answer")
