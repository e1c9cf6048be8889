"""The docker CLI's TLS options (docs/rules.md#docker-endpoint) against the real daemon behind the
TLS front of tests/fixtures/tls.py: --tlsverify with files or with DOCKER_HOST / DOCKER_TLS_VERIFY /
DOCKER_CERT_PATH, --tls without verification, and each misconfiguration as one stderr line."""
import os
import subprocess
import time
from pathlib import Path

import pytest

from hinemos_docker.commands import exec_job, host_status, process_monitor
from tests.fixtures.scripts import installed_script

ROOT = Path(__file__).resolve().parents[2]
UNIX = ("-i", "unix:///var/run/docker.sock")
# sh keeps a second sleep in the background: two processes named sleep
SLEEPERS = "sh -c 'sleep 3600 & exec sleep 3600'"


@pytest.fixture(autouse=True)
def clean_docker_env(monkeypatch, tmp_path):
    """Neither the caller's DOCKER_* variables nor a ~/.docker directory may steer these runs."""
    for name in ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def sleepers(make_container, unique_prefix):
    """Two running containers of ours; -n selects exactly them."""
    make_container("a", SLEEPERS)
    make_container("b", SLEEPERS)
    return f"{unique_prefix}*"


def _verify_options(certs, ca=None):
    return ("--tlsverify", "--tlscacert", ca or certs.ca, "--tlscert", certs.client_cert,
            "--tlskey", certs.client_key)


def _at(front):
    return ("-i", "127.0.0.1", "-p", front.port)


def _same_as_unix(run_script, script, *argv, tls=()):
    """The script's result through TLS, taken between two equal results over the unix socket
    (other tests change the daemon meanwhile), and that plain result."""
    for _ in range(10):
        before = run_script(script, *UNIX, *argv)
        ours = run_script(script, *tls, *argv)
        after = run_script(script, *UNIX, *argv)
        if (before.code, before.out) == (after.code, after.out):
            assert before.code == 0 and before.lines, before.err
            return ours, before
        time.sleep(0.3)
    pytest.fail("the daemon kept changing while comparing")


def _one_line_failure(result, script):
    assert result.code == 1 and result.out == ""
    assert result.err.startswith(f"{script.prog}: ") and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    return result.err[len(script.prog) + 2:].rstrip("\n")


def _unreachable(port):
    return f"cannot connect to the Docker daemon at tcp://127.0.0.1:{port}: "


# ---- (1) --tlsverify with explicit files -------------------------------------------------------

def test_tlsverify_with_files_reads_what_the_unix_socket_reads(run_script, tls_front, tls_certs, sleepers):
    tls = _verify_options(tls_certs) + _at(tls_front)
    assert run_script(host_status.COMMAND, *tls, "--status").out == "Status,0\n"
    ours, plain = _same_as_unix(run_script, host_status.COMMAND, "--count", tls=tls)
    assert (ours.code, ours.out, ours.err) == (0, plain.out, "")
    ours, plain = _same_as_unix(run_script, process_monitor.COMMAND, "-n", sleepers, "-prog", "sleep",
                                tls=tls)
    assert (ours.code, ours.out, ours.err) == (0, plain.out, "")
    assert [line.rsplit(",", 1)[1] for line in ours.lines] == ["2", "2"]


def test_tlsverify_checks_the_host_name_too(run_script, tls_front, tls_certs):
    """The server certificate names IP:127.0.0.1 and DNS:localhost: both pass verification."""
    for host in ("127.0.0.1", "localhost", f"tcp://localhost:{tls_front.port}"):
        port = () if "://" in host else ("-p", tls_front.port)
        result = run_script(host_status.COMMAND, *_verify_options(tls_certs), "-i", host, *port)
        assert (result.code, result.out, result.err) == (0, "Status,0\n", ""), host


def test_a_streamed_exec_passes_through_tls(run_script, tls_front, tls_certs, make_container):
    container = make_container("job")
    result = run_script(exec_job.COMMAND, *_verify_options(tls_certs), *_at(tls_front), "-n", container.name,
                        "--shell", "echo out; echo err >&2; head -c 300000 /dev/zero; exit 3")
    assert (result.code, result.out, result.err) == (3, "out\n" + "\0" * 300000, "err\n")


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_a_ca_bundle_variable_of_requests_does_not_replace_tlscacert(
        run_script, monkeypatch, tls_front, tls_certs, variable):
    """requests would let these override the session's CA (docker-py #2433); ours must win."""
    monkeypatch.setenv(variable, str(tls_certs.other_ca))
    for options in (_verify_options(tls_certs), ("--tls", "--tlscert", tls_certs.client_cert,
                                                 "--tlskey", tls_certs.client_key)):
        result = run_script(host_status.COMMAND, *options, *_at(tls_front), "--count")
        assert (result.code, result.err) == (0, ""), options


