"""Run a page's steps (``a11y.steps``) in its tab after load, before it settles and axe runs, and
the login block once per run, whose storage state every tab then starts from.

A failing step is one line naming the step as written; the values of ``${NAME}`` are scrubbed
from any text a browser error might echo.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page
from playwright.async_api import Error as PlaywrightError

from ..steps import Login, Step, StepError, expand, scrub, secrets_of
from .render import PageFailed

SCROLL_ROUNDS = 20  # screens scrolled at most by scroll-to-bottom (an endless feed never ends)


async def run_step(page: Page, step: Step, timeout_ms: float) -> None:
    args = [expand(arg) for arg in step.args]
    action = step.action
    if action == "goto":
        await page.goto(args[0], wait_until="load", timeout=timeout_ms)
    elif action == "click":
        await page.locator(args[0]).first.click(timeout=timeout_ms)
    elif action == "fill":
        await page.locator(args[0]).first.fill(args[1], timeout=timeout_ms)
    elif action == "press":
        await page.keyboard.press(args[0])
    elif action == "wait-for":
        await page.locator(args[0]).first.wait_for(state="hidden" if len(args) == 2 else "visible", timeout=timeout_ms)
    elif action == "wait":
        await page.wait_for_timeout(int(args[0]))
    elif action == "check":
        await page.locator(args[0]).first.check(timeout=timeout_ms)
    elif action == "select":
        await page.locator(args[0]).first.select_option(args[1], timeout=timeout_ms)
    elif action == "remove":
        # In the main world is fine: only removing elements, and the page may re-add them (then a wait-for helps).
        await page.evaluate("(s) => document.querySelectorAll(s).forEach((e) => e.remove())", args[0])
    elif action == "scroll-to-bottom":
        await _scroll_to_bottom(page)


async def _scroll_to_bottom(page: Page) -> None:
    """Scroll a screen at a time so lazy images load, then back to the top."""
    for _ in range(SCROLL_ROUNDS):
        at_end = await page.evaluate(
            "() => { window.scrollBy(0, innerHeight); return innerHeight + scrollY >= document.documentElement.scrollHeight - 2; }")
        await page.wait_for_timeout(100)  # let an IntersectionObserver react
        if at_end:
            break
    await page.evaluate("() => window.scrollTo(0, 0)")


def step_failure(step: Step, exc: Exception, secrets: list[str]) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "Timeout" in text and "exceeded" in text:
        text = "timed out"
    return scrub(f"step '{step.text}' failed: {text[:160]}", secrets)


async def run_steps(page: Page, steps: tuple[Step, ...], timeout_ms: float) -> None:
    """Each step in order; the first that fails raises PageFailed naming it."""
    secrets = secrets_of(steps)
    for step in steps:
        try:
            await run_step(page, step, timeout_ms)
        except (PlaywrightError, StepError) as exc:
            raise PageFailed(step_failure(step, exc, secrets)) from None


async def wait_for_all(page: Page, selectors: tuple[str, ...], timeout_ms: float) -> None:
    for selector in selectors:
        await run_steps(page, (Step("wait-for", (selector,), f"wait-for {selector}"),), timeout_ms)


class LoginFailed(ValueError):
    """The login block failed: one line, no secret in it."""


async def log_in(browser: Browser, login: Login, viewport: dict[str, int], timeout_ms: float) -> dict[str, Any]:
    """Run the login block in a context of its own; the storage state (cookies, local storage) it leaves."""
    context = await browser.new_context(viewport=viewport, service_workers="block")
    try:
        page = await context.new_page()
        steps = (Step("goto", (login.url,), f"goto {login.url}"), *login.steps)
        try:
            await run_steps(page, steps, timeout_ms)
            if login.check:
                await run_steps(page, (Step("wait-for", (login.check,), f"wait-for {login.check}"),), timeout_ms)
        except PageFailed as exc:
            raise LoginFailed(f"login: {exc}") from None
        return await context.storage_state()
    finally:
        await asyncio.shield(context.close())


def read_storage_state(path: str) -> dict[str, Any]:
    """--storage-state FILE (Playwright's JSON); a one-line LoginFailed when it cannot be read."""
    import json

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise LoginFailed(f"--storage-state {path}: cannot read ({exc.strerror})") from None
    except ValueError as exc:
        raise LoginFailed(f"--storage-state {path}: not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cookies", []), list):
        raise LoginFailed(f"--storage-state {path}: not a Playwright storage state (no cookies list)")
    return data
