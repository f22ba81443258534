"""GitHub Actions: annotations on the source lines of findings, and the job's step summary.

``annotations(run, verdict)`` gives workflow commands (``::error file=…,line=…,col=…,title=…::message``)
that GitHub shows on the pull request's diff, from the gate's one verdict: ``error`` for the findings
that fail the gate, ``notice`` for new findings below its threshold (without a baseline every finding
is new), and nothing for findings the baseline knows or a reviewer waived. Failing findings come
first; GitHub shows only so many per step, so the list is bounded and ends with a notice saying how
many were left out. Everything comes from the audited page, so it is escaped as GitHub's toolkit does.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..ci.gate import verdict_of
from ..model import IMPACT_RANK, Finding, PageResult, RunResult, Verdict
from ..pipeline.sourcemap import source_path

SUMMARY_LIMIT = 1024 * 1024  # GitHub rejects a step summary over 1 MiB
ANNOTATED = ("violation", "needs-review")


def escape_data(text: str) -> str:
    """A command's message: ``%``, CR and LF encoded (GitHub's toolkit ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value: as data, plus ``:`` and ``,`` (``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """``::name key=value,…::message`` with properties in the given order; None values are left out."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _file(page: PageResult, cwd: Path) -> str | None:
    """The page's source path as the repository knows it (relative, forward slashes), else None."""
    path = source_path(page, cwd)
    if path is None:
        return None
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def annotation(page: PageResult, finding: Finding, cwd: Path, level: str = "error") -> str:
    spot = finding.source_location or {}
    file = _file(page, cwd)
    title = f"a11y {finding.rule} ({finding.impact})" + (" [new]" if finding.baseline == "new" else "")
    lines = [finding.message or finding.help]
    if finding.suggestion:
        lines.append(f"Suggestion: {finding.suggestion}")
    lines.append(f"Element: {finding.target}")
    if file is None:
        lines.append(f"Page: {page.url or page.name}")
    if finding.help_url:
        lines.append(f"More: {finding.help_url}")
    return command(level, "\n".join(lines), file=file,
                   line=spot.get("line") if file else None, col=spot.get("column") if file else None, title=title)


def annotations(run: RunResult, verdict: Verdict | None = None, limit: int = 50, cwd: Path | None = None) -> list[str]:
    """Workflow commands: the gate's failing findings (error), then new ones below its threshold (notice)."""
    cwd = cwd or Path.cwd()
    verdict = verdict or verdict_of(run)
    fails = verdict.failing_test()
    chosen: list[tuple[PageResult, Finding, str]] = []
    for page, finding in run.iter_findings():
        if fails(page, finding):
            chosen.append((page, finding, "error"))
        elif finding.status in ANNOTATED and finding.baseline != "known":
            chosen.append((page, finding, "notice"))
    chosen.sort(key=lambda item: (item[2] != "error", IMPACT_RANK.get(item[1].impact, 9)))  # stable within a rank
    lines = [annotation(page, finding, cwd, level) for page, finding, level in chosen[: max(0, limit)]]
    left = len(chosen) - len(lines)
    if left > 0:
        lines.append(command("notice", f"{left} more accessibility finding(s) not annotated (limit {limit}); see the a11y report.",
                             title="a11y: more findings"))
    return lines


def append_step_summary(markdown: str) -> None:
    """Append Markdown to the job summary when ``$GITHUB_STEP_SUMMARY`` names a file; cut to GitHub's 1 MiB."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    text = markdown if markdown.endswith("\n") else markdown + "\n"
    data = text.encode("utf-8")
    if len(data) > SUMMARY_LIMIT:
        note = b"\n\n_(summary cut to GitHub's 1 MiB limit; see the full report)_\n"
        data = data[: SUMMARY_LIMIT - len(note)].decode("utf-8", errors="ignore").encode("utf-8") + note
    try:
        with open(target, "ab") as handle:
            handle.write(data)
    except OSError:
        pass  # a summary we cannot write must not fail the audit; the reports are still written
