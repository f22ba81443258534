"""The gate: one decision on a finished run (ruff/eslint/pytest style exit codes: 0, 1, 2).

Every output (console, report.md, JUnit, SARIF, GitHub annotations, the HTML report) reads the
one :class:`Verdict` that :func:`decide` makes, so none can disagree with the exit code.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..model import EXIT_CLEAN, EXIT_FINDINGS, EXIT_TOOL_ERROR, Finding, GatePolicy, PageResult, RunResult, Verdict
from ..settings import FAIL_ON_LEVELS


def counts_against(finding: Finding, policy: GatePolicy, page: PageResult | None = None) -> bool:
    """Whether ``finding`` fails the gate; on ``page``, at the level a [[pages]] entry sets for it."""
    return policy.fails(finding, page)


def failing_findings(run: RunResult, policy: GatePolicy) -> list[Finding]:
    return [f for page, f in run.iter_findings() if counts_against(f, policy, page)]


class FailingFindings(Sequence[Finding]):
    """A big run's failing findings, read again from its pages when asked (a cluster run's compressed
    pages): the verdict keeps their count, not a million Finding objects."""

    def __init__(self, run: RunResult, policy: GatePolicy, count: int) -> None:
        self._run, self._policy, self._count = run, policy, count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Finding]:
        return (f for page, f in self._run.iter_findings() if counts_against(f, self._policy, page))

    def __getitem__(self, index: Any) -> Any:
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __hash__(self) -> int:
        return hash(self._count)


def own_levels(run: RunResult, policy: GatePolicy) -> tuple[tuple[str, str], ...]:
    """(page key, level) of each audited page a [[pages]] entry's fail-on judges, in run order."""
    chosen = ((page.key, policy.own_fail_on(page)) for page in run.pages if page.status == "ok")
    return tuple((key, level) for key, level in chosen if level is not None)


def exit_code(run: RunResult, policy: GatePolicy) -> int:
    """2 when any page or rule could not be audited, else 1 when the gate fails, else 0."""
    return decide(run, policy).code


def decide(run: RunResult, policy: GatePolicy) -> Verdict:
    """The one gate decision for ``run`` (after ignores, review decisions and the baseline applied)."""
    errors = [f"{p.name}: {p.error}" for p in run.pages if p.status == "error"]
    errors += [f"{p.name}: rule {f.rule} crashed" for p, f in run.iter_findings() if f.outcome == "error"]
    failing: Sequence[Finding]
    if hasattr(run.pages, "map"):  # compressed pages: count now, read them again when a report lists them
        failing = FailingFindings(run, policy, sum(1 for page, f in run.iter_findings() if counts_against(f, policy, page)))
    else:
        failing = tuple(failing_findings(run, policy))
    code = EXIT_TOOL_ERROR if errors else EXIT_FINDINGS if len(failing) > policy.max_violations else EXIT_CLEAN
    deltas = None
    if policy.baseline:
        found = [f for _, f in run.iter_findings() if f.baseline]
        deltas = {"new": sum(1 for f in found if f.baseline == "new"), "known": sum(1 for f in found if f.baseline == "known"),
                  "fixed": len(run.baseline_fixed)}
    return Verdict(code, policy, failing, tuple(errors),  # type: ignore[arg-type]
                   run.interrupted, run.not_audited, deltas, own_levels(run, policy))


def verdict_of(run: RunResult) -> Verdict:
    """The verdict the run was finished with, else the default policy's (a reporter called on a raw run)."""
    return run.verdict if run.verdict is not None else decide(run, GatePolicy(baseline=bool(run.baseline_fixed) or
                                                                             any(f.baseline for _, f in run.iter_findings())))


__all__ = ["EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_TOOL_ERROR", "FAIL_ON_LEVELS", "GatePolicy", "Verdict", "counts_against", "decide",
           "exit_code", "failing_findings", "own_levels", "verdict_of"]
