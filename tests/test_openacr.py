"""The OpenACR draft: schema-valid, complete for the catalog's A and AA chapters, honest levels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.criteria import criteria_data, criteria_table, rule_criteria_for
from a11y.reports import get_reporter
from a11y.reports.acr import acr_yaml, build_acr
from a11y.settings import Settings

from .conftest import SHARED

OPENACR = SHARED / "openacr"
SCHEMA = Path(__file__).resolve().parent / "data" / "openacr-0.1.0.json"  # shipped: see tests/data/README.md
needs_catalog = pytest.mark.skipif(not (OPENACR / "2.5-edition-wcag-2.2-508-en.yaml").is_file(),
                                   reason="../shared/openacr (the VPAT 2.5 catalog) is absent")
RULES = {"image-alt": ["1.1.1"], "list": ["1.3.1"], "color-contrast": ["1.4.3"], "label": ["4.1.2"], "select-name": ["4.1.2"],
         "aria-input-field-name": ["4.1.2"], "aria-toggle-field-name": ["4.1.2"]}


def validate(doc: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)


def web(doc: dict, criterion_id: str) -> dict:
    for chapter in doc["chapters"].values():
        for criterion in chapter["criteria"]:
            if criterion["num"] == criterion_id:
                return next(c["adherence"] for c in criterion["components"] if c["name"] == "web")
    raise AssertionError(f"{criterion_id} not in the ACR")


def violation(rule: str, criterion: str, fingerprint: str, decision: str | None = None, outcome: str = "violation") -> Finding:
    return Finding(rule=rule, engine="axe", outcome=outcome, impact="serious", target="img", html="<img>", message="m",  # type: ignore[arg-type]
                   wcag=[criterion], fingerprint=fingerprint, review={"decision": decision} if decision else None)


def small_run(pages: list[PageResult]) -> RunResult:
    return RunResult(pages=pages, tool={"name": "a11y", "version": "0.1.0", "axe": "4.12.1", "browser": "Chromium 1", "standard": "wcag21aa"},
                     started="2025-03-04T10:00:00+00:00")


def page(name: str, findings: list[Finding] | None = None) -> PageResult:
    return PageResult(source=name, url="", findings=findings or [], applied={"image-alt": 1, "list": 1, "color-contrast": 5})


# -- levels from hand-built runs ---------------------------------------------------------------

def test_share_of_pages_decides_between_partial_and_no_support():
    pages = [page("a.html", [violation("image-alt", "1.1.1", "f1")]), page("b.html", [violation("list", "1.3.1", "f2")]),
             page("c.html", [violation("list", "1.3.1", "f3")]), page("d.html")]
    doc = build_acr(small_run(pages), RULES, "News", "1", "a@example.gov")
    assert web(doc, "1.1.1")["level"] == "partially-supports"  # 1 of 4 pages
    assert web(doc, "1.3.1")["level"] == "does-not-support"  # 2 of 4 pages: 50%
    notes = web(doc, "1.3.1")["notes"]
    assert "2 violations on 2 of 4 pages audited (50%): list ×2" in notes and "`b.html`, `c.html`" in notes
    assert "50% or more" in notes


def test_never_supports_without_a_reviewer():
    doc = build_acr(small_run([page("a.html")]), RULES, "News", "1", "a@example.gov")
    levels = {c["components"][0]["adherence"]["level"] for ch in doc["chapters"].values() for c in ch["criteria"]}
    assert "supports" not in levels
    assert web(doc, "1.4.3")["level"] == "not-evaluated" and "cannot prove conformance" in web(doc, "1.4.3")["notes"]
    assert web(doc, "3.3.1")["level"] == "not-applicable"  # the form-field rules ran and found no field
    assert web(doc, "2.4.5")["level"] == "not-evaluated" and "Check that there is more than one way" in web(doc, "2.4.5")["notes"]


def test_a_reviewed_element_never_makes_supports_and_a_fail_gives_a_failure():
    passed = violation("color-contrast", "1.4.3", "c1", decision="pass", outcome="needs-review")
    doc = build_acr(small_run([page("a.html", [passed])]), RULES, "News", "1", "a@example.gov")
    # one element passed on review says nothing of the product: the level is left for a person
    assert web(doc, "1.4.3")["level"] == "not-evaluated" and "reviewer passed" in web(doc, "1.4.3")["notes"]
    failed = violation("color-contrast", "1.4.3", "c1", decision="fail", outcome="needs-review")
    doc = build_acr(small_run([page("a.html", [failed])]), RULES, "News", "1", "a@example.gov")
    assert web(doc, "1.4.3")["level"] == "does-not-support"


def test_hostile_page_names_stay_code_in_notes():
    pages = [page("x`](javascript:alert(1))\n<img src=x>.html", [violation("image-alt", "1.1.1", "f1")])]
    doc = build_acr(small_run(pages), RULES, "News", "1", "a@example.gov")
    notes = web(doc, "1.1.1")["notes"]
    assert "`x ](javascript:alert(1)) <img src=x>.html`" in notes and "\n" not in notes
    assert yaml.safe_load(acr_yaml(doc)) == doc


def test_placeholders_when_the_cli_gave_no_metadata(tmp_path):
    run = small_run([page("a.html")])
    path = get_reporter("openacr").write(run, tmp_path)
    assert path.name == "openacr.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    validate(doc)
    assert doc["product"]["name"] == "Unnamed product" and "--product" in doc["notes"]


# -- a real audit of pages/ ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def rule_map() -> dict[str, list[str]]:
    from a11y.pipeline.catalog import axe_rules

    return rule_criteria_for(axe_rules(), Settings().axe_tags())


@pytest.fixture(scope="module")
def acr_doc(pages_run, rule_map) -> dict:
    return build_acr(pages_run, rule_map, "Sample articles", "2025.1", "a11y@example.gov", author_name="A. Reviewer", vendor="Example Agency")


@pytest.mark.browser
def test_acr_of_pages_validates_against_the_schema(acr_doc):
    validate(acr_doc)
    validate(yaml.safe_load(acr_yaml(acr_doc)))


@pytest.mark.browser
@needs_catalog
def test_acr_covers_every_a_and_aa_criterion_of_the_catalog(acr_doc):
    catalog = yaml.safe_load((OPENACR / "2.5-edition-wcag-2.2-508-en.yaml").read_text(encoding="utf-8"))
    assert acr_doc["catalog"] == "2.5-edition-wcag-2.2-508-en"
    for chapter in catalog["chapters"]:
        ours = acr_doc["chapters"][chapter["id"]]
        assert [c["num"] for c in ours["criteria"]] == [str(c["id"]) for c in chapter["criteria"]]
        if chapter["id"] in ("success_criteria_level_a", "success_criteria_level_aa"):
            assert not ours.get("disabled")
            assert all(c["components"][0]["name"] == "web" for c in ours["criteria"])


@pytest.mark.browser
def test_acr_levels_and_notes_on_pages(acr_doc, pages_run):
    audited = sum(1 for p in pages_run.pages if p.status == "ok")
    structure = web(acr_doc, "1.3.1")
    assert structure["level"] == "does-not-support"  # 4 of the 5 sample pages break 1.3.1
    assert "caption-not-associated" in structure["notes"] and "pseudo-list" in structure["notes"]
    assert "`pages/defense-algeria-article.html`" in structure["notes"]
    assert "defense-algeria-article-fixed" not in structure["notes"]
    assert f"of {audited} pages audited" in structure["notes"]
    assert web(acr_doc, "1.1.1")["level"] == "partially-supports"  # the WordPress and icon pages only
    assert web(acr_doc, "1.2.2")["level"] == "not-applicable"
    assert web(acr_doc, "2.4.5")["level"] == "not-evaluated"
    assert web(acr_doc, "4.1.1")["level"] == "not-evaluated" and "errata" in web(acr_doc, "4.1.1")["notes"]
    methods = acr_doc["evaluation_methods_used"]
    assert "axe-core" in methods and "WCAG 2.1 AA" in methods and f"{audited} pages audited" in methods
    assert acr_doc["chapters"]["success_criteria_level_aaa"]["disabled"] is True
    assert acr_doc["chapters"]["hardware"]["disabled"] is True
    levels = {c["components"][0]["adherence"]["level"] for ch in acr_doc["chapters"].values() for c in ch["criteria"]}
    assert "supports" not in levels


@pytest.mark.browser
def test_acr_yaml_is_deterministic(pages_run, rule_map):
    first = acr_yaml(build_acr(pages_run, rule_map, "P", "1", "a@example.gov"))
    assert first == acr_yaml(build_acr(pages_run, rule_map, "P", "1", "a@example.gov"))
    assert first.startswith("title: P Accessibility Conformance Report (draft)\nproduct:\n")


@pytest.mark.browser
def test_acr_command_writes_a_valid_openacr(run_cli, tmp_path):
    result = run_cli("acr", "pages/defense-algeria-article.html", "--product", "DoD News", "--version", "1", "--author-email",
                     "a11y@example.gov", "--out", str(tmp_path), "--settle-ms", "300", "-q")
    assert result.returncode == 0, result.stderr
    doc = yaml.safe_load((tmp_path / "openacr.yaml").read_text(encoding="utf-8"))
    validate(doc)
    assert doc["product"] == {"name": "DoD News", "version": "1"}
    assert web(doc, "1.3.1")["level"] == "does-not-support"  # the one audited page breaks it
    ids = {c.id for c in criteria_table("AA", "catalog")}
    listed = {c["num"] for ch in ("success_criteria_level_a", "success_criteria_level_aa") for c in doc["chapters"][ch]["criteria"]}
    assert listed == ids


def test_data_chapters_match_table():
    chapters = {ch["id"]: ch for ch in criteria_data()["catalog"]["chapters"]}
    a_and_aa = [c["id"] for ch in ("success_criteria_level_a", "success_criteria_level_aa") for c in chapters[ch]["criteria"]]
    assert sorted(a_and_aa) == sorted(c.id for c in criteria_table("AA", "catalog"))
