"""Pages that used to fail or leak at the edges: credentials in target URLs, SPA URL changes,
lone surrogates in the DOM, renderers killed from outside."""

from __future__ import annotations

from pathlib import Path

import pytest

from a11y.pipeline.targets import redact_url

from .helpers import closed_port, scripted_server, send

DOC = "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head><body><main><h1>{title}</h1>{body}</main></body></html>"
MISSING_ALT = "<img src='missing.png' id='probe'>"


def page(title: str, body: str = "", head: str = "") -> str:
    return DOC.format(title=title, head=head, body=body)


def _probe_found(result) -> bool:
    return any(f.rule == "image-alt" and f.target == "#probe" for f in result.findings)


def test_redact_url_hides_userinfo_and_keeps_the_rest() -> None:
    assert redact_url("http://user:pw@host:8080/a?token=x#f") == "http://***@host:8080/a?token=x#f"
    assert redact_url("see https://u:p@ss@h/x and http://plain/y") == "see https://***@h/x and http://plain/y"
    assert redact_url("http://host/a@b") == "http://host/a@b"  # an @ in the path is no userinfo


@pytest.mark.browser
def test_credentials_in_target_urls_reach_no_report_and_no_console(tmp_path: Path, run_cli) -> None:
    seen: list[str] = []

    def private(handler) -> None:
        seen.append(handler.path)
        send(handler, 200, page("private", MISSING_ALT).encode())

    out = tmp_path / "out"
    with scripted_server({"/private": private}) as base:
        good = base.replace("http://", "http://editor:Pa55word@") + "/private?token=keep"
        bad = f"http://editor:Pa55word@127.0.0.1:{closed_port()}/gone"
        result = run_cli("audit", good, bad, "--out", str(out), "--format", "json,html,md,sarif,junit", "--settle-ms", "0")
    assert seen, "the page was loaded with its real URL"
    assert "Pa55word" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert "***@127.0.0.1" in result.stdout
    written = sorted(out.iterdir())
    assert len(written) >= 5
    for report in written:
        text = report.read_bytes().decode("utf-8", "replace")
        assert "Pa55word" not in text and "editor:" not in text, report.name
    assert "token=keep" in (out / "report.json").read_text()


CUT_EMOJI = ("<script>const half = '\\u{1F600}'.slice(0, 1); document.title = 'cut ' + half;"
             "addEventListener('DOMContentLoaded', () => { document.getElementById('cut').textContent = 'text ' + half;"
             "document.getElementById('cut-img').setAttribute('data-x', half); alert('dialog ' + half); })</script>")


@pytest.mark.browser
def test_lone_surrogates_in_the_dom_are_audited_and_reported(tmp_path: Path, run_cli) -> None:
    (tmp_path / "cut.html").write_text(page("cut", f"<p id='cut'></p><img src='a.png' id='cut-img'>{MISSING_ALT}", CUT_EMOJI))
    out = tmp_path / "out"
    result = run_cli("audit", str(tmp_path / "cut.html"), "--out", str(out), "--format", "json,html,md,sarif,junit", "--settle-ms", "0")
    import json

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    cut = report["pages"][0]
    assert cut["status"] == "ok", (cut["error"], result.stdout, result.stderr)
    assert any(f["rule"] == "image-alt" and f["target"] == "#probe" for f in cut["findings"])
    assert "\ufffd" in cut["title"]
    assert any(f["target"] == "#cut-img" and "\ufffd" in f["html"] for f in cut["findings"])
    for name in ("report.html", "report.md", "report.sarif", "junit.xml"):
        (out / name).read_text(encoding="utf-8")  # valid UTF-8 throughout


def test_an_error_page_carries_no_findings() -> None:
    from a11y.model import Finding, PageResult, RunResult
    from a11y.pipeline.scheduler import analysis_failed

    finding = Finding(rule="image-alt", engine="axe", outcome="violation", impact="critical", target="img", html="<img>", message="m")
    failed = analysis_failed(PageResult(source="p.html", url="u", findings=[finding], applied={"image-alt": 1}), ValueError("bad"))
    run = RunResult(pages=[failed], tool={}, started="")
    assert failed.status == "error" and failed.findings == () and failed.applied == {}
    assert run.summary()["violations"] == 0 and run.summary()["errors"] == 1


SPA = ("<script>addEventListener('load', () => { history.replaceState(null, '', location.pathname + '?ref=cleaned');"
       "setTimeout(() => history.pushState({}, '', '/app/route-2'), 50);"
       "setTimeout(() => { location.hash = 'section'; history.pushState({}, '', '/app/route-3') }, 150) })</script>")


@pytest.mark.browser
def test_same_document_url_changes_are_no_navigation_away(tmp_path: Path) -> None:
    from a11y.pipeline.engine import audit
    from a11y.settings import Settings

    (tmp_path / "spa.html").write_text(page("spa", MISSING_ALT, SPA))
    (tmp_path / "leaves.html").write_text(page("leaves", MISSING_ALT, "<script>addEventListener('load', () => location.href = 'spa.html')</script>"))
    run = audit([str(tmp_path)], Settings(settle_ms=600, timeout_s=20, concurrency=2))
    pages = {Path(p.source).name: p for p in run.pages}
    spa = pages["spa.html"]
    assert spa.status == "ok", spa.error
    assert _probe_found(spa)
    leaves = pages["leaves.html"]  # a real navigation to another document is still refused
    assert leaves.status == "error" and "navigated away" in leaves.error, leaves.error


@pytest.mark.browser
def test_a_renderer_killed_from_outside_is_noticed_and_its_page_retried() -> None:
    """The OOM killer's way: SIGKILL to this run's renderer processes, found by pid under its browser."""
    import os
    import signal
    import threading

    from a11y.pipeline.engine import audit
    from a11y.settings import Settings

    from .helpers import descendants, playwright_browsers, scripted_server, send

    busy = threading.Event()
    page = (b"<!DOCTYPE html><html lang='en'><head><title>slow</title></head><body><main><h1>Slow</h1><img src='x.png'>"
            b"<script>setInterval(() => fetch('/busy?' + Math.random()), 100)</script></main></body></html>")
    fast = b"<!DOCTYPE html><html lang='en'><head><title>fast</title></head><body><main><h1>Fast</h1></main></body></html>"

    def on_busy(handler) -> None:
        busy.set()
        send(handler, 200, b"x", "text/plain")

    already = playwright_browsers()  # other modules' browsers: never touched
    killed: list[int] = []
    with scripted_server({"/slow": lambda h: send(h, 200, page), "/fast": lambda h: send(h, 200, fast), "/busy": on_busy}) as base:
        result: list = []
        runner = threading.Thread(target=lambda: result.append(audit([f"{base}/slow", f"{base}/fast"], Settings(
            settle_ms=3000, timeout_s=30, concurrency=2))))
        runner.start()
        assert busy.wait(120), "the slow page never loaded"
        for browser in playwright_browsers() - already:  # this run's Chromium
            for pid in descendants(browser):
                try:
                    command = open(f"/proc/{pid}/cmdline", "rb").read()  # noqa: SIM115
                except OSError:
                    continue
                if b"--type=renderer" in command:
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
        runner.join(300)
    assert killed, "no renderer of this run was found"
    slow, quick = result[0].pages
    assert slow.status == "ok" and quick.status == "ok", (slow.error, quick.error)
    assert any("second try" in w for w in slow.warnings), slow.warnings
    assert any(f.rule == "image-alt" for f in slow.findings)
