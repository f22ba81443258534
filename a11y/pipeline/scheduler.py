"""The scheduler: pages in parallel over a pool of browser tabs, results in the order of the targets.

Each tab renders a page, hands it to analysis (our rules, off the tab) and takes the next one.
A page in flight when the browser or its renderer died goes back to the queue once, for a fresh
tab. The state the tabs share is named here, on one object, rather than kept in closures.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError

from ..model import PageResult
from ..settings import Settings
from ..steps import plan_for
from .actions import run_steps, wait_for_all
from .axe import AxeRule, parse_rules, run_options
from .browser import BrowserHost
from .render import RENDERER_CRASHED, AfterLoad, PageFailed, PageWorker, Rendered, audit_page, axe_rule_catalog, load_page, without_lone_surrogates
from .targets import Target, redact_url

GC_EVERY = 20  # pages between full garbage collections on long runs
IDLE_POLL_S = 0.05  # how often an idle tab looks for a page that came back for a retry
ProgressCallback = Callable[[PageResult, int, int], None]
StopCheck = Callable[[], bool]
# A page's URL, final URL and links, once per page done (links None: the page failed): where a crawl
# finds pages. It may answer why the page is not to be audited after all (a crawled link that left
# the site): then it is an error page.
LinksCallback = Callable[[str, str, list[str] | None], str | None]
RETRIED_WARNING = "audited on a second try, in a fresh tab: the browser or its renderer died during the first"


@dataclass
class Analysis:
    """A rendered page waiting for our rules, off the tab that rendered it."""

    page: PageResult
    rendered: Rendered
    catalog: dict[str, AxeRule]
    settings: Settings | None = None  # the page's own (a [[pages]] entry's disabled rules, scope), when not the run's


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


class Scheduler:
    """One run's pages over ``settings.concurrency`` tabs of ``host``'s browser."""

    def __init__(self, host: BrowserHost, settings: Settings, catalog: RuleCatalog, progress: ProgressCallback | None = None,
                 should_stop: StopCheck | None = None, on_links: LinksCallback | None = None) -> None:
        self.host = host
        self.on_links = on_links  # set: pages may be added while the run goes (``add``), e.g. by a crawl
        self.settings = settings
        self.catalog = catalog
        self.progress = progress
        self.should_stop = should_stop or (lambda: False)
        self.axe_options = run_options(settings.axe_tags(), settings.disabled_rules)
        # More tabs than CPUs keep the CPUs busy while pages load and wait for the network, but
        # axe-core runs beyond one per CPU only slow each other down (measured: -5% wall on 2 CPUs).
        self.axe_gate = asyncio.Semaphore(max(1, settings.axe_at_once))
        self.host_gates: dict[str, asyncio.Semaphore] = {}  # --max-per-host, one per remote host
        self.targets: dict[int, Target] = {}  # by index: the targets' order
        self.urls: dict[Target, str] = {}
        self.queue: asyncio.Queue[int] = asyncio.Queue()  # indexes of targets still to render
        self.results: dict[int, PageResult] = {}
        self.retried: set[int] = set()  # pages sent back once after a browser or renderer death
        self.in_flight = 0  # pages rendering, which may still fail and come back for a retry
        self.done = 0

    async def run(self, targets: list[Target], urls: dict[Target, str]) -> tuple[list[PageResult], bool]:
        """Audit ``targets`` (local ones at their ``urls``); the pages done, and whether the run was interrupted."""
        self.targets, self.urls = dict(enumerate(targets)), urls
        for index in range(len(targets)):
            self.queue.put_nowait(index)
        wanted = len(targets) if self.on_links is None else self.settings.concurrency  # a crawl's pages come later
        tabs = [asyncio.create_task(self._tab()) for _ in range(min(max(1, self.settings.concurrency), max(1, wanted)))]
        watcher = asyncio.create_task(self._watch(tabs))
        await asyncio.gather(*tabs, return_exceptions=True)
        watcher.cancel()
        interrupted = self.should_stop() and len(self.results) < len(self.targets)
        return [self.results[index] for index in sorted(self.results)], bool(interrupted)

    def add(self, target: Target, url: str) -> None:
        """One more page, found during the run: audited after those queued, reported after them."""
        index = len(self.targets)
        self.targets[index] = target
        self.urls[target] = url
        self.queue.put_nowait(index)

    # -- one tab ------------------------------------------------------------------------------

    async def _tab(self) -> None:
        worker = PageWorker(self.host, self.settings)
        analysing: asyncio.Task[None] | None = None  # the tab's previous page, analysed while it renders the next
        try:
            while not self.should_stop():
                index = await self._next_index(worker)
                if index is None:
                    break
                outcome = await self._render(worker, index)
                if isinstance(outcome, PageResult):
                    continue  # an error page, recorded or sent back for a retry
                if analysing is not None:
                    await analysing  # one page in analysis per tab bounds the memory held
                analysing = asyncio.create_task(self._analyse_and_record(index, outcome))
            await worker.discard()  # before the last analysis, which needs no tab
            if analysing is not None:
                await analysing
        except asyncio.CancelledError:
            if analysing is not None:
                analysing.cancel()
            raise
        finally:
            await worker.discard()

    async def _next_index(self, worker: PageWorker) -> int | None:
        """The next target to render; None once the queue is empty and no page can come back to it."""
        while not self.should_stop():
            try:
                return self.queue.get_nowait()
            except asyncio.QueueEmpty:
                if self.in_flight == 0:
                    return None
                await worker.discard()  # nothing left for this tab: close it while the last pages finish
                await asyncio.sleep(IDLE_POLL_S)
        return None

    async def _render(self, worker: PageWorker, index: int) -> PageResult | Analysis:
        """Render one target; an error page is recorded here, or queued again once if the browser died under it."""
        target = self.targets[index]
        url = self.url_of(index)
        self.in_flight += 1
        generation = self.host.generation
        # Everything up to the links reported (and the pages they add queued) happens before in_flight
        # drops, so no idle tab quits while pages are still being found.
        try:
            settings, axe_options, after_load, context = self._plan(url)
            async with self._host_gate(url) or nullcontext():
                outcome = await render_target(worker, target, url, settings, axe_options, self.catalog, self.axe_gate, after_load, context)
            if isinstance(outcome, Analysis):
                outcome.settings = settings
                refused = self.on_links(url, outcome.rendered.final_url, outcome.rendered.links) if self.on_links else None
                if refused:
                    outcome = failed(outcome.page, refused)
            elif await self._retried(index, outcome, generation, worker):
                return outcome
            elif self.on_links:
                self.on_links(url, url, None)  # a failed page has no links, but a crawl waits for it to report
        finally:
            self.in_flight -= 1
        if isinstance(outcome, PageResult):
            self._record(index, outcome)
        return outcome

    def url_of(self, index: int) -> str:
        return self.urls.get(self.targets[index], "")

    async def _retried(self, index: int, outcome: PageResult, generation: int, worker: PageWorker) -> bool:
        """Queue the page once more, in a fresh tab, when the browser or the tab's renderer died under it."""
        if outcome.status != "error" or index in self.retried or not (
                outcome.error == RENDERER_CRASHED or await self.host.died_since(generation)):
            return False
        self.retried.add(index)
        await worker.discard()
        self.queue.put_nowait(index)
        return True

    def _plan(self, url: str) -> tuple[Settings, dict[str, Any], AfterLoad | None, dict[str, Any] | None]:
        """The page's settings, axe options, steps and axe context: the run's, with its [[pages]] entries'."""
        plan = plan_for(url, self.settings.pages, self.settings.scope)
        if not (plan.steps or plan.wait_for or plan.disable or plan.scope):
            return self.settings, self.axe_options, None, None
        settings = replace(self.settings, disabled_rules=self.settings.disabled_rules | plan.disable, scope=plan.scope)
        axe_options = run_options(settings.axe_tags(), settings.disabled_rules) if plan.disable else self.axe_options
        timeout_ms = self.settings.timeout_s * 1000

        async def after_load(page: Any) -> None:
            await run_steps(page, plan.steps, timeout_ms)
            await wait_for_all(page, plan.wait_for, timeout_ms)

        return settings, axe_options, after_load if plan.steps or plan.wait_for else None, plan.scope.axe_context()

    def _host_gate(self, url: str) -> asyncio.Semaphore | None:
        """--max-per-host: at most N pages of one remote host at once."""
        host_name = urlsplit(url).netloc
        if not self.settings.max_per_host or not host_name or host_name.startswith("127.0.0.1"):
            return None
        return self.host_gates.setdefault(host_name, asyncio.Semaphore(self.settings.max_per_host))

    async def _analyse_and_record(self, index: int, analysis: Analysis) -> None:
        self._record(index, await analyse(analysis, analysis.settings or self.settings))

    def _record(self, index: int, result: PageResult) -> None:
        if index in self.retried and result.status == "ok":
            result = replace(result, warnings=(*result.warnings, RETRIED_WARNING))
        result = redacted(result)
        self.results[index] = result
        self.done += 1
        if self.done % GC_EVERY == 0:
            gc.collect()  # page trees and protocol payloads form cycles; free them in step
        if self.progress:
            self.progress(result, self.done, len(self.targets))

    async def _watch(self, tabs: list[asyncio.Task[None]]) -> None:
        """Cancel the tabs as soon as the run is asked to stop (Ctrl-C), not after their pages."""
        while not all(t.done() for t in tabs):
            if self.should_stop():
                for task in tabs:
                    task.cancel()
                return
            await asyncio.sleep(0.1)


