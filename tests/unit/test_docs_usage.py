"""The usage blocks of docs/ are the parsers' own output (tools/update_usage.py writes them), and
--help wraps at cli.HELP_WIDTH however wide the terminal is."""
import importlib.util
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hinemos_docker import cli, launcher

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tools" / "update_usage.py"
# documented in the CPU monitor's section by name: the same command under the manual's other name
ALIASES = {"MonitorDockerContainerRepositoryCPU"}


def _generator():
    spec = importlib.util.spec_from_file_location("update_usage", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_usage_blocks_match_the_parsers():
    result = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_documented_script_has_a_usage_block():
    assert _generator().documented_names() == set(launcher.SCRIPTS) - ALIASES


def test_a_changed_option_makes_the_check_fail(tmp_path):
    generator = _generator()
    page = (ROOT / "docs" / "monitors.md").read_text(encoding="utf-8")
    drifted = page.replace("-k, --key KEY_ID", "-k, --key KEY", 1)
    assert drifted != page
    assert generator.regenerate(drifted) == page


@pytest.mark.parametrize("name", sorted(launcher.SCRIPTS))
def test_help_wraps_on_a_wide_terminal(name, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    out = io.StringIO()
    assert cli.run(launcher.command_for(name), ["--help"], stdout=out, stderr=io.StringIO()) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"usage: {name}.py")
    assert max(len(line) for line in lines) <= cli.HELP_WIDTH


def test_help_follows_a_narrow_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "82")
    out = io.StringIO()
    cli.run(launcher.command_for("MonitorDockerHostStatus"), ["--help"], stdout=out, stderr=io.StringIO())
    assert max(len(line) for line in out.getvalue().splitlines()) <= 80


def test_epilog_line_breaks_are_kept():
    text = cli.help_text(launcher.command_for("JobDockerContainerStart"))
    assert "\nexit status: 0 no container failed" in text


def test_options_in_the_docs_tables_exist():
    """The first column of an option table names options the parsers define (the rest of the
    table explains them; the generated blocks show the parsers' own words)."""
    defined = {option for name in launcher.SCRIPTS
               for action in cli.build_parser(launcher.command_for(name))._actions
               for option in action.option_strings}
    documented = set()
    for page in (ROOT / "docs").glob("*.md"):
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("| `-"):
                documented.update(re.findall(r"`(-{1,2}[a-z][-a-z0-9]*)", line.split("|")[1]))
    assert documented and documented <= defined, sorted(documented - defined)
