"""``report.html``: one self-contained page a reviewer opens from disk, no server, no network.

coverage.py's split: :func:`build_view` turns the run into plain view data, the template and
the inline script render it. Everything that came from an audited page (titles, URLs, alt text,
snippets, messages) is hostile: it travels only as JSON inside ``<script type="application/json">``
with ``<``, ``>`` and ``&`` escaped, and the script renders it with ``textContent``/DOM APIs,
never ``innerHTML``. A Content-Security-Policy meta tag allows only our own hashed script and
style, and images from the report's folder or ``data:``.

Screenshots are inlined as ``data:`` URIs when the run is small, else written as JPEG files in
``a11y-assets/`` (a name of a11y's own, so a site's ``assets/`` is never touched) named by a hash
of the page key, so two runs of different pages never mix.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..ci.gate import verdict_of
from ..model import IMPACTS, Finding, PageResult, RunResult
from ..pipeline.criteria import (
    DISCLAIMER,
    STATUS_LABELS,
    STATUSES,
    criteria_of,
    criteria_table,
    criterion_key,
    get_criterion,
    undecided_reason,
)
from . import ASSETS_DIR, write_atomic

INLINE_LIMIT = 2_000_000  # total screenshot bytes up to which they are inlined as data: URIs
# Beyond either size, report.html is an index (the verdict, the run's criteria, a table of parts) and
# each part a full report of PART_PAGES pages in a11y-assets/: one file of 100,000 pages would not open.
SPLIT_PAGES = 2_000
SPLIT_FINDINGS = 20_000
PART_PAGES = 500
DOC_SECTIONS = ("What it does", "Why it matters", "Use instead")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Characters that could end the <script> element or start markup inside it.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


class HtmlReporter:
    name = "html"
    filename = "report.html"

    def __init__(self, inline_limit: int = INLINE_LIMIT, split_pages: int = SPLIT_PAGES, split_findings: int = SPLIT_FINDINGS,
                 part_pages: int = PART_PAGES) -> None:
        self.inline_limit = inline_limit
        self.split_pages, self.split_findings, self.part_pages = split_pages, split_findings, part_pages

    def split(self, run: RunResult) -> bool:
        """Whether the run is written as an index and parts (more pages or findings than one file shows well)."""
        if len(run.pages) > self.split_pages:
            return True
        findings = 0
        for page in run.pages:
            findings += len(page.findings)
            if findings > self.split_findings:
                return True
        return False

    def write(self, run: RunResult, out_dir: Path) -> Path:
        if self.split(run):
            return write_split(run, out_dir, self.part_pages)
        shots = screenshot_sources(run, self.inline_limit)
        for asset_name, data in shots.files.items():
            write_atomic(out_dir / ASSETS_DIR / asset_name, data)
        return write_atomic(out_dir / self.filename, render(run, shots.sources))


REPORTER = HtmlReporter()


# --- screenshots -------------------------------------------------------------------------------


class Screenshots:
    """Where each page's screenshot is shown from (``src`` and pixel size), and files to write."""

    def __init__(self) -> None:
        self.sources: dict[int, dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}


def screenshot_sources(run: RunResult, inline_limit: int = INLINE_LIMIT) -> Screenshots:
    shots = Screenshots()
    total = sum(len(p.screenshot or b"") for p in run.pages)
    inline = total <= inline_limit
    for index, page in enumerate(run.pages):
        if not page.screenshot:
            continue
        size = jpeg_size(page.screenshot)
        if size is None:
            continue  # not a JPEG we can place boxes on
        if inline:
            src = "data:image/jpeg;base64," + base64.b64encode(page.screenshot).decode("ascii")
        else:
            name = asset_name(page.key)
            shots.files[name] = page.screenshot
            src = f"{ASSETS_DIR}/{name}"
        shots.sources[index] = {"src": src, "w": size[0], "h": size[1]}
    return shots


def asset_name(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20] + ".jpg"


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's start-of-frame marker (no imaging library needed)."""
    if data[:2] != b"\xff\xd8":
        return None
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[pos + 5:pos + 7], "big")
            width = int.from_bytes(data[pos + 7:pos + 9], "big")
            return width, height
        pos += 2 + length
    return None


# --- view data ---------------------------------------------------------------------------------


def safe_href(url: str | None, allow_loopback: bool = False) -> str:
    """The URL when it is a plain http(s) link worth following, else "" (never javascript: & co)."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    if not allow_loopback and parts.hostname in LOOPBACK_HOSTS:
        return ""  # the audit's own local server is gone once the run is over
    return url.strip()


def storage_key(run: RunResult) -> str:
    """Names the run's page set, so decisions in localStorage follow the same pages across runs."""
    keys = "\n".join(sorted(page.key for page in run.pages))
    return hashlib.sha256(keys.encode("utf-8")).hexdigest()[:16]


