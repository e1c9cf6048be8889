"""The job rules on recorded API answers (tests/data/jobs/README.md): which containers each job acts
on, skips or fails, the result lines, the exit code, the command's start failure, the download's
file name and its tar -tv listing."""
import json
import tarfile
from datetime import timezone
from pathlib import Path

import pytest

from hinemos_docker import jobs
from hinemos_docker.commands.exec_job import command_vector
from hinemos_docker.containers import container_name
from hinemos_docker.errors import AmbiguousContainer, CommandNotStarted, ContainerNotFound, UsageError

DATA = Path(__file__).resolve().parents[1] / "data" / "jobs"
# the recorded containers, by name: A exited, B created, C paused, D running (linked as E/db),
# E running, F restarting
LISTED = json.loads((DATA / "containers.json").read_text())
BY_NAME = {container_name(c): c for c in LISTED}


def _verdict(operation, name, **flags):
    result = jobs.plan(operation, BY_NAME[name], **flags)
    return "act" if result is None else result.line.split(" ", 2)[2]


@pytest.mark.parametrize("operation, expected", [
    ("start", {"conteiner_A": "act", "conteiner_B": "act", "conteiner_C": "Skip (paused)",
               "conteiner_D": "Skip (running)", "conteiner_F": "Skip (restarting)"}),
    ("stop", {"conteiner_A": "Skip (exited)", "conteiner_B": "Skip (exited)", "conteiner_C": "Skip (paused)",
              "conteiner_D": "act", "conteiner_F": "Skip (restarting)"}),
    ("restart", {"conteiner_A": "Skip (exited)", "conteiner_B": "Skip (exited)",
                 "conteiner_C": "Skip (paused)", "conteiner_D": "act", "conteiner_F": "Skip (restarting)"}),
    ("rm", {"conteiner_A": "act", "conteiner_B": "act",
            "conteiner_C": "Failed: container is paused; -f removes it",
            "conteiner_D": "Failed: container is running; -f removes it",
            "conteiner_F": "Failed: container is restarting; -f removes it"}),
])
def test_each_job_acts_on_its_state_only(operation, expected):
    assert {name: _verdict(operation, name) for name in expected} == expected


def test_rm_force_acts_on_every_state():
    assert {_verdict("rm", name, force=True) for name in BY_NAME} == {"act"}


def test_rm_link_acts_on_linked_containers_in_any_state_and_skips_the_others():
    assert jobs.link_names(BY_NAME["conteiner_D"]) == ["/conteiner_E/db"]
    assert _verdict("rm", "conteiner_D", link=True) == "act"
    assert _verdict("rm", "conteiner_A", link=True) == "Skip (no links)"


def test_result_lines_have_the_manual_shape():
    container = BY_NAME["conteiner_D"]
    head = f"{container['Id'][:12]} conteiner_D"
    assert jobs.succeeded(container).line == f"{head} Success"
    assert jobs.skipped(container, "paused").line == f"{head} Skip (paused)"
    # a multi-line daemon message still makes one line
    failure = jobs.failed(container, "OCI runtime\ncreate failed")
    assert failure.line == f"{head} Failed: OCI runtime create failed"


def test_exit_code_is_9_when_one_failed_and_skips_do_not_count():
    a, d = BY_NAME["conteiner_A"], BY_NAME["conteiner_D"]
    assert jobs.exit_code([]) == 0
    assert jobs.exit_code([jobs.succeeded(a), jobs.skipped(d, "running")]) == 0
    assert jobs.exit_code([jobs.succeeded(a), jobs.failed(d, "x")]) == 9


def test_selection_keeps_api_order_and_a_pattern_matching_nothing_is_an_error():
    assert [container_name(c) for c in jobs.select_targets(LISTED, name="conteiner_*")] == [
        "conteiner_F", "conteiner_E", "conteiner_D", "conteiner_C", "conteiner_B", "conteiner_A"]
    with pytest.raises(ContainerNotFound, match="no container matches container name 'other[*]'"):
        jobs.select_targets(LISTED, name="other*")
    with pytest.raises(ContainerNotFound, match="no container matches container ID 'ffff[*]'"):
        jobs.select_targets(LISTED, container_id="ffff*")


def test_command_and_download_act_on_exactly_one_container():
    d = BY_NAME["conteiner_D"]
    assert jobs.select_one(LISTED, name="conteiner_D") is d
    assert jobs.select_one(LISTED, container_id=d["Id"][:12]) is d
    assert jobs.select_one(LISTED, name="conteiner_D*") is d
    with pytest.raises(AmbiguousContainer, match=r"'conteiner_\*' matches 6 containers .*exactly one"):
        jobs.select_one(LISTED, name="conteiner_*")


# ---- command job ----------------------------------------------------------------------------

EXEC_FAILURES = json.loads((DATA / "exec_failures.json").read_text())


def test_a_missing_command_is_127_and_a_directory_126_as_a_shell_says():
    missing, directory = EXEC_FAILURES["nosuchcmd"], EXEC_FAILURES["/root"]
    assert jobs.exec_start_failure(missing["output"], missing["ExitCode"]) == (
        127, '"nosuchcmd": executable file not found in $PATH')
    assert jobs.exec_start_failure(directory["output"], directory["ExitCode"]) == (
        126, '"/root": permission denied')


