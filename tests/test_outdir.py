"""The report folder: a11y replaces only what it wrote there, a whole set at once, and checks it first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from a11y.reports.outdir import MANIFEST, OutDirError, check_out_dir, publish, read_manifest

PAGE = '<!DOCTYPE html><html lang="en"><head><title>Story</title></head><body><main><h1>Story</h1><p>Fine.</p></main></body></html>'


def _write(names: dict[str, str]):
    def write(folder: Path) -> None:
        for name, text in names.items():
            (folder / name).write_text(text, encoding="utf-8")
    return write


def test_only_what_the_manifest_lists_is_replaced_or_removed(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "site.css").write_text("body{}")
    (tmp_path / "index.html").write_text("<h1>the site</h1>")
    check_out_dir(tmp_path, ("report.json", "report.md"))
    publish(tmp_path, _write({"report.json": "{}", "report.md": "# one"}))
    assert read_manifest(tmp_path) == {"report.json", "report.md"}
    publish(tmp_path, _write({"report.json": '{"run": 2}'}))  # a second run writes only JSON: its old report.md goes
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "assets", "index.html", "report.json"]
    assert (tmp_path / "assets" / "site.css").read_text() == "body{}" and (tmp_path / "index.html").read_text() == "<h1>the site</h1>"
    assert json.loads((tmp_path / "report.json").read_text()) == {"run": 2}


def test_a_report_file_a11y_did_not_write_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "report.html").write_text("the team's own page")
    with pytest.raises(OutDirError, match=r"report\.html is there and a11y did not write it"):
        check_out_dir(tmp_path, ("report.json", "report.html"))
    assert (tmp_path / "report.html").read_text() == "the team's own page"


def test_a_manifest_cannot_hand_over_other_files(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text(json.dumps({"schema": "a11y-manifest/1", "files": ["index.html", "../x", "report.json"]}))
    assert read_manifest(tmp_path) == {"report.json"}


def test_a_failure_while_writing_leaves_the_old_set_whole(tmp_path: Path) -> None:
    publish(tmp_path, _write({"report.json": "old json", "report.md": "old md"}))

    def half_then_disk_full(folder: Path) -> None:
        (folder / "report.json").write_text("new json")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutDirError, match="the reports there are unchanged"):
        publish(tmp_path, half_then_disk_full)
    assert (tmp_path / "report.json").read_text() == "old json" and (tmp_path / "report.md").read_text() == "old md"
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "report.json", "report.md"]  # no staging folder left


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "a11y", "audit", *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize(("out", "cause"), [
    ("story.html", "is a file, not a folder"),
    ("story.html/reports", "is a file, not a folder"),
    ("/proc/a11y-cannot-be-made", "cannot create the folder"),
])
def test_a_bad_out_folder_stops_the_run_before_any_browser(tmp_path: Path, out: str, cause: str) -> None:
    (tmp_path / "story.html").write_text(PAGE)
    done = _cli("story.html", "--out", out, "--browser-path", "/nonexistent/chromium", cwd=tmp_path)
    # exit 2 with one line naming --out; the bad browser path was never reached, so no browser started
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and f"--out {out}" in done.stderr and cause in done.stderr, done.stderr
    assert (tmp_path / "story.html").read_text() == PAGE


@pytest.mark.parametrize(("extra", "cause"), [
    (["--baseline", "missing.json"], "missing.json: cannot read baseline"),
    (["--review", "bad.json"], "bad.json: not JSON"),
])
def test_bad_input_files_stop_the_run_before_any_browser(tmp_path: Path, extra: list[str], cause: str) -> None:
    (tmp_path / "story.html").write_text(PAGE)
    (tmp_path / "bad.json").write_text("{nope")
    done = _cli("story.html", "--out", "reports", "--browser-path", "/nonexistent/chromium", *extra, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and cause in done.stderr, done.stderr
    assert not (tmp_path / "reports" / "report.json").exists()


def test_an_expired_ignore_stops_the_run_before_any_browser(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text(PAGE)
    (tmp_path / "a11y.toml").write_text('[[ignore]]\nrule = "image-alt"\nselector = "img"\nreason = "old"\nuntil = 2001-01-01\n')
    done = _cli("story.html", "--browser-path", "/nonexistent/chromium", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "expired on 2001-01-01" in done.stderr


@pytest.mark.browser
def test_out_dot_in_a_site_leaves_the_sites_own_files(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(b"png")
    (tmp_path / "story.html").write_text(PAGE)
    for _ in range(2):
        done = _cli("story.html", "--out", ".", "--settle-ms", "0", cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "assets" / "logo.png").read_bytes() == b"png" and (tmp_path / "story.html").read_text() == PAGE
    assert read_manifest(tmp_path) == {"report.json", "report.html", "report.md"}
