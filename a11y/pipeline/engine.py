"""The pipeline as a plain library call: targets and settings in, a RunResult out.

load targets -> render (one browser, a context per page, pages in parallel) -> snapshot ->
rules (axe-core in the page, ours in Python) -> merge (sort, fingerprints). No printing, no
global state, no ``sys.exit``: the CLI and, later, a pytest plugin or a Dask worker sit on top.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from ..model import PageResult, RunResult
from ..settings import Settings
from ..version import __version__
from .actions import LoginFailed, log_in
from .axe import axe_version
from .browser import BrowserHost, find_browser
from .criteria import rule_criteria_for
from .scheduler import ProgressCallback, RuleCatalog, Scheduler, StopCheck
from .server import PageServer
from .sources.crawl import CrawlSpec
from .sources.run import Crawling
from .targets import Target, resolve_targets


@dataclass
class BrowserInfo:
    path: str | None
    version: str


def audit(targets: Sequence[str | Target | CrawlSpec], settings: Settings | None = None, progress: ProgressCallback | None = None,
          should_stop: StopCheck | None = None, crawls: Sequence[CrawlSpec] = ()) -> RunResult:
    """Audit every target and return the run's result. Blocking; safe to call from any process.

    ``should_stop`` is polled: once it returns True no new page is started, pages in flight are
    abandoned, and the result holds the pages done so far with ``interrupted`` set.

    ``crawls`` (also given as CrawlSpec items of ``targets``) start from their pages and add the
    pages they find while the run goes. ``settings.login`` runs once, unless ``settings.storage_state``
    is given; every page starts from the storage state either leaves.
    """
    return asyncio.run(audit_async(targets, settings or Settings(), progress, should_stop, crawls))


async def audit_async(targets: Sequence[str | Target | CrawlSpec], settings: Settings, progress: ProgressCallback | None = None,
                      should_stop: StopCheck | None = None, crawls: Sequence[CrawlSpec] = ()) -> RunResult:
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    clock = time.perf_counter()
    crawls = [*crawls, *(t for t in targets if isinstance(t, CrawlSpec))]
    resolved = _resolve([t for t in targets if not isinstance(t, CrawlSpec)])
    choice = find_browser(settings.browser_path)
    warming = asyncio.create_task(asyncio.to_thread(warm_up))
    async with AsyncExitStack() as stack:
        urls = serve_local(resolved, stack)
        playwright = await stack.enter_async_context(async_playwright())
        host = BrowserHost(playwright, choice)
        stack.push_async_callback(host.close)
        browser = await host.get()
        settings, login_error = await _logged_in(settings, browser)
        crawling = await Crawling.start(crawls, resolved, urls, settings, stack) if crawls else None
        if crawling is not None:
            settings = replace(settings, collect_links=True)
        catalog = RuleCatalog(host)
        scheduler = Scheduler(host, settings, catalog, progress, should_stop,
                              on_links=crawling.links_callback(lambda t: scheduler.add(t, t.url or "")) if crawling else None)
        pages, interrupted = await scheduler.run(resolved, urls)
        if crawling is not None:
            pages = crawling.in_bfs_order(pages)
        pages = ([login_error] if login_error else []) + pages
        rule_criteria = rule_criteria_for(await catalog.get(), settings.axe_tags(), settings.disabled_rules, settings.run_axe)
        info = BrowserInfo(choice.path, browser.version)
    await warming
    tool = _tool_info(settings, info)
    if host.restarts:
        tool["browser_restarts"] = host.restarts
    return RunResult(pages=pages, tool=tool, started=started_at, duration_s=time.perf_counter() - clock, interrupted=interrupted,
                     rule_criteria=rule_criteria, planned=len(scheduler.targets) + (1 if login_error else 0))


async def _logged_in(settings: Settings, browser: Any) -> tuple[Settings, PageResult | None]:
    """The run's settings with the storage state the login block left (--storage-state's is given
    already). A login that fails is one error line; the pages are audited as they are."""
    try:
        if settings.login is None or settings.storage_state is not None:
            return settings, None
        viewport = {"width": settings.viewport.width, "height": settings.viewport.height}
        return replace(settings, storage_state=await log_in(browser, settings.login, viewport, settings.timeout_s * 1000)), None
    except LoginFailed as exc:
        return settings, PageResult(source="login", url="", status="error", error=str(exc), found_by={"kind": "login"})


def warm_up() -> None:
    """Import the Python half of the pipeline and run it once, in a thread while the driver and
    browser start, so the first page's analysis does not pay for it (0.43 s -> 0.05 s)."""
    from . import analysis  # deliberately not at the top: see the analysis module

    analysis.warm_up()


def _resolve(targets: Sequence[str | Target]) -> list[Target]:
    specs = [t for t in targets if isinstance(t, str)]
    resolved = resolve_targets(specs) if specs else []
    return resolved + [t for t in targets if isinstance(t, Target)]


def serve_local(targets: list[Target], stack: AsyncExitStack | ExitStack,
                place: Callable[[Path], Path] = lambda path: path, servers: dict[Path, PageServer] | None = None) -> dict[Target, str]:
    """Start one loopback server per target root; map each local target to its URL.

    ``place`` says where this process reads a target's files (a Dask worker: its view of --shared-root);
    ``servers``, when given, are those already started (by root), kept for the next call.
    """
    servers = {} if servers is None else servers
    urls: dict[Target, str] = {}
    for target in targets:
        if target.error or target.url:
            if target.url:
                urls[target] = target.url
            continue
        assert target.root is not None and target.path is not None
        root = place(target.root)
        if root not in servers:
            server = PageServer(root).start()
            stack.callback(server.stop)
            servers[root] = server
        urls[target] = servers[root].url_for(place(target.path))
    return urls


def _tool_info(settings: Settings, info: BrowserInfo) -> dict[str, Any]:
    return {
        "name": "a11y",
        "version": __version__,
        "axe": axe_version(),
        "browser": f"Chromium {info.version}",
        "standard": settings.standard,
        "best_practice": settings.best_practice,
    }
