"""What a run lets out, and to whom: the loopback server's root, --header/--cookie, --block-external.

Every "must receive nothing" is checked on a real listener on another loopback origin.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from a11y.pipeline.server import PageServer

from .helpers import http_status


def test_loopback_server_serves_no_dot_files_or_dot_folders(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>page</p>")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / ".env").write_text("SECRET=1")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[remote]")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / ".htpasswd").write_text("admin:x")
    os.symlink(tmp_path / ".env", tmp_path / "env.txt")
    with PageServer(tmp_path) as server:
        base = f"http://127.0.0.1:{server.port}"
        assert http_status(f"{base}/page.html") == 200 and http_status(f"{base}/photo.jpg") == 200
        for path in ("/.env", "/.git/config", "/%2egit/config", "/assets/.htpasswd", "/assets/%2Ehtpasswd", "/env.txt", "/./.env"):
            assert http_status(base + path) == 404, path


# -- credentials and --block-external, against real listeners --------------------------------------

class Listener:
    """A loopback TCP listener on another origin that records every connection's first bytes and
    answers HTTP with an empty 200: what a third party (or an exfiltration endpoint) would see."""

    def __init__(self) -> None:
        import socket
        import threading

        self.received: list[bytes] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(65536))
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


def _own_site(third: str):
    """The page's own origin: a page whose requests go to ``third`` several ways, and a redirect there."""
    from .helpers import send

    seen: list[tuple[str, str | None, str | None]] = []

    def record(handler) -> None:
        seen.append((handler.path, handler.headers.get("X-Secret"), handler.headers.get("Cookie")))

    def page(handler) -> None:
        record(handler)
        body = (f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body><main><h1>Story</h1>"
                f"<img src='{third}/pixel.png' alt=''><img src='/redir' alt=''>"
                f"<script>document.title = document.cookie.includes('sid') ? 'cookie visible' : 'cookie hidden';"
                f"fetch('{third}/fetch').catch(() => 0); navigator.sendBeacon('{third}/beacon', 'secret=1');"
                f"try {{ new EventSource('{third}/events'); }} catch (e) {{}}"
                f"try {{ new WebSocket('{third.replace('http', 'ws')}/socket'); }} catch (e) {{}}"
                f"try {{ new Worker(URL.createObjectURL(new Blob([\"new WebSocket('{third.replace('http', 'ws')}/worker')\"]))); }}"
                " catch (e) {}</script>"
                "</main></body></html>").encode()
        send(handler, 200, body)

    def redirect(handler) -> None:
        record(handler)
        handler.send_response(302)
        handler.send_header("Location", f"{third}/landed.png")
        handler.end_headers()

    return {"/story": page, "/redir": redirect}, seen


@pytest.mark.browser
def test_headers_and_cookies_go_only_to_the_pages_own_origin() -> None:
    from a11y.pipeline.engine import audit
    from a11y.settings import Settings

    from .helpers import scripted_server

    third = Listener()
    try:
        routes, seen = _own_site(third.base)
        with scripted_server(routes) as base:
            run = audit([f"{base}/story"], Settings(settle_ms=500, timeout_s=20, headers={"X-Secret": "s3cret"}, cookies={"sid": "abc"}))
    finally:
        third.close()
    page = run.pages[0]
    assert page.status == "ok", page.error
    assert ("/story", "s3cret", "sid=abc") in seen and ("/redir", "s3cret", "sid=abc") in seen  # the own origin gets them
    assert third.received, "the third party was reached (this run blocks nothing)"
    leaked = [r for r in third.received if b"s3cret" in r or b"sid=abc" in r]
    assert leaked == []  # not to third-party requests, not to the redirect's target
    assert page.title == "cookie hidden"  # page scripts cannot read the cookie


@pytest.mark.browser
def test_block_external_lets_nothing_out_by_any_channel() -> None:
    from a11y.pipeline.engine import audit
    from a11y.settings import Settings

    from .helpers import scripted_server

    third = Listener()
    elsewhere = third.base
    try:
        routes, _seen = _own_site(elsewhere)
        with scripted_server(routes) as base:
            run = audit([f"{base}/story"], Settings(settle_ms=800, timeout_s=20, block_external=True))
    finally:
        third.close()
    page = run.pages[0]
    assert page.status == "ok", page.error
    assert third.received == []  # no image, fetch, beacon, EventSource, WebSocket (the page's or a Worker's) or redirect
    warning = next(w for w in page.warnings if "--block-external blocked" in w)
    for channel in ("image http", "websocket ws", "redirect http"):
        assert channel in warning, (channel, warning)
    for refused in ("/fetch", "/beacon", "/events", "/worker"):  # refused by the page's CSP, reported to a11y
        assert f"connection {elsewhere.replace('http', 'ws') if refused == '/worker' else elsewhere}{refused}" in warning, (refused, warning)
    assert "secret=1" not in warning  # URLs are listed without their query
