"""The criteria view: every WCAG success criterion of a level, with what the audit says about it.

A list of findings does not answer "does this page conform to WCAG 2.1 AA / Section 508, and
where not?". This module folds a page's (or a run's) findings into one row per success criterion:

- ``fails``: a confirmed violation (``Finding.status == "violation"``) maps to it;
- ``needs-review``: findings wait for a person, or no automated rule can decide the criterion;
- ``reviewed-no-failures``: every finding flagged for review was passed by a reviewer;
- ``no-automated-failures``: the rules that test it ran and found nothing (never "passes");
- ``not-applicable``: the rules' applicability shows the page has nothing it applies to.

The criteria come from one table, ``a11y/data/wcag22.json`` (``scripts/make_criteria_data.py``
builds it from GSA's OpenACR catalog). Which rules test which criteria is passed in as
``rule_criteria`` (rule id -> criterion numbers) for every rule that *ran*: see
:func:`rule_criteria_for`. Section 508 (WCAG 2.0 A/AA) and EN 301 549 clause 9 (WCAG 2.1 A/AA)
are views of the same table (``standard=``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..model import CriteriaView, Finding, PageResult, RunResult

STATUSES = ("fails", "needs-review", "reviewed-no-failures", "no-automated-failures", "not-applicable")
STATUS_LABELS = {
    "fails": "Fails",
    "needs-review": "Needs review",
    "reviewed-no-failures": "Reviewed: no failures",
    "no-automated-failures": "No automated failures",
    "not-applicable": "Not applicable",
}
DISCLAIMER = (
    "Automated checks cannot prove conformance: \"no automated failures\" means the rules that test a criterion "
    "ran and found nothing, not that the criterion is met. Each criterion lists what a person must still check."
)
LEVELS: dict[str, tuple[str, ...]] = {"A": ("A",), "AA": ("A", "AA"), "AAA": ("A", "AA", "AAA")}
# WCAG versions each view covers; Section 508 incorporates WCAG 2.0, EN 301 549 v3.2.1 clause 9 WCAG 2.1.
STANDARD_VERSIONS: dict[str, tuple[str, ...]] = {
    "wcag22": ("2.0", "2.1", "2.2"),
    "wcag21": ("2.0", "2.1"),
    "wcag20": ("2.0",),
    "section508": ("2.0",),
    "en301549": ("2.0", "2.1"),
    "catalog": ("2.0", "2.1", "2.2"),  # everything in the VPAT 2.5 catalog, 4.1.1 included (the ACR)
}

# Content that some criteria only apply to, and the rules whose applicability shows a page has
# none of it: one tuple per kind of element; a kind is ruled out when one of its rules ran and
# no rule of the group found anything to test (an iframe or object may embed a player, so they
# count as video). axe 4.12 no longer runs audio-caption, so "media" (audio too) is ruled out
# only when some rule that applies to <audio> runs; none does by default.
_VIDEO = (("video-caption",), ("frame-title", "frame-tested"), ("object-alt",))
EVIDENCE: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    "video": ("no video, iframe or object elements", _VIDEO),
    "media": ("no audio, video, iframe or object elements", (("audio-caption",), *_VIDEO)),
    "forms": ("no form fields (input, select, textarea or ARIA input widgets)",
              (("label",), ("select-name",), ("aria-input-field-name",), ("aria-toggle-field-name",))),
    "links": ("no links", (("link-name",), ("area-alt",))),
}


@dataclass(frozen=True)
class Criterion:
    """One success criterion: a row of ``a11y/data/wcag22.json``."""

    id: str
    name: str
    level: str
    version: str
    removed_in: str | None
    url: str
    automatable: bool
    applies_to: str | None
    manual_check: str

    @property
    def sort_key(self) -> tuple[int, ...]:
        return criterion_key(self.id)

    @property
    def en_clause(self) -> str:
        """EN 301 549 clause 9 numbers WCAG's criteria as 9.<criterion>: 1.1.1 -> 9.1.1.1."""
        return f"9.{self.id}"


def criterion_key(criterion_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in criterion_id.split(".") if part.isdigit())


