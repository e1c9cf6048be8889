"""Sync, settings, monitors, notifications: the settings SettingDockerAdd.py registers in a stand-in
are the ones its receiving side judges with (python -m hinemos_docker.sandbox.receiving)."""
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from hinemos_docker import hinemos_ws, settings
from hinemos_docker.commands.settings import COMMAND
from hinemos_docker.syslog import SyslogSender
from hinemos_docker.syslog_format import SyslogMessage

ROOT = Path(__file__).resolve().parents[2]
MODULE = [sys.executable, "-m", "hinemos_docker.sandbox.receiving"]


def registered_stand_in(make_sandbox, tmp_path, run_script):
    data = tmp_path / "repository.json"
    sandbox = make_sandbox(data=data)
    client = hinemos_ws.connect(sandbox.base_url, "hinemos", "hinemos")
    for scope in ("docker_host", "docker_container"):
        client.add_scope("", scope, scope)
    for fid in ("docker_host1", "manager_server"):
        client.add_node({"facilityId": fid, "facilityName": fid, "ownerRoleId": "ALL_USERS",
                         "platformFamily": "LINUX", "ipAddressVersion": 4, "ipAddressV4": "127.0.0.1",
                         "nodeName": fid})
    client.assign_node_scope("docker_host", ["docker_host1"])
    sandbox.add_notification("EVENT_FOR_POLLING")
    assert run_script(COMMAND, "-m", sandbox.base_url).code == 0
    return sandbox, data


def test_the_receiving_side_judges_with_the_registered_settings(make_sandbox, tmp_path, run_script):
    sandbox, data = registered_stand_in(make_sandbox, tmp_path, run_script)
    # an operator's change in the manager: a stopped container is a warning only
    exited = sandbox.settings.monitors["CONTAINER_STATUS"]["stringValueInfo"][3]
    exited["priority"] = settings.PRIORITY_WARNING
    sandbox.add_notification("OTHER")  # any write saves the data file the receiver reads
    process = subprocess.Popen([*MODULE, "syslog", "--data", str(data)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        words = process.stdout.readline().split()
        assert words[0] == "udp", process.stderr.read()
        now = datetime.now().replace(microsecond=0)
        event = json.dumps({"status": "die", "id": "90b56eb899e7"}, separators=(",", ":"))
        with SyslogSender("127.0.0.1", int(words[1])) as sender:
            sender.send([SyslogMessage(now, "docker_host1", "90b56eb899e7 exited"),
                         SyslogMessage(now, "docker_host1", event)])
        lines = [process.stdout.readline().strip() for _ in range(2)]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()
    # the registered CONTAINER_EVENT takes the JSON event only, not the state message
    assert lines == ["[warning] CONTAINER_STATUS docker_host1: hinemos_docker: 90b56eb899e7 exited",
                     f"[info] CONTAINER_EVENT docker_host1: hinemos_docker: {event}"]


def test_judge_reads_the_registered_custom_setting(make_sandbox, tmp_path, run_script):
    sandbox, data = registered_stand_in(make_sandbox, tmp_path, run_script)
    judged = subprocess.run([*MODULE, "judge", "CONTAINER_PROCESS", "docker_host1", "--data", str(data)],
                            input=b"httpd:4dfd0a12b9de,15\n", capture_output=True, cwd=ROOT, timeout=60)
    assert judged.stdout.decode().splitlines() == [
        "[warning] CONTAINER_PROCESS docker_host1: VALUE : httpd:4dfd0a12b9de=15.0"]
    unknown = subprocess.run([*MODULE, "judge", "CONTAINER_NOPE", "h", "--data", str(data)], input=b"",
                             capture_output=True, cwd=ROOT, timeout=60)
    assert unknown.returncode == 1 and b"one of CONTAINER_CPU" in unknown.stderr
