"""The data that flows through the pipeline: findings, page results, run results.

Everything here is plain data with a deterministic ``to_dict`` so that reporters,
the pytest plugin to come and a distributed runner all see the same contract
(``a11y-report/1``, documented in the README).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urlsplit

from .steps import fail_on_for
from .text import plain

Outcome = Literal["violation", "needs-review", "error"]
Impact = Literal["critical", "serious", "moderate", "minor"]

IMPACTS: tuple[str, ...] = ("critical", "serious", "moderate", "minor")
IMPACT_RANK: dict[str, int] = {name: rank for rank, name in enumerate(IMPACTS)}
REPORT_SCHEMA = "a11y-report/1"
EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_TOOL_ERROR = 2
Status = Literal["passed", "failed", "error", "interrupted"]
HEADLINES: dict[str, str] = {"passed": "✅ passed", "failed": "❌ failed", "error": "⚠️ could not audit", "interrupted": "⚠️ interrupted"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem on one element, from axe-core or from one of our rules.

    Immutable: each stage that adds to a finding (fingerprint, merge, source line, review,
    baseline) makes a new one with ``dataclasses.replace``, so no later stage changes what an
    earlier one, or a report, already holds.
    """

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
    # Rules whose finding on the same element, for the same cause, merged into this one (a11y/merge.py),
    # and those findings' fingerprints: a baseline or review decision made on one of them still applies.
    also: list[str] = field(default_factory=list)
    also_fingerprints: list[str] = field(default_factory=list)
    also_targets: list[str] = field(default_factory=list)  # their elements' selectors: a config ignore of one still applies

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
            "also": list(self.also),
            "also_targets": list(self.also_targets),
        }


def _freeze(item: Any, *names: str) -> None:
    """Store the named lists of a frozen dataclass as tuples. Another read-only sequence (a tuple, a
    cluster run's compressed pages) is kept as it is."""
    for name in names:
        value = getattr(item, name)
        if isinstance(value, (list, Iterator)):
            object.__setattr__(item, name, tuple(value))


@dataclass(frozen=True)
class PageResult:
    """What auditing one target produced; ``status`` is ``error`` when it could not be audited.

    Immutable, as its findings are: the pipeline makes a new one at each stage (``dataclasses.replace``).
    """

    source: str | None
    url: str
    title: str = ""
    status: Literal["ok", "error"] = "ok"
    error: str | None = None
    findings: tuple[Finding, ...] = ()
    warnings: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=lambda: {"load_s": 0.0, "axe_s": 0.0, "rules_s": 0.0})
    final_url: str | None = None
    # Rules that found something to test on the page, with how many elements: JUnit and the
    # criteria view tell "no failures" from "not applicable" with it.
    applied: dict[str, int] = field(default_factory=dict)
    # Screenshot bytes and page size for the HTML report; never serialised to JSON.
    screenshot: bytes | None = field(default=None, repr=False)
    page_size: dict[str, float] | None = None
    snapshot: Any = field(default=None, repr=False)  # a11y.snapshot.Snapshot when kept
    # How the page was found (a11y.pipeline.targets.FoundBy.to_dict): target, sitemap, feed or crawl.
    found_by: dict[str, Any] = field(default_factory=lambda: {"kind": "target"})

    def __post_init__(self) -> None:
        _freeze(self, "findings", "warnings")

    def with_findings(self, findings: Iterable[Finding]) -> PageResult:
        return replace(self, findings=tuple(findings))

    @property
    def name(self) -> str:
        """The page as the user named it: its file, else its URL. What messages show."""
        return self.source or self.url

    @property
    def key(self) -> str:
        """The page's identity across runs: its file, else its URL without the loopback server's
        port (a new port each run). Fingerprints, baselines and reports' page lists use it."""
        if self.source:
            return self.source
        parts = urlsplit(self.url)
        host = "loopback" if parts.hostname in ("127.0.0.1", "localhost", "::1") else parts.hostname or ""
        return f"{parts.scheme}://{host}{parts.path}" + (f"?{parts.query}" if parts.query else "")

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.findings if f.outcome == outcome)

    @property
    def violations(self) -> list[Finding]:
        """The findings that are violations once review decisions and ignores apply."""
        return [f for f in self.findings if f.status == "violation"]

    def failure_message(self, fail_on: str = "serious", *, strict: bool = False) -> str | None:
        """Why the page fails a gate at ``fail_on``, as lines a person reads; None when it passes."""
        name = plain(self.name)
        errors = ([f"{self.name}: {self.error}"] if self.status == "error" else []) + \
            [f"{self.name}: rule {f.rule} crashed" for f in self.findings if f.outcome == "error"]
        if errors:
            return "\n".join([f"a11y: {name} could not be fully audited", *(f"  {plain(e)}" for e in errors)])
        policy = GatePolicy(fail_on=fail_on, strict=strict)
        failing = [f for f in self.findings if policy.fails(f)]
        if not failing:
            return None
        counts = ", ".join(f"{sum(1 for f in failing if f.impact == i)} {i}" for i in IMPACTS if any(f.impact == i for f in failing))
        lines = [f"a11y: {len(failing)} violation(s) at or above {fail_on} on {name} ({counts})"]
        for finding in failing:
            line = f" (line {finding.source_location['line']})" if finding.source_location else ""
            lines.append(f"  {finding.impact:<9}{finding.rule}  {plain(finding.target)}{line}")
            lines.append(f"{'':11}{plain(finding.message)}")
            if finding.suggestion:
                lines.append(f"{'':11}fix: {plain(finding.suggestion)}")
        return "\n".join(lines)

    def assert_clean(self, fail_on: str = "serious", *, strict: bool = False) -> None:
        """Raise AssertionError listing the violations at or above ``fail_on`` (``strict``: needs-review too)."""
        message = self.failure_message(fail_on, strict=strict)
        if message:
            raise AssertionError(message)

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


