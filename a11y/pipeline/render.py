"""Render a page in Chromium and gather everything the rules need, in a11y's isolated world.

Page scripts cannot reach our code: axe-core and the snapshot run in an isolated JavaScript
world created over the DevTools protocol (the DOM is shared, globals and built-ins are not),
so a page that redefines ``window.axe`` or ``JSON.stringify`` cannot change the results.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, TypeVar
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, CDPSession, Page, Response
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from ..settings import Settings
from .axe import GET_RULES_JS, axe_source
from .origin_policy import OriginPolicy
from .server import HTML_TYPES

WORLD = "a11y"
# The page's links as the browser resolves them, after its scripts ran (isolated world: a page cannot fake them).
LINKS_JS = "() => Array.from(document.querySelectorAll('a[href], area[href]'), (a) => a.href).filter((h) => /^https?:/.test(h))"
CANCEL_GRACE_S = 2.0  # how long work abandoned on a gone tab may take to stop
RENDERER_CRASHED = "the browser's renderer crashed on this page"  # the engine retries such a page once, in a fresh tab
NAMES_ONLY = {"runOnly": {"type": "rule", "values": ["a11y-accessible-names"]}, "resultTypes": ["violations"], "selectors": False}


class PageFailed(Exception):
    """The page could not be audited; the message is the one-line cause for the report."""


@dataclass
class Rendered:
    """What rendering one page produced, before our rules run."""

    url: str
    final_url: str
    title: str
    axe_results: dict[str, Any]
    snapshot: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    load_s: float = 0.0
    axe_s: float = 0.0
    screenshot: bytes | None = None
    links: list[str] = field(default_factory=list)  # the page's a[href] after its scripts (for --crawl)


# JSON.stringify writes a lone UTF-16 surrogate (a script cut a string inside an emoji) as an escape;
# valid pairs stay raw characters. Such text cannot be encoded as UTF-8 anywhere downstream.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def without_lone_surrogates(value: Any) -> Any:
    """``value`` (page data: str, list, dict) with each lone surrogate replaced by U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_lone_surrogates(k): without_lone_surrogates(v) for k, v in value.items()}
    return value


def loads_page_json(text: str) -> Any:
    """JSON from the page, safe to encode: only text with a surrogate escape is walked."""
    data = json.loads(text)
    return without_lone_surrogates(data) if _SURROGATE_ESCAPE.search(text) else data


@cache
def page_script(name: str) -> str:
    """One of a11y's in-page scripts (js/), read once per process."""
    return resources.files("a11y").joinpath(f"js/{name}").read_text(encoding="utf-8")


@cache
def world_script() -> str:
    """What a11y's world holds before any call: axe-core and our accessible-name recorder."""
    return f"{axe_source()}\n;{page_script('names.js')}\n;0"


class IsolatedWorld:
    """axe-core loaded into a frame's isolated world, reached over one CDP session.

    A worker's tab has the world script evaluated in every new document as it is created
    (``preload_world``), so usually it is there already; elsewhere it is sent here.
    """

    def __init__(self, cdp: CDPSession) -> None:
        self.cdp = cdp
        self._contexts: dict[str, int] = {}

    async def context_for(self, frame_id: str) -> int:
        if frame_id not in self._contexts:
            created = await self.cdp.send("Page.createIsolatedWorld", {"frameId": frame_id, "worldName": WORLD, "grantUniveralAccess": True})
            context_id = created["executionContextId"]
            if not await self._evaluate(context_id, "typeof axe === 'object' && typeof __a11yNames === 'object'", by_value=True):
                await self._evaluate(context_id, world_script(), by_value=True)
            self._contexts[frame_id] = context_id
        return self._contexts[frame_id]

    async def call(self, frame_id: str, function: str, *args: Any) -> Any:
        """Call ``function`` (JS source) with JSON arguments in the frame's world; return its value."""
        context_id = await self.context_for(frame_id)
        expression = f"({function})(...{json.dumps(list(args))})"
        return await self._evaluate(context_id, expression, by_value=True)

    async def element_frame(self, frame_id: str, selector: Any) -> str | None:
        """The frame id of the iframe that ``selector`` (an axe frame selector) names."""
        context_id = await self.context_for(frame_id)
        found = await self.cdp.send("Runtime.evaluate", {
            "expression": f"axe.utils.shadowSelect({json.dumps(selector)})", "contextId": context_id})
        object_id = found.get("result", {}).get("objectId")
        if not object_id:
            return None
        described = await self.cdp.send("DOM.describeNode", {"objectId": object_id})
        return described.get("node", {}).get("frameId")

    async def _evaluate(self, context_id: int, expression: str, *, by_value: bool) -> Any:
        reply = await self.cdp.send("Runtime.evaluate", {
            "expression": expression, "contextId": context_id, "awaitPromise": True, "returnByValue": by_value})
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "script error")
            raise PageFailed(f"in-page script failed: {text.splitlines()[0]}")
        return reply.get("result", {}).get("value")