class RunStopped(Exception):
    """A page dropped because its run was stopped (Ctrl-C) while it was in a tab."""


class FeedScheduler(Scheduler):
    """The scheduler of a long-lived Dask worker: pages handed in one at a time (:meth:`audit`), each
    given back the moment it is done, over tabs that stay open (warm) between pages.

    Nothing of a page is kept once it is given back, so a worker's memory does not grow with a run.
    """

    def __init__(self, host: BrowserHost, settings: Settings, catalog: RuleCatalog) -> None:
        super().__init__(host, settings, catalog)
        self.page_urls: dict[int, str] = {}
        self.waiting: dict[int, asyncio.Future[PageResult]] = {}
        self.next_index = 0
        self.tabs: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self.tabs = [asyncio.create_task(self._tab()) for _ in range(max(1, self.settings.concurrency))]

    async def audit(self, target: Target, url: str) -> PageResult:
        index, self.next_index = self.next_index, self.next_index + 1
        self.targets[index], self.page_urls[index] = target, url
        self.waiting[index] = asyncio.get_running_loop().create_future()
        self.queue.put_nowait(index)
        # A page's own budget bounds it in its tab; this bounds the wait for a tab too, and is the
        # last guard against a lost page: a Dask task waiting for ever would hold its run for ever.
        patience = (page_budget(self.settings) + IDLE_POLL_S) * (self.settings.concurrency + 2)
        try:
            return await asyncio.wait_for(asyncio.shield(self.waiting[index]), patience)
        except asyncio.TimeoutError:
            page = PageResult(source=target.source, url=redact_url(url), found_by=target.found_by.to_dict())
            return failed(page, f"no tab of this worker finished the page within {patience:g} s")
        finally:
            for held in (self.targets, self.page_urls, self.waiting, self.results):
                held.pop(index, None)
            self.retried.discard(index)

    async def close(self, stopped: bool = False) -> None:
        """Close the tabs once the pages in hand are done; ``stopped``: at once, the pages in hand dropped."""
        for _ in self.tabs:
            self.queue.put_nowait(-1)
        if stopped:
            for tab in self.tabs:
                tab.cancel()
        await asyncio.gather(*self.tabs, return_exceptions=True)
        for waiter in self.waiting.values():
            if not waiter.done():
                waiter.set_exception(RunStopped("the run was stopped"))

    def url_of(self, index: int) -> str:
        return self.page_urls[index]

    async def _next_index(self, worker: PageWorker) -> int | None:
        while True:
            index = await self.queue.get()  # an idle tab stays open for the next page
            if index < 0:
                return None
            if index in self.waiting:
                return index
            self.retried.discard(index)  # given up on while it waited (audit's bound): not rendered

    def _record(self, index: int, result: PageResult) -> None:
        waiter = self.waiting.get(index)
        if waiter is None:
            return  # given up on while it rendered: nothing to hand back, nothing kept
        super()._record(index, result)
        if not waiter.done():
            waiter.set_result(self.results[index])


