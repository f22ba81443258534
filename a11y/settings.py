"""Settings for one audit run: plain, immutable data the engine receives."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

STANDARDS: dict[str, tuple[str, ...]] = {
    "wcag2a": ("wcag2a",),
    "wcag2aa": ("wcag2a", "wcag2aa"),
    "wcag21a": ("wcag2a", "wcag21a"),
    "wcag21aa": ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"),
    "wcag22aa": ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"),
}
DEFAULT_STANDARD = "wcag21aa"


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


@dataclass(frozen=True)
class Settings:
    """Everything that shapes an audit. The CLI and config file build one; the engine reads it."""

    standard: str = DEFAULT_STANDARD
    best_practice: bool = True
    concurrency: int = field(default_factory=default_concurrency)
    axe_at_once: int = field(default_factory=available_cpus)  # pages running axe-core and the snapshot at once
    timeout_s: float = 30.0
    settle_ms: int = 2000
    viewport: Viewport = Viewport()
    browser_path: str | None = None
    disabled_rules: frozenset[str] = frozenset()
    rule_options: dict[str, dict] = field(default_factory=dict)
    screenshots: bool = False
    run_axe: bool = True  # False: only our rules (fast fixture runs)
    max_per_host: int = 0  # 0: no limit beyond concurrency
    # Sent with every request of the page's own host (pages behind a login); never reported.
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    cookies: dict[str, str] = field(default_factory=dict, repr=False)
    keep_snapshots: bool = False  # keep each page's Snapshot on its PageResult (tools, tests)
    block_external: bool = False

    def axe_tags(self) -> list[str]:
        tags = list(STANDARDS[self.standard])
        if self.best_practice:
            tags.append("best-practice")
        return tags
