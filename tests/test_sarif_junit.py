"""SARIF 2.1.0 and JUnit XML reports: hand-built runs for the logic, a real run of pages/ end to end."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from a11y.ci.gate import verdict_of
from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.sourcemap import locate_findings
from a11y.reports import get_reporter
from a11y.reports.junit_report import JunitReporter
from a11y.reports.sarif_report import FINGERPRINT_KEY, SRCROOT, SarifReporter, sarif_log
from a11y.rules import all_rules
from tests.conftest import PAGES, page_by_source

SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"  # shipped: see tests/data/README.md
SEED = PAGES / "defense-algeria-article.html"

STORY = """<!DOCTYPE html>
<html lang="en">
<head><title>Story</title></head>
<body>
  <h1>Harbor cleanup</h1>
  <h4>Related</h4>
  <figure><img src="photo.jpg"></figure>
  <p class="caption">Volunteers at dawn</p>
</body>
</html>
"""


def make_finding(rule: str, target: str, *, engine: str = "axe", outcome: str = "violation", impact: str = "serious",
                 fingerprint: str, **extra) -> Finding:
    return Finding(rule=rule, engine=engine, outcome=outcome, impact=impact, target=target,  # type: ignore[arg-type]
                   html=extra.pop("html", f"<{target.split()[-1]}>"), message=extra.pop("message", f"{rule} message"),
                   help=extra.pop("help", f"{rule} help"), help_url=extra.pop("help_url", f"https://rules.example/{rule}"),
                   fingerprint=fingerprint, **extra)


def hand_built_run(root: Path) -> RunResult:
    (root / "site").mkdir(parents=True, exist_ok=True)
    (root / "site" / "story.html").write_text(STORY, encoding="utf-8")
    story = PageResult(source="site/story.html", url="http://127.0.0.1:5555/story.html", title="Story", findings=[
        make_finding("image-alt", "figure > img", impact="critical", tags=["wcag2a", "wcag111"], wcag=["1.1.1"], act=["23a2a8"],
                     baseline="new", fingerprint="fp-image-alt"),
        make_finding("heading-order", "h4", impact="moderate", baseline="known", fingerprint="fp-heading"),
        make_finding("color-contrast", "p.caption", outcome="needs-review", fingerprint="fp-contrast"),
        make_finding("caption-not-associated", "figure > img", engine="a11y", impact="moderate", fingerprint="fp-caption",
                     review={"decision": "accepted", "note": "legacy template"}),
        make_finding("alt-placeholder", "figure > img", engine="a11y", fingerprint="fp-placeholder",
                     review={"decision": "false-positive", "note": ""}),
        make_finding("alt-empty-captioned", "figure > img", engine="a11y", outcome="needs-review", impact="moderate",
                     fingerprint="fp-empty", review={"decision": "pass", "note": "decorative"}),
        make_finding("pseudo-list", "html", engine="a11y", outcome="error", fingerprint="fp-crash",
                     message="rule pseudo-list crashed on this page (KeyError: 'x'); other rules still ran"),
    ], applied={"image-alt": 1, "heading-order": 2, "color-contrast": 4, "caption-not-associated": 1, "alt-placeholder": 1,
                "alt-empty-captioned": 1, "region": 3})
    remote = PageResult(source=None, url="https://news.example/story?id=1&x=2", title="Remote", findings=[
        make_finding("link-name", "a.more", fingerprint="fp-link", message="Link text\x00 has control\x0b chars \ud800 and <tags> & \"quotes\"",
                     suggestion="Give the link text"),
    ], applied={"link-name": 4, "image-alt": 2})
    broken = PageResult(source="site/broken.html", url="", status="error", error="page did not respond within 70 s")
    return RunResult(pages=[story, remote, broken], tool={"name": "a11y", "version": "0.1.0", "axe": "4.11.0", "browser": "Chromium 1"},
                     started="2024-05-01T10:00:00+00:00", duration_s=1.5)


@pytest.fixture
def built(tmp_path: Path) -> tuple[RunResult, Path]:
    return locate_findings(hand_built_run(tmp_path), cwd=tmp_path), tmp_path


def results_by_rule(log: dict) -> dict[str, dict]:
    return {result["ruleId"]: result for result in log["runs"][0]["results"]}


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    """The OASIS SARIF 2.1.0 schema, shipped under tests/data/."""
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def validate(log: dict, schema: dict) -> None:
    import jsonschema

    jsonschema.validate(log, schema)


# -- SARIF on a hand-built run ----------------------------------------------------------------------
def test_sarif_structure(built) -> None:
    run, root = built
    log = sarif_log(run, root)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    sarif_run = log["runs"][0]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "a11y" and driver["version"] == "0.1.0" and driver["informationUri"].startswith("https://")
    assert sarif_run["tool"]["extensions"][0]["name"] == "axe-core"
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    assert sarif_run["originalUriBaseIds"][SRCROOT]["uri"] == root.resolve().as_uri() + "/"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(ids)
    assert {rule.id for rule in all_rules()} | {"image-alt", "heading-order", "color-contrast", "link-name"} == set(ids)
    for result in sarif_run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"][FINGERPRINT_KEY]
    assert len(sarif_run["results"]) == 7  # the crash is a notification, not a result


def test_sarif_rules_carry_documentation_and_wcag(built) -> None:
    run, root = built
    rules = {rule["id"]: rule for rule in sarif_log(run, root)["runs"][0]["tool"]["driver"]["rules"]}
    ours = rules["caption-not-associated"]
    assert ours["shortDescription"]["text"].startswith("Captions must be tied")
    assert "## What it does" in ours["help"]["markdown"] and "```html" in ours["help"]["markdown"]
    assert ours["helpUri"].endswith("#caption-not-associated")
    assert "WCAG 1.3.1" in ours["properties"]["tags"] and "accessibility" in ours["properties"]["tags"]
    assert ours["defaultConfiguration"]["level"] == "warning"
    assert rules["alt-empty-captioned"]["defaultConfiguration"]["level"] == "note"  # a needs-review rule
    axe = rules["image-alt"]
    assert axe["helpUri"] == "https://rules.example/image-alt"
    assert "WCAG 1.1.1" in axe["properties"]["tags"] and axe["properties"]["act"] == ["23a2a8"]
    assert axe["defaultConfiguration"]["level"] == "error"
    assert rules["color-contrast"]["defaultConfiguration"]["level"] == "note"
    for rule in rules.values():
        assert len(rule["properties"]["tags"]) == len(set(rule["properties"]["tags"]))


def test_sarif_levels_suppressions_and_baseline(built) -> None:
    run, root = built
    results = results_by_rule(sarif_log(run, root))
    assert results["image-alt"]["level"] == "error" and results["image-alt"]["baselineState"] == "new"
    assert results["heading-order"]["level"] == "warning" and results["heading-order"]["baselineState"] == "unchanged"
    assert results["color-contrast"]["level"] == "note" and "baselineState" not in results["color-contrast"]
    for rule, justification in (("caption-not-associated", "accepted: legacy template"), ("alt-placeholder", "false positive"),
                                ("alt-empty-captioned", "passed in review: decorative")):
        assert results[rule]["suppressions"] == [{"kind": "external", "status": "accepted", "justification": justification}]
    assert "suppressions" not in results["image-alt"]
    assert results["image-alt"]["partialFingerprints"] == {FINGERPRINT_KEY: "fp-image-alt"}


def test_sarif_locations(built) -> None:
    run, root = built
    results = results_by_rule(sarif_log(run, root))
    physical = results["heading-order"]["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "site/story.html", "uriBaseId": SRCROOT}
    assert physical["region"] == {"startLine": 6, "startColumn": 3, "endLine": 6, "endColumn": 7, "snippet": {"text": "<h4>"}}
    image = results["image-alt"]["locations"][0]
    assert image["physicalLocation"]["region"]["snippet"]["text"] == '<img src="photo.jpg">'
    assert image["logicalLocations"] == [{"fullyQualifiedName": "figure > img", "kind": "element"}]
    remote = results["link-name"]["locations"][0]
    assert remote["physicalLocation"] == {"artifactLocation": {"uri": "https://news.example/story?id=1&x=2"}}
    assert remote["logicalLocations"][0]["fullyQualifiedName"] == "a.more"
    assert "Suggestion: Give the link text" in results["link-name"]["message"]["text"]


def test_sarif_notifications_for_broken_pages_and_crashed_rules(built) -> None:
    run, root = built
    log = sarif_log(run, root)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["startTimeUtc"] == "2024-05-01T10:00:00Z"
    notes = invocation["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["rule-error", "page-error"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[notes[0]["associatedRule"]["index"]]["id"] == "pseudo-list"
    assert "page did not respond" in notes[1]["message"]["text"]
    assert notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "site/broken.html"


def test_sarif_paths_outside_the_root_are_file_uris(built, tmp_path_factory: pytest.TempPathFactory) -> None:
    run, _root = built
    other_root = tmp_path_factory.mktemp("elsewhere")
    run = replace(run, pages=[replace(run.pages[0], source=str(_root / "site" / "story.html")), *run.pages[1:]])
    physical = results_by_rule(sarif_log(run, other_root))["image-alt"]["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": (_root / "site" / "story.html").resolve().as_uri()}


def test_sarif_is_deterministic_json(built, tmp_path: Path) -> None:
    run, root = built
    reporter = SarifReporter(root=root)
    first, second = reporter.render(run), reporter.render(run)
    assert first == second
    path = reporter.write(run, tmp_path / "out")
    assert path.name == "report.sarif"
    assert json.loads(path.read_text(encoding="utf-8"))["runs"][0]["results"]  # valid UTF-8 JSON despite a lone surrogate


def test_sarif_validates_against_the_schema(built, sarif_schema: dict) -> None:
    run, root = built
    validate(json.loads(SarifReporter(root=root).render(run)), sarif_schema)


def test_reporters_are_registered(built, tmp_path: Path) -> None:
    run, _ = built
    assert get_reporter("sarif").filename == "report.sarif"
    assert get_reporter("junit").write(run, tmp_path).name == "junit.xml"


# -- JUnit on a hand-built run ----------------------------------------------------------------------
def test_junit_counts_and_elements(built) -> None:
    run, _ = built
    root = ET.fromstring(JunitReporter().render(run))
    assert root.tag == "testsuites"
    # failures are the findings that fail the gate: heading-order is known from the baseline, so it is skipped
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {"tests": "11", "failures": "2", "errors": "2", "skipped": "3"}
    story, remote, broken, run_suite = root.findall("testsuite")
    assert story.get("name") == "site/story.html"
    assert {k: story.get(k) for k in ("tests", "failures", "errors", "skipped")} == {"tests": "8", "failures": "1", "errors": "1", "skipped": "3"}
    cases = {case.get("name"): case for case in story.findall("testcase")}
    assert all(case.get("classname") == "site/story.html" for case in cases.values())
    failure = cases["image-alt"].find("failure")
    assert failure is not None and failure.get("message") == "1 violation: image-alt help" and failure.get("type") == "critical"
    assert failure.text == "[critical] figure > img (line 7): image-alt message (fingerprint fp-image-alt)"
    assert cases["pseudo-list"].find("error") is not None
    skipped = cases["heading-order"].find("skipped")
    assert skipped is not None and "[moderate, known in the baseline] h4" in skipped.text
    assert cases["caption-not-associated"].find("skipped") is not None and cases["alt-placeholder"].find("skipped") is not None
    assert len(cases["alt-empty-captioned"]) == 0 and len(cases["region"]) == 0  # passed
    assert cases["color-contrast"].find("failure") is None and "needs review" in cases["color-contrast"].findtext("system-out", "")
    properties = {p.get("name"): p.get("value") for p in story.find("properties")}
    assert properties == {"source": "site/story.html", "title": "Story"}  # no loopback URL: its port changes every run
    assert remote.get("name") == "https://news.example/story?id=1&x=2"
    assert {k: remote.get(k) for k in ("tests", "failures")} == {"tests": "2", "failures": "1"}
    assert broken.get("errors") == "1" and broken.find("testcase/error").get("message") == "page did not respond within 70 s"
    gate = {p.get("name"): p.get("value") for p in run_suite.find("properties")}
    assert run_suite.get("name") == "a11y" and gate["gate"] == "error" and gate["interrupted"] == "false"
    assert (gate["baseline_new"], gate["baseline_known"], gate["baseline_fixed"]) == ("1", "1", "0")


def test_junit_escapes_and_strips_what_xml_forbids(built) -> None:
    run, _ = built
    data = JunitReporter().render(run)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    text = ET.fromstring(data).find("testsuite[2]/testcase[@name='link-name']/failure").text
    assert text == '[serious] a.more: Link text has control chars  and <tags> & "quotes" (fingerprint fp-link)'
    assert b"\x00" not in data and b"\x0b" not in data


# -- a real run of pages/ ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_run(pages_run: RunResult) -> RunResult:
    return locate_findings(pages_run)  # a new run: the session's, shared, is immutable


def _seed_uri() -> str:
    relative = os.path.relpath(SEED, Path.cwd())
    return Path(relative).as_posix() if not relative.startswith("..") else SEED.resolve().as_uri()


def seed_log(run: RunResult) -> dict:
    seed = page_by_source(run, "pages/defense-algeria-article.html")
    return sarif_log(RunResult(pages=[seed], tool=run.tool, started=run.started))


@pytest.mark.browser
def test_real_sarif_for_the_seed_page_points_at_the_related_stories_h4(real_run: RunResult) -> None:
    log = seed_log(real_run)
    heading = results_by_rule(log)["heading-order"]
    physical = heading["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == _seed_uri()
    lines = SEED.read_text(encoding="utf-8").splitlines()
    expected_line = next(number for number, line in enumerate(lines, start=1) if "<h4>Related Stories</h4>" in line)
    assert physical["region"]["startLine"] == expected_line
    assert physical["region"]["startColumn"] == lines[expected_line - 1].index("<h4>") + 1
    assert physical["region"]["snippet"]["text"] == "<h4>"
    assert heading["level"] == "warning"


@pytest.mark.browser
def test_real_sarif_for_the_seed_page_validates_against_the_schema(real_run: RunResult, sarif_schema: dict) -> None:
    validate(seed_log(real_run), sarif_schema)


@pytest.mark.browser
def test_real_sarif_for_all_pages(real_run: RunResult) -> None:
    results = sarif_log(real_run)["runs"][0]["results"]
    assert len(results) == sum(1 for _, f in real_run.findings() if f.outcome != "error")
    assert all("region" in r["locations"][0]["physicalLocation"] for r in results)


@pytest.mark.browser
def test_real_sarif_for_all_pages_validates_against_the_schema(real_run: RunResult, sarif_schema: dict) -> None:
    validate(sarif_log(real_run), sarif_schema)


@pytest.mark.browser
def test_real_junit_counts_match_the_run(real_run: RunResult) -> None:
    root = ET.fromstring(JunitReporter().render(real_run))
    *suites, run_suite = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [p.source for p in real_run.pages] and run_suite.get("name") == "a11y"
    verdict = verdict_of(real_run)
    for page, suite in zip(real_run.pages, suites, strict=True):
        rules = set(page.applied) | {f.rule for f in page.findings}
        failing = {f.rule for f in page.findings if verdict.fails(f)}
        assert int(suite.get("tests")) == len(rules) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == len(failing) == len(suite.findall("testcase/failure"))
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)
    seed = suites[[p.source for p in real_run.pages].index("pages/defense-algeria-article.html")]
    skipped = seed.find("testcase[@name='heading-order']/skipped")  # moderate: below the default gate (serious)
    assert skipped is not None and skipped.text.startswith("[moderate, below the gate's threshold] h4")
