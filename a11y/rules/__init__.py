"""Our publishing rules: one module per rule, each self-describing.

A rule module defines:

- ``META``: a :class:`RuleMeta` (id, impact, WCAG criteria, tags, one-line help);
- ``applicable(page)``: the elements (or groups) the rule looks at;
- ``evaluate(page, candidate, options)``: an :class:`Issue` when the candidate fails, else None;
- a module docstring that *is* the rule's documentation, with the sections
  What it does / Why it matters / Example / Use instead.

Rules read only a :class:`~a11y.snapshot.Snapshot`, so they are testable without a browser.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from types import ModuleType
from typing import Any, Protocol

from bs4 import Tag

from ..model import Finding
from ..snapshot import Snapshot

DOCS_URL = "https://github.com/a11y-publishing/a11y/blob/main/docs/rules.md#{id}"


@dataclass(frozen=True)
class RuleMeta:
    id: str
    impact: str
    wcag: tuple[str, ...]
    help: str
    tags: tuple[str, ...] = ()
    outcome: str = "violation"
    family: str = ""
    best_practice: bool = False


@dataclass
class Issue:
    """What a rule says about one candidate; the engine turns it into a :class:`Finding`."""

    element: Tag
    message: str
    suggestion: str | None = None
    impact: str | None = None  # overrides META.impact for this finding
    outcome: str | None = None  # overrides META.outcome for this finding


class RuleModule(Protocol):
    META: RuleMeta
    __doc__: str | None

    def applicable(self, page: Snapshot) -> Iterable[Any]: ...

    def evaluate(self, page: Snapshot, candidate: Any, options: dict[str, Any]) -> Issue | None: ...


@dataclass
class Rule:
    """A loaded rule module with its metadata and documentation."""

    module: ModuleType = field(repr=False)

    @property
    def meta(self) -> RuleMeta:
        return self.module.META

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def doc(self) -> str:
        return (self.module.__doc__ or "").strip()

    def doc_sections(self) -> dict[str, str]:
        """The docstring split on its headings (What it does / Why it matters / ...)."""
        sections: dict[str, str] = {}
        current = "summary"
        for line in self.doc.splitlines():
            stripped = line.strip()
            if stripped.endswith(":") and stripped[:-1] in SECTION_TITLES:
                current = stripped[:-1]
                continue
            sections.setdefault(current, "")
            sections[current] += line + "\n"
        return {k: v.strip("\n") for k, v in sections.items()}

    @property
    def tags(self) -> list[str]:
        tags = ["a11y", self.meta.family, *self.meta.tags]
        tags += ["best-practice"] if self.meta.best_practice else ["wcag" + c.replace(".", "") for c in self.meta.wcag]
        return [t for t in tags if t]

    @property
    def help_url(self) -> str:
        return DOCS_URL.format(id=self.id)

    def findings(self, page: Snapshot, options: dict[str, Any]) -> tuple[list[Finding], int]:
        """Run the rule on a page: its findings and how many candidates it applied to."""
        results: list[Finding] = []
        applied = 0
        for candidate in self.module.applicable(page):
            applied += 1
            issue = self.module.evaluate(page, candidate, options)
            if issue is not None and not hidden_from_at(page, issue.element):
                results.append(self._finding(page, issue))
        return results, applied

    def _finding(self, page: Snapshot, issue: Issue) -> Finding:
        return Finding(
            rule=self.id,
            engine="a11y",
            outcome=issue.outcome or self.meta.outcome,  # type: ignore[arg-type]
            impact=issue.impact or self.meta.impact,  # type: ignore[arg-type]
            wcag=list(self.meta.wcag),
            tags=self.tags,
            act=[],
            target=page.selector(issue.element),
            html=page.snippet(issue.element),
            message=issue.message,
            suggestion=issue.suggestion,
            help=self.meta.help,
            help_url=self.help_url,
            box=page.box(issue.element),
            element_index=page.index_of(issue.element),
        )


def hidden_from_at(page: Snapshot, element: Tag) -> bool:
    """Hidden from assistive technology: the browser said so (aria-hidden subtree, inert,
    display:none, visibility:hidden, ``hidden``), or, for snapshots without browser facts, the
    markup says so. Nobody reaches such content, so no publishing rule reports on it."""
    if page.is_at_hidden(element) or not page.is_displayed(element):
        return True
    for node in (element, *element.parents):
        if not isinstance(node, Tag) or node.name in ("body", "html"):
            break
        if str(node.get("aria-hidden") or "").strip().lower() == "true" or node.has_attr("inert") or node.has_attr("hidden"):
            return True
    return False


SECTION_TITLES = ("What it does", "Why it matters", "Example", "Use instead", "Options")


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every rule module in this package (modules starting with ``_`` are helpers)."""
    rules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "META"):
            rules.append(Rule(module))
    return tuple(sorted(rules, key=lambda r: r.id))


def examples_page() -> str:
    """Every rule's documented example on one page."""
    examples = (rule.doc_sections().get("Example", "") for rule in all_rules())
    return "<!doctype html><title>Rule examples</title>\n" + "\n".join(examples)


def get_rule(rule_id: str) -> Rule | None:
    return next((r for r in all_rules() if r.id == rule_id), None)


@dataclass
class RulesOutcome:
    findings: list[Finding]
    applied: dict[str, int]
    seconds: float


def enabled_rules(disabled: Iterable[str] = (), best_practice: bool = True) -> list[Rule]:
    """The rules a run uses: not disabled, and best-practice ones only when best practices are on."""
    skip = set(disabled)
    return [rule for rule in all_rules() if rule.id not in skip and (best_practice or not rule.meta.best_practice)]


def run_rules(page: Snapshot, disabled: Iterable[str] = (), options: dict[str, dict] | None = None,
              best_practice: bool = True) -> RulesOutcome:
    """Run every enabled rule; a rule that crashes becomes an ``error`` finding, the rest go on."""
    started = time.perf_counter()
    findings: list[Finding] = []
    applied: dict[str, int] = {}
    for rule in enabled_rules(disabled, best_practice):
        try:
            found, count = rule.findings(page, (options or {}).get(rule.id, {}))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not cost the others
            findings.append(_crash_finding(rule, exc))
            continue
        findings.extend(found)
        if count:
            applied[rule.id] = count
    return RulesOutcome(findings, applied, time.perf_counter() - started)


def _crash_finding(rule: Rule, exc: Exception) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f" at {where.name}:{where.lineno}" if where else ""
    return Finding(
        rule=rule.id, engine="a11y", outcome="error", impact="serious", wcag=list(rule.meta.wcag),
        tags=rule.tags, target="html", html="",
        message=f"rule {rule.id} crashed on this page ({type(exc).__name__}: {exc}{place}); other rules still ran",
        help=rule.meta.help, help_url=rule.help_url,
    )

