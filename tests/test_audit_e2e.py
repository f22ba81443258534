"""End to end in a real Chromium: the sample pages, the report contract, determinism, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from a11y.pipeline.engine import audit
from a11y.reports.json_report import REPORTER
from a11y.settings import Settings

from .conftest import PAGES, page_by_source
from .helpers import without_timings

pytestmark = pytest.mark.browser


def test_seed_page_axe_findings(pages_run) -> None:
    page = page_by_source(pages_run, "pages/defense-algeria-article.html")
    assert page.status == "ok"
    assert page.title.startswith("5 Things to Know About the U.S.-Algeria Relationship")
    axe = {(f.rule, f.target) for f in page.findings if f.engine == "axe"}
    # "Related Stories" is an h4 straight after the h1: the one template problem axe sees.
    assert ("heading-order", "h4") in axe
    heading = next(f for f in page.findings if f.rule == "heading-order")
    assert heading.html == "<h4>Related Stories</h4>"
    assert heading.impact == "moderate" and heading.outcome == "violation"
    assert heading.box and heading.box["width"] > 0
    # The banner's lock is named by its <title>: axe's svg-img-alt must not fire.
    assert not [f for f in page.findings if f.rule in ("svg-img-alt", "image-alt", "role-img-alt")]


def test_fixed_page_is_clean_of_axe_violations(pages_run) -> None:
    page = page_by_source(pages_run, "pages/defense-algeria-article-fixed.html")
    assert [f.rule for f in page.findings if f.engine == "axe"] == []


def test_icon_blog_page_axe_findings_name_the_elements(pages_run) -> None:
    page = page_by_source(pages_run, "pages/blog-icon-buttons.html")
    by_rule = {}
    for f in page.findings:
        by_rule.setdefault(f.rule, []).append(f)
    # axe's button-name on the search toggle is merged into our icon finding on its <i>: one finding,
    # with axe's impact, criteria and ACT ids (from axe.getRules()) kept, and its element's selector
    toggle = next(f for f in page.findings if "button-name" in f.also)
    assert toggle.rule == "icon-missing-label" and "fa-search" in toggle.html and ".search-toggle" in toggle.also_targets
    assert toggle.impact == "critical" and "4.1.2" in toggle.wcag and toggle.act, "ACT rule ids come from axe.getRules()"
    assert "button-name" not in by_rule and "link-name" not in by_rule
    assert sum(1 for f in page.findings if "link-name" in f.also) == 2  # the cart and RSS icon links
    # selectors with quotes (svg[aria-labelledby="…"]) still get their element's box
    assert all(f.box and f.box["width"] > 0 for f in page.findings if f.engine == "axe"), [f.target for f in page.findings if not f.box]


def test_report_contract(pages_run, tmp_path: Path) -> None:
    path = REPORTER.write(pages_run, tmp_path)
    report = json.loads(path.read_text(encoding="utf-8"))
    assert report["schema"] == "a11y-report/1"
    assert set(report["tool"]) >= {"name", "version", "axe", "browser", "standard"}
    assert report["tool"]["axe"].startswith("4.") and report["tool"]["standard"] == "wcag21aa"
    assert set(report) >= {"started", "duration_s", "pages", "summary"}
    for page in report["pages"]:
        assert set(page) >= {"source", "url", "title", "status", "error", "timings", "findings"}
        assert page["url"].startswith("http://127.0.0.1:") and page["source"].startswith("pages/")
        assert set(page["timings"]) == {"load_s", "axe_s", "rules_s"}
        for finding in page["findings"]:
            assert set(finding) >= {"rule", "engine", "outcome", "impact", "wcag", "tags", "act", "target", "html",
                                    "message", "suggestion", "help_url", "fingerprint"}
            assert finding["engine"] in ("axe", "a11y") and finding["outcome"] in ("violation", "needs-review")
            assert finding["impact"] in ("critical", "serious", "moderate", "minor")
            assert len(finding["fingerprint"]) == 20 and len(finding["html"]) <= 300
    summary = report["summary"]
    assert summary["pages"] == len(report["pages"]) == len(list(PAGES.glob("*.html")))
    assert summary["violations"] == sum(1 for p in report["pages"] for f in p["findings"] if f["outcome"] == "violation")
    assert sum(summary["by_impact"].values()) == summary["violations"] == sum(summary["by_rule"].values())


def test_two_runs_are_byte_identical_and_concurrency_does_not_change_findings(pages_run, tmp_path: Path) -> None:
    again = audit([str(PAGES)], Settings(settle_ms=300, timeout_s=20, concurrency=1))
    first = without_timings(pages_run.to_dict())
    second = without_timings(again.to_dict())
    for data in (first, second):  # the loopback server's port differs between runs
        for page in data["pages"]:
            page["url"] = page["url"].split("/", 3)[-1]
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_more_pages_load_than_run_axe_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tabs beyond the CPUs load pages while axe-core runs on at most ``axe_at_once`` of them."""
    import a11y.pipeline.scheduler as scheduler

    for number in range(6):
        (tmp_path / f"page{number}.html").write_bytes((PAGES / "defense-algeria-article.html").read_bytes())
    counts = {"loading": 0, "auditing": 0}
    peaks = {"auditing": 0, "in_flight": 0}

    def counted(phase: str, real):
        async def wrapper(*args, **kwargs):
            counts[phase] += 1
            peaks["auditing"] = max(peaks["auditing"], counts["auditing"])
            peaks["in_flight"] = max(peaks["in_flight"], counts["loading"] + counts["auditing"])
            try:
                return await real(*args, **kwargs)
            finally:
                counts[phase] -= 1
        return wrapper

    monkeypatch.setattr(scheduler, "load_page", counted("loading", scheduler.load_page))
    monkeypatch.setattr(scheduler, "audit_page", counted("auditing", scheduler.audit_page))
    run = audit([str(tmp_path)], Settings(settle_ms=300, timeout_s=20, concurrency=4, axe_at_once=1))
    assert [p.status for p in run.pages] == ["ok"] * 6
    assert peaks["auditing"] == 1, peaks
    assert peaks["in_flight"] >= 3, peaks  # the other tabs were loading meanwhile
    assert len({len(p.findings) for p in run.pages}) == 1  # the same page gives the same findings


