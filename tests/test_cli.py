"""The CLI as users run it: exit codes, console output, targets, doctor and rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import PAGES

pytestmark = pytest.mark.browser


def test_clean_page_exits_0_and_writes_report(run_cli, tmp_path: Path) -> None:
    result = run_cli("audit", "pages/defense-algeria-article-fixed.html", "--out", str(tmp_path), "--settle-ms", "200")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pages/defense-algeria-article-fixed.html" in result.stdout and "gate: passed" in result.stdout
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["pages"][0]["source"] == "pages/defense-algeria-article-fixed.html"


def test_violations_at_fail_on_level_exit_1(run_cli, tmp_path: Path) -> None:
    result = run_cli("audit", "pages/blog-icon-buttons.html", "--out", str(tmp_path), "--settle-ms", "200")
    assert result.returncode == 1
    assert "critical 2" in result.stdout and "gate: failed" in result.stdout
    # the console says what fails the gate, a line per finding with its source line
    assert "failing the gate (4):" in result.stdout
    assert "pages/blog-icon-buttons.html:64  critical  icon-missing-label  i  — " in result.stdout


def test_fail_on_none_exits_0(run_cli, tmp_path: Path) -> None:
    result = run_cli("audit", "pages/blog-icon-buttons.html", "--out", str(tmp_path), "--settle-ms", "0", "--fail-on", "none")
    assert result.returncode == 0


def test_usage_errors_exit_2(run_cli, tmp_path: Path) -> None:
    out = ("--out", str(tmp_path / "reports"))  # were a check to break, the run writes only into this test's folder
    assert run_cli("audit", "pages/", "--format", "nope", *out).returncode == 2
    assert run_cli("audit", "pages/", "--viewport", "big", *out).returncode == 2
    assert run_cli("audit", *out, cwd=tmp_path).returncode == 2
    assert not (tmp_path / "reports").exists()


def test_no_browser_exits_2_with_the_fix(run_cli, tmp_path: Path) -> None:
    result = run_cli("audit", "pages/defense-algeria-article.html", "--out", str(tmp_path), env={"A11Y_CHROMIUM": "/nonexistent/chrome"})
    assert result.returncode == 2
    assert "A11Y_CHROMIUM=/nonexistent/chrome: no such file" in result.stderr


def test_list_file_and_glob_targets(run_cli, tmp_path: Path) -> None:
    listing = tmp_path / "targets.txt"
    listing.write_text(f"# sample pages\n{PAGES / 'defense-algeria-article.html'}\n\n{PAGES}/long*.html  # glob\n")
    result = run_cli("audit", f"@{listing}", "--out", str(tmp_path), "--settle-ms", "0", "--fail-on", "none")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert [p["source"] for p in report["pages"]] == ["pages/defense-algeria-article.html", "pages/longform-feature.html"]


def test_plain_lines_when_not_a_terminal(run_cli, tmp_path: Path) -> None:
    result = run_cli("audit", "pages/", "--out", str(tmp_path), "--settle-ms", "0", "--fail-on", "none")
    lines = [line for line in result.stdout.splitlines() if line.startswith(("✓", "●", "✗"))]
    assert len(lines) == len(list(PAGES.glob("*.html")))
    assert "\x1b[" not in result.stdout  # no escape codes or progress bar in CI logs


def test_doctor_prints_versions(run_cli) -> None:
    result = run_cli("doctor")
    assert result.returncode == 0
    for name in ("a11y", "playwright", "axe-core", "chromium"):
        assert name in result.stdout
    assert "4." in result.stdout


def test_doctor_names_the_fix_when_chromium_is_missing(run_cli) -> None:
    result = run_cli("doctor", env={"A11Y_CHROMIUM": "/nonexistent/chrome"})
    assert result.returncode == 2
    assert "fix:" in result.stdout and "chromium" in result.stdout


def test_rules_lists_both_engines_and_documents_one(run_cli) -> None:
    listing = run_cli("rules")
    assert listing.returncode == 0
    assert "image-alt" in listing.stdout and "alt-placeholder" in listing.stdout
    image_alt = next(line for line in listing.stdout.splitlines() if line.startswith("image-alt "))
    assert image_alt.split()[1:3] == ["axe", "critical"], image_alt  # impacts come from axe's own rules
    doc = run_cli("rules", "alt-placeholder")
    for section in ("What it does", "Why it matters", "Example", "Use instead"):
        assert section in doc.stdout
    assert run_cli("rules", "no-such-rule").returncode == 2


def test_python_m_and_version(run_cli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and "a11y" in result.stdout
