"""The HTML report: pure view logic on hand-built runs, then the real thing driven in Chromium.

Browser tests open ``report.html`` from disk (file://) as a reviewer would. Audits run in a worker
thread: the engine's ``asyncio.run`` must not share a thread with Playwright's sync API.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from a11y.ci.review import apply_review, load_review
from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.engine import audit
from a11y.reports import get_reporter
from a11y.reports.html_report import (
    REPORTER,
    HtmlReporter,
    asset_name,
    build_view,
    jpeg_size,
    json_for_script,
    render,
    safe_href,
    screenshot_sources,
    wcag_info,
)
from a11y.settings import Settings

from .conftest import PAGES

HOSTILE = Path(__file__).resolve().parent / "fixtures-hostile" / "hostile.html"
SAMPLE_JPEG = PAGES / "images" / "kestrel-boats-car-park.jpg"
SHOTS = Settings(settle_ms=300, timeout_s=30, screenshots=True)
EVIL = '</script><script>alert(1)</script> "><img src=x onerror=alert(2)> <!--<script> javascript:alert(3)'


# --- hand-built runs ---------------------------------------------------------------------------


def make_finding(rule: str = "image-alt", impact: str = "critical", outcome: str = "violation", n: int = 0, **extra: Any) -> Finding:
    defaults: dict[str, Any] = {
        "engine": "axe", "target": f"img:nth-of-type({n + 1})", "html": f'<img src="a{n}.jpg">', "message": f"Image {n} has no alt.",
        "wcag": ["1.1.1"], "help": "Images must have alternative text", "help_url": "https://dequeuniversity.com/rules/axe/4.12/image-alt",
        "fingerprint": hashlib.sha256(f"{rule}{n}{extra.get('target', '')}".encode()).hexdigest()[:20],
        "box": {"x": 10 + n, "y": 20 + 30 * n, "width": 100, "height": 20},
    }
    defaults.update(extra)
    return Finding(rule=rule, impact=impact, outcome=outcome, **defaults)  # type: ignore[arg-type]


def make_run(pages: int = 2, findings_per_page: int = 3, screenshot: bytes | None = None) -> RunResult:
    impacts = ("critical", "serious", "moderate", "minor")
    rules = ("image-alt", "link-name", "alt-is-filename", "pseudo-list", "color-contrast")
    result = []
    for p in range(pages):
        findings = [make_finding(rules[n % len(rules)], impacts[n % 4], "needs-review" if n % 7 == 6 else "violation", n,
                                 engine="a11y" if n % 5 in (2, 3) else "axe", target=f"#p{p} .item:nth-of-type({n + 1})")
                    for n in range(findings_per_page)]
        result.append(PageResult(source=f"pages/page-{p}.html", url=f"http://127.0.0.1:8000/page-{p}.html", title=f"Page {p}",
                                 findings=findings, screenshot=screenshot, page_size={"width": 640, "height": 400}))
    return RunResult(pages=result, tool={"name": "a11y", "version": "0.1.0", "axe": "4.12.0", "standard": "wcag21aa"},
                     started="2026-01-01T00:00:00+00:00", duration_s=1.0)


def hostile_run() -> RunResult:
    run = make_run(1, 1)
    page = run.pages[0]
    finding = replace(page.findings[0], message=EVIL, html=EVIL, target=EVIL, suggestion=f'alt="{EVIL}"')
    page = replace(page, title=EVIL, url="javascript:alert(4)", findings=[finding, *page.findings[1:]])
    return replace(run, pages=[page, *run.pages[1:]])


# --- pure logic --------------------------------------------------------------------------------


def test_json_for_script_cannot_end_its_element() -> None:
    text = json_for_script({"a": EVIL, "b": "&amp; \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": EVIL, "b": "&amp; \u2028"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<b>", "vbscript:x", "file:///etc/passwd",
                                 "http://127.0.0.1:4000/a.html", "http://localhost/a", "", "https://", "//example.com/a"])
def test_safe_href_refuses_anything_but_public_http(url: str) -> None:
    assert safe_href(url) == ""


def test_safe_href_keeps_http_links() -> None:
    assert safe_href("https://example.com/a?b=1#c") == "https://example.com/a?b=1#c"
    assert safe_href("http://example.com/") == "http://example.com/"


def test_wcag_info_comes_from_the_criteria_table() -> None:
    assert wcag_info("2.5.8") == {"name": "Target Size (Minimum)", "level": "AA",
                                  "url": "https://www.w3.org/WAI/WCAG22/Understanding/target-size-minimum.html"}
    assert wcag_info("4.1.1")["name"] == "Parsing"  # obsolete in 2.2 but still tagged by axe
    assert wcag_info("9.9.9") == {"name": "", "level": "", "url": ""}


def test_jpeg_size_reads_the_frame_header() -> None:
    assert jpeg_size(SAMPLE_JPEG.read_bytes()) == (640, 400)
    assert jpeg_size(b"\x89PNG\r\n") is None
    assert jpeg_size(b"\xff\xd8\xff") is None


def test_view_carries_rule_docs_and_criteria_links() -> None:
    run = make_run(1, 5)
    view = build_view(run)
    assert view["wcag"]["1.1.1"]["url"] == "https://www.w3.org/WAI/WCAG22/Understanding/non-text-content.html"
    assert view["rules"]["alt-is-filename"]["doc"]["What it does"]
    assert set(view["rules"]["alt-is-filename"]["doc"]) <= {"What it does", "Why it matters", "Use instead"}
    assert view["rules"]["image-alt"]["doc"] == {}
    assert view["rules"]["image-alt"]["url"].startswith("https://dequeuniversity.com/")
    assert [f["n"] for f in view["findings"]] == [1, 2, 3, 4, 5]


def test_view_carries_the_criteria_matrix() -> None:
    run = make_run(2, 3)
    run = replace(run, pages=[*run.pages, PageResult(source="pages/broken.html", url="", status="error", error="gone")])
    matrix = build_view(run)["criteria"]
    assert matrix["level"] == "AA" and "cannot prove conformance" in matrix["note"]
    rows = {row["id"]: row for row in matrix["rows"]}
    assert len(rows) == 55 and rows["1.1.1"]["status"] == "fails" and rows["1.1.1"]["pages"] == {"fails": 2}
    assert rows["1.1.1"]["url"].endswith("/non-text-content.html") and rows["1.1.1"]["check"]
    assert "automated checks cannot decide" in rows["1.3.2"]["undecided"]
    first, _, broken = matrix["pages"]
    assert len(first["codes"]) == 55 and broken == {"codes": "", "reasons": {}}  # nothing can be said about a page not audited
    index = [row["id"] for row in matrix["rows"]].index("1.1.1")
    assert matrix["statuses"][int(first["codes"][index])] == "fails"
    assert first["reasons"]["1.1.1"] == "3 violations: alt-is-filename ×1, image-alt ×1, link-name ×1"


def test_hostile_strings_only_travel_escaped() -> None:
    html = render(hostile_run())
    assert html.count("</script>") == 2  # our data block and our code, nothing else
    assert "<img src=x" not in html and "javascript:alert(4)" in html  # the URL is data (as text), never an href
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert data is not None
    view = json.loads(data.group(1))
    assert view["pages"][0]["title"] == EVIL and view["pages"][0]["href"] == ""


def test_csp_allows_exactly_our_inline_script_and_style() -> None:
    html = render(make_run())
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))  # type: ignore[union-attr]
    script = re.findall(r"<script>(.*?)</script>", html, re.S)[-1]
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)  # type: ignore[union-attr]

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert f"script-src {sha(script)};" in csp and f"style-src {sha(style)};" in csp
    assert csp.startswith("default-src 'none';") and "img-src 'self' data:;" in csp and "unsafe" not in csp


def test_render_is_deterministic() -> None:
    assert render(make_run()) == render(make_run())


def test_small_runs_inline_screenshots_large_ones_write_assets(tmp_path: Path) -> None:
    jpeg = SAMPLE_JPEG.read_bytes()
    run = make_run(3, 1, screenshot=jpeg)
    small = screenshot_sources(run)
    assert not small.files and small.sources[0]["src"].startswith("data:image/jpeg;base64,")
    REPORTER.write(run, tmp_path / "inline")
    assert not (tmp_path / "inline" / "a11y-assets").exists()
    large = screenshot_sources(run, inline_limit=len(jpeg))
    assert sorted(large.files) == sorted(asset_name(p.source or "") for p in run.pages)
    assert large.sources[1] == {"src": f"a11y-assets/{asset_name('pages/page-1.html')}", "w": 640, "h": 400}


def test_reporter_is_registered_and_writes_assets(tmp_path: Path) -> None:
    reporter = get_reporter("html")
    assert (reporter.name, reporter.filename) == ("html", "report.html")
    path = HtmlReporter(inline_limit=0).write(make_run(2, 1, screenshot=SAMPLE_JPEG.read_bytes()), tmp_path)
    assert path == tmp_path / "report.html"
    assert sorted(p.name for p in (tmp_path / "a11y-assets").iterdir()) == sorted(asset_name(f"pages/page-{i}.html") for i in range(2))
    assert not list(tmp_path.rglob(".*.tmp"))
    assert f'a11y-assets/{asset_name("pages/page-0.html")}' in path.read_text(encoding="utf-8")


# --- in Chromium -------------------------------------------------------------------------------


def audit_in_thread(targets: list[str], settings: Settings) -> RunResult:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(audit, targets, settings).result()


@pytest.fixture(scope="module")
def shots_run() -> RunResult:
    """pages/ audited once, with screenshots."""
    return audit_in_thread([str(PAGES)], SHOTS)


@pytest.fixture(scope="module")
def report_html(shots_run: RunResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return REPORTER.write(shots_run, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from a11y.pipeline.browser import find_browser, launch_options

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=find_browser().path, **launch_options())
        yield chromium
        chromium.close()


class Watched:
    """A report tab plus everything that must not happen in it."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("dialog", self._dialog)
        page.on("request", lambda r: self.problems.append(f"request: {r.url[:80]}") if not r.url.startswith(("file:", "data:", "blob:")) else None)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path, fragment: str = "") -> Any:
        self.page.goto(path.as_uri() + fragment)
        self.page.wait_for_selector("html[data-ready]")
        return self.page


