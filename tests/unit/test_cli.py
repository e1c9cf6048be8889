"""The harness: usage errors exit 1 with one line, option types, credentials, Docker endpoints."""
import argparse
import io
import os
import signal

import pytest

from hinemos_docker import cli
from hinemos_docker.docker_endpoint import host_of, is_local, resolve_endpoint
from hinemos_docker.errors import DockerUnreachable, LocalFileError, UsageError


def _command(main, options=(cli.docker_options,)):
    return cli.Command(prog="T.py", description="test", options=list(options), main=main)


def _run(command, *argv):
    out, err = io.StringIO(), io.StringIO()
    return cli.run(command, list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_help_exits_0():
    code, out, _ = _run(_command(lambda a, c: 0), "--help")
    assert code == 0 and "usage: T.py" in out


@pytest.mark.parametrize("argv", [["-p", "0"], ["-p", "70000"], ["-p", "abc"], ["--unknown"], ["-i"]])
def test_usage_errors_exit_1_with_one_line(argv):
    code, out, err = _run(_command(lambda a, c: 0), *argv)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("T.py: ")


def test_errors_become_one_line_and_their_exit_code():
    def fail(args, console):
        raise DockerUnreachable("cannot connect to the Docker daemon at tcp://x:1: connection refused")
    code, _, err = _run(_command(fail))
    assert (code, err) == (1, "T.py: cannot connect to the Docker daemon at tcp://x:1: connection refused\n")


def test_unexpected_exception_is_one_line_and_traceback_only_with_debug():
    def bug(args, console):
        raise ZeroDivisionError("boom")
    code, _, err = _run(_command(bug))
    assert code == 1 and len(err.splitlines()) == 1 and "ZeroDivisionError: boom" in err
    code, _, err = _run(_command(bug), "--debug")
    assert code == 1 and "Traceback" in err


def test_the_command_return_value_is_the_exit_code():
    assert _run(_command(lambda a, c: 9))[0] == 9
    assert _run(_command(lambda a, c: None))[0] == 0


@pytest.mark.parametrize("kind, given, broken", [
    (cli.EXCLUDES, {"a"}, False), (cli.EXCLUDES, {"b", "c"}, False), (cli.EXCLUDES, {"a", "c"}, True),
    (cli.ONE_OF, set(), True), (cli.ONE_OF, {"c"}, False),
    (cli.TOGETHER, set(), False), (cli.TOGETHER, {"a", "b", "c"}, False), (cli.TOGETHER, {"b"}, True),
])
def test_option_rules(kind, given, broken):
    assert cli.OptionRule(kind, ("a", "b", "c"), "m").broken_by(given) is broken


def _with_rule(parser):
    parser.add_argument("--alone", action="store_true")
    parser.add_argument("--mode", default="all")
    parser.add_rule(cli.EXCLUDES, ("alone", "mode"), "--alone cannot be combined with --mode")


def test_the_harness_checks_option_rules_before_the_command_starts():
    started = []
    command = _command(lambda a, c: started.append(a) or 0, options=(_with_rule,))
    assert _run(command, "--alone", "--mode", "core") == (
        1, "", "T.py: --alone cannot be combined with --mode\n")
    assert started == []
    # an option given with its default value is as if not given
    assert _run(command, "--alone", "--mode", "all")[0] == 0 and len(started) == 1


def test_a_job_without_c_or_n_stops_before_listing_containers():
    from hinemos_docker.commands.jobs import START_COMMAND
    code, out, err = _run(START_COMMAND, "-i", "127.0.0.1", "-p", "9")
    assert (code, out) == (1, "")
    assert "-c/--container-id" in err and "-n/--container-name" in err and "required" in err


@pytest.mark.parametrize("text, expected", [("1", 1), ("2375", 2375), ("65535", 65535)])
def test_port_number(text, expected):
    assert cli.port_number(text) == expected


@pytest.mark.parametrize("text", ["0", "65536", "-1", "abc", "", "1.5"])
def test_bad_port_number(text):
    with pytest.raises(argparse.ArgumentTypeError):
        cli.port_number(text)


@pytest.mark.parametrize("text, expected", [
    ("127.0.0.1:514", ("127.0.0.1", 514)), ("loghost:1514", ("loghost", 1514)), ("[::1]:514", ("::1", 514)),
])
def test_host_port(text, expected):
    assert cli.host_port(text) == expected


@pytest.mark.parametrize("text", ["127.0.0.1", "127.0.0.1:", "host:abc", "host:0", ":514", "a:b:c"])
def test_bad_host_port(text):
    with pytest.raises(argparse.ArgumentTypeError):
        cli.host_port(text)


@pytest.mark.parametrize("text", ["hoge", "docker_host1_CONTAINER_CPU", "a.b@c-d"])
def test_key_id(text):
    assert cli.key_id(text) == text


@pytest.mark.parametrize("text", ["", "../etc/passwd", "a/b", "a b", "キー"])
def test_bad_key_id(text):
    with pytest.raises(argparse.ArgumentTypeError):
        cli.key_id(text)


@pytest.mark.parametrize("text", ["", "docker host", "a/b", "_ROOT_", "x" * 513])
def test_bad_facility_id(text):
    with pytest.raises(argparse.ArgumentTypeError):
        cli.facility_id(text)


def test_credentials_from_options_environment_and_defaults(tmp_path):
    args = argparse.Namespace(hinemos_user=None, hinemos_password_file=None)
    assert cli.hinemos_credentials(args, {}) == ("hinemos", "hinemos")
    assert cli.hinemos_credentials(args, {"HINEMOS_USER": "u", "HINEMOS_PASSWORD": "p"}) == ("u", "p")
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    secret.chmod(0o600)
    args = argparse.Namespace(hinemos_user="admin", hinemos_password_file=str(secret))
    assert cli.hinemos_credentials(args, {"HINEMOS_PASSWORD": "ignored"}) == ("admin", "s3cret")
    args.hinemos_password_file = str(tmp_path / "missing")
    with pytest.raises(LocalFileError, match="cannot read password file"):
        cli.hinemos_credentials(args, {})


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o620])
def test_a_password_file_open_to_group_or_others_is_refused(tmp_path, mode):
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    secret.chmod(mode)
    args = argparse.Namespace(hinemos_user=None, hinemos_password_file=str(secret))
    with pytest.raises(LocalFileError, match=f"open to group or others .mode 0{mode:o}.: run chmod 600"):
        cli.hinemos_credentials(args, {})