def rule_info(finding: Finding) -> dict[str, Any]:
    info: dict[str, Any] = {"help": finding.help, "url": safe_href(finding.help_url, allow_loopback=True), "engine": finding.engine, "doc": {}}
    if finding.engine == "a11y":
        from ..rules import get_rule

        rule = get_rule(finding.rule)
        if rule is not None:
            sections = rule.doc_sections()
            info["doc"] = {title: sections[title] for title in DOC_SECTIONS if sections.get(title)}
    return info


def wcag_info(criterion_id: str) -> dict[str, str]:
    criterion = get_criterion(criterion_id)
    if criterion is None:
        return {"name": "", "level": "", "url": ""}
    return {"name": criterion.name, "level": criterion.level, "url": criterion.url}


def criteria_view(run: RunResult) -> dict[str, Any]:
    """The criteria matrix: the run's row per criterion, and each page's status of every criterion.

    A page's statuses are a string of digits (an index into ``statuses`` per row) so 500 pages stay
    small; its reasons are kept only where they say something the run's row does not.
    """
    view = criteria_of(run)
    level, page_rows, rows = view.level, view.pages, view.rows
    per_page = [{
        "codes": "".join(str(STATUSES.index(e["status"])) for e in entries),
        "reasons": {e["id"]: e["reason"] for e in entries if e["findings"] or e["status"] == "not-applicable"},
    } for entries in page_rows]
    return {
        "level": level,
        "note": DISCLAIMER,
        "statuses": list(STATUSES),
        "labels": dict(STATUS_LABELS),
        "rows": [{"id": r["id"], "name": r["name"], "level": r["level"], "url": r["url"], "status": r["status"], "reason": r["reason"],
                  "check": r["manual_check"], "pages": r["pages"], "undecided": undecided_reason(criterion)}
                 for r, criterion in zip(rows, criteria_table(level), strict=True)],
        "pages": per_page,
    }


def finding_view(finding: Finding, page_index: int, number: int) -> dict[str, Any]:
    box = finding.box or {}
    width, height = box.get("width", 0) or 0, box.get("height", 0) or 0
    return {
        "p": page_index,
        "n": number,
        "rule": finding.rule,
        "engine": finding.engine,
        "outcome": finding.outcome,
        "impact": finding.impact,
        "wcag": list(finding.wcag),
        "bp": "best-practice" in finding.tags,
        "message": finding.message,
        "suggestion": finding.suggestion or "",
        "target": finding.target,
        "html": finding.html,
        "fp": finding.fingerprint,
        "box": [box.get("x", 0), box.get("y", 0), width, height] if width > 0 and height > 0 else None,
        "review": dict(finding.review) if finding.review else None,
        "baseline": finding.baseline or "",
    }


def page_view(page: PageResult, index: int, shot: dict[str, Any] | None) -> dict[str, Any]:
    size = page.page_size or {}
    return {
        "key": page.key,
        "title": page.title,
        "source": page.source or "",
        "url": page.final_url or page.url,
        "href": safe_href(page.final_url or page.url),
        "status": page.status,
        "error": page.error or "",
        "warnings": list(page.warnings),
        "size": [size.get("width", 0), size.get("height", 0)] if size else None,
        "shot": shot,
    }


def build_view(run: RunResult, shots: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The data the page's script renders: plain JSON, deterministic for a given run."""
    shots = shots or {}
    pages, findings = [], []
    rules: dict[str, dict[str, Any]] = {}
    criteria: set[str] = set()
    for index, page in enumerate(run.pages):
        pages.append(page_view(page, index, shots.get(index)))
        for number, finding in enumerate(page.findings, start=1):
            findings.append(finding_view(finding, index, number))
            if finding.rule not in rules:
                rules[finding.rule] = rule_info(finding)
            criteria.update(finding.wcag)
    stale = [dict(entry) for entry in run.stale_reviews]
    verdict = verdict_of(run)
    return {
        "schema": "a11y-html/1",
        "storage_key": storage_key(run),
        "tool": dict(run.tool),
        "started": run.started,
        "duration_s": round(run.duration_s, 1),
        "interrupted": run.interrupted,
        "not_audited": run.not_audited,
        "verdict": {**verdict.to_dict(), "headline": verdict.headline},
        "fixed": [{k: str(entry.get(k, "")) for k in ("rule", "page", "target")} for entry in run.baseline_fixed],
        "impacts": list(IMPACTS),
        "pages": pages,
        "findings": findings,
        "rules": dict(sorted(rules.items())),
        "wcag": {c: wcag_info(c) for c in sorted(criteria, key=criterion_key)},
        "criteria": criteria_view(run),
        "stale": stale,
    }


def json_for_script(data: Any) -> str:
    """JSON that cannot end its <script> element nor be read as markup."""
    return json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":")).translate(_JSON_ESCAPES)


