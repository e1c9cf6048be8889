"""JobDockerContainerCommand.py against the real daemon: the command's own exit code, stdout and
stderr passed through separately, a missing command, a command that outlives the API timeout,
and the errors that end the script with 1."""
import subprocess
from pathlib import Path

import pytest

from hinemos_docker.commands.exec_job import COMMAND
from tests.fixtures.scripts import installed_script

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def container(make_container):
    return make_container("a")


@pytest.fixture
def command(run_script, testbed, container):
    """command(*argv) in the running test container on the test bed's daemon."""
    return lambda *argv: run_script(COMMAND, "-i", testbed.docker_url_unix, "-n", container.name, *argv)


@pytest.mark.parametrize("argv, code, out, err", [
    (["echo hello"], 0, "hello\n", ""),
    (["ls /nonexistent"], 1, "", "ls: /nonexistent: No such file or directory\n"),
    (["sh -c 'exit 42'"], 42, "", ""),
    (["--shell", "echo $((6 * 7)) | cat; exit 3"], 3, "42\n", ""),
    # without --shell nothing is expanded: the words reach echo as they are
    (["echo $HOME '|' cat"], 0, "$HOME | cat\n", ""),
])
def test_exit_code_and_output_are_the_commands(command, argv, code, out, err):
    result = command(*argv)
    assert (result.code, result.out, result.err) == (code, out, err)


def test_stdout_and_stderr_are_kept_apart(command):
    result = command("sh -c 'echo out; echo err >&2; echo out2; echo err2 >&2'")
    assert (result.code, result.out, result.err) == (0, "out\nout2\n", "err\nerr2\n")


def test_a_missing_command_is_one_line_and_127(command, container):
    result = command("nosuchcmd --flag")
    assert (result.code, result.out) == (127, "")
    assert result.err == (f"JobDockerContainerCommand.py: cannot run the command in {container.id[:12]} "
                          f'{container.name}: "nosuchcmd": executable file not found in $PATH\n')


def test_a_command_that_is_not_executable_is_126(command):
    result = command("/root")
    assert (result.code, result.out) == (126, "")
    assert len(result.err.splitlines()) == 1 and "permission denied" in result.err


def test_a_command_outlasting_the_api_timeout_is_not_cut_off(command):
    result = command("--docker-timeout", "2", "--shell", "sleep 4; echo done")
    assert (result.code, result.out, result.err) == (0, "done\n", "")


def test_a_pattern_matching_one_container_runs_there(run_script, testbed, container, unique_prefix):
    result = run_script(COMMAND, "-i", testbed.docker_url_unix, "-n", f"{unique_prefix}*", "hostname")
    assert (result.code, result.out) == (0, f"{container.id[:12]}\n")


def test_bytes_pass_through_unchanged_as_a_real_process(testbed, container):
    """stdout and stderr of the script process are the command's bytes, not re-encoded."""
    result = subprocess.run(
        [str(installed_script("JobDockerContainerCommand.py")), "-i", testbed.docker_url_unix,
         "-n", container.name,
         "--shell", r"echo -e 'a\0377b'; echo -e '\0303\0251' >&2; exit 5"],
        capture_output=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (5, b"a\xffb\n", "é\n".encode())


def test_errors_exit_1_with_one_line(run_script, testbed, make_container, unique_prefix):
    stopped = make_container("b", state="exited")
    make_container("c")
    for argv, message in (
            (["-n", stopped.name, "echo x"], f"container {stopped.id[:12]} {stopped.name} is exited"),
            (["-n", f"{unique_prefix}*", "echo x"], "matches 2 containers"),
            (["-n", f"{unique_prefix}nothing*", "echo x"], "no container matches container name"),
            (["echo x"], "one of the arguments -c"),
            (["-n", stopped.name, "-c", stopped.id[:12], "echo x"], "not allowed with argument"),
            (["-n", stopped.name, ""], "COMMAND is empty"),
            (["-n", stopped.name, "echo 'x"], "cannot split COMMAND"),
            (["-n", stopped.name], "the following arguments are required: COMMAND")):
        result = run_script(COMMAND, "-i", testbed.docker_url_unix, *argv)
        assert (result.code, result.out) == (1, ""), argv
        assert len(result.err.splitlines()) == 1 and message in result.err, (argv, result.err)


def test_daemon_down_is_one_line_and_1(run_script):
    result = run_script(COMMAND, "-p", "1", "-n", "x", "echo x")
    assert (result.code, result.out) == (1, "")
    assert result.err == ("JobDockerContainerCommand.py: cannot connect to the Docker daemon at "
                          "tcp://127.0.0.1:1: connection refused\n")
