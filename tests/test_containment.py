"""What a run lets out, and to whom: the loopback server's root, --header/--cookie, --block-external.

Every "must receive nothing" is checked on a real listener on another loopback origin.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

from a11y.server import PageServer


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


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
        assert _status(f"{base}/page.html") == 200 and _status(f"{base}/photo.jpg") == 200
        for path in ("/.env", "/.git/config", "/%2egit/config", "/assets/.htpasswd", "/assets/%2Ehtpasswd", "/env.txt", "/./.env"):
            assert _status(base + path) == 404, path
