"""Steps a page needs before its audit (log in, click a cookie banner away, wait for a widget), and
the per-URL-pattern options of ``[[tool.a11y.pages]]``: plain data, parsed and checked here, run
by :mod:`a11y.pipeline.actions`.

A step is one line: ``click #accept``, ``fill #password ${CMS_PASSWORD}``. ``${NAME}`` is read from
the environment when the step runs; the step is always shown as written, so the value never
reaches a report, a warning or an error.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass

# action -> (fewest, most) arguments after it
ACTIONS: dict[str, tuple[int, int]] = {
    "goto": (1, 1), "click": (1, 1), "fill": (2, 2), "press": (1, 1), "wait-for": (1, 2), "wait": (1, 1),
    "check": (1, 1), "select": (2, 2), "remove": (1, 1), "scroll-to-bottom": (0, 0),
}
MAX_WAIT_MS = 60000
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class StepError(ValueError):
    """A step that cannot be parsed or run; the message is one line and never holds a secret."""


@dataclass(frozen=True)
class Step:
    """One step: ``action`` and its arguments as written (``${NAME}`` not yet expanded)."""

    action: str
    args: tuple[str, ...] = ()
    text: str = ""  # the step as written, for messages

    @classmethod
    def parse(cls, text: str) -> Step:
        try:
            words = shlex.split(text)
        except ValueError as exc:
            raise StepError(f"step {text!r}: {exc}") from None
        if not words:
            raise StepError("empty step")
        action, args = words[0].lower(), tuple(words[1:])
        if action not in ACTIONS:
            raise StepError(f"step {text!r}: unknown action {action!r}; choose from {', '.join(ACTIONS)}")
        fewest, most = ACTIONS[action]
        if action in ("fill", "select") and len(args) > 2:
            args = (args[0], " ".join(args[1:]))  # unquoted text with spaces
        if not fewest <= len(args) <= most:
            raise StepError(f"step {text!r}: {action} takes {fewest if fewest == most else f'{fewest} or {most}'} argument(s)")
        if action == "wait-for" and len(args) == 2 and args[1] != "hidden":
            raise StepError(f"step {text!r}: wait-for takes a selector and optionally 'hidden'")
        if action == "wait" and not (args[0].isdigit() and int(args[0]) <= MAX_WAIT_MS):
            raise StepError(f"step {text!r}: wait takes milliseconds from 0 to {MAX_WAIT_MS}")
        return cls(action, args, text.strip())


def expand(value: str) -> str:
    """``value`` with each ``${NAME}`` replaced from the environment; StepError names a missing one."""
    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise StepError(f"environment variable {name} is not set")
        return os.environ[name]
    return _ENV.sub(lookup, value)


def secrets_of(steps: tuple[Step, ...]) -> list[str]:
    """The values ``${NAME}`` stands for in ``steps``, to scrub from any message."""
    names = {name for step in steps for arg in step.args for name in _ENV.findall(arg)}
    return sorted((os.environ[n] for n in names if os.environ.get(n)), key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def parse_steps(raw: object, where: str) -> tuple[Step, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
        raise StepError(f"{where}: steps must be a list of strings such as \"click #accept\"")
    return tuple(Step.parse(s) for s in raw)


@dataclass(frozen=True)
class Scope:
    """What of a page is audited: inside ``include`` (all when empty), outside ``exclude`` (CSS selectors)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)

    def axe_context(self) -> dict[str, list[str]] | None:
        if not self:
            return None
        context: dict[str, list[str]] = {"exclude": list(self.exclude)}
        if self.include:
            context["include"] = list(self.include)
        return context


@dataclass(frozen=True)
class PageRule:
    """``[[tool.a11y.pages]]``: for pages whose URL matches ``match`` (a regex, searched), steps to run
    after load and options of their own."""

    match: str
    steps: tuple[Step, ...] = ()
    scope: Scope = Scope()
    disable: frozenset[str] = frozenset()
    wait_for: str | None = None
    fail_on: str | None = None

    def matches(self, url: str) -> bool:
        return re.search(self.match, url) is not None


@dataclass(frozen=True)
class Login:
    """Run once per run in the shared context (``url`` first, then ``steps``); every page after is logged in."""

    url: str
    steps: tuple[Step, ...] = ()
    check: str | None = None  # a selector that must be there after the steps, or the login failed


@dataclass(frozen=True)
class PagePlan:
    """What one page gets: its steps, scope, extra disabled rules and the selector to wait for."""

    steps: tuple[Step, ...] = ()
    scope: Scope = Scope()
    disable: frozenset[str] = frozenset()
    wait_for: tuple[str, ...] = ()
    fail_on: str | None = None


def fail_on_for(url: str, entries: Iterable[tuple[str, str | None]]) -> str | None:
    """The fail-on that ``[[pages]]`` entries (``(match, fail_on)`` in the config's order) give ``url``:
    the last matching entry that sets one, None when none does.

    Every matching entry applies in order, as their steps do, so a later entry refines an earlier
    one (a general ``/news/`` first, then ``/news/live/``). The gate and the page's plan both use this.
    """
    chosen = None
    for match, fail_on in entries:
        if fail_on is not None and re.search(match, url) is not None:
            chosen = fail_on
    return chosen


def plan_for(url: str, rules: tuple[PageRule, ...], base: Scope = Scope()) -> PagePlan:
    """Every matching rule's steps, in order; scopes and disabled rules added up; the last fail_on wins."""
    steps: list[Step] = []
    include, exclude = list(base.include), list(base.exclude)
    disable: set[str] = set()
    waits: list[str] = []
    for rule in rules:
        if rule.matches(url):
            steps.extend(rule.steps)
            include += rule.scope.include
            exclude += rule.scope.exclude
            disable |= rule.disable
            waits += [rule.wait_for] if rule.wait_for else []
    fail_on = fail_on_for(url, ((rule.match, rule.fail_on) for rule in rules))
    return PagePlan(tuple(steps), Scope(tuple(include), tuple(exclude)), frozenset(disable), tuple(waits), fail_on)
