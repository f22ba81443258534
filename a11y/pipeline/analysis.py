"""The Python half of auditing a page: our rules on its snapshot, merged with axe-core's results.

It runs in a worker thread while the tab renders the next page. The engine imports it from its
warm-up thread, not at the top: bs4, html5lib and the rules take about 0.2 s to import, which
then overlaps the start of Playwright's driver instead of delaying it.
"""

from __future__ import annotations

import json
from dataclasses import replace

from ..fingerprint import fingerprinted
from ..model import Finding, PageResult
from ..rules import RulesOutcome, examples_page, run_rules
from ..settings import Settings
from ..snapshot import INDEX_ATTR, Snapshot
from ..steps import Scope
from .axe import AxeRule, applied_rules, findings_from_results
from .merge import merge_findings
from .render import Rendered
from .sourcemap import SourceDocument, locate_page, parse_positioned

MAX_RULES_HTML = 8_000_000  # characters of rendered HTML our Python rules will parse


def warm_up() -> None:
    """The first page's one-off Python work (parser and selector caches), done on the rules' own examples."""
    try:
        html = examples_page()
        run_rules(Snapshot.from_html(html))
        SourceDocument(html, parse_positioned(html)).locate("p")
    except Exception:  # noqa: BLE001 - only a head start: the real pages still run every rule
        pass


def build_page_result(page: PageResult, rendered: Rendered, settings: Settings, catalog: dict[str, AxeRule]) -> PageResult:
    """Merge axe's results with our rules' on the snapshot: sort, box, fingerprint them, and merge duplicates."""
    snapshot = Snapshot.from_browser(rendered.snapshot)
    warnings = list(rendered.warnings)
    findings = [_with_box(f, snapshot) for f in findings_from_results(rendered.axe_results, catalog)]
    if len(snapshot.html) > MAX_RULES_HTML:
        # html5lib is pure Python: a page this large would hold the run for minutes.
        warnings.append(f"publishing rules skipped: the rendered page is {len(snapshot.html) / 1e6:.0f} MB "
                        f"(limit {MAX_RULES_HTML / 1e6:.0f} MB); axe-core results only")
        outcome = RulesOutcome([], {}, 0.0)
    else:
        outcome = run_rules(snapshot, settings.disabled_rules, settings.rule_options, settings.best_practice)
    findings.extend(in_scope(outcome.findings, snapshot, settings.scope, warnings) if settings.scope else outcome.findings)
    page = replace(
        page, title=rendered.title, final_url=rendered.final_url if rendered.final_url != rendered.url else None,
        warnings=warnings, screenshot=rendered.screenshot, snapshot=snapshot if settings.keep_snapshots else None,
        page_size={"width": snapshot.size[0], "height": snapshot.size[1]},
        applied={**applied_rules(rendered.axe_results), **outcome.applied},
        findings=sorted(findings, key=lambda f: f.sort_key()),
        timings={"load_s": rendered.load_s, "axe_s": rendered.axe_s, "rules_s": outcome.seconds},
    )
    page = fingerprinted(page)  # before the merge: a survivor keeps the fingerprint it had alone
    page = page.with_findings(sorted(merge_findings(list(page.findings), snapshot), key=lambda f: f.sort_key()))  # a survivor's impact may rise
    if not settings.keep_snapshots:
        snapshot.release()
    located, _ = locate_page(page)  # source lines, here in the worker thread while the browser renders the next page
    return located


def _with_box(finding: Finding, snapshot: Snapshot) -> Finding:
    """axe's finding with its element's box on the rendered page, for the HTML report."""
    # keys are JSON.stringify'd selectors from the page: build the same text
    box = snapshot.target_boxes.get(json.dumps(finding.target, ensure_ascii=False)) if " |> " not in finding.target else None
    if box and (box[2] or box[3]):
        return replace(finding, box={"x": box[0], "y": box[1], "width": box[2], "height": box[3]})
    return finding


def _indexes(snapshot: Snapshot, selectors: tuple[str, ...], warnings: list[str]) -> set[int]:
    """The snapshot indexes of the elements ``selectors`` match and of everything inside them."""
    found: set[int] = set()
    for selector in selectors:
        try:
            matched = snapshot.soup.select(selector)
        except Exception as exc:  # noqa: BLE001 - soupsieve's errors vary; a bad selector is a warning, not a crash
            warnings.append(f"selector {selector!r} not understood by the publishing rules ({type(exc).__name__})")
            continue
        for tag in matched:
            for element in (tag, *tag.find_all(attrs={INDEX_ATTR: True})):
                if element.get(INDEX_ATTR) is not None:
                    found.add(int(element[INDEX_ATTR]))
    return found


def in_scope(findings: list[Finding], snapshot: Snapshot, scope: Scope, warnings: list[str]) -> list[Finding]:
    """Our rules' findings on elements --include / --exclude keep (axe gets the same as its context);
    a finding about the page as a whole has no element and stays."""
    included = _indexes(snapshot, scope.include, warnings) if scope.include else None
    excluded = _indexes(snapshot, scope.exclude, warnings)
    return [f for f in findings if f.element_index is None
            or ((included is None or f.element_index in included) and f.element_index not in excluded)]
