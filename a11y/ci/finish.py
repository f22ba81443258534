"""Finish a run once: config ignores, review decisions, the baseline, then the gate's verdict.

The engine's pages already carry merged, fingerprinted findings with source lines
(a11y/pipeline/analysis.py). What is left depends on the user's files, not the page: :class:`Finishing`
holds those files, read and checked *before* the audit starts (a bad file is a one-line error
before any browser starts), applies them to each page as it arrives (so the console's per-page
lines show the finished counts) and to the run at the end (baseline entries now fixed, stale
review decisions, the verdict). Every output reads that one finished run and its verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..model import Finding, PageResult, RunResult
from ..pipeline.criteria import compute_criteria
from .baseline import BaselineError, fixed_entries, load_baseline, mark_page
from .config import ConfigError, Ignore, selector_matches
from .gate import GatePolicy, Verdict, decide
from .review import ReviewError, load_review, review_page, stale_reviews


class FinishError(ConfigError):
    """A bad ignore, review or baseline file: one line naming the input and the cause."""


@dataclass
class Finishing:
    """What finishes a run: the inputs the user gave, already read and checked."""

    policy: GatePolicy = field(default_factory=GatePolicy)
    ignores: list[Ignore] = field(default_factory=list)
    ignores_from: str = "config"
    review: dict[str, dict[str, Any]] | None = None
    baseline: list[dict[str, Any]] | None = None

    @classmethod
    def load(cls, values: Mapping[str, Any], ignores_from: str = "config", today: dt.date | None = None) -> Finishing:
        """From config-style values (``ignore``, ``review``, ``baseline``, ``fail_on``, ``strict``,
        ``max_violations``, and ``pages``: their entries' own fail-on). Raises FinishError naming the file at fault."""
        ignores = list(values.get("ignore", []))
        expired = [i for i in ignores if i.expired(today or dt.date.today())]
        if expired:
            first = expired[0]
            raise FinishError(f"{ignores_from}: ignore of {first.rule} on {first.selector!r} expired on {first.until} ({first.reason}); "
                              "fix the finding or renew the ignore")
        try:
            review = load_review(Path(values["review"])) if values.get("review") else None
            baseline = load_baseline(Path(values["baseline"])) if values.get("baseline") else None
        except (ReviewError, BaselineError, ConfigError) as exc:
            raise FinishError(str(exc)) from None
        own = tuple((rule.match, rule.fail_on) for rule in values.get("pages", ()) if rule.fail_on is not None)
        policy = GatePolicy(fail_on=values.get("fail_on", "serious"), max_violations=int(values.get("max_violations", 0)),
                            strict=bool(values.get("strict", False)), baseline=baseline is not None, page_fail_on=own)
        return cls(policy, ignores, ignores_from, review, baseline)

    def page(self, page: PageResult) -> PageResult:
        """The page with ignores, decisions and baseline state on its findings (idempotent)."""
        page = page.with_findings(self._ignored(finding, page) for finding in page.findings)
        if self.review is not None:
            page = review_page(page, self.review)
        if self.baseline is not None:
            page = mark_page(page, {e["fingerprint"] for e in self.baseline})
        return page

    def _ignored(self, finding: Finding, page: PageResult) -> Finding:
        # an ignore of a rule (and element) merged into this finding still applies to it
        rules, targets = (finding.rule, *finding.also), (finding.target, *finding.also_targets)
        ignore = next((i for i in self.ignores if i.rule in rules and any(selector_matches(i.selector, t) for t in targets)
                       and (i.page is None or i.page in (page.name, page.key))), None)
        if ignore is None:
            return finding
        return replace(finding, review={"decision": "accepted", "note": f"ignored by config: {ignore.reason}"})

    def run(self, run: RunResult) -> RunResult:
        """The finished run: every page finished, the run-level lists filled in, and the one verdict."""
        pages = run.pages
        # a cluster run's compressed pages are finished one at a time, never all unpacked at once
        finished = replace(run, pages=pages.map(self.page) if hasattr(pages, "map") else [self.page(page) for page in pages])
        if self.review is not None:
            finished = replace(finished, stale_reviews=stale_reviews(finished, self.review))
        if self.baseline is not None:
            finished = replace(finished, baseline_fixed=fixed_entries(finished, self.baseline))
        return replace(finished, verdict=decide(finished, self.policy), criteria=compute_criteria(finished))

    def verdict(self, run: RunResult, **changes: Any) -> Verdict:
        """The verdict under this policy with ``changes`` (e.g. another ``fail_on``), for ``Run.gate()``."""
        return decide(run, replace(self.policy, **changes))


def finish(run: RunResult, values: Mapping[str, Any] | None = None, ignores_from: str = "config") -> RunResult:
    """Finish ``run`` with config-style ``values`` in one call (see :class:`Finishing`)."""
    return Finishing.load(values or {}, ignores_from).run(run)
