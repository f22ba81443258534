"""GitHub Actions integration: workflow-command annotations and the step summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.sourcemap import locate_findings
from a11y.reports.github import annotations, append_step_summary, command, escape_data, escape_property
from tests.conftest import PAGES


def make(rule: str, impact: str = "serious", outcome: str = "violation", **extra) -> Finding:
    return Finding(rule=rule, engine="axe", outcome=outcome, impact=impact, target=extra.pop("target", "img"),  # type: ignore[arg-type]
                   html="<img>", message=extra.pop("message", f"{rule} message"), help=f"{rule} help",
                   help_url=f"https://rules.example/{rule}", **extra)


def run_of(*pages: PageResult) -> RunResult:
    return RunResult(pages=list(pages), tool={"name": "a11y", "version": "0"}, started="2024-01-01T00:00:00+00:00")


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext%3A a%2Cb"
    assert escape_data("%0A") == "%250A"  # already-encoded text stays literal
    assert command("error", "bad\nthing", file="a,b.html", line=3, col=None, title="t: x") == \
        "::error file=a%2Cb.html,line=3,title=t%3A x::bad%0Athing"
    assert command("notice", "plain") == "::notice::plain"


def test_annotation_levels_locations_and_escaping(tmp_path: Path) -> None:
    critical = make("image-alt", "critical", source_location={"line": 12, "column": 5},
                    message="Image has no alt: 50% of \"images\"\r\n::set-output name=x::pwned", suggestion="Add alt, e.g. alt=\"Harbor\"")
    moderate = make("heading-order", "moderate", target="h4", source_location={"line": 20, "column": 3})
    review = make("color-contrast", outcome="needs-review", target="p")
    waived = make("region", "moderate", review={"decision": "accepted", "note": "ok"})
    false_positive = make("list", "serious", review={"decision": "false-positive", "note": ""})
    crashed = make("pseudo-list", outcome="error")
    page = PageResult(source="site/a,b: story.html", url="", findings=[critical, moderate, review, waived, false_positive, crashed])
    remote = PageResult(source=None, url="https://news.example/x?a=1,2", findings=[make("link-name", "minor", target="a.more")])
    lines = annotations(run_of(page, remote), cwd=tmp_path)
    assert len(lines) == 4  # waived, false positives and rule errors are not annotated
    assert lines[0].startswith("::error file=site/a%2Cb%3A story.html,line=12,col=5,title=a11y image-alt (critical)::")
    message = lines[0].split("::", 2)[2]
    assert "\n" not in message and "\r" not in message
    assert message.startswith("Image has no alt: 50%25 of \"images\"%0D%0A::set-output name=x::pwned%0ASuggestion: Add alt, e.g. alt=\"Harbor\"")
    assert "%0AElement: img%0AMore: https://rules.example/image-alt" in message
    # below the gate's threshold (serious) or needing review: notices, the most severe first
    assert lines[1].startswith("::notice file=site/a%2Cb%3A story.html,title=a11y color-contrast (serious)::")
    assert lines[2].startswith("::notice file=site/a%2Cb%3A story.html,line=20,col=3,title=a11y heading-order (moderate)::")
    assert lines[3].startswith("::notice title=a11y link-name (minor)::")  # a URL page: no file, the page in the message
    assert "%0APage: https://news.example/x?a=1,2" in lines[3]


def test_reviewed_needs_review_findings_follow_their_decision(tmp_path: Path) -> None:
    failed = make("color-contrast", outcome="needs-review", review={"decision": "fail", "note": ""})
    passed = make("color-contrast", outcome="needs-review", target="p", review={"decision": "pass", "note": ""})
    lines = annotations(run_of(PageResult(source="a.html", url="", findings=[failed, passed])), cwd=tmp_path)
    assert len(lines) == 1 and lines[0].startswith("::error file=a.html,")


def test_only_failing_and_new_findings_are_annotated_and_the_list_is_bounded(tmp_path: Path) -> None:
    known = [make("image-alt", "critical", target=f"#known{i}", baseline="known") for i in range(30)]
    new = [make("heading-order", "moderate", target=f"#new{i}", baseline="new") for i in range(30)]
    failing = make("image-alt", "critical", target="#failing", baseline="new")
    page = PageResult(source="a.html", url="", findings=[*known, *new, failing])
    lines = annotations(run_of(page), limit=20, cwd=tmp_path)
    assert len(lines) == 21 and not any("#known" in line for line in lines)  # the baseline's findings: never annotated
    assert lines[0].startswith("::error ") and "#failing" in lines[0] and "[new]" in lines[0]
    assert all(line.startswith("::notice ") and "#new" in line for line in lines[1:20])
    assert lines[20] == "::notice title=a11y%3A more findings::11 more accessibility finding(s) not annotated (limit 20); see the a11y report."


def test_without_a_baseline_the_most_severe_come_first(tmp_path: Path) -> None:
    page_a = PageResult(source="a.html", url="", findings=[make("heading-order", "minor", target="h4")])
    page_b = PageResult(source="b.html", url="", findings=[make("image-alt", "critical")])
    lines = annotations(run_of(page_a, page_b), limit=1, cwd=tmp_path)
    assert lines[0].startswith("::error file=b.html,") and "1 more" in lines[1]


def test_absolute_sources_outside_the_workspace_keep_their_path(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "x.html"
    line = annotations(run_of(PageResult(source=str(outside), url="", findings=[make("image-alt")])), cwd=tmp_path / "repo")[0]
    assert f"file={escape_property(outside.as_posix())}," in line


def test_step_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    append_step_summary("# nothing happens")  # not on Actions: no file, no error
    target = tmp_path / "summary.md"
    target.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    append_step_summary("## a11y\n\n| page | violations |\n| --- | --- |\n| café | 2 |")
    append_step_summary("second\n")
    assert target.read_text(encoding="utf-8") == "# earlier step\n## a11y\n\n| page | violations |\n| --- | --- |\n| café | 2 |\nsecond\n"


def test_step_summary_is_cut_to_githubs_limit_and_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    append_step_summary("é" * 700_000)  # 1.4 MB of UTF-8
    data = target.read_bytes()
    assert len(data) <= 1024 * 1024 and data.decode("utf-8").endswith("see the full report)_\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing-dir" / "summary.md"))
    append_step_summary("lost, quietly")


@pytest.mark.browser
def test_annotations_for_a_real_run_point_at_source_lines(pages_run: RunResult) -> None:
    run = locate_findings(pages_run)
    lines = annotations(run)
    seed = PAGES / "defense-algeria-article.html"
    expected = next(n for n, text in enumerate(seed.read_text(encoding="utf-8").splitlines(), start=1) if "<h4>Related Stories</h4>" in text)
    heading = next(line for line in lines if "heading-order" in line and "defense-algeria-article.html" in line)
    assert heading.startswith("::notice file=") and f",line={expected}," in heading  # moderate: below the gate's threshold
    assert len(lines) == min(50, sum(1 for _, f in run.findings() if f.status in ("violation", "needs-review")))
