"""One finished run, one verdict: every output agrees with the gate (issue 16)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from a11y.ci.finish import Finishing
from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.engine import audit
from a11y.reports import get_reporter
from a11y.settings import Settings

STORY = """<!DOCTYPE html><html lang="en"><head><title>Storm</title></head><body><main>
<h1>Storm hits the coast</h1>
<figure><img src="harbor.jpg" width="400" height="300"><figcaption>Boats in the harbor at dawn.</figcaption></figure>
<p>The storm passed in the night.</p>
<button class="share"><svg width="16" height="16" viewBox="0 0 16 16"><path d="M0 0h16v16z"/></svg></button>
</main></body></html>
"""
FORMATS = "json,html,md,sarif,junit"


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "story.html").write_text(STORY, encoding="utf-8")
    return site


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "a11y", *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, **(env or {})})


def _outputs(folder: Path) -> dict[str, object]:
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    junit = ET.fromstring((folder / "junit.xml").read_bytes())
    sarif = json.loads((folder / "report.sarif").read_text(encoding="utf-8"))
    html = (folder / "report.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    return {"report": report, "junit": junit, "sarif": sarif, "html": data, "md": (folder / "report.md").read_text(encoding="utf-8")}


@pytest.mark.browser
def test_every_output_agrees_with_the_gate_with_and_without_a_full_baseline(tmp_path: Path) -> None:
    _site(tmp_path)
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    common = ["--settle-ms", "0", "--format", FORMATS]

    failed = _cli("audit", "site", "--out", "first", *common, cwd=tmp_path, env=env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    out = _outputs(tmp_path / "first")
    verdict = out["report"]["verdict"]  # type: ignore[index]
    assert verdict["status"] == "failed" and verdict["failing"] >= 2
    failing_rules = {f["rule"] for p in out["report"]["pages"] for f in p["findings"]  # type: ignore[index]
                     if f["status"] == "violation" and f["impact"] in ("critical", "serious")}
    assert out["md"].startswith("## Accessibility report\n\n**❌ failed: ")  # type: ignore[union-attr]
    assert f"❌ failed: {verdict['reason']}" in out["md"]  # type: ignore[operator]
    assert int(out["junit"].get("failures")) == len(failing_rules)  # type: ignore[union-attr]
    assert out["sarif"]["runs"][0]["properties"]["gate"]["status"] == "failed"  # type: ignore[index]
    assert out["html"]["verdict"]["status"] == "failed" and out["html"]["verdict"]["failing"] == verdict["failing"]  # type: ignore[index]
    errors = [line for line in failed.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == verdict["failing"]
    assert f"failing the gate ({verdict['failing']}):" in failed.stdout and "gate: failed" in failed.stdout

    made = _cli("baseline", "site", "--settle-ms", "0", "--out-file", "baseline.json", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    passed = _cli("audit", "site", "--out", "second", "--baseline", "baseline.json", *common, cwd=tmp_path, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    out = _outputs(tmp_path / "second")
    assert out["report"]["verdict"]["status"] == "passed"  # type: ignore[index]
    known = [f for p in out["report"]["pages"] for f in p["findings"] if f["baseline"] == "known"]  # type: ignore[index]
    assert len(known) >= verdict["failing"]
    assert out["report"]["verdict"]["baseline"] == {"new": 0, "known": len(known), "fixed": 0}  # type: ignore[index]
    assert out["md"].startswith("## Accessibility report\n\n**✅ passed: ")  # type: ignore[union-attr]
    assert "### Baseline: 0 new" in out["md"]  # type: ignore[operator]
    assert out["junit"].get("failures") == "0"  # type: ignore[union-attr]
    assert not [line for line in passed.stdout.splitlines() if line.startswith("::")]  # no annotation for known findings
    assert "baseline: 0 new" in passed.stdout and "gate: passed" in passed.stdout and "failing the gate" not in passed.stdout
    assert out["html"]["verdict"]["baseline"]["known"] == out["report"]["verdict"]["baseline"]["known"]  # type: ignore[index]
    assert summary.read_text(encoding="utf-8").count("## Accessibility report") == 2


@pytest.mark.browser
def test_a_captioned_image_without_alt_gives_exactly_one_finding(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = audit([str(site / "story.html")], Settings(settle_ms=0, timeout_s=20)).pages[0]
    on_image = [f for f in page.findings if f.target.endswith("img") and f.outcome == "violation"]
    assert [(f.rule, f.also, f.impact) for f in on_image] == [("alt-missing-captioned", ["image-alt"], "critical")]
    on_button = [f for f in page.findings if f.rule in ("button-name", "icon-missing-label")]
    assert len(on_button) == 1 and on_button[0].also == ["button-name"]


def _finding(rule: str, impact: str = "serious", **extra: object) -> Finding:
    return Finding(rule=rule, engine="axe", outcome="violation", impact=impact, target="img", html="<img>", message=f"{rule} message",  # type: ignore[arg-type]
                   fingerprint=f"fp-{rule}", **extra)  # type: ignore[arg-type]


def test_an_interrupted_run_says_so_in_every_format(tmp_path: Path) -> None:
    pages = [PageResult(source=f"pages/p{i}.html", url="", findings=[]) for i in range(13)]
    run = Finishing().run(RunResult(pages=pages, tool={"name": "a11y"}, started="2026-01-01T00:00:00+00:00", interrupted=True, planned=40))
    for name in ("json", "md", "junit", "sarif", "html"):
        get_reporter(name).write(run, tmp_path)
    out = _outputs(tmp_path)
    assert out["report"]["not_audited"] == 27 and out["report"]["verdict"]["status"] == "interrupted"  # type: ignore[index]
    assert "**⚠️ interrupted: the run was interrupted; 27 page\\(s\\) were not audited**" in out["md"]  # type: ignore[operator]
    assert "13 pages audited, 27 pages not audited" in out["md"]  # type: ignore[operator]
    error = out["junit"].find("testsuite[@name='a11y']/testcase/error")  # type: ignore[union-attr]
    assert error is not None and error.get("message") == "interrupted: 27 page(s) not audited"
    notes = out["sarif"]["runs"][0]["invocations"][0]["toolExecutionNotifications"]  # type: ignore[index]
    assert any("27 page(s) were not audited" in n["message"]["text"] for n in notes)
    assert out["html"]["interrupted"] is True and out["html"]["not_audited"] == 27  # type: ignore[index]


def test_ignores_and_decisions_made_on_an_absorbed_finding_still_apply() -> None:
    merged = _finding("alt-missing-captioned", "critical", also=["image-alt"], also_fingerprints=["fp-image-alt"], also_targets=["figure > img"])
    page = PageResult(source="a.html", url="", findings=[merged])
    finishing = Finishing(review={"fp-image-alt": {"decision": "false-positive", "note": "checked"}})
    reviewed = finishing.run(RunResult(pages=[page], tool={}, started=""))
    assert reviewed.verdict is not None and reviewed.verdict.passed
    assert reviewed.pages[0].findings[0].status == "false-positive"
    known = Finishing.load({})
    known.baseline = [{"fingerprint": "fp-image-alt"}]
    known.policy = type(known.policy)(baseline=True)
    run = known.run(RunResult(pages=[page], tool={}, started=""))
    assert run.pages[0].findings[0].baseline == "known" and run.verdict is not None and run.verdict.passed and run.baseline_fixed == []
    assert merged.review is None and merged.baseline is None  # finishing made new findings; the engine's are untouched


@pytest.mark.browser  # the hook audits in a subprocess
def test_pre_commit_hook_leaves_nothing_in_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "story.html").write_text(STORY, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "story.html"], cwd=repo, check=True)
    hook = Path(sys.executable).parent / "a11y-pre-commit"
    done = subprocess.run([str(hook), "--settle-ms", "0", "story.html"], cwd=repo, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "story.html:3  critical  alt-missing-captioned" in done.stdout  # what is wrong, with its line
    folder = Path(done.stdout.strip().splitlines()[-1].removeprefix("reports: "))
    assert (folder / "report.json").is_file() and repo not in folder.parents
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo, capture_output=True, text=True, check=True)
    assert status.stdout.strip() == "A  story.html"
