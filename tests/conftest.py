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
# Fixtures that start a browser (or the CLI, which does): a test using one is a browser test.
BROWSER_FIXTURES = {"fixture_run", "pages_run", "run_cli", "browser", "page", "launch", "api_run", "context"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def browser_only_when_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """``pytest -m "not browser"`` is the browser-free suite (pure logic, under a minute): a test
    not marked ``browser`` that starts a Chromium fails, so the split stays true."""
    if request.node.get_closest_marker("browser") is not None:
        return
    from playwright import async_api, sync_api

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError(f"{request.node.nodeid} starts a browser: mark it @pytest.mark.browser")

    async def refuse_async(*args: object, **kwargs: object) -> None:
        refuse(*args, **kwargs)

    monkeypatch.setattr(async_api.BrowserType, "launch", refuse_async)
    monkeypatch.setattr(sync_api.BrowserType, "launch", refuse)


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