def test_max_per_host_limits_pages_of_one_remote_host() -> None:
    """Each request is held until another one of the host is in flight (or ``hold`` runs out), so
    overlap is seen whenever it is allowed, however slow the machine: no assertion on timing."""
    import threading

    from .helpers import scripted_server, send

    lock = threading.Condition()
    state = {"now": 0, "peak": 0, "hold": 0.0}

    def held_page(handler) -> None:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
            lock.notify_all()
            lock.wait_for(lambda: state["now"] > 1, timeout=state["hold"])
            state["now"] -= 1
        send(handler, 200, b"<!DOCTYPE html><html lang='en'><title>p</title><main><p>text</p></main></html>")

    with scripted_server({f"/p{n}": held_page for n in range(4)}) as base:
        urls = [f"{base.replace('127.0.0.1', 'localhost')}/p{n}" for n in range(4)]  # a remote-looking host
        peaks = []
        # with the limit a second request would show within 1 s; without it one always comes (4 tabs)
        for limit, hold in ((1, 1.0), (0, 60.0)):  # 0: no limit beyond --concurrency
            state.update(peak=0, hold=hold)
            run = audit(urls, Settings(settle_ms=0, timeout_s=90, concurrency=4, max_per_host=limit))
            assert [p.status for p in run.pages] == ["ok"] * 4, [p.error for p in run.pages]
            peaks.append(state["peak"])
    assert peaks[0] == 1 and peaks[1] > 1, peaks


def test_fingerprints_do_not_depend_on_the_port(pages_run) -> None:
    again = audit(["pages/defense-algeria-article.html"], Settings(settle_ms=300))
    first = page_by_source(pages_run, "pages/defense-algeria-article.html")
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in again.pages[0].findings]


def test_script_added_content_is_audited(tmp_path: Path) -> None:
    (tmp_path / "late.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Late</title></head><body><main><h1>Late</h1></main>"
        "<script>setTimeout(() => { const img = document.createElement('img'); img.src = 'late.png';"
        " img.id = 'late-image'; document.querySelector('main').append(img); }, 300)</script></body></html>",
        encoding="utf-8")
    run = audit([str(tmp_path / "late.html")], Settings(settle_ms=1500))
    assert ("image-alt", "#late-image") in {(f.rule, f.target) for f in run.pages[0].findings}


def test_relative_assets_and_fetches_are_served(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "data.json").write_text('{"alt": ""}', encoding="utf-8")
    (tmp_path / "page.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Fetch</title></head><body><main><h1>F</h1><div id='slot'></div></main>"
        "<script>fetch('sub/data.json').then(r => r.json()).then(d => { document.title = 'fetched:' + JSON.stringify(d) })"
        "</script></body></html>", encoding="utf-8")
    run = audit([str(tmp_path / "page.html")], Settings(settle_ms=1500))
    assert run.pages[0].title == 'fetched:{"alt":""}'


def test_same_origin_iframe_is_audited(tmp_path: Path) -> None:
    (tmp_path / "inner.html").write_text("<!DOCTYPE html><html lang='en'><head><title>in</title></head><body><img src='a.png'></body></html>")
    (tmp_path / "outer.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>out</title></head><body><main><h1>o</h1>"
        "<iframe src='inner.html' title='inner'></iframe></main></body></html>")
    run = audit([str(tmp_path / "outer.html")], Settings(settle_ms=300))
    assert any(f.rule == "image-alt" and f.target == "iframe |> img" for f in run.pages[0].findings)


def test_hostile_globals_cannot_change_axe_results(tmp_path: Path) -> None:
    (tmp_path / "hostile.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>h</title><script>window.axe = {run: () => Promise.resolve({violations: []})};"
        "JSON.stringify = () => '{}'; Array.prototype.map = function () { return [] };</script></head>"
        "<body><main><h1>h</h1><img src='a.png'></main></body></html>")
    run = audit([str(tmp_path / "hostile.html")], Settings(settle_ms=0))
    assert run.pages[0].status == "ok"
    assert any(f.rule == "image-alt" for f in run.pages[0].findings)


def test_viewport_option_sets_the_window(tmp_path: Path) -> None:
    (tmp_path / "w.html").write_text("<!DOCTYPE html><html lang='en'><head><title>w</title></head><body>"
                                     "<script>document.title = innerWidth + 'x' + innerHeight</script></body></html>")
    run = audit([str(tmp_path / "w.html")], Settings(settle_ms=0, viewport=Settings().viewport.parse("400x700")))
    assert run.pages[0].title == "400x700"


def test_no_best_practice_turns_off_our_best_practice_rules_too() -> None:
    fixture = str(Path(__file__).resolve().parent / "fixtures" / "alt-duplicates-caption" / "fail-aria-describedby.html")
    rules = {f.rule for f in audit([fixture], Settings(settle_ms=0)).pages[0].findings}
    assert "alt-duplicates-caption" in rules
    run = audit([fixture], Settings(settle_ms=0, best_practice=False))
    assert not {f.rule for f in run.pages[0].findings if "best-practice" in f.tags}
    assert "alt-duplicates-caption" not in run.rule_criteria and "pseudo-list" in run.rule_criteria