def _consume(task: asyncio.Future[Any]) -> None:
    """Retrieve an abandoned task's outcome, so its late error is not reported as never retrieved."""
    if not task.cancelled():
        task.exception()


async def preload_world(cdp: CDPSession) -> None:
    """Have the tab evaluate the world script in each new document, in a11y's world.

    Sent once per tab instead of with every page: per page that saves about 65 ms of CPU (measured
    over 20 pages: 570 KB through Playwright's driver, the browser process and the renderer). It
    runs before the page's own scripts, which cannot reach that world anyway. Chromium evaluates
    such scripts only for sessions with the Page domain enabled.
    """
    await cdp.send("Page.enable")
    await cdp.send("Page.addScriptToEvaluateOnNewDocument", {"source": world_script(), "worldName": WORLD})


async def main_frame_id(cdp: CDPSession) -> str:
    tree = await cdp.send("Page.getFrameTree")
    return tree["frameTree"]["frame"]["id"]


# axe's results as one JSON string, without what a11y never reads (inapplicable rules; the nodes of
# passed rules, but their count). Measured per call on a 55 KB result: by value it costs 31 ms
# of CPU (the renderer serialising, the protocol, Playwright's Python client), as a string 8 ms.
AS_JSON = "(r) => JSON.stringify({...r, inapplicable: [], passes: r.passes.map((p) => ({id: p.id, tags: p.tags, nodes: p.nodes.map(() => 0)}))})"


async def run_axe(world: IsolatedWorld, top_frame: str, options: dict[str, Any],
                  context: dict[str, Any] | None = None) -> tuple[dict[str, Any], int]:
    """axe-core over the page and its frames. Returns the results and how many frames it could not audit.

    A page without frames gets one ``axe.run`` call. With frames, each frame runs ``runPartial``
    in its own isolated world and ``finishRun`` merges them (axe's frame messaging cannot reach
    isolated worlds); partial results cross the protocol, so that path is kept for pages with frames.
    """
    # ``context``: --include / --exclude as axe's context ({include, exclude}); the whole document when None.
    if context and context.get("include"):
        found = await world.call(top_frame, "(s) => s.some((x) => { try { return !!document.querySelector(x); } catch (e) { return false; } })",
                                 context["include"])
        if not found:
            raise PageFailed(f"nothing on the page matches include {', '.join(context['include'])!r}")
    run_if_no_frames = f"(o, c) => axe.utils.getFrameContexts(c ?? document, o).length ? null : axe.run(c ?? document, o).then({AS_JSON})"
    without_frames = await world.call(top_frame, run_if_no_frames, options, context)
    if without_frames is not None:
        return loads_page_json(without_frames), 0
    skipped = 0

    async def partials(frame_id: str, context: Any) -> list[Any]:
        nonlocal skipped
        frame_contexts = await world.call(frame_id, "(c, o) => axe.utils.getFrameContexts(c ?? document, o)", context, options)
        collected = [await world.call(frame_id, "(c, o) => axe.runPartial(c ?? document, o)", context, options)]
        for item in frame_contexts or []:
            try:
                child = await world.element_frame(frame_id, item["frameSelector"])
                if child is None:
                    raise PageFailed("frame has no document")
                collected.extend(await partials(child, item["frameContext"]))
            except (PageFailed, PlaywrightError):
                skipped += 1
                collected.append(None)
        return collected

    parts = await partials(top_frame, context)
    results = await world.call(top_frame, f"(p, o) => axe.finishRun(p, o).then({AS_JSON})", parts, options)
    return loads_page_json(results), skipped