def test_a_password_file_that_is_a_fifo_does_not_block(tmp_path):
    fifo = tmp_path / "pw"
    os.mkfifo(fifo, 0o600)
    args = argparse.Namespace(hinemos_user=None, hinemos_password_file=str(fifo))
    with pytest.raises(LocalFileError, match="not a regular file"):
        cli.hinemos_credentials(args, {})


def test_state_dir_option_environment_default():
    args = argparse.Namespace(state_dir=None)
    assert cli.state_dir(args, {}) == "/tmp"
    assert cli.state_dir(args, {"HINEMOS_DOCKER_STATE_DIR": "/var/lib/x"}) == "/var/lib/x"
    args.state_dir = "/srv"
    assert cli.state_dir(args, {"HINEMOS_DOCKER_STATE_DIR": "/var/lib/x"}) == "/srv"


@pytest.mark.parametrize("kwargs, environ, url", [
    ({}, {}, "http://127.0.0.1:2375"),
    ({"ip": "docker_host1"}, {}, "http://docker_host1:2375"),
    ({"ip": "10.0.200.123", "port": 4243}, {}, "http://10.0.200.123:4243"),
    ({"ip": "::1"}, {}, "http://[::1]:2375"),
    ({"ip": "tcp://h:2000"}, {}, "http://h:2000"),
    ({"ip": "tcp://h"}, {}, "http://h:2375"),
    ({"ip": "tcp://h", "port": 3000}, {}, "http://h:3000"),
    ({"ip": "unix:///var/run/docker.sock"}, {}, "unix:///var/run/docker.sock"),
    # DOCKER_HOST wins over the default only when neither -i nor -p is given
    ({}, {"DOCKER_HOST": "unix:///run/d.sock"}, "unix:///run/d.sock"),
    ({"port": 2375}, {"DOCKER_HOST": "unix:///run/d.sock"}, "http://127.0.0.1:2375"),
    ({"ip": "h"}, {"DOCKER_HOST": "tcp://other:1"}, "http://h:2375"),
    # HOST:PORT as the docker CLI's -H takes it
    ({"ip": "10.0.200.123:4243"}, {}, "http://10.0.200.123:4243"),
    ({"ip": "[::1]:2376"}, {}, "http://[::1]:2376"),
    ({"ip": "[::1]"}, {}, "http://[::1]:2375"),
])
def test_resolve_endpoint(kwargs, environ, url):
    endpoint = resolve_endpoint(environ=environ, **kwargs)
    assert endpoint.base_url == url and not endpoint.tls


