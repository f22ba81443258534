"""A loopback HTTP server for local pages, so relative assets and fetches work as on a web host.

It serves only files under its root: ``..``, encoded ``%2e%2e``, absolute paths and
symlinks that lead out of the root all get 404, and so do dot-files and anything under a
dot-folder (``/.env``, ``/.git/config``), which hold secrets and history, never page assets.
It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

STOP_POLL_S = 0.02  # how often serve_forever looks for shutdown(); its default 0.5 s was waited out at the end of every run
# Pages are read afresh on every request. Their assets (images, styles, scripts, data) may be kept
# by a tab for the rest of its run, as a web host's static files are: each run has its own browser,
# and tabs reuse them across pages (measured: about 6% faster runs over pages that share assets).
PAGE_CACHING = "no-store"
ASSET_CACHING = "max-age=3600"
HTML_TYPES = ("text/html", "application/xhtml+xml")  # what is audited as a page (render.py refuses the rest)


class _RootedHandler(SimpleHTTPRequestHandler):
    """Serves files under ``directory`` and nothing else."""

    caching = PAGE_CACHING

    def translate_path(self, path: str) -> str:
        """The file for a URL path, or "" (answered with 404) when it would leave the root."""
        root = self.directory  # PageServer's root, resolved once (not per request: pages make hundreds)
        raw = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0])
        if any(part.startswith(".") for part in raw.replace("\\", "/").split("/")) or "\0" in raw:
            return ""  # ".." leaves the root; other dot entries are secrets (.env, .git/)
        parts = [p for p in posixpath.normpath(raw).split("/") if p and p != "."]
        candidate = os.path.realpath(os.path.join(root, *parts))
        if candidate != root and not candidate.startswith(root + os.sep):
            return ""  # e.g. a symlink that points out of the root
        if any(part.startswith(".") for part in os.path.relpath(candidate, root).split(os.sep) if part != "."):
            return ""  # a symlink to a dot entry inside the root
        return candidate

    def send_head(self):
        path = self.translate_path(self.path)
        is_asset = bool(path) and os.path.isfile(path) and self.guess_type(path).split(";")[0] not in HTML_TYPES
        self.caching = ASSET_CACHING if is_asset else PAGE_CACHING  # errors too: a file made later in the run is found
        if not path:
            self.send_error(404, "Not found")
            return None
        return super().send_head()

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        """HTML saved as UTF-8 under a stale ``<meta charset>`` (a page re-encoded when it was saved)
        is served as UTF-8: the header outranks the meta, so the browser decodes the bytes as they are."""
        ctype = super().guess_type(path)
        if ctype in HTML_TYPES and _utf8_under_other_charset(str(path)):
            return ctype + "; charset=utf-8"
        return ctype

    def list_directory(self, path: str | os.PathLike[str]):
        self.send_error(404, "Not found")
        return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", self.caching)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # the audit reports problems; the access log is noise


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w-]+)", re.I)


def _utf8_under_other_charset(path: str) -> bool:
    """The file is valid UTF-8 with non-ASCII text, yet its first 4 KB declare another charset."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return False
    declared = _META_CHARSET.search(data[:4096])
    if declared is None or declared.group(1).lower() in (b"utf-8", b"utf8") or data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a browser dropping a connection mid-response is not our problem


class PageServer:
    """Serve one folder on 127.0.0.1 at a free port for the lifetime of a ``with`` block."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        handler = functools.partial(_RootedHandler, directory=str(self.root))
        self._httpd = _QuietServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(STOP_POLL_S,), name=f"a11y-serve:{self.root.name}", daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url_for(self, path: Path) -> str:
        relative = path.resolve().relative_to(self.root).as_posix()
        return f"http://127.0.0.1:{self.port}/{urllib.parse.quote(relative)}"

    def start(self) -> PageServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> PageServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