async def axe_rule_catalog(browser: Browser) -> list[dict[str, Any]]:
    """``axe.getRules()`` with impacts, read once per run from a blank page."""
    context = await browser.new_context()
    try:
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        world = IsolatedWorld(cdp)
        return await world.call(await main_frame_id(cdp), GET_RULES_JS)
    finally:
        await context.close()


class PageWorker:
    """A browser tab that audits pages one after another, with guards against hostile pages.

    Reusing the tab (navigating it to the next page) keeps one renderer process, whose V8
    compilation cache makes evaluating axe-core in each new page cheap, and the tab holds axe's
    source, sent once (``preload_world``). Cookies and storage are cleared between pages; a tab
    that crashed, closed or wedged is thrown away and the next page gets a fresh one.
    """

    RECYCLE_AFTER = 50  # pages per tab before a fresh one, so memory stays flat over long runs

    def __init__(self, host: Any, settings: Settings) -> None:
        self.host = host  # engine.BrowserHost: hands out the live browser, relaunching a dead one
        self.settings = settings
        self.pages_done = 0
        self.context: BrowserContext | None = None
        self.page: Page | None = None
        self.cdp: CDPSession | None = None
        self.broken = True
        self.gone = asyncio.Event()
        self._tasks: set[asyncio.Future[Any]] = set()  # keep fire-and-forget handlers alive
        self._reset_page_state("")

    def _reset_page_state(self, url: str) -> None:
        self.url = url
        self.phase = "loading the page"  # said in the error when a page runs out of time
        self.own_host = urlsplit(url).netloc
        self.warnings: list[str] = []
        self.closed_itself = False
        self.crashed = False
        self.navigations: list[str] = []
        self.policy = OriginPolicy(url, dict(self.settings.headers), dict(self.settings.cookies), self.settings.block_external,
                                   self.settings.timeout_s * 1000)
        self.world: IsolatedWorld | None = None  # where axe-core runs on the current page

    async def _open(self) -> None:
        async with self.host.opening:
            await self._open_tab()

    async def _open_tab(self) -> None:
        viewport = {"width": self.settings.viewport.width, "height": self.settings.viewport.height}
        browser = await self.host.get()
        self.pages_done = 0
        # A login's (or --storage-state's) cookies and storage: every page of the run starts logged in.
        self.context = await browser.new_context(viewport=viewport, accept_downloads=False, service_workers="block",
                                                 storage_state=self.settings.storage_state)  # type: ignore[arg-type]
        if self.policy.needed:  # the page's policy changes per page; the routes read the current one
            await self.context.route("**/*", lambda route: self.policy.route(route))
        if self.settings.block_external:
            await self.context.route_web_socket(re.compile(".*"), lambda socket: self.policy.route_web_socket(socket))
        page = await self.context.new_page()
        page.on("popup", self._on_popup)
        page.on("dialog", self._on_dialog)
        self.gone = asyncio.Event()  # set the moment the renderer crashes or the page closes: work on it stops at once
        page.on("close", lambda closed: self._went(closed, "closed_itself"))
        page.on("crash", lambda crashed: self._went(crashed, "crashed"))
        self.page = page
        # The renderer may be killed while the tab is still being set up: its calls would then wait for ever.
        self.cdp = await self.unless_gone(self.context.new_cdp_session(page))
        # A new document in the main frame; pushState, replaceState and #fragments (every SPA router)
        # keep the document and fire Page.navigatedWithinDocument instead, which is no navigation away.
        self.cdp.on("Page.frameNavigated", self._on_frame_navigated)
        await self.unless_gone(preload_world(self.cdp))
        self.broken = False

    def _went(self, page: Page, how: str) -> None:
        if page is not self.page:
            return  # a discarded tab's late event: not about the tab that replaced it
        setattr(self, how, True)
        self.gone.set()

    async def unless_gone(self, work: Awaitable[T]) -> T:
        """``work`` on this tab, abandoned the moment its renderer crashes or the page closes.

        A renderer killed from outside (the OOM killer) can leave a protocol call unanswered until
        the page's whole budget runs out; the crash event says so at once.
        """
        task = asyncio.ensure_future(work)
        gone = asyncio.ensure_future(self.gone.wait())
        try:
            await asyncio.wait({task, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
            if not task.done():
                task.cancel()
                # Its cleanup may itself wait on the dead renderer: give it a moment, never the page's budget.
                await asyncio.wait({task}, timeout=CANCEL_GRACE_S)
                task.add_done_callback(_consume)
        if not task.done() or task.cancelled():
            self.broken = True
            raise PageFailed(_gone_reason(self) or "the tab went away")
        return task.result()

    def _on_frame_navigated(self, event: dict[str, Any]) -> None:
        frame = event.get("frame", {})
        if not frame.get("parentId"):
            self.navigations.append(frame.get("url", ""))

    async def prepare(self, url: str) -> Page:
        """A clean tab for ``url``: fresh after a failure, else the same one with storage cleared."""
        if self.broken or self.page is None or self.page.is_closed() or self.pages_done >= self.RECYCLE_AFTER:
            await self.discard()
            await self._open()
        else:
            await self._clear_state()
        self._reset_page_state(url)
        self.pages_done += 1
        return self.page  # type: ignore[return-value]

    async def rule_catalog(self) -> list[dict[str, Any]]:
        """``axe.getRules()`` from the world of the page just audited, where axe is loaded."""
        if self.cdp is None:
            raise PageFailed("no tab")
        world = self.world or IsolatedWorld(self.cdp)
        return await world.call(await main_frame_id(self.cdp), GET_RULES_JS)

    async def _clear_state(self) -> None:
        assert self.context is not None and self.cdp is not None
        await self.context.clear_cookies()
        if self.settings.storage_state and self.settings.storage_state.get("cookies"):
            await self.context.add_cookies(self.settings.storage_state["cookies"])  # the login outlives the clearing
        if self.own_host:
            origin = f"{urlsplit(self.url).scheme}://{self.own_host}"
            await self.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "local_storage,indexeddb,cache_storage,websql"})

    async def fetch_status(self, url: str) -> tuple[int, str, str | None] | None:
        """The document's HTTP status, fetched again: Chromium hides empty error responses behind
        net errors. Only asked after a failed navigation, so listening to every response (costly
        in the Python client on every page) is not needed."""
        try:
            response = await self.context.request.get(url, timeout=10000, fail_on_status_code=False)  # type: ignore[union-attr]
        except PlaywrightError:
            return None
        try:
            return response.status, response.status_text, response.headers.get("retry-after")
        finally:
            await response.dispose()

    def _spawn(self, awaitable: Any) -> None:
        task = asyncio.ensure_future(awaitable)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_popup(self, popup: Page) -> None:
        self.warnings.append(f"closed a popup window ({popup.url or 'about:blank'})")
        self._spawn(popup.close())

    def _on_dialog(self, dialog: Any) -> None:
        message = " ".join(dialog.message.split())[:80]
        if dialog.type == "beforeunload":  # leaving must never be blocked
            self._spawn(dialog.accept())
            return
        self.warnings.append(f"dismissed a JavaScript {dialog.type} dialog" + (f": {message!r}" if message else ""))
        self._spawn(dialog.dismiss())

    async def discard(self) -> None:
        """Throw the tab away (after a failure, or at the end of the run)."""
        context, self.context, self.page, self.cdp, self.broken = self.context, None, None, None, True
        if context is not None:
            try:
                await asyncio.wait_for(context.close(), timeout=10)
            except (asyncio.TimeoutError, PlaywrightError):
                pass  # a wedged context dies with the browser


