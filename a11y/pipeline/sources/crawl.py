"""--crawl: same-origin links from a start page, breadth first, fed by the links each rendered page
reports (after its scripts ran), so pages are audited as they are found.

Each page is audited once (URLs normalised: fragment, trailing slash, default port, ``utm_*``);
robots.txt is obeyed unless told otherwise; only pages that look like HTML are followed.

Which pages the crawl takes depends only on the site, never on which tab finished first: a page's
links are read only once every page admitted before it has reported its own (a page that failed
reports none), so pages are admitted in exactly the order a one-tab breadth-first crawl would
admit them, and ``--max-pages`` cuts that order. Report order is that order too (depth, then the
parent's order, then the link's place in it).
"""

from __future__ import annotations

import re
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..targets import FoundBy, Target
from . import SourceError
from .fetch import USER_AGENT, fetch
from .normalize import normalize_url, origin, without_fragment

# Links to these are files, not pages: never followed.
NOT_HTML = re.compile(r"(?i)\.(pdf|zip|gz|tgz|rar|7z|jpe?g|png|gif|webp|avif|svg|ico|mp[34]|m4a|webm|ogg|wav|mov|avi|"
                      r"css|js|mjs|json|xml|rss|atom|txt|csv|docx?|xlsx?|pptx?|woff2?|ttf|eot|exe|dmg|apk)$")


@dataclass(frozen=True)
class CrawlSpec:
    """What --crawl and its options ask for."""

    start: str
    max_pages: int = 100
    max_depth: int | None = None
    include: str | None = None  # regex on the URL path
    exclude: str | None = None
    ignore_robots: bool = False

    def check(self) -> None:
        """Bad regexes are a one-line SourceError before any browser starts."""
        for flag, pattern in (("--crawl-include", self.include), ("--crawl-exclude", self.exclude)):
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise SourceError(f"{flag} {pattern!r}: not a valid regular expression ({exc})") from None


@dataclass
class Crawl:
    """One crawl's frontier: what was seen, at which depth and BFS place, and what robots.txt allows."""

    spec: CrawlSpec
    start_url: str
    seen: set[str] = field(default_factory=set)  # normalised URLs of every page of the run
    order: dict[str, tuple[int, tuple[int, ...]]] = field(default_factory=dict)  # page key -> (depth, path of link places)
    parents: dict[str, str] = field(default_factory=dict)
    added: int = 0
    # Every page whose links the crawl reads (the start and each page admitted), in admission order,
    # as (key, URL); ``expanded`` of them have had their links read, the next only once it reported.
    admitted: list[tuple[str, str]] = field(default_factory=list)
    expanded: int = 0
    reported: dict[str, list[str]] = field(default_factory=dict)  # links of pages waiting for an earlier page to report
    read: set[str] = field(default_factory=set)  # keys whose links were read
    robots: urllib.robotparser.RobotFileParser | None = None
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.home = origin(self.start_url)
        self.include = re.compile(self.spec.include) if self.spec.include else None
        self.exclude = re.compile(self.spec.exclude) if self.spec.exclude else None
        self.order[normalize_url(self.start_url)] = (0, ())
        self.admitted.append((normalize_url(self.start_url), self.start_url))

    def load_robots(self, headers: dict[str, str] | None = None, timeout_s: float = 10.0) -> None:
        """The origin's robots.txt; none (404, unreachable) allows everything."""
        if self.spec.ignore_robots:
            return
        try:
            body = fetch(f"{self.home}/robots.txt", headers, timeout_s, limit=512 * 1024).body
        except SourceError:
            return
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(body.decode("utf-8", "replace").splitlines())
        self.robots = parser

    def start_target(self) -> Target:
        self.seen.add(normalize_url(self.start_url))
        self.added += 1
        return Target(url=self.start_url, found_by=FoundBy("crawl", None, 0))

    def expands(self, url: str) -> bool:
        return normalize_url(url) in self.order

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or origin(url) != self.home or NOT_HTML.search(parts.path):
            return False
        if self.include and not self.include.search(parts.path or "/"):
            return False
        if self.exclude and self.exclude.search(parts.path or "/"):
            return False
        return self.robots is None or self.robots.can_fetch(USER_AGENT, url)

    def report(self, url: str, links: list[str] | None) -> list[Target]:
        """A page of the crawl was audited: its links (None: it failed, or left the site). The pages
        this admits, in breadth-first order: every page reported in admission order up to the first
        that has not reported yet has its links read now."""
        key = normalize_url(url)
        if key not in self.order or key in self.reported or key in self.read:
            return []  # not a page of this crawl, or already reported
        self.reported[key] = list(links or [])
        new: list[Target] = []
        while self.expanded < len(self.admitted) and self.admitted[self.expanded][0] in self.reported:
            next_key, next_url = self.admitted[self.expanded]
            self.expanded += 1
            self.read.add(next_key)
            new += self.found(next_url, self.reported.pop(next_key))
        return new

    def found(self, parent_url: str, links: list[str]) -> list[Target]:
        """The new pages ``parent_url`` links to, in link order, within the limits. Called in admission
        order (``report``), so the first parent to link a page is its nearest, and the earliest."""
        parent_key = normalize_url(parent_url)
        if parent_key not in self.order:
            return []
        depth, place = self.order[parent_key]
        if self.spec.max_depth is not None and depth >= self.spec.max_depth:
            return []
        new = []
        for index, link in enumerate(links):
            url = without_fragment(link)
            key = normalize_url(url)
            if key in self.seen or not self.allowed(url):
                continue
            if self.added >= self.spec.max_pages:
                break
            self.seen.add(key)
            self.order[key], self.parents[key] = (depth + 1, (*place, index)), parent_url
            self.admitted.append((key, url))
            self.added += 1
            new.append(Target(url=url, found_by=FoundBy("crawl", parent_url, depth + 1)))
        return new

    def sort_key(self, url: str) -> tuple[int, tuple[int, ...]] | None:
        return self.order.get(normalize_url(url))

    def found_by(self, url: str) -> FoundBy | None:
        key = normalize_url(url)
        if key not in self.parents:
            return None
        return FoundBy("crawl", self.parents[key], self.order[key][0])