# ---- (2) the docker CLI's variables ------------------------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_docker_host_tls_verify_and_cert_path(run_script, monkeypatch, tls_front, tls_certs, sleepers, host):
    monkeypatch.setenv("DOCKER_HOST", f"tcp://{host}:{tls_front.port}")
    monkeypatch.setenv("DOCKER_TLS_VERIFY", "1")
    monkeypatch.setenv("DOCKER_CERT_PATH", str(tls_certs.client_dir))
    assert run_script(host_status.COMMAND).out == "Status,0\n"
    ours, plain = _same_as_unix(run_script, process_monitor.COMMAND, "-n", sleepers)
    assert (ours.code, ours.out, ours.err) == (0, plain.out, "")


# ---- (3) --tls: encrypted, not verified --------------------------------------------------------

@pytest.mark.parametrize("case", ["no CA", "a foreign CA", "DOCKER_CERT_PATH", "no client certificate"])
def test_tls_without_verification(run_script, monkeypatch, tls_front, tls_front_open, tls_certs, case):
    client = ("--tlscert", tls_certs.client_cert, "--tlskey", tls_certs.client_key)
    front, options = {
        "no CA": (tls_front, client),
        "a foreign CA": (tls_front, client + ("--tlscacert", tls_certs.other_ca)),
        "DOCKER_CERT_PATH": (tls_front, ()),
        # as with the docker CLI, absent default client files are simply not sent
        "no client certificate": (tls_front_open, ()),
    }[case]
    if case == "DOCKER_CERT_PATH":
        monkeypatch.setenv("DOCKER_CERT_PATH", str(tls_certs.client_dir))
    result = run_script(host_status.COMMAND, "--tls", *options, *_at(front), "--count")
    assert (result.code, result.err) == (0, ""), case
    assert [line.split(",")[0] for line in result.lines] == ["running", "restarting", "paused", "exited"]


def test_tls_warns_nothing_on_stderr_of_a_real_process(tmp_path, tls_front_open):
    """urllib3 would print an InsecureRequestWarning per run; --tls is the operator's choice."""
    env = dict(os.environ, HOME=str(tmp_path))
    script = installed_script("MonitorDockerHostStatus.py")
    argv = [str(script), "--tls", *map(str, _at(tls_front_open)), "--count"]
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    assert len(result.stdout.splitlines()) == 4


# ---- (4) misconfigurations: one line, exit 1; --status prints Status,1 -------------------------

def _bad_setups(front, certs):
    """name -> (options, reason) of each misconfiguration; reason is the start of the message."""
    return {
        "wrong CA": (_verify_options(certs, ca=certs.other_ca) + _at(front),
                     _unreachable(front.port) + "TLS error: certificate verify failed: "),
        "plain HTTP to the TLS port": (_at(front), _unreachable(front.port) +
                                       "the daemon expects TLS on this port (use --tls or --tlsverify)"),
        "TLS to the plain port": (_verify_options(certs) + ("-i", "127.0.0.1", "-p", "2375"),
                                  _unreachable(2375) + "TLS error: the daemon does not speak TLS on this "
                                                       "port (wrong version number)"),
        # the daemon's refusal arrives as an alert or, racing our request, as a closed connection
        "no client certificate": (("--tlsverify", "--tlscacert", certs.ca) + _at(front),
                                  _unreachable(front.port) + "TLS error: the daemon "),
    }


@pytest.mark.parametrize("setup", ["wrong CA", "plain HTTP to the TLS port", "TLS to the plain port",
                                   "no client certificate"])
def test_a_bad_setup_is_one_line_and_exit_1(run_script, tls_front, tls_certs, setup):
    options, reason = _bad_setups(tls_front, tls_certs)[setup]
    for script, argv in ((host_status.COMMAND, ("--count",)), (process_monitor.COMMAND, ())):
        message = _one_line_failure(run_script(script, *options, *argv), script)
        assert message.startswith(reason), message
        if setup == "no client certificate":
            assert "client certificate" in message


@pytest.mark.parametrize("setup", ["wrong CA", "plain HTTP to the TLS port", "TLS to the plain port",
                                   "no client certificate"])
def test_status_of_a_bad_setup_is_1_and_exit_0(run_script, tls_front, tls_certs, setup):
    options, _ = _bad_setups(tls_front, tls_certs)[setup]
    result = run_script(host_status.COMMAND, *options, "--status")
    assert (result.code, result.out, result.err) == (0, "Status,1\n", "")


def test_a_missing_tls_file_is_a_usage_error(run_script, tmp_path, tls_front, tls_certs):
    """Named files must exist, and so must the default CA that --tlsverify needs; this is bad
    input, not an unreachable daemon, so --status too ends with 1."""
    missing = tmp_path / "nowhere" / "cert.pem"
    default_ca = tmp_path / ".docker" / "ca.pem"
    for options, path in (
            (("--tlsverify", "--tlscacert", tls_certs.ca, "--tlscert", missing, "--tlskey",
              tls_certs.client_key), missing),
            (("--tls", "--tlscert", tls_certs.client_cert, "--tlskey", missing), missing),
            (("--tlsverify", "--tlscert", tls_certs.client_cert, "--tlskey", tls_certs.client_key),
             default_ca)):
        for mode in ("--count", "--status"):
            result = run_script(host_status.COMMAND, *options, *_at(tls_front), mode)
            assert _one_line_failure(result, host_status.COMMAND) == f"TLS file not found: {path}"
