"""Process counting on recorded /top answers (tests/data/process/README.md) and the -prog/-args
patterns."""
import json
from pathlib import Path

import pytest

from hinemos_docker.errors import DockerError, UsageError
from hinemos_docker.output import count, format_line
from hinemos_docker.process_match import count_processes, process_key, process_pattern

DATA = Path(__file__).parent.parent / "data" / "process"
TOP = json.loads((DATA / "top_httpd_two_sleeps.json").read_text())
TOP_PS_AUX = json.loads((DATA / "top_httpd_two_sleeps_ps_aux.json").read_text())
# the manual's /top example (process monitor chapter)
TOP_MANUAL = {"Processes": [
    ["root", "22592", "22287", "0", "Sep05", "pts/2", "00:00:01", "httpd -D FOREGROUND"],
    ["bin", "22617", "22592", "0", "Sep05", "pts/2", "00:00:12", "httpd -D FOREGROUND"],
    ["bin", "22618", "22592", "0", "Sep05", "pts/2", "00:00:12", "httpd -D FOREGROUND"],
    ["bin", "22619", "22592", "0", "Sep05", "pts/2", "00:00:12", "httpd -D FOREGROUND"]],
    "Titles": ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"]}


def counted(top, prog=None, args=None):
    return count_processes(top, process_pattern(prog, args)[1])


@pytest.mark.parametrize("top", [TOP, TOP_PS_AUX], ids=["CMD", "COMMAND"])
@pytest.mark.parametrize("prog, args, expected", [
    (None, None, 3),
    ("sleep", None, 2),
    ("httpd", None, 1),
    ("^sleep 3600$", None, 2),
    ("d -f -p", None, 1),       # searched anywhere in the command line, not anchored
    ("httpd", "-f -p 80", 1),
    ("httpd", "-p 443", 0),
    (None, "3600", 2),          # -args alone: PROG is .*
    ("sleep|httpd", "3600", 2),  # the alternation stays inside PROG
    ("nginx", None, 0),
])
def test_count(top, prog, args, expected):
    assert counted(top, prog, args) == expected


def test_the_manuals_example_counts_four_httpd():
    assert counted(TOP_MANUAL) == 4
    assert counted(TOP_MANUAL, "httpd") == 4
    assert counted(TOP_MANUAL, "httpd", "-D FOREGROUND") == 4


@pytest.mark.parametrize("prog, args, label", [
    (None, None, ".*"),
    ("httpd", None, "httpd"),
    ("httpd", "-D FOREGROUND", "httpd -D FOREGROUND"),
    (None, "FOREGROUND", ".* FOREGROUND"),
])
def test_key_label(prog, args, label):
    assert process_pattern(prog, args)[0] == label


def test_key_carries_twelve_characters_of_the_id():
    line = format_line(count(process_key(".*", "4dfd0a12b9de0123456789abcdef"), 4))
    assert line == ".*:4dfd0a12b9de,4"


@pytest.mark.parametrize("prog, args, message", [
    ("(", None, "invalid -prog pattern '('"),
    ("httpd", "[", "invalid -args pattern '['"),
    ("httpd", "(?i)x", "invalid -prog/-args pattern"),  # a global flag is valid alone, not after PROG
])
def test_invalid_pattern_is_a_usage_error(prog, args, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace("[", r"\[").replace("?", r"\?")):
        process_pattern(prog, args)


def test_no_processes_count_zero():
    assert counted({"Titles": TOP["Titles"], "Processes": None}) == 0


def test_an_answer_without_a_command_column_is_an_error():
    with pytest.raises(DockerError, match="no CMD column"):
        counted({"Titles": ["Name", "PID"], "Processes": [["x", "1"]]})
