"""What writing each report costs on a big cluster run: the tracemalloc peak and the seconds.

Builds ``--pages`` fake pages (``--findings`` each) stored as a cluster run's compressed pages
(:class:`~a11y.pipeline.cluster.CompactPages`), finishes the run as an audit does, then writes each
format into a temp folder. The peak is what writing that one report allocated on top of the run
(tracemalloc's peak minus what was allocated before it started); the seconds are measured in a
separate write with tracing off, as tracemalloc itself slows Python down a few times.

    .venv/bin/python scripts/report_memory.py [--pages 10000] [--findings 15] [--formats sarif,junit,md,json]
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from a11y.ci.finish import finish
from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.cluster import CompactPages
from a11y.reports import get_reporter

RULES = ("image-alt", "link-name", "color-contrast", "heading-order", "label")
IMPACTS = ("critical", "serious", "moderate", "minor")


def fake_finding(page: int, n: int) -> Finding:
    rule = RULES[n % len(RULES)]
    return Finding(rule=rule, engine="axe", outcome="needs-review" if n % 7 == 3 else "violation",
                   impact=IMPACTS[(page + n) % len(IMPACTS)], target=f"main > article:nth-of-type({page}) .x{n}",  # type: ignore[arg-type]
                   html=f'<a class="x{n}" href="/story/{page}/{n}"><img src="/img/{page}-{n}.jpg"></a>',
                   message=f"Element {n} on page {page} has no accessible name that a screen reader can announce",
                   wcag=[("1.1.1", "2.4.4", "1.4.3", "1.3.1", "4.1.2")[n % 5]], tags=["wcag2a"], help=f"{rule} help",
                   help_url=f"https://dequeuniversity.com/rules/axe/4.10/{rule}",
                   fingerprint=hashlib.sha256(f"{page}/{n}".encode()).hexdigest()[:16])


def fake_page(index: int, findings: int) -> PageResult:
    """An audited page, or one page in 97 that could not be audited."""
    if index % 97 == 96:
        return PageResult(source=f"site/p{index:06d}.html", url="", title=f"Page {index}", status="error", error="timeout")
    return PageResult(source=f"site/p{index:06d}.html", url="", title=f"Page {index}",
                      findings=tuple(fake_finding(index, n) for n in range(findings)), applied={rule: 3 for rule in RULES})


def compact_pages(count: int, findings: int) -> Iterator[bytes]:
    """Each page packed as soon as it is made: the run never holds its pages as objects, as a cluster run does not."""
    return (CompactPages.pack(fake_page(index, findings)) for index in range(count))


def big_run(count: int, findings: int) -> RunResult:
    run = RunResult(pages=CompactPages(list(compact_pages(count, findings))),  # type: ignore[arg-type]
                    tool={"name": "a11y", "version": "0", "axe": "4.10.0", "standard": "wcag22"}, started="2026-01-01T00:00:00+00:00",
                    rule_criteria={"image-alt": ["1.1.1"], "link-name": ["2.4.4"], "color-contrast": ["1.4.3"],
                                   "heading-order": ["1.3.1"], "label": ["4.1.2"]})
    return finish(run, {"fail_on": "serious"})


def measure(run: RunResult, name: str, folder: Path) -> tuple[float, float, int]:
    """(peak MB, seconds, bytes written) for writing the ``name`` report of ``run`` into ``folder``."""
    reporter = get_reporter(name)
    start = time.perf_counter()
    path = reporter.write(run, folder)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    reporter.write(run, folder)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (peak - before) / 1e6, seconds, path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--findings", type=int, default=15, help="findings per page")
    parser.add_argument("--formats", default="sarif,junit,md,json", help="comma-separated report formats")
    args = parser.parse_args()
    start = time.perf_counter()
    run = big_run(args.pages, args.findings)
    print(f"{args.pages} pages x {args.findings} findings as CompactPages, finished in {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory(prefix="a11y-report-memory-") as temp:
        for name in args.formats.split(","):
            peak, seconds, size = measure(run, name, Path(temp))
            print(f"{name:6} peak {peak:8.1f} MB  {seconds:7.1f} s  ({size / 1e6:.1f} MB written)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
