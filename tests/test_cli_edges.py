"""The command line at its edges: closed pipes, repeated interrupts, a browser that will not start,
hostile file names."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

STORY = ('<!DOCTYPE html><html lang="en"><head><title>Story</title></head><body><main><h1>Story</h1>'
         '<img src="a.png" width="50" height="50"></main></body></html>')
# Keeps the network busy, so each page waits out --settle-ms: the run is slow enough to interrupt.
BUSY = STORY.replace("</main>", "</main><script>setInterval(() => fetch('busy.txt?' + Math.random()), 100)</script>")
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


@pytest.mark.browser  # the audit runs in a subprocess
def test_a_closed_stdout_does_not_stop_the_audit(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text(STORY)
    child = subprocess.Popen([sys.executable, "-m", "a11y", "audit", "story.html", "--settle-ms", "0"], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # as `| head -0` would: the reader is gone before the first line
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=300) == 1, stderr  # the gate's meaning is kept: the image has no alt
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
    report = json.loads((tmp_path / "reports" / "report.json").read_text())
    assert report["verdict"]["status"] == "failed"


@pytest.mark.browser
def test_a_second_interrupt_still_writes_the_partial_report(tmp_path: Path) -> None:
    for number in range(8):
        (tmp_path / f"page-{number}.html").write_text(BUSY)
    (tmp_path / "busy.txt").write_text("x")
    child = subprocess.Popen([sys.executable, "-m", "a11y", "audit", ".", "--out", "reports", "--concurrency", "1", "--settle-ms", "3000",
                              "--format", "json,md"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()  # a page finished: the run is under way
    assert "page-" in first, first
    child.send_signal(signal.SIGINT)
    heard = child.stderr.readline()  # the first was handled (two signals sent at once would be one)
    assert "SIGINT received" in heard, heard
    child.send_signal(signal.SIGINT)  # the impatient second Ctrl-C
    out, err = child.communicate(timeout=300)
    assert child.returncode == 130, out + err
    assert "Aborted" not in out + err and "already stopping" in err
    report = json.loads((tmp_path / "reports" / "report.json").read_text())
    assert report["interrupted"] is True and report["not_audited"] >= 1 and len(report["pages"]) + report["not_audited"] == 8
    assert "interrupted" in (tmp_path / "reports" / "report.md").read_text()


def test_a_browser_that_will_not_start_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text(STORY)
    done = subprocess.run([sys.executable, "-m", "a11y", "audit", "story.html", "--browser-path", "/bin/false"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "browser /bin/false failed to start" in done.stderr and "a11y doctor" in done.stderr, done.stderr


@pytest.mark.browser
def test_control_characters_in_file_names_are_shown_escaped(tmp_path: Path) -> None:
    name = "a\n::error file=x.html::pwned\x1b[2J.html"
    (tmp_path / name).write_text(STORY)
    done = subprocess.run([sys.executable, "-m", "a11y", "audit", ".", "--settle-ms", "0", "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    assert not any(line.startswith("::") for line in lines)  # no GitHub workflow command
    assert "\x1b" not in done.stdout + done.stderr  # no terminal escape sequence
    assert "a\\n::error file=x.html::pwned\\x1b[2J.html" in done.stdout