@pytest.fixture
def open_report(browser: Any) -> Iterator[Callable[..., Watched]]:
    contexts = []

    def opener(width: int = 1280, height: int = 900) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        contexts.append(context)
        return Watched(context.new_page())

    yield opener
    for context in contexts:
        context.close()


def card_impacts(page: Any) -> list[str]:
    return page.eval_on_selector_all("li.finding .badge.impact", "els => els.map(e => e.textContent)")


@pytest.mark.browser
def test_report_renders_every_page_without_errors(report_html: Path, shots_run: RunResult, open_report: Callable[..., Watched]) -> None:
    tab = open_report()
    page = tab.open(report_html)
    total = sum(len(p.findings) for p in shots_run.pages)
    assert page.locator("li.finding").count() == min(total, 50)
    assert page.locator("section.page").count() == len(shots_run.pages)
    assert page.locator("#result-count").text_content().startswith(f"{total} findings on {len(shots_run.pages)} pages")
    # Rule documentation for our rules, axe's help link for axe's, Understanding links for criteria.
    ours = page.locator("li.finding", has=page.locator("code.rule-id", has_text="alt-missing-captioned")).first
    ours.locator("summary", has_text="About the rule").click()
    assert ours.locator("h5", has_text="Why it matters").is_visible()
    assert ours.locator("a[href='https://www.w3.org/WAI/WCAG22/Understanding/non-text-content.html']").count() == 1
    assert page.locator("img[src^='a11y-assets/']").count() >= 4, "big runs show screenshots from a11y-assets/"
    assert page.evaluate("() => [...document.querySelectorAll('.shot-frame img')].every(i => i.complete ? i.naturalWidth > 0 : true)")
    assert tab.problems == [] and tab.dialogs == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [640, 480])
