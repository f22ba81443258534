"""axe-core as one engine among our rules: its source, its options, and its results as Findings."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from typing import Any

from ..model import Finding

_WCAG_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")
RESULT_TYPES = ["violations", "incomplete"]
# Tag of our internal axe rule that records accessible names while axe's tree exists (js/names.js):
# it runs with every audit and is left out of findings, the catalog and the applied rules.
INTERNAL_TAG = "a11y-internal"


@lru_cache(maxsize=1)
def axe_source() -> str:
    """axe-core's script as shipped by axe-playwright-python, read once per process."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def axe_version() -> str:
    match = re.search(r"axe v(\d+\.\d+\.\d+)", axe_source()[:500])
    return match.group(1) if match else "unknown"


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def wcag_from_tags(tags: list[str]) -> list[str]:
    """``wcag111`` -> ``1.1.1``, ``wcag1410`` -> ``1.4.10``; level tags like ``wcag21aa`` are skipped."""
    criteria = []
    for tag in tags:
        match = _WCAG_TAG.match(tag)
        if match:
            criteria.append(".".join(match.groups()))
    return criteria


def run_options(tags: list[str], disabled: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """Explicit axe options: never rely on a wrapper's defaults (they trim result types)."""
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": [*tags, INTERNAL_TAG]},
        "resultTypes": RESULT_TYPES,
        "elementRef": False,
        "selectors": True,
        "ancestry": False,
        "xpath": False,
    }
    if disabled:
        options["rules"] = {rule_id: {"enabled": False} for rule_id in sorted(disabled)}
    return options


@dataclass(frozen=True)
class AxeRule:
    id: str
    help: str
    description: str
    help_url: str
    tags: tuple[str, ...]
    act: tuple[str, ...]
    impact: str

    @property
    def wcag(self) -> list[str]:
        return wcag_from_tags(list(self.tags))


def parse_rules(raw: list[dict[str, Any]]) -> dict[str, AxeRule]:
    """``axe.getRules()`` output -> rule metadata keyed by id (our internal rule left out)."""
    rules = {}
    for item in raw:
        rule_id = item["ruleId"]
        if INTERNAL_TAG in item.get("tags", []):
            continue
        rules[rule_id] = AxeRule(
            id=rule_id,
            help=item.get("help", ""),
            description=item.get("description", ""),
            help_url=re.sub(r"\?.*$", "", item.get("helpUrl", "")),
            tags=tuple(item.get("tags", [])),
            act=tuple(item.get("actIds", []) or []),
            impact=item.get("impact") or "moderate",  # GET_RULES_JS adds each rule's impact
        )
    return rules


GET_RULES_JS = """() => axe.getRules().map(r => Object.assign(r, {
  impact: (axe._audit.rules.find(x => x.id === r.ruleId) || {}).impact || null }))"""


def _target_text(target: list[Any]) -> str:
    """axe targets are lists (one entry per frame; shadow hosts as nested lists)."""
    parts = []
    for part in target:
        parts.append(" >>> ".join(part) if isinstance(part, list) else str(part))
    return " |> ".join(parts)


def _message(node: dict[str, Any], rule: dict[str, Any]) -> str:
    summary = node.get("failureSummary") or ""
    lines = [line.strip() for line in summary.splitlines() if line.strip()]
    if not lines:
        return rule.get("help", "")
    head, *rest = lines
    return f"{head} {'; '.join(rest)}" if rest else head


def findings_from_results(results: dict[str, Any], catalog: dict[str, AxeRule], html_limit: int = 300) -> list[Finding]:
    """axe's violations and incomplete results -> Findings (incomplete -> ``needs-review``)."""
    findings: list[Finding] = []
    for key, outcome in (("violations", "violation"), ("incomplete", "needs-review")):
        for rule in results.get(key, []):
            if INTERNAL_TAG in rule.get("tags", []):
                continue
            meta = catalog.get(rule["id"])
            # One list of interned strings per rule, shared by its findings: a long run keeps
            # every finding for the report, and these repeat on every page.
            tags = [sys.intern(t) for t in rule.get("tags", [])]
            wcag = wcag_from_tags(tags)
            act = list(meta.act) if meta else []
            help_text = sys.intern(rule.get("help", ""))
            help_url = sys.intern(re.sub(r"\?.*$", "", rule.get("helpUrl", "")))
            for node in rule.get("nodes", []):
                html = re.sub(r"\s+", " ", node.get("html", ""))
                findings.append(Finding(
                    rule=rule["id"],
                    engine="axe",
                    outcome=outcome,  # type: ignore[arg-type]
                    impact=node.get("impact") or rule.get("impact") or (meta.impact if meta else "moderate"),
                    wcag=wcag,
                    tags=tags,
                    act=act,
                    target=_target_text(node.get("target", [])),
                    html=html if len(html) <= html_limit else html[: html_limit - 1] + "…",
                    message=_message(node, rule),
                    help=help_text,
                    help_url=help_url,
                ))
    return findings


def applied_rules(results: dict[str, Any]) -> dict[str, int]:
    """Rules that found something to test (violations, incomplete or passes) on the page."""
    applied: dict[str, int] = {}
    for key in ("violations", "incomplete", "passes"):
        for rule in results.get(key, []):
            if INTERNAL_TAG in rule.get("tags", []):
                continue
            applied[rule["id"]] = applied.get(rule["id"], 0) + max(1, len(rule.get("nodes", [])))
    return applied
