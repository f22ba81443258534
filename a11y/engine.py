"""The pipeline as a plain library call: targets and settings in, a RunResult out.

load targets -> render (one browser, a context per page, pages in parallel) -> snapshot ->
rules (axe-core in the page, ours in Python) -> merge (sort, fingerprints). No printing, no
global state, no ``sys.exit``: the CLI and, later, a pytest plugin or a Dask worker sit on top.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, async_playwright
from playwright.async_api import Error as PlaywrightError

from . import __version__
from .axe import AxeRule, applied_rules, axe_version, findings_from_results, parse_rules, run_options
from .browser import BrowserChoice, find_browser, launch_args
from .fingerprint import assign_fingerprints
from .model import PageResult, RunResult
from .render import PageFailed, PageWorker, Rendered, axe_rule_catalog, render_page
from .rules import run_rules
from .server import PageServer
from .settings import Settings
from .snapshot import Snapshot
from .targets import Target, resolve_targets

ProgressCallback = Callable[[PageResult, int, int], None]


@dataclass
class BrowserInfo:
    path: str | None
    version: str


def audit(targets: Sequence[str | Target], settings: Settings | None = None, progress: ProgressCallback | None = None) -> RunResult:
    """Audit every target and return the run's result. Blocking; safe to call from any process."""
    return asyncio.run(audit_async(targets, settings or Settings(), progress))


async def audit_async(targets: Sequence[str | Target], settings: Settings, progress: ProgressCallback | None = None) -> RunResult:
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    clock = time.perf_counter()
    resolved = _resolve(targets)
    choice = find_browser(settings.browser_path)
    async with AsyncExitStack() as stack:
        urls = _serve_local(resolved, stack)
        playwright = await stack.enter_async_context(async_playwright())
        browser = await playwright.chromium.launch(executable_path=choice.path, args=launch_args(), headless=True)
        stack.push_async_callback(browser.close)
        catalog = parse_rules(await axe_rule_catalog(browser))
        pages = await _audit_all(browser, resolved, urls, settings, catalog, progress)
        info = BrowserInfo(choice.path, browser.version)
    return RunResult(pages=pages, tool=_tool_info(settings, info, choice), started=started_at, duration_s=time.perf_counter() - clock)


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


async def _audit_all(browser: Browser, targets: list[Target], urls: dict[Target, str], settings: Settings,
                     catalog: dict[str, AxeRule], progress: ProgressCallback | None) -> list[PageResult]:
    """Pages in parallel over a pool of tabs; results come back in the order of the targets."""
    axe_options = run_options(settings.axe_tags(), settings.disabled_rules)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(targets)):
        queue.put_nowait(index)
    results: list[PageResult | None] = [None] * len(targets)
    done = 0
    host_gates: dict[str, asyncio.Semaphore] = {}

    def host_gate(url: str) -> asyncio.Semaphore | None:
        """--max-per-host: at most N pages of one remote host at once."""
        host = urlsplit(url).netloc
        if not settings.max_per_host or not host or host.startswith("127.0.0.1"):
            return None
        return host_gates.setdefault(host, asyncio.Semaphore(settings.max_per_host))

    async def work() -> None:
        nonlocal done
        worker = PageWorker(browser, settings)
        try:
            while not queue.empty():
                index = queue.get_nowait()
                target = targets[index]
                gate = host_gate(urls.get(target, ""))
                if gate is None:
                    results[index] = await audit_target(worker, target, urls.get(target, ""), settings, axe_options, catalog)
                else:
                    async with gate:
                        results[index] = await audit_target(worker, target, urls.get(target, ""), settings, axe_options, catalog)
                done += 1
                if progress:
                    progress(results[index], done, len(targets))  # type: ignore[arg-type]
        finally:
            await worker.discard()

    workers = min(max(1, settings.concurrency), max(1, len(targets)))
    await asyncio.gather(*(work() for _ in range(workers)))
    return [r for r in results if r is not None]


async def audit_target(worker: PageWorker, target: Target, url: str, settings: Settings,
                       axe_options: dict[str, Any], catalog: dict[str, AxeRule]) -> PageResult:
    """Audit one page; every failure becomes an error page, never an exception."""
    if target.error:
        return PageResult(source=target.source, url="", status="error", error=target.error)
    page = PageResult(source=target.source, url=url)
    # The page's own timeout covers loading; the margin covers settling, axe and the snapshot.
    budget = settings.timeout_s * 2 + settings.settle_ms / 1000 + 10
    try:
        rendered = await asyncio.wait_for(render_page(worker, url, settings, axe_options), timeout=budget)
    except PageFailed as exc:
        return _failed(page, str(exc))
    except asyncio.TimeoutError:
        await worker.discard()
        return _failed(page, f"page did not respond within {budget:g} s (a script may be stuck)")
    except PlaywrightError as exc:
        await worker.discard()
        return _failed(page, f"browser error: {str(exc).splitlines()[0][:160]}")
    return await asyncio.to_thread(build_page_result, page, rendered, settings, catalog)


def _failed(page: PageResult, cause: str) -> PageResult:
    page.status = "error"
    page.error = cause
    return page


def build_page_result(page: PageResult, rendered: Rendered, settings: Settings, catalog: dict[str, AxeRule]) -> PageResult:
    """Merge axe's results with our rules' on the snapshot: sort, box and fingerprint them."""
    page.title = rendered.title
    page.final_url = rendered.final_url if rendered.final_url != rendered.url else None
    page.warnings = rendered.warnings
    page.screenshot = rendered.screenshot
    snapshot = Snapshot.from_browser(rendered.snapshot)
    if settings.keep_snapshots:
        page.snapshot = snapshot
    page.page_size = {"width": snapshot.size[0], "height": snapshot.size[1]}
    findings = findings_from_results(rendered.axe_results, catalog)
    for finding in findings:
        box = snapshot.target_boxes.get(f'"{finding.target}"') if " |> " not in finding.target else None
        if box and (box[2] or box[3]):
            finding.box = {"x": box[0], "y": box[1], "width": box[2], "height": box[3]}
    outcome = run_rules(snapshot, settings.disabled_rules, settings.rule_options)
    findings.extend(outcome.findings)
    page.applied = {**applied_rules(rendered.axe_results), **outcome.applied}
    page.findings = sorted(findings, key=lambda f: f.sort_key())
    page.timings = {"load_s": rendered.load_s, "axe_s": rendered.axe_s, "rules_s": outcome.seconds}
    assign_fingerprints(page)
    return page


def _tool_info(settings: Settings, info: BrowserInfo, choice: BrowserChoice) -> dict[str, Any]:
    return {
        "name": "a11y",
        "version": __version__,
        "axe": axe_version(),
        "browser": f"Chromium {info.version}",
        "standard": settings.standard,
        "best_practice": settings.best_practice,
    }
