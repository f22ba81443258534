"""Read a sitemap, feed or robots.txt from a URL or a file: bounded in time and size, gzip-aware.

These are data, not pages, so they are fetched here rather than rendered. A redirect to another
host is refused: the headers sent (``--header``, ``--cookie``) are for the site's own origin only.
"""

from __future__ import annotations

import gzip
import http.client
import io
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ...version import __version__
from . import SourceError
from .normalize import origin

MAX_BYTES = 50 * 1024 * 1024  # the sitemap protocol's limit for one file, uncompressed
TIMEOUT_S = 30.0
USER_AGENT = f"a11y/{__version__}"
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Fetched:
    """What was read: the body (decompressed), where it ended up, and its content type."""

    location: str  # the final URL, or the file's path
    body: bytes
    content_type: str = ""
    path: Path | None = None  # set for a file on disk

    @property
    def is_url(self) -> bool:
        return self.path is None


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if origin(newurl) != origin(req.full_url):
            raise SourceError(f"redirected to another host ({urlsplit(newurl).netloc}); not followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read_capped(stream: io.BufferedIOBase | gzip.GzipFile, what: str, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise SourceError(f"{what} is larger than {limit // (1024 * 1024)} MB")
    return data


def _gunzip(body: bytes, what: str, limit: int) -> bytes:
    if not body.startswith(GZIP_MAGIC):
        return body
    try:
        return _read_capped(gzip.GzipFile(fileobj=io.BytesIO(body)), f"{what} (uncompressed)", limit)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(f"not valid gzip ({exc})") from None


def fetch(spec: str, headers: dict[str, str] | None = None, timeout_s: float = TIMEOUT_S, limit: int = MAX_BYTES) -> Fetched:
    """The body of a URL or file; raises SourceError with a one-line cause."""
    if not is_url(spec):
        path = Path(spec)
        try:
            with path.open("rb") as stream:
                body = _read_capped(stream, "the file", limit)
        except OSError as exc:
            raise SourceError(f"cannot read ({exc.strerror or exc})") from None
        return Fetched(str(path), _gunzip(body, "the file", limit), path=path.resolve())
    request = urllib.request.Request(spec, headers={"User-Agent": USER_AGENT, **(headers or {})})
    opener = urllib.request.build_opener(_SameOrigin)
    try:
        with opener.open(request, timeout=timeout_s) as response:
            body = _read_capped(response, "the response", limit)
            content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            final = response.geturl()
    except urllib.error.HTTPError as exc:
        raise SourceError(f"HTTP {exc.code} {exc.reason}".strip()) from None
    except urllib.error.URLError as exc:
        raise SourceError(f"could not fetch ({exc.reason})") from None
    except (TimeoutError, OSError, http.client.HTTPException, ValueError) as exc:
        raise SourceError(f"could not fetch ({exc})") from None
    return Fetched(final, _gunzip(body, "the response", limit), content_type)