@pytest.mark.parametrize("base_url, host", [
    ("unix:///var/run/docker.sock", "127.0.0.1"),
    ("http://127.0.0.1:2375", "127.0.0.1"),
    ("https://docker-host1.example:2376", "docker-host1.example"),
    ("http://[::1]:2375", "::1"),
])
def test_the_docker_host_of_an_endpoint(base_url, host):
    # the SNMP agent, the syslog HOSTNAME without -i and the nodes' address all start from it
    assert host_of(base_url) == host


def test_tls_follows_the_docker_cli_conventions():
    endpoint = resolve_endpoint(ip="h", environ={"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/certs"})
    assert endpoint.base_url == "https://h:2376" and endpoint.verify
    assert (endpoint.ca_cert, endpoint.client_cert, endpoint.client_key) == (
        "/certs/ca.pem", "/certs/cert.pem", "/certs/key.pem")
    endpoint = resolve_endpoint(ip="h", tls=True, tlscert="/c.pem", environ={"DOCKER_CERT_PATH": "/certs"})
    assert endpoint.tls and not endpoint.verify and endpoint.client_cert == "/c.pem"
    assert endpoint.display == "tcp://h:2376"


@pytest.mark.parametrize("kwargs", [
    {"ip": "unix:///s", "port": 1}, {"ip": "ftp://h"}, {"ip": "tcp://h:99999"},
    {"ip": "tcp://h:1", "port": 2},
    {"ip": "tcp://"}, {"ip": "bad host"},
])
def test_bad_endpoints(kwargs):
    with pytest.raises(UsageError):
        resolve_endpoint(environ={}, **kwargs)


def test_client_files_named_on_the_command_line_are_not_defaults():
    assert resolve_endpoint(ip="h", tls=True, environ={}).default_client_files
    named = resolve_endpoint(ip="h", tls=True, tlscert="/c.pem", tlskey="/k.pem", environ={})
    assert not named.default_client_files
    assert (named.client_cert, named.client_key) == ("/c.pem", "/k.pem")


def test_a_multi_line_error_is_still_one_line():
    def fail(args, console):
        raise DockerUnreachable("first part\nsecond part\n")
    code, _, err = _run(_command(fail))
    assert (code, err) == (1, "T.py: first part / second part\n")


# ---- stop signals and the run's deadline ----------------------------------------------------

