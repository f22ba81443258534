"""Test helpers: a loopback HTTP server with scripted responses, report comparison, and finding the
browser processes a test started (to kill them by pid, never by name)."""

from __future__ import annotations

import copy
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

Route = Callable[[BaseHTTPRequestHandler], None]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def scripted_server(routes: dict[str, Route]) -> Iterator[str]:
    """Serve ``routes`` (path -> handler function) on 127.0.0.1; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path.split("?")[0])
            if route is None:
                send(self, 404, b"<h1>Not found</h1>")
            else:
                try:
                    route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hang(seconds: float) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
    return route


def without_timings(report: dict[str, Any]) -> dict[str, Any]:
    """A report minus what may differ between two runs of the same pages."""
    data = copy.deepcopy(report)
    for key in ("started", "duration_s"):
        data.pop(key, None)
    for page in data["pages"]:
        page.pop("timings", None)
    return data


def python_examples(markdown: str) -> list[str]:
    """The ```python code blocks of a Markdown document, in order."""
    import re

    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.S | re.M)


def descendants(root: int) -> set[int]:
    """The pids of every living process below ``root``, from each process's parent in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:  # the command may hold spaces and ")": the parent is the 2nd field after the last ")"
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # exited meanwhile
            children.setdefault(parent, []).append(int(entry))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def playwright_browsers(root: int | None = None) -> set[int]:
    """The browser processes (not their renderers) that Playwright launched below ``root`` (default:
    this process): Playwright talks to each over ``--remote-debugging-pipe``."""
    found = set()
    for pid in descendants(os.getpid() if root is None else root):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--remote-debugging-pipe" in command and not any(arg.startswith(b"--type=") for arg in command):
            found.add(pid)
    return found


def http_status(url: str) -> int:
    """The HTTP status of a GET of ``url`` (errors included)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
