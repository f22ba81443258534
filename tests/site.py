"""A small publisher's site for the sources and steps tests, generated into a tmp folder and served on
127.0.0.1 (random ports): ~30 pages, a sitemap index with a gzip sitemap, RSS and Atom feeds, a
robots.txt, a login form that sets a session cookie and pages that need it, a cookie banner over
an article, a widget that appears after 800 ms, a calendar whose ?month= links never end, and a
redirect to a second server ("another host")."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PASSWORD = "s3cret-Pa55-for-tests"  # the login form's; tests pass it through ${CMS_PASSWORD}
SESSION = "session=ok-7f3a"
ARTICLES = 20


def page(title: str, body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head><body>'
            f'<header><a href="/">Home</a> <img src="data:," class="logo"></header>'  # the chrome: an image without alt
            f"<main><h1>{title}</h1>{body}</main></body></html>")


def article(number: int, extra: str = "") -> str:
    links = "".join(f'<a href="/articles/a{n:02d}.html">Article {n}</a> ' for n in (number - 1, number + 1) if 1 <= n <= ARTICLES)
    return page(f"Article {number}", f"<article><p>Story number {number}.</p>{extra}</article><nav>{links}</nav>")


# The banner and the widget each hold an image without alt text, so a test sees whether they were there at audit time.
COOKIE_BANNER = ('<div id="cookie-banner" style="position:fixed;inset:0;background:#fff;z-index:9">'
                 '<p>We use cookies</p><img src="data:," id="banner-img">'
                 '<button id="accept" onclick="this.parentNode.remove()">Accept</button></div>')
WIDGET = "<script>setTimeout(() => { const d = document.createElement('img'); d.id = 'widget'; d.src = 'data:,'; " \
         "document.querySelector('article').append(d); }, 800)</script>"
JS_LINK = "<script>const a = document.createElement('a'); a.href = '/articles/js-only.html'; a.textContent = 'Late'; " \
          "document.querySelector('main').append(a);</script>"


def _urlset(base: str, paths: list[str], dated: bool = True) -> str:
    rows = "".join(f"<url><loc>{base}{p}</loc>{f'<lastmod>2026-01-{i + 1:02d}</lastmod>' if dated else ''}</url>"
                   for i, p in enumerate(paths))
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'


def build(folder: Path, base: str, other: str) -> None:
    """Write the site into ``folder`` for a server at ``base``; ``other`` is the second host."""
    (folder / "articles").mkdir(parents=True)
    (folder / "cms").mkdir()
    (folder / "private").mkdir()
    (folder / "calendar").mkdir()
    for n in range(1, ARTICLES + 1):
        extra = COOKIE_BANNER if n in (3, 7) else WIDGET if n in (4, 8) else ""
        (folder / "articles" / f"a{n:02d}.html").write_text(article(n, extra))
    (folder / "articles" / "js-only.html").write_text(page("Found by script", "<p>Only a script links here.</p>"))
    (folder / "index.html").write_text(page("Home", (
        '<a href="/articles/a01.html">First</a> <a href="/articles/a02.html?utm_source=home#top">Second</a> '
        '<a href="/articles/a02.html">Second again</a> <a href="/calendar/?month=1">Calendar</a> '
        '<a href="/private/secret.html">Private</a> <a href="/report.pdf">PDF</a> '
        f'<a href="{other}/elsewhere.html">Elsewhere</a> <a href="/away">Away</a>{JS_LINK}')))
    (folder / "private" / "secret.html").write_text(page("Private", "<p>Robots keep out.</p>"))
    (folder / "calendar" / "index.html").write_text(page("Calendar", "<p>Months.</p><script>const m = +new URLSearchParams("
                                                         "location.search).get('month') || 0; const a = document.createElement('a');"
                                                         " a.href = '?month=' + (m + 1); a.textContent = 'Next'; "
                                                         "document.querySelector('main').append(a);</script>"))
    (folder / "login.html").write_text(page("Log in", '<form method="post" action="/login"><label>Password '
                                            '<input id="password" name="password" type="password"></label>'
                                            '<button id="submit">Log in</button></form>'))
    for n in range(1, 4):
        (folder / "cms" / f"draft{n}.html").write_text(page(f"Draft {n}", '<article><p id="logged-in">Draft text.</p></article>'))
    (folder / "robots.txt").write_text(f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap_index.xml\n")
    (folder / "sitemap_index.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/sitemap-articles.xml.gz</loc></sitemap><sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap>"
        "</sitemapindex>")
    (folder / "sitemap-articles.xml.gz").write_bytes(gzip.compress(_urlset(base, [f"/articles/a{n:02d}.html" for n in range(1, 11)]).encode()))
    (folder / "sitemap-pages.xml").write_text(_urlset(base, ["/", "/login.html"], dated=False))
    items = "".join(f"<item><title>A{n}</title><link>{base}/articles/a{n:02d}.html</link>"
                    f"<pubDate>{['Mon', 'Tue', 'Wed', 'Thu', 'Fri'][n % 5]}, {n:02d} Feb 2026 08:00:00 GMT</pubDate></item>"
                    for n in range(11, 16))
    (folder / "feed.rss").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>')
    entries = "".join(f"<entry><title>A{n}</title><link href=\"{base}/articles/a{n:02d}.html\"/><id>a{n}</id>"
                      f"<updated>2026-03-{n - 15:02d}T08:00:00Z</updated></entry>" for n in range(16, 21))
    (folder / "feed.atom").write_text(f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>'
                                      f"<id>news</id><updated>2026-03-05T08:00:00Z</updated>{entries}</feed>")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")


class Handler(SimpleHTTPRequestHandler):
    """Files, plus the login (POST /login sets the cookie), /cms/ behind it, and /away to the other host."""

    other = ""

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith("/cms/") and SESSION not in (self.headers.get("Cookie") or ""):
            self._redirect("/login.html")
        elif path == "/away":
            self._redirect(f"{self.other}/elsewhere.html")
        else:
            super().do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        if urlsplit(self.path).path == "/login" and form.get("password") == [PASSWORD]:
            self.send_response(303)
            self.send_header("Set-Cookie", f"{SESSION}; Path=/; HttpOnly")
            self.send_header("Location", "/cms/draft1.html")
        else:
            self.send_response(303)
            self.send_header("Location", "/login.html?failed=1")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(folder: Path, other: str) -> ThreadingHTTPServer:
    handler = type("SiteHandler", (Handler,), {"other": other})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass(frozen=True)
class Site:
    folder: Path
    base: str  # http://127.0.0.1:PORT
    other: str  # the second server: "another host"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@contextmanager
def serve_site(folder: Path) -> Iterator[Site]:
    """Build the site in ``folder`` and serve it (and the other host) until the block ends."""
    other_folder = folder / "_other"
    other_folder.mkdir(parents=True)
    (other_folder / "elsewhere.html").write_text(page("Elsewhere", "<p>Another host.</p>"))
    other = _serve(other_folder, "")
    other_base = f"http://127.0.0.1:{other.server_address[1]}"
    site_folder = folder / "site"
    site_folder.mkdir()
    server = _serve(site_folder, other_base)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    build(site_folder, base, other_base)
    try:
        yield Site(site_folder, base, other_base)
    finally:
        for running in (server, other):
            running.shutdown()
            running.server_close()