RETRY_STATUSES = (429, 503)
MAX_RETRIES = 2
MAX_RETRY_WAIT_S = 30.0


def retry_after_seconds(header: str | None, default: float = 2.0) -> float:
    """Seconds to wait from a Retry-After header (seconds or HTTP date), bounded."""
    if not header:
        return default
    try:
        seconds = float(header.strip())
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return default
        from datetime import datetime, timezone

        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    return max(0.0, min(seconds, MAX_RETRY_WAIT_S))


async def _goto_with_retries(worker: PageWorker, page: Page, url: str, settings: Settings) -> tuple[Page, Response | None]:
    """Navigate; on 429/503 wait as Retry-After says and try again, a bounded number of times.

    Returns the tab the page finally loaded in: a retry after a failed navigation gets a fresh
    tab, since Chromium may still be committing its error page in the old one.
    """
    for attempt in range(MAX_RETRIES + 1):
        try:
            response = await page.goto(url, wait_until="load", timeout=settings.timeout_s * 1000)
        except PlaywrightError as exc:
            if page.is_closed() or "crash" in str(exc).lower():
                raise PageFailed(RENDERER_CRASHED) from None
            status = await worker.fetch_status(url) if "ERR_HTTP_RESPONSE_CODE_FAILURE" in str(exc) else None
            if status is None or attempt == MAX_RETRIES:
                raise _navigation_error(exc, settings.timeout_s) from None
            if status[0] >= 400 and status[0] not in RETRY_STATUSES:
                raise PageFailed(f"HTTP {status[0]} {status[1]}".strip()) from None
            await asyncio.sleep(retry_after_seconds(status[2]) if status[0] in RETRY_STATUSES else 0)
            worker.broken = True
            page = await worker.prepare(url)
            continue
        if response is None or response.status not in RETRY_STATUSES or attempt == MAX_RETRIES:
            return page, response
        await asyncio.sleep(retry_after_seconds(response.headers.get("retry-after")))
    return page, None