# -- one page ---------------------------------------------------------------------------------

async def render_target(worker: PageWorker, target: Target, url: str, settings: Settings, axe_options: dict[str, Any],
                        catalog: RuleCatalog, axe_gate: asyncio.Semaphore, after_load: AfterLoad | None = None,
                        context: dict[str, Any] | None = None) -> PageResult | Analysis:
    """Render one page: what our rules need, or an error page. Every failure is caught."""
    if target.error:
        return PageResult(source=target.source, url="", status="error", error=target.error, found_by=target.found_by.to_dict())
    page = PageResult(source=target.source, url=redact_url(url), found_by=target.found_by.to_dict())
    budget = page_budget(settings)
    try:
        rendered = await render_within(budget, worker, url, settings, axe_options, axe_gate, after_load, context)
    except PageFailed as exc:
        return failed(page, str(exc))
    except asyncio.TimeoutError:
        phase = worker.phase
        await worker.discard()
        return failed(page, f"gave up after {budget:g} s while {phase} (a script may be stuck, or the page is very large)")
    except asyncio.CancelledError:
        await asyncio.shield(worker.discard())
        raise
    except PlaywrightError as exc:
        await worker.discard()
        return failed(page, f"browser error: {str(exc).splitlines()[0][:160]}")
    try:
        return Analysis(page, rendered, await catalog.get(worker))  # read while axe is still loaded in this tab
    except Exception as exc:  # noqa: BLE001 - the catalog's fallback page may fail too
        return analysis_failed(page, exc)


