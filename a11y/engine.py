"""The pipeline as a plain library call: targets and settings in, a RunResult out.

load targets -> render (one browser, a context per page, pages in parallel) -> snapshot ->
rules (axe-core in the page, ours in Python) -> merge (sort, fingerprints). No printing, no
global state, no ``sys.exit``: the CLI and, later, a pytest plugin or a Dask worker sit on top.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack, nullcontext
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, async_playwright
from playwright.async_api import Error as PlaywrightError

from .axe import AxeRule, axe_version, parse_rules, run_options
from .browser import BrowserChoice, find_browser, launch_failure, launch_options
from .criteria import rule_criteria_for
from .model import PageResult, RunResult
from .render import RENDERER_CRASHED, PageFailed, PageWorker, Rendered, audit_page, axe_rule_catalog, load_page, without_lone_surrogates
from .server import PageServer
from .settings import Settings
from .targets import Target, redact_url, resolve_targets
from .version import __version__

GC_EVERY = 20  # pages between full garbage collections on long runs
ProgressCallback = Callable[[PageResult, int, int], None]


@dataclass
class BrowserInfo:
    path: str | None
    version: str


StopCheck = Callable[[], bool]


def audit(targets: Sequence[str | Target], settings: Settings | None = None, progress: ProgressCallback | None = None,
          should_stop: StopCheck | None = None) -> RunResult:
    """Audit every target and return the run's result. Blocking; safe to call from any process.

    ``should_stop`` is polled: once it returns True no new page is started, pages in flight are
    abandoned, and the result holds the pages done so far with ``interrupted`` set.
    """
    return asyncio.run(audit_async(targets, settings or Settings(), progress, should_stop))


async def audit_async(targets: Sequence[str | Target], settings: Settings, progress: ProgressCallback | None = None,
                      should_stop: StopCheck | None = None) -> RunResult:
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    clock = time.perf_counter()
    resolved = _resolve(targets)
    choice = find_browser(settings.browser_path)
    warming = asyncio.create_task(asyncio.to_thread(warm_up))
    async with AsyncExitStack() as stack:
        urls = _serve_local(resolved, stack)
        playwright = await stack.enter_async_context(async_playwright())
        host = BrowserHost(playwright, choice)
        stack.push_async_callback(host.close)
        browser = await host.get()
        catalog = RuleCatalog(host)
        pages, interrupted = await _audit_all(host, resolved, urls, settings, catalog, progress, should_stop or (lambda: False))
        rule_criteria = rule_criteria_for(await catalog.get(), settings.axe_tags(), settings.disabled_rules, settings.run_axe)
        info = BrowserInfo(choice.path, browser.version)
    await warming
    tool = _tool_info(settings, info)
    if host.restarts:
        tool["browser_restarts"] = host.restarts
    return RunResult(pages=pages, tool=tool, started=started_at, duration_s=time.perf_counter() - clock, interrupted=interrupted,
                     rule_criteria=rule_criteria, planned=len(resolved))


def warm_up() -> None:
    """Import the Python half of the pipeline and run it once, in a thread while the driver and
    browser start, so the first page's analysis does not pay for it (0.43 s -> 0.05 s)."""
    from . import analysis  # deliberately not at the top: see the analysis module

    analysis.warm_up()