def _check_response(response: Response | None, url: str) -> None:
    if response is None:
        return
    if response.status >= 400:
        raise PageFailed(f"HTTP {response.status} {response.status_text or ''}".strip())
    content_type = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type and content_type not in HTML_TYPES:
        raise PageFailed(f"not an HTML page (content type {content_type})")


def _navigation_error(exc: PlaywrightError, timeout_s: float) -> PageFailed:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, PlaywrightTimeout) or "Timeout" in text:
        return PageFailed(f"page did not finish loading within {timeout_s:g} s")
    if "Download is starting" in text:
        return PageFailed("not an HTML page (the browser started a download)")
    for marker in ("net::ERR_", "NS_ERROR"):
        if marker in text:
            code = text[text.index(marker):].split()[0]
            return PageFailed(f"could not load the page ({code})")
    return PageFailed(f"could not load the page ({text[:160]})")


@dataclass
class Loaded:
    """A page loaded and settled in a worker's tab, not audited yet."""

    page: Page
    url: str
    final_url: str
    load_s: float


T = TypeVar("T")


AfterLoad = Callable[[Page], Awaitable[None]]


async def load_page(worker: PageWorker, url: str, settings: Settings, after_load: AfterLoad | None = None) -> Loaded:
    """Load ``url`` in the worker's tab and let it settle (mostly waiting on the network).

    Raises PageFailed with a one-line cause, as ``audit_page`` does; the worker is marked broken
    when its tab may be in a bad state, so the next page gets a fresh one.
    """
    return await _guarded(worker, _load(worker, url, settings, after_load))


async def audit_page(worker: PageWorker, loaded: Loaded, settings: Settings, axe_options: dict[str, Any],
                     context: dict[str, Any] | None = None) -> Rendered:
    """Run axe-core on a loaded page and take the snapshot: the CPU-bound part of a page."""
    return await _guarded(worker, worker.unless_gone(_audit(worker, loaded, settings, axe_options, context)))


async def _guarded(worker: PageWorker, work: Awaitable[T]) -> T:
    try:
        return await work
    except PageFailed:
        worker.broken = True
        raise
    except PlaywrightError as exc:
        worker.broken = True
        raise _failure_from(worker, exc) from None


async def _load(worker: PageWorker, url: str, settings: Settings, after_load: AfterLoad | None) -> Loaded:
    page = await worker.prepare(url)
    return await worker.unless_gone(_load_in(worker, page, url, settings, after_load))  # the tab is the one prepare() made


async def _load_in(worker: PageWorker, page: Page, url: str, settings: Settings, after_load: AfterLoad | None) -> Loaded:
    started = time.perf_counter()
    page, response = await _goto_with_retries(worker, page, url, settings)
    _check_response(response, url)
    if after_load is not None:
        await after_load(page)  # the page's steps: a cookie banner away, a widget waited for
        worker.navigations[1:] = []  # a step may navigate (goto, a form's submit): where it ends is the page audited
        url = page.url
    await _settle(page, settings.settle_ms)
    final_url = page.url
    _check_still_here(worker, url)
    return Loaded(page, url, final_url, time.perf_counter() - started)


