"""The audit over a Dask cluster: the same engine, a browser per worker, pages in batches.

Each worker keeps one warm browser for its life (:class:`BrowserPlugin`: a thread running an
asyncio loop with Playwright and a :class:`~a11y.pipeline.browser.BrowserHost`). A task audits a
batch of pages there with the single-process :class:`~a11y.pipeline.scheduler.Scheduler`, and
returns them as plain data; the client rebuilds them as :class:`~a11y.model.PageResult`, in the
targets' order, so the run's reports are those of a single-process run of the same pages.

Failures: a worker that dies mid-batch loses nothing, Dask runs the batch again on another worker
(``allowed-failures``: 1 here, so twice at most). A batch that killed two workers is split into
one task per page, run one at a time; a page whose own task killed two workers is an error page.

Imported only with ``--cluster``/``--scheduler``: Dask is not loaded otherwise.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import pickle
import threading
import time
import warnings
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future as ThreadFuture
from contextlib import AsyncExitStack, ExitStack
from datetime import datetime, timezone
from typing import Any, overload
from urllib.parse import urlsplit

import dask
from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker
from distributed.client import Future
from distributed.scheduler import KilledWorker

from ..model import Finding, PageResult, RunResult
from ..settings import Settings, available_cpus
from .cluster_spec import ClusterSpec, ClusterSpecError, SharedRoot
from .scheduler import ProgressCallback, StopCheck

PLUGIN_NAME = "a11y-browser"
# Worker deaths a task may see before Dask gives up on it (KilledWorker): 1 means it runs twice.
ALLOWED_FAILURES = 1
WORKER_CPUS_ENV = "A11Y_WORKER_CPUS"  # CPUs one worker's browser may use (default 2: start CPUs/2 workers a machine)
# Test-only: a worker exits as soon as a batch holding a page whose source contains this text
# starts. Set only in the environment of a test's own cluster (tests/test_cluster.py).
KILL_HOOK_ENV = "A11Y_TEST_KILL_WORKER_ON"
KILLED_PAGE_ERROR = "the page killed two cluster workers in a row (their process died while auditing it); not retried"
POLL_S = 0.2  # how often the client looks at Ctrl-C while it waits for batches
# Pages of a batch per tab of a worker. 1: a batch is one page per tab, so pages come back (and the
# progress line advances) a few at a time, near page by page; more would leave fewer tabs idle at a
# batch's end but hold each page back until its whole batch is done.
BATCHES_PER_TAB = 1


# -- plain data over the wire -----------------------------------------------------------------

def page_to_wire(page: PageResult) -> dict[str, Any]:
    """A page as plain data (msgpack and pickle safe): every field but the screenshot and snapshot."""
    data = {f.name: getattr(page, f.name) for f in dataclasses.fields(page) if f.name not in ("screenshot", "snapshot", "findings")}
    data["findings"] = [{f.name: getattr(finding, f.name) for f in dataclasses.fields(finding)} for finding in page.findings]
    return data


def page_from_wire(data: dict[str, Any]) -> PageResult:
    fields = dict(data)
    fields["findings"] = [Finding(**finding) for finding in data["findings"]]
    return PageResult(**fields)


class CompactPages(Sequence[PageResult]):
    """A run's pages held as compressed plain data (about a tenth of their objects' memory), each
    rebuilt when read: a big run's client does not hold every page's findings at once.

    Pages are immutable, so a page rebuilt from here is the page stored. Finishing the run
    (ignores, review, baseline) makes a new CompactPages with :meth:`map`, a page at a time.
    """

    def __init__(self, blobs: list[bytes]) -> None:
        self._blobs = blobs

    @staticmethod
    def pack(page: PageResult) -> bytes:
        return zlib.compress(pickle.dumps(page_to_wire(page), protocol=pickle.HIGHEST_PROTOCOL), 1)

    @staticmethod
    def unpack(blob: bytes) -> PageResult:
        return page_from_wire(pickle.loads(zlib.decompress(blob)))  # our own bytes, made in this process

    def __len__(self) -> int:
        return len(self._blobs)

    @overload
    def __getitem__(self, index: int) -> PageResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[PageResult]: ...

    def __getitem__(self, index: int | slice) -> PageResult | list[PageResult]:
        if isinstance(index, slice):
            return [self.unpack(blob) for blob in self._blobs[index]]
        return self.unpack(self._blobs[index])

    def __iter__(self) -> Iterator[PageResult]:
        return (self.unpack(blob) for blob in self._blobs)

    def map(self, change: Callable[[PageResult], PageResult]) -> CompactPages:
        """Each page changed, unpacked and packed again one at a time."""
        return CompactPages([self.pack(change(self.unpack(blob))) for blob in self._blobs])


# -- on each worker -----------------------------------------------------------------------------

class BrowserPlugin(WorkerPlugin):
    """One warm browser for the worker's life, on an asyncio loop in a thread of its own."""

    name = PLUGIN_NAME

    def __init__(self, browser_path: str | None) -> None:
        self.browser_path = browser_path
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        self.ready: ThreadFuture[Any] | None = None
        self.stack: AsyncExitStack | None = None
        self.host: Any = None

    def setup(self, worker: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="a11y-browser", daemon=True)
        self.thread.start()
        # Started now, waited for by the first batch: the worker keeps answering its scheduler meanwhile.
        self.ready = asyncio.run_coroutine_threadsafe(self._start(), self.loop)

    async def _start(self) -> None:
        from playwright.async_api import async_playwright

        from .browser import BrowserHost, find_browser
        from .engine import warm_up

        warming = asyncio.create_task(asyncio.to_thread(warm_up))
        self.stack = AsyncExitStack()
        playwright = await self.stack.enter_async_context(async_playwright())
        self.host = BrowserHost(playwright, find_browser(self.browser_path))
        self.stack.push_async_callback(self.host.close)
        await self.host.get()
        await warming

    def teardown(self, worker: Any) -> None:
        if self.loop is None:
            return
        if self.stack is not None:
            try:
                asyncio.run_coroutine_threadsafe(self.stack.aclose(), self.loop).result(timeout=30)
            except Exception:  # noqa: BLE001 - a worker going away must not fail on its browser
                pass
        self.loop.call_soon_threadsafe(self.loop.stop)

    def run(self, settings: Settings, items: list[tuple[int, Any, str | None]], shared_root: SharedRoot | None) -> dict[str, Any]:
        assert self.loop is not None and self.ready is not None
        self.ready.result()  # the browser's start failed: every batch says so
        return asyncio.run_coroutine_threadsafe(self._audit(settings, items, shared_root), self.loop).result()

    async def _audit(self, settings: Settings, items: list[tuple[int, Any, str | None]], shared_root: SharedRoot | None) -> dict[str, Any]:
        from .criteria import rule_criteria_for
        from .scheduler import RuleCatalog, Scheduler

        targets = [target for _, target, _ in items]
        with ExitStack() as servers:
            urls = {target: url for _, target, url in items if url} | _serve_shared(targets, shared_root, servers)
            catalog = RuleCatalog(self.host)
            pages, _ = await Scheduler(self.host, settings, catalog, None, None).run(targets, urls)
            rule_criteria = rule_criteria_for(await catalog.get(), settings.axe_tags(), settings.disabled_rules, settings.run_axe)
        browser = await self.host.get()
        # Not stopped, the scheduler returns every target's page, in the targets' order.
        return {
            "pages": [(index, page_to_wire(page)) for (index, _, _), page in zip(items, pages, strict=True)],
            "browser": browser.version,
            "rule_criteria": rule_criteria,
            "restarts": self.host.restarts,
        }


