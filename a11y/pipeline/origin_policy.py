"""Which requests of a page may leave, and which carry the user's credentials.

The page's own origin is the target URL's scheme, host and port. ``--header`` and ``--cookie``
values go only to requests of that origin, added per request by a route: Playwright fetches such a
request itself (``route.fetch``, redirects not followed) and hands the response to the page, so a
redirect to another origin is a new request that never carries them (Chromium would copy a
header onto the redirected request). The cookies are sent as a ``Cookie`` header and never enter
the browser's cookie jar: page scripts cannot read them (as with ``httpOnly``) and no other
port, scheme or host receives them.

With ``--block-external`` every request to another origin is refused: subresources, fetches,
EventSource, beacons, WebSockets (their own route; those a page's Worker opens are refused by a
``connect-src 'self'`` policy added to the origin's responses) and redirects, whose target is
checked before the browser sees the redirect (a redirect to another origin fails as blocked). Each blocked request is listed in the page's warnings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Route, WebSocketRoute

LOCAL_SCHEMES = ("data", "blob", "about", "chrome-extension")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
WEB_SCHEME = {"ws": "http", "wss": "https"}  # a WebSocket's origin is its HTTP(S) twin's
REPORT_PATH = "/.a11y-csp-report"  # where the browser reports what the policy below refused (answered here, never sent)
CONNECT_SELF = f"connect-src 'self' data: blob:; report-uri {REPORT_PATH}"  # added to own-origin responses under --block-external
SHOWN_BLOCKED = 20  # blocked requests listed in a page's warning before "and N more"

Origin = tuple[str, str, int | None]


def origin_of(url: str) -> Origin:
    """``(scheme, host, port)``, with default ports filled in and ws/wss read as http/https."""
    parts = urlsplit(url)
    scheme = WEB_SCHEME.get(parts.scheme, parts.scheme)
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(parts.scheme)


def shown_url(url: str) -> str:
    """A blocked URL for the report: no userinfo, query or fragment (they may carry tokens)."""
    parts = urlsplit(url)
    _, host, port = origin_of(url)
    suffix = f":{port}" if port and port != DEFAULT_PORTS.get(parts.scheme) else ""
    return f"{parts.scheme}://{host}{suffix}{parts.path}"[:160]


@dataclass
class OriginPolicy:
    """One page's policy: its origin, the credentials for it, and what was blocked."""

    page_url: str
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    cookies: dict[str, str] = field(default_factory=dict, repr=False)
    block_external: bool = False
    timeout_ms: float = 30000
    blocked: list[str] = field(default_factory=list)

    @property
    def origin(self) -> Origin:
        return origin_of(self.page_url)

    @property
    def needed(self) -> bool:
        """Whether requests must be routed at all (routing costs a round trip per request)."""
        return bool(self.headers or self.cookies or self.block_external)

    def own(self, url: str) -> bool:
        return origin_of(url) == self.origin

    async def route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in LOCAL_SCHEMES:
            await route.continue_()
        elif not self.own(url):
            if self.block_external:
                self._block(f"{route.request.resource_type} {shown_url(url)}")
                await route.abort("blockedbyclient")
            else:
                await route.continue_()  # never with the user's headers or cookies
        elif self.block_external and urlsplit(url).path == REPORT_PATH:
            await self._record_report(route)
        elif self.headers or self.cookies or self.block_external:
            await self._fetch_own(route)
        else:
            await route.continue_()

    async def _fetch_own(self, route: Route) -> None:
        """The page's own request with the credentials added; a redirect is handed back, not followed."""
        sent = dict(await route.request.all_headers())
        sent.update(self.headers)
        if self.cookies:
            ours = "; ".join(f"{name}={value}" for name, value in sorted(self.cookies.items()))
            sent["cookie"] = f"{sent['cookie']}; {ours}" if sent.get("cookie") else ours
        try:
            response = await route.fetch(headers=sent, max_redirects=0, timeout=self.timeout_ms)
        except PlaywrightError:
            await route.abort("failed")
            return
        location = response.headers.get("location")
        if self.block_external and 300 <= response.status < 400 and location:
            target = urljoin(route.request.url, location)
            if not self.own(target):  # refused here: handed to the browser, Chromium would connect to it at once
                self._block(f"redirect {shown_url(route.request.url)} -> {shown_url(target)}")
                await route.abort("blockedbyclient")
                return
        headers = dict(response.headers)
        if self.block_external:
            # WebSockets opened by a page's Worker pass no route: the browser's own CSP refuses them
            # (and any other connection elsewhere) in documents and workers of the page's origin.
            existing = headers.get("content-security-policy")
            headers["content-security-policy"] = f"{existing}, {CONNECT_SELF}" if existing else CONNECT_SELF
        await route.fulfill(response=response, headers=headers)

    async def _record_report(self, route: Route) -> None:
        """A CSP report: the connection the browser refused (fetch, beacon, EventSource, a Worker's WebSocket)."""
        try:
            report = json.loads(route.request.post_data or "{}").get("csp-report", {})
        except (ValueError, AttributeError):
            report = {}
        blocked = str(report.get("blocked-uri") or "")
        if blocked.startswith(("http", "ws")):
            self._block(f"connection {shown_url(blocked)}")
        await route.fulfill(status=204, body="")

    async def route_web_socket(self, socket: WebSocketRoute) -> None:
        if self.own(socket.url):
            socket.connect_to_server()
        else:
            self._block(f"websocket {shown_url(socket.url)}")
            await socket.close(code=1008, reason="blocked by a11y --block-external")

    def _block(self, what: str) -> None:
        if what not in self.blocked:
            self.blocked.append(what)

    def warning(self) -> str | None:
        """The page's warning listing every blocked request (bounded), or None."""
        if not self.blocked:
            return None
        listed = ", ".join(self.blocked[:SHOWN_BLOCKED])
        more = f", and {len(self.blocked) - SHOWN_BLOCKED} more" if len(self.blocked) > SHOWN_BLOCKED else ""
        return f"--block-external blocked {len(self.blocked)} request(s) to other origins: {listed}{more}"
