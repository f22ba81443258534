"""A draft Accessibility Conformance Report in GSA's OpenACR format, from an audit run.

The catalog is "VPAT 2.5 WCAG 2.2 and Revised Section 508" (``2.5-edition-wcag-2.2-508-en``).
Every criterion of its Level A and AA chapters gets an adherence level for the ``web`` component,
taken from the run's criteria view (:mod:`a11y.pipeline.criteria`) and never more favourable than the
evidence:

- ``does-not-support`` / ``partially-supports``: confirmed violations, by the share of audited
  pages that have one (:data:`DOES_NOT_SUPPORT_SHARE` or more: does-not-support);
- ``not-applicable``: only where the rules' applicability shows no audited page has the content;
- ``not-evaluated`` everywhere else: the level a person must set before the ACR is published.
  Never ``supports``: automated checks cannot prove conformance, and a reviewer passing the few
  elements they flagged (one reviewed color-contrast element, say) says nothing of the rest of the
  product; the notes say what was reviewed.

Notes cite the findings (rule, count, pages) and the document records the evaluation method.
The other chapters of the catalog are listed as not-evaluated (hardware and software disabled).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import yaml

from ..model import Finding, PageResult, RunResult
from ..pipeline.criteria import DISCLAIMER, LEVELS, criteria_data, criteria_for_run, findings_by_fingerprint

CATALOGS = {"wcag22-508": "2.5-edition-wcag-2.2-508-en"}
DOES_NOT_SUPPORT_SHARE = 0.5
LEVEL_OF_CHAPTER = {"success_criteria_level_a": "A", "success_criteria_level_aa": "AA", "success_criteria_level_aaa": "AAA"}
DISABLED_CHAPTERS = ("hardware", "software")  # a web-content audit says nothing about them
STANDARD_LABELS = {"wcag2a": "WCAG 2.0 A", "wcag2aa": "WCAG 2.0 AA", "wcag21a": "WCAG 2.1 A", "wcag21aa": "WCAG 2.1 AA",
                   "wcag22aa": "WCAG 2.2 AA"}
LISTED = 10  # pages and rules named in one note before "and N more"
PLACEHOLDER_PRODUCT = "Unnamed product"


def build_acr(run: RunResult, rule_criteria: Mapping[str, Sequence[str]], product: str, version: str, author_email: str, *,
              author_name: str = "", vendor: str = "", vendor_email: str = "", description: str = "", level: str = "AA",
              catalog: str = "wcag22-508", document_version: int = 1, license: str = "CC-BY-4.0", repository: str = "",
              feedback: str = "", legal_disclaimer: str = "") -> dict[str, Any]:
    """The OpenACR document as a dict in the schema's key order (dump it with :func:`acr_yaml`)."""
    if catalog not in CATALOGS:
        raise ValueError(f"catalog {catalog!r}: choose from {', '.join(CATALOGS)}")
    if level not in LEVELS:
        raise ValueError(f"level {level!r}: choose from {', '.join(LEVELS)}")
    audited = [p for p in run.pages if p.status == "ok"]
    rows = {row["id"]: row for row in criteria_for_run(run, rule_criteria, level="AAA", standard="catalog")}
    context = _Context(audited, findings_by_fingerprint(run))
    report_date = (run.started or date.today().isoformat())[:10]
    doc: dict[str, Any] = {
        "title": f"{product or PLACEHOLDER_PRODUCT} Accessibility Conformance Report (draft)",
        "product": _drop_empty({"name": product or PLACEHOLDER_PRODUCT, "version": version, "description": description}),
        "author": _drop_empty({"name": author_name, "company_name": vendor, "email": author_email}, keep=("email",)),
    }
    if vendor:
        doc["vendor"] = {"company_name": vendor, "email": vendor_email or author_email}
    doc.update({
        "report_date": report_date,
        "last_modified_date": report_date,
        "version": int(document_version),
        "notes": _document_notes(run, product),
        "evaluation_methods_used": _evaluation_methods(run, audited, report_date),
    })
    doc.update(_drop_empty({"legal_disclaimer": legal_disclaimer, "license": license, "repository": repository, "feedback": feedback}))
    doc["catalog"] = CATALOGS[catalog]
    doc["chapters"] = {ch["id"]: _chapter(ch, rows, level, context) for ch in criteria_data()["catalog"]["chapters"]}
    return doc