@dataclass(frozen=True)
class CriteriaView:
    """A run's WCAG criteria at its standard's level: each page's rows (in the order of the pages) and the run's."""

    level: str
    pages: list[list[dict[str, Any]]]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class RunResult:
    """The outcome of one audit run over many pages. Immutable: finishing it makes a new one."""

    pages: tuple[PageResult, ...]
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
    # How many targets the run set out to audit: an interrupted run says how many were never audited.
    planned: int | None = None
    # The gate's decision, set by a11y.ci.finish.finish(); every report reads it (a11y.ci.gate.Verdict).
    verdict: Verdict | None = field(default=None, repr=False)
    # The WCAG criteria view, computed once by finishing (a11y.pipeline.criteria); every report reads it.
    criteria: CriteriaView | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        _freeze(self, "pages")

    @property
    def not_audited(self) -> int:
        """Targets the run never audited (an interrupted run), 0 when it did them all."""
        return max(0, (self.planned or len(self.pages)) - len(self.pages))

    def findings(self) -> list[tuple[PageResult, Finding]]:
        return list(self.iter_findings())

    def iter_findings(self) -> Iterator[tuple[PageResult, Finding]]:
        """The run's findings with their pages, a page at a time (a cluster run's pages are unpacked one by one)."""
        return ((page, f) for page in self.pages for f in page.findings)

    def summary(self) -> dict[str, Any]:
        by_impact = {name: 0 for name in IMPACTS}
        by_rule: dict[str, int] = {}
        violations = needs_review = rule_errors = 0
        waived = 0
        errors = 0
        for page in self.pages:  # once, a page at a time
            errors += page.status == "error"
            for finding in page.findings:
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
            "errors": errors,
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
            "planned": self.planned if self.planned is not None else len(self.pages),
            "not_audited": self.not_audited,
            **({"verdict": self.verdict.to_dict()} if self.verdict is not None else {}),
            "pages": [p.to_dict() for p in self.pages],
            "summary": self.summary(),
            "baseline_fixed": list(self.baseline_fixed),
            "stale_reviews": list(self.stale_reviews),
        }


@dataclass(frozen=True)
class GatePolicy:
    fail_on: str = "serious"
    max_violations: int = 0
    strict: bool = False  # needs-review findings count too
    baseline: bool = False  # only findings not in the baseline count
    # [[pages]] entries' own fail-on, (match, level) in the config's order: a page whose URL an entry's
    # regex matches is judged at that level (the last matching entry wins; see a11y.steps.fail_on_for).
    page_fail_on: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "page_fail_on", tuple((str(m), str(level)) for m, level in self.page_fail_on))

    def own_fail_on(self, page: PageResult) -> str | None:
        """The level a [[pages]] entry sets for ``page``, None when no entry does (the run's applies)."""
        return fail_on_for(page.url, self.page_fail_on) if self.page_fail_on and page.url else None

    def fail_on_for(self, page: PageResult | None) -> str:
        """The level ``page`` is judged at: its [[pages]] entry's, else the run's."""
        return (self.own_fail_on(page) if page is not None else None) or self.fail_on

    def fails(self, finding: Finding, page: PageResult | None = None) -> bool:
        """Whether ``finding`` (on ``page``, when given) counts against the gate (review decisions and the baseline applied)."""
        fail_on = self.fail_on_for(page)
        if fail_on == "none" or (self.baseline and finding.baseline == "known"):
            return False
        status = finding.status  # waived and false positives never fail
        if status == "violation" or (self.strict and status == "needs-review"):
            return IMPACT_RANK.get(finding.impact, 9) <= IMPACT_RANK[fail_on]
        return False


