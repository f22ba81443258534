"""``report.md``: a summary fit for a pull-request comment.

Totals, the pages that could not be audited, the rules that fail most, the worst findings
with their page and selector, and the WCAG criteria matrix. GitHub refuses comments over
65,536 characters, so the report stays under :data:`SIZE_LIMIT`: when the full version is too
long it drops the links (and the full criteria table) and then rows until it fits, and says how
many findings it left out.

Page data (titles, selectors, messages) is hostile Markdown: it goes into code spans or is
escaped so it can neither break the tables, inject HTML or links, nor @-mention anyone.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..ci.gate import verdict_of
from ..model import IMPACT_RANK, IMPACTS, Finding, PageResult, RunResult
from ..pipeline.criteria import DISCLAIMER, STATUS_LABELS, criteria_of, level_of_standard, status_counts
from . import write_atomic

SIZE_LIMIT = 60_000  # characters; GitHub's comment limit is 65,536
MAX_FINDINGS = 50
MAX_RULES = 15
MAX_ERRORS = 20  # pages that could not be audited, listed by name
NEW_ROWS = 20  # new findings against the baseline, listed
TEXT_LIMIT = 160
# Backslash-escapable punctuation that means something to CommonMark/GFM inline or in tables.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&$])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|\b(www)(\.)")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def collapse(text: str | None, limit: int = TEXT_LIMIT) -> str:
    """One line, at most ``limit`` characters (cut with …)."""
    flat = re.sub(r"\s+", " ", text or "").strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def md_text(text: str | None, limit: int = TEXT_LIMIT) -> str:
    """Plain text that renders as itself: no markup, no HTML, no autolinks, no mentions."""
    escaped = _MD_SPECIAL.sub(r"\\\1", collapse(text, limit))
    escaped = _AUTOLINK.sub(lambda m: "\\:" if m.group(1) else f"{m.group(2)}\\.", escaped)
    return _MENTION.sub("@\u2060", escaped)


def md_code(text: str | None, limit: int = TEXT_LIMIT) -> str:
    """An inline code span for a table cell: its fence outgrows any backtick run inside."""
    flat = collapse(text, limit).replace("|", "\\|")
    if not flat:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def md_link(text: str, url: str) -> str:
    """A link only to our own http(s) documentation; else the escaped text."""
    parts = urlsplit(url or "")
    if parts.scheme != "https" or not parts.hostname or any(c in url for c in " ()<>\"'"):
        return md_text(text)
    return f"[{md_text(text)}]({url})"


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _worst_key(pair: tuple[PageResult, Finding]) -> tuple[bool, int, str, str, str]:
    page, finding = pair
    return finding.status != "violation", IMPACT_RANK.get(finding.impact, 9), finding.rule, page.key, finding.target


def _open_findings(run: RunResult) -> Iterator[tuple[PageResult, Finding]]:
    return ((p, f) for p, f in run.iter_findings() if f.status in ("violation", "needs-review"))


def worst_findings(run: RunResult, limit: int | None = None) -> list[tuple[PageResult, Finding]]:
    """Violations first, then findings that need review; the highest impact first in each.

    With ``limit``, only the first ``limit`` of that order, kept in a heap as the pages are read
    instead of sorting every finding of the run. heapq.nsmallest is documented to equal
    ``sorted(...)[:limit]``, ties included: it breaks them by the running index, as a stable sort does.
    """
    if limit is None:
        return sorted(_open_findings(run), key=_worst_key)
    return heapq.nsmallest(limit, _open_findings(run), key=_worst_key)


@dataclass(frozen=True)
class _RuleRow:
    rule: str
    help: str
    help_url: str
    violations: int
    needs_review: int
    pages: int


@dataclass(frozen=True)
class _Digest:
    """What the report shows of the run's findings, read once and bounded by the rows it can show
    (a run of 100,000 pages is never one list of findings): every shrinking attempt reuses it."""

    worst: list[tuple[PageResult, Finding]]  # the first MAX_FINDINGS of worst_findings(run)
    open_count: int
    new: list[tuple[PageResult, Finding]]  # the first NEW_ROWS new ones, in the same order
    rules: list[_RuleRow]  # every rule with open findings, the most failing first
    totals: str
    errors: str
    ok_pages: int


def _rule_rows(run: RunResult) -> list[_RuleRow]:
    """Per rule (bounded by the rules): open findings by status and the pages they are on."""
    counts: dict[str, list[int]] = {}
    pages: dict[str, set[str]] = {}
    helps: dict[str, tuple[str, str]] = {}
    for page, finding in _open_findings(run):
        row = counts.setdefault(finding.rule, [0, 0])
        row[0 if finding.status == "violation" else 1] += 1
        pages.setdefault(finding.rule, set()).add(page.key)
        helps.setdefault(finding.rule, (finding.help, finding.help_url))
    ordered = sorted(counts, key=lambda r: (-counts[r][0], -counts[r][1], r))
    return [_RuleRow(rule, *helps[rule], *counts[rule], len(pages[rule])) for rule in ordered]


def _errors(run: RunResult) -> str:
    lines = ["### Pages that could not be audited", ""]
    failed = 0
    for page in run.pages:
        if page.status != "error":
            continue
        failed += 1
        if failed <= MAX_ERRORS:  # the others are only counted
            lines.append(f"- {md_code(page.key, 120)}: {md_text(page.error, 200)}")
    if not failed:
        return ""
    if failed > MAX_ERRORS:
        lines.append(f"- … and {failed - MAX_ERRORS} more")
    return "\n".join(lines) + "\n"


def _digest(run: RunResult, totals: str) -> _Digest:
    worst = worst_findings(run, MAX_FINDINGS)
    new = [] if verdict_of(run).baseline is None else heapq.nsmallest(  # listed only against a baseline
        NEW_ROWS, (pf for pf in _open_findings(run) if pf[1].baseline == "new"), key=_worst_key)
    rules = _rule_rows(run)
    open_count = sum(row.violations + row.needs_review for row in rules)  # every open finding is one rule's
    return _Digest(worst, open_count, new, rules, totals, _errors(run), sum(page.status == "ok" for page in run.pages))


class MarkdownReporter:
    name = "md"
    filename = "report.md"

    def render(self, run: RunResult) -> str:
        """The fullest version that fits: with links; else link-free; else link-free with fewer rows."""
        criteria = self._criteria_rows(run)  # once: every shrinking attempt below shows the same matrix
        digest = _digest(run, self._totals(run))  # once, as well: the run's pages are read a few times here, not at each attempt
        text = self._render(run, True, MAX_FINDINGS, criteria, digest)
        rows = MAX_FINDINGS
        while len(text) > SIZE_LIMIT and rows >= 0:
            text = self._render(run, False, rows, criteria, digest)
            rows = rows - 10 if rows > 10 else rows - 1
        return text if len(text) <= SIZE_LIMIT else text[: SIZE_LIMIT - 2].rstrip() + "…\n"

    def write(self, run: RunResult, out_dir: Path) -> Path:
        return write_atomic(out_dir / self.filename, self.render(run))

    def _render(self, run: RunResult, links: bool, max_rows: int, criteria: list[dict[str, Any]] | None, digest: _Digest) -> str:
        parts = [digest.totals, digest.errors, self._baseline(run, max_rows, digest), self._rules(digest, links),
                 self._findings(digest, max_rows), self._criteria(run, criteria, links, full=links, ok_pages=digest.ok_pages), self._footer(run)]
        return "\n".join(part for part in parts if part).rstrip("\n") + "\n"

    def _totals(self, run: RunResult) -> str:
        s = run.summary()
        verdict = verdict_of(run)
        lines = ["## Accessibility report", "", f"**{md_text(verdict.headline, 300)}**", ""]
        if run.interrupted:
            lines += [f"The run was interrupted: {_pages(len(run.pages))} audited, {_pages(run.not_audited)} not audited.", ""]
        lines += [
            f"{s['violations']} violation{'s' if s['violations'] != 1 else ''} on {_pages(s['pages'])} · {s['needs_review']} need review · "
            f"{s['waived']} waived or false positive · {s['errors']} page{'s' if s['errors'] != 1 else ''} could not be audited",
            "",
            "| Impact | Violations |",
            "| --- | ---: |",
        ]
        lines += [f"| {impact} | {s['by_impact'].get(impact, 0)} |" for impact in IMPACTS]
        return "\n".join(lines) + "\n"

    def _baseline(self, run: RunResult, max_rows: int, digest: _Digest) -> str:
        """Against the baseline: how many are new, known and fixed, the new findings and the fixed entries first."""
        deltas = verdict_of(run).baseline
        if deltas is None:
            return ""
        lines = [f"### Baseline: {deltas['new']} new, {deltas['known']} known, {deltas['fixed']} fixed", ""]
        new = digest.new
        rows = max(0, min(max_rows, NEW_ROWS))
        if new and rows:
            lines += ["New:", "", "| Impact | Status | Rule | Page | Selector |", "| --- | --- | --- | --- | --- |"]
            lines += [f"| {f.impact} | {f.status} | {md_code(f.rule, 60)} | {md_code(p.key, 80)} | {md_code(f.target, 100)} |"
                      for p, f in new[:rows]]
            lines.append("")
        if run.baseline_fixed and rows:
            lines += ["Fixed:", ""]
            lines += [f"- {md_code(str(e.get('rule', '')), 60)} on {md_code(str(e.get('page', '')), 80)}: {md_code(str(e.get('target', '')), 100)}"
                      for e in run.baseline_fixed[:rows]]
            lines.append("")
        return "\n".join(lines)

    def _rules(self, digest: _Digest, links: bool) -> str:
        if not digest.rules:
            return ""
        lines = ["### Rules that fail most", "", "| Rule | What it checks | Violations | Needs review | Pages |", "| --- | --- | ---: | ---: | ---: |"]
        for row in digest.rules[:MAX_RULES]:
            name = md_link(row.rule, row.help_url) if links else md_code(row.rule)
            lines.append(f"| {name} | {md_text(row.help, 100)} | {row.violations} | {row.needs_review} | {row.pages} |")
        if len(digest.rules) > MAX_RULES:
            lines.append(f"\n… and {len(digest.rules) - MAX_RULES} more rules.")
        return "\n".join(lines) + "\n"

    def _findings(self, digest: _Digest, max_rows: int) -> str:
        worst, total = digest.worst, digest.open_count
        if not total:
            return ""
        lines = ["### Worst findings", ""]
        if max_rows > 0:
            lines += ["| Impact | Status | Rule | Page | Selector | Message |", "| --- | --- | --- | --- | --- | --- |"]
            for page, finding in worst[:max_rows]:
                lines.append(f"| {finding.impact} | {finding.status} | {md_code(finding.rule, 60)} | {md_code(page.key, 80)} | "
                             f"{md_code(finding.target, 100)} | {md_text(finding.message)} |")
        left = total - min(max_rows, total)
        if left > 0:
            lines.append(f"\n… and {left} more finding{'s' if left != 1 else ''}: see report.html for all of them.")
        return "\n".join(lines) + "\n"

    @staticmethod
    def _criteria_rows(run: RunResult) -> list[dict[str, Any]] | None:
        """The run's criteria rows; None when no page was audited."""
        if not any(page.status == "ok" for page in run.pages):
            return None
        return criteria_of(run).rows

    def _criteria(self, run: RunResult, rows: list[dict[str, Any]] | None, links: bool, full: bool, ok_pages: int) -> str:
        """The criteria matrix: the criteria with findings, then every criterion in a collapsed table.

        When the report must shrink, the full table goes with the links (report.html and
        report.json keep it).
        """
        if rows is None:
            return ""
        level = level_of_standard(str(run.tool.get("standard", "")))
        counts = ", ".join(f"{n} {STATUS_LABELS[s].lower()}" for s, n in status_counts(rows).items())
        lines = [f"### WCAG 2.2 Level {level} criteria", "", f"_{md_text(DISCLAIMER, 400)}_", "",
                 f"{len(rows)} criteria on {_pages(ok_pages)}: {counts}.", ""]
        flagged = [row for row in rows if row["status"] == "fails" or row["findings"]]
        if flagged:
            lines += [*self._criteria_table(flagged, links, check=False), ""]
        if full:
            lines += [f"<details><summary>All {len(rows)} criteria, with what a person must check</summary>", ""]
            lines += [*self._criteria_table(rows, links, check=True), "", "</details>", ""]
        else:
            lines += ["Every criterion, with what a person must check, is in report.html and report.json.", ""]
        return "\n".join(lines)

    def _criteria_table(self, rows: list[dict[str, Any]], links: bool, check: bool) -> list[str]:
        header = "| Criterion | Level | Status | Pages | Why |" + (" What a person must check |" if check else "")
        lines = [header, "| --- | --- | --- | --- | --- |" + (" --- |" if check else "")]
        for row in rows:
            name = f"{row['id']} {row['name']}"
            label = STATUS_LABELS[row["status"]]
            pages = ", ".join(f"{STATUS_LABELS[s].lower()} {n}" for s, n in row["pages"].items())
            cells = [md_link(name, row["url"]) if links else md_text(name), row["level"], f"**{label}**" if row["status"] == "fails" else label,
                     md_text(pages), md_text(row["reason"], 300)]
            if check:
                cells.append("" if row["status"] == "not-applicable" else md_text(row["manual_check"], 300))
            lines.append("| " + " | ".join(cells) + " |")
        return lines

    def _footer(self, run: RunResult) -> str:
        tool = run.tool or {}
        return (f"<sub>{md_text(str(tool.get('name', 'a11y')))} {md_text(str(tool.get('version', '')))}, axe-core "
                f"{md_text(str(tool.get('axe', '')))}, standard {md_text(str(tool.get('standard', '')))}</sub>\n")


REPORTER = MarkdownReporter()
