"""The CI gate end to end: baselines in a git repository, fingerprint stability, config, gate options."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from a11y.pipeline.engine import audit
from a11y.settings import Settings

pytestmark = pytest.mark.browser

BASE = """<!DOCTYPE html>
<html lang="en"><head><title>Story</title></head>
<body><main>
<h1>Harbour storm</h1>
<section id="first"><h2>Damage</h2><p>The seawall held.</p>
  <img class="hero css-1x2y3z" src="hero.jpg" width="300" height="200"></section>
<section id="second"><h2>Cleanup</h2><p>Volunteers came.</p>
  <button class="share sc-AxjAm jsx-123"><svg width="16" height="16"></svg></button></section>
</main></body></html>
"""

FAST = Settings(settle_ms=0, timeout_s=20, concurrency=2)


def _fingerprints(tmp: Path, html: str, name: str = "story.html") -> dict[str, str]:
    (tmp / name).write_text(html, encoding="utf-8")
    page = audit([str(tmp / name)], FAST).pages[0]
    assert page.status == "ok", page.error
    return {f.rule: f.fingerprint for f in page.findings if f.rule in ("image-alt", "icon-missing-label")}


@pytest.fixture(scope="module")
def base_prints(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("fp")
    prints = _fingerprints(folder, BASE)
    assert set(prints) == {"image-alt", "icon-missing-label"}  # button-name merged into the icon rule
    return folder, prints


def test_fingerprint_survives_another_port(base_prints) -> None:
    folder, prints = base_prints
    assert _fingerprints(folder, BASE) == prints  # a new run serves on a new free port


def test_fingerprint_survives_edits_elsewhere(base_prints) -> None:
    folder, prints = base_prints
    edited = BASE.replace("<p>The seawall held.</p>", "<p>The seawall held, barely.</p><p>A new paragraph.</p>")
    assert _fingerprints(folder, edited) == prints


def test_fingerprint_survives_reformatted_whitespace(base_prints) -> None:
    folder, prints = base_prints
    reformatted = BASE.replace("\n  <img", "\n\n        <img").replace('src="hero.jpg" width', 'src="hero.jpg"\n     width')
    assert _fingerprints(folder, reformatted) == prints


def test_fingerprint_survives_reordered_sections(base_prints) -> None:
    folder, prints = base_prints
    first = BASE[BASE.index('<section id="first">'):BASE.index('<section id="second">')]
    second = BASE[BASE.index('<section id="second">'):BASE.index("</main>")]
    reordered = BASE.replace(first + second, second + "\n" + first)
    assert reordered != BASE
    assert _fingerprints(folder, reordered) == prints


def test_fingerprint_survives_generated_class_names(base_prints) -> None:
    folder, prints = base_prints
    regenerated = BASE.replace("css-1x2y3z", "css-9k8j7h").replace("sc-AxjAm", "sc-BqWxYz").replace("jsx-123", "jsx-987")
    assert _fingerprints(folder, regenerated) == prints


def test_fingerprint_changes_when_the_element_changes(base_prints) -> None:
    folder, prints = base_prints
    changed = BASE.replace('src="hero.jpg"', 'src="other.jpg"')
    assert _fingerprints(folder, changed)["image-alt"] != prints["image-alt"]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(repo)})


CLEAN_ARTICLE = ("<!DOCTYPE html><html lang='en'><head><title>Clean</title></head><body><main><h1>Clean</h1>"
                 "<p>Nothing to see.</p>\n<p>Second paragraph.</p></main></body></html>\n")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "story.html").write_text(BASE, encoding="utf-8")
    (site / "clean.html").write_text(CLEAN_ARTICLE, encoding="utf-8")
    (site / "other.html").write_text(CLEAN_ARTICLE.replace("Clean", "Other"), encoding="utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def test_pull_request_gate_with_baseline(repo: Path, run_cli) -> None:
    common = ["--settle-ms", "0", "--format", "json,sarif", "--out", "reports"]
    made = run_cli("baseline", "site", "--settle-ms", "0", "--out", "reports", cwd=repo)
    assert made.returncode == 0, made.stderr
    baseline = json.loads((repo / "reports" / "baseline.json").read_text())
    assert {e["rule"] for e in baseline["entries"]} >= {"image-alt", "icon-missing-label"}

    # The "pull request": a new violation in clean.html, story.html reformatted and reordered.
    clean = (repo / "site" / "clean.html").read_text()
    (repo / "site" / "clean.html").write_text(clean.replace("<p>Second paragraph.</p>", '<p>Second paragraph.</p>\n<img src="new.png">'))
    story = (repo / "site" / "story.html").read_text()
    (repo / "site" / "story.html").write_text(story.replace("\n  <img", "\n        <img").replace("The seawall held.", "The seawall held well."))
    _git(repo, "commit", "-qam", "pull request")

    gate = run_cli("audit", "site", "--baseline", "reports/baseline.json", *common, cwd=repo)
    assert gate.returncode == 1, gate.stdout + gate.stderr
    assert "baseline: 1 new" in gate.stdout
    report = json.loads((repo / "reports" / "report.json").read_text())
    new = [(p["source"], f["rule"]) for p in report["pages"] for f in p["findings"] if f["baseline"] == "new"]
    assert new == [("site/clean.html", "image-alt")]
    known = {f["rule"] for p in report["pages"] for f in p["findings"] if f["baseline"] == "known"}
    assert known >= {"image-alt", "icon-missing-label"}
    sarif = json.loads((repo / "reports" / "report.sarif").read_text())
    results = [r for r in sarif["runs"][0]["results"] if r.get("baselineState") == "new"]
    assert len(results) == 1
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "site/clean.html"
    lines = (repo / "site" / "clean.html").read_text().splitlines()
    expected_line = next(number for number, line in enumerate(lines, 1) if '<img src="new.png">' in line)
    assert location["region"]["startLine"] == expected_line

    # Fixing the story's image turns its baseline entry into "fixed"; the new one still fails.
    story_file = repo / "site" / "story.html"
    story_file.write_text(story_file.read_text().replace('src="hero.jpg"', 'src="hero.jpg" alt="Waves over the seawall"'))
    fixed = run_cli("audit", "site", "--baseline", "reports/baseline.json", *common, cwd=repo)
    report = json.loads((repo / "reports" / "report.json").read_text())
    assert [e["rule"] for e in report["baseline_fixed"]] == ["image-alt"]
    assert "1 fixed" in fixed.stdout


def test_changed_since_audits_only_changed_pages(repo: Path, run_cli) -> None:
    (repo / "site" / "clean.html").write_text(CLEAN_ARTICLE.replace("Nothing", "Something"))
    result = run_cli("audit", "site", "--changed-since", "HEAD", "--settle-ms", "0", "--format", "json", "--out", "reports",
                     "--fail-on", "none", cwd=repo)
    assert result.returncode == 0, result.stderr
    report = json.loads((repo / "reports" / "report.json").read_text())
    assert [p["source"] for p in report["pages"]] == ["site/clean.html"]
    (repo / "site" / "style.css").write_text("p { color: #333 }")
    result = run_cli("audit", "site", "--changed-since", "HEAD", "--settle-ms", "0", "--format", "json", "--out", "reports",
                     "--fail-on", "none", cwd=repo)
    report = json.loads((repo / "reports" / "report.json").read_text())
    assert len(report["pages"]) == 3, "a changed stylesheet under the root audits every page"


def test_config_file_precedence_and_errors(repo: Path, run_cli) -> None:
    (repo / "a11y.toml").write_text('targets = ["site/story.html"]\nformats = ["json"]\nfail_on = "none"\nsettle_ms = 0\n'
                                    'disable = ["region"]\n')
    result = run_cli("audit", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((repo / "reports" / "report.json").read_text())
    assert [p["source"] for p in report["pages"]] == ["site/story.html"]
    assert not [f for f in report["pages"][0]["findings"] if f["rule"] == "region"]
    assert run_cli("audit", "--fail-on", "critical", cwd=repo).returncode == 1  # command line wins
    (repo / "a11y.toml").write_text('fail_on = "sometimes"\n')
    bad = run_cli("audit", "site", cwd=repo)
    assert bad.returncode == 2 and "a11y.toml: fail_on must be one of" in bad.stderr
    (repo / "a11y.toml").write_text('colour = "blue"\n')
    bad = run_cli("audit", "site", cwd=repo)
    assert bad.returncode == 2 and "a11y.toml: unknown key 'colour'" in bad.stderr


def test_pyproject_config_and_ignores_with_expiry(repo: Path, run_cli) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.a11y]\ntargets = ["site/story.html"]\nformats = ["json"]\nsettle_ms = 0\nfail_on = "critical"\n'
        '[[tool.a11y.ignore]]\nrule = "image-alt"\nselector = "img"\nreason = "replaced next sprint"\nuntil = 2999-01-01\n'
        '[[tool.a11y.ignore]]\nrule = "button-name"\nselector = "butt*"\nreason = "vendor widget"\n')
    result = run_cli("audit", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((repo / "reports" / "report.json").read_text())
    statuses = {f["rule"]: f["status"] for f in report["pages"][0]["findings"]}
    # the button-name finding was merged into icon-missing-label: an ignore of either rule applies to it
    assert statuses["image-alt"] == "waived" and statuses["icon-missing-label"] == "waived"
    (repo / "pyproject.toml").write_text((repo / "pyproject.toml").read_text().replace("2999-01-01", "2001-01-01"))
    expired = run_cli("audit", cwd=repo)
    assert expired.returncode == 2 and "expired on 2001-01-01" in expired.stderr


def test_max_violations_and_strict(repo: Path, run_cli) -> None:
    args = ["audit", "site/story.html", "--settle-ms", "0", "--format", "json", "--out", "reports", "--fail-on", "critical"]
    assert run_cli(*args, cwd=repo).returncode == 1
    assert run_cli(*args, "--max-violations", "5", cwd=repo).returncode == 0
    report = json.loads((repo / "reports" / "report.json").read_text())
    assert report["summary"]["violations"] <= 5 + 10


def test_strict_counts_needs_review_findings(repo: Path, run_cli) -> None:
    # a captioned photo with alt="" is a needs-review finding (moderate), and the page has no violation
    captioned = CLEAN_ARTICLE.replace("<p>Nothing to see.</p>", '<figure><img src="boats.jpg" alt="" width="300" height="200">'
                                      "<figcaption>Boats in the harbor at dawn, before the storm.</figcaption></figure>")
    (repo / "site" / "captioned.html").write_text(captioned, encoding="utf-8")
    args = ["audit", "site/captioned.html", "--settle-ms", "0", "--format", "json", "--out", "reports", "--fail-on", "moderate"]
    lenient = run_cli(*args, cwd=repo)
    report = json.loads((repo / "reports" / "report.json").read_text())
    assert report["summary"]["needs_review"] >= 1 and report["summary"]["violations"] == 0, report["summary"]
    assert lenient.returncode == 0, lenient.stdout
    strict = run_cli(*args, "--strict", cwd=repo)
    assert strict.returncode == 1, strict.stdout
    verdict = json.loads((repo / "reports" / "report.json").read_text())["verdict"]
    assert verdict["strict"] is True and "needs-review" in verdict["reason"] and verdict["failing"] >= 1


def test_review_decisions_waive_findings(repo: Path, run_cli) -> None:
    args = ["audit", "site/story.html", "--settle-ms", "0", "--format", "json", "--out", "reports", "--fail-on", "critical"]
    first = run_cli(*args, cwd=repo)
    assert first.returncode == 1
    report = json.loads((repo / "reports" / "report.json").read_text())
    critical = [f for f in report["pages"][0]["findings"] if f["impact"] == "critical" and f["outcome"] == "violation"]
    decisions = {f["fingerprint"]: {"decision": "false-positive", "note": "checked by hand"} for f in critical}
    decisions["0" * 20] = {"decision": "confirmed", "note": "a finding that is gone"}
    (repo / "review.json").write_text(json.dumps({"schema": "a11y-review/1", "decisions": decisions}))
    second = run_cli(*args, "--review", "review.json", cwd=repo)
    assert second.returncode == 0, second.stdout
    report = json.loads((repo / "reports" / "report.json").read_text())
    assert {f["status"] for f in report["pages"][0]["findings"] if f["fingerprint"] in decisions} == {"false-positive"}
    assert [s["fingerprint"] for s in report["stale_reviews"]] == ["0" * 20]
    (repo / "bad.json").write_text("{nope")
    bad = run_cli(*args, "--review", "bad.json", cwd=repo)
    assert bad.returncode == 2 and "bad.json: not JSON" in bad.stderr
