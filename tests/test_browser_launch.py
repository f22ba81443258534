"""How the audit browser is launched, checked on a real Chromium: the flags that keep it lean
must reach it without dropping Playwright's own, and the rule catalog must not need a page."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from a11y.pipeline import browser as browser_module
from a11y.pipeline.browser import (
    AUDIT_DISABLED_FEATURES,
    AUDIT_JS_FLAGS,
    DISABLE_FEATURES,
    JS_FLAGS,
    BrowserNotFound,
    features_in_source,
    find_browser,
    launch_options,
    playwright_chromium,
    playwright_disabled_features,
    with_js_flags,
)
from a11y.pipeline.engine import audit
from a11y.pipeline.render import WORLD, IsolatedWorld, preload_world
from a11y.pipeline.server import PageServer
from a11y.settings import Settings


def test_playwright_feature_list_is_read_from_its_driver():
    features = playwright_disabled_features()
    assert features, "Playwright's --disable-features list was not found in its driver: the audit flags are not applied"
    assert all(name.isidentifier() for name in features)
    assert not set(AUDIT_DISABLED_FEATURES) & set(features)


def test_feature_list_parsing_survives_comments_and_layouts():
    source = """var disabledFeatures, other;
    disabledFeatures = [
      // See https://example.test/issue[42] for why
      "FeatureOne",
      process.env.X ? "" : 'FeatureTwo',
      "FeatureThree"
    ].filter(Boolean);
    other = ["NotAFeature"];"""
    assert features_in_source(source) == ("FeatureOne", "FeatureTwo", "FeatureThree")
    assert features_in_source('const disabledFeatures=["A_b1"]') == ("A_b1",)
    assert features_in_source("no list here") is None


def test_launch_options_carry_one_merged_feature_switch():
    options = launch_options()
    switches = [arg for arg in options["args"] if arg.startswith(DISABLE_FEATURES)]
    assert len(switches) == 1
    merged = switches[0].removeprefix(DISABLE_FEATURES).split(",")
    assert set(merged) >= set(playwright_disabled_features() or ()) | set(AUDIT_DISABLED_FEATURES)
    assert options["ignore_default_args"] == [DISABLE_FEATURES + ",".join(playwright_disabled_features() or ())]


def test_js_flags_are_merged_into_one_switch():
    merged = with_js_flags(["--a", "--js-flags=--max-old-space-size=1024", "--b"], ("--x=1", "--y"))
    assert merged == ["--a", "--b", "--js-flags=--max-old-space-size=1024 --x=1 --y"]
    assert with_js_flags(["--a"], ("--x=1",)) == ["--a", "--js-flags=--x=1"]
    assert with_js_flags(["--a"], ()) == ["--a"]


async def _launched_browser_facts() -> tuple[list[str], list[str], dict[str, str]]:
    """The running browser's --disable-features switches, the kinds of its targets, and the
    command lines of its browser and renderer processes (a renderer's is space-separated)."""
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_browser().path, **launch_options())
        try:
            context = await browser.new_context()
            page = await context.new_page()
            await page.goto("data:text/html,<title>t</title><p>hello</p>")
            session = await browser.new_browser_cdp_session()
            info = await session.send("SystemInfo.getProcessInfo")
            browser_pid = next(p["id"] for p in info["processInfo"] if p["type"] == "browser")
            command = Path(f"/proc/{browser_pid}/cmdline").read_text().split("\0")
            targets = await session.send("Target.getTargets", {"filter": [{}]})
            command_lines = {p["type"]: Path(f"/proc/{p['id']}/cmdline").read_text().replace("\0", " ")
                             for p in info["processInfo"] if p["type"] in ("browser", "renderer")}
            return [arg for arg in command if arg.startswith(DISABLE_FEATURES)], [t["type"] for t in targets["targetInfos"]], command_lines
        finally:
            await browser.close()


@pytest.mark.browser
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads the browser's command line from /proc")
def test_running_browser_gets_playwright_features_and_ours():
    switches, target_types, command_lines = asyncio.run(_launched_browser_facts())
    # Chromium keeps the last --disable-features only: Playwright's own must be gone, ours must hold both lists.
    assert len(switches) == 1, switches
    applied = set(switches[0].removeprefix(DISABLE_FEATURES).split(","))
    assert applied >= set(playwright_disabled_features() or ()) | set(AUDIT_DISABLED_FEATURES)
    # The omnibox popup WebUIs that new headless opens for each context's window are gone.
    assert "browser_ui" not in target_types and "page" in target_types
    # V8's flags reach the renderer in one switch: the heap limit and the tiering flag together.
    assert set(command_lines) == {"browser", "renderer"}
    for command_line in command_lines.values():
        assert command_line.count(JS_FLAGS) == 1, command_line
        flags = command_line.split(JS_FLAGS, 1)[1].split()
        assert "--max-old-space-size=1024" in flags and set(AUDIT_JS_FLAGS) <= set(flags), command_line


@pytest.mark.browser
def test_rule_criteria_without_any_audited_page(tmp_path: Path):
    """The axe rule catalog normally comes from the first audited page; with none it is read apart."""
    run = audit([str(tmp_path / "missing.html")], Settings(settle_ms=0, timeout_s=10))
    assert [page.status for page in run.pages] == ["error"]
    assert run.rule_criteria["image-alt"] == ["1.1.1"]
    assert run.rule_criteria["pseudo-list"] == ["1.3.1"]


