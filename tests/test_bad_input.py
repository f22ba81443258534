"""Bad input: each case is a one-line error for that page, and the other pages go on."""

from __future__ import annotations

from pathlib import Path

import pytest

from a11y.pipeline.engine import audit
from a11y.settings import Settings

from .helpers import closed_port, hang, scripted_server, send

GOOD = b"<!DOCTYPE html><html lang='en'><head><title>Good</title></head><body><main><h1>Fine</h1><p>Text.</p></main></body></html>"
NEVER_LOADS = b"<!DOCTYPE html><html lang='en'><head><title>Slow</title></head><body><img src='/hang' alt='x'></body></html>"
NAVIGATES = b"<!DOCTYPE html><html lang='en'><head><title>Away</title></head><body><script>setTimeout(() => location.href = '/good', 10)</script></body></html>"
CLOSES = b"<!DOCTYPE html><html lang='en'><head><title>Bye</title></head><body><script>setTimeout(() => window.close(), 10)</script></body></html>"
DIALOGS = (b"<!DOCTYPE html><html lang='en'><head><title>Dialogs</title></head><body><main><h1>Dialogs</h1>"
           b"<script>alert('hello'); confirm('sure?'); prompt('name?')</script><img src='x.png'></main></body></html>")
MALFORMED = "<html><head><title>Broken</title></head><body><p>unclosed <b>bold <i>both</p><table><td>cell</table><img src=x.png>"


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("bad")
    (folder / "empty").mkdir()
    (folder / "malformed.html").write_text(MALFORMED, encoding="utf-8")
    routes = {
        "/good": lambda h: send(h, 200, GOOD),
        "/missing": lambda h: send(h, 404, b"<h1>Not here</h1>"),
        "/broken": lambda h: send(h, 500, b"<h1>Oops</h1>"),
        "/doc.pdf": lambda h: send(h, 200, b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        "/photo.png": lambda h: send(h, 200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png"),
        "/never-loads": lambda h: send(h, 200, NEVER_LOADS),
        "/hang": hang(8),
        "/navigates": lambda h: send(h, 200, NAVIGATES),
        "/closes": lambda h: send(h, 200, CLOSES),
        "/dialogs": lambda h: send(h, 200, DIALOGS),
    }
    with scripted_server(routes) as base:
        targets = [f"{base}{path}" for path in ("/good", "/missing", "/broken", "/doc.pdf", "/photo.png", "/never-loads",
                                                "/navigates", "/closes", "/dialogs")]
        targets += [str(folder / "nope.html"), str(folder / "empty"), str(folder / "malformed.html"), f"http://127.0.0.1:{closed_port()}/unreachable"]
        run = audit(targets, Settings(timeout_s=3, settle_ms=300, concurrency=4))
    return {(p.source or p.url).rsplit("/", 1)[-1]: p for p in run.pages}


@pytest.mark.browser
@pytest.mark.parametrize(("name", "cause"), [
    ("missing", "HTTP 404"),
    ("broken", "HTTP 500"),
    ("doc.pdf", "not an HTML page"),
    ("photo.png", "not an HTML page"),
    ("never-loads", "did not finish loading within 3 s"),
    ("navigates", "navigated away"),
    ("nope.html", "no such file"),
    ("empty", "folder has no .html"),
    ("unreachable", "could not load the page (net::ERR_CONNECTION_REFUSED"),
])
def test_bad_input_is_a_one_line_page_error(bad_run, name: str, cause: str) -> None:
    page = bad_run[name]
    assert page.status == "error"
    assert cause in page.error
    assert "\n" not in page.error and len(page.error) < 200


@pytest.mark.browser
def test_window_close_is_refused_by_the_browser_and_the_page_audited(bad_run) -> None:
    # Chromium lets scripts close only windows they opened, so the page stays and is audited.
    page = bad_run["closes"]
    assert page.status == "ok" and page.title == "Bye"


@pytest.mark.browser
def test_good_pages_survive_bad_neighbours(bad_run) -> None:
    good = bad_run["good"]
    assert good.status == "ok" and good.title == "Good"


@pytest.mark.browser
def test_malformed_html_is_audited_as_the_browser_repairs_it(bad_run) -> None:
    page = bad_run["malformed.html"]
    assert page.status == "ok"
    assert page.title == "Broken"
    assert any(f.rule == "image-alt" for f in page.findings)


@pytest.mark.browser
def test_dialogs_are_dismissed_and_the_page_audited(bad_run) -> None:
    page = bad_run["dialogs"]
    assert page.status == "ok"
    assert any("alert dialog" in w for w in page.warnings)
    assert any("prompt dialog" in w for w in page.warnings)
    assert any(f.rule == "image-alt" for f in page.findings)


@pytest.mark.browser
def test_cli_bad_input_prints_one_line_and_exits_2(tmp_path: Path, run_cli) -> None:
    good = tmp_path / "good.html"
    good.write_bytes(GOOD)
    result = run_cli("audit", str(good), str(tmp_path / "missing.html"), "--out", str(tmp_path / "out"), "--settle-ms", "0")
    assert result.returncode == 2
    error_lines = [line for line in result.stderr.splitlines() if "missing.html" in line]
    assert len(error_lines) == 1 and "no such file or folder" in error_lines[0]
    assert (tmp_path / "out" / "report.json").is_file()
