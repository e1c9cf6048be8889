"""The pure modules (every rule of docs/rules.md lives there) import no I/O library, so they can be
reasoned about and tested without a daemon, a manager or a network."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE_MODULES = ["containers", "output", "errors", "metrics", "memory", "cgroup_stats", "jobs",
                "repository_model", "repository_plan", "messages", "settings", "settings_plan",
                "settings_rest", "syslog_format", "events", "process_match", "manager_url", "urls",
                "daemon_time", "docker_endpoint", "soap_tree"]
# I/O libraries, and the command-line harness: a rule never depends on how options are parsed
IO_LIBRARIES = ["docker", "requests", "urllib3", "suds", "pysnmp", "http.client", "subprocess",
                "hinemos_docker.cli"]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_no_io_library(module):
    probe = (f"import sys, hinemos_docker.{module}; "
             f"print(' '.join(m for m in {IO_LIBRARIES!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                            check=True)
    assert result.stdout.strip() == ""
