"""Sitemaps and feeds into targets, combined with the command line's without duplicates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ..targets import FoundBy, Target, _file_target, display_path
from . import SourceError
from .entries import Entry, select
from .feed import read_feed
from .fetch import is_url
from .normalize import normalize_url
from .sitemap import read_sitemap


def _name(spec: str) -> str:
    return spec if is_url(spec) else display_path(Path(spec).resolve())


def entry_target(entry: Entry, found: FoundBy, listed_in: str) -> Target:
    """A listed URL, or a file named by a sitemap or feed on disk (served from that file's folder)."""
    if is_url(entry.url):
        return Target(url=entry.url, found_by=found)
    path = Path(entry.url)
    if not path.is_file():
        return Target(source=display_path(path), error=f"no such file (listed in {listed_in})", found_by=found)
    folder = Path(listed_in).resolve().parent
    root = folder if path.resolve().is_relative_to(folder) else path.parent
    return replace(_file_target(path, root), found_by=found)


def _from(kind: str, spec: str, read: Callable[[], tuple[list[Entry], list[tuple[str, str]]]],
          since: dt.datetime | None, limit: int | None) -> list[Target]:
    name = _name(spec)
    try:
        entries, errors = read()
    except SourceError as exc:
        return [Target(source=name, error=f"{kind}: {exc}", found_by=FoundBy(kind, name))]
    broken = [Target(source=_name(which), error=f"{kind}: {cause}", found_by=FoundBy(kind, name)) for which, cause in errors]
    return broken + [entry_target(e, FoundBy(kind, name), spec) for e in select(entries, since, limit)]


def sitemap_targets(spec: str, headers: dict[str, str] | None = None, since: dt.datetime | None = None,
                    limit: int | None = None, timeout_s: float = 30.0) -> list[Target]:
    """The pages of one --sitemap (newest first when dated); a broken sitemap is an error target."""
    def read() -> tuple[list[Entry], list[tuple[str, str]]]:
        result = read_sitemap(spec, headers, timeout_s)
        if not result.entries and not result.errors:
            raise SourceError("the sitemap lists no pages")
        return result.entries, result.errors
    return _from("sitemap", spec, read, since, limit)


def feed_targets(spec: str, headers: dict[str, str] | None = None, since: dt.datetime | None = None,
                 limit: int | None = None, timeout_s: float = 30.0) -> list[Target]:
    """The items of one --feed, newest first; a broken or empty feed is an error target."""
    return _from("feed", spec, lambda: (read_feed(spec, headers, timeout_s), []), since, limit)


def page_key(target: Target) -> str:
    """Two targets with one key are one page: the normalised URL, or the file."""
    if target.error:
        return f"error:{target.source}:{target.error}"
    if target.path is not None:
        return f"file:{target.path}"
    return normalize_url(target.url or "")


def combine(groups: Iterable[list[Target]]) -> list[Target]:
    """All targets in order, each page once (the first way it was found wins)."""
    seen: set[str] = set()
    combined = []
    for group in groups:
        for target in group:
            key = page_key(target)
            if key not in seen:
                seen.add(key)
                combined.append(target)
    return combined
