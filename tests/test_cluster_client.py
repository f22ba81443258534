"""The cluster client's side without a browser: a fake page task on a real LocalCluster, and a
compressed run's reports against the same run held as objects (the criteria view, report.json, the verdict)."""

from __future__ import annotations

import hashlib
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from a11y.ci.finish import finish
from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.cluster import WINDOW_PER_THREAD, CompactPages, page_to_wire
from a11y.reports.console_report import failing_lines
from a11y.reports.json_report import REPORTER as JSON
from a11y.reports.junit_report import JunitReporter, junit_tree
from a11y.reports.markdown_report import MarkdownReporter, worst_findings
from a11y.reports.sarif_report import SarifReporter, sarif_log
from a11y.settings import Settings


def fake_page(index: int) -> PageResult:
    findings = [Finding(rule=("image-alt", "link-name", "color-contrast")[n % 3], engine="axe",
                        outcome="needs-review" if n == 3 else "violation", impact=("critical", "serious", "minor")[n % 3],
                        target=f"#p{index} .x{n}", html=f"<p>{index}-{n}</p>", message=f"m{n}",
                        wcag=[("1.1.1", "2.4.4", "1.4.3")[n % 3]], fingerprint=hashlib.sha256(f"{index}/{n}".encode()).hexdigest()[:16])
                for n in range(index % 5)]
    status = "error" if index % 17 == 16 else "ok"
    return PageResult(source=f"p{index:04d}.html", url=f"http://127.0.0.1:9/p{index:04d}.html", title=f"Page {index}", status=status,
                      error="boom" if status == "error" else None, findings=() if status == "error" else findings,
                      applied={"image-alt": 1, "link-name": index % 2})


def fake_page_task(settings: Any, cpus: Any, token: str, item: tuple[int, Any, Any], shared_root: Any) -> dict[str, Any]:
    """The page task without a browser: the page made up from its index."""
    return page_to_wire(fake_page(item[0]))


def make_run(pages: list[PageResult] | CompactPages) -> RunResult:
    return RunResult(pages=pages, tool={"name": "a11y", "standard": "wcag22"}, started="2026-01-01T00:00:00+00:00",  # type: ignore[arg-type]
                     rule_criteria={"image-alt": ["1.1.1"], "link-name": ["2.4.4"], "color-contrast": ["1.4.3"]})


def test_a_compressed_run_reports_the_same_as_the_run_in_objects(tmp_path: Path) -> None:
    pages = [fake_page(index) for index in range(120)]
    plain = finish(make_run(pages), {"fail_on": "serious"})
    compact = finish(make_run(CompactPages([CompactPages.pack(page) for page in pages])), {"fail_on": "serious"})
    assert isinstance(compact.pages, CompactPages)
    assert compact.criteria is not None and plain.criteria is not None
    assert compact.criteria.rows == plain.criteria.rows
    assert list(compact.criteria.pages) == list(plain.criteria.pages)  # computed when read, the same rows
    assert "".join(JSON.pieces(compact)) == "".join(JSON.pieces(plain)) == JSON.render(plain)
    assert compact.summary() == plain.summary()
    assert compact.verdict is not None and plain.verdict is not None
    assert compact.verdict.to_dict() == plain.verdict.to_dict() and len(compact.verdict.failing) == len(plain.verdict.failing) > 0
    assert list(compact.verdict.failing) == list(plain.verdict.failing)
    assert failing_lines(compact, compact.verdict) == failing_lines(plain, plain.verdict)


STREAMED = {"sarif": SarifReporter, "junit": JunitReporter, "md": MarkdownReporter}
RUNS = {  # the pages of each run (fake_page makes every 17th one an error page), and whether it was interrupted
    "pages": (range(60), False),
    "empty": (range(0), False),
    "interrupted": (range(12), True),
    "only-errors": ([16, 33], False),
}


def finished_run(indices: Any, interrupted: bool, compact: bool) -> RunResult:
    pages = [fake_page(index) for index in indices]
    held: list[PageResult] | CompactPages = CompactPages([CompactPages.pack(page) for page in pages]) if compact else pages
    run = replace(make_run(held), interrupted=interrupted, planned=len(pages) + 5 if interrupted else None)
    return finish(run, {"fail_on": "serious"})


