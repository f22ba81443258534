"""Where pages come from, end to end: sitemaps, feeds and a crawl of a real loopback site (tests/site.py),
steps before the audit, a login, --include/--exclude, and bad inputs that each cost one line."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import a11y
from a11y.pipeline.sources.normalize import normalize_url
from a11y.reports import FORMATS

from .site import PASSWORD, Site, serve_site

pytestmark = pytest.mark.browser  # every test audits the loopback site in a real Chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve_site(tmp_path_factory.mktemp("site")) as served:
        yield served


def pages_of(report: Path) -> list[dict]:
    return json.loads((report / "report.json").read_text(encoding="utf-8"))["pages"]


def targets_of(page: dict) -> list[str]:
    return [f["target"] for f in page["findings"]]


def by_path(pages: list[dict], site: Site) -> dict[str, dict]:
    return {page["url"].removeprefix(site.base): page for page in pages if page["url"]}


def test_cli_sitemap_index_gz_robots_feeds_and_crawl_combined(site: Site, tmp_path: Path, run_cli) -> None:
    out = tmp_path / "out"
    result = run_cli("audit", "--sitemap", site.url("/robots.txt"), "--feed", site.url("/feed.rss"), "--feed", site.url("/feed.atom"),
                     "--limit", "3", "--crawl", site.url("/"), "--max-pages", "8", "--crawl-exclude", "^/calendar",
                     "--settle-ms", "300", "--format", "json", "--out", str(out), "--fail-on", "none")
    assert result.returncode == 2, result.stderr  # /away could not be audited
    assert result.stderr.count("\n") == 1 and "another host" in result.stderr
    pages = by_path(pages_of(out), site)
    kinds = {path: page["found_by"]["kind"] for path, page in pages.items()}
    # the sitemap index (via robots.txt) and its gzip sitemap: the 3 newest of a01..a10
    assert [p for p, k in kinds.items() if k == "sitemap"] == ["/articles/a10.html", "/articles/a09.html", "/articles/a08.html"]
    assert [p for p, k in kinds.items() if k == "feed"] == [f"/articles/a{n}.html" for n in (15, 14, 13, 20, 19, 18)]
    crawled = [p for p, k in kinds.items() if k == "crawl"]
    assert crawled[0] == "/" and "/articles/js-only.html" in crawled  # a link only a script adds is found
    assert not any(p.startswith(("/private", "/calendar", "/report.pdf")) for p in crawled)  # robots.txt, --crawl-exclude, not HTML
    assert len(crawled) <= 8
    assert pages["/articles/a01.html"]["found_by"] == {"kind": "crawl", "from": site.url("/"), "depth": 1}
    assert pages["/away"]["status"] == "error" and "another host" in pages["/away"]["error"]
    assert len({normalize_url(site.url(p)) for p in pages}) == len(pages)  # each page once (utm_, fragment)


def test_crawl_of_a_folder_and_a_query_string_loop_is_bounded(site: Site) -> None:
    run = a11y.audit([], config=False, crawl=site.url("/calendar/?month=1"), max_pages=5, crawl_include="^/calendar", settle_ms=200, formats=["json"])
    urls = [p.url.removeprefix(site.base) for p in run.pages]
    assert urls == [f"/calendar/?month={n}" for n in range(1, 6)]  # breadth first, each month once, max 5
    assert [p.found_by.get("depth") for p in run.pages] == [0, 1, 2, 3, 4]
    folder = a11y.audit([], config=False, crawl=str(site.folder), max_pages=50, max_depth=1, settle_ms=200, formats=["json"])
    found = {p.url.split("/", 3)[-1]: p for p in folder.pages}  # served from the folder on a port of its own
    assert folder.pages[0].status == "ok" and folder.pages[0].found_by == {"kind": "crawl", "depth": 0}
    assert found["articles/a01.html"].found_by["depth"] == 1 and "articles/a03.html" not in found  # --max-depth 1


def test_a_crawl_cut_by_max_pages_takes_the_same_pages_in_the_same_order_at_any_concurrency(site: Site, tmp_path: Path, run_cli) -> None:
    crawled = {}
    for tabs in (1, 4):
        out = tmp_path / f"tabs{tabs}"
        result = run_cli("audit", "--crawl", site.url("/"), "--max-pages", "7", "--concurrency", str(tabs), "--settle-ms", "100",
                         "--format", "json", "--out", str(out), "--fail-on", "none")
        assert result.returncode == 2, result.stdout + result.stderr  # /away leaves the site: that page's error, the crawl goes on
        crawled[tabs] = [(page["url"].removeprefix(site.base), page["found_by"]) for page in pages_of(out)]
    assert crawled[1] == crawled[4]
    # breadth first in link order: the home page's links (robots.txt, the PDF and the other host left out), then a02's a03
    assert [url for url, _ in crawled[1]] == ["/", "/articles/a01.html", "/articles/a02.html?utm_source=home", "/calendar/?month=1",
                                              "/away", "/articles/js-only.html", "/articles/a03.html"]
    assert crawled[1][-1][1] == {"kind": "crawl", "from": site.url("/articles/a02.html?utm_source=home"), "depth": 2}


@pytest.fixture
def steps_config(tmp_path: Path, site: Site) -> Path:
    config = tmp_path / "a11y.toml"
    config.write_text(f"""
