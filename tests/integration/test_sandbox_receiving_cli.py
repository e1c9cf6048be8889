"""python -m hinemos_docker.sandbox.receiving as the demo runs it: `judge` on a monitor's stdout,
and `syslog` against the data file of a stand-in that a real client (suds) wrote to."""
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from hinemos_docker import hinemos_ws
from hinemos_docker.syslog import SyslogSender
from hinemos_docker.syslog_format import SyslogMessage

ROOT = Path(__file__).resolve().parents[2]
MODULE = [sys.executable, "-m", "hinemos_docker.sandbox.receiving"]


def test_judge_prints_what_the_manager_raises():
    result = subprocess.run([*MODULE, "judge", "CONTAINER_CPU", "docker_host1"],
                            input=b"cpu_usage:web,95\nx\n", capture_output=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == [
        "[critical] CONTAINER_CPU docker_host1: VALUE : cpu_usage:web=95.0",
        "[unknown] CONTAINER_CPU docker_host1: FAILURE : invalid line found (not 2 column or duplicate) - "
        "(line 2) x"]
    empty = subprocess.run([*MODULE, "judge", "CONTAINER_CPU", "h"], input=b"", capture_output=True, cwd=ROOT,
                           timeout=60)
    assert empty.stdout.decode().startswith("[unknown] CONTAINER_CPU h: FAILURE : command execution failed")
    unknown = subprocess.run([*MODULE, "judge", "NO_SUCH", "h"], input=b"", capture_output=True, cwd=ROOT,
                             timeout=60)
    assert unknown.returncode == 1 and b"unknown monitor NO_SUCH" in unknown.stderr


def test_syslog_judges_against_the_data_file(make_sandbox, tmp_path):
    data = tmp_path / "repository.json"
    sandbox = make_sandbox(data=data)
    client = hinemos_ws.connect(sandbox.base_url, "hinemos", "hinemos")
    client.add_scope("", "docker_host", "docker_host")
    client.add_node({"facilityId": "docker_host1", "facilityName": "docker_host1", "ownerRoleId": "ALL_USERS",
                     "platformFamily": "LINUX", "ipAddressVersion": 4, "ipAddressV4": "127.0.0.1",
                     "nodeName": "docker_host1", "valid": True})
    client.assign_node_scope("docker_host", ["docker_host1"])
    process = subprocess.Popen([*MODULE, "syslog", "--data", str(data)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        words = process.stdout.readline().split()
        assert words[0] == "udp" and words[2] == "tcp", process.stderr.read()
        now = datetime.now().replace(microsecond=0)
        with SyslogSender("127.0.0.1", int(words[1])) as sender:
            sender.send([SyslogMessage(now, "docker_host1", "90b56eb899e7 exited"),
                         SyslogMessage(now, "nobody", "90b56eb899e7 paused")])
        assert process.stdout.readline().strip() == \
            "[critical] CONTAINER_STATUS docker_host1: hinemos_docker: 90b56eb899e7 exited"
        assert process.stdout.readline().strip() == \
            "[info] CONTAINER_EVENT docker_host1: hinemos_docker: 90b56eb899e7 exited"
        assert process.stdout.readline().startswith("[-] hinemos_docker: 90b56eb899e7 paused: not notified")
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == 0
