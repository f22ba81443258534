"""The gate: decide the exit code from a run (ruff/eslint/pytest style: 0, 1, 2)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import IMPACT_RANK, Finding, RunResult

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_TOOL_ERROR = 2
FAIL_ON_LEVELS = ("critical", "serious", "moderate", "minor", "none")


@dataclass(frozen=True)
class GatePolicy:
    fail_on: str = "serious"
    max_violations: int = 0
    strict: bool = False  # needs-review findings count too
    baseline: bool = False  # only findings not in the baseline count


def counts_against(finding: Finding, policy: GatePolicy) -> bool:
    if policy.fail_on == "none":
        return False
    if policy.baseline and finding.baseline == "known":
        return False
    status = finding.status  # review decisions apply: waived and false positives never fail
    if status == "violation" or (policy.strict and status == "needs-review"):
        return IMPACT_RANK.get(finding.impact, 9) <= IMPACT_RANK[policy.fail_on]
    return False


def failing_findings(run: RunResult, policy: GatePolicy) -> list[Finding]:
    return [f for _, f in run.findings() if counts_against(f, policy)]


def exit_code(run: RunResult, policy: GatePolicy) -> int:
    """2 when any page or rule could not be audited, else 1 when the gate fails, else 0."""
    if any(p.status == "error" for p in run.pages) or any(f.outcome == "error" for _, f in run.findings()):
        return EXIT_TOOL_ERROR
    return EXIT_FINDINGS if len(failing_findings(run, policy)) > policy.max_violations else EXIT_CLEAN