class BrowserHost:
    """The run's one browser, relaunched when it dies mid-run (killed, crashed, out of memory)."""

    def __init__(self, playwright: Any, choice: BrowserChoice) -> None:
        self.playwright = playwright
        self.choice = choice
        self.browser: Browser | None = None
        self.generation = 0
        self.restarts = 0
        self._unresponsive: Browser | None = None  # a browser that stopped answering, though still connected
        self._lock = asyncio.Lock()
        # Tabs open one at a time: each starts a renderer process, and the first page can load as
        # soon as its own tab exists instead of when all of them do (measured: -3% wall on 40 pages).
        self.opening = asyncio.Lock()

    @property
    def alive(self) -> bool:
        return self.browser is not None and self.browser.is_connected() and self.browser is not self._unresponsive

    async def died_since(self, generation: int) -> bool:
        """Whether the browser of ``generation`` is gone: relaunched since, disconnected, or silent."""
        if self.generation != generation:
            return True
        return self.browser is not None and not await self.responsive()

    async def responsive(self, timeout_s: float = 5.0) -> bool:
        """Ask the browser itself: a killed one can fail a tab before its disconnect is seen."""
        browser = self.browser
        if browser is None or not self.alive:
            return False
        try:
            session = await asyncio.wait_for(browser.new_browser_cdp_session(), timeout_s)
            await asyncio.wait_for(session.send("Browser.getVersion"), timeout_s)
            await session.detach()
            return True
        except (asyncio.TimeoutError, PlaywrightError):
            self._unresponsive = browser  # only this one: another worker may have relaunched meanwhile
            return False

    async def get(self) -> Browser:
        async with self._lock:
            if not self.alive:
                if self.browser is not None:
                    self.restarts += 1
                    await self.close()
                try:
                    self.browser = await self.playwright.chromium.launch(executable_path=self.choice.path, **launch_options())
                except PlaywrightError as exc:
                    if self.generation == 0:  # the run's first browser: nothing can be audited, say why in one line
                        raise launch_failure(self.choice.path, str(exc)) from None
                    raise
                self.generation += 1
            return self.browser  # type: ignore[return-value]

    async def close(self) -> None:
        if self.browser is not None and self.browser.is_connected():
            try:
                await asyncio.wait_for(self.browser.close(), timeout=20)  # type: ignore[union-attr]
            except (asyncio.TimeoutError, PlaywrightError):
                pass


class RuleCatalog:
    """axe-core's rule metadata, read once per run from the first tab that ran axe.

    A blank page of its own (a context, a tab, an axe injection: about 0.6 s before the first
    page could start) is only opened when no page got that far.
    """

    def __init__(self, host: BrowserHost) -> None:
        self.host = host
        self.rules: dict[str, AxeRule] | None = None
        self._lock = asyncio.Lock()

    async def get(self, worker: PageWorker | None = None) -> dict[str, AxeRule]:
        async with self._lock:
            if self.rules is None:
                raw = None
                if worker is not None:
                    try:
                        raw = await worker.rule_catalog()
                    except (PageFailed, PlaywrightError):
                        raw = None  # the page went away meanwhile
                self.rules = parse_rules(raw if raw is not None else await axe_rule_catalog(await self.host.get()))
            return self.rules


def _resolve(targets: Sequence[str | Target]) -> list[Target]:
    specs = [t for t in targets if isinstance(t, str)]
    resolved = resolve_targets(specs) if specs else []
    return resolved + [t for t in targets if isinstance(t, Target)]


def _serve_local(targets: list[Target], stack: AsyncExitStack) -> dict[Target, str]:
    """Start one loopback server per target root; map each local target to its URL."""
    servers: dict[Path, PageServer] = {}
    urls: dict[Target, str] = {}
    for target in targets:
        if target.error or target.url:
            if target.url:
                urls[target] = target.url
            continue
        assert target.root is not None and target.path is not None
        if target.root not in servers:
            server = PageServer(target.root).start()
            stack.callback(server.stop)
            servers[target.root] = server
        urls[target] = servers[target.root].url_for(target.path)
    return urls