@pytest.mark.parametrize("compact", [False, True], ids=["objects", "compact"])
@pytest.mark.parametrize("kind", list(RUNS))
@pytest.mark.parametrize("fmt", list(STREAMED))
def test_a_streamed_report_file_is_what_render_returns(fmt: str, kind: str, compact: bool, tmp_path: Path) -> None:
    run = finished_run(*RUNS[kind], compact)
    assert isinstance(run.pages, CompactPages) == compact
    reporter = STREAMED[fmt]()
    expected = as_bytes(reporter.render(run))
    assert reporter.write(run, tmp_path).read_bytes() == expected
    assert as_bytes(reporter.render(finished_run(*RUNS[kind], compact=False))) == expected  # the same run in objects
    # and what the whole log or tree gives, as render did before it was streamed
    if fmt == "sarif":
        assert expected == (json.dumps(sarif_log(run), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    elif fmt == "junit":
        assert expected == ET.tostring(junit_tree(run).getroot(), encoding="utf-8", xml_declaration=True) + b"\n"


def as_bytes(text: str | bytes) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text


def test_the_worst_findings_cut_keeps_the_full_sort_order_ties_included() -> None:
    # the same rule, page and element: only the order the findings come in tells them apart
    twins = [Finding(rule="image-alt", engine="axe", outcome="violation", impact=("serious", "critical")[n % 2], target="#same",
                     html="<img>", message=f"twin {n}", fingerprint=f"fp{n}") for n in range(9)]
    run = make_run([PageResult(source="a.html", url="", findings=twins), fake_page(7), fake_page(9)])
    everything = worst_findings(run)
    for limit in range(len(everything) + 2):
        assert worst_findings(run, limit) == everything[:limit]


def test_the_client_gets_every_page_once_in_the_targets_order() -> None:
    from a11y.pipeline.cluster import ClusterRun, _LocalClient, local_cluster_options
    from a11y.pipeline.cluster_spec import parse_cluster

    spec = parse_cluster("local:2", None, None)
    count = 150
    items = [(index, SimpleNamespace(source=f"p{index:04d}.html", url=None), None) for index in range(count)]
    seen: list[tuple[str, int]] = []
    with _LocalClient(2) as client:
        run = ClusterRun(client, Settings(concurrency=2), 1, spec, lambda page, done, total: seen.append((page.name, done)),
                         None, compact=True, task=fake_page_task)
        assert run.run(items) is False
    # a window of tasks in flight, a few per thread of the cluster: not a future per page of the run
    options = local_cluster_options(2)
    assert 0 < run.most_pending <= options["n_workers"] * options["threads_per_worker"] * WINDOW_PER_THREAD < count
    assert [done for _, done in seen] == list(range(1, count + 1))  # each page once, as it came back
    assert sorted(name for name, _ in seen) == [f"p{index:04d}.html" for index in range(count)]
    pages = run.pages()
    assert isinstance(pages, CompactPages) and [page.name for page in pages] == [f"p{index:04d}.html" for index in range(count)]
    assert json.dumps(pages[7].to_dict()) == json.dumps(fake_page(7).to_dict())


def test_the_page_spool_keeps_pages_on_disk_and_reads_them_back() -> None:
    """A big run's compressed pages live in a temporary file: the client's memory holds their offsets only."""
    import tracemalloc

    from a11y.pipeline.cluster import PageSpool

    blobs = [os.urandom(n % 3000) for n in range(2000)]  # empty ones too
    spool = PageSpool()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        assert [spool.add(blob) for blob in blobs[:1000]][-1] == 999  # pages are numbered as added
        assert spool.blob(7) == blobs[7]  # read between appends
        for blob in blobs[1000:]:
            spool.add(blob)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert [spool.blob(number) for number in range(2000)] == blobs
    assert spool.size == sum(map(len, blobs)) > 1_900_000
    assert grown < 100_000, f"{grown} bytes held in memory for {spool.size} bytes of pages"


def test_a_page_no_tab_takes_comes_back_as_an_error_not_never(monkeypatch: Any) -> None:
    """The last guard of a worker's warm tabs: a page no tab finishes is an error page after a bound,
    so the Dask task waiting for it (and the run) does not wait for ever; nothing of it is kept."""
    import asyncio

    from a11y.pipeline import scheduler
    from a11y.pipeline.targets import resolve_targets

    monkeypatch.setattr(scheduler, "page_budget", lambda settings: 0.1)
    feed = scheduler.FeedScheduler(None, Settings(concurrency=1), scheduler.RuleCatalog(None))  # type: ignore[arg-type]
    target = resolve_targets(["https://example.org/a"])[0]

    async def given_up_on() -> tuple[PageResult, int | None]:
        page = await feed.audit(target, "https://example.org/a")  # its tabs never started: no tab takes it
        feed._record(0, fake_page(0))  # a tab finishing it late keeps nothing
        feed.queue.put_nowait(-1)
        return page, await feed._next_index(None)  # type: ignore[arg-type]

    page, next_index = asyncio.run(given_up_on())
    assert page.status == "error" and page.error is not None and page.error.startswith("no tab of this worker finished the page")
    assert next_index is None, "a tab took the page given up on"
    assert feed.targets == {} and feed.waiting == {} and feed.page_urls == {} and feed.results == {}
