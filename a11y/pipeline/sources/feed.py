"""Feeds: RSS 2.0 and Atom (with feedparser), and JSON Feed (plain JSON)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from typing import Any
from urllib.parse import urljoin

import feedparser

from . import SourceError
from .entries import Entry, parse_date
from .fetch import Fetched, fetch
from .sitemap import resolve

JSON_FEED = "https://jsonfeed.org/version/"


def _struct_time(value: Any) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(calendar.timegm(value), dt.timezone.utc) if value else None


def _json_feed(fetched: Fetched) -> list[Entry]:
    try:
        data = json.loads(fetched.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SourceError(f"not valid JSON ({str(exc)[:120]})") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(JSON_FEED):
        raise SourceError("not a JSON Feed (no jsonfeed.org version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise SourceError("not a JSON Feed (no items list)")
    entries = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("url"), str) and item["url"].strip():
            when = item.get("date_modified") or item.get("date_published")
            entries.append(Entry(resolve(item["url"].strip(), fetched), parse_date(when) if isinstance(when, str) else None))
    return entries


def _xml_feed(fetched: Fetched) -> list[Entry]:
    # feedparser gets bytes, never a URL: it fetches nothing, and its XML parser resolves no external entities.
    parsed = feedparser.parse(fetched.body, response_headers={"content-location": fetched.location if fetched.is_url else ""})
    if not parsed.get("version") and not parsed.entries:
        cause = parsed.get("bozo_exception")
        raise SourceError(f"not an RSS, Atom or JSON feed ({str(cause).splitlines()[0][:120] if cause else 'no feed element'})")
    entries = []
    for item in parsed.entries:
        link = item.get("link") or next((x.get("href") for x in item.get("links", []) if x.get("href")), None)
        if link:
            link = urljoin(fetched.location, link) if fetched.is_url else link
            entries.append(Entry(resolve(link, fetched), _struct_time(_when(item))))
    return entries


def read_feed(spec: str, headers: dict[str, str] | None = None, timeout_s: float = 30.0) -> list[Entry]:
    """The items' links of an RSS, Atom or JSON feed, in the feed's order; SourceError when none."""
    fetched = fetch(spec, headers, timeout_s)
    looks_json = fetched.body.lstrip()[:1] == b"{" or fetched.content_type in ("application/json", "application/feed+json")
    entries = _json_feed(fetched) if looks_json else _xml_feed(fetched)
    if not entries:
        raise SourceError("the feed has no items with a link")
    return entries


def _when(item: dict) -> object:
    """An item's updated, else published, time; read with dict.get, since feedparser's own get maps
    a missing ``updated_parsed`` to ``published_parsed`` with a deprecation warning."""
    return dict.get(item, "updated_parsed") or dict.get(item, "published_parsed")
