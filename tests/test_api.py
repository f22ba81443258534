"""The library API: a11y.audit / check against a real Chromium, the gate and messages without one.

docs/api.md's library examples run here as written (test_docs_examples_run); a page the test
made is audited live with check(), never reloaded.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import a11y
from a11y.api import Run, failure_message, load_options
from a11y.ci.config import ConfigError
from a11y.ci.gate import GatePolicy
from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.live import CheckFailed, _require_chromium
from a11y.pipeline.server import PageServer

from .conftest import PAGES, ROOT
from .helpers import python_examples, without_timings

pytestmark = pytest.mark.browser

DOCS = ROOT / "docs" / "api.md"
ARTICLE = """<!doctype html><html lang="en"><head><title>Harbour</title></head><body><main>
<h1>Harbour clean-up</h1><p>Volunteers met at the landing.</p><img src="boat.jpg"></main></body></html>"""


def finding(rule: str = "image-alt", impact: str = "critical", outcome: str = "violation", **extra) -> Finding:
    return Finding(**{"rule": rule, "engine": "axe", "outcome": outcome, "impact": impact, "target": "#hero > img", "html": "<img>",
                      "message": "no alt", **extra})


def comparable(page: PageResult) -> list[tuple[str, str, str, str, str]]:
    return sorted((f.rule, f.outcome, f.impact, f.target, f.message) for f in page.findings)


@pytest.fixture(scope="module")
def launch() -> dict[str, Any]:
    from a11y.pipeline.browser import find_browser, launch_options

    return {**launch_options(), "executable_path": find_browser().path}


@pytest.fixture(scope="module")
def browser(launch: dict[str, Any]) -> Iterator[Any]:
    """A sync Playwright browser, as in a pytest-playwright test (its sync API holds this thread's event loop)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(**launch)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def api_run() -> Run:
    """pages/ audited through a11y.audit, from the project root as the CLI test runs it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return a11y.audit(["pages/"], settle_ms=300, timeout=20)


def test_cli_and_audit_write_the_same_report(api_run: Run, run_cli, tmp_path: Path) -> None:
    done = run_cli("audit", "pages/", "--format", "json", "--out", str(tmp_path / "cli"), "--settle-ms", "300", "--timeout", "20")
    assert done.returncode == 1, done.stderr
    api_run.write(tmp_path / "api", formats=["json"])
    cli = json.loads((tmp_path / "cli" / "report.json").read_text(encoding="utf-8"))
    api = json.loads((tmp_path / "api" / "report.json").read_text(encoding="utf-8"))
    def portless(report: dict) -> str:  # the loopback server's port differs between runs
        return re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", json.dumps(without_timings(report), sort_keys=True))

    assert portless(api) == portless(cli)
    assert api_run.gate().code == done.returncode  # the same gate as the CLI's exit code


def test_check_sees_what_the_test_did_after_load(page) -> None:
    page.set_content(ARTICLE.replace('<img src="boat.jpg">', '<img src="boat.jpg" alt="A rowboat">'))
    page.evaluate("window.builtByTheTest = 42")
    assert a11y.check(page).violations == []
    page.evaluate("document.querySelector('img').removeAttribute('alt')")  # after load, no navigation
    result = a11y.check(page)
    assert [(f.rule, f.target) for f in result.violations] == [("image-alt", "img")]
    # the same page, not a reload, and a11y left nothing in the page's own world
    assert page.evaluate("[window.builtByTheTest, typeof window.axe, typeof window.__a11yNames]") == [42, "undefined", "undefined"]


def test_check_is_out_of_reach_of_the_page_and_audits_its_frames(page) -> None:
    page.set_content("""<html lang="en"><title>H</title><script>JSON.stringify = () => "{}"; Array.prototype.map = function () { return []; };
        window.axe = {run: () => Promise.resolve({violations: []})};</script><main><h1>H</h1>
        <iframe title="gallery" srcdoc="<html lang=en><title>f</title><img src='x.png'></html>"></iframe></main></html>""")
    page.frame_locator("iframe").locator("img").wait_for(state="attached")
    result = a11y.check(page, config=False)
    assert [(f.rule, f.target) for f in result.violations] == [("image-alt", "iframe |> img")]


def test_check_gives_the_findings_the_cli_gives_for_that_dom(page, api_run: Run) -> None:
    with PageServer(PAGES) as server:
        page.goto(server.url_for(PAGES / "wordpress-news-story.html"), wait_until="networkidle")
        live = a11y.check(page)
    from_run = next(p for p in api_run.pages if p.source == "pages/wordpress-news-story.html")
    assert live.findings and comparable(live) == comparable(from_run)
    assert live.title == from_run.title


def test_audit_works_inside_a_pytest_playwright_test(page, tmp_path: Path) -> None:
    # the case: Playwright's sync API (pytest-playwright's page) holds this thread's event loop; asyncio.run() would raise
    (tmp_path / "article.html").write_text(ARTICLE, encoding="utf-8")
    page.goto((tmp_path / "article.html").as_uri())
    run = a11y.audit([str(tmp_path / "article.html")], settle_ms=0, formats=["json"], config=False)
    assert [f.rule for f in run.pages[0].violations] == ["image-alt"]


def test_check_applies_the_configs_ignores(page, tmp_path: Path) -> None:
    config = tmp_path / "a11y.toml"
    config.write_text('[[ignore]]\nrule = "image-alt"\nselector = "img"\nreason = "decorative, ticket WEB-1"\n', encoding="utf-8")
    page.set_content(ARTICLE)
    result = a11y.check(page, config=config)
    waived = [f for f in result.findings if f.rule == "image-alt"]
    assert [f.status for f in waived] == ["waived"] and result.violations == []
    result.assert_clean()
    config.write_text(config.read_text(encoding="utf-8") + "until = 2020-01-01\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expired on 2020-01-01"):
        a11y.check(page, config=config)


def test_check_refuses_a_closed_page(browser) -> None:
    page = browser.new_page()
    page.close()
    with pytest.raises(CheckFailed, match="the page is closed"):
        a11y.check(page)


def test_docs_examples_run(tmp_path: Path) -> None:
    """docs/api.md's library examples, run as written as one script (a process of its own, as a user
    runs it: this one's pytest-playwright holds a sync Playwright) in a folder holding site/article.html.
    Only the browser launch gets the Chromium this machine has (the docs use Playwright's bundled one)."""
    blocks = [b for b in python_examples(DOCS.read_text(encoding="utf-8")) if "def test_" not in b and "browser_type_launch_args" not in b]
    assert len(blocks) == 3
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "article.html").write_text(ARTICLE, encoding="utf-8")
    preamble = "from a11y.pipeline.browser import find_browser, launch_options\nA11Y_LAUNCH = {**launch_options(), 'executable_path': find_browser().path}\n"
    script = preamble + "\n".join(b.replace("pw.chromium.launch()", "pw.chromium.launch(**A11Y_LAUNCH)") for b in blocks)
    (tmp_path / "examples.py").write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, "examples.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "1 violations on 1 pages" in done.stdout
    assert "gate: failed (1 violation at or above critical)" in done.stdout
    assert "[('image-alt', 'img')]" in done.stdout
    assert "  critical image-alt  img\n" in done.stdout
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [".a11y-manifest.json", "report.html", "report.json", "report.md"]
    assert "data:image/jpeg;base64," in (tmp_path / "reports" / "report.html").read_text(encoding="utf-8")  # html: screenshots taken


def test_readme_example_runs(tmp_path: Path, launch: dict[str, Any]) -> None:
    """README's Python example as written, on pages/ (linked in), with a live clean page for ``page``."""
    readme = python_examples((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(readme) == 1
    (tmp_path / "pages").symlink_to(PAGES)
    preamble = ("from playwright.sync_api import sync_playwright\n"
                f"pw = sync_playwright().start()\npage = pw.chromium.launch(**{launch!r}).new_page()\n"
                "page.set_content('<html lang=\"en\"><title>Ok</title><main><h1>Fine</h1></main></html>')\n")
    (tmp_path / "readme.py").write_text(preamble + readme[0] + "pw.stop()\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "readme.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^gate: failed \(\d+ violations at or above serious\)$", done.stdout, re.M)
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [".a11y-manifest.json", "a11y-assets", "report.html", "report.json"]


def test_check_async_audits_an_async_page(launch: dict[str, Any]) -> None:
    from playwright.async_api import async_playwright

    async def main() -> tuple[list[str], list[str]]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch)
            page = await browser.new_page()
            await page.set_content(ARTICLE)
            before = [f.rule for f in (await a11y.check_async(page)).violations]
            await page.evaluate("document.querySelector('img').alt = 'A rowboat'")
            after = [f.rule for f in (await a11y.check_async(page)).violations]
            with pytest.raises(TypeError, match=r"use `await a11y\.check_async"):
                a11y.check(page)
            await browser.close()
            return before, after

    with ThreadPoolExecutor(1) as pool:  # a loop of its own: the sync Playwright of `page` may hold this thread's
        assert pool.submit(asyncio.run, main()).result() == (["image-alt"], [])


STUCK = """<!doctype html><html lang="en"><head><title>Stuck</title></head><body><main><p>Loading…</p></main>
<script>setTimeout(() => { for (;;) {} }, 50)</script></body></html>"""  # after load, the page's main thread never yields


def test_check_gives_up_on_a_page_that_never_yields(browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.set_content(STUCK)
    with pytest.raises(CheckFailed, match=r"a11y\.check\(about:blank\): gave up after 2 s while running axe-core"):
        a11y.check(page, timeout=2)
    context.close()


def test_check_async_gives_up_on_a_page_that_never_yields(launch: dict[str, Any]) -> None:
    from playwright.async_api import async_playwright

    async def main() -> str:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch)
            page = await browser.new_page()
            await page.set_content(STUCK)
            with pytest.raises(CheckFailed) as failed:
                await a11y.check_async(page, timeout=2)
            await browser.close()
            return str(failed.value)

    with ThreadPoolExecutor(1) as pool:
        assert "gave up after 2 s" in pool.submit(asyncio.run, main()).result()


# -- without a browser --------------------------------------------------------------------------

def run_of(*findings: Finding, status: str = "ok") -> Run:
    page = PageResult(source="a.html", url="http://127.0.0.1:1/a.html", findings=list(findings), status=status)  # type: ignore[arg-type]
    return Run.of(RunResult(pages=[page], tool={}, started=""))


@pytest.mark.parametrize(("findings", "fail_on", "code"), [
    ((), "serious", 0),
    ((finding(impact="moderate"),), "serious", 0),
    ((finding(impact="moderate"),), "moderate", 1),
    ((finding(impact="critical", review={"decision": "false-positive", "note": ""}),), "minor", 0),
    ((finding(outcome="error"),), "serious", 2),
])
def test_gate_matches_the_cli_exit_codes(findings: tuple[Finding, ...], fail_on: str, code: int) -> None:
    verdict = run_of(*findings).gate(fail_on=fail_on)
    assert verdict.code == code and verdict.passed is (code == 0) and bool(verdict) is (code == 0)


def test_gate_defaults_come_from_the_options() -> None:
    run = replace(run_of(finding(impact="moderate"), finding(impact="moderate")), policy=GatePolicy(fail_on="moderate", max_violations=1))
    assert str(run.gate()) == "gate: failed (2 violations at or above moderate, 1 allowed)"
    assert run.gate(max_violations=2).passed
    with pytest.raises(ConfigError, match="fail_on must be one of"):
        run.gate(fail_on="bad")


def test_assert_clean_lists_failing_findings_escaped() -> None:
    # hostile page text must not reach the terminal raw
    hostile = finding(suggestion="Add alt=\"Boat\"", source_location={"line": 7, "column": 1}, target="img.\x1b[31mred")
    page = run_of(hostile, finding(rule="region", impact="moderate")).pages[0]
    with pytest.raises(AssertionError) as raised:
        page.assert_clean()
    assert str(raised.value).splitlines() == [
        "a11y: 1 violation(s) at or above serious on a.html (1 critical)",
        "  critical image-alt  img.\\x1b[31mred (line 7)",
        "           no alt",
        '           fix: Add alt="Boat"',
    ]
    page.assert_clean(fail_on="none")
    assert [f.rule for f in page.violations] == ["image-alt", "region"]


def test_assert_clean_fails_on_a_page_that_could_not_be_audited() -> None:
    page = PageResult(source=None, url="http://x/", status="error", error="HTTP 500")
    assert failure_message(page) == "a11y: http://x/ could not be fully audited\n  http://x/: HTTP 500"


def test_options_are_checked_as_the_config_file_is() -> None:
    with pytest.raises(ConfigError, match=r"a11y.audit\(\): unknown key 'fail_level'"):
        load_options({"fail_level": "serious"}, config=False, where="a11y.audit")
    with pytest.raises(ConfigError, match="settle_ms must be a whole number"):
        load_options({"settle_ms": -1}, config=False, where="a11y.audit")
    values, _ = load_options({"disable": ("region",), "viewport": a11y.Settings().viewport}, config=False)
    assert values["disable"] == ["region"] and values["viewport"] == a11y.Settings().viewport


def test_write_refuses_an_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        run_of().write(tmp_path, formats=["pdf"])


class _Named:
    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


def test_check_says_it_needs_chromium() -> None:
    firefox_page = _Named(context=_Named(browser=_Named(browser_type=_Named(name="firefox"))))
    with pytest.raises(CheckFailed, match=r"needs a Chromium page .* which firefox does not have"):
        _require_chromium(firefox_page, "http://x/")
