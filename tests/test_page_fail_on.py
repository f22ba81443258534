"""[[pages]] fail-on: a page whose URL an entry's regex matches is judged at that entry's level, by
the one gate every output reads (issue 20)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from a11y.ci.config import validate
from a11y.ci.finish import Finishing
from a11y.model import Finding, PageResult, RunResult
from a11y.reports import get_reporter
from a11y.reports.github import annotations
from a11y.steps import plan_for

HOST = "http://127.0.0.1:8000"


def _finding(rule: str, impact: str) -> Finding:
    return Finding(rule=rule, engine="a11y", outcome="violation", impact=impact, target="img", html="<img>",  # type: ignore[arg-type]
                   message=f"{rule} message", fingerprint=f"fp-{rule}")


def _page(path: str, *impacts: str) -> PageResult:
    return PageResult(source=f"site{path}", url=f"{HOST}{path}", findings=[_finding(f"rule-{i}-{impact}", impact) for i, impact in enumerate(impacts)])


def _finished(audited: list[PageResult], **config: Any) -> RunResult:
    """The run finished as the CLI finishes it, with ``config`` read as a11y.toml's keys."""
    finishing = Finishing.load(validate(config, "a11y.toml"), "a11y.toml")
    return finishing.run(RunResult(pages=audited, tool={"name": "a11y"}, started="2026-01-01T00:00:00+00:00"))


LENIENT_AND_STRICT = [{"match": "/drafts/", "fail-on": "critical"}, {"match": "/checkout/", "fail-on": "moderate"}]


def _failing(run: RunResult) -> list[tuple[str, str]]:
    assert run.verdict is not None
    return [(page.key, finding.impact) for page, finding in run.findings() if run.verdict.fails(finding)]


def test_each_page_is_judged_at_its_entrys_level_and_the_others_at_the_runs() -> None:
    pages = [_page("/drafts/a.html", "serious"), _page("/checkout/pay.html", "moderate", "minor"), _page("/news/b.html", "moderate")]
    run = _finished(pages, pages=LENIENT_AND_STRICT)
    assert _failing(run) == [("site/checkout/pay.html", "moderate")]  # drafts: serious < critical; news: moderate < serious
    assert run.verdict is not None and run.verdict.code == 1
    assert run.verdict.page_fail_on == (("site/drafts/a.html", "critical"), ("site/checkout/pay.html", "moderate"))
    assert run.verdict.reason == "1 violation at or above serious, [[pages]] fail-on: critical on 1 page(s), moderate on 1 page(s)"
    verdict = run.to_dict()["verdict"]
    assert verdict["failing"] == 1 and verdict["page_fail_on"] == [{"page": "site/drafts/a.html", "fail_on": "critical"},
                                                                   {"page": "site/checkout/pay.html", "fail_on": "moderate"}]


def test_a_lenient_entry_alone_lets_its_pages_pass() -> None:
    run = _finished([_page("/drafts/a.html", "serious"), _page("/news/b.html", "moderate")], pages=LENIENT_AND_STRICT[:1])
    assert run.verdict is not None and run.verdict.code == 0 and run.verdict.passed and _failing(run) == []
    without = _finished([_page("/drafts/a.html", "serious"), _page("/news/b.html", "moderate")])
    assert without.verdict is not None and without.verdict.code == 1 and without.verdict.page_fail_on == ()
    assert without.verdict.reason == "1 violation at or above serious"  # no entry: the reason reads as before


def test_the_last_matching_entry_that_sets_fail_on_wins_as_the_pages_plan_says() -> None:
    entries = [{"match": "/news/", "fail-on": "critical"}, {"match": "/news/live/", "fail-on": "minor"},
               {"match": "/news/", "steps": ["wait 0"]}]  # an entry without fail-on changes no level
    pages = [_page("/news/live/1.html", "minor"), _page("/news/2.html", "serious")]
    run = _finished(pages, pages=entries)
    assert _failing(run) == [("site/news/live/1.html", "minor")]
    rules = validate({"pages": entries}, "a11y.toml")["pages"]
    assert [plan_for(page.url, rules).fail_on for page in pages] == ["minor", "critical"]  # the steps' plan agrees with the gate


def test_fail_on_none_for_the_run_still_fails_pages_whose_entry_sets_a_level() -> None:
    pages = [_page("/checkout/pay.html", "serious"), _page("/news/b.html", "critical")]
    run = _finished(pages, pages=[{"match": "/checkout/", "fail_on": "serious"}], fail_on="none")
    assert _failing(run) == [("site/checkout/pay.html", "serious")]
    assert run.verdict is not None and run.verdict.code == 1
    assert run.verdict.reason == "1 violation at their [[pages]] fail-on (serious on 1 page(s)); --fail-on none on the other pages"


def test_run_gate_with_another_fail_on_keeps_the_entries_levels() -> None:
    from a11y.api import Run

    pages = [_page("/drafts/a.html", "serious"), _page("/news/b.html", "moderate")]
    values = validate({"pages": LENIENT_AND_STRICT}, "a11y.toml")
    run = Run.of(Finishing.load(values).run(RunResult(pages=pages, tool={}, started="")), values)
    verdict = run.gate(fail_on="moderate")
    assert [f.impact for f in verdict.failing] == ["moderate"]  # news at moderate; drafts still at critical