timeout = 10
settle_ms = 300

[login]
url = "{site.url('/login.html')}"
steps = ["fill #password ${{CMS_PASSWORD}}", "click #submit"]
check = "#logged-in"

[[pages]]
match = "/articles/a03"
steps = ["click #accept", "wait-for #cookie-banner hidden"]

[[pages]]
match = "/articles/a04"
wait-for = "#widget"

[[pages]]
match = "/articles/a05"
steps = ["scroll-to-bottom", "wait 50", "press Tab", "click #no-such-button"]

[[pages]]
match = "/articles/a06"
steps = ["remove header", "fill #missing ${{CMS_PASSWORD}}"]

[[pages]]
match = "/cms/"
include = ["article"]
""", encoding="utf-8")
    return config


def test_login_steps_banner_widget_and_include(site: Site, steps_config: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMS_PASSWORD", PASSWORD)
    names = ["/cms/draft2.html", "/articles/a03.html", "/articles/a07.html", "/articles/a04.html", "/articles/a08.html",
             "/articles/a05.html", "/articles/a06.html"]
    run = a11y.audit([site.url(n) for n in names], config=steps_config, concurrency=2)
    pages = {p.url.removeprefix(site.base): p for p in run.pages}
    draft = pages["/cms/draft2.html"]
    assert draft.status == "ok" and draft.title == "Draft 2"  # logged in: not sent to the login form
    assert not any("logo" in f.target for f in draft.findings)  # include = article: the chrome is not audited
    assert any("logo" in f.target for f in pages["/articles/a07.html"].findings)
    assert not any("banner-img" in f.target for f in pages["/articles/a03.html"].findings)  # clicked away
    assert any("banner-img" in f.target for f in pages["/articles/a07.html"].findings)  # no step: the banner is there
    assert any("#widget" in f.target for f in pages["/articles/a04.html"].findings)  # waited for
    assert pages["/articles/a05.html"].error == "step 'click #no-such-button' failed: timed out"
    assert pages["/articles/a06.html"].error.startswith("step 'fill #missing ${CMS_PASSWORD}' failed")
    out = run.write(tmp_path / "reports", formats=sorted(FORMATS))
    for path in [*out, *(tmp_path / "reports").rglob("*")]:
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path  # the secret is in no report


def test_storage_state_file_logs_in_and_a_failed_login_loses_nothing_else(site: Site, steps_config: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMS_PASSWORD", "wrong")
    run = a11y.audit([site.url("/cms/draft3.html"), site.url("/articles/a09.html")], config=steps_config)
    login, draft, other = run.pages
    assert login.status == "error" and login.error == "login: step 'wait-for #logged-in' failed: timed out"
    assert draft.error == "nothing on the page matches include 'article'"  # sent to the login form: not the article
    assert other.status == "ok"  # the rest goes on
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"cookies": [{"name": "session", "value": "ok-7f3a", "domain": "127.0.0.1", "path": "/",
                                              "expires": -1, "httpOnly": True, "secure": False, "sameSite": "Lax"}],
                                 "origins": []}))
    logged = a11y.audit([site.url("/cms/draft3.html"), site.url("/cms/draft1.html")], config=False, storage_state=str(state),
                        concurrency=1, settle_ms=200)
    assert [p.title for p in logged.pages] == ["Draft 3", "Draft 1"]  # the second page too: clearing keeps the login


def test_bad_inputs_each_cost_one_line(site: Site, tmp_path: Path, run_cli) -> None:
    (tmp_path / "broken.xml").write_text("<urlset><url><loc>oops</url>")
    (tmp_path / "empty.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    rows = "".join(f"<url><loc>{site.base}/gone/{n}.html</loc><lastmod>2025-01-01</lastmod></url>" for n in range(49_998))
    newest = "".join(f"<url><loc>{site.base}/articles/a{n:02d}.html</loc><lastmod>2026-06-0{n}</lastmod></url>" for n in (1, 2))
    big = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}{newest}</urlset>'
    (tmp_path / "big.xml.gz").write_bytes(gzip.compress(big.encode()))
    out = tmp_path / "out"
    result = run_cli("audit", site.url("/articles/a11.html"), "--sitemap", str(tmp_path / "broken.xml"), "--feed", str(tmp_path / "empty.rss"),
                     "--sitemap", str(tmp_path / "big.xml.gz"), "--limit", "2", "--sitemap", site.url("/away"),
                     "--settle-ms", "200", "--format", "json", "--out", str(out), "--fail-on", "none")
    assert result.returncode == 2  # pages that could not be audited
    pages = pages_of(out)
    errors = {p["source"]: p["error"] for p in pages if p["status"] == "error"}
    assert all("\n" not in e for e in errors.values())
    assert any(e.startswith("sitemap: not valid XML") for e in errors.values())
    assert any(e == "feed: the feed has no items with a link" for e in errors.values())
    assert any("redirected to another host" in e for e in errors.values())
    audited = [p["url"].removeprefix(site.base) for p in pages if p["status"] == "ok"]
    assert audited == ["/articles/a11.html", "/articles/a02.html", "/articles/a01.html"]  # --limit 2 of 50,000, newest first
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == len(errors)  # one line each