@dataclass(frozen=True)
class Verdict:
    """The gate's decision on a run; ``code`` is the CLI's exit code (0 passed, 1 failed, 2 incomplete)."""

    code: int
    policy: GatePolicy
    failing: tuple[Finding, ...] = ()
    errors: tuple[str, ...] = ()  # pages and rules that could not be audited
    interrupted: bool = False
    not_audited: int = 0  # targets an interrupted run never reached
    baseline: dict[str, int] | None = None  # {"new", "known", "fixed"} when a baseline was applied
    # (page key, level) of each audited page whose level a [[pages]] entry's fail-on set, in run order
    page_fail_on: tuple[tuple[str, str], ...] = ()

    @property
    def passed(self) -> bool:
        return self.code == EXIT_CLEAN and not self.interrupted

    def __bool__(self) -> bool:
        return self.passed

    @property
    def status(self) -> Status:
        if self.interrupted:
            return "interrupted"
        return "error" if self.code == EXIT_TOOL_ERROR else "failed" if self.code == EXIT_FINDINGS else "passed"

    @property
    def headline(self) -> str:
        """``✅ passed`` / ``❌ failed`` / ``⚠️ could not audit`` / ``⚠️ interrupted``, with the reason."""
        return f"{HEADLINES[self.status]}: {self.reason}"

    @property
    def reason(self) -> str:
        if self.interrupted:
            return f"the run was interrupted; {self.not_audited} page(s) were not audited"
        if self.code == EXIT_TOOL_ERROR:
            return f"{len(self.errors)} page(s) or rule(s) could not be audited"
        count = len(self.failing)
        what = ("new " if self.policy.baseline else "") + ("violation" if count == 1 else "violations")
        if self.policy.strict:
            what += " or needs-review findings"
        more = f", {self.policy.max_violations} allowed" if self.policy.max_violations else ""
        if not self.page_fail_on:
            if self.policy.fail_on == "none":
                return "--fail-on none: findings never fail the gate"
            return f"{count} {what} at or above {self.policy.fail_on}{more}"
        levels = [level for _, level in self.page_fail_on]
        own = ", ".join(f"{level} on {levels.count(level)} page(s)" for level in dict.fromkeys(levels))
        if self.policy.fail_on == "none":
            return f"{count} {what} at their [[pages]] fail-on ({own}); --fail-on none on the other pages{more}"
        return f"{count} {what} at or above {self.policy.fail_on}, [[pages]] fail-on: {own}{more}"

    def __str__(self) -> str:
        word = {"passed": "passed", "failed": "failed", "error": "incomplete", "interrupted": "interrupted"}[self.status]
        return f"gate: {word} ({self.reason})"

    def fails(self, finding: Finding) -> bool:
        if isinstance(self.failing, tuple):
            return any(f is finding for f in self.failing)
        return finding in self.failing  # a big run's failing findings, read again from its pages: equal, not the same objects

    def failing_test(self) -> Callable[[PageResult, Finding], bool]:
        """Whether a finding (on its page) is one of the run's failing ones, for a reader going through the run's pages."""
        if isinstance(self.failing, tuple):
            ids = {id(f) for f in self.failing}
            return lambda _page, finding: id(finding) in ids
        return lambda page, finding: self.policy.fails(finding, page)  # what decided them (a11y.ci.gate.failing_findings)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "exit_code": self.code, "reason": self.reason, "failing": len(self.failing),
                "fail_on": self.policy.fail_on, "strict": self.policy.strict, "max_violations": self.policy.max_violations,
                "errors": list(self.errors), "interrupted": self.interrupted, "not_audited": self.not_audited,
                "baseline": dict(self.baseline) if self.baseline is not None else None,
                "page_fail_on": [{"page": key, "fail_on": level} for key, level in self.page_fail_on]}
