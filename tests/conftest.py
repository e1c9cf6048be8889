"""Shared pytest set-up: every module under tests/fixtures/ is a fixture plugin."""
from pathlib import Path

pytest_plugins = sorted(
    f"tests.fixtures.{p.stem}" for p in (Path(__file__).parent / "fixtures").glob("[a-z]*.py")
)