def test_report_fits_a_narrow_window(report_html: Path, open_report: Callable[..., Watched], width: int) -> None:
    """640 CSS px is also what 1280 px at 200% zoom gives: no horizontal scrolling."""
    page = open_report(width=width).open(report_html)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


@pytest.mark.browser
def test_filters_follow_the_fragment(report_html: Path, open_report: Callable[..., Watched]) -> None:
    tab = open_report()
    page = tab.open(report_html)
    page.select_option("#filter-impact", "serious")
    assert set(card_impacts(page)) == {"serious"}
    assert "impact=serious" in page.url
    page.select_option("#filter-status", "violation")
    serious_violations = page.locator("li.finding").count()
    # The fragment is the shareable state: a fresh tab opened on it shows the same thing.
    other = open_report().open(report_html, "#" + page.url.split("#", 1)[1])
    assert other.input_value("#filter-impact") == "serious" and other.input_value("#filter-status") == "violation"
    assert other.locator("li.finding").count() == serious_violations
    # An overview number is a link that sets the filters and moves focus to the results.
    page.click("#clear-filters")
    assert page.input_value("#filter-impact") == ""
    page.locator("#overview a[aria-label$='critical violations']").click()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'results-heading'")
    assert page.input_value("#filter-impact") == "critical" and page.input_value("#filter-status") == "violation"
    assert set(card_impacts(page)) == {"critical"}
    # Text search, rule, WCAG and engine filters.
    page.click("#clear-filters")
    page.fill("#filter-q", "fa-search")  # in the HTML of the icon finding that absorbed axe's button-name
    page.wait_for_function("() => location.hash.includes('q=fa-search')")
    assert page.locator("li.finding").count() >= 1
    assert all("fa-search" in t for t in page.locator("li.finding").all_text_contents())
    page.click("#clear-filters")
    page.select_option("#filter-engine", "a11y")
    page.select_option("#filter-wcag", "1.3.1")
    rules = set(page.locator("li.finding code.rule-id").all_text_contents())
    assert rules and rules <= {"pseudo-list", "caption-not-associated", "list-fragmented", "list-should-be-ordered", "list-manual-markers"}
    page.select_option("#filter-pagestatus", "clean")
    assert page.locator("section.page").count() == 0 or page.locator("li.finding").count() == 0
    assert tab.problems == []


