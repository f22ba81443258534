"""Settings for one audit run: plain, immutable data the engine receives, and the one declaration
of each bounded option (name, type, default, range, help) that the command line, the config file
and the Python API all read, so their ranges and defaults cannot disagree."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from .steps import Login, PageRule, Scope

STANDARDS: dict[str, tuple[str, ...]] = {
    "wcag2a": ("wcag2a",),
    "wcag2aa": ("wcag2a", "wcag2aa"),
    "wcag21a": ("wcag2a", "wcag21a"),
    "wcag21aa": ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"),
    "wcag22aa": ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"),
}
DEFAULT_STANDARD = "wcag21aa"
FAIL_ON_LEVELS = ("critical", "serious", "moderate", "minor", "none")


def available_cpus() -> int:
    """The CPUs this process may run on (a taskset or cpuset narrows them; a CPU quota does not)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def default_concurrency() -> int:
    """Pages in flight at once. A page waits on the network about half its time (loading, then
    quiet for 500 ms), so two per CPU and one more keep the CPUs busy; axe-core runs are limited
    to one per CPU separately (``Settings.axe_at_once``). Each tab costs a renderer and its start:
    on 2 CPUs, 5 tabs ran 40 pages 6% faster than 6 (interleaved, 5 rounds each)."""
    return max(2, min(12, available_cpus() * 2 + 1))


@dataclass(frozen=True)
class Option:
    """One bounded option: ``key`` in the config file and the API, ``--key-with-dashes`` on the command line."""

    key: str
    kind: type
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return "--" + self.key.replace("_", "-")

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not a value of this option, or None."""
        if self.choices:
            return None if value in self.choices else f"must be one of {', '.join(self.choices)}, not {value!r}"
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool) and (self.kind is float or isinstance(value, int))
        if not numeric or (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            what = "a whole number" if self.kind is int else "a number"
            return f"must be {what} from {self.low:g} to {self.high:g}"
        return None


@dataclass(frozen=True)
class Viewport:
    width: int = 1280
    height: int = 800

    @classmethod
    def parse(cls, text: str) -> Viewport:
        """Parse ``WxH`` such as ``1280x800``."""
        try:
            width, height = (int(part) for part in text.lower().split("x"))
        except ValueError:
            raise ValueError(f"viewport {text!r}: expected WIDTHxHEIGHT, e.g. 1280x800") from None
        if not (100 <= width <= 10000 and 100 <= height <= 10000):
            raise ValueError(f"viewport {text!r}: sides must be between 100 and 10000 px")
        return cls(width, height)


OPTIONS: dict[str, Option] = {option.key: option for option in (
    Option("concurrency", int, default_concurrency(), "Pages in flight at once; axe-core itself runs on at most one page per CPU at a time.",
           1, 64),
    Option("timeout", float, 30.0, "Seconds a page may take to load.", 1, 600),
    Option("settle_ms", int, 2000, "Longest wait for the network to go idle after load.", 0, 60000),
    Option("max_per_host", int, 0, "At most N pages of one remote host at once (0: no limit).", 0, 64),
    Option("max_violations", int, 0, "Fail only above this many violations.", 0, 10**9),
    Option("standard", str, DEFAULT_STANDARD, "WCAG version and level axe-core tests.", choices=tuple(sorted(STANDARDS))),
    Option("fail_on", str, "serious", "Lowest impact that fails the gate.", choices=FAIL_ON_LEVELS),
    Option("limit", int, 0, "At most N pages of each --sitemap and --feed, newest first (0: all).", 0, 10**7),
    Option("max_pages", int, 100, "At most N pages of a --crawl.", 1, 10**6),
    Option("max_depth", int, 0, "Follow --crawl links at most D clicks from the start page (0: no limit).", 0, 1000),
)}


@dataclass(frozen=True)
class Settings:
    """Everything that shapes an audit. The CLI and config file build one; the engine reads it."""

    standard: str = OPTIONS["standard"].default
    best_practice: bool = True
    concurrency: int = field(default_factory=default_concurrency)
    axe_at_once: int = field(default_factory=available_cpus)  # pages running axe-core and the snapshot at once
    timeout_s: float = OPTIONS["timeout"].default
    settle_ms: int = OPTIONS["settle_ms"].default
    viewport: Viewport = Viewport()
    browser_path: str | None = None
    disabled_rules: frozenset[str] = frozenset()
    rule_options: dict[str, dict] = field(default_factory=dict)
    screenshots: bool = False
    run_axe: bool = True  # False: only our rules (fast fixture runs)
    max_per_host: int = OPTIONS["max_per_host"].default  # 0: no limit beyond concurrency
    # Sent with every request of the page's own host (pages behind a login); never reported.
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    cookies: dict[str, str] = field(default_factory=dict, repr=False)
    keep_snapshots: bool = False  # keep each page's Snapshot on its PageResult (tools, tests)
    block_external: bool = False
    pages: tuple[PageRule, ...] = ()  # [[tool.a11y.pages]]: steps and options per URL pattern
    scope: Scope = field(default_factory=Scope)  # --include / --exclude: what of every page is audited
    login: Login | None = field(default=None, repr=False)  # run once; every page starts from its storage state
    storage_state: dict[str, Any] | None = field(default=None, repr=False)  # --storage-state, or what the login left
    collect_links: bool = False  # report each page's links (a --crawl runs)

    def axe_tags(self) -> list[str]:
        tags = list(STANDARDS[self.standard])
        if self.best_practice:
            tags.append("best-practice")
        return tags
