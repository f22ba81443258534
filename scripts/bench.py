"""Benchmark: pages/second and peak memory of a11y against axe-playwright-python's plain loop.

    make bench            # or: .venv/bin/python scripts/bench.py [--pages N] [--corpus]

(a) the plain loop from axe-playwright-python's README: one browser, a new context and page per
    page, ``Axe().run(page)`` (which re-evaluates the 570 KB axe script every time);
(b) ``a11y audit --format json`` as a user runs it (a subprocess: browser, pages in parallel,
    axe-core and our rules, the report).
Both audit the same pages over the same loopback server, and the script checks that both found the
same axe-core violations. (a) runs in two halves, before and after (b), its browser kept open:
this machine's speed drifts by tens of percent within a minute, and measured on both sides of
(b), (a) sees the same drift. Peak RSS is sampled over the whole process tree (Python + Chromium).
Prints figures; asserts nothing about speed (that is not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class ProcessTree:
    """RSS of a process and all its descendants, read cheaply enough to sample every 100 ms.

    Each process's parent is read once (from /proc/PID/stat) and each sample reads only the
    tree's own /proc/PID/statm: the benchmark must not steal the CPU it measures.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.parents: dict[int, int] = {}

    def _parent(self, pid: int) -> int:
        if pid not in self.parents:
            try:
                self.parents[pid] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                self.parents[pid] = 0
        return self.parents[pid]

    def pids(self) -> list[int]:
        alive = [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]
        # forget the exited, so a reused pid has its parent read again
        self.parents = {pid: self.parents[pid] for pid in alive if pid in self.parents}
        children: dict[int, list[int]] = {}
        for pid in alive:
            children.setdefault(self._parent(pid), []).append(pid)
        found, stack = [], [self.root]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(children.get(current, []))
        return found

    def cpu_s(self, pids: list[int]) -> dict[tuple[int, int], float]:
        """CPU seconds (user + system) each of ``pids`` has used so far, by (pid, start time): a pid may be reused."""
        used = {}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                used[(pid, int(fields[19]))] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            except (OSError, IndexError, ValueError):
                pass  # gone meanwhile
        return used

    def rss_kb(self, pids: list[int] | None = None) -> int:
        total = 0
        for pid in self.pids() if pids is None else pids:
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
            except (OSError, IndexError, ValueError):
                pass  # gone meanwhile
        return total