async def _worlds_after_preload(pages: list[str]) -> list[tuple[str, str, int]]:
    """For each page: ``typeof axe.run`` in a11y's world as Chromium left it, ``typeof axe`` in the
    page's own world, and the longest script a11y then sent to reach its world."""
    choice = find_browser(None)
    seen = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=choice.path, **launch_options())
        context = await browser.new_context()
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await preload_world(cdp)
        for url in pages:
            await page.goto(url)
            frame_id = (await cdp.send("Page.getFrameTree"))["frameTree"]["frame"]["id"]
            world = await cdp.send("Page.createIsolatedWorld", {"frameId": frame_id, "worldName": WORLD})
            ours = await cdp.send("Runtime.evaluate", {"expression": "typeof axe.run", "contextId": world["executionContextId"]})
            sent: list[int] = []
            reach = IsolatedWorld(cdp)
            evaluate = reach._evaluate

            async def counted(context_id: int, expression: str, *, by_value: bool, evaluate=evaluate, sent=sent) -> object:
                sent.append(len(expression))
                return await evaluate(context_id, expression, by_value=by_value)

            reach._evaluate = counted  # type: ignore[method-assign]
            await reach.context_for(frame_id)
            seen.append((ours["result"]["value"], await page.evaluate("typeof axe"), max(sent)))
        await browser.close()
    return seen


@pytest.mark.browser
def test_a_tab_holds_axe_for_every_new_page_in_a11ys_world_only(tmp_path: Path):
    """axe-core's 570 KB is sent once per tab: Chromium evaluates it in each new document's a11y
    world. Were that to stop, every page would silently pay to have it sent again."""
    for name in ("one.html", "two.html"):
        (tmp_path / name).write_text("<!DOCTYPE html><title>t</title><p>text", encoding="utf-8")
    with PageServer(tmp_path) as server:
        seen = asyncio.run(_worlds_after_preload([server.url_for(tmp_path / "one.html"), server.url_for(tmp_path / "two.html")]))
    assert [(ours, theirs) for ours, theirs, _ in seen] == [("function", "undefined"), ("function", "undefined")]
    assert all(longest < 1000 for _, _, longest in seen), seen  # a11y sent a check, not axe again


def _only_playwrights_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The non-root set-up: a Chromium laid out where ``playwright install chromium`` puts it
    (PLAYWRIGHT_BROWSERS_PATH), no Chromium on PATH. The fake executable starts the real one."""
    layouts = browser_module.CHROMIUM_LAYOUTS.get((platform.system(), platform.machine()))
    if not layouts:
        pytest.skip("Playwright's executable layout is only known here for Linux")
    real = find_browser().path
    package = browser_module.playwright_package()
    assert package is not None and real
    chromium = next(b for b in json.loads((package / "browsers.json").read_text())["browsers"] if b["name"] == "chromium")
    executable = tmp_path / "ms-playwright" / f"chromium-{chromium['revision']}" / layouts[0]
    executable.parent.mkdir(parents=True)
    executable.write_text(f'#!/bin/sh\nPATH="{os.environ["PATH"]}" exec "{real}" "$@"\n', encoding="utf-8")
    executable.chmod(0o755)
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("A11Y_CHROMIUM", raising=False)
    assert not any(shutil.which(name) for name in browser_module.SYSTEM_CANDIDATES)
    return executable


def test_playwrights_chromium_is_found_inside_a_running_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The audit looks for its browser inside its event loop, where Playwright's sync API refuses to run."""
    executable = _only_playwrights_chromium(tmp_path, monkeypatch)

    async def in_the_loop():
        return find_browser()

    choice = asyncio.run(in_the_loop())
    assert (choice.path, choice.origin) == (str(executable), "playwright")


def test_playwrights_chromium_is_where_playwright_itself_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Found without starting Playwright's driver, so the layout must be the one its registry uses."""
    from playwright.sync_api import sync_playwright

    executable = _only_playwrights_chromium(tmp_path, monkeypatch)
    with sync_playwright() as pw:
        assert pw.chromium.executable_path == str(executable) == playwright_chromium().path


def test_no_chromium_says_where_it_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _only_playwrights_chromium(tmp_path, monkeypatch)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "empty"))
    with pytest.raises(BrowserNotFound) as raised:
        find_browser()
    message = str(raised.value)
    assert f"Playwright's Chromium is not installed: {tmp_path / 'empty'}" in message
    assert "none of chromium" in message and "make setup" in message


@pytest.mark.browser
def test_audit_and_doctor_with_only_playwrights_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli):
    executable = _only_playwrights_chromium(tmp_path, monkeypatch)
    (tmp_path / "page.html").write_text("<!DOCTYPE html><html lang='en'><title>t</title><main><h1>t</h1><p>text</p></main></html>")
    audited = run_cli("audit", str(tmp_path / "page.html"), "--out", str(tmp_path / "out"), "--format", "json", "--settle-ms", "0",
                      "--fail-on", "none")
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert json.loads((tmp_path / "out" / "report.json").read_text())["pages"][0]["status"] == "ok"
    doctor = run_cli("doctor")
    assert doctor.returncode == 0 and f"{executable} (playwright)" in doctor.stdout, doctor.stdout


def test_an_unknown_layout_asks_playwrights_driver_even_inside_an_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    executable = _only_playwrights_chromium(tmp_path, monkeypatch)
    monkeypatch.setattr(browser_module, "CHROMIUM_LAYOUTS", {})

    async def in_the_loop():
        return playwright_chromium()

    assert asyncio.run(in_the_loop()).path == str(executable)