def _serve_shared(targets: list[Any], shared_root: SharedRoot | None, servers: ExitStack) -> dict[Any, str]:
    """With --shared-root, the worker serves the local pages from its own view of the shared folder."""
    from .engine import serve_local

    if shared_root is None:
        return {}
    local = [target for target in targets if not target.url and not target.error and target.root is not None]
    moved = shared_root.client != shared_root.worker
    return serve_local(local, servers, shared_root.worker_path if moved else (lambda path: path))


def audit_batch(settings: Settings, cpus: int | None, items: list[tuple[int, Any, str | None]],
                shared_root: SharedRoot | None) -> dict[str, Any]:
    """The task: audit ``items`` (index, target, URL or None) in this worker's browser, with as many
    tabs as ``cpus`` CPUs keep busy (None: the worker's A11Y_WORKER_CPUS, else 2)."""
    hook = os.environ.get(KILL_HOOK_ENV)
    if hook and any(hook in (target.source or target.url or "") for _, target, _ in items):
        os._exit(70)  # test-only: a page that kills its worker (see KILL_HOOK_ENV)
    return get_worker().plugins[PLUGIN_NAME].run(worker_settings(settings, cpus or worker_cpus()), items, shared_root)


def worker_cpus() -> int:
    """CPUs one worker's browser may use: start a machine's workers with ``--nworkers CPUs/2`` (docs/scale.md)."""
    try:
        return max(1, int(os.environ.get(WORKER_CPUS_ENV) or 2))
    except ValueError:
        return 2


# -- on the client --------------------------------------------------------------------------------

def worker_settings(settings: Settings, cpus: int) -> Settings:
    """The engine's settings on a worker with ``cpus`` CPUs: tabs and axe runs as one process on that many."""
    return dataclasses.replace(settings, concurrency=max(2, cpus * 2 + 1), axe_at_once=max(1, cpus), screenshots=False,
                               keep_snapshots=False)


