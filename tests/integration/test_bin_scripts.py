"""Each documented bin script runs as a real process: the installed copy through its shebang, and the
checkout's own file in place; --help, exit codes; a missing package or dependency is one line, exit 1;
and every script is registered as a console entry point under its documented name."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hinemos_docker import launcher
from tests.fixtures.scripts import installed_script

ROOT = Path(__file__).resolve().parents[2]
BIN_SCRIPTS = sorted((ROOT / "bin").glob("*.py"))
# the environment with no PYTHONPATH: a process finds the package only as an operator's would
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _run(argv, cwd=None):
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, env=CLEAN_ENV, cwd=cwd,
                          timeout=120)


def test_every_bin_script_is_registered():
    assert {p.stem for p in BIN_SCRIPTS} == set(launcher.SCRIPTS)


@pytest.mark.parametrize("script", BIN_SCRIPTS, ids=lambda p: p.name)
def test_help_runs_from_the_installed_shebang(script):
    assert os.access(script, os.X_OK)
    assert script.read_text().startswith("#!/usr/bin/env python3\n")
    result = _run([installed_script(script.name), "--help"])
    assert result.returncode == 0, result.stderr
    assert f"usage: {script.name}" in result.stdout
    assert launcher.command_for(script.stem).prog == script.name


@pytest.mark.parametrize("script", BIN_SCRIPTS, ids=lambda p: p.name)
def test_unknown_option_exits_1_with_one_line(script):
    result = _run([installed_script(script.name), "--no-such-option"])
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"{script.name}: ")


def test_host_status_end_to_end():
    result = _run([installed_script("MonitorDockerHostStatus.py"), "-i", "127.0.0.1", "--status"])
    assert (result.returncode, result.stdout) == (0, "Status,0\n")


@pytest.mark.parametrize("script", BIN_SCRIPTS, ids=lambda p: p.name)
def test_checkout_script_runs_in_place_from_anywhere(script, tmp_path):
    """cron on a checkout: bin/X.py finds the package next to it, whatever the working directory."""
    result = _run([sys.executable, script, "--help"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"usage: {script.name}" in result.stdout


def test_checkout_script_runs_in_place_end_to_end(tmp_path):
    result = _run([sys.executable, ROOT / "bin" / "MonitorDockerHostStatus.py", "-i", "127.0.0.1", "--count"],
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line.split(",")[0] for line in result.stdout.splitlines()] == [
        "running", "restarting", "paused", "exited"]


@pytest.mark.parametrize("name, argv", [
    ("RepositoryDockerNodeAdd.py", ["-f", "docker_host1"]),
    ("MonitorDockerHostStatus.py", ["--count"]),
    ("JobDockerContainerStart.py", ["-n", "web*"]),
])
def test_interpreter_without_the_dependencies_is_one_line_saying_how_to_install(name, argv, tmp_path):
    """An interpreter with no site-packages (-S), as a system python3 that never had them installed:
    the line names every missing package."""
    result = _run([sys.executable, "-S", ROOT / "bin" / name, *argv], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"{name}: the Python packages 'docker', 'pysnmp', 'requests', 'suds-community' are not installed "
        f"for {sys.executable}; install "
        f"hinemos-docker with its dependencies for that interpreter: {sys.executable} -m pip install "
        "<hinemos-docker source directory>"]
    assert result.stdout == ""


def test_copied_script_without_the_package_is_one_line_saying_how_to_install(tmp_path):
    """The manual copies bin/*.py to the agent's directory: without the package installed for that
    interpreter, one line and exit 1, not a traceback."""
    copy = tmp_path / "opt" / "JobDockerContainerStop.py"
    copy.parent.mkdir()
    shutil.copy2(ROOT / "bin" / copy.name, copy)
    result = _run([sys.executable, "-S", copy, "-n", "web*"], cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{copy.name}: the hinemos_docker package is not installed for {sys.executable} (No module named "
        f"'hinemos_docker'); install it: {sys.executable} -m pip install <hinemos-docker source directory>"]


def test_console_entry_point_runs_the_same_command():
    result = _run([installed_script("MonitorDockerHostStatus"), "--status"])
    assert (result.returncode, result.stdout) == (0, "Status,0\n")
    entry_point = "from hinemos_docker import launcher; launcher.MonitorDockerHostStatus()"
    result = _run([sys.executable, "-c", entry_point, "--status"], cwd=ROOT)
    assert (result.returncode, result.stdout) == (0, "Status,0\n")


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
    result = _run([sys.executable, "-c", probe])
    assert result.stderr.strip() == ""
