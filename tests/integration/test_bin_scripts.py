"""Each documented bin script runs as a real process: shebang, --help, exit codes; and every
script is registered as a console entry point under its documented name."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hinemos_docker import scripts

ROOT = Path(__file__).resolve().parents[2]
BIN_SCRIPTS = sorted((ROOT / "bin").glob("*.py"))


def _run(script, *argv):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([str(script), *argv], capture_output=True, text=True, env=env, timeout=120)


def test_every_bin_script_is_registered():
    assert {p.stem for p in BIN_SCRIPTS} == set(scripts.SCRIPTS)


@pytest.mark.parametrize("script", BIN_SCRIPTS, ids=lambda p: p.name)
def test_help_runs_from_the_shebang(script):
    assert os.access(script, os.X_OK)
    assert script.read_text().startswith("#!/usr/bin/env python3\n")
    result = _run(script, "--help")
    assert result.returncode == 0, result.stderr
    assert f"usage: {script.name}" in result.stdout
    assert scripts.command_for(script.stem).prog == script.name


@pytest.mark.parametrize("script", BIN_SCRIPTS, ids=lambda p: p.name)
def test_unknown_option_exits_1_with_one_line(script):
    result = _run(script, "--no-such-option")
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"{script.name}: ")


def test_host_status_end_to_end():
    result = _run(ROOT / "bin" / "MonitorDockerHostStatus.py", "-i", "127.0.0.1", "--status")
    assert (result.returncode, result.stdout) == (0, "Status,0\n")


def test_console_entry_point_runs_the_same_command():
    code = subprocess.run([sys.executable, "-c", "from hinemos_docker import scripts; "
                           "scripts.MonitorDockerHostStatus()", "--status"],
                          capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert (code.returncode, code.stdout) == (0, "Status,0\n")


HEAVY_LIBRARIES = ("docker", "suds", "pysnmp", "requests")


@pytest.mark.parametrize("script", BIN_SCRIPTS, ids=lambda p: p.name)
def test_help_imports_no_heavy_library(script):
    """Start-up stays cheap (bench target < 250 ms): the SDKs load only when a script needs them."""
    probe = ("import runpy, sys\n"
             f"sys.argv = [{str(script)!r}, '--help']\n"
             "try:\n"
             f"    runpy.run_path({str(script)!r}, run_name='__main__')\n"
             "except SystemExit:\n"
             "    pass\n"
             f"print(' '.join(m for m in {HEAVY_LIBRARIES!r} if m in sys.modules), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.stderr.strip() == ""