def batch_size_for(settings: Settings, spec: ClusterSpec, pages: int, workers: int) -> int:
    """Pages per task: a few per tab of a worker, but no fewer tasks than workers on a small run."""
    if spec.batch_size:
        return spec.batch_size
    return max(1, min(settings.concurrency * BATCHES_PER_TAB, -(-pages // max(1, workers))))


class ClusterRun:
    """The client's side of one run: batches out, pages back in the targets' order."""

    def __init__(self, client: Client, settings: Settings, cpus: int | None, spec: ClusterSpec, progress: ProgressCallback | None,
                 should_stop: StopCheck | None, compact: bool = False, task: Callable[..., Any] | None = None) -> None:
        self.client = client
        self.task = task or audit_batch  # the batch task (tests and the memory profile give a browser-free one)
        self.cpus = cpus  # per worker; None: each worker knows its own
        self.compact = compact
        self.settings = settings
        self.spec = spec
        self.progress = progress
        self.should_stop = should_stop or (lambda: False)
        self.results: list[PageResult | bytes | None] = []  # bytes: CompactPages.pack
        self.done = 0
        self.browser = ""
        self.rule_criteria: dict[str, list[str]] = {}
        self.restarts = 0
        self.pending: dict[Future, list[tuple[int, Any, str | None]]] = {}
        # Pages of a batch that killed two workers, audited one at a time, alone: a worker's death
        # while one of them runs counts against that page, not against another suspect beside it.
        self.suspects: deque[tuple[int, Any, str | None]] = deque()
        self.suspect: Future | None = None
        self.finished: as_completed | None = None  # the run's futures, each given back once it is done

    def submit(self, items: list[tuple[int, Any, str | None]]) -> None:
        workers = len(self.client.scheduler_info().get("workers", {})) or (self.spec.workers or 1)
        size = batch_size_for(worker_settings(self.settings, self.cpus or 2), self.spec, len(items), workers)
        for start in range(0, len(items), size):
            self._submit(items[start:start + size])

    def _submit(self, chunk: list[tuple[int, Any, str | None]]) -> Future:
        # pure=False: the same pages audited again are a new task, not a cached result
        future = self.client.submit(self.task, self.settings, self.cpus, chunk, self.spec.shared_root, pure=False)
        self.pending[future] = chunk
        if self.finished is not None:
            self.finished.add(future)
        return future

    def _next_suspect(self) -> None:
        if self.suspect is None and self.suspects:
            self.suspect = self._submit([self.suspects.popleft()])

    def run(self, items: list[tuple[int, Any, str | None]]) -> bool:
        """Audit ``items``; whether the run was interrupted.

        The futures are followed by one :class:`~distributed.as_completed`, not by a ``wait`` on every
        pending future each time the client looks at Ctrl-C: that made (and dropped) a waiting task per
        pending future five times a second, and the client's memory grew with the run's length.
        """
        self.results = [None] * len(items)
        self.finished = as_completed()
        self.submit(items)
        while self.pending or self.suspects:
            if not self.pending:
                self._next_suspect()
            if self.should_stop():
                self.client.cancel(list(self.pending))
                return True
            done = self.finished.next_batch(block=False)
            if not done:
                time.sleep(POLL_S)
                continue
            for future in done:
                chunk = self.pending.pop(future, None)
                if chunk is not None:
                    self._collect(future, chunk)
                del future
        return False

    def _collect(self, future: Future, chunk: list[tuple[int, Any, str | None]]) -> None:
        from .browser import BrowserNotFound

        was_suspect = future is self.suspect
        if was_suspect:
            self.suspect = None
        try:
            batch = future.result()
        except KilledWorker:
            if was_suspect:
                index, target, url = chunk[0]
                self._record(index, _error_page(target, url, KILLED_PAGE_ERROR))
            else:
                self.suspects.extend(chunk)  # which of its pages killed the workers: each alone tells
            self._next_suspect()
            return
        except BrowserNotFound:
            raise  # a worker without a browser: no page can be audited, say why in one line
        except Exception as exc:  # noqa: BLE001 - one batch's failure must not cost the run its other pages
            cause = f"the cluster task auditing it failed ({type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''})"
            for index, target, url in chunk:
                self._record(index, _error_page(target, url, cause))
            self._next_suspect()
            return
        self.browser = self.browser or batch["browser"]
        self.rule_criteria = self.rule_criteria or batch["rule_criteria"]
        self.restarts = max(self.restarts, batch["restarts"])
        for index, data in batch["pages"]:
            self._record(index, page_from_wire(data))
        self._next_suspect()

    def _record(self, index: int, page: PageResult) -> None:
        if self.results[index] is None:
            self.done += 1
        self.results[index] = page
        if self.progress:
            self.progress(page, self.done, len(self.results))
        if self.compact:
            self.results[index] = CompactPages.pack(page)  # after the progress callback: what it changed is kept

    def pages(self) -> Sequence[PageResult]:
        """The pages done, in the targets' order."""
        done = [result for result in self.results if result is not None]
        if self.compact:
            return CompactPages(done)  # type: ignore[arg-type]
        return done  # type: ignore[return-value]


def _error_page(target: Any, url: str | None, cause: str) -> PageResult:
    from .targets import redact_url

    return PageResult(source=target.source, url=redact_url(url or ""), status="error", error=redact_url(cause),
                      found_by=target.found_by.to_dict())


def audit_on_cluster(targets: Sequence[Any], settings: Settings, spec: ClusterSpec, progress: ProgressCallback | None = None,
                     should_stop: StopCheck | None = None, compact: bool = False) -> RunResult:
    """The run of ``targets`` over the cluster ``spec`` names: the RunResult a single-process run gives.

    ``compact``: the run's pages are :class:`CompactPages`, each stored once ``progress`` has seen it.
    """
    from .engine import BrowserInfo, _resolve, _tool_info

    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    clock = time.perf_counter()
    resolved = _resolve(list(targets))
    _check_local_files(resolved, spec)  # before connecting: a one-line error, not a wait for a cluster
    with ExitStack() as stack:
        client = stack.enter_context(_connect(spec))
        urls = _client_urls(resolved, spec, stack)
        cpus = max(1, available_cpus() // spec.workers) if spec.local else None  # this machine's CPUs, shared out
        # --browser-path names this machine's browser; another machine's workers find their own (A11Y_CHROMIUM…)
        client.register_plugin(BrowserPlugin(settings.browser_path if spec.local else None), name=PLUGIN_NAME)
        run = ClusterRun(client, settings, cpus, spec, progress, should_stop, compact)
        interrupted = run.run([(index, target, urls.get(target)) for index, target in enumerate(resolved)])
    pages = run.pages()
    tool = _tool_info(settings, BrowserInfo(settings.browser_path, run.browser))
    if run.restarts:
        tool["browser_restarts"] = run.restarts
    return RunResult(pages=pages, tool=tool, started=started_at, duration_s=time.perf_counter() - clock,  # type: ignore[arg-type]
                     interrupted=interrupted and len(pages) < len(resolved), rule_criteria=run.rule_criteria, planned=len(resolved))


def _client_urls(targets: list[Any], spec: ClusterSpec, stack: ExitStack) -> dict[Any, str]:
    """URLs of the remote targets, and of the local ones when the client serves them (no --shared-root)."""
    from .engine import serve_local

    if spec.shared_root is not None:
        return {t: t.url for t in targets if t.url}
    return serve_local(targets, stack)


def _check_local_files(targets: list[Any], spec: ClusterSpec) -> None:
    """Local pages must be where the workers can read them: under --shared-root, or served by
    this machine on 127.0.0.1, which only workers on this machine reach."""
    local = [t for t in targets if t.root is not None and t.path is not None and not t.error]
    if spec.shared_root is not None:
        for target in local:
            spec.shared_root.worker_path(target.path)  # raises, naming the file outside the shared folder
    elif local and not spec.local and not _loopback(spec.scheduler or ""):
        raise ClusterSpecError(f"--scheduler {spec.scheduler}: local files ({local[0].source}) need --shared-root "
                               "(this machine serves them on 127.0.0.1 only)")


def _loopback(address: str) -> bool:
    return (urlsplit(address).hostname or "") in ("127.0.0.1", "localhost", "::1")


def _connect(spec: ClusterSpec) -> Any:
    """A client of a new LocalCluster (closed with the run), or of the existing scheduler."""
    if not spec.local:
        try:
            return Client(spec.scheduler, timeout="60s")
        except (OSError, TimeoutError) as exc:
            raise ClusterSpecError(f"--scheduler {spec.scheduler}: cannot connect ({str(exc).splitlines()[0][:200]})") from None
    return _LocalClient(spec.workers)


class _LocalClient:
    """A LocalCluster of worker processes on 127.0.0.1 and its client, for one run."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.stack = ExitStack()

    def __enter__(self) -> Client:
        self.stack.enter_context(dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}))
        self.stack.enter_context(warnings.catch_warnings())
        # The scheduler's health and metrics server (127.0.0.1) takes another port when 8787 is taken: nothing to warn about.
        warnings.filterwarnings("ignore", message="Port 8787 is already in use", category=UserWarning)
        # memory_limit=0: the pages' memory is in each worker's browser, which Dask does not see;
        # pausing or restarting a worker on its own small heap would only cost pages.
        cluster = self.stack.enter_context(LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                                        host="127.0.0.1", dashboard_address=None, memory_limit=0))
        return self.stack.enter_context(Client(cluster))

    def __exit__(self, *exc: object) -> None:
        self.stack.close()
