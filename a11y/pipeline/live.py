"""Audit a live Playwright page as it is now: no reload, a11y's code in its isolated world.

The caller's page may come from Playwright's sync or async API. The in-page steps are written
once, as coroutines over a small ``Tab`` (a CDP ``send`` and a screenshot). For a sync page each
of the tab's calls blocks and returns, so the coroutine never suspends and is driven to its end
without an event loop: the sync API owns its thread's loop, so no second loop can run there.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page as AsyncPage
from playwright.sync_api import CDPSession as SyncCDPSession
from playwright.sync_api import Page as SyncPage
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..model import PageResult
from ..settings import Settings
from .axe import GET_RULES_JS, AxeRule, parse_rules, run_options
from .render import NAMES_ONLY, IsolatedWorld, PageFailed, Rendered, examine, main_frame_id

SCREENSHOT = {"full_page": True, "type": "jpeg", "quality": 70, "timeout": 15000}  # as the pool's tabs take them


class CheckFailed(RuntimeError):
    """A live page could not be audited; the message is one line naming the page and the cause."""


class Tab(Protocol):
    async def send(self, method: str, params: dict[str, Any] | None = None) -> Any: ...

    async def screenshot(self) -> bytes | None: ...


class Deadline:
    """A check's own time limit: every protocol call gets what is left of it, then the check gives up."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.phase = "running axe-core"
        self.passed = False  # once it has, the renderer may be stuck: nothing more is asked of the page

    def left_ms(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise self.expired()
        return left * 1000

    def expired(self) -> PageFailed:
        self.passed = True
        return PageFailed(f"gave up after {self.seconds:g} s while {self.phase} (a script may be stuck, or the page is very large)")


@cache
def send_takes_timeout() -> bool:
    """Playwright's CDPSession.send bounds a call with ``timeout`` (ms) in recent releases only."""
    return "timeout" in inspect.signature(SyncCDPSession.send).parameters


class AsyncTab:
    def __init__(self, page: AsyncPage, cdp: Any, deadline: Deadline) -> None:
        self.page, self.cdp, self.deadline = page, cdp, deadline

    async def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return await asyncio.wait_for(self.cdp.send(method, params), self.deadline.left_ms() / 1000)
        except asyncio.TimeoutError:
            raise self.deadline.expired() from None

    async def screenshot(self) -> bytes | None:
        try:
            return await self.page.screenshot(**SCREENSHOT)
        except PlaywrightError:
            return None


class SyncTab:
    """A sync page behind the async protocol: every call completes (or times out) before it returns."""

    def __init__(self, page: SyncPage, cdp: Any, deadline: Deadline) -> None:
        self.page, self.cdp, self.deadline = page, cdp, deadline

    async def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        if not send_takes_timeout():
            return self.cdp.send(method, params)  # an older Playwright: the call is not bounded
        try:
            return self.cdp.send(method, params, timeout=self.deadline.left_ms())
        except PlaywrightTimeout:
            raise self.deadline.expired() from None

    async def screenshot(self) -> bytes | None:
        try:
            return self.page.screenshot(**SCREENSHOT)
        except PlaywrightError:
            return None


@dataclass
class Checked:
    """One live page audited, with what a report of it needs besides the page."""

    page: PageResult
    catalog: dict[str, AxeRule]
    browser_version: str


_catalog: dict[str, AxeRule] | None = None  # axe's rule metadata: the same for every page of a process


async def examine_tab(tab: Tab, url: str, settings: Settings, deadline: Deadline) -> tuple[Rendered, dict[str, AxeRule]]:
    """axe-core and the snapshot on the tab's page as it is; its rule catalog."""
    global _catalog
    world = IsolatedWorld(tab)  # type: ignore[arg-type]  # any object with CDPSession's send
    top = await main_frame_id(tab)  # type: ignore[arg-type]
    options = run_options(settings.axe_tags(), settings.disabled_rules) if settings.run_axe else NAMES_ONLY
    results, snap, skipped, axe_s = await examine(world, top, options, phase=lambda phase: setattr(deadline, "phase", phase))
    if _catalog is None:
        _catalog = parse_rules(await world.call(top, GET_RULES_JS))
    screenshot = await tab.screenshot() if settings.screenshots else None
    warnings = [f"{skipped} frame(s) not audited (cross-origin or gone)"] if skipped else []
    return Rendered(url=url, final_url=url, title=snap.get("title", ""), axe_results=results, snapshot=snap, warnings=warnings,
                    axe_s=axe_s, screenshot=screenshot), _catalog


def run_now(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine whose awaits all complete at once (a SyncTab's calls), without an event loop."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    raise RuntimeError("a11y: auditing a sync page had to wait on an event loop")


def check_sync(page: SyncPage, settings: Settings) -> Checked:
    from .analysis import build_page_result

    url = _url(page)
    _require_chromium(page, url)
    with _failures(url):
        cdp = page.context.new_cdp_session(page)
        deadline = Deadline(settings.timeout_s)
        try:
            rendered, catalog = run_now(examine_tab(SyncTab(page, cdp, deadline), url, settings, deadline))
        finally:
            if not deadline.passed:  # detaching waits on the renderer, which may be the thing that is stuck
                _quietly(cdp.detach)
    result = build_page_result(PageResult(source=None, url=url), rendered, settings, catalog)
    return Checked(result, catalog, _browser_version(page))


async def check_async(page: AsyncPage, settings: Settings) -> Checked:
    from .analysis import build_page_result

    url = _url(page)
    _require_chromium(page, url)
    with _failures(url):
        cdp = await page.context.new_cdp_session(page)
        deadline = Deadline(settings.timeout_s)
        try:
            rendered, catalog = await examine_tab(AsyncTab(page, cdp, deadline), url, settings, deadline)
        finally:
            try:
                if not deadline.passed:  # detaching waits on the renderer, which may be the thing that is stuck
                    await cdp.detach()
            except PlaywrightError:
                pass  # the page closed meanwhile
    result = await asyncio.to_thread(build_page_result, PageResult(source=None, url=url), rendered, settings, catalog)
    return Checked(result, catalog, _browser_version(page))


def _url(page: Any) -> str:
    if not isinstance(page, (SyncPage, AsyncPage)):
        raise TypeError(f"a11y.check takes a Playwright Page, not {type(page).__name__}")
    if page.is_closed():
        raise CheckFailed("a11y.check: the page is closed")
    return page.url


def browser_name(page: Any) -> str | None:
    """The Playwright browser type of the page's browser; None for a persistent context's page."""
    browser = page.context.browser
    return browser.browser_type.name if browser is not None else None


def _require_chromium(page: Any, url: str) -> None:
    name = browser_name(page)
    if name not in (None, "chromium"):
        raise CheckFailed(f"a11y.check({url}): needs a Chromium page (it audits over the DevTools protocol, which {name} does not have)")


def _browser_version(page: Any) -> str:
    browser = page.context.browser
    return browser.version if browser is not None else ""


@contextmanager
def _failures(url: str) -> Iterator[None]:
    """PageFailed and Playwright's errors as one CheckFailed naming the page."""
    try:
        yield
    except PageFailed as exc:
        raise CheckFailed(f"a11y.check({url}): {exc}") from None
    except PlaywrightError as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "Execution context was destroyed" in text or "Cannot find context" in text:
            text = "the page navigated away during the audit"
        raise CheckFailed(f"a11y.check({url}): {text[:200]}") from None


def _quietly(call: Any) -> None:
    try:
        call()
    except PlaywrightError:
        pass  # the page closed meanwhile