def matrix_statuses(page: Any) -> dict[str, str]:
    script = "rows => rows.map(r => [r.querySelector('th').textContent, r.querySelector('.criterion-status').textContent])"
    rows = page.eval_on_selector_all("#criteria tbody tr", script)
    return {name.split(" ")[0]: status for name, status in rows}


@pytest.mark.browser
def test_criteria_matrix_links_failures_to_their_findings(report_html: Path, shots_run: RunResult, open_report: Callable[..., Watched]) -> None:
    tab = open_report()
    page = tab.open(report_html)
    statuses = matrix_statuses(page)
    assert len(statuses) == 55 and statuses["1.1.1"] == "Fails" and statuses["1.2.2"] == "Not applicable"
    assert page.locator("#criteria .criteria-note").text_content().startswith("Automated checks cannot prove conformance")
    # The seed article on its own: 1.3.1 fails, and its link lists exactly the findings behind it.
    pages = [p.source for p in shots_run.pages]
    seed = pages.index("pages/defense-algeria-article.html")
    page = tab.open(report_html, f"#page={seed}")
    assert matrix_statuses(page)["1.3.1"] == "Fails"
    page.locator("#criteria tbody tr", has=page.locator("th", has_text="1.3.1 Info and Relationships")).locator("a.count-link").click()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'results-heading'")
    assert sorted(page.locator("li.finding code.rule-id").all_text_contents()) == ["caption-not-associated", "caption-not-associated", "pseudo-list"]
    # The fixed article has no automated failures anywhere in its matrix; the narrowing select works.
    page = tab.open(report_html, f"#page={pages.index('pages/defense-algeria-article-fixed.html')}")
    assert "Fails" not in matrix_statuses(page).values()
    page.select_option("#criteria-show", "not-applicable")
    assert set(matrix_statuses(page).values()) == {"Not applicable"}
    assert tab.problems == []


@pytest.mark.browser
def test_boxes_sit_on_the_elements(report_html: Path, shots_run: RunResult, open_report: Callable[..., Watched], browser: Any) -> None:
    """Each numbered box covers its element: checked against the element's box in the live page."""
    from a11y.pipeline.server import PageServer

    index = next(i for i, p in enumerate(shots_run.pages) if (p.source or "").endswith("wordpress-news-story.html"))
    audited = shots_run.pages[index]
    first = sum(len(p.findings) for p in shots_run.pages[:index])
    page = open_report().open(report_html, f"#page={index}")
    layer = page.locator(f"#page-{index} .shot-boxes").bounding_box()
    scale = layer["width"] / audited.page_size["width"]
    server = PageServer(PAGES).start()
    live = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        live.goto(server.url_for(PAGES / "wordpress-news-story.html"))
        checked = 0
        for number, finding in enumerate(audited.findings):
            if not finding.box or " |> " in finding.target:
                continue
            drawn = page.locator(f".shot-box[data-finding='{first + number}']").bounding_box()
            real = live.evaluate("(sel) => { const r = document.querySelector(sel).getBoundingClientRect();"
                                 " return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; }", finding.target)
            for key, origin in (("x", layer["x"]), ("y", layer["y"]), ("width", 0), ("height", 0)):
                assert drawn[key] - origin == pytest.approx(real[key] * scale, abs=2), (finding.rule, key)
            checked += 1
        assert checked >= 3
    finally:
        live.close()
        server.stop()


