"""The console's view of a finished run: a line per page, what fails the gate, the totals.

It reads the same finished run and verdict as every file format (a11y/finish.py), so the
console never disagrees with report.md or the exit code. Lines are Rich markup; everything taken
from a page or a file name is made plain first (control characters shown escaped, so a file name
cannot print a GitHub workflow command or a terminal escape sequence) and markup-escaped.
"""

from __future__ import annotations

from rich.markup import escape

from ..ci.gate import verdict_of
from ..model import IMPACTS, Finding, PageResult, RunResult, Verdict
from ..text import plain

FAILING_SHOWN = 20  # failing findings listed before "and N more"
def shown(text: object, limit: int = 240) -> str:
    """``plain`` text, escaped for Rich markup."""
    return escape(plain(text, limit))


def page_line(page: PageResult) -> str:
    """One line per finished page: counts by impact, or the error."""
    name = shown(page.name)
    if page.status == "error":
        return f"[red]✗[/] {name}: [red]error[/]: {shown(page.error or '')}"
    violations = [f for f in page.findings if f.status == "violation"]
    counts = " · ".join(f"{impact} {sum(1 for f in violations if f.impact == impact)}" for impact in IMPACTS)
    review = sum(1 for f in page.findings if f.status == "needs-review")
    mark = "[green]✓[/]" if not violations else "[yellow]●[/]"
    crashed = [f.rule for f in page.findings if f.outcome == "error"]
    extra = f" · [red]rule errors: {shown(', '.join(crashed))}[/]" if crashed else ""
    new = sum(1 for f in page.findings if f.baseline == "new")
    known = sum(1 for f in page.findings if f.baseline == "known")
    delta = f" · baseline {new} new, {known} known" if new or known else ""
    return f"{mark} {name}  {counts} · needs review {review}{delta}{extra}"


def finding_line(page: PageResult, finding: Finding) -> str:
    """``pages/x.html:42  serious  alt-missing-captioned  img.hero  — message; suggest "…"``"""
    line = (finding.source_location or {}).get("line")
    where = f"{page.name}:{line}" if line else page.name
    suggestion = f'; suggest "{plain(finding.suggestion, 120)}"' if finding.suggestion else ""
    new = " [new]" if finding.baseline == "new" else ""
    return f"{shown(where)}  {finding.impact}  {finding.rule}{new}  {shown(finding.target, 80)}  — {shown(finding.message, 160)}{escape(suggestion)}"


def failing_lines(run: RunResult, verdict: Verdict, report_path: str | None = None, limit: int = FAILING_SHOWN) -> list[str]:
    """The findings that fail the gate, grouped by page in the run's order, capped at ``limit``."""
    fails = verdict.failing_test()
    chosen = [(page, f) for page, f in run.iter_findings() if fails(page, f)]
    if not chosen:
        return []
    lines = [f"[bold]failing the gate ({len(chosen)}):[/]"]
    lines += [finding_line(page, finding) for page, finding in chosen[:limit]]
    if len(chosen) > limit:
        where = f" (see {shown(report_path)})" if report_path else ""
        lines.append(f"and {len(chosen) - limit} more{where}")
    return lines


def summary_lines(run: RunResult, verdict: Verdict | None = None) -> list[str]:
    """The totals, the baseline's deltas, stale decisions, and the gate's verdict."""
    verdict = verdict or verdict_of(run)
    summary = run.summary()
    impacts = ", ".join(f"{summary['by_impact'][i]} {i}" for i in IMPACTS)
    waived = f", {summary['waived']} waived" if summary.get("waived") else ""
    lines = [f"{summary['pages']} pages, {summary['errors']} errors: {summary['violations']} violations ({impacts}), "
             f"{summary['needs_review']} need review{waived}"]
    if verdict.baseline is not None:
        b = verdict.baseline
        lines.append(f"baseline: {b['new']} new, {b['known']} known, {b['fixed']} fixed")
    if run.stale_reviews:
        lines.append(f"review: {len(run.stale_reviews)} decision(s) are stale (their finding is gone)")
    colour = "green" if verdict.status == "passed" else "red"
    lines.append(f"gate: [{colour}]{ {'error': 'incomplete'}.get(verdict.status, verdict.status)}[/] ({escape(verdict.reason)})")
    return lines