def _sleeper(seconds):
    def main(args, console):
        import time
        time.sleep(seconds)
        return 0
    return main


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)])
def test_a_stop_signal_ends_the_run_with_128_plus_its_number(signum, code):
    def main(args, console):
        os.kill(os.getpid(), signum)
        raise AssertionError("the signal interrupts before this line")
    before = signal.getsignal(signum)
    status, out, err = _run(_command(main, options=()))
    assert (status, out) == (code, "")
    assert err == f"T.py: stopped by {signal.Signals(signum).name}\n"
    assert signal.getsignal(signum) == before  # the harness puts the handlers back


def test_cleanups_run_when_a_signal_stops_the_run():
    cleaned = []

    def main(args, console):
        try:
            os.kill(os.getpid(), signal.SIGTERM)
        finally:
            cleaned.append(True)
    assert _run(_command(main, options=()))[0] == 143
    assert cleaned == [True]


def test_the_run_timeout_ends_a_run_that_waits_outside_any_call():
    command = cli.Command(prog="T.py", description="t", options=[cli.run_timeout_option], main=_sleeper(30))
    status, out, err = _run(command, "--run-timeout", "1")
    assert (status, out) == (1, "")
    assert err == "T.py: the run did not finish within 1 s (--run-timeout)\n"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_run_timeout_0_means_no_limit():
    command = cli.Command(prog="T.py", description="t", options=[cli.run_timeout_option], main=_sleeper(0.2))
    assert _run(command, "--run-timeout", "0")[0] == 0


@pytest.mark.parametrize("text", ["http://u:p@h/HinemosWS", "http://u@h/x", "http://[::1/x", "http://h:99999/x"])
def test_bad_manager_urls(text):
    with pytest.raises(argparse.ArgumentTypeError) as info:
        cli.hinemos_url(text)
    assert ":p@" not in str(info.value)


@pytest.mark.parametrize("text, ok", [("public", True), ("a b~", True), ("", False), ("Ā", False),
                                      ("x" * 256, False), ("tab\t", False)])
def test_snmp_community(text, ok):
    if ok:
        assert cli.snmp_community(text) == text
    else:
        with pytest.raises(argparse.ArgumentTypeError):
            cli.snmp_community(text)


@pytest.mark.parametrize("text, mode", [("0600", 0o600), ("640", 0o640), ("0", 0), ("777", 0o777)])
def test_file_mode(text, mode):
    assert cli.file_mode(text) == mode


@pytest.mark.parametrize("text", ["999", "-1", "1000", "rw", "6 0 0"])
def test_bad_file_mode(text):
    with pytest.raises(argparse.ArgumentTypeError):
        cli.file_mode(text)


def test_an_options_own_value_double_dash_is_kept():
    def main(args, console):
        console.print(repr(args.key))
    command = _command(main, options=[lambda parser: parser.add_argument("--key")])
    assert _run(command, "--key=--")[:2] == (0, "'--'\n")


@pytest.mark.parametrize("kwargs, local", [
    ({"ip": "unix:///var/run/docker.sock"}, True),
    ({"ip": "127.0.0.1"}, True),
    ({"ip": "127.3.4.5", "port": 2375}, True),
    ({"ip": "tcp://[::1]:2375"}, True),
    ({"ip": "localhost"}, True),
    ({"ip": "127.0.0.1", "tls": True}, False),  # TLS is left to the SDK
    ({"ip": "192.0.2.1"}, False),
    ({"ip": "docker.example"}, False),
    ({"ip": "tcp://[2001:db8::1]:2375"}, False),
])
def test_a_local_daemon_is_told_by_its_address(kwargs, local):
    assert is_local(resolve_endpoint(environ={}, **kwargs)) is local


@pytest.mark.parametrize("ip, port, message", [
    ("h:0", None, "invalid port in Docker host 'h:0'"),
    ("h:x", None, "invalid port in Docker host 'h:x'"),
    ("h:2375", 2375, "-p conflicts with the port in 'h:2375'"),
])
def test_bad_docker_host_port(ip, port, message):
    with pytest.raises(UsageError, match=message):
        resolve_endpoint(ip=ip, port=port, environ={})
