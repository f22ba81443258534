"""Hostile and broken pages: each gets a clear per-page outcome, and the run goes on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from a11y.pipeline.engine import audit
from a11y.settings import Settings

from .helpers import playwright_browsers, scripted_server, send

pytestmark = pytest.mark.browser

DOC = "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head><body><main><h1>{title}</h1>{body}</main></body></html>"
MISSING_ALT = "<img src='missing.png' id='probe'>"


def page(title: str, body: str = "", head: str = "") -> str:
    return DOC.format(title=title, head=head, body=body)


HOSTILE = {
    "overwrites.html": page("overwrites", MISSING_ALT, "<script>window.axe = {run: () => Promise.resolve({violations: []})};"
                            "JSON.stringify = () => '{}'; Array.prototype.map = function () { return [] };"
                            "window.Promise = function () {}; Element.prototype.querySelectorAll = () => [];</script>"),
    "own-axe.html": page("own axe", MISSING_ALT, "<script>var axe = {version: 'evil', run() { throw new Error('no') }};</script>"),
    "loop-before-load.html": page("loop before", MISSING_ALT, "<script>for (;;) {}</script>"),
    "loop-after-load.html": page("loop after", MISSING_ALT, "<script>addEventListener('load', () => setTimeout(() => { for (;;) {} }, 50))</script>"),
    "memory-hog.html": page("hog", MISSING_ALT, "<script>const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random()))</script>"),
    "popups.html": page("popups", MISSING_ALT, "<script>window.open('about:blank'); window.open('popups.html')</script>"),
    "download.html": page("download", MISSING_ALT + "<a id='d' href='data:application/octet-stream,abc' download='x.bin'>get</a>",
                          "<script>addEventListener('load', () => document.getElementById('d').click())</script>"),
    "beforeunload.html": page("beforeunload", MISSING_ALT,
                              "<script>addEventListener('beforeunload', e => { e.preventDefault(); e.returnValue = 'stay' })</script>"),
    "dialogs.html": page("dialogs", MISSING_ALT, "<script>alert('a'); confirm('b'); prompt('c')</script>"),
    "refresh-loop.html": page("refresh", MISSING_ALT, "<meta http-equiv='refresh' content='0'>"),
    "closes.html": page("closes", MISSING_ALT, "<script>window.close()</script>"),
    "empty.html": "",
    "junk.html": None,  # binary, written below
    "shadow.html": page("shadow", "<div id='host'></div><div id='closed-host'></div>",
                        "<script>addEventListener('DOMContentLoaded', () => {"
                        "document.getElementById('host').attachShadow({mode: 'open'}).innerHTML = \"<img src='s.png' id='in-shadow'>\";"
                        "document.getElementById('closed-host').attachShadow({mode: 'closed'}).innerHTML = \"<img src='c.png'>\"; })</script>"),
    "windows-1252.html": None,
    "shift-jis.html": None,
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, text in HOSTILE.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    (folder / "junk.html").write_bytes(bytes(range(256)) * 40)
    (folder / "windows-1252.html").write_bytes(
        page("café", "<img src='x.png' alt='Café crème, ½ price'>\n" + MISSING_ALT, "").replace("utf-8", "windows-1252").encode("cp1252"))
    (folder / "shift-jis.html").write_bytes(
        page("日本語", "<img src='x.png' alt='東京の写真'>\n" + MISSING_ALT, "").replace("utf-8", "shift_jis").encode("shift_jis"))
    started = time.perf_counter()
    run = audit([str(folder)], Settings(timeout_s=5, settle_ms=300, concurrency=3))
    return {Path(p.source).name: p for p in run.pages}, time.perf_counter() - started


def _probe_found(page) -> bool:
    return any(f.rule == "image-alt" and f.target == "#probe" for f in page.findings)


@pytest.mark.parametrize("name", ["overwrites.html", "own-axe.html"])
def test_page_cannot_tamper_with_our_code(hostile_run, name: str) -> None:
    page = hostile_run[0][name]
    assert page.status == "ok", page.error
    assert _probe_found(page), "results must be right although the page replaced built-ins"


@pytest.mark.parametrize(("name", "cause"), [
    ("loop-before-load.html", "did not finish loading within 5 s"),
    ("loop-after-load.html", "gave up after"),
    ("memory-hog.html", "renderer crashed|did not finish loading within 5 s"),
])
def test_runaway_pages_fail_with_a_clear_cause(hostile_run, name: str, cause: str) -> None:
    page = hostile_run[0][name]
    # A page that eats memory dies at the JS heap cap, or is stopped by its timeout first.
    assert page.status == "error" and any(c in page.error for c in cause.split("|")), page.error


def test_runaway_pages_do_not_stall_the_run(hostile_run) -> None:
    pages, seconds = hostile_run
    assert all(p.status == "ok" for n, p in pages.items() if n in ("popups.html", "dialogs.html", "shadow.html"))
    assert seconds < 180, f"the run took {seconds:.0f} s"


@pytest.mark.parametrize(("name", "warning"), [
    ("popups.html", "closed a popup window"),
    ("dialogs.html", "dismissed a JavaScript alert dialog"),
    ("download.html", None),
    ("beforeunload.html", None),
    ("closes.html", None),
])
def test_interfering_pages_are_audited(hostile_run, name: str, warning: str | None) -> None:
    page = hostile_run[0][name]
    assert page.status == "ok", page.error
    assert _probe_found(page)
    if warning:
        assert any(warning in w for w in page.warnings), page.warnings


def test_refresh_loop_is_reported(hostile_run) -> None:
    page = hostile_run[0]["refresh-loop.html"]
    assert page.status == "error" and "reloaded itself" in page.error, page.error


def test_empty_and_junk_files_are_audited_as_browsers_show_them(hostile_run) -> None:
    for name in ("empty.html", "junk.html"):
        page = hostile_run[0][name]
        assert page.status == "ok", page.error
        assert any(f.rule == "html-has-lang" for f in page.findings)


def test_deep_and_huge_documents(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_text(page("deep", "<div>" * 5000 + MISSING_ALT + "</div>" * 5000))
    rows = "".join(f"<p>Paragraph {i} <span>with</span> <a href='#p{i}'>a link</a></p>" for i in range(17000))
    (tmp_path / "many.html").write_text(page("many", rows + MISSING_ALT))
    (tmp_path / "small.html").write_text(page("small", MISSING_ALT))
    run = audit([str(tmp_path)], Settings(settle_ms=0, timeout_s=30, concurrency=3))
    pages = {Path(p.source).name: p for p in run.pages}
    deep = pages["deep.html"]
    assert deep.status == "ok", deep.error
    assert _probe_found(deep) and not [f for f in deep.findings if f.outcome == "error"], "no rule may crash"
    assert pages["small.html"].status == "ok" and _probe_found(pages["small.html"])
    many = pages["many.html"]  # 51,000 elements: axe-core alone may need minutes on 2 cores
    if many.status == "ok":
        assert _probe_found(many) and not [f for f in many.findings if f.outcome == "error"]
    else:
        assert "gave up after 70 s while running axe-core" in many.error, many.error


def test_open_shadow_roots_are_audited(hostile_run) -> None:
    page = hostile_run[0]["shadow.html"]
    assert any(f.rule == "image-alt" and "#in-shadow" in f.target for f in page.findings)


@pytest.mark.parametrize(("name", "alt", "title"), [("windows-1252.html", "Café crème, ½ price", "café"), ("shift-jis.html", "東京の写真", "日本語")])
def test_legacy_encodings_are_decoded(hostile_run, name: str, alt: str, title: str) -> None:
    page = hostile_run[0][name]
    assert page.status == "ok" and page.title == title
    assert _probe_found(page)
    assert not any("Ã" in f.html or "�" in f.html for f in page.findings)


def test_twenty_megabyte_page(tmp_path: Path) -> None:
    paragraph = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 30 + "</p>\n"
    body = paragraph * (20_100_000 // len(paragraph)) + MISSING_ALT
    (tmp_path / "big.html").write_text(page("big", body), encoding="utf-8")
    assert (tmp_path / "big.html").stat().st_size > 20_000_000
    (tmp_path / "small.html").write_text(page("small", MISSING_ALT))
    run = audit([str(tmp_path)], Settings(timeout_s=60, settle_ms=0))
    big, small = run.pages
    assert small.status == "ok" and _probe_found(small)
    if big.status == "ok":  # axe-core's colour-contrast over 20 MB of text can take minutes on 2 cores
        assert _probe_found(big)
    else:
        assert "gave up after 130 s while running axe-core" in big.error, big.error


def test_iframes_same_and_cross_origin(tmp_path: Path) -> None:
    inner = page("inner", "<img src='i.png' id='inner-img'>").encode()
    with scripted_server({"/inner": lambda h: send(h, 200, inner)}) as other_origin:
        cross = other_origin.replace("127.0.0.1", "localhost")  # another site: an out-of-process frame
        (tmp_path / "inner.html").write_bytes(inner)
        (tmp_path / "frames.html").write_text(page("frames", f"<iframe src='inner.html' title='same'></iframe>"
                                                             f"<iframe src='{cross}/inner' title='cross'></iframe>"))
        run = audit([str(tmp_path / "frames.html")], Settings(settle_ms=500))
    result = run.pages[0]
    assert result.status == "ok"
    assert any(f.target.startswith("iframe") and "#inner-img" in f.target for f in result.findings)
    assert any("frame(s) not audited" in w for w in result.warnings), result.warnings


def test_block_external_lists_what_was_blocked(tmp_path: Path) -> None:
    hits: list[str] = []

    def tracker(handler) -> None:
        hits.append(handler.path)
        send(handler, 200, b"body{}", "text/css")

    with scripted_server({"/style.css": tracker}) as external:
        host = external.replace("127.0.0.1", "localhost")
        (tmp_path / "ext.html").write_text(page("ext", MISSING_ALT, f"<link rel='stylesheet' href='{host}/style.css'>"))
        blocked = audit([str(tmp_path / "ext.html")], Settings(settle_ms=300, block_external=True)).pages[0]
        assert hits == []
        assert any("--block-external blocked" in w and "stylesheet http://localhost:" in w for w in blocked.warnings), blocked.warnings
        audit([str(tmp_path / "ext.html")], Settings(settle_ms=300))
        assert hits and set(hits) == {"/style.css"}


def test_redirects_recorded_and_429_retried() -> None:
    calls = {"busy": 0}

    def busy(handler) -> None:
        calls["busy"] += 1
        if calls["busy"] == 1:
            handler.send_response(429)
            handler.send_header("Retry-After", "1")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            send(handler, 200, page("busy then fine").encode())

    def moved(handler) -> None:
        handler.send_response(302)
        handler.send_header("Location", "/final")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    routes = {"/busy": busy, "/moved": moved, "/final": lambda h: send(h, 200, page("final").encode())}
    with scripted_server(routes) as base:
        run = audit([f"{base}/busy", f"{base}/moved"], Settings(settle_ms=0))
    busy_page, moved_page = run.pages
    assert busy_page.status == "ok" and busy_page.title == "busy then fine" and calls["busy"] >= 2
    assert moved_page.status == "ok" and moved_page.final_url and moved_page.final_url.endswith("/final")


def test_headers_and_cookies_reach_the_page_but_not_the_report(tmp_path: Path) -> None:
    seen: dict[str, str] = {}

    def private(handler) -> None:
        seen["auth"] = handler.headers.get("Authorization", "")
        seen["cookie"] = handler.headers.get("Cookie", "")
        send(handler, 200, page("private").encode())

    with scripted_server({"/private": private}) as base:
        run = audit([f"{base}/private"], Settings(settle_ms=0, headers={"Authorization": "Bearer s3cret"}, cookies={"session": "t0ken"}))
    assert seen == {"auth": "Bearer s3cret", "cookie": "session=t0ken"}
    text = json.dumps(run.to_dict())
    assert "s3cret" not in text and "t0ken" not in text


def test_killing_chromium_mid_run_retries_and_completes(tmp_path: Path) -> None:
    for i in range(6):
        (tmp_path / f"p{i}.html").write_text(page(f"p{i}", MISSING_ALT, "<script>setTimeout(() => {}, 0)</script>"))
    (tmp_path / "slow.html").write_text(page("slow", MISSING_ALT + "<img src='/never' alt='never'>"))
    already_running = playwright_browsers()  # e.g. another module's browser: not this run's
    killed: set[int] = set()

    def kill_browser_once(page_result, done: int, total: int) -> None:
        if not killed and done == 2:
            killed.update(playwright_browsers() - already_running)  # this run's Chromium, by pid
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    run = audit([str(tmp_path)], Settings(settle_ms=300, concurrency=2), progress=kill_browser_once)
    assert len(killed) == 1, killed
    assert len(run.pages) == 7
    assert all(p.status == "ok" for p in run.pages), [(p.source, p.error) for p in run.pages]
    assert run.tool.get("browser_restarts", 0) >= 1


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signals_write_an_interrupted_report(tmp_path: Path, signum: int, code: int) -> None:
    for i in range(30):
        (tmp_path / "site").mkdir(exist_ok=True)
        (tmp_path / "site" / f"p{i:02d}.html").write_text(page(f"p{i}", MISSING_ALT))
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("stale report of an earlier run")
    (out / ".a11y-manifest.json").write_text('{"schema": "a11y-manifest/1", "files": ["report.md"]}')  # a11y wrote it
    process = subprocess.Popen([sys.executable, "-m", "a11y", "audit", str(tmp_path / "site"), "--out", str(out), "--format", "json",
                                "--concurrency", "1", "--settle-ms", "500"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ})
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    deadline = time.time() + 120
    while time.time() < deadline and len([line for line in lines if "site/p" in line or "p0" in line]) < 2:
        time.sleep(0.2)  # wait until a couple of pages are done, then interrupt
    process.send_signal(signum)
    process.wait(timeout=120)
    reader.join(timeout=10)
    stdout, stderr = "".join(lines), process.stderr.read()  # type: ignore[union-attr]
    assert process.returncode == code, stdout + stderr
    report = json.loads((out / "report.json").read_text())
    assert report["interrupted"] is True
    assert 0 < len(report["pages"]) < 30
    assert not (out / "report.md").exists(), "a report folder never mixes runs: an earlier run's report.md goes"
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))
