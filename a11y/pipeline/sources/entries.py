"""What a sitemap or feed lists: page URLs with their dates, filtered by --since and --limit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import SourceError


@dataclass(frozen=True)
class Entry:
    """One listed page: an absolute URL (or a path, in a file on disk) and when it last changed."""

    url: str
    lastmod: dt.datetime | None = None


def parse_date(text: str) -> dt.datetime | None:
    """A W3C datetime (``2026-12-05``, ``2026-12-05T08:00:00Z``, also ``2026`` and ``2026-12``) in UTC, or None."""
    value = text.strip()
    if not value:
        return None
    if len(value) == 4 and value.isdigit():
        value += "-01-01"
    elif len(value) == 7 and value[4] == "-":
        value += "-01"
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)


def parse_since(text: str) -> dt.datetime:
    """--since: a date or datetime; a one-line error otherwise."""
    when = parse_date(text)
    if when is None:
        raise SourceError(f"--since {text!r}: expected a date like 2026-12-05 or 2026-12-05T08:00:00Z")
    return when


def select(entries: list[Entry], since: dt.datetime | None = None, limit: int | None = None) -> list[Entry]:
    """Newest first when dates are given (undated ones last, in their order); with ``since`` only
    entries changed at or after it (undated ones dropped); at most ``limit``."""
    unique = list({entry.url: entry for entry in reversed(entries)}.values())[::-1]  # first listing wins
    if since is not None:
        unique = [e for e in unique if e.lastmod is not None and e.lastmod >= since]
    dated = sorted((e for e in unique if e.lastmod is not None), key=lambda e: e.lastmod, reverse=True)  # type: ignore[arg-type, return-value]
    ordered = dated + [e for e in unique if e.lastmod is None]
    return ordered[:limit] if limit else ordered