@pytest.mark.browser
def test_keyboard_only(report_html: Path, open_report: Callable[..., Watched]) -> None:
    tab = open_report()
    page = tab.open(report_html)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Walk on to the search field and the status menu; every stop shows a focus ring.
    for _ in range(40):
        page.keyboard.press("Tab")
        style = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }")
        assert style[0] != "none" and float(style[1].rstrip("px")) >= 2, page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        if page.evaluate("document.activeElement.id") == "filter-status":
            break
    else:
        pytest.fail("the status filter is not reachable by Tab")
    before = page.locator("li.finding").count()
    page.keyboard.press("ArrowDown")  # first option after "Any status": violations
    page.wait_for_function("() => location.hash.includes('status=violation')")
    assert page.locator("li.finding").count() < before
    # A finding's controls work from the keyboard: copy the suggestion, record a decision.
    card = page.locator("li.finding", has=page.locator(".suggestion")).first
    card.locator(".suggestion button").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('announcer').textContent.includes('Copied')")
    card.locator("select").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.getElementById('announcer').textContent.includes('Decision saved')")
    assert tab.problems == []


@pytest.mark.browser
def test_review_round_trip(report_html: Path, open_report: Callable[..., Watched], tmp_path: Path) -> None:
    page = open_report().open(report_html)
    # a page with both a violation and a needs-review finding
    page.select_option("#filter-page", label=next(t for t in page.locator("#filter-page option").all_text_contents() if "wordpress-news-story" in t))
    review_card = page.locator("li.finding", has=page.locator(".badge.status", has_text="Needs review")).first
    violation_card = page.locator("li.finding", has=page.locator(".badge.status", has_text="Violation")).first
    review_fp = review_card.get_attribute("data-fingerprint")
    violation_fp = violation_card.get_attribute("data-fingerprint")
    # Pin the cards: their status badges change as decisions are made.
    review_card = page.locator(f"li.finding[data-fingerprint='{review_fp}']")
    violation_card = page.locator(f"li.finding[data-fingerprint='{violation_fp}']")
    review_card.locator("select").select_option("fail")
    violation_card.locator("select").select_option("false-positive")
    violation_card.locator("textarea").fill('Decorative: the <img> is "hidden" | ok')
    violation_card.locator("textarea").blur()
    assert violation_card.locator(".badge.status").text_content() == "False positive"
    with page.expect_download() as download:
        page.click("#download-review")
    review_file = tmp_path / "review.json"
    download.value.save_as(review_file)
    assert download.value.suggested_filename == "review.json"

    exported = json.loads(review_file.read_text(encoding="utf-8"))
    assert exported["schema"] == "a11y-review/1"
    assert exported["decisions"][violation_fp]["note"] == 'Decorative: the <img> is "hidden" | ok'
    assert set(exported["decisions"][violation_fp]) == {"decision", "note", "rule", "page", "target", "date"}
    # A decision left from an older run, to be listed as stale.
    exported["decisions"]["0" * 20] = {"decision": "accepted", "note": "old", "rule": "image-alt", "page": "pages/wordpress-news-story.html",
                                       "target": "img.gone"}
    review_file.write_text(json.dumps(exported), encoding="utf-8")

    # Re-run the audit, apply the file, render again, and open it in a fresh browser profile.
    decisions = load_review(review_file)
    assert decisions[review_fp]["decision"] == "fail"
    rerun = audit_in_thread([str(PAGES / "wordpress-news-story.html")], SHOTS)
    fresh = REPORTER.write(apply_review(rerun, decisions), tmp_path / "again")
    tab = open_report()
    page = tab.open(fresh)
    again = page.locator(f"li.finding[data-fingerprint='{violation_fp}']")
    assert again.locator("select").input_value() == "false-positive"
    assert again.locator("textarea").input_value() == 'Decorative: the <img> is "hidden" | ok'
    assert again.locator(".badge.status").text_content() == "False positive"
    assert "from the review file" in again.locator(".review-saved").text_content()
    failed = page.locator(f"li.finding[data-fingerprint='{review_fp}']")
    assert failed.locator(".badge.status").text_content() == "Violation"
    assert page.locator("#overview a[aria-label$='false positives']").text_content() == "1"
    stale = page.locator("#review-panel table")
    assert "img.gone" in stale.text_content() and "0" * 20 in stale.text_content()
    page.select_option("#filter-status", "false-positive")
    assert page.locator("li.finding").count() == 1
    assert tab.problems == []


