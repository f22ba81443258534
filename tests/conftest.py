"""Shared fixtures: a real Chromium audit of the rule fixtures, run once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from a11y.model import RunResult
from a11y.pipeline.engine import audit
from a11y.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGES = ROOT / "pages"
SHARED = ROOT.parent / "shared"

FAST = Settings(settle_ms=300, timeout_s=20, concurrency=max(2, (os.cpu_count() or 2) * 2))


@pytest.fixture(scope="session")
def fixture_run() -> RunResult:
    """Every page under tests/fixtures audited once by our rules in a real browser (axe off)."""
    return audit([str(FIXTURES)], Settings(settle_ms=200, timeout_s=20, run_axe=False))


@pytest.fixture(scope="session")
def pages_run() -> RunResult:
    """The sample pages under pages/ audited once with axe-core and our rules."""
    return audit([str(PAGES)], FAST)


def page_by_source(run: RunResult, suffix: str):
    matches = [p for p in run.pages if (p.source or "").endswith(suffix)]
    assert matches, f"no page ending in {suffix} in the run"
    return matches[0]


@pytest.fixture
def run_cli():
    """Run the installed ``a11y`` command as a user would; returns the CompletedProcess."""
    import subprocess
    import sys

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        return subprocess.run([sys.executable, "-m", "a11y", *args], capture_output=True, text=True, cwd=cwd or ROOT,
                              env=full_env, timeout=300, check=False)

    return run
