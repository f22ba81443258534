"""``report.sarif``: SARIF 2.1.0 for code scanning (GitHub, GitLab, IDE viewers).

One run; ``tool.driver.rules`` holds every rule of ours and each axe-core rule the run saw. A result's
level follows its outcome and impact (violation: critical/serious -> error, moderate/minor ->
warning; needs-review -> note). Findings a reviewer or the config waived, called a false positive
or passed stay in the log with a ``suppressions`` entry that says why, as SARIF intends, so code
scanning closes them instead of losing their history. With a baseline, ``baselineState`` is
``new`` or ``unchanged``.

Local pages point at their source file relative to the repository root (``%SRCROOT%``, the working
directory) with the start tag's line, column and text when a11y.pipeline.sourcemap found it; pages audited
by URL point at the URL, and every result also names its element's selector as a logical location.
Pages that could not be audited and rules that crashed are ``toolExecutionNotifications``.
"""

from __future__ import annotations

import json
import re
import textwrap
import urllib.parse
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from ..ci.gate import verdict_of
from ..model import IMPACT_RANK, Finding, PageResult, RunResult
from ..pipeline.sourcemap import SourceText, read_source, source_path
from ..rules import Rule, all_rules
from . import write_atomic

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/a11y-publishing/a11y"
AXE_URI = "https://github.com/dequelabs/axe-core"
FINGERPRINT_KEY = "a11yFingerprint/v1"
SRCROOT = "%SRCROOT%"
IMPACT_LEVEL = {"critical": "error", "serious": "error", "moderate": "warning", "minor": "warning"}
# GitHub's problem.severity: the words its code scanning UI sorts by.
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
REVIEWED_AWAY = {"waived": "accepted", "false-positive": "false positive", "passed": "passed in review"}
_CODE = re.compile(r"``(.+?)``")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# json.dumps(indent=2) puts the run's keys six spaces in (log > runs > run) and its results eight.
RESULTS_INDENT = " " * 6
RESULT_INDENT = " " * 8
RESULTS_MARKER = "\n" + RESULTS_INDENT + '"results": []'


def level_for(finding: Finding) -> str:
    """SARIF level: by impact for violations, note for what needs a person's review.

    A needs-review result keeps the default kind ``fail``: SARIF allows a level other than
    ``none`` only with that kind, and code scanning should show it as a note to act on.
    """
    if finding.outcome == "needs-review" and finding.status != "violation":
        return "note"
    return IMPACT_LEVEL.get(finding.impact, "warning")


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


# -- rules ----------------------------------------------------------------------------------------
def _inline_code(text: str) -> str:
    """reStructuredText ``code`` -> Markdown `code`."""
    return _CODE.sub(r"`\1`", text)


def _markdown(rule: Rule) -> str:
    """The rule's docstring as Markdown: its sections as headings, examples as HTML code blocks."""
    sections = rule.doc_sections()
    parts = [_inline_code(sections.get("summary", rule.meta.help).strip())]
    for title, body in sections.items():
        if title == "summary":
            continue
        text = textwrap.dedent(body).strip("\n")
        if title in ("Example", "Use instead"):
            parts.append(f"## {title}\n\n```html\n{text}\n```")
        else:
            parts.append(f"## {title}\n\n{_inline_code(text)}")
    parts.append(f"[Rule documentation]({rule.help_url})")
    return "\n\n".join(parts)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", _CODE.sub(r"\1", text)).strip()


def _wcag_tags(wcag: Iterable[str]) -> list[str]:
    return [f"WCAG {criterion}" for criterion in wcag]


def our_rule_descriptor(rule: Rule) -> dict[str, Any]:
    meta = rule.meta
    level = "note" if meta.outcome == "needs-review" else IMPACT_LEVEL.get(meta.impact, "warning")
    sections = rule.doc_sections()
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": meta.help},
        "fullDescription": {"text": _plain(sections.get("What it does", "")) or meta.help},
        "help": {"text": textwrap.dedent(rule.doc), "markdown": _markdown(rule)},
        "helpUri": rule.help_url,
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": _dedupe(["accessibility", *rule.tags, *_wcag_tags(meta.wcag)]),
            "engine": "a11y",
            "impact": meta.impact,
            "wcag": list(meta.wcag),
            "precision": "medium" if meta.outcome == "needs-review" else "high",
            "problem.severity": PROBLEM_SEVERITY[level],
        },
    }


class AxeRuleSeen:
    """What the run's findings of one axe-core rule tell about it, folded as they come: a run of
    100,000 pages keeps this per rule, not its findings."""

    def __init__(self, first: Finding) -> None:
        self.first = first
        self.impact = first.impact
        self.all_review = first.outcome == "needs-review"

    def add(self, finding: Finding) -> None:
        if IMPACT_RANK.get(finding.impact, 9) < IMPACT_RANK.get(self.impact, 9):  # strictly: min() keeps the first of equals
            self.impact = finding.impact
        self.all_review = self.all_review and finding.outcome == "needs-review"