@pytest.mark.browser
def test_report_passes_its_own_audit(report_html: Path) -> None:
    """The report is a page we would pass: WCAG 2.2 AA with axe-core and our publishing rules."""
    run = audit_in_thread([str(report_html)], Settings(standard="wcag22aa", settle_ms=300))
    assert run.pages[0].status == "ok", run.pages[0].error
    violations = [(f.rule, f.target, f.message) for f in run.pages[0].findings if f.outcome == "violation"]
    assert violations == []


@pytest.mark.browser
def test_hostile_page_runs_nothing(open_report: Callable[..., Watched], tmp_path: Path) -> None:
    run = audit_in_thread([str(HOSTILE)], SHOTS)
    assert run.pages[0].status == "ok" and len(run.pages[0].findings) >= 4
    path = REPORTER.write(run, tmp_path)
    assert path.read_text(encoding="utf-8").count("</script>") == 2
    tab = open_report()
    page = tab.open(path)
    page.locator("summary", has_text="About the rule").first.click()
    page.fill("#filter-q", "onerror")
    page.wait_for_function("() => location.hash.includes('q=onerror')")
    page.locator("li.finding select").first.select_option("confirmed")
    page.locator("li.finding textarea").first.fill('"><img src=x onerror=alert(99)>')
    page.wait_for_timeout(600)
    text = page.evaluate("document.body.textContent")
    for shown in ('</script><script>alert("title")</script>', '"><img src=x onerror=alert(4)>', "javascript:alert(8)",
                  '<script>alert("caption")</script>', "<!--<script>"):
        assert shown in text
    injected = page.evaluate("""() => ({
        scripts: document.scripts.length,
        xImages: document.querySelectorAll('img[src="x"], [onerror]').length,
        badLinks: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')).filter(h => !/^(https?:|#)/i.test(h)),
    })""")
    assert injected == {"scripts": 2, "xImages": 0, "badLinks": []}
    assert tab.dialogs == [] and tab.problems == []


@pytest.mark.browser
def test_500_pages_and_10000_findings_stay_usable(open_report: Callable[..., Watched], tmp_path: Path) -> None:
    """A synthetic run of 500 pages x 20 findings: rendering is paged, filters stay quick."""
    run = make_run(500, 20, screenshot=SAMPLE_JPEG.read_bytes())
    started = time.perf_counter()
    path = REPORTER.write(run, tmp_path)
    written = time.perf_counter() - started
    tab = open_report()
    started = time.perf_counter()
    page = tab.open(path)
    opened = time.perf_counter() - started
    assert page.locator("li.finding").count() == 50
    assert page.locator("#result-count").text_content().startswith("10000 findings on 500 pages")
    started = time.perf_counter()
    page.select_option("#filter-impact", "minor")
    filtered = time.perf_counter() - started
    assert page.locator("#result-count").text_content().startswith("2500 findings")
    started = time.perf_counter()
    page.fill("#filter-q", "page 499")
    page.wait_for_function("() => document.getElementById('result-count').textContent.startsWith('5 findings on 1 page')")
    searched = time.perf_counter() - started
    page.click("#clear-filters")
    page.click("#show-more")
    assert page.locator("li.finding").count() == 100
    assert page.evaluate("document.activeElement.closest('li.finding') !== null"), "focus moves to the first new finding"
    size_mb = path.stat().st_size / 1e6
    print(f"\n500x20 report: {size_mb:.1f} MB html, write {written:.2f} s, open {opened:.2f} s, "
          f"impact filter {filtered * 1000:.0f} ms, search {searched * 1000:.0f} ms (incl. 200 ms debounce)")
    assert tab.problems == []