def page_budget(settings: Settings) -> float:
    """Seconds a page may take in its tab: its own timeout covers loading; the margin covers settling, axe and the snapshot."""
    return settings.timeout_s * 2 + settings.settle_ms / 1000 + 10


async def render_within(budget: float, worker: PageWorker, url: str, settings: Settings, axe_options: dict[str, Any],
                        axe_gate: asyncio.Semaphore, after_load: AfterLoad | None = None, context: dict[str, Any] | None = None) -> Rendered:
    """Load the page, then audit it once ``axe_gate`` lets it; ``budget`` bounds both, not the wait for the gate."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget
    loaded = await asyncio.wait_for(load_page(worker, url, settings, after_load), timeout=deadline - loop.time())
    queued = loop.time()
    async with axe_gate:
        deadline += loop.time() - queued
        return await asyncio.wait_for(audit_page(worker, loaded, settings, axe_options, context), timeout=deadline - loop.time())


async def analyse(analysis: Analysis, settings: Settings) -> PageResult:
    """Our rules and the merge, in a thread; bad page data makes an error page, never an exception."""
    from .analysis import build_page_result  # imported by warm_up() long before the first page gets here

    try:
        return await asyncio.to_thread(build_page_result, analysis.page, analysis.rendered, settings, analysis.catalog)
    except Exception as exc:  # noqa: BLE001 - one page's bad data must not stop the run
        return analysis_failed(analysis.page, exc)


def redacted(page: PageResult) -> PageResult:
    """No credentials of a target URL (``http://user:pw@host/``) in what the page reports, and
    no lone surrogate from the page (a dialog's text, an error) in text that reports encode."""
    return replace(
        page, url=redact_url(page.url), final_url=redact_url(page.final_url) if page.final_url else page.final_url,
        error=without_lone_surrogates(redact_url(page.error)) if page.error else page.error,
        warnings=[without_lone_surrogates(redact_url(w)) for w in page.warnings], title=without_lone_surrogates(page.title),
    )


def analysis_failed(page: PageResult, exc: Exception) -> PageResult:
    return failed(page, f"could not analyse the rendered page ({type(exc).__name__}: {str(exc)[:120]})")


def failed(page: PageResult, cause: str) -> PageResult:
    """An error page: half-made findings of a page that failed are not results."""
    return replace(page, status="error", error=cause, findings=(), applied={})