async def _audit(worker: PageWorker, loaded: Loaded, settings: Settings, axe_options: dict[str, Any],
                 context: dict[str, Any] | None = None) -> Rendered:
    _check_still_here(worker, loaded.url)  # it may have gone while waiting for its turn
    assert worker.cdp is not None
    world = worker.world = IsolatedWorld(worker.cdp)
    # With axe off, axe still runs its internal rule that records accessible names.
    results, snap, skipped, axe_s = await examine(world, await main_frame_id(worker.cdp), axe_options if settings.run_axe else NAMES_ONLY,
                                                  lambda phase: setattr(worker, "phase", phase), context)
    _check_still_here(worker, loaded.url)
    links = await world.call(await main_frame_id(worker.cdp), LINKS_JS) if settings.collect_links else []
    screenshot = await _screenshot(loaded.page) if settings.screenshots else None
    warnings = list(worker.warnings)
    blocked = worker.policy.warning()
    if blocked:
        warnings.append(blocked)
    if skipped:
        warnings.append(f"{skipped} frame(s) not audited (cross-origin or gone)")
    return Rendered(url=loaded.url, final_url=loaded.final_url, title=snap.get("title", ""), axe_results=results, snapshot=snap,
                    warnings=warnings, load_s=loaded.load_s, axe_s=axe_s, screenshot=screenshot, links=list(links or []))


async def examine(world: IsolatedWorld, top: str, axe_options: dict[str, Any],
                  phase: Callable[[str], None] = lambda _phase: None,
                  context: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, Any], int, float]:
    """axe-core, then the snapshot, in a11y's world of a tab: the page as it is now, shared by the
    pool's tabs and live pages (``a11y.check``). Returns axe's results, the snapshot, the frames
    axe could not audit and axe's seconds. Awaits nothing but ``world``'s protocol calls."""
    started = time.perf_counter()
    phase("running axe-core")
    results, skipped = await run_axe(world, top, axe_options, context)
    axe_s = time.perf_counter() - started
    targets = sorted({json.dumps(node["target"][0]) for key in ("violations", "incomplete") for rule in results.get(key, [])
                      for node in rule["nodes"] if len(node.get("target", [])) == 1})
    phase("taking the snapshot")
    snap = loads_page_json(await world.call(top, page_script("snapshot.js"), [json.loads(t) for t in targets]))
    return results, snap, skipped, axe_s


async def _settle(page: Page, settle_ms: int) -> None:
    """Wait for the network to go quiet so script-added content is audited, within a bound."""
    if settle_ms <= 0:
        return
    try:
        await page.wait_for_load_state("networkidle", timeout=settle_ms)
    except PlaywrightTimeout:
        pass  # busy pages are audited as they are after the bound


def _gone_reason(session: PageWorker) -> str | None:
    """Why the tab can no longer be audited, when its renderer crashed or the page closed it."""
    if session.crashed:
        return RENDERER_CRASHED
    if session.closed_itself:
        return "the page closed itself (window.close)"
    return None


def _check_still_here(session: PageWorker, url: str) -> None:
    gone = _gone_reason(session)
    if gone:
        raise PageFailed(gone)
    later = session.navigations[1:]  # new documents in the main frame since the page's own
    if later and later[-1].split("#")[0] != url.split("#")[0]:
        raise PageFailed(f"the page navigated away to {later[-1][:120]} during the audit")
    if later:
        raise PageFailed("the page reloaded itself during the audit (a refresh loop?)")


def _failure_from(session: PageWorker, exc: PlaywrightError) -> PageFailed:
    gone = _gone_reason(session)
    if gone:
        return PageFailed(gone)
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "Execution context was destroyed" in text or "Cannot find context" in text or "navigat" in text.lower():
        return PageFailed("the page navigated away during the audit")
    if "Target crashed" in text:  # a renderer killed while the tab was being made: no crash event reached it
        return PageFailed(RENDERER_CRASHED)
    return PageFailed(f"browser error: {text[:160]}")


async def _screenshot(page: Page) -> bytes | None:
    try:
        return await page.screenshot(full_page=True, type="jpeg", quality=70, timeout=15000)
    except PlaywrightError:
        return None
