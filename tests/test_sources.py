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


SITE_LINKS = {  # a small site: which pages each page links to, in page order
    "/": ["/a", "/b", "/c"],
    "/a": ["/a1", "/a2", "/b"],
    "/b": ["/b1", "/a1", "/b2"],
    "/c": ["/c1", "/"],
    "/a1": ["/x"], "/a2": ["/y"], "/b1": ["/z"], "/b2": [], "/c1": ["/w"],
}


def _crawled(finish_order: str, seed: int, max_pages: int, failing: frozenset[str] = frozenset()) -> list[tuple[str, str | None, int]]:
    """Crawl SITE_LINKS as the scheduler feeds a crawl, pages finishing in ``finish_order`` among those
    in flight ("first", "last" or "random"); the pages in the order the crawl admitted them."""
    import random

    from a11y.pipeline.sources.crawl import Crawl, CrawlSpec

    crawl = Crawl(CrawlSpec("http://s.test/", max_pages=max_pages), "http://s.test/")
    in_flight = [crawl.start_target()]
    admitted = list(in_flight)
    pick = random.Random(seed)
    while in_flight:
        index = {"first": 0, "last": len(in_flight) - 1}.get(finish_order, pick.randrange(len(in_flight)))
        done = in_flight.pop(index)
        path = done.url.removeprefix("http://s.test")  # type: ignore[union-attr]
        links = None if path in failing else [f"http://s.test{link}" for link in SITE_LINKS.get(path, [])]
        new = crawl.report(done.url, links)  # type: ignore[arg-type]
        in_flight += new
        admitted += new
    return [(t.url.removeprefix("http://s.test"), t.found_by.source, t.found_by.depth) for t in admitted]  # type: ignore[union-attr]


@pytest.mark.parametrize("max_pages", [3, 5, 7, 100])
def test_which_pages_a_cut_crawl_takes_does_not_depend_on_which_page_finished_first(max_pages: int) -> None:
    one_tab = _crawled("first", 0, max_pages)
    for order, seed in [("last", 0), *(("random", seed) for seed in range(20))]:
        assert _crawled(order, seed, max_pages) == one_tab
    expected = ["/", "/a", "/b", "/c", "/a1", "/a2", "/b1", "/b2", "/c1", "/x", "/y", "/z", "/w"]
    assert [url for url, _, _ in one_tab] == expected[:max_pages]  # breadth first, in link order
    if max_pages == 100:  # each page's parent is the first page (in BFS order) that links to it, at its true depth
        assert one_tab[4] == ("/a1", "http://s.test/a", 2) and one_tab[-1] == ("/w", "http://s.test/c1", 3)


def test_a_page_that_failed_does_not_stall_the_crawl() -> None:
    failing = frozenset({"/a"})
    one_tab = _crawled("first", 0, 100, failing)
    assert [url for url, _, _ in one_tab] == ["/", "/a", "/b", "/c", "/b1", "/a1", "/b2", "/c1", "/z", "/x", "/w"]
    assert all(_crawled("random", seed, 100, failing) == one_tab for seed in range(10))