class PeakSampler:
    """Samples a process tree's RSS every 100 ms in a thread; ``peak_mb`` when done, and ``cpu_s``:
    the CPU seconds its processes used (as last seen: a process's last 100 ms before it exits are missed)."""

    def __init__(self, pid: int) -> None:
        self.tree, self.peak_kb, self._stop = ProcessTree(pid), 0, threading.Event()
        self._cpu: dict[tuple[int, int], float] = {}  # (pid, its start) -> CPU seconds last seen
        self._paused = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._paused.is_set():
                pids = self.tree.pids()
                self.peak_kb = max(self.peak_kb, self.tree.rss_kb(pids))
                self._cpu.update(self.tree.cpu_s(pids))
            self._stop.wait(0.1)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Not sampling meanwhile (while another run's processes are in the tree)."""
        self._paused.set()
        try:
            yield
        finally:
            self._paused.clear()

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024

    @property
    def cpu_s(self) -> float:
        return sum(self._cpu.values())


def build_corpus(folder: Path, count: int, use_shared: bool) -> list[Path]:
    """``count`` article pages: the shared corpus when asked and present, else copies of pages/."""
    if use_shared and CORPUS.is_dir():
        sources = sorted(CORPUS.rglob("*.html"))
        for index in range(count):  # beyond the corpus's pages, copies of them again
            src = sources[index % len(sources)]
            shutil.copy(src, folder / f"{index:03d}-{src.name}")
    else:
        shutil.copytree(ROOT / "pages" / "images", folder / "images")
        shutil.copytree(ROOT / "pages" / "assets", folder / "assets")
        samples = sorted((ROOT / "pages").glob("*.html"))
        for index in range(count):
            src = samples[index % len(samples)]
            text = src.read_text(encoding="utf-8").replace("</title>", f" ({index})</title>", 1)
            (folder / f"{index:03d}-{src.name}").write_text(text, encoding="utf-8")
    return sorted(folder.glob("*.html"))


def plain_loop(urls: list[str], tags: list[str], browser_path: str | None,
               halfway: Callable[[], None], block_external: bool = False) -> tuple[dict[str, set[tuple[str, str]]], float]:
    """(a): axe-playwright-python's documented loop, with the same rule tags as a11y.

    ``halfway`` runs between the two halves of the pages and is not timed. Returns the axe
    violations per page and the loop's seconds, its start-up and shut-down included.
    """
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from a11y.pipeline.browser import launch_args

    found: dict[str, set[tuple[str, str]]] = {}
    axe = Axe()
    started, untimed = time.perf_counter(), 0.0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path, args=launch_args())
        for index, url in enumerate(urls):
            if index == len(urls) // 2:
                paused = time.perf_counter()
                halfway()
                untimed += time.perf_counter() - paused
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            if block_external:  # real pages (the corpus): as a11y's --block-external, only the loopback server answers
                context.route("**/*", only_from("/".join(url.split("/", 3)[:3])))
            page = context.new_page()
            try:
                page.goto(url, wait_until="load")
                results = axe.run(page, options={"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]})
                found[url.rsplit("/", 1)[-1]] = {(v["id"], " |> ".join(map(str, n["target"])))
                                                 for v in results.response["violations"] for n in v["nodes"]}
            except Exception as exc:  # noqa: BLE001 - a real page that navigates away or times out: counted, not fatal
                print(f"(a) {url.rsplit('/', 1)[-1]}: {str(exc).splitlines()[0][:120]}")
            context.close()
        browser.close()
    return found, time.perf_counter() - started - untimed


def only_from(origin: str) -> Callable[[Any], None]:
    """A route handler that lets requests to ``origin`` through and aborts every other."""
    def handle(route: Any) -> None:
        route.continue_() if route.request.url.startswith(origin + "/") else route.abort()

    return handle


class OursRun:
    """(b): ``a11y audit`` as a subprocess, timed and its process tree sampled."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.seconds, self.peak_mb, self.cpu_s, self.returncode, self.stderr = 0.0, 0.0, 0.0, 0, ""

    def run(self, outer: PeakSampler) -> None:
        with outer.paused():
            started = time.perf_counter()
            process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            with PeakSampler(process.pid) as sampler:
                _, self.stderr = process.communicate()
            self.seconds = time.perf_counter() - started
            self.peak_mb, self.cpu_s, self.returncode = sampler.peak_mb, sampler.cpu_s, process.returncode


def split_rss_kb(tree: ProcessTree) -> tuple[int, int]:
    """(the a11y Python process, everything below it: Playwright's driver and Chromium)."""
    own = tree.rss_kb([tree.root])
    return own, max(0, tree.rss_kb() - own)


def memory_run(folder: Path, out: Path, checkpoints: tuple[int, ...], extra: tuple[str, ...] = ()) -> int:
    """``a11y audit`` over many pages, peak RSS (a11y / browser) read at each checkpoint page.

    With ``--cluster``, "a11y" is the client process alone and "Chromium" everything below it
    (the local cluster's nanny and worker processes, their drivers and browsers)."""
    command = [sys.executable, "-m", "a11y", "audit", str(folder), "--format", "json", "--out", str(out), "--fail-on", "none", *extra]
    # unbuffered: each page's line reaches us when it is printed, so a mark is read at that page, not at the run's end
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    peaks = [0, 0]
    done = 0
    at_last_page: tuple[int, ...] = (0, 0)
    marks: dict[int, tuple[int, int]] = {}
    now: dict[int, int] = {}  # the client's RSS at the mark itself (not the peak so far)
    lock = threading.Lock()
    stop = threading.Event()

    tree = ProcessTree(process.pid)

    def sample() -> None:
        while not stop.is_set():
            own, browser = split_rss_kb(tree)
            with lock:
                peaks[0], peaks[1] = max(peaks[0], own), max(peaks[1], browser)
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    for line in process.stdout:  # type: ignore[union-attr]
        if line.startswith(("✓", "●", "✗")):
            done += 1
            with lock:
                at_last_page = tuple(peaks)
            if done in checkpoints:
                with lock:
                    marks[done] = (peaks[0], peaks[1])
                now[done] = split_rss_kb(tree)[0]
                print(f"  page {done:5d} at {time.perf_counter() - started:6.0f} s: a11y RSS {now[done] / 1024:6.0f} MB now, "
                      f"peak {peaks[0] / 1024:6.0f} MB; Chromium {peaks[1] / 1024:6.0f} MB (load {os.getloadavg()[0]:.1f})", flush=True)
    process.wait()
    stop.set()
    sampler.join()
    seconds = time.perf_counter() - started
    print(f"memory run: {done} pages in {seconds:.0f} s ({done / seconds:.2f} pages/s), exit {process.returncode}")
    print(f"  peak RSS at the run's end (finishing, reports): a11y {peaks[0] / 1024:.0f} MB "
          f"(up to the last page's line {at_last_page[0] / 1024:.0f} MB)")
    for page, (own, browser) in sorted(marks.items()):
        print(f"  peak RSS up to page {page:4d}: a11y {own / 1024:6.0f} MB, Chromium {browser / 1024:6.0f} MB")
    if len(marks) >= 2:
        first, last = marks[min(marks)], marks[max(marks)]
        for name, a, b in (("a11y", first[0], last[0]), ("Chromium", first[1], last[1])):
            print(f"  growth page {min(marks)} -> {max(marks)}: {name} {100 * (b - a) / max(a, 1):+.1f}%")
    report = out / "report.json"
    if report.is_file():
        sources = [page["source"] for page in json.loads(report.read_text(encoding="utf-8"))["pages"]]
        expected = len(list(folder.glob("*.html")))
        print(f"  report.json: {len(sources)} pages of {expected}, {len(set(sources))} distinct, "
              f"{expected - len(set(sources))} lost")
    else:
        print("  report.json: NOT WRITTEN")
    return 0


def comparable_pages(report: Path) -> dict[str, tuple]:
    """What a run found on each page it could audit, without timings or the loopback port."""
    pages = json.loads(report.read_text(encoding="utf-8"))["pages"]
    return {p["source"]: (json.dumps(p["findings"], sort_keys=True), json.dumps(p.get("criteria"), sort_keys=True))
            for p in pages if p["status"] == "ok"}


def cluster_compare(folder: Path, out: Path, rounds: int, workers: int, corpus: bool) -> int:
    """Single-process vs ``--cluster local:W`` on the same pages, interleaved (the machine's speed
    drifts): each side's best and mean seconds, the cluster's overhead, and whether the reports agree."""
    pages = len(list(folder.glob("*.html")))
    # --timeout 90: on a loaded machine a heavy page can miss 30 s on one side and not the other
    base = [sys.executable, "-m", "a11y", "audit", str(folder), "--format", "json", "--fail-on", "none", "--quiet", "--timeout", "90",
            *(["--block-external"] if corpus else [])]
    times: dict[str, list[float]] = {"single": [], "cluster": []}
    reports: dict[str, Path] = {}
    for round_number in range(rounds):
        order = ("single", "cluster") if round_number % 2 == 0 else ("cluster", "single")
        for side in order:
            target = out / side
            command = [*base, "--out", str(target), *(["--cluster", f"local:{workers}"] if side == "cluster" else [])]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            times[side].append(time.perf_counter() - started)
            if done.returncode not in (0, 1, 2) or not (target / "report.json").is_file():  # 2: a page could not be audited
                print(f"{side}: exit {done.returncode}: {done.stderr[-1000:]}")
                return 1
            reports[side] = target / "report.json"
            print(f"  round {round_number + 1} {side:7}: {times[side][-1]:6.1f} s  ({pages / times[side][-1]:.2f} pages/s)")
    single, cluster = (sum(times[s]) / len(times[s]) for s in ("single", "cluster"))
    print(f"cluster local:{workers} vs single-process, {pages} pages, {rounds} rounds interleaved: "
          f"single {single:.1f} s, cluster {cluster:.1f} s (mean); overhead {100 * (cluster / single - 1):+.1f}% "
          f"(best: {100 * (min(times['cluster']) / min(times['single']) - 1):+.1f}%)")
    single_pages, cluster_pages = comparable_pages(reports["single"]), comparable_pages(reports["cluster"])
    both = sorted(single_pages.keys() & cluster_pages.keys())
    differ = [source for source in both if single_pages[source] != cluster_pages[source]]
    print(f"reports of the last round: {len(both)} pages audited by both, {len(differ)} with other findings or criteria "
          f"({pages - len(single_pages)} error page(s) single, {pages - len(cluster_pages)} cluster)"
          + (f", e.g. {differ[0]}" if differ else ""))
    return 0 if not differ else 1


def main() -> int:
    parser = argparse.ArgumentParser(description="a11y throughput and memory benchmark")
    parser.add_argument("--pages", type=int, default=40, help="pages to audit (at least 30)")
    parser.add_argument("--corpus", action="store_true", help="use ../shared/corpus pages (external requests blocked)")
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--memory", type=int, metavar="N", help="instead: audit N pages (e.g. 500) and report peak RSS growth")
    parser.add_argument("--cluster-compare", type=int, metavar="N",
                        help="instead: N pages single-process vs --cluster local:2, interleaved (with --corpus: corpus pages)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of --cluster-compare (each runs both)")
    parser.add_argument("--cluster-pages", type=int, metavar="N",
                        help="instead: N pages (copies of pages/) through --cluster local:2: client RSS from page N/10 to N, pages lost")
    args = parser.parse_args()
    if args.cluster_compare:
        with tempfile.TemporaryDirectory(prefix="a11y-cluster-") as tmp:
            folder = Path(tmp) / "site"
            folder.mkdir()
            pages = build_corpus(folder, args.cluster_compare, args.corpus)
            print(f"corpus: {len(pages)} pages ({'shared corpus' if args.corpus and CORPUS.is_dir() else 'copies of pages/'}), "
                  f"{os.cpu_count()} CPUs")
            return cluster_compare(folder, Path(tmp) / "out", args.rounds, 2, args.corpus)
    if args.cluster_pages:
        with tempfile.TemporaryDirectory(prefix="a11y-cluster-mem-") as tmp:
            folder = Path(tmp) / "site"
            folder.mkdir()
            build_corpus(folder, args.cluster_pages, False)
            count = args.cluster_pages
            marks = tuple(sorted({count // 10, count // 2, count, *range(1000, count + 1, 1000)}))
            return memory_run(folder, Path(tmp) / "out", marks, ("--cluster", "local:2"))
    if args.memory:
        with tempfile.TemporaryDirectory(prefix="a11y-mem-") as tmp:
            folder = Path(tmp) / "site"
            folder.mkdir()
            build_corpus(folder, args.memory, False)
            return memory_run(folder, Path(tmp) / "out", (50, args.memory // 2, args.memory))

    from a11y.pipeline.browser import find_browser
    from a11y.pipeline.server import PageServer
    from a11y.settings import Settings

    browser_path = find_browser().path
    settings = Settings()
    tags = settings.axe_tags()
    with tempfile.TemporaryDirectory(prefix="a11y-bench-") as tmp:
        folder = Path(tmp) / "site"
        folder.mkdir()
        pages = build_corpus(folder, max(30, args.pages), args.corpus)
        print(f"corpus: {len(pages)} pages ({'shared corpus' if args.corpus and CORPUS.is_dir() else 'copies of pages/'}), "
              f"{sum(p.stat().st_size for p in pages) / 1e6:.1f} MB, {os.cpu_count()} CPUs")

        command = [sys.executable, "-m", "a11y", "audit", str(folder), "--format", "json", "--out", str(Path(tmp) / "out"),
                   "--fail-on", "none", "--quiet"]
        if args.concurrency:
            command += ["--concurrency", str(args.concurrency)]
        if args.corpus:
            command += ["--block-external"]
        with PageServer(folder) as server:
            urls = [server.url_for(p) for p in pages]
            with PeakSampler(os.getpid()) as plain_sampler:
                audit_run = OursRun(command)
                plain, plain_s = plain_loop(urls, tags, browser_path, halfway=lambda: audit_run.run(plain_sampler),
                                            block_external=args.corpus)
        print(f"(a) axe-playwright-python loop: {len(pages) / plain_s:6.2f} pages/s  ({plain_s:6.1f} s)  peak RSS {plain_sampler.peak_mb:7.0f} MB"
              f"  CPU {plain_sampler.cpu_s:6.1f} s ({plain_sampler.cpu_s / plain_s:.2f} cores busy)")
        print(f"(b) a11y audit --format json:   {len(pages) / audit_run.seconds:6.2f} pages/s  ({audit_run.seconds:6.1f} s)"
              f"  peak RSS {audit_run.peak_mb:7.0f} MB  CPU {audit_run.cpu_s:6.1f} s ({audit_run.cpu_s / audit_run.seconds:.2f} cores busy)"
              f"  exit {audit_run.returncode}")
        cpus = os.cpu_count() or 1
        # (b) cannot finish before its CPU seconds spread over every CPU: the most it can gain over (a)
        ceiling = plain_s * cpus / max(audit_run.cpu_s, 0.01)
        print(f"speed-up (b)/(a): {plain_s / audit_run.seconds:.2f}x; CPU a page: (a) {plain_sampler.cpu_s / len(pages):.2f} s, "
              f"(b) {audit_run.cpu_s / len(pages):.2f} s; with every one of {cpus} CPUs busy, (b) could be {ceiling:.2f}x at most")
        stderr = audit_run.stderr

        report = json.loads((Path(tmp) / "out" / "report.json").read_text())
        ours = {Path(p["source"]).name: {(f["rule"], f["target"]) for f in p["findings"] if f["engine"] == "axe" and f["outcome"] == "violation"}
                for p in report["pages"]}
        # axe's violations that a11y merged into its own finding on the same element (a11y/merge.py)
        merged = {Path(p["source"]).name: {(rule, target) for f in p["findings"] if f["outcome"] == "violation"
                                           for rule in f.get("also", []) for target in [f["target"], *f.get("also_targets", [])]}
                  for p in report["pages"]}
        differing = sorted(name for name in plain if not (ours.get(name, set()) <= plain[name] <= ours.get(name, set()) | merged.get(name, set())))
        total = sum(len(v) for v in plain.values())
        kept_apart = sum(len(ours.get(name, set())) for name in plain)
        if differing:
            print(f"axe violations: DIFFER on {len(differing)} page(s), e.g. {differing[0]}: "
                  f"only (a) {sorted(plain[differing[0]] - ours.get(differing[0], set()) - merged.get(differing[0], set()))[:3]}, "
                  f"only (b) {sorted(ours.get(differing[0], set()) - plain[differing[0]])[:3]}")
            if stderr:
                print(stderr[-2000:])
            # On the sample pages a difference is a bug. Real pages differ by design: the loop audits
            # at `load`, a11y once the network settles, and a page may navigate away in either.
            return 0 if args.corpus else 1
        print(f"axe violations: the same on all {len(plain)} pages ({total} element-level violations: {kept_apart} as axe's own "
              f"findings, {total - kept_apart} merged into a11y's finding on the same element)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
