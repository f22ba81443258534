"""The audit over Dask (a11y/pipeline/cluster.py): the same report as a single-process run, no page
lost when a worker dies, a page that kills workers reported as an error, Ctrl-C honoured.

The browser tests share one LocalCluster of 2 worker processes on 127.0.0.1 (each starts a
browser): few tests, generous timeouts, no timing assertions. Its workers carry the test-only
kill hook, aimed at a file name only the killer test creates.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.cluster_spec import ClusterSpec, ClusterSpecError, SharedRoot, parse_cluster
from a11y.reports.json_report import REPORTER as JSON
from tests.conftest import FAST, PAGES

KILLER_NAME = "kills-its-worker"


# -- without a browser ----------------------------------------------------------------------------

def test_cluster_options_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("A11Y_SCHEDULER", raising=False)
    assert parse_cluster(None, None) is None
    assert parse_cluster("local:3", None) == ClusterSpec(workers=3)
    assert parse_cluster("local", None).workers >= 1
    assert parse_cluster(None, "tcp://10.0.0.5:8786").scheduler == "tcp://10.0.0.5:8786"
    monkeypatch.setenv("A11Y_SCHEDULER", "tcp://127.0.0.1:8786")
    assert parse_cluster(None, None).scheduler == "tcp://127.0.0.1:8786"
    monkeypatch.delenv("A11Y_SCHEDULER")
    shared = parse_cluster("local:2", None, f"{tmp_path}=/mnt/pages").shared_root
    assert shared == SharedRoot(tmp_path.resolve(), Path("/mnt/pages"))
    assert shared.worker_path(tmp_path / "a" / "b.html") == Path("/mnt/pages/a/b.html")
    for cluster, scheduler, root in (("local:0", None, None), ("yarn", None, None), ("local:x", None, None),
                                     ("local", "tcp://h:1", None), (None, "h:8786", None), (None, None, str(tmp_path)),
                                     ("local", None, str(tmp_path / "absent"))):
        with pytest.raises(ClusterSpecError, match="--"):
            parse_cluster(cluster, scheduler, root)


def test_bad_cluster_options_are_one_line_errors(run_cli: Any, tmp_path: Path) -> None:
    """Exit 2 and a line naming the option and the cause, before any browser or cluster starts."""
    outside = tmp_path / "shared"
    outside.mkdir()
    for args, expected in ((["--cluster", "yarn"], "--cluster 'yarn'"),
                           (["--shared-root", str(outside)], "--shared-root needs --cluster"),
                           (["--scheduler", "tcp://192.0.2.1:8786"], "local files (pages/blog-icon-buttons.html) need --shared-root"),
                           (["--cluster", "local:1", "--shared-root", str(outside)], "is not inside it")):
        done = run_cli("audit", "pages/", "--out", str(tmp_path / "out"), *args, env={"A11Y_SCHEDULER": ""})
        assert done.returncode == 2, done.stderr
        assert expected in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_pages_cross_the_wire_whole() -> None:
    from a11y.pipeline.cluster import page_from_wire, page_to_wire

    finding = Finding(rule="r", engine="a11y", outcome="violation", impact="serious", target="img", html="<img>", message="m",
                      wcag=["1.1.1"], fingerprint="f", box={"x": 1.0}, element_index=3, source_location={"line": 2, "column": 1},
                      also=["image-alt"], also_fingerprints=["g"], also_targets=["img"])
    page = PageResult(source="a.html", url="http://127.0.0.1:1/a.html", title="A", findings=[finding], warnings=["w"],
                      applied={"r": 1}, screenshot=b"jpeg", page_size={"width": 1.0}, found_by={"kind": "crawl", "depth": 1})
    wire = page_to_wire(page)
    json.dumps(wire)  # plain data
    rebuilt = page_from_wire(wire)
    assert rebuilt.screenshot is None and rebuilt.findings == page.findings
    assert rebuilt == replace(page, screenshot=None)


def test_compact_pages_read_back_whole(pages_run: RunResult) -> None:
    from a11y.pipeline.cluster import CompactPages

    compact = CompactPages([CompactPages.pack(page) for page in pages_run.pages])
    plain = [dataclass_without_pictures(page) for page in pages_run.pages]
    assert len(compact) == len(plain) and list(compact) == plain and compact[1] == plain[1] and compact[1:3] == plain[1:3]
    assert compact.spool.size < len(json.dumps([p.to_dict() for p in pages_run.pages])) / 2


def test_report_json_is_streamed_as_rendered(pages_run: RunResult, tmp_path: Path) -> None:
    """report.json written a page at a time: the same bytes as the one-string rendering, finished or not."""
    from dataclasses import replace

    from a11y.ci.finish import finish

    finished = finish(copy.deepcopy(pages_run), {"fail_on": "moderate"})
    for run in (pages_run, finished, replace(pages_run, pages=pages_run.pages[:2], planned=5, interrupted=True),
                replace(pages_run, pages=[])):
        written = JSON.write(run, tmp_path)
        assert written.read_text(encoding="utf-8") == JSON.render(run)


def dataclass_without_pictures(page: PageResult) -> PageResult:
    from dataclasses import replace

    return replace(page, screenshot=None, snapshot=None)


def test_cli_cluster_run_writes_the_single_runs_report(run_cli: Any, tmp_path: Path) -> None:
    """The CLI end to end: a local cluster of 2 and the single-process engine, the same report.json
    (verdict, summary, criteria: everything but timings, times and the loopback port)."""
    reports = {}
    for name, extra in (("single", []), ("cluster", ["--cluster", "local:2"])):
        done = run_cli("audit", "pages/", "--format", "json,html", "--out", str(tmp_path / name), "--quiet", *extra)
        assert done.returncode == 1, done.stderr  # the sample pages fail the gate by design
        reports[name] = json.loads((tmp_path / name / "report.json").read_text(encoding="utf-8"))
        assert (tmp_path / name / "report.html").is_file()
    for data in reports.values():
        for key in ("started", "duration_s"):
            data.pop(key)
        for page in data["pages"]:
            page.pop("timings")
            page["url"] = page["url"].split("/", 3)[-1]
    assert reports["cluster"] == reports["single"]


# -- on a LocalCluster ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    dask = pytest.importorskip("dask")
    from distributed import LocalCluster

    from a11y.pipeline.cluster import ALLOWED_FAILURES, KILL_HOOK_ENV, local_cluster_options

    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}), \
            LocalCluster(**local_cluster_options(2), env={KILL_HOOK_ENV: KILLER_NAME}) as local:
        yield local


def on_cluster(cluster: Any, targets: list[str], **kwargs: Any) -> RunResult:
    from a11y.pipeline.cluster import audit_on_cluster

    spec = ClusterSpec(scheduler=cluster.scheduler_address, shared_root=kwargs.pop("shared_root", None))
    return audit_on_cluster(targets, FAST, spec, **kwargs)


def comparable(run: RunResult) -> dict[str, Any]:
    """report.json's data without what differs between any two runs: timings, times, the loopback port."""
    data = copy.deepcopy(JSON.data(run))
    for key in ("started", "duration_s"):
        data.pop(key)
    for page in data["pages"]:
        page.pop("timings")
        page["url"] = page["url"].split("/", 3)[-1]
    return data