@lru_cache(maxsize=1)
def criteria_data() -> dict[str, Any]:
    """The committed table (criteria plus the OpenACR catalog's chapters), read once."""
    return json.loads(resources.files("a11y").joinpath("data/wcag22.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def all_criteria() -> tuple[Criterion, ...]:
    rows = criteria_data()["criteria"]
    return tuple(sorted((Criterion(**row) for row in rows), key=lambda c: c.sort_key))


def get_criterion(criterion_id: str) -> Criterion | None:
    return next((c for c in all_criteria() if c.id == criterion_id), None)


def criteria_table(level: str = "AA", standard: str = "wcag22") -> list[Criterion]:
    """The criteria of a conformance level in a standard's view, in criterion order."""
    if level not in LEVELS:
        raise ValueError(f"level {level!r}: choose from {', '.join(LEVELS)}")
    if standard not in STANDARD_VERSIONS:
        raise ValueError(f"standard {standard!r}: choose from {', '.join(STANDARD_VERSIONS)}")
    versions = STANDARD_VERSIONS[standard]
    newest = versions[-1]
    return [
        c for c in all_criteria()
        if c.level in LEVELS[level] and c.version in versions
        and (standard == "catalog" or c.removed_in is None or c.removed_in > newest)
    ]


def level_of_standard(standard: str) -> str:
    """The conformance level an audit standard targets: ``wcag21aa`` -> ``AA``, ``wcag2a`` -> ``A``."""
    match = re.search(r"(a{1,3})$", standard.lower())
    return match.group(1).upper() if match else "AA"


# -- which rules test which criteria --------------------------------------------------------

_AXE_RULE = re.compile(r'\{id:"([a-z0-9-]+)",[^{}]*?tags:\[([^\]]*)\]')


@lru_cache(maxsize=1)
def axe_rule_tags_from_source() -> dict[str, tuple[str, ...]]:
    """axe-core's rule id -> tags, read from the bundled axe source without a browser.

    A fallback for tools and the data script; the engine's ``axe.getRules()`` is the reference.
    """
    from .axe import axe_source

    rules: dict[str, tuple[str, ...]] = {}
    for match in _AXE_RULE.finditer(axe_source()):
        rules.setdefault(match.group(1), tuple(re.findall(r'"([^"]*)"', match.group(2))))
    return rules


def _tags_of(rule: Any) -> tuple[str, ...]:
    return tuple(rule.tags) if hasattr(rule, "tags") else tuple(rule)


def rule_criteria_for(axe_catalog: Mapping[str, Any], tags: Iterable[str], disabled: Iterable[str] = (),
                      run_axe: bool = True) -> dict[str, list[str]]:
    """Rule id -> WCAG criteria it tests, for every rule a run with these settings runs.

    ``axe_catalog`` maps axe rule ids to :class:`~a11y.pipeline.axe.AxeRule` (the engine's catalog) or to
    tag lists. axe runs a rule when one of its tags is selected and it is not experimental or
    deprecated (verified against axe 4.12's results). Best-practice rules map to ``[]``: they
    ran, but they do not test a criterion.
    """
    from ..rules import enabled_rules
    from .axe import wcag_from_tags

    selected = set(tags)
    skip = set(disabled)
    mapping: dict[str, list[str]] = {}
    if run_axe:
        for rule_id, rule in axe_catalog.items():
            rule_tags = set(_tags_of(rule))
            if rule_id in skip or not rule_tags & selected or ({"experimental", "deprecated"} & rule_tags) - selected:
                continue
            mapping[rule_id] = [] if "best-practice" in rule_tags else wcag_from_tags(list(_tags_of(rule)))
    for rule in enabled_rules(skip, best_practice="best-practice" in selected):
        mapping[rule.id] = [] if rule.meta.best_practice else list(rule.meta.wcag)
    return dict(sorted(mapping.items()))


def rule_criteria_of(run: RunResult) -> dict[str, list[str]]:
    """The run's own mapping when the engine recorded it, else one rebuilt from its settings."""
    recorded = getattr(run, "rule_criteria", None)
    if recorded:
        return dict(recorded)
    from ..settings import STANDARDS

    tags = list(STANDARDS.get(str(run.tool.get("standard", "")), STANDARDS["wcag21aa"]))
    if run.tool.get("best_practice", True):
        tags.append("best-practice")
    disabled = run.settings.get("disabled_rules", ()) if isinstance(run.settings, dict) else ()
    return rule_criteria_for(axe_rule_tags_from_source(), tags, disabled)


def rules_by_criterion(rule_criteria: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    by_criterion: dict[str, list[str]] = {}
    for rule_id in sorted(rule_criteria):
        for criterion_id in rule_criteria[rule_id]:
            by_criterion.setdefault(criterion_id, []).append(rule_id)
    return by_criterion


# -- one page ---------------------------------------------------------------------------------

def counts_text(findings: Sequence[Finding]) -> str:
    """``rule ×2, other ×1`` in rule order."""
    counts = Counter(f.rule for f in findings)
    return ", ".join(f"{rule} ×{n}" for rule, n in sorted(counts.items()))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def relevant_findings(page: PageResult, criterion_id: str) -> list[Finding]:
    """Findings that bear on a criterion: WCAG-mapped, not best-practice, not false positives."""
    return [
        f for f in page.findings
        if criterion_id in f.wcag and "best-practice" not in f.tags and f.status != "false-positive"
    ]


def _evidence(criterion: Criterion, page: PageResult, ran: Mapping[str, Sequence[str]]) -> str | None:
    """The reason a page has nothing the criterion applies to, when its rules' applicability shows it."""
    if criterion.applies_to not in EVIDENCE:
        return None
    description, kinds = EVIDENCE[criterion.applies_to]
    group = [rule for kind in kinds for rule in kind]
    if any(page.applied.get(rule) for rule in group):
        return None
    if not all(any(rule in ran for rule in kind) for kind in kinds):
        return None
    used = sorted(rule for rule in group if rule in ran)
    return f"not applicable: the page has {description} ({', '.join(used)} found nothing to test)"


def _entry(criterion: Criterion, status: str, reason: str, findings: Sequence[Finding], rules: Sequence[str],
           standard: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": criterion.id}
    if standard == "en301549":
        entry["clause"] = criterion.en_clause
    entry.update({
        "name": criterion.name,
        "level": criterion.level,
        "status": status,
        "reason": reason,
        "findings": [f.fingerprint for f in findings],
        "rules": list(rules),
        "manual_check": criterion.manual_check,
        "url": criterion.url,
    })
    return entry


def page_criterion(criterion: Criterion, page: PageResult, rule_criteria: Mapping[str, Sequence[str]],
                   testing_rules: Sequence[str], standard: str = "wcag22") -> dict[str, Any]:
    """One criterion's row for one audited page."""
    found = relevant_findings(page, criterion.id)
    violations = [f for f in found if f.status == "violation"]
    if violations:
        return _entry(criterion, "fails", f"{_plural(len(violations), 'violation')}: {counts_text(violations)}",
                      violations, testing_rules, standard)
    pending = [f for f in found if f.status in ("needs-review", "error", "waived")]
    if pending:
        return _entry(criterion, "needs-review", _pending_reason(pending), pending, testing_rules, standard)
    passed = [f for f in found if f.status == "passed"]
    if passed:
        reason = f"a reviewer passed all {_plural(len(passed), 'finding')} flagged for review ({counts_text(passed)})"
        return _entry(criterion, "reviewed-no-failures", reason, passed, testing_rules, standard)
    tested = sum(page.applied.get(rule, 0) for rule in testing_rules)
    if tested:
        reason = f"{_plural(len(testing_rules), 'rule')} ran and found no failure ({_plural(tested, 'element')} tested)"
        return _entry(criterion, "no-automated-failures", reason, [], testing_rules, standard)
    evidence = _evidence(criterion, page, rule_criteria)
    if evidence:
        return _entry(criterion, "not-applicable", evidence, [], testing_rules, standard)
    if testing_rules:
        reason = f"{_plural(len(testing_rules), 'rule')} ran and found nothing to test or fail"
        return _entry(criterion, "no-automated-failures", reason, [], testing_rules, standard)
    return _entry(criterion, "needs-review", undecided_reason(criterion), [], [], standard)


def undecided_reason(criterion: Criterion, where: str = "the page has") -> str:
    """Why no automated result exists for a criterion, for the person who must check it."""
    reason = ("no rule that tests this criterion ran (not in the chosen standard, or disabled), so a person must check it"
              if criterion.automatable else "automated checks cannot decide this criterion, so a person must check it")
    if criterion.applies_to in EVIDENCE:
        reason += f" (the rules that ran cannot show that {where} {EVIDENCE[criterion.applies_to][0]})"
    return reason


def _pending_reason(pending: Sequence[Finding]) -> str:
    parts = []
    review = [f for f in pending if f.status == "needs-review"]
    errors = [f for f in pending if f.status == "error"]
    waived = [f for f in pending if f.status == "waived"]
    if review:
        parts.append(f"{_plural(len(review), 'finding')} to review ({counts_text(review)})")
    if waived:
        parts.append(f"{_plural(len(waived), 'violation')} accepted by a reviewer ({counts_text(waived)}): "
                     "known failures a conformance claim must account for")
    if errors:
        parts.append(f"{_plural(len(errors), 'rule')} could not finish ({counts_text(errors)})")
    return "; ".join(parts)


def criteria_for_page(page: PageResult, rule_criteria: Mapping[str, Sequence[str]], level: str = "AA",
                      standard: str = "wcag22") -> list[dict[str, Any]]:
    """Every criterion of the level with its status on one page (JSON-ready, criterion order).

    A page that could not be audited gets an empty list: nothing can be said about it.
    """
    if page.status != "ok":
        return []
    by_criterion = rules_by_criterion(rule_criteria)
    return [page_criterion(c, page, rule_criteria, by_criterion.get(c.id, []), standard) for c in criteria_table(level, standard)]


# -- the whole run ----------------------------------------------------------------------------

def criteria_for_run(run: RunResult, rule_criteria: Mapping[str, Sequence[str]], level: str = "AA",
                     standard: str = "wcag22") -> list[dict[str, Any]]:
    """Every criterion of the level over all audited pages: the worst page decides.

    Precedence is the order of :data:`STATUSES`, so a criterion is ``not-applicable`` only when
    it is on every page. Each row adds ``pages`` (how many pages have each status) and
    ``failing_pages`` (page names); ``findings`` lists the fingerprints behind the run's status.
    """
    return _run_rows(run.pages, rule_criteria, level, standard)


def criteria_for_pages_and_run(run: RunResult, rule_criteria: Mapping[str, Sequence[str]], level: str = "AA",
                               standard: str = "wcag22") -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
    """Each page's rows (in the order of ``run.pages``, [] for a page not audited) and the run's
    rows (:func:`criteria_for_run`), the pages' computed once for both."""
    per_page: list[list[dict[str, Any]]] = []
    run_rows = _run_rows(run.pages, rule_criteria, level, standard, keep=per_page)
    return per_page, run_rows


class _RunTally:
    """One criterion over the run's pages, a page at a time: what its run row needs, never the pages.

    The run's status is the worst page's (STATUSES' order); the row names the pages with that status,
    their findings' fingerprints and, for its reason, how many of their findings have each (status, rule).
    """

    __slots__ = ("counts", "fingerprints", "first", "found", "names", "status", "total")

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.status: str | None = None
        self.names: list[str] = []
        self.fingerprints: list[str] = []
        self.found: Counter[tuple[str, str]] = Counter()
        self.first: dict[str, Any] | None = None
        self.total = 0

    def add(self, page: PageResult, entry: dict[str, Any]) -> None:
        status = entry["status"]
        self.counts[status] += 1
        self.total += 1
        if self.status is not None and STATUSES.index(status) > STATUSES.index(self.status):
            return
        if status != self.status:
            self.status, self.names, self.fingerprints, self.found, self.first = status, [], [], Counter(), entry
        self.names.append(page.name)
        self.fingerprints.extend(entry["findings"])
        wanted = set(entry["findings"])
        self.found.update((f.status, f.rule) for f in page.findings if f.fingerprint in wanted)


def _run_rows(pages: Iterable[PageResult], rule_criteria: Mapping[str, Sequence[str]], level: str, standard: str,
              keep: list[list[dict[str, Any]]] | None = None) -> list[dict[str, Any]]:
    """The run's rows from its pages, read once, one at a time (``keep``: each page's rows appended to it)."""
    by_criterion = rules_by_criterion(rule_criteria)
    table = criteria_table(level, standard)
    tallies = [_RunTally() for _ in table]
    for page in pages:
        rows = criteria_for_page(page, rule_criteria, level, standard)
        if keep is not None:
            keep.append(rows)
        if page.status != "ok":
            continue
        for tally, entry in zip(tallies, rows, strict=True):
            tally.add(page, entry)
    return [_run_row(criterion, tally, by_criterion.get(criterion.id, []), standard) for criterion, tally in zip(table, tallies, strict=True)]


def _run_row(criterion: Criterion, tally: _RunTally, testing_rules: Sequence[str], standard: str) -> dict[str, Any]:
    if tally.status is None:
        row = _entry(criterion, "needs-review", "no page could be audited", [], testing_rules, standard)
        row.update({"pages": {}, "failing_pages": []})
        return row
    status = tally.status
    row = _entry(criterion, status, _run_reason(criterion, status, tally), [], testing_rules, standard)
    row["findings"] = list(tally.fingerprints)
    row["pages"] = {s: tally.counts[s] for s in STATUSES if tally.counts[s]}
    row["failing_pages"] = list(tally.names) if status == "fails" else []
    return row


def _tally_text(found: Counter[tuple[str, str]], statuses: Iterable[str] | None = None) -> tuple[int, str]:
    """How many findings (of ``statuses``, else all) and :func:`counts_text` of them."""
    counts: Counter[str] = Counter()
    for (status, rule), n in found.items():
        if statuses is None or status in statuses:
            counts[rule] += n
    return sum(counts.values()), ", ".join(f"{rule} ×{n}" for rule, n in sorted(counts.items()))


def _run_reason(criterion: Criterion, status: str, tally: _RunTally) -> str:
    pages = f"{len(tally.names)} of {_plural(tally.total, 'page')}"
    found = tally.found
    count, text = _tally_text(found)
    if status == "fails":
        return f"{_plural(count, 'violation')} on {pages}: {text}"
    if status == "needs-review" and count:
        parts = []
        for statuses, what in ((("needs-review",), "review"), (("waived",), "waived"), (("error",), "errors")):
            n, rules = _tally_text(found, statuses)
            if not n:
                continue
            if what == "review":
                parts.append(f"{_plural(n, 'finding')} to review ({rules})")
            elif what == "waived":
                parts.append(f"{_plural(n, 'violation')} accepted by a reviewer ({rules}): known failures a conformance claim must account for")
            else:
                parts.append(f"{_plural(n, 'rule')} could not finish ({rules})")
        return f"{'; '.join(parts)} on {pages}"
    if status == "reviewed-no-failures":
        return f"a reviewer passed all {_plural(count, 'finding')} flagged for review on {pages} ({text})"
    if status == "not-applicable" and criterion.applies_to in EVIDENCE:
        return f"not applicable: no audited page has {EVIDENCE[criterion.applies_to][0].removeprefix('no ')}"
    if status == "no-automated-failures":
        return f"the rules that test it found no failure on any of the {_plural(tally.total, 'page')}"
    assert tally.first is not None
    if status == "needs-review" and not tally.first["rules"]:
        return undecided_reason(criterion, "the audited pages have")
    return tally.first["reason"]


class PageCriteria(Sequence[list[dict[str, Any]]]):
    """Each page's rows, computed when read from the run's pages (a cluster run's compressed pages):
    a big run never holds every page's rows at once. :meth:`rows_for` gives a page's rows from the
    page a reader already holds."""

    def __init__(self, pages: Sequence[PageResult], rule_criteria: Mapping[str, Sequence[str]], level: str, standard: str) -> None:
        self._pages, self._rule_criteria, self._level, self._standard = pages, rule_criteria, level, standard

    def rows_for(self, page: PageResult) -> list[dict[str, Any]]:
        return criteria_for_page(page, self._rule_criteria, self._level, self._standard)

    def __len__(self) -> int:
        return len(self._pages)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.rows_for(page) for page in self._pages[index]]
        return self.rows_for(self._pages[index])

    def __iter__(self) -> Iterator[list[dict[str, Any]]]:
        return (self.rows_for(page) for page in self._pages)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)


def page_rows(view: CriteriaView, page: PageResult, index: int) -> list[dict[str, Any]]:
    """The rows of ``page`` (the ``index``-th of the run) in ``view``, without reading the run's pages again."""
    pages = view.pages
    return pages.rows_for(page) if isinstance(pages, PageCriteria) else pages[index]


def compute_criteria(run: RunResult) -> CriteriaView:
    """The run's view. A run whose pages are stored compressed (a cluster run's :class:`CompactPages`)
    gets its pages' rows computed when a report reads them (:class:`PageCriteria`), and its run rows
    from one pass over its pages, a page unpacked at a time."""
    level = level_of_standard(str(run.tool.get("standard", "")))
    rule_criteria = rule_criteria_of(run)
    if hasattr(run.pages, "map"):  # compressed pages: keep nothing per page
        rows = _run_rows(run.pages, rule_criteria, level, "wcag22")
        return CriteriaView(level, PageCriteria(run.pages, rule_criteria, level, "wcag22"), rows)  # type: ignore[arg-type]
    per_page, rows = criteria_for_pages_and_run(run, rule_criteria, level)
    return CriteriaView(level, per_page, rows)


def criteria_of(run: RunResult) -> CriteriaView:
    """The view the finished run carries (computed once, by a11y.ci.finish); computed here for a run
    built by hand. Every report reads this one view."""
    view = run.criteria
    return view if view is not None else compute_criteria(run)


def findings_by_fingerprint(run: RunResult) -> dict[str, tuple[PageResult, Finding]]:
    return {f.fingerprint: (page, f) for page, f in run.findings() if f.fingerprint}


def status_counts(criteria: Sequence[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(c["status"] for c in criteria)
    return {s: counts[s] for s in STATUSES if counts[s]}