# --- rendering ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("a11y.reports", "templates"), autoescape=select_autoescape(default=True, default_for_string=True),
                       keep_trailing_newline=True)


@lru_cache(maxsize=4)
def static_text(name: str) -> str:
    return resources.files("a11y.reports").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    """Nothing from elsewhere: our hashed script and style, images from this folder or data:."""
    return (f"default-src 'none'; script-src {csp_hash(script)}; style-src {csp_hash(style)}; "
            "img-src 'self' data:; base-uri 'none'; form-action 'none'")


def render(run: RunResult, shots: dict[int, dict[str, Any]] | None = None) -> str:
    script = static_text("report.js")
    style = static_text("report.css")
    assert "</script" not in script.lower() and "</style" not in style.lower(), "inline code must not end its element"
    summary = run.summary()
    template = _environment().get_template("report.html.j2")
    return template.render(
        csp=content_security_policy(script, style),
        # Our own files, trusted; the only page data goes through json_for_script's escaping.
        script=Markup(script),
        style=Markup(style),
        data_json=Markup(json_for_script(build_view(run, shots))),
        page_count=len(run.pages),
        finding_count=sum(len(p.findings) for p in run.pages),
        violations=summary["violations"],
        tool=run.tool,
    )


# --- a big run: an index and parts -------------------------------------------------------------


def part_name(number: int) -> str:
    return f"report-part-{number:04d}.html"


def write_split(run: RunResult, out_dir: Path, part_pages: int = PART_PAGES) -> Path:
    """``report.html`` as an index of the run (verdict, summary, the run's criteria rows, a table of
    parts) and ``a11y-assets/report-part-NNNN.html``: each a full report of ``part_pages`` pages, read
    a part at a time from the run (a cluster run's compressed pages are never all unpacked).

    A part is the single-file report of its pages, with the run's verdict; its criteria tab covers
    its own pages (the run's rows are in the index). Screenshots are files next to the parts."""
    from dataclasses import replace

    parts: list[dict[str, Any]] = []
    total = len(run.pages)
    for number, start in enumerate(range(0, total, part_pages), start=1):
        pages = list(run.pages[start:start + part_pages])
        part = replace(run, pages=pages, criteria=None, planned=len(pages), interrupted=False)
        shots = screenshot_sources(part, inline_limit=0)
        for asset_name_, data in shots.files.items():
            write_atomic(out_dir / ASSETS_DIR / asset_name_, data)
        # the part lives in a11y-assets/ itself: its screenshots are beside it
        sources = {i: {**shot, "src": shot["src"].removeprefix(f"{ASSETS_DIR}/")} for i, shot in shots.sources.items()}
        write_atomic(out_dir / ASSETS_DIR / part_name(number), render(part, sources))
        summary = part.summary()
        parts.append({"number": number, "href": f"{ASSETS_DIR}/{part_name(number)}", "first_index": start + 1,
                      "last_index": start + len(pages), "first": pages[0].name, "last": pages[-1].name,
                      "violations": summary["violations"], "needs_review": summary["needs_review"], "errors": summary["errors"]})
        del pages, part
    return write_atomic(out_dir / HtmlReporter.filename, render_index(run, parts, part_pages))


def render_index(run: RunResult, parts: list[dict[str, Any]], part_pages: int) -> str:
    """The index page: no script at all, every value escaped by the template (autoescape)."""
    style = static_text("report.css")
    assert "</style" not in style.lower()
    summary = run.summary()
    verdict = verdict_of(run)
    view = criteria_of(run)
    template = _environment().get_template("report_index.html.j2")
    return template.render(
        csp=f"default-src 'none'; style-src {csp_hash(style)}; img-src 'self' data:; base-uri 'none'; form-action 'none'",
        style=Markup(style),
        tool=run.tool,
        page_count=len(run.pages),
        finding_count=sum(len(p.findings) for p in run.pages),
        violations=summary["violations"],
        summary=summary,
        impacts=IMPACTS,
        verdict={"status": verdict.status, "headline": verdict.headline},
        not_audited=run.not_audited,
        started=run.started,
        duration_s=round(run.duration_s, 1),
        parts=parts,
        part_size=part_pages,
        criteria_level=view.level,
        criteria_note=DISCLAIMER,
        criteria_rows=view.rows,
        labels=dict(STATUS_LABELS),
    )