def test_error_pages_and_pages_no_entry_matches_keep_the_runs_level() -> None:
    broken = PageResult(source="site/drafts/gone.html", url="", status="error", error="no such file")
    run = _finished([broken, _page("/other/a.html", "serious")], pages=LENIENT_AND_STRICT)
    assert run.verdict is not None and run.verdict.code == 2 and run.verdict.page_fail_on == ()
    assert _failing(run) == [("site/other/a.html", "serious")]


def test_every_report_reads_the_per_page_levels(tmp_path: Path) -> None:
    pages = [_page("/drafts/a.html", "serious"), _page("/checkout/pay.html", "moderate"), _page("/news/b.html", "moderate")]
    run = _finished(pages, pages=LENIENT_AND_STRICT)
    for name in ("json", "md", "junit", "sarif"):
        get_reporter(name).write(run, tmp_path)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["verdict"]["failing"] == 1 and report["verdict"]["status"] == "failed"
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert markdown.startswith("## Accessibility report\n\n**❌ failed: 1 violation at or above serious, \\[\\[pages\\]\\] fail-on: ")
    junit = ET.fromstring((tmp_path / "junit.xml").read_bytes())
    failed = [case.get("classname") for case in junit.iter("testcase") if case.find("failure") is not None]
    assert failed == ["site/checkout/pay.html"] and junit.get("failures") == "1"
    sarif = json.loads((tmp_path / "report.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["properties"]["gate"] == report["verdict"]
    errors = [line for line in annotations(run, cwd=tmp_path) if line.startswith("::error ")]
    assert len(errors) == 1 and "rule-0-moderate" in errors[0]


DRAFT = """<!DOCTYPE html><html lang="en"><head><title>Draft</title></head><body><main>
<h1>Draft story</h1>
<p><img src="IMG_1234.jpg" alt="IMG_1234.jpg" width="200" height="100"></p>
</main></body></html>
"""  # one serious violation: alt-is-filename
STEPS = """<!DOCTYPE html><html lang="en"><head><title>Set up the router</title></head><body><main>
<h1>Set up the router</h1>
<ol><li>Plug in the router.</li><li>Wait for the green light.</li></ol>
<ol start="3"><li>Open the setup page.</li><li>Choose a password.</li></ol>
</main></body></html>
"""  # one moderate violation: list-fragmented


@pytest.mark.browser
def test_cli_gate_applies_each_entrys_fail_on(tmp_path: Path, run_cli) -> None:
    for path, html in (("site/drafts/draft.html", DRAFT), ("site/howto/router.html", STEPS)):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(html, encoding="utf-8")
    config = tmp_path / "a11y.toml"
    config.write_text('settle_ms = 0\nformats = ["json", "md"]\n\n[[pages]]\nmatch = "/drafts/"\nfail-on = "critical"\n\n'
                      '[[pages]]\nmatch = "/howto/"\nfail-on = "moderate"\n', encoding="utf-8")

    both = run_cli("audit", "site", "--out", "both", cwd=tmp_path)
    assert both.returncode == 1, both.stdout + both.stderr
    report = json.loads((tmp_path / "both/report.json").read_text(encoding="utf-8"))
    failing = [(p["source"], f["rule"]) for p in report["pages"] for f in p["findings"] if f["status"] == "violation"]
    assert sorted(failing) == [("site/drafts/draft.html", "alt-is-filename"), ("site/howto/router.html", "list-fragmented")]
    verdict = report["verdict"]
    assert verdict["failing"] == 1 and verdict["exit_code"] == 1  # the moderate one fails, the serious draft does not
    assert verdict["page_fail_on"] == [{"page": "site/drafts/draft.html", "fail_on": "critical"},
                                       {"page": "site/howto/router.html", "fail_on": "moderate"}]
    markdown = (tmp_path / "both/report.md").read_text(encoding="utf-8")
    assert "**❌ failed: 1 violation at or above serious, \\[\\[pages\\]\\] fail-on: critical on 1 page\\(s\\), moderate on 1 page\\(s\\)**" in markdown
    assert f"gate: failed ({verdict['reason']})" in both.stdout and "site/howto/router.html:3  moderate  list-fragmented" in both.stdout

    config.write_text('settle_ms = 0\nformats = ["json", "md"]\n\n[[pages]]\nmatch = "/drafts/"\nfail-on = "critical"\n', encoding="utf-8")
    lenient = run_cli("audit", "site", "--out", "lenient", cwd=tmp_path)
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    verdict = json.loads((tmp_path / "lenient/report.json").read_text(encoding="utf-8"))["verdict"]
    assert verdict["status"] == "passed" and verdict["failing"] == 0
    assert (tmp_path / "lenient/report.md").read_text(encoding="utf-8").startswith("## Accessibility report\n\n**✅ passed: ")
