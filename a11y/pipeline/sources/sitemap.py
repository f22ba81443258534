"""Sitemaps (sitemaps.org): urlsets, nested sitemap indexes, gzip, and robots.txt ``Sitemap:`` lines.

Parsed with lxml and a parser that resolves no entities, loads no DTD, reaches no network and
keeps libxml2's limits on huge documents, so an XML bomb or an external entity reads nothing.
"""

from __future__ import annotations

import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree

from . import SourceError
from .entries import Entry, parse_date
from .fetch import Fetched, fetch, is_url
from .normalize import origin

MAX_DEPTH = 3  # an index of indexes of sitemaps is as deep as real sites go
MAX_SITEMAPS = 1000  # files read for one --sitemap


class TooManySitemaps(SourceError):
    """Stops the whole --sitemap, not just the nested file it happened in."""


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
                           remove_comments=True, remove_pis=True)


def parse_xml(body: bytes) -> etree._Element:
    """The document's root element, or a one-line SourceError."""
    if not body.strip():
        raise SourceError("empty document")
    try:
        root = etree.fromstring(body, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"not valid XML ({str(exc).splitlines()[0][:160]})") from None
    if root is None:
        raise SourceError("not valid XML (no root element)")
    return root


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def child_text(element: etree._Element, name: str) -> str:
    for child in element:
        if isinstance(child.tag, str) and local_name(child) == name:
            return (child.text or "").strip()
    return ""


@dataclass
class SitemapResult:
    """The pages listed, and the sitemaps that could not be read (``(which, cause)``)."""

    entries: list[Entry] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    read: int = 0


def resolve(location: str, fetched: Fetched) -> str:
    """A loc as an absolute URL; in a file on disk a relative one is a path beside that file."""
    if is_url(location) or fetched.is_url:
        return urljoin(fetched.location, location)
    assert fetched.path is not None
    return str((fetched.path.parent / location).resolve()) if not Path(location).is_absolute() else location


def robots_sitemaps(body: bytes) -> list[str]:
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(body.decode("utf-8", "replace").splitlines())
    return list(parser.site_maps() or [])


def read_sitemap(spec: str, headers: dict[str, str] | None = None, timeout_s: float = 30.0) -> SitemapResult:
    """Every page a sitemap, sitemap index or robots.txt lists. The top file failing raises
    SourceError; a nested one failing is kept in ``errors`` and the rest still count."""
    result = SitemapResult()
    home = origin(spec) if is_url(spec) else None

    def headers_for(url: str) -> dict[str, str] | None:
        return headers if home is not None and is_url(url) and origin(url) == home else None

    def visit(location: str, depth: int) -> None:
        if result.read >= MAX_SITEMAPS:
            raise TooManySitemaps(f"more than {MAX_SITEMAPS} sitemaps")
        result.read += 1
        fetched = fetch(location, headers_for(location), timeout_s)
        if urlsplit(location).path.endswith("/robots.txt") or location.endswith("robots.txt"):
            listed = robots_sitemaps(fetched.body)
            if not listed:
                raise SourceError("robots.txt names no Sitemap")
            children = listed
        else:
            root = parse_xml(fetched.body)
            kind = local_name(root)
            if kind == "urlset":
                for item in root:
                    if isinstance(item.tag, str) and local_name(item) == "url" and child_text(item, "loc"):
                        result.entries.append(Entry(resolve(child_text(item, "loc"), fetched), parse_date(child_text(item, "lastmod"))))
                return
            if kind != "sitemapindex":
                raise SourceError(f"not a sitemap (its root element is <{kind}>, not <urlset> or <sitemapindex>)")
            children = [resolve(child_text(item, "loc"), fetched) for item in root
                        if isinstance(item.tag, str) and local_name(item) == "sitemap" and child_text(item, "loc")]
        if depth >= MAX_DEPTH:
            raise SourceError(f"sitemap indexes nested deeper than {MAX_DEPTH}")
        for child in children:
            try:
                visit(child, depth + 1)
            except TooManySitemaps:
                raise
            except SourceError as exc:
                result.errors.append((child, str(exc)))

    visit(spec, 0)
    return result