def copies(tmp_path: Path, count: int, name: str = "page") -> Path:
    folder = tmp_path / "site"
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    source = PAGES / "blog-icon-buttons.html"
    for number in range(count):
        shutil.copy(source, folder / f"{name}-{number:03d}.html")
    return folder


@pytest.mark.browser
def test_cluster_run_reports_as_a_single_run(cluster: Any, pages_run: RunResult) -> None:
    """Byte for byte the same report.json on pages/, client-served and read from a shared root."""
    served = on_cluster(cluster, [str(PAGES)], compact=True)
    assert type(served.pages).__name__ == "CompactPages"
    assert comparable(served) == comparable(pages_run)
    shared = on_cluster(cluster, [str(PAGES)], shared_root=SharedRoot(PAGES.resolve(), PAGES.resolve()))
    assert comparable(shared) == comparable(pages_run)
    assert served.tool == pages_run.tool and served.rule_criteria == pages_run.rule_criteria
    assert open_runs(cluster) == {}, "a finished run's tabs stay open on the workers"


@pytest.mark.browser
def test_a_killed_worker_loses_no_page(cluster: Any, tmp_path: Path) -> None:
    from distributed import Client

    folder = copies(tmp_path, 16)
    outcome: dict[str, Any] = {}
    first_page = threading.Event()  # from then on the workers' browsers are up, and pages are in their tabs
    worker = threading.Thread(target=lambda: outcome.update(run=on_cluster(cluster, [str(folder)],
                                                                           progress=lambda *_: first_page.set())))
    worker.start()
    assert first_page.wait(timeout=300), "no page came back"
    with Client(cluster.scheduler_address) as client:
        killed = kill_a_busy_worker(client)
    worker.join(timeout=600)
    assert killed, "no worker was seen auditing"
    run: RunResult = outcome["run"]
    sources = [p.source for p in run.pages]
    assert len(sources) == 16 and len(set(sources)) == 16
    assert all(p.status == "ok" for p in run.pages), [p.error for p in run.pages]


def kill_a_busy_worker(client: Any) -> bool:
    """SIGKILL one worker process (its own pid) while pages are in its tabs."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:
            pids = client.run(os.getpid)
            if busy[0] in pids:
                os.kill(pids[busy[0]], signal.SIGKILL)
                return True
        time.sleep(0.2)
    return False


@pytest.mark.browser
def test_a_page_that_kills_two_workers_is_an_error(cluster: Any, tmp_path: Path) -> None:
    from a11y.pipeline.cluster import KILLED_PAGE_ERROR

    folder = copies(tmp_path, 3)
    shutil.copy(PAGES / "blog-icon-buttons.html", folder / f"{KILLER_NAME}.html")
    run = on_cluster(cluster, [str(folder)])
    assert len(run.pages) == 4
    errors = {p.source: p.error for p in run.pages if p.status == "error"}
    assert list(errors.values()) == [KILLED_PAGE_ERROR] and next(iter(errors)).endswith(f"{KILLER_NAME}.html")


@pytest.mark.browser
def test_stopping_cancels_the_rest(cluster: Any, tmp_path: Path) -> None:
    folder = copies(tmp_path, 12)
    seen: list[PageResult] = []
    run = on_cluster(cluster, [str(folder)], progress=lambda page, _done, _total: seen.append(page),
                     should_stop=lambda: bool(seen))
    assert run.interrupted and 1 <= len(run.pages) < 12 and run.planned == 12
    assert open_runs(cluster) == {}, "a stopped run's tabs stay open on the workers"


def open_runs(cluster: Any) -> dict[str, int]:
    """The workers that still hold a run's warm tabs, and how many runs."""
    from distributed import Client

    from a11y.pipeline.cluster import PLUGIN_NAME

    def engines(dask_worker: Any) -> int:
        plugin = dask_worker.plugins.get(PLUGIN_NAME)
        return len(plugin.engines) if plugin is not None else 0

    with Client(cluster.scheduler_address) as client:
        return {address: count for address, count in client.run(engines).items() if count}
