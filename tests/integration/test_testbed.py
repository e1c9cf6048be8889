"""The test bed itself works: dockerd on tcp, the imported image, snmpd and rsyslogd."""
from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.request
import uuid

import pytest

from tests.fixtures.testbed import TEST_LABEL, Testbed

MEM_TOTAL_REAL = ".1.3.6.1.4.1.2021.4.5.0"


def test_dockerd_answers_on_tcp(testbed: Testbed) -> None:
    url = testbed.docker_url_tcp.replace("tcp://", "http://", 1) + "/_ping"
    with urllib.request.urlopen(url, timeout=5) as resp:
        assert resp.read() == b"OK"


def test_image_runs_echo(testbed: Testbed, docker_cli: list[str]) -> None:
    name = f"hd-testbed-{uuid.uuid4().hex[:8]}"
    try:
        label = f"{TEST_LABEL}=testbed"
        out = subprocess.run(
            [*docker_cli, "run", "--name", name, "--label", label, testbed.image, "echo", "ok"],
            capture_output=True, text=True, timeout=60, check=True,
        )
        assert out.stdout.strip() == "ok"
    finally:
        subprocess.run([*docker_cli, "rm", "-f", name], capture_output=True, timeout=60)


def test_snmpd_answers_mem_total_real(testbed: Testbed) -> None:
    out = subprocess.run(
        ["snmpget", "-v2c", "-c", testbed.snmp_community, "-On", "-m", "", "-t", "1", "-r", "2",
         f"127.0.0.1:{testbed.snmp_port}", MEM_TOTAL_REAL],
        capture_output=True, text=True, timeout=30, check=True,
    )
    match = re.search(rf"^{re.escape(MEM_TOTAL_REAL)} = INTEGER: (\d+)", out.stdout, re.M)
    assert match, out.stdout
    assert int(match.group(1)) > 0


def _wait_for_record(testbed: Testbed, token: str, timeout: float = 5.0) -> dict:
    """The JSON record whose msg carries token, once rsyslogd has written it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if testbed.syslog_received.exists():
            for line in testbed.syslog_received.read_text(encoding="utf-8", errors="replace").splitlines():
                if token in line:
                    return json.loads(line)
        time.sleep(0.05)
    pytest.fail(f"no record with {token} in {testbed.syslog_received} after {timeout} s")


def test_syslog_udp_is_recorded(testbed: Testbed) -> None:
    # a unique token: other developers' tests write to the same file at the same time
    token = uuid.uuid4().hex
    datagram = f"<14>Nov 28 10:00:00 abcdef123456 tag: hello {token}".encode()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(datagram, ("127.0.0.1", testbed.syslog_port))
    record = _wait_for_record(testbed, token)
    assert record["hostname"] == "abcdef123456"
    assert record["syslogtag"] == "tag:"
    assert record["pri"] == "14"
    assert record["msg"] == f" hello {token}"


def test_syslog_tcp_is_recorded(testbed: Testbed) -> None:
    token = uuid.uuid4().hex
    frame = f"<14>Nov 28 10:00:00 abcdef123456 tag: hello {token}\n".encode()
    with socket.create_connection(("127.0.0.1", testbed.syslog_tcp_port), timeout=5) as sock:
        sock.sendall(frame)
    record = _wait_for_record(testbed, token)
    assert record["hostname"] == "abcdef123456"
    assert record["msg"] == f" hello {token}"