async def _audit_all(host: BrowserHost, targets: list[Target], urls: dict[Target, str], settings: Settings,
                     catalog: RuleCatalog, progress: ProgressCallback | None, should_stop: StopCheck) -> tuple[list[PageResult], bool]:
    """Pages in parallel over a pool of tabs; results in the order of the targets.

    A page in flight when the browser died is retried once in a new browser. Returns the pages
    done and whether the run was interrupted.
    """
    axe_options = run_options(settings.axe_tags(), settings.disabled_rules)
    # More tabs than CPUs keep the CPUs busy while pages load and wait for the network, but
    # axe-core runs beyond one per CPU only slow each other down (measured: -5% wall on 2 CPUs).
    axe_gate = asyncio.Semaphore(max(1, settings.axe_at_once))
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(targets)):
        queue.put_nowait(index)
    results: list[PageResult | None] = [None] * len(targets)
    retried: set[int] = set()
    in_flight = 0  # pages rendering, which may still fail and come back for a retry
    done = 0
    host_gates: dict[str, asyncio.Semaphore] = {}

    def host_gate(url: str) -> asyncio.Semaphore | None:
        """--max-per-host: at most N pages of one remote host at once."""
        host_name = urlsplit(url).netloc
        if not settings.max_per_host or not host_name or host_name.startswith("127.0.0.1"):
            return None
        return host_gates.setdefault(host_name, asyncio.Semaphore(settings.max_per_host))

    async def render_one(worker: PageWorker, index: int) -> PageResult | Analysis:
        target = targets[index]
        url = urls.get(target, "")
        async with host_gate(url) or nullcontext():
            return await render_target(worker, target, url, settings, axe_options, catalog, axe_gate)

    def record(index: int, result: PageResult) -> None:
        nonlocal done
        if index in retried and result.status == "ok":
            result.warnings.append("audited on a second try, in a fresh tab: the browser or its renderer died during the first")
        _redact(result)
        results[index] = result
        done += 1
        if done % GC_EVERY == 0:
            gc.collect()  # page trees and protocol payloads form cycles; free them in step
        if progress:
            progress(result, done, len(targets))

    async def analyse_and_record(index: int, analysis: Analysis) -> None:
        record(index, await analyse(analysis, settings))

    async def work() -> None:
        nonlocal in_flight
        worker = PageWorker(host, settings)
        analysing: asyncio.Task[None] | None = None  # the tab's previous page, analysed while it renders the next
        try:
            while not should_stop():
                try:
                    index = queue.get_nowait()
                except asyncio.QueueEmpty:
                    if in_flight == 0:
                        break
                    await worker.discard()  # nothing left for this tab: close it while the last pages finish
                    await asyncio.sleep(0.05)  # a page in flight may still come back for a retry
                    continue
                in_flight += 1
                generation = host.generation
                try:
                    outcome = await render_one(worker, index)
                finally:
                    in_flight -= 1
                if isinstance(outcome, PageResult):
                    if outcome.status == "error" and index not in retried and (outcome.error == RENDERER_CRASHED or await host.died_since(generation)):
                        retried.add(index)  # the browser or the tab's renderer died under this page: once more, in a fresh tab
                        await worker.discard()
                        queue.put_nowait(index)
                    else:
                        record(index, outcome)
                    continue
                if analysing is not None:
                    await analysing  # one page in analysis per tab bounds the memory held
                analysing = asyncio.create_task(analyse_and_record(index, outcome))
            await worker.discard()  # before the last analysis, which needs no tab
            if analysing is not None:
                await analysing
        except asyncio.CancelledError:
            if analysing is not None:
                analysing.cancel()
            raise
        finally:
            await worker.discard()

    async def watch(tasks: list[asyncio.Task[None]]) -> None:
        while not all(t.done() for t in tasks):
            if should_stop():
                for task in tasks:
                    task.cancel()
                return
            await asyncio.sleep(0.1)

    tasks = [asyncio.create_task(work()) for _ in range(min(max(1, settings.concurrency), max(1, len(targets))))]
    watcher = asyncio.create_task(watch(tasks))
    await asyncio.gather(*tasks, return_exceptions=True)
    watcher.cancel()
    interrupted = should_stop() and any(r is None for r in results)
    return [r for r in results if r is not None], bool(interrupted)


@dataclass
class Analysis:
    """A rendered page waiting for our rules, off the tab that rendered it."""

    page: PageResult
    rendered: Rendered
    catalog: dict[str, AxeRule]


