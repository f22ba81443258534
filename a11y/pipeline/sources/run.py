"""The crawls of one run: started beside the other targets, fed by the pages the scheduler renders,
and their pages put in breadth-first order at the end."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from ...model import PageResult
from ...settings import Settings
from ..server import PageServer
from ..targets import FoundBy, Target, display_path, redact_url
from . import SourceError
from .collect import page_key
from .crawl import Crawl, CrawlSpec
from .fetch import is_url
from .normalize import normalize_url, origin

INDEX_FILES = ("index.html", "index.htm")


def _start_url(spec: CrawlSpec, stack: AsyncExitStack) -> str:
    """A URL as it is; a folder (its index.html) or a file, served on loopback for the crawl."""
    if is_url(spec.start):
        return spec.start
    path = Path(spec.start).resolve()
    if path.is_dir():
        page = next((path / name for name in INDEX_FILES if (path / name).is_file()), None)
        if page is None:
            raise SourceError("the folder has no index.html to start from")
        folder = path
    elif path.is_file():
        page, folder = path, path.parent
    else:
        raise SourceError("no such file, folder or URL")
    server = PageServer(folder).start()
    stack.callback(server.stop)
    return server.url_for(page)


class Crawling:
    """Every --crawl of the run, sharing one set of pages seen with the other targets."""

    def __init__(self, crawls: list[Crawl]) -> None:
        self.crawls = crawls

    @classmethod
    async def start(cls, specs: Sequence[CrawlSpec], targets: list[Target], urls: dict[Target, str], settings: Settings,
                    stack: AsyncExitStack) -> Crawling:
        """Add each crawl's start page to ``targets`` (a broken one as an error target)."""
        seen = {page_key(t) if t.url or t.error else normalize_url(urls.get(t, "")) for t in targets}
        crawls = []
        for spec in specs:
            name = spec.start if is_url(spec.start) else display_path(Path(spec.start).resolve())
            try:
                spec.check()
                crawl = Crawl(spec, _start_url(spec, stack), seen)
            except SourceError as exc:
                targets.append(Target(source=name, error=f"crawl: {exc}", found_by=FoundBy("crawl", None, 0)))
                continue
            # robots.txt is of the start page's own origin, which --header's values are for
            await asyncio.to_thread(crawl.load_robots, settings.headers, min(settings.timeout_s, 10.0))
            crawls.append(crawl)
            if normalize_url(crawl.start_url) not in seen:
                start = crawl.start_target()
                if not is_url(spec.start):
                    start = replace(start, source=name)
                targets.append(start)
                urls[start] = crawl.start_url
        return cls(crawls)

    def links_callback(self, add: Callable[[Target], None]) -> Callable[[str, str, list[str] | None], str | None]:
        """What the scheduler calls once per page done (``links`` None: the page failed): each crawl of
        the page reads its links when its turn comes and ``add`` gets the pages that admits."""
        def found(url: str, final_url: str, links: list[str] | None) -> str | None:
            refused = None
            for crawl in self.crawls:
                if crawl.expands(url):
                    if links is not None and crawl.sort_key(url) != (0, ()) and origin(final_url) != crawl.home:
                        refused = f"redirected to another host ({urlsplit(final_url).netloc}); a crawl stays on its site"
                    for target in crawl.report(url, None if refused else links):
                        add(target)
            return refused
        return found

    def in_bfs_order(self, pages: list[PageResult]) -> list[PageResult]:
        """The other pages in their order, then each crawl's in breadth-first order, whatever order the
        tabs finished in; each crawled page names its nearest parent."""
        def placed(page: PageResult) -> tuple[PageResult, tuple[int, tuple[int, tuple[int, ...]]] | None]:
            for number, crawl in enumerate(self.crawls):
                key = crawl.sort_key(page.url) if page.found_by.get("kind") == "crawl" and page.url else None
                if key is not None:
                    found = crawl.found_by(page.url)
                    if found is not None:
                        page = replace(page, found_by={**found.to_dict(), "from": redact_url(found.source or "")})
                    return page, (number, key)
            return page, None

        keyed = [placed(page) for page in pages]
        others = [page for page, key in keyed if key is None]
        crawled = sorted(((page, key) for page, key in keyed if key is not None), key=lambda item: item[1])  # type: ignore[arg-type, return-value]
        return others + [page for page, _ in crawled]
