"""Baselines: record today's findings, then fail only on findings that are not in the record.

``reports/baseline.json``::

    {"schema": "a11y-baseline/1", "entries": [{"fingerprint", "page", "rule", "target", "impact", "outcome"}]}

Fingerprints (a11y/fingerprint.py) survive ports, edits elsewhere, whitespace, reordering and
generated class names, so a pull request's unrelated changes do not turn old findings into new ones.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..files import read_schema_json, write_atomic
from ..model import Finding, PageResult, RunResult

BASELINE_SCHEMA = "a11y-baseline/1"


class BaselineError(ValueError):
    """An unreadable or malformed baseline file; the message names it and the cause."""


def baseline_entries(run: RunResult) -> list[dict[str, Any]]:
    entries = [
        {"fingerprint": f.fingerprint, "page": page.key, "rule": f.rule, "target": f.target, "impact": f.impact, "outcome": f.outcome}
        for page, f in run.iter_findings() if f.outcome in ("violation", "needs-review")
    ]
    return sorted(entries, key=lambda e: (e["page"], e["rule"], e["target"], e["fingerprint"]))


def write_baseline(run: RunResult, path: Path) -> Path:
    data = {"schema": BASELINE_SCHEMA, "tool": {"name": "a11y", "version": run.tool.get("version", "")},
            "entries": baseline_entries(run)}
    return write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def load_baseline(path: Path) -> list[dict[str, Any]]:
    data = read_schema_json(path, BASELINE_SCHEMA, "entries", list, "baseline", BaselineError)
    if not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in data["entries"]):
        raise BaselineError(f"{path}: every baseline entry needs a 'fingerprint'")
    return data["entries"]


def apply_baseline(run: RunResult, entries: list[dict[str, Any]]) -> RunResult:
    """The run with findings marked ``new`` or ``known``; entries of audited pages whose finding is gone are ``fixed``."""
    known = {e["fingerprint"] for e in entries}
    marked = replace(run, pages=[mark_page(page, known) for page in run.pages])
    return replace(marked, baseline_fixed=fixed_entries(marked, entries))


def mark_page(page: PageResult, known: set[str]) -> PageResult:
    """One page with its findings ``new`` or ``known``: a merged finding is known when any finding it absorbed was."""
    return page.with_findings(_marked(finding, known) for finding in page.findings)


def _marked(finding: Finding, known: set[str]) -> Finding:
    if finding.outcome not in ("violation", "needs-review"):
        return finding
    was_known = finding.fingerprint in known or any(fp in known for fp in finding.also_fingerprints)
    return replace(finding, baseline="known" if was_known else "new")


def fixed_entries(run: RunResult, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Baseline entries of pages audited this time whose finding is gone."""
    seen = {fp for _, f in run.iter_findings() for fp in (f.fingerprint, *f.also_fingerprints)}
    audited = {p.key for p in run.pages if p.status == "ok"}
    return [e for e in entries if e["fingerprint"] not in seen and e.get("page") in audited]
