"""Sitemaps, feeds and URL normalisation as pure logic: files on disk, no browser, no network."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from a11y.pipeline.sources import SourceError
from a11y.pipeline.sources.collect import combine, feed_targets, sitemap_targets
from a11y.pipeline.sources.entries import parse_since
from a11y.pipeline.sources.normalize import normalize_url
from a11y.pipeline.sources.sitemap import read_sitemap

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def urlset(*entries: tuple[str, str | None]) -> str:
    rows = "".join(f"<url><loc>{loc}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</url>" for loc, mod in entries)
    return f'<?xml version="1.0"?><urlset {NS}>{rows}</urlset>'


def test_normalize_drops_fragment_default_port_tracking_and_trailing_slash() -> None:
    assert normalize_url("HTTP://Example.com:80/news/?utm_source=x&b=2&a=1#top") == "http://example.com/news?a=1&b=2"
    assert normalize_url("https://example.com") == "https://example.com/"


def test_nested_gzip_index_with_since_and_limit(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(urlset(("https://s.test/old", "2020-01-01"), ("https://s.test/new", "2026-12-05T08:00:00Z")))
    (tmp_path / "b.xml.gz").write_bytes(gzip.compress(urlset(("https://s.test/mid", "2024-06-01")).encode()))
    (tmp_path / "broken.xml").write_text("<urlset><url>")
    (tmp_path / "index.xml").write_text(f'<sitemapindex {NS}><sitemap><loc>a.xml</loc></sitemap><sitemap><loc>b.xml.gz</loc></sitemap>'
                                        f'<sitemap><loc>broken.xml</loc></sitemap></sitemapindex>')
    targets = sitemap_targets(str(tmp_path / "index.xml"), limit=2)
    assert [t.error.split(" (")[0] for t in targets if t.error] == ["sitemap: not valid XML"]  # one line, the rest kept
    assert [t.url for t in targets if not t.error] == ["https://s.test/new", "https://s.test/mid"]
    assert [t.url for t in sitemap_targets(str(tmp_path / "index.xml"), since=parse_since("2025-01-01")) if t.url] == ["https://s.test/new"]
    assert targets[-1].found_by.kind == "sitemap"


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    (tmp_path / "x.xml").write_text(f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
                                    f'<urlset {NS}><url><loc>https://s.test/&x;</loc></url></urlset>')
    assert all("TOPSECRET" not in e.url for e in read_sitemap(str(tmp_path / "x.xml")).entries)


def test_rss_atom_json_feeds_newest_first_and_empty_feed_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "rss.xml").write_text('<rss version="2.0"><channel><title>t</title>'
                                      '<item><link>https://s.test/1</link><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>'
                                      '<item><link>https://s.test/2</link><pubDate>Sat, 05 Dec 2026 00:00:00 GMT</pubDate></item>'
                                      '</channel></rss>')
    (tmp_path / "atom.xml").write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
                                       '<entry><link href="https://s.test/a"/><updated>2026-01-01T00:00:00Z</updated></entry></feed>')
    (tmp_path / "feed.json").write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "https://s.test/j"}]}')
    (tmp_path / "empty.xml").write_text('<rss version="2.0"><channel><title>t</title></channel></rss>')
    assert [t.url for t in feed_targets(str(tmp_path / "rss.xml"))] == ["https://s.test/2", "https://s.test/1"]
    assert [t.url for t in feed_targets(str(tmp_path / "atom.xml"))] == ["https://s.test/a"]
    assert [t.url for t in feed_targets(str(tmp_path / "feed.json"))] == ["https://s.test/j"]
    assert feed_targets(str(tmp_path / "empty.xml"))[0].error == "feed: the feed has no items with a link"


def test_combine_removes_duplicates_across_sources(tmp_path: Path) -> None:
    (tmp_path / "s.xml").write_text(urlset(("https://s.test/a/?utm_medium=x", None), ("https://s.test/b", None)))
    (tmp_path / "f.json").write_text('{"version": "https://jsonfeed.org/version/1", "items": [{"url": "https://s.test/a#c"}]}')
    combined = combine([sitemap_targets(str(tmp_path / "s.xml")), feed_targets(str(tmp_path / "f.json"))])
    assert len(combined) == 2


def test_bad_since_is_a_one_line_error() -> None:
    with pytest.raises(SourceError, match="--since"):
        parse_since("yesterday")


def test_crawl_frontier_same_origin_once_within_limits() -> None:
    from a11y.pipeline.sources.crawl import Crawl, CrawlSpec

    crawl = Crawl(CrawlSpec("http://s.test/", max_pages=4, max_depth=1, exclude="^/tag/"), "http://s.test/")
    crawl.start_target()
    found = crawl.found("http://s.test/", ["http://s.test/a#x", "http://s.test/a/?utm_source=y", "http://other.test/b",
                                           "http://s.test/file.pdf", "http://s.test/tag/x", "http://s.test/b", "http://s.test/c",
                                           "http://s.test/d"])
    assert [t.url for t in found] == ["http://s.test/a", "http://s.test/b", "http://s.test/c"]  # max_pages 4 with the start
    assert crawl.found("http://s.test/a", ["http://s.test/e"]) == []  # max_depth 1


def test_steps_parse_and_reject_with_one_line() -> None:
    from a11y.steps import PageRule, Scope, Step, StepError, plan_for

    assert Step.parse("fill #q hello world").args == ("#q", "hello world")
    assert Step.parse("wait-for .x hidden").args == (".x", "hidden")
    for bad in ("jump #x", "wait soon", "click", "wait-for .x gone"):
        with pytest.raises(StepError) as caught:
            Step.parse(bad)
        assert "\n" not in str(caught.value)
    plan = plan_for("https://s.test/news/1", (PageRule("/news/", (Step.parse("click #a"),), Scope(("article",))),
                                              PageRule("/sport/", (Step.parse("click #b"),))))
    assert [s.text for s in plan.steps] == ["click #a"] and plan.scope.include == ("article",)
