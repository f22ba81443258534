"""All of a run's targets from config-style values (the CLI's options, a11y.toml, the API's keywords):
the named targets, each --sitemap's and --feed's pages, without duplicates, and the --crawl starts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..targets import Target, resolve_targets
from .collect import combine, feed_targets, sitemap_targets
from .crawl import CrawlSpec
from .entries import parse_since


def _listed(values: dict[str, Any], key: str) -> list[str]:
    value = values.get(key) or []
    return [value] if isinstance(value, str) else list(value)


def has_sources(values: dict[str, Any]) -> bool:
    return any(_listed(values, key) for key in ("sitemap", "feed", "crawl"))


def gather(values: dict[str, Any], named: Sequence[Target] | None = None) -> list[Target | CrawlSpec]:
    """Targets then crawl starts. ``named``: the named targets already resolved (e.g. by --changed-since).
    A bad --since raises SourceError; a bad sitemap or feed is an error target and the rest go on."""
    since = parse_since(values["since"]) if values.get("since") else None
    limit = values.get("limit") or None
    headers = values.get("headers") or {}
    timeout = float(values.get("timeout", 30.0))
    groups = [list(named) if named is not None else resolve_targets(_listed(values, "targets"))]
    groups += [sitemap_targets(spec, headers, since, limit, timeout) for spec in _listed(values, "sitemap")]
    groups += [feed_targets(spec, headers, since, limit, timeout) for spec in _listed(values, "feed")]
    crawls = [CrawlSpec(start, max_pages=values.get("max_pages", 100), max_depth=values.get("max_depth") or None,
                        include=values.get("crawl_include"), exclude=values.get("crawl_exclude"),
                        ignore_robots=bool(values.get("ignore_robots"))) for start in _listed(values, "crawl")]
    return [*combine(groups), *crawls]
