"""report.md: a pull-request comment that hostile page data cannot break, and that stays small."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import a11y.reports.markdown_report as markdown_report
from a11y.model import Finding, PageResult, RunResult
from a11y.reports import get_reporter
from a11y.reports.markdown_report import REPORTER, md_code, md_text

EVIL = '</script><script>alert(1)</script> "><img src=x onerror=alert(2)> | col | `tick` [x](javascript:alert(3)) @octocat http://evil.example *b* $x$'


def to_html(markdown: str) -> str:
    """What GitHub would make of it, near enough: CommonMark plus tables."""
    return MarkdownIt("commonmark").enable("table").render(markdown)


def finding(n: int, impact: str = "serious", outcome: str = "violation", **extra: object) -> Finding:
    values: dict[str, object] = {"rule": "image-alt", "engine": "axe", "outcome": outcome, "impact": impact, "target": f"img.n{n}",
                                 "html": "<img>", "message": f"Image {n} has no text alternative.", "wcag": ["1.1.1"],
                                 "help": "Images must have alternative text", "help_url": "https://dequeuniversity.com/rules/axe/4.12/image-alt"}
    values.update(extra)
    return Finding(**values)  # type: ignore[arg-type]


def run_of(pages: list[PageResult]) -> RunResult:
    return RunResult(pages=pages, tool={"name": "a11y", "version": "0.1.0", "axe": "4.12.0", "standard": "wcag21aa"}, started="2026-01-01T00:00:00+00:00")


def hostile_run() -> RunResult:
    bad = finding(0, "critical", target=EVIL, message=EVIL, help=EVIL, rule="alt-is-filename", help_url="javascript:alert(4)")
    page = PageResult(source=EVIL, url="http://127.0.0.1:1/x.html", title=EVIL, findings=[bad, finding(1)])
    broken = PageResult(source="pages/broken.html", url="", status="error", error=EVIL)
    return run_of([page, broken])


def test_totals_and_worst_findings_first() -> None:
    page = PageResult(source="pages/a.html", url="", findings=[finding(1, "minor"), finding(2, "critical"), finding(3, "serious", "needs-review")])
    text = REPORTER.render(run_of([page, PageResult(source="pages/b.html", url="")]))
    assert "**❌ failed: 1 violation at or above serious**" in text  # the gate's verdict heads the report
    assert "2 violations on 2 pages · 1 need review" in text
    assert "| critical | 1 |" in text and "| minor | 1 |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`pages/a.html`" in line]
    assert [row.split(" | ")[0] for row in rows] == ["| critical", "| minor", "| serious"]  # violations first, then needs review
    assert "[image-alt](https://dequeuniversity.com/rules/axe/4.12/image-alt)" in text


def test_clean_run() -> None:
    text = REPORTER.render(run_of([PageResult(source="pages/a.html", url="")]))
    assert text.startswith("## Accessibility report\n") and "**✅ passed: 0 violations at or above serious**" in text
    assert "Worst findings" not in text


def test_hostile_data_renders_as_text() -> None:
    text = REPORTER.render(hostile_run())
    html = to_html(text)
    assert "<script" not in html and "<img" not in html
    hrefs = re.findall(r'<a href="([^"]*)"', html)
    assert hrefs[0] == "https://dequeuniversity.com/rules/axe/4.12/image-alt"
    assert all(h.startswith("https://www.w3.org/WAI/WCAG22/Understanding/") for h in hrefs[1:])  # the criteria's documents, nothing else
    assert "@\u2060octocat" in text and "@octocat" not in text.replace("@\u2060", "")
    # Every table row keeps its columns although the data is full of pipes.
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        widths = {len(re.findall(r"<t[hd][ >]", row)) for row in re.findall(r"<tr>.*?</tr>", table, re.S)}
        assert len(widths) == 1, widths
    assert "alert(4)" not in text  # a javascript: help URL is dropped, not linked
    assert "Pages that could not be audited" in text


def test_md_text_and_code_escape() -> None:
    assert to_html(md_text("a <b>c</b> & [l](u) *e*")).strip() == "<p>a &lt;b&gt;c&lt;/b&gt; &amp; [l](u) *e*</p>"
    assert "href" not in to_html(md_text("see http://example.com and www.example.com"))
    assert md_code("a``b|c") == "```a``b\\|c```"
    assert md_code("`x`") == "`` `x` ``"
    assert md_text("x" * 500).endswith("…") and len(md_text("x" * 500)) == 160


def test_size_is_bounded_for_huge_runs() -> None:
    long = "A very long message that goes on and on about the element. " * 20
    pages = [PageResult(source=f"pages/p{p}.html", url="", findings=[finding(n, target=f"div.p{p} > img:nth-of-type({n})", message=long,
                                                                               rule=f"rule-{n % 30}") for n in range(20)]) for p in range(500)]
    text = REPORTER.render(run_of(pages))
    assert len(text) <= markdown_report.SIZE_LIMIT
    assert "and 9950 more findings" in text


def test_drops_links_then_rows_when_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [PageResult(source=f"pages/p{p}.html", url="", findings=[finding(n, rule=f"rule-{n}") for n in range(15)]) for p in range(5)]
    full = REPORTER.render(run_of(pages))
    assert "](https://" in full
    monkeypatch.setattr(markdown_report, "SIZE_LIMIT", len(full) - 100)
    shorter = REPORTER.render(run_of(pages))
    assert "](https://" not in shorter and len(shorter) <= len(full) - 100
    monkeypatch.setattr(markdown_report, "SIZE_LIMIT", 3000)
    tiny = REPORTER.render(run_of(pages))
    assert len(tiny) <= 3000 and "more findings" in tiny


def test_criteria_matrix_lists_failures_then_every_criterion() -> None:
    alt = finding(1, fingerprint="fp1")
    best_practice = finding(2, rule="region", wcag=[], tags=["best-practice"], impact="moderate")
    text = REPORTER.render(run_of([PageResult(source="pages/a.html", url="", findings=[alt, best_practice]), PageResult(source="pages/b.html", url="")]))
    section = text[text.index("### WCAG 2.2 Level AA criteria"):]
    assert section.count("cannot prove conformance") == 1
    assert "55 criteria on 2 pages: 1 fails," in section
    failing = "| [1.1.1 Non-text Content](https://www.w3.org/WAI/WCAG22/Understanding/non-text-content.html) | A | **Fails** | fails 1, "
    assert section.count(failing) == 2  # in the table of criteria with findings, and in the full table
    flagged = section[: section.index("<details>")]
    assert flagged.count("\n| [") == 1  # only 1.1.1 has findings
    full = to_html(section[section.index("<details>"):])
    assert full.count("<tr>") == 56 and "What a person must check" in full
    assert "not applicable: no audited page has video" in section


def test_criteria_matrix_without_links_when_shrunk(monkeypatch: pytest.MonkeyPatch) -> None:
    run = run_of([PageResult(source="pages/a.html", url="", findings=[finding(1)])])
    full = REPORTER.render(run)
    monkeypatch.setattr(markdown_report, "SIZE_LIMIT", len(full) - 100)
    shorter = REPORTER.render(run)
    assert "](https://" not in shorter and "<details>" not in shorter
    assert "| 1.1.1 Non-text Content | A | **Fails** |" in shorter
    assert "Every criterion, with what a person must check, is in report.html and report.json." in shorter


def test_reporter_writes_report_md(tmp_path: Path) -> None:
    reporter = get_reporter("md")
    assert (reporter.name, reporter.filename) == ("md", "report.md")
    path = reporter.write(hostile_run(), tmp_path)
    assert path == tmp_path / "report.md"
    assert path.read_text(encoding="utf-8") == REPORTER.render(hostile_run())
