"""pytest plugin (entry point ``pytest11``): the ``a11y_check`` fixture audits a Playwright page in a test.

``a11y_check(page)`` audits the page as the test left it and fails the test with a summary of the
violations at or above ``--a11y-fail-on``. ``--a11y-report DIR`` writes one report of every page
checked in the session (all formats), also under pytest-xdist: workers hand their pages to the
controller, which writes the report. Importing this module imports neither Playwright nor the
audit: a session that never calls the fixture pays nothing.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .ci.gate import FAIL_ON_LEVELS
from .settings import STANDARDS

MARKER = "a11y_disable"
WORKER_KEY = "a11y_checked"


@dataclass
class Recorder:
    """The pages checked in this process (a controller's include its workers'), for the report."""

    report_dir: Path | None
    entries: list[tuple[str, int, Any]] = field(default_factory=list)  # (test id, check number in the test, Checked)

    def add(self, test_id: str, checked: Any) -> None:
        number = sum(1 for entry in self.entries if entry[0] == test_id)
        self.entries.append((test_id, number, checked))

    def in_order(self) -> list[Any]:
        """Pages by test id and order within the test: the same report whichever worker ran which test."""
        return [checked for _, _, checked in sorted(self.entries, key=lambda entry: (entry[0], entry[1]))]


RECORDER = pytest.StashKey[Recorder]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("a11y", "accessibility checks with a11y (the a11y_check fixture)")
    group.addoption("--a11y-fail-on", choices=FAIL_ON_LEVELS, default=None,
                    help="Lowest impact that fails a test calling a11y_check (default: the config's fail_on, else serious).")
    group.addoption("--a11y-standard", choices=sorted(STANDARDS), default=None, help="WCAG standard a11y_check tests (default wcag21aa).")
    group.addoption("--a11y-report", metavar="DIR", default=None,
                    help="Write one report (every format) of all pages checked in the session into DIR.")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}(*rules): rule ids that a11y_check does not run in this test")
    report = config.getoption("a11y_report")
    config.stash[RECORDER] = Recorder(Path(report) if report else None)


@pytest.fixture
def a11y_check(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """``a11y_check(page, **options)``: audit a Playwright page (sync API) as it is now; fail the
    test on violations at or above ``--a11y-fail-on``; return the PageResult. ``options`` are those
    of ``a11y.check`` plus ``fail_on``; ``@pytest.mark.a11y_disable("rule", ...)`` turns rules off."""
    config = request.config
    recorder = config.stash[RECORDER]

    def check(page: Any, *, fail_on: str | None = None, **options: Any) -> Any:
        from . import api

        values, _ = api.load_options({}, options.get("config"))
        marked = [rule for mark in request.node.iter_markers(MARKER) for rule in mark.args]
        options["disable"] = [*values.get("disable", []), *marked, *_as_list(options.get("disable"))]
        options.setdefault("standard", config.getoption("a11y_standard"))
        threshold = fail_on or config.getoption("a11y_fail_on") or values.get("fail_on", "serious")
        checked = api.check_report(page, screenshots=recorder.report_dir is not None, **options)
        recorder.add(request.node.nodeid, checked)
        message = api.failure_message(checked.page, threshold, strict=values.get("strict", False))
        if message:
            pytest.fail(message, pytrace=False)
        return checked.page

    return check


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist, on the controller: a worker finished; take the pages it checked."""
    payload = getattr(node, "workeroutput", {}).get(WORKER_KEY)
    if payload:
        node.config.stash[RECORDER].entries.extend(pickle.loads(payload))  # our own worker's data, over xdist's channel


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    recorder = config.stash.get(RECORDER, None)
    if recorder is None or recorder.report_dir is None:
        return
    if hasattr(config, "workeroutput"):  # an xdist worker: the controller writes the report
        config.workeroutput[WORKER_KEY] = pickle.dumps(recorder.entries)
        return
    if not recorder.entries:
        return
    from . import api

    values, _ = api.load_options({"standard": config.getoption("a11y_standard")})
    run = api.merged_run(recorder.in_order(), values)
    paths = run.write(recorder.report_dir, formats=list(api.FORMATS))
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"a11y: report of {len(run.pages)} checked page(s) in {recorder.report_dir} ({len(paths)} files)")