def test_older_runc_wording_is_recognised():
    # constructed: runc 1.0's wording, as Docker 20.10 with an older runc prints it
    older = ('OCI runtime exec failed: exec failed: container_linux.go:380: starting container process '
             'caused: exec: "nosuch": executable file not found in $PATH: unknown')
    assert jobs.exec_start_failure(older) == (127, '"nosuch": executable file not found in $PATH')


def test_ordinary_output_or_another_exit_code_is_not_a_start_failure():
    missing = EXEC_FAILURES["nosuchcmd"]
    assert jobs.exec_start_failure("hello\n", 126) is None
    # the command itself printed the words and exited 0: its output, not a refusal
    assert jobs.exec_start_failure(missing["output"], 0) is None


def test_command_not_started_is_one_line_with_the_shell_code():
    error = jobs.command_not_started(BY_NAME["conteiner_D"], (127, '"x": executable file not found in $PATH'))
    assert isinstance(error, CommandNotStarted) and error.exit_code == 127
    assert str(error) == (f"cannot run the command in {BY_NAME['conteiner_D']['Id'][:12]} conteiner_D: "
                          '"x": executable file not found in $PATH')


@pytest.mark.parametrize("command, shell, vector", [
    ("find /root", False, ["find", "/root"]),
    ("sh -c 'echo out; exit 42'", False, ["sh", "-c", "echo out; exit 42"]),
    ('echo "a b" $HOME', False, ["echo", "a b", "$HOME"]),
    ("echo $HOME | cat", True, ["sh", "-c", "echo $HOME | cat"]),
])
def test_command_vector(command, shell, vector):
    assert command_vector(command, shell) == vector


@pytest.mark.parametrize("command", ["", "   ", "echo 'unbalanced"])
def test_bad_command_is_a_usage_error(command):
    with pytest.raises(UsageError):
        command_vector(command)


# ---- download job ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, source, expected", [
    ("conteiner_A", "/root/", "conteiner_A_root_.tar"),  # docs/rules.md#download-file-name's example
    ("conteiner_A", "/root", "conteiner_A_root.tar"),
    ("web", "/var/log/app.log", "web_var_log_app.log.tar"),
    ("web", "/", "web_.tar"),
])
def test_archive_name(name, source, expected):
    assert jobs.archive_name(name, source) == expected


def test_listing_of_a_recorded_archive():
    with tarfile.open(DATA / "archive_root.tar") as archive:
        lines = [jobs.listing_line(m, timezone.utc) for m in archive.getmembers()]
    assert lines == [
        "drwxr-xr-x 0/0 0 2026-11-28 15:59:58 root/",
        "-rw-r--r-- 0/0 6 2026-11-28 15:59:58 root/a.txt",
        "hrw-r--r-- 0/0 0 2026-11-28 15:59:58 root/hard link to root/a.txt",
        "drwx------ 0/0 0 2026-11-28 15:59:58 root/sub/",
        "-rw-r--r-- 0/0 2 2026-11-28 15:59:58 root/sub/b",
        "-rwsr-xr-x 0/0 2 2026-11-28 15:59:58 root/suid",
        "lrwxrwxrwx 0/0 0 2026-11-28 15:59:58 root/sym -> a.txt",
    ]


def test_listing_of_a_gnu_style_member_without_type_bits_in_its_mode():
    # constructed: GNU tar stores only the permission bits, and the manual shows uid/gid 0/0
    member = tarfile.TarInfo("root/.gnupg")
    member.type, member.mode, member.mtime = tarfile.DIRTYPE, 0o700, 0
    assert jobs.listing_line(member, timezone.utc) == "drwx------ 0/0 0 1970-01-01 00:00:00 root/.gnupg/"


@pytest.mark.parametrize("name, listed", [
    ("root/evil\n-rw-r--r-- 0/0 1 2026-01-01 00:00:00 root/forged",
     "root/evil\\n-rw-r--r-- 0/0 1 2026-01-01 00:00:00 root/forged"),
    ("a\rb", "a\\rb"), ("tab\there", "tab\\there"), ("back\\slash", "back\\\\slash"),
    ("bell\x07", "bell\\a"), ("del\x7f", "del\\177"), ("esc\x1b[31m", "esc\\033[31m"),
    ("nel\x85", "nel\\205"), ("sep\u2028x", "sep\\u2028x"), ("日本語 ok", "日本語 ok"),
])
def test_listing_names_are_escaped_so_no_line_can_be_forged(name, listed):
    member = tarfile.TarInfo(name)
    member.mtime = 0
    line = jobs.listing_line(member, timezone.utc)
    assert line == f"-rw-r--r-- 0/0 0 1970-01-01 00:00:00 {listed}"
    assert len(line.splitlines()) == 1


def test_link_targets_are_escaped_too():
    member = tarfile.TarInfo("root/sym")
    member.type, member.linkname, member.mtime = tarfile.SYMTYPE, "x\ny", 0
    assert jobs.listing_line(member, timezone.utc).endswith("root/sym -> x\\ny")
