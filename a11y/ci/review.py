"""Review decisions: what reviewers decided in the HTML report, applied to a run.

``review.json`` (exported by the HTML report's download button)::

    {"schema": "a11y-review/1",
     "decisions": {"<fingerprint>": {"decision": "confirmed" | "false-positive" | "accepted" | "pass" | "fail",
                                     "note": "...", "rule": "...", "page": "...", "target": "...",
                                     "date": "YYYY-MM-DD"}}}

``pass`` and ``fail`` are for needs-review findings. See ``Finding.status`` for their effect.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..files import read_schema_json
from ..model import Finding, PageResult, RunResult

REVIEW_SCHEMA = "a11y-review/1"
DECISIONS = ("confirmed", "false-positive", "accepted", "pass", "fail")


class ReviewError(ValueError):
    """The review file is unreadable or malformed; the message names the file and the cause."""


def load_review(path: Path) -> dict[str, dict[str, str]]:
    data = read_schema_json(path, REVIEW_SCHEMA, "decisions", dict, "review file", ReviewError)
    decisions: dict[str, dict[str, str]] = {}
    for fingerprint, entry in data["decisions"].items():
        if not isinstance(entry, dict) or entry.get("decision") not in DECISIONS:
            raise ReviewError(f"{path}: decision for {fingerprint} must be one of {', '.join(DECISIONS)}")
        decisions[str(fingerprint)] = {k: str(v) for k, v in entry.items() if isinstance(v, (str, int, float))}
    return decisions


def apply_review(run: RunResult, decisions: dict[str, dict[str, Any]]) -> RunResult:
    """The run with decisions attached to findings by fingerprint, and the decisions whose finding is gone."""
    reviewed = replace(run, pages=[review_page(page, decisions) for page in run.pages])
    return replace(reviewed, stale_reviews=stale_reviews(reviewed, decisions))


def review_page(page: PageResult, decisions: dict[str, dict[str, Any]]) -> PageResult:
    """One page with its decisions, by fingerprint (or the fingerprint of a finding merged into it)."""
    return page.with_findings(_reviewed(finding, decisions) for finding in page.findings)


def _reviewed(finding: Finding, decisions: dict[str, dict[str, Any]]) -> Finding:
    entry = next((decisions[fp] for fp in (finding.fingerprint, *finding.also_fingerprints) if fp in decisions), None)
    if entry is None:
        return finding
    if entry["decision"] in ("pass", "fail") and finding.outcome != "needs-review":
        return finding  # pass/fail only decide needs-review findings
    review = {k: entry[k] for k in ("decision", "note", "date") if entry.get(k)}
    review.setdefault("note", "")
    return replace(finding, review=review)


def stale_reviews(run: RunResult, decisions: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Decisions whose finding is gone from the run."""
    used = {fp for _, f in run.iter_findings() if f.review is not None for fp in (f.fingerprint, *f.also_fingerprints)}
    return [
        {"fingerprint": fp, **{k: v for k, v in entry.items() if k in ("decision", "note", "rule", "page", "target")}}
        for fp, entry in sorted(decisions.items()) if fp not in used
    ]