async def render_target(worker: PageWorker, target: Target, url: str, settings: Settings, axe_options: dict[str, Any],
                        catalog: RuleCatalog, axe_gate: asyncio.Semaphore) -> PageResult | Analysis:
    """Render one page: what our rules need, or an error page. Every failure is caught."""
    if target.error:
        return PageResult(source=target.source, url="", status="error", error=target.error, found_by=target.found_by.to_dict())
    page = PageResult(source=target.source, url=redact_url(url), found_by=target.found_by.to_dict())
    # The page's own timeout covers loading; the margin covers settling, axe and the snapshot.
    budget = settings.timeout_s * 2 + settings.settle_ms / 1000 + 10
    try:
        rendered = await _render_within(budget, worker, url, settings, axe_options, axe_gate)
    except PageFailed as exc:
        return _failed(page, str(exc))
    except asyncio.TimeoutError:
        phase = worker.phase
        await worker.discard()
        return _failed(page, f"gave up after {budget:g} s while {phase} (a script may be stuck, or the page is very large)")
    except asyncio.CancelledError:
        await asyncio.shield(worker.discard())
        raise
    except PlaywrightError as exc:
        await worker.discard()
        return _failed(page, f"browser error: {str(exc).splitlines()[0][:160]}")
    try:
        return Analysis(page, rendered, await catalog.get(worker))  # read while axe is still loaded in this tab
    except Exception as exc:  # noqa: BLE001 - the catalog's fallback page may fail too
        return _analysis_failed(page, exc)


async def _render_within(budget: float, worker: PageWorker, url: str, settings: Settings, axe_options: dict[str, Any],
                         axe_gate: asyncio.Semaphore) -> Rendered:
    """Load the page, then audit it once ``axe_gate`` lets it; ``budget`` bounds both, not the wait for the gate."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget
    loaded = await asyncio.wait_for(load_page(worker, url, settings), timeout=deadline - loop.time())
    queued = loop.time()
    async with axe_gate:
        deadline += loop.time() - queued
        return await asyncio.wait_for(audit_page(worker, loaded, settings, axe_options), timeout=deadline - loop.time())


async def analyse(analysis: Analysis, settings: Settings) -> PageResult:
    """Our rules and the merge, in a thread; bad page data makes an error page, never an exception."""
    from .analysis import build_page_result  # imported by warm_up() long before the first page gets here

    try:
        return await asyncio.to_thread(build_page_result, analysis.page, analysis.rendered, settings, analysis.catalog)
    except Exception as exc:  # noqa: BLE001 - one page's bad data must not stop the run
        return _analysis_failed(analysis.page, exc)


def _redact(page: PageResult) -> None:
    """No credentials of a target URL (``http://user:pw@host/``) in what the page reports, and
    no lone surrogate from the page (a dialog's text, an error) in text that reports encode."""
    page.url = redact_url(page.url)
    page.final_url = redact_url(page.final_url) if page.final_url else page.final_url
    page.error = without_lone_surrogates(redact_url(page.error)) if page.error else page.error
    page.warnings = [without_lone_surrogates(redact_url(w)) for w in page.warnings]
    page.title = without_lone_surrogates(page.title)


def _analysis_failed(page: PageResult, exc: Exception) -> PageResult:
    return _failed(page, f"could not analyse the rendered page ({type(exc).__name__}: {str(exc)[:120]})")


def _failed(page: PageResult, cause: str) -> PageResult:
    page.status = "error"
    page.error = cause
    page.findings, page.applied = [], {}  # half-made findings of a page that failed are not results
    return page


def _tool_info(settings: Settings, info: BrowserInfo) -> dict[str, Any]:
    return {
        "name": "a11y",
        "version": __version__,
        "axe": axe_version(),
        "browser": f"Chromium {info.version}",
        "standard": settings.standard,
        "best_practice": settings.best_practice,
    }
