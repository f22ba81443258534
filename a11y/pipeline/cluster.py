"""The audit over a Dask cluster: the same engine, a browser per worker, a task per page.

Each worker keeps one warm browser for its life (:class:`BrowserPlugin`: a thread running an
asyncio loop with Playwright and a :class:`~a11y.pipeline.browser.BrowserHost`) and, for each run,
warm tabs (:class:`RunEngine`: the single-process engine's scheduler, fed a page at a time). A
task audits one page there and returns it as plain data the moment it is done; the client keeps a
window of tasks in flight and rebuilds the pages as :class:`~a11y.model.PageResult` in the targets'
order, so the run's reports are those of a single-process run of the same pages.

Failures: a worker that dies loses nothing, Dask runs its pages again on another worker
(``allowed-failures``: 1 here, so twice at most). A page whose task was on two workers that died
runs once more alone on a worker; a page that killed that worker too is an error page.

Imported only with ``--cluster``/``--scheduler``: Dask is not loaded otherwise.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import pickle
import tempfile
import threading
import time
import uuid
import warnings
import zlib
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
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
# Test-only: a worker exits as soon as a page whose source contains this text starts. Set only in
# the environment of a test's own cluster (tests/test_cluster.py).
KILL_HOOK_ENV = "A11Y_TEST_KILL_WORKER_ON"
KILLED_PAGE_ERROR = "the page killed two cluster workers in a row (their process died while auditing it); not retried"
POLL_S = 0.2  # how often the client looks at Ctrl-C while it waits for pages
# Tasks in flight per thread of the cluster: enough that no worker waits for the client's next
# page, few enough that the client's futures do not grow with the run.
WINDOW_PER_THREAD = 2
WINDOW_MIN = 8
# A worker's tabs as a Dask resource: a page's task takes one; a suspect page takes them all, so it
# runs alone on its worker. Workers of an existing cluster declare it with --resources.
TABS_RESOURCE = "a11y-tabs"
ABANDONED_AFTER_S = 600.0  # a run's warm tabs idle this long on a worker are closed when another run starts


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


class PageSpool:
    """Compressed pages appended to an anonymous temporary file, read back by number.

    A run of 100,000 pages holds about 250 MB of compressed pages: on disk, not in the client's
    memory, which then stays flat however long the run. The file is gone when the spool is.
    """

    def __init__(self) -> None:
        # unbuffered: a page is read back at once; closed (and gone) with the spool
        self._file = tempfile.TemporaryFile(prefix="a11y-pages-", buffering=0)  # noqa: SIM115
        self._starts = array("q")  # where each blob starts; the next one's start is where it ends
        self._end = 0

    def add(self, blob: bytes) -> int:
        view = memoryview(blob)
        while view:
            view = view[self._file.write(view):]
        self._starts.append(self._end)
        self._end += len(blob)
        return len(self._starts) - 1

    def blob(self, number: int) -> bytes:
        start = self._starts[number]
        end = self._starts[number + 1] if number + 1 < len(self._starts) else self._end
        return os.pread(self._file.fileno(), end - start, start)

    @property
    def size(self) -> int:
        """Bytes stored."""
        return self._end


class CompactPages(Sequence[PageResult]):
    """A run's pages held as compressed plain data in a :class:`PageSpool` (a temporary file), each
    rebuilt when read: a big run's client holds neither every page's findings nor their bytes.

    Pages are immutable, so a page rebuilt from here is the page stored. Finishing the run
    (ignores, review, baseline) makes a new CompactPages with :meth:`map`, a page at a time.
    """

    def __init__(self, blobs: Iterable[bytes] = (), spool: PageSpool | None = None, numbers: Iterable[int] | None = None) -> None:
        """The pages ``blobs`` (made by :meth:`pack`), or those of ``spool`` numbered ``numbers``, in that order."""
        self.spool = spool or PageSpool()
        self._numbers = array("q", [self.spool.add(blob) for blob in blobs] if numbers is None else numbers)

    @staticmethod
    def pack(page: PageResult) -> bytes:
        return zlib.compress(pickle.dumps(page_to_wire(page), protocol=pickle.HIGHEST_PROTOCOL), 1)

    @staticmethod
    def unpack(blob: bytes) -> PageResult:
        return page_from_wire(pickle.loads(zlib.decompress(blob)))  # our own bytes, made in this process

    def _page(self, number: int) -> PageResult:
        return self.unpack(self.spool.blob(number))

    def __len__(self) -> int:
        return len(self._numbers)

    @overload
    def __getitem__(self, index: int) -> PageResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[PageResult]: ...

    def __getitem__(self, index: int | slice) -> PageResult | list[PageResult]:
        if isinstance(index, slice):
            return [self._page(number) for number in self._numbers[index]]
        return self._page(self._numbers[index])

    def __iter__(self) -> Iterator[PageResult]:
        return (self._page(number) for number in self._numbers)

    def map(self, change: Callable[[PageResult], PageResult]) -> CompactPages:
        """Each page changed, unpacked and packed again one at a time."""
        return CompactPages(self.pack(change(page)) for page in self)


# -- on each worker -----------------------------------------------------------------------------

class RunEngine:
    """One run's warm tabs on a worker (:class:`~a11y.pipeline.scheduler.FeedScheduler`) and the
    loopback servers of its --shared-root folders, kept from one page to the next."""

    def __init__(self, host: Any, settings: Settings, shared_root: SharedRoot | None) -> None:
        from .scheduler import FeedScheduler, RuleCatalog

        self.catalog = RuleCatalog(host)
        self.scheduler = FeedScheduler(host, settings, self.catalog)
        self.scheduler.start()
        self.shared_root = shared_root
        self.servers = ExitStack()
        self.served: dict[Any, Any] = {}  # root folder -> its PageServer
        self.last_used = time.monotonic()
        self.in_hand = 0

    async def audit(self, target: Any, url: str | None) -> PageResult:
        self.in_hand += 1
        try:
            return await self.scheduler.audit(target, url or self._serve_shared(target))
        finally:
            self.in_hand -= 1
            self.last_used = time.monotonic()

    def _serve_shared(self, target: Any) -> str:
        """With --shared-root, the worker serves a local page from its own view of the shared folder."""
        from .engine import serve_local

        root = self.shared_root
        if root is None or target.error or target.root is None:
            return ""
        place = root.worker_path if root.client != root.worker else (lambda path: path)
        return serve_local([target], self.servers, place, self.served).get(target, "")

    async def close(self, stopped: bool = False) -> None:
        await self.scheduler.close(stopped)
        self.servers.close()


class BrowserPlugin(WorkerPlugin):
    """One warm browser for the worker's life, on an asyncio loop in a thread of its own, and the
    warm tabs of each run using it (a :class:`RunEngine` per run)."""

    name = PLUGIN_NAME

    def __init__(self, browser_path: str | None) -> None:
        self.browser_path = browser_path
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        self.ready: ThreadFuture[Any] | None = None
        self.stack: AsyncExitStack | None = None
        self.host: Any = None
        self.engines: dict[str, RunEngine] = {}  # by run token

    def setup(self, worker: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="a11y-browser", daemon=True)
        self.thread.start()
        # Started now, waited for by the first page: the worker keeps answering its scheduler meanwhile.
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

    def _call(self, work: Any) -> Any:
        assert self.loop is not None and self.ready is not None
        self.ready.result()  # the browser's start failed: every page says so
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    def audit(self, settings: Settings, token: str, target: Any, url: str | None, shared_root: SharedRoot | None) -> dict[str, Any]:
        """One page, in this run's warm tabs (called from a Dask task's thread)."""
        return self._call(self._audit(settings, token, target, url, shared_root))

    async def _audit(self, settings: Settings, token: str, target: Any, url: str | None, shared_root: SharedRoot | None) -> dict[str, Any]:
        engine = self.engines.get(token)
        if engine is None:
            await self._close_abandoned()
            engine = self.engines[token] = RunEngine(self.host, settings, shared_root)
        return page_to_wire(await engine.audit(target, url))

    async def _close_abandoned(self) -> None:
        """Close the tabs of runs idle for long (a client that went away without ending its run)."""
        now = time.monotonic()
        for token, engine in list(self.engines.items()):
            if not engine.in_hand and now - engine.last_used > ABANDONED_AFTER_S:
                await self.engines.pop(token).close()

    def end_run(self, token: str, settings: Settings, stopped: bool) -> dict[str, Any]:
        """Close the run's tabs (``stopped``: at once, dropping its pages in hand); what the report
        says of this worker's browser and axe-core's rules."""
        return self._call(self._end_run(token, settings, stopped))

    async def _end_run(self, token: str, settings: Settings, stopped: bool) -> dict[str, Any]:
        from .criteria import rule_criteria_for
        from .scheduler import RuleCatalog

        engine = self.engines.pop(token, None)
        catalog = engine.catalog if engine is not None else RuleCatalog(self.host)
        try:
            rules = await catalog.get()  # read from a page the run audited; else from a blank page
        finally:
            if engine is not None:
                await engine.close(stopped)
        browser = await self.host.get()
        return {"browser": browser.version, "restarts": self.host.restarts,
                "rule_criteria": rule_criteria_for(rules, settings.axe_tags(), settings.disabled_rules, settings.run_axe)}


def audit_page(settings: Settings, cpus: int | None, token: str, item: tuple[int, Any, str | None],
               shared_root: SharedRoot | None) -> dict[str, Any]:
    """The task: audit one page (index, target, URL or None) in this worker's warm tabs, as many of
    them as ``cpus`` CPUs keep busy (None: the worker's A11Y_WORKER_CPUS, else 2)."""
    _, target, url = item
    hook = os.environ.get(KILL_HOOK_ENV)
    if hook and hook in (target.source or target.url or ""):
        os._exit(70)  # test-only: a page that kills its worker (see KILL_HOOK_ENV)
    plugin = get_worker().plugins[PLUGIN_NAME]
    return plugin.audit(worker_settings(settings, cpus or worker_cpus()), token, target, url, shared_root)


def end_run_on_worker(token: str, settings: Settings, cpus: int | None, stopped: bool, dask_worker: Any = None) -> dict[str, Any]:
    """Run on every worker at the run's end (``Client.run``): close the run's tabs, say what it used."""
    plugin = dask_worker.plugins.get(PLUGIN_NAME) if dask_worker is not None else None
    if plugin is None:
        return {}  # a worker without our plugin (a browser-free test's cluster)
    return plugin.end_run(token, worker_settings(settings, cpus or worker_cpus()), stopped)


def worker_cpus() -> int:
    """CPUs one worker's browser may use: start a machine's workers with ``--nworkers CPUs/2`` (docs/scale.md)."""
    try:
        return max(1, int(os.environ.get(WORKER_CPUS_ENV) or 2))
    except ValueError:
        return 2


# -- on the client --------------------------------------------------------------------------------

def worker_settings(settings: Settings, cpus: int) -> Settings:
    """The engine's settings on a worker with ``cpus`` CPUs: tabs and axe runs as one process on that many."""
    return dataclasses.replace(settings, concurrency=tabs_for(cpus), axe_at_once=max(1, cpus), screenshots=False,
                               keep_snapshots=False)


def tabs_for(cpus: int) -> int:
    """Tabs of a worker with ``cpus`` CPUs, as the single-process engine opens on that many; also its
    Dask threads (a page's task waits in one while the page is in a tab) and its TABS_RESOURCE."""
    return max(2, cpus * 2 + 1)


def local_cluster_options(workers: int) -> dict[str, Any]:
    """A LocalCluster of ``workers`` processes sharing this machine's CPUs: a thread and a tab per page in flight."""
    tabs = tabs_for(max(1, available_cpus() // max(1, workers)))
    # memory_limit=0: the pages' memory is in each worker's browser, which Dask does not see;
    # pausing or restarting a worker on its own small heap would only cost pages.
    return {"n_workers": workers, "threads_per_worker": tabs, "resources": {TABS_RESOURCE: tabs}, "processes": True,
            "host": "127.0.0.1", "dashboard_address": None, "memory_limit": 0}


class ClusterRun:
    """The client's side of one run: a task per page, a bounded number in flight, each page back as it is done."""

    def __init__(self, client: Client, settings: Settings, cpus: int | None, spec: ClusterSpec, progress: ProgressCallback | None,
                 should_stop: StopCheck | None, compact: bool = False, task: Callable[..., Any] | None = None) -> None:
        self.client = client
        self.task = task or audit_page  # the page task (tests and the memory profile give a browser-free one)
        self.cpus = cpus  # per worker; None: each worker knows its own
        self.settings = settings
        self.spec = spec
        self.progress = progress
        self.should_stop = should_stop or (lambda: False)
        self.token = uuid.uuid4().hex  # names this run's warm tabs on the workers
        self.results: list[PageResult | int | None] = []  # int: the page's number in self.spool (compact)
        self.spool = PageSpool() if compact else None
        self.done = 0
        self.browser = ""
        self.rule_criteria: dict[str, list[str]] = {}
        self.restarts = 0
        self.pending: dict[Future, tuple[int, Any, str | None]] = {}
        self.most_pending = 0  # the most tasks in flight at once: the window holds
        # Pages whose task was on two workers that died, audited again one at a time, each alone on
        # its worker: a death then counts against that page, not against one beside it.
        self.suspects: deque[tuple[int, Any, str | None]] = deque()
        self.suspect: Future | None = None
        self.finished: as_completed | None = None  # the run's futures, each given back once it is done
        self.whole_worker: dict[str, float] | None = None  # resources a task needs to be alone on its worker

    def _window(self, workers: list[dict[str, Any]]) -> int:
        """Tasks in flight: a few per thread of the cluster."""
        threads = sum(w.get("nthreads", 1) for w in workers) or max(1, self.spec.workers)
        return max(WINDOW_MIN, threads * WINDOW_PER_THREAD)

    @staticmethod
    def _whole_worker(workers: list[dict[str, Any]]) -> dict[str, float] | None:
        """What a suspect's task asks for to be alone on a worker; None when the workers do not declare their tabs."""
        tabs = [w.get("resources", {}).get(TABS_RESOURCE) for w in workers]
        return {TABS_RESOURCE: min(tabs)} if tabs and all(tabs) else None

    def _submit(self, item: tuple[int, Any, str | None], alone: bool = False) -> Future:
        # None: a cluster whose workers do not declare their tabs (docs/scale.md)
        resources = (self.whole_worker if alone else {TABS_RESOURCE: 1}) if self.whole_worker else None
        # pure=False: the same page audited again is a new task, not a cached result
        future = self.client.submit(self.task, self.settings, self.cpus, self.token, item, self.spec.shared_root, pure=False,
                                    resources=resources, priority=1 if alone else 0)
        self.pending[future] = item
        self.most_pending = max(self.most_pending, len(self.pending))
        if self.finished is not None:
            self.finished.add(future)
        return future

    def _next_suspect(self) -> None:
        if self.suspect is None and self.suspects:
            self.suspect = self._submit(self.suspects.popleft(), alone=True)

    def run(self, items: list[tuple[int, Any, str | None]]) -> bool:
        """Audit ``items``; whether the run was interrupted.

        A window of tasks is in flight (a few per thread of the cluster), topped up as pages come
        back: the client holds as many futures as that, not one per page of the run. The futures are
        followed by one :class:`~distributed.as_completed`, not by a ``wait`` on every pending future
        each time the client looks at Ctrl-C (that made and dropped a waiting task per future five
        times a second, and the client's memory grew with the run's length).
        """
        self.results = [None] * len(items)
        self.finished = as_completed()
        workers = list(self.client.scheduler_info().get("workers", {}).values())
        window, self.whole_worker = self._window(workers), self._whole_worker(workers)
        waiting = iter(items)
        stopped = False
        try:
            while True:
                while len(self.pending) < window and (item := next(waiting, None)) is not None:
                    self._submit(item)
                if not self.pending:
                    if not self.suspects:
                        return False
                    self._next_suspect()
                if self.should_stop():
                    stopped = True
                    self.client.cancel(list(self.pending))
                    return True
                done = self.finished.next_batch(block=False)
                if not done:
                    time.sleep(POLL_S)
                    continue
                for future in done:
                    item = self.pending.pop(future, None)
                    if item is not None:
                        self._collect(future, item)
                    del future
        finally:
            self._end_on_workers(stopped)

    def _end_on_workers(self, stopped: bool) -> None:
        """Close this run's tabs on every worker (stopped: its pages in hand there are dropped, not
        finished); take the browser's version and axe-core's rules from their answers."""
        try:
            answers = self.client.run(end_run_on_worker, self.token, self.settings, self.cpus, stopped, on_error="return")
        except Exception:  # noqa: BLE001 - a cluster gone at the end: the pages are in hand
            return
        for answer in answers.values():
            if isinstance(answer, dict) and answer:
                self.browser = self.browser or answer["browser"]
                self.rule_criteria = self.rule_criteria or answer["rule_criteria"]
                self.restarts = max(self.restarts, answer["restarts"])

    def _collect(self, future: Future, item: tuple[int, Any, str | None]) -> None:
        from .browser import BrowserNotFound

        was_suspect = future is self.suspect
        if was_suspect:
            self.suspect = None
        index, target, url = item
        try:
            data = future.result()
        except KilledWorker:
            if was_suspect:
                self._record(index, _error_page(target, url, KILLED_PAGE_ERROR))
            else:
                self.suspects.append(item)  # which page killed the workers: alone, each tells
        except BrowserNotFound:
            raise  # a worker without a browser: no page can be audited, say why in one line
        except Exception as exc:  # noqa: BLE001 - one task's failure must not cost the run its other pages
            cause = f"the cluster task auditing it failed ({type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''})"
            self._record(index, _error_page(target, url, cause))
        else:
            self._record(index, page_from_wire(data))
        self._next_suspect()

    def _record(self, index: int, page: PageResult) -> None:
        if self.results[index] is None:
            self.done += 1
        self.results[index] = page
        if self.progress:
            self.progress(page, self.done, len(self.results))
        if self.spool is not None:
            self.results[index] = self.spool.add(CompactPages.pack(page))  # after the progress callback: what it changed is kept

    def pages(self) -> Sequence[PageResult]:
        """The pages done, in the targets' order."""
        done = [result for result in self.results if result is not None]
        if self.spool is not None:
            return CompactPages(spool=self.spool, numbers=done)  # type: ignore[arg-type]
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
        cluster = self.stack.enter_context(LocalCluster(**local_cluster_options(self.workers)))
        return self.stack.enter_context(Client(cluster))

    def __exit__(self, *exc: object) -> None:
        self.stack.close()