def axe_rule_descriptor(rule_id: str, seen: AxeRuleSeen) -> dict[str, Any]:
    """What the run's findings tell about an axe-core rule (its metadata comes with each result)."""
    first, impact = seen.first, seen.impact
    level = "note" if seen.all_review else IMPACT_LEVEL.get(impact, "warning")
    help_text = first.help or rule_id
    return {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": help_text},
        "fullDescription": {"text": help_text},
        "help": {"text": f"{help_text}\n\nMore: {first.help_url}" if first.help_url else help_text,
                 "markdown": f"{help_text}\n\n[axe-core rule {rule_id}]({first.help_url})" if first.help_url else help_text},
        **({"helpUri": first.help_url} if first.help_url else {}),
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": _dedupe(["accessibility", "axe-core", *first.tags, *_wcag_tags(first.wcag)]),
            "engine": "axe",
            "impact": impact,
            "wcag": list(first.wcag),
            "act": list(first.act),
            "precision": "medium" if level == "note" else "high",
            "problem.severity": PROBLEM_SEVERITY[level],
        },
    }


def rule_descriptors(run: RunResult) -> list[dict[str, Any]]:
    """Every rule of ours, and each other rule (axe-core's) that has a finding in the run, by id."""
    ours = {rule.id: our_rule_descriptor(rule) for rule in all_rules()}
    seen: dict[str, AxeRuleSeen] = {}
    for _, finding in run.iter_findings():  # one pass, a page at a time
        if finding.rule in ours:
            continue
        if finding.rule in seen:
            seen[finding.rule].add(finding)
        else:
            seen[finding.rule] = AxeRuleSeen(finding)
    others = {rule_id: axe_rule_descriptor(rule_id, found) for rule_id, found in seen.items()}
    merged = {**others, **ours}
    return [merged[key] for key in sorted(merged)]


# -- locations ------------------------------------------------------------------------------------
def artifact_location(page: PageResult, root: Path) -> dict[str, Any]:
    """The source file relative to the repository root, an absolute file URI outside it, or the URL."""
    path = source_path(page, root)
    if path is None:
        return {"uri": page.url or page.source or ""}
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        return {"uri": path.resolve().as_uri()}
    return {"uri": urllib.parse.quote(relative.as_posix()), "uriBaseId": SRCROOT}


class _Sources:
    """The current page's decoded source, read once for the snippets of all its findings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, SourceText | None] = {}  # one page at a time: findings come page by page

    def region(self, page: PageResult, finding: Finding) -> dict[str, Any] | None:
        spot = finding.source_location
        if not spot:
            return None
        region: dict[str, Any] = {"startLine": spot["line"], "startColumn": spot["column"]}
        text = self._text(page)
        tag = text.start_tag(spot["line"], spot["column"]) if text else None
        if tag:
            snippet, end_line, end_column = tag
            region.update(endLine=end_line, endColumn=end_column, snippet={"text": snippet})
        return region

    def _text(self, page: PageResult) -> SourceText | None:
        key = page.source or ""
        if key not in self.cache:
            self.cache.clear()
            path = source_path(page, self.root)
            decoded = read_source(path) if path else None
            self.cache[key] = SourceText(decoded) if decoded is not None else None
        return self.cache[key]


def _location(page: PageResult, finding: Finding | None, root: Path, sources: _Sources | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(page, root)}
    region = sources.region(page, finding) if sources and finding else None
    if region:
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding is not None:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.target, "kind": "element"}]
    return location


# -- results --------------------------------------------------------------------------------------
def _message(finding: Finding) -> str:
    text = finding.message or finding.help or finding.rule
    if finding.suggestion:
        text += f" Suggestion: {finding.suggestion}"
    return f"{text} (element: {finding.target})"


def _suppressions(finding: Finding) -> list[dict[str, Any]] | None:
    status = finding.status
    if status not in REVIEWED_AWAY:
        return None
    note = (finding.review or {}).get("note", "")
    justification = REVIEWED_AWAY[status] + (f": {note}" if note else "")
    return [{"kind": "external", "status": "accepted", "justification": justification}]


def result_for(page: PageResult, finding: Finding, rule_index: dict[str, int], root: Path, sources: _Sources) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "level": level_for(finding),
        "message": {"text": _message(finding)},
        "locations": [_location(page, finding, root, sources)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    suppressions = _suppressions(finding)
    if suppressions:
        result["suppressions"] = suppressions
    if finding.baseline in ("new", "known"):
        result["baselineState"] = "new" if finding.baseline == "new" else "unchanged"
    result["properties"] = {
        "page": page.name,
        "engine": finding.engine,
        "impact": finding.impact,
        "outcome": finding.outcome,
        "status": finding.status,
        "wcag": list(finding.wcag),
        "act": list(finding.act),
        "target": finding.target,
        "html": finding.html,
        **({"suggestion": finding.suggestion} if finding.suggestion else {}),
        **({"review": dict(finding.review)} if finding.review else {}),
        **({"also": list(finding.also)} if finding.also else {}),
    }
    return result


def notifications(run: RunResult, rule_index: dict[str, int], root: Path) -> list[dict[str, Any]]:
    """Pages that could not be audited, rules that crashed, and pages' warnings."""
    notes: list[dict[str, Any]] = []
    for page in run.pages:
        if page.status == "error":
            notes.append({"level": "error", "descriptor": {"id": "page-error"},
                          "message": {"text": f"{page.name}: could not be audited: {page.error or 'unknown error'}"},
                          "locations": [_location(page, None, root, None)]})
        for finding in page.findings:
            if finding.outcome == "error":
                notes.append({"level": "error", "descriptor": {"id": "rule-error"},
                              "associatedRule": {"id": finding.rule, "index": rule_index[finding.rule]},
                              "message": {"text": f"{page.name}: {finding.message}"},
                              "locations": [_location(page, None, root, None)]})
        for warning in _dedupe(page.warnings):
            notes.append({"level": "warning", "descriptor": {"id": "page-warning"},
                          "message": {"text": f"{page.name}: {warning}"}, "locations": [_location(page, None, root, None)]})
    if run.interrupted:
        notes.append({"level": "error", "descriptor": {"id": "interrupted"},
                      "message": {"text": f"the run was interrupted; {run.not_audited} page(s) were not audited"}})
    return notes


