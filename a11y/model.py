"""The data that flows through the pipeline: findings, page results, run results.

Everything here is plain data with a deterministic ``to_dict`` so that reporters,
the pytest plugin to come and a distributed runner all see the same contract
(``a11y-report/1``, documented in the README).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Outcome = Literal["violation", "needs-review", "error"]
Impact = Literal["critical", "serious", "moderate", "minor"]

IMPACTS: tuple[str, ...] = ("critical", "serious", "moderate", "minor")
IMPACT_RANK: dict[str, int] = {name: rank for rank, name in enumerate(IMPACTS)}
REPORT_SCHEMA = "a11y-report/1"


@dataclass(slots=True)
class Finding:
    """One problem on one element, from axe-core or from one of our rules."""

    rule: str
    engine: Literal["axe", "a11y"]
    outcome: Outcome
    impact: Impact
    target: str
    html: str
    message: str
    wcag: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    act: list[str] = field(default_factory=list)
    suggestion: str | None = None
    help: str = ""
    help_url: str = ""
    fingerprint: str = ""
    # Where the element is in the rendered page (CSS px); used by the HTML report.
    box: dict[str, float] | None = None
    # Document-order index of the element in the snapshot, when known.
    element_index: int | None = None
    # A reviewer's decision from --review: {"decision": ..., "note": ...}; see a11y/review.py.
    review: dict[str, str] | None = None
    # With --baseline: "new" (not in the baseline) or "known".
    baseline: str | None = None
    # Where the element is in the page's source file (local pages): {"line": n, "column": n}.
    source_location: dict[str, int] | None = None

    @property
    def status(self) -> str:
        """The outcome once review decisions apply: what the gate and the reports count.

        violation / needs-review as found; ``waived`` (accepted), ``false-positive``,
        ``violation`` for a needs-review finding a reviewer failed, ``passed`` for one they passed.
        """
        decision = (self.review or {}).get("decision")
        if decision == "false-positive":
            return "false-positive"
        if decision == "accepted":
            return "waived"
        if self.outcome == "needs-review" and decision == "fail":
            return "violation"
        if self.outcome == "needs-review" and decision == "pass":
            return "passed"
        return self.outcome

    def sort_key(self) -> tuple[Any, ...]:
        return (
            IMPACT_RANK.get(self.impact, 9),
            self.outcome,
            self.rule,
            self.target,
            self.html,
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "engine": self.engine,
            "outcome": self.outcome,
            "impact": self.impact,
            "wcag": list(self.wcag),
            "tags": list(self.tags),
            "act": list(self.act),
            "target": self.target,
            "html": self.html,
            "message": self.message,
            "suggestion": self.suggestion,
            "help": self.help,
            "help_url": self.help_url,
            "fingerprint": self.fingerprint,
            "status": self.status,
            "review": self.review,
            "baseline": self.baseline,
            "source_location": self.source_location,
            "box": self.box,
        }


@dataclass
class PageResult:
    """What auditing one target produced; ``status`` is ``error`` when it could not be audited."""

    source: str | None
    url: str
    title: str = ""
    status: Literal["ok", "error"] = "ok"
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=lambda: {"load_s": 0.0, "axe_s": 0.0, "rules_s": 0.0})
    final_url: str | None = None
    # Rules that found something to test on the page, with how many elements: JUnit and the
    # criteria view tell "no failures" from "not applicable" with it.
    applied: dict[str, int] = field(default_factory=dict)
    # Screenshot bytes and page size for the HTML report; never serialised to JSON.
    screenshot: bytes | None = field(default=None, repr=False)
    page_size: dict[str, float] | None = None
    snapshot: Any = field(default=None, repr=False)  # a11y.snapshot.Snapshot when kept
    # How the page was found (a11y.targets.FoundBy.to_dict): target, sitemap, feed or crawl.
    found_by: dict[str, Any] = field(default_factory=lambda: {"kind": "target"})
    links: list[str] = field(default_factory=list, repr=False)  # the rendered page's links, when crawling
    fail_on: str | None = None  # a [[pages]] entry's fail-on for this page; never serialised

    @property
    def key(self) -> str:
        """A name for the page that does not depend on the server's port."""
        return self.source or self.url

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.findings if f.outcome == outcome)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "url": self.url,
            "final_url": self.final_url,
            "title": self.title,
            "status": self.status,
            "error": self.error,
            "warnings": list(self.warnings),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "rules_applied": dict(sorted(self.applied.items())),
            "findings": [f.to_dict() for f in self.findings],
            "found_by": dict(self.found_by),
        }


@dataclass
class RunResult:
    """The outcome of one audit run over many pages."""

    pages: list[PageResult]
    tool: dict[str, Any]
    started: str
    duration_s: float = 0.0
    interrupted: bool = False
    # Baseline entries whose finding is gone (fixed), and review decisions whose finding is gone.
    baseline_fixed: list[dict[str, Any]] = field(default_factory=list)
    stale_reviews: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    # Rule id -> WCAG criteria it tests, for every rule that ran (axe's and ours): the criteria view
    # tells "no automated failures" from "not tested" with it.
    rule_criteria: dict[str, list[str]] = field(default_factory=dict)

    def findings(self) -> list[tuple[PageResult, Finding]]:
        return [(page, f) for page in self.pages for f in page.findings]

    def summary(self) -> dict[str, Any]:
        by_impact = {name: 0 for name in IMPACTS}
        by_rule: dict[str, int] = {}
        violations = needs_review = rule_errors = 0
        waived = 0
        for _, finding in self.findings():
            status = finding.status
            if status == "violation":
                violations += 1
                by_impact[finding.impact] = by_impact.get(finding.impact, 0) + 1
                by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
            elif status == "needs-review":
                needs_review += 1
            elif status == "error":
                rule_errors += 1
            elif status in ("waived", "false-positive"):
                waived += 1
        return {
            "pages": len(self.pages),
            "errors": sum(1 for p in self.pages if p.status == "error"),
            "violations": violations,
            "needs_review": needs_review,
            "rule_errors": rule_errors,
            "waived": waived,
            "by_impact": by_impact,
            "by_rule": dict(sorted(by_rule.items())),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": REPORT_SCHEMA,
            "tool": dict(self.tool),
            "started": self.started,
            "duration_s": round(self.duration_s, 3),
            "interrupted": self.interrupted,
            "pages": [p.to_dict() for p in self.pages],
            "summary": self.summary(),
            "baseline_fixed": list(self.baseline_fixed),
            "stale_reviews": list(self.stale_reviews),
        }
