"""What went wrong when the scripts were tried as an operator would, each now one clear line or
the right behaviour: option values that start with '-', -i HOST:PORT (monitors, --status, the
cron wrapper), Japanese error lines under a ja locale, labels naming the scripts' own scopes,
output piped to head, a relative download SOURCE, an unquoted multi-word COMMAND."""
import io
import os
import subprocess
import tarfile

import pytest

from hinemos_docker.cli import Command, attach_dash_values, build_parser, run
from hinemos_docker.commands import download, host_status, process_monitor
from hinemos_docker.commands import exec_job as job_command
from hinemos_docker.commands.repository_sync import ADD
from tests.fixtures.ports import refusing_port
from tests.fixtures.scripts import installed_script

HTTPD = "httpd -f -p 80 -h /var/www"


@pytest.fixture
def english(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "DOCKER_HOST", "HINEMOS_USER", "HINEMOS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


# ---- option values that start with '-' -------------------------------------------------------

@pytest.mark.parametrize("argv, key", [
    (["-prog", "httpd", "-args", "-f -p 80"], "httpd -f -p 80"),
    (["-prog", "-p 80"], "-p 80"),
    (["-prog", "httpd", "-args", "-f"], "httpd -f"),
    (["--prog=httpd -f", "--args", "-p 80 -h /var/www"], "httpd -f -p 80 -h /var/www"),
])
def test_quoted_values_that_start_like_an_option(run_script, make_container, argv, key):
    web = make_container("web", command=HTTPD)
    result = run_script(process_monitor.COMMAND, "-i", "127.0.0.1", "-c", web.id[:12], *argv)
    assert (result.code, result.err) == (0, "")
    assert result.lines == [f"{key}:{web.id[:12]},1"]


def test_attach_dash_values_leaves_options_and_the_end_marker_alone():
    parser = build_parser(process_monitor.COMMAND)
    assert attach_dash_values(parser, ["-prog", "-c x", "-args", "-f"]) == ["-prog=-c x", "-args=-f"]
    # a real option (alone, =value or attached) after an option is still an option
    for following in ("-c", "--container-id=abc", "-cabc", "--debug"):
        assert attach_dash_values(parser, ["-prog", following]) == ["-prog", following]
    assert attach_dash_values(parser, ["--", "-prog", "-x"]) == ["--", "-prog", "-x"]


# ---- -i HOST:PORT ----------------------------------------------------------------------------

def test_host_port_in_i_for_a_monitor_and_for_status(run_script):
    assert run_script(host_status.COMMAND, "-i", "127.0.0.1:2375", "--status").lines == ["Status,0"]
    count = run_script(host_status.COMMAND, "-i", "127.0.0.1:2375", "--count")
    assert count.code == 0 and [line.split(",")[0] for line in count.lines] == [
        "running", "restarting", "paused", "exited"]
    with refusing_port() as port:
        down = run_script(host_status.COMMAND, "-i", f"127.0.0.1:{port}", "--status")
    assert (down.code, down.out, down.err) == (0, "Status,1\n", "")


@pytest.mark.parametrize("argv, message", [
    (["-i", "127.0.0.1:99999"], "invalid port in Docker host '127.0.0.1:99999' (expected 1-65535)"),
    (["-i", "127.0.0.1:2375", "-p", "2375"], "-p conflicts with the port in '127.0.0.1:2375'"),
])
def test_bad_host_port_is_one_line(run_script, argv, message):
    result = run_script(host_status.COMMAND, *argv, "--count")
    assert (result.code, result.out) == (1, "")
    assert result.err == f"MonitorDockerHostStatus.py: {message}\n"


def test_cron_wrapper_takes_host_port_entries(make_sandbox, unique_prefix, make_container):
    sandbox = make_sandbox()
    box = make_container("box")
    host = f"{unique_prefix}host"
    env = {**os.environ, "LANG": "C.UTF-8", "REPOSITORY_DOCKER_HOSTS": f"127.0.0.1:2375 {host}\n"}
    for name in ("LC_ALL", "PYTHONPATH", "HINEMOS_DOCKER_BIN"):
        env.pop(name, None)
    result = subprocess.run([str(installed_script("RepositoryDockerNode.sh")), "-m", sandbox.base_url],
                            capture_output=True, text=True, env=env, timeout=300)
    assert (result.returncode, result.stderr) == (0, "")
    assert f"Creating {host}-{box.name}." in result.stdout.splitlines()
    assert sandbox.repository.get_node(host)["ipAddressV4"] == "127.0.0.1"


# ---- Japanese error lines --------------------------------------------------------------------

def test_repository_errors_are_japanese_under_a_ja_locale(run_script, monkeypatch):
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    with refusing_port() as port:
        result = run_script(ADD, "-i", "127.0.0.1", "-m", f"http://127.0.0.1:{port}/HinemosWS", "-f", "h1")
    assert result.code == 1 and len(result.err.splitlines()) == 1
    assert result.err.startswith("RepositoryDockerNodeAdd.py: Hinemosマネージャと通信できません: "
                                 f"cannot reach the Hinemos manager at http://127.0.0.1:{port}/")
    assert result.lines[0] == "開始しました。"
    usage = run_script(ADD, "-i", "127.0.0.1")
    assert usage.err.startswith("RepositoryDockerNodeAdd.py: オプションが正しくありません: ")


def test_repository_errors_stay_english_otherwise(run_script, english):
    with refusing_port() as port:
        result = run_script(ADD, "-i", "127.0.0.1", "-m", f"http://127.0.0.1:{port}/HinemosWS", "-f", "h1")
    assert result.err.startswith("RepositoryDockerNodeAdd.py: cannot reach the Hinemos manager at ")


# ---- labels naming the scripts' own scopes ---------------------------------------------------

def test_a_label_never_puts_a_node_into_the_scripts_scopes(run_script, english, sandbox, make_container,
                                                          unique_prefix):
    host = f"{unique_prefix}host"
    box = make_container("box", labels={"hinemosAssignScopeId": f"docker_host,docker_map,{host}_scope"})
    result = run_script(ADD, "-i", "127.0.0.1", "-m", sandbox.base_url, "-f", host)
    assert result.code == 0, result.err
    for scope in ("docker_host", "docker_map"):
        assert (f"[skip] Scope {scope} is managed by the repository scripts (docker_container, docker_host, "
                "docker_map and the hosts' scopes); skipping the assignment.") in result.lines
    repository = sandbox.repository
    assert repository.get_facility_id_list("docker_host", 1) == ["docker_host", host]
    assert repository.get_facility_id_list("docker_map", 1) == ["docker_map", f"{host}_scope"]
    assert f"{host}-{box.name}" in repository.get_facility_id_list(f"{host}_scope", 1)  # as any container


# ---- output piped to head --------------------------------------------------------------------

class ClosedPipe(io.StringIO):
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_stops_silently_in_process(run_script):
    stderr = io.StringIO()
    code = run(host_status.COMMAND, ["-i", "127.0.0.1", "--count"], stdout=ClosedPipe(), stderr=stderr)
    assert (code, stderr.getvalue()) == (1, "")


@pytest.mark.parametrize("name, argv", [
    ("MonitorDockerHostStatus.py", ["-i", "127.0.0.1", "--count"]),
    ("JobDockerContainerCommand.py", ["-n", "NAME", "find /"]),
])
def test_piped_to_a_reader_that_left_says_nothing(make_container, name, argv):
    box = make_container("box")
    argv = [box.name if a == "NAME" else a for a in argv]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line
    try:
        result = subprocess.run([str(installed_script(name)), *argv], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode in (0, 1)


def test_head_gets_its_lines_and_no_error(make_container):
    make_container("box")
    script = installed_script("MonitorDockerHostStatus.py")
    result = subprocess.run(f"'{script}' -i 127.0.0.1 --count | head -n1", shell=True, capture_output=True,
                            text=True, timeout=120)
    assert (result.stdout.split(",")[0], result.stderr) == ("running", "")


# ---- a relative download SOURCE --------------------------------------------------------------

def test_relative_source_counts_from_the_root(run_script, make_container, tmp_path):
    box = make_container("box")
    result = run_script(download.COMMAND, "-i", "127.0.0.1", "-c", box.id[:12], "etc", tmp_path)
    assert result.code == 0, result.err
    assert result.lines[0] == str(tmp_path / f"{box.name}_etc.tar")
    with tarfile.open(result.lines[0]) as archive:
        assert archive.getnames()[0] == "etc"


# ---- an unquoted multi-word COMMAND ----------------------------------------------------------

def test_unquoted_command_says_to_quote_it(run_script):
    result = run_script(job_command.COMMAND, "-c", "abc", "find", "/root")
    assert (result.code, result.out) == (1, "")
    assert result.err == ("JobDockerContainerCommand.py: unrecognized arguments: /root; COMMAND is one "
                          'argument: quote the whole command line, e.g. "find /root" (see --help)\n')


def test_the_hint_is_only_for_commands_that_carry_one():
    stderr = io.StringIO()
    plain = Command(prog="T.py", description="t", options=[], main=lambda args, console: 0)
    assert run(plain, ["x"], stdout=io.StringIO(), stderr=stderr) == 1
    assert stderr.getvalue() == "T.py: unrecognized arguments: x (see --help)\n"
