"""Shared pytest set-up: every module under tests/fixtures/ is a fixture plugin; tests under
tests/integration/ are marked `integration`, those under tests/unit/ `unit`, and a unit test may not
use a fixture that needs the test bed (dockerd, snmpd, rsyslogd): `pytest tests/unit` runs anywhere."""
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
pytest_plugins = sorted(f"tests.fixtures.{p.stem}" for p in (TESTS / "fixtures").glob("[a-z]*.py"))
# the fixture every test-bed fixture depends on
TEST_BED_FIXTURE = "testbed"


def pytest_configure(config):
    config.addinivalue_line("markers", "unit: pure tests, no test bed (tests/unit)")
    config.addinivalue_line("markers", "integration: tests on the real test bed (tests/integration)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        kind = Path(str(item.path)).relative_to(TESTS).parts[0]
        if kind in ("unit", "integration"):
            item.add_marker(kind)
        if kind == "unit" and TEST_BED_FIXTURE in item.fixturenames:
            raise pytest.UsageError(f"{item.nodeid} is a unit test but uses the test bed (fixture "
                                    f"'{TEST_BED_FIXTURE}'): move it to tests/integration/")