def _utc(timestamp: str) -> str:
    return timestamp[:-6] + "Z" if timestamp.endswith("+00:00") else timestamp


def _results(run: RunResult, rule_index: dict[str, int], root: Path) -> Iterator[dict[str, Any]]:
    """The results, one at a time as the pages are read."""
    sources = _Sources(root)
    return (result_for(page, finding, rule_index, root, sources) for page, finding in run.iter_findings() if finding.outcome != "error")


def _shell(run: RunResult, root: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The log with an empty results array, and the rule indices the results refer to.

    Everything in it is bounded by the rules and the pages that could not be audited, not by the
    findings: the rules and notifications each take a pass over the pages, a page at a time.
    """
    rules = rule_descriptors(run)
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    notes = notifications(run, rule_index, root)
    invocation: dict[str, Any] = {
        "executionSuccessful": not any(n["level"] == "error" for n in notes),
        "toolExecutionNotifications": notes,
    }
    if run.started:
        invocation["startTimeUtc"] = _utc(run.started)
    tool: dict[str, Any] = {"driver": {
        "name": "a11y",
        "fullName": "a11y: accessibility checker for article pages",
        "version": str(run.tool.get("version", "")),
        "semanticVersion": str(run.tool.get("version", "")),
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }}
    if run.tool.get("axe") and run.tool.get("axe") != "unknown":
        tool["extensions"] = [{"name": "axe-core", "version": str(run.tool["axe"]), "informationUri": AXE_URI}]
    log: dict[str, Any] = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": tool,
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: {"uri": root.resolve().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": [],
            "properties": {
                "browser": run.tool.get("browser", ""),
                "standard": run.tool.get("standard", ""),
                "summary": run.summary(),
                "gate": verdict_of(run).to_dict(),
                "baselineFixed": len(run.baseline_fixed),
                "staleReviews": len(run.stale_reviews),
            },
        }],
    }
    return log, rule_index


def sarif_log(run: RunResult, root: Path | None = None) -> dict[str, Any]:
    """The whole log as one dict (tests and small runs); :func:`sarif_pieces` writes a big run's."""
    root = root or Path.cwd()
    log, rule_index = _shell(run, root)
    log["runs"][0]["results"] = list(_results(run, rule_index, root))
    return log


def _dumps(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _LONE_SURROGATE.sub("\ufffd", text)  # page strings may hold them; UTF-8 cannot


def sarif_pieces(run: RunResult, root: Path | None = None) -> Iterator[str]:
    """``json.dumps(sarif_log(run), indent=2)``'s text, a result at a time: never the list of all
    results. The log without them is dumped, then each result is dumped at the results array's depth."""
    root = root or Path.cwd()
    log, rule_index = _shell(run, root)
    text = _dumps(log) + "\n"
    head, marker, tail = text.partition(RESULTS_MARKER)
    results = _results(run, rule_index, root)
    first = next(results, None)
    if not marker or first is None:  # no results: json.dumps writes the empty array as the shell has it
        yield text if first is None else _dumps(sarif_log(run, root)) + "\n"  # no marker cannot happen with _shell's keys
        return
    yield head + "\n" + RESULTS_INDENT + '"results": [\n'
    for index, result in enumerate(chain([first], results)):
        entry = _dumps(result).replace("\n", "\n" + RESULT_INDENT)
        yield (RESULT_INDENT if index == 0 else ",\n" + RESULT_INDENT) + entry
    yield "\n" + RESULTS_INDENT + "]" + tail


class SarifReporter:
    name = "sarif"
    filename = "report.sarif"

    def __init__(self, root: Path | None = None) -> None:
        # The repository root: relative page sources are read from it and URIs are relative to it.
        # None: the working directory, as for the audit's own relative sources.
        self.root = root

    def render(self, run: RunResult) -> str:
        return "".join(self.pieces(run))

    def pieces(self, run: RunResult) -> Iterator[str]:
        return sarif_pieces(run, self.root)

    def write(self, run: RunResult, out_dir: Path) -> Path:
        return write_atomic(out_dir / self.filename, self.pieces(run))


REPORTER = SarifReporter()
