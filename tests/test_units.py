"""Pure logic, no browser: targets, the loopback server's confinement, fingerprints, the gate."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from a11y.ci.gate import GatePolicy, exit_code
from a11y.fingerprint import normalise_html, normalise_target
from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.axe import wcag_from_tags
from a11y.pipeline.server import PageServer
from a11y.pipeline.targets import resolve_targets
from a11y.reports import write_atomic
from a11y.settings import Viewport

from .helpers import http_status


def test_wcag_criteria_from_axe_tags() -> None:
    assert wcag_from_tags(["wcag2a", "wcag111", "wcag1410", "wcag21aa", "wcag2411", "best-practice"]) == ["1.1.1", "1.4.10", "2.4.11"]


def test_viewport_parsing() -> None:
    assert Viewport.parse("1280x800") == Viewport(1280, 800)
    with pytest.raises(ValueError, match="WIDTHxHEIGHT"):
        Viewport.parse("wide")


def test_directory_targets_are_recursive_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/z.html", "a.htm", "c.HTML", "notes.txt"):
        (tmp_path / name).write_text("<p>x</p>")
    targets = resolve_targets([str(tmp_path)])
    assert [t.path.relative_to(tmp_path.resolve()).as_posix() for t in targets] == ["a.htm", "b/z.html", "c.HTML"]
    assert all(t.root == tmp_path.resolve() for t in targets)


def test_bad_targets_become_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    targets = resolve_targets([str(tmp_path / "missing.html"), str(tmp_path / "empty"), str(tmp_path / "*.nothing"), "@" + str(tmp_path / "nolist.txt")])
    assert [t.error for t in targets] == ["no such file or folder", "folder has no .html or .htm files",
                                           "no file matches this pattern", "cannot read target list (No such file or directory)"]


def test_list_file_comments_and_relative_entries(tmp_path: Path) -> None:
    (tmp_path / "one.html").write_text("<p>1</p>")
    (tmp_path / "list.txt").write_text("# comment\none.html   # trailing comment\n\nhttps://example.org/a#frag\n")
    targets = resolve_targets(["@" + str(tmp_path / "list.txt")])
    assert [t.path.name if t.path else t.url for t in targets] == ["one.html", "https://example.org/a#frag"]


def test_sources_are_relative_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "p.html").write_text("<p>x</p>")
    monkeypatch.chdir(tmp_path)
    assert resolve_targets(["site"])[0].source == "site/p.html"


def test_loopback_server_serves_only_its_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "page.html").write_text("<p>in</p>")
    (tmp_path / "secret.txt").write_text("outside")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    with PageServer(root) as server:
        base = f"http://127.0.0.1:{server.port}"
        assert server._httpd.server_address[0] == "127.0.0.1"
        assert http_status(f"{base}/page.html") == 200
        for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/link.txt", f"/{tmp_path}/secret.txt", "/"):
            assert http_status(base + path) == 404, path


def test_loopback_server_lets_tabs_keep_assets_but_never_pages(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>page</p>")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    with PageServer(tmp_path) as server:
        base = f"http://127.0.0.1:{server.port}"
        caching = {}
        for path in ("/page.html", "/photo.jpg", "/missing.jpg"):
            try:
                with urllib.request.urlopen(base + path, timeout=5) as response:
                    caching[path] = response.headers["Cache-Control"]
            except urllib.error.HTTPError as exc:
                caching[path] = exc.headers["Cache-Control"]
    assert caching == {"/page.html": "no-store", "/photo.jpg": "max-age=3600", "/missing.jpg": "no-store"}


def test_fingerprint_normalisation_ignores_positions_ports_and_generated_classes() -> None:
    assert normalise_target("div:nth-of-type(3) > img:nth-child(2)") == normalise_target("div:nth-of-type(5) > img:nth-child(1)")
    assert normalise_html('<img  class="css-1x2y3z hero" src="http://127.0.0.1:4312/a.png">') == \
        normalise_html('<img class="css-9q8w7e hero"\n src="http://127.0.0.1:5999/a.png">')
    assert normalise_html('<div class="sc-AxjAm jsx-123">') == normalise_html('<div class="sc-BzYxW jsx-456">')


def _run(*findings: Finding, status: str = "ok") -> RunResult:
    page = PageResult(source="p.html", url="u", status=status, findings=list(findings))  # type: ignore[arg-type]
    return RunResult(pages=[page], tool={}, started="")


def _finding(impact: str, outcome: str = "violation") -> Finding:
    return Finding(rule="r", engine="axe", outcome=outcome, impact=impact, target="x", html="<x>", message="m")  # type: ignore[arg-type]


def test_gate_exit_codes() -> None:
    assert exit_code(_run(_finding("moderate")), GatePolicy("serious")) == 0
    assert exit_code(_run(_finding("serious")), GatePolicy("serious")) == 1
    assert exit_code(_run(_finding("minor")), GatePolicy("minor")) == 1
    assert exit_code(_run(_finding("critical")), GatePolicy("none")) == 0
    assert exit_code(_run(_finding("critical", "needs-review")), GatePolicy("serious")) == 0
    assert exit_code(_run(_finding("critical", "needs-review")), GatePolicy("serious", strict=True)) == 1
    assert exit_code(_run(_finding("critical"), _finding("serious")), GatePolicy("serious", max_violations=2)) == 0
    assert exit_code(_run(status="error"), GatePolicy("serious")) == 2
    assert exit_code(_run(_finding("minor", "error")), GatePolicy("serious")) == 2


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    write_atomic(tmp_path / "r.json", "{}")
    write_atomic(tmp_path / "r.json", '{"a": 1}')
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
    assert (tmp_path / "r.json").read_text() == '{"a": 1}'


def test_reports_get_the_usual_file_mode(tmp_path: Path) -> None:
    """mkstemp makes owner-only files; a report must be readable like any file the user writes."""
    mask = os.umask(0o022)
    os.umask(mask)
    written = write_atomic(tmp_path / "report.md", "text")
    assert written.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_waiting_for_the_axe_gate_does_not_count_against_a_page_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import a11y.pipeline.scheduler as scheduler

    async def load(*_args):
        await asyncio.sleep(0.05)
        return "loaded"

    def audit_taking(seconds: float):
        async def audit(*_args):
            await asyncio.sleep(seconds)
            return "rendered"
        return audit

    async def scenario(audit_s: float) -> str:
        monkeypatch.setattr(scheduler, "load_page", load)
        monkeypatch.setattr(scheduler, "audit_page", audit_taking(audit_s))
        gate = asyncio.Semaphore(1)
        await gate.acquire()  # another page holds the only slot for 0.6 s
        asyncio.get_running_loop().call_later(0.6, gate.release)
        return await scheduler.render_within(0.4, None, "u", None, {}, gate)  # type: ignore[arg-type]

    assert asyncio.run(scenario(0.1)) == "rendered"  # 0.15 s of work, 0.6 s of waiting: within 0.4 s
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(scenario(0.5))  # the work itself overruns the budget