def acr_yaml(doc: Mapping[str, Any]) -> str:
    """Deterministic YAML: keys in the order built, long notes wrapped, Unicode kept.

    libyaml's safe dumper when present (same text, several times faster), else PyYAML's.
    """
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(dict(doc), Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def acr_from_settings(run: RunResult, rule_criteria: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """build_acr with the product metadata the CLI put in ``run.settings["acr"]`` (placeholders when absent)."""
    acr = (run.settings.get("acr") or {}) if isinstance(run.settings, dict) else {}
    text = {key: str(acr.get(key) or "") for key in ("product", "version", "author_email", "author_name", "vendor", "vendor_email",
                                                      "description", "repository", "feedback", "legal_disclaimer")}
    return build_acr(
        run, rule_criteria, text.pop("product"), text.pop("version"), text.pop("author_email"), **text,
        level=str(acr.get("level") or "AA"), catalog=str(acr.get("catalog") or "wcag22-508"),
        document_version=int(acr.get("document_version") or 1), license=str(acr.get("license") or "CC-BY-4.0"),
    )


# -- chapters and criteria --------------------------------------------------------------------

class _Context:
    """What every note needs: the audited pages and the findings by fingerprint."""

    def __init__(self, audited: list[PageResult], found: dict[str, tuple[PageResult, Finding]]) -> None:
        self.audited = audited
        self.found = found

    @property
    def total(self) -> int:
        return len(self.audited)

    def findings(self, fingerprints: Sequence[str]) -> list[tuple[PageResult, Finding]]:
        return [self.found[fp] for fp in fingerprints if fp in self.found]


def _chapter(chapter: dict[str, Any], rows: dict[str, dict[str, Any]], level: str, context: _Context) -> dict[str, Any]:
    chapter_level = LEVEL_OF_CHAPTER.get(chapter["id"])
    if chapter_level and chapter_level in LEVELS[level]:
        criteria = [_wcag_criterion(item["id"], rows[item["id"]], context) for item in chapter["criteria"]]
        notes = (f"Web component drafted from an automated audit of {_count(context.total, 'page')}; "
                 "the other components (electronic documents, software, authoring tool) were not evaluated.")
        return {"notes": notes, "criteria": criteria}
    if chapter_level:
        notes = f"Level {chapter_level} was not evaluated (the draft covers Level {level})."
        components: list[str] = ["web"]
    elif chapter["id"] in DISABLED_CHAPTERS:
        notes = ("Not evaluated: the audit covers web content only. Enable this chapter and evaluate it "
                 "if the product includes hardware or software.")
        components = []
    else:
        notes = "Not evaluated: automated testing of web pages says nothing about these criteria; a person must evaluate them."
        components = []
    criteria = [_unevaluated(item, components) for item in chapter["criteria"]]
    result: dict[str, Any] = {"notes": notes, "criteria": criteria}
    if chapter_level or chapter["id"] in DISABLED_CHAPTERS:
        result["disabled"] = True
    return result


def _unevaluated(item: dict[str, Any], components: list[str]) -> dict[str, Any]:
    names = components or list(item.get("components") or ["none"])
    return {"num": item["id"], "components": [{"name": name, "adherence": {"level": "not-evaluated", "notes": ""}} for name in names]}


def _wcag_criterion(criterion_id: str, row: dict[str, Any], context: _Context) -> dict[str, Any]:
    level, notes = adherence(row, context)
    return {"num": criterion_id, "components": [{"name": "web", "adherence": {"level": level, "notes": notes}}]}


def adherence(row: dict[str, Any], context: _Context) -> tuple[str, str]:
    """The draft's level and notes for one criterion row of the run's criteria view."""
    status = row["status"]
    to_check = f"To check by hand: {row['manual_check']}"
    if context.total == 0:
        return "not-evaluated", "Not evaluated: no page could be audited."
    if status == "fails":
        return _failing(row, context, to_check)
    if status == "not-applicable":
        return "not-applicable", (f"Not applicable on the evidence of the audit: {_reason_without_prefix(row['reason'])} "
                                  f"(of {_count(context.total, 'page')} audited). Confirm the product has no such content elsewhere.")
    if status == "reviewed-no-failures":
        found = context.findings(row["findings"])
        return "not-evaluated", (f"Not evaluated for the product: a reviewer passed every item automated checks flagged for review "
                                 f"({_rule_counts(found)}, on {_pages(found)}), and automated checks found no violation on the "
                                 f"{_count(context.total, 'page')} audited; a person must evaluate the rest before setting a level. {to_check}")
    if status == "no-automated-failures":
        return "not-evaluated", (f"Not evaluated by a person. Automated checks ({_names(row['rules'])}) found no failure on the "
                                 f"{_count(context.total, 'page')} audited; automated checks cannot prove conformance. {to_check}")
    found = context.findings(row["findings"])
    if found:
        return "not-evaluated", (f"Not evaluated: {row['reason']}; pages: {_pages(found, with_count=False)}. "
                                 f"A person must decide the flagged items and set the level. {to_check}")
    return "not-evaluated", f"Not evaluated: {row['reason']}. {to_check}"


def _failing(row: dict[str, Any], context: _Context, to_check: str) -> tuple[str, str]:
    found = context.findings(row["findings"])
    failing = len({page.name for page, _ in found})
    share = failing / context.total
    level = "does-not-support" if share >= DOES_NOT_SUPPORT_SHARE else "partially-supports"
    rule = (f"Draft level by rule: does-not-support when {DOES_NOT_SUPPORT_SHARE:.0%} or more of the audited pages have a violation, "
            "partially-supports when fewer do; a person should confirm it.")
    notes = (f"Automated testing found {_count(len(found), 'violation')} on {failing} of {_count(context.total, 'page')} audited "
             f"({share:.0%}): {_rule_counts(found)}. Pages: {_pages(found, with_count=False)}. {rule} {to_check}")
    return level, notes


# -- text helpers ---------------------------------------------------------------------------

def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _code(text: str) -> str:
    """Untrusted names (page paths, URLs) as Markdown code: OpenACR tools render notes as Markdown."""
    return "`" + re.sub(r"[`\s]+", " ", text).strip()[:200] + "`"


def _more(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")


def _names(rules: Sequence[str]) -> str:
    return _more(list(rules)) if rules else "none ran"


def _rule_counts(found: Sequence[tuple[PageResult, Finding]]) -> str:
    counts = Counter(f.rule for _, f in found)
    return _more([f"{rule} ×{n}" for rule, n in sorted(counts.items())])


def _pages(found: Sequence[tuple[PageResult, Finding]], with_count: bool = True) -> str:
    keys = list(dict.fromkeys(page.name for page, _ in found))
    names = _more([_code(key) for key in keys])
    return f"{_count(len(keys), 'page')} ({names})" if with_count else names


def _reason_without_prefix(reason: str) -> str:
    return reason.removeprefix("not applicable: ")


def _drop_empty(values: dict[str, Any], keep: Sequence[str] = ()) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v or k in keep}


def _document_notes(run: RunResult, product: str) -> str:
    missing = "" if product else " Set the product with `a11y acr --product NAME --version V --author-email E`."
    return (
        f"DRAFT generated from an automated audit by a11y {run.tool.get('version', '')}: it is not a conformance claim. "
        f"{DISCLAIMER} Levels were set by these rules: does-not-support or partially-supports where automated checks found "
        f"violations (does-not-support when {DOES_NOT_SUPPORT_SHARE:.0%} or more of the audited pages have one); "
        "not-applicable only where the rules' applicability shows no audited page has content the criterion applies to; "
        "never supports (a person sets it); not-evaluated everywhere else. "
        "VPAT 2.5 allows not-evaluated only for Level AAA criteria, so a person must evaluate and set every "
        f"not-evaluated Level A and AA criterion before this report is published.{missing}"
    )


def _evaluation_methods(run: RunResult, audited: list[PageResult], report_date: str) -> str:
    tool = run.tool
    standard = str(tool.get("standard", ""))
    label = STANDARD_LABELS.get(standard, standard or "an unknown standard")
    failed = [p for p in run.pages if p.status != "ok"]
    reviewed = sum(1 for _, f in run.iter_findings() if f.review)
    parts = [
        f"Automated testing on {report_date} with a11y {tool.get('version', '')}: axe-core {tool.get('axe', '')} "
        f"and the a11y publishing rules, in headless {tool.get('browser', 'Chromium')}, against {label} "
        f"(rules tagged for {label}{' plus best practices' if tool.get('best_practice') else ''}; WCAG 2.2 criteria "
        "that no rule of that standard tests are marked not-evaluated).",
        f"{_count(len(audited), 'page')} audited: {_more([_code(p.name) for p in audited]) or 'none'}.",
    ]
    if failed:
        parts.append(f"{_count(len(failed), 'page')} could not be audited and are not covered: {_more([_code(p.name) for p in failed])}.")
    parts.append(f"{_count(reviewed, 'review decision')} applied." if reviewed else "No review decisions applied; no manual testing recorded.")
    return " ".join(parts)
