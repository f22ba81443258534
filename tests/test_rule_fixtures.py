"""Rule fixtures as axe-core does it: tests/fixtures/<rule-id>/{fail,pass,inapplicable}-*.html.

In a ``fail`` fixture every element the rule must flag carries ``data-expect="<rule-id>"`` as
its FIRST attribute (several ids space-separated), and may carry
``data-expect-suggestion="text the suggestion must contain"`` and ``data-expect-impact``.
A ``pass`` fixture must give no finding of the rule; an ``inapplicable`` one must give no finding
and the rule must find nothing to test.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from a11y.rules import all_rules

from .conftest import FIXTURES, page_by_source

CASES = sorted(FIXTURES.glob("*/*.html"))
_EXPECT = re.compile(r'^<[\w:-]+ data-expect="([^"]*)"')


def _expected_elements(path: Path, rule_id: str) -> list[dict[str, str]]:
    """The opening tags in the fixture source that expect ``rule_id``, with their attributes."""
    expected = []
    for match in re.finditer(r"<[\w:-]+\s+data-expect=\"([^\"]*)\"[^>]*>", path.read_text(encoding="utf-8")):
        if rule_id in match.group(1).split():
            tag = match.group(0)
            attrs = {k: html.unescape(v) for k, v in re.findall(r'(data-expect-[\w-]+)="([^"]*)"', tag)}
            expected.append(attrs)
    return expected


def test_every_rule_has_enough_fixtures() -> None:
    for rule in all_rules():
        folder = FIXTURES / rule.id
        fails = list(folder.glob("fail-*.html"))
        passes = list(folder.glob("pass-*.html"))
        assert len(fails) >= 3 and len(passes) >= 3, f"{rule.id}: needs >= 3 fail and >= 3 pass fixtures"


@pytest.mark.browser
@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_fixture(path: Path, fixture_run) -> None:
    rule_id = path.parent.name
    kind = path.stem.split("-", 1)[0]
    page = page_by_source(fixture_run, f"{rule_id}/{path.name}")
    assert page.status == "ok", page.error
    crashed = [f.message for f in page.findings if f.outcome == "error"]
    assert not crashed, crashed
    found = [f for f in page.findings if f.rule == rule_id]
    if kind in ("pass", "inapplicable"):
        assert not found, [(f.target, f.message) for f in found]
        if kind == "inapplicable":
            assert rule_id not in page.applied, f"{rule_id} applied to {page.applied[rule_id]} element(s)"
        return
    assert kind == "fail", f"fixture name must start with fail-, pass- or inapplicable-: {path.name}"
    expected = _expected_elements(path, rule_id)
    assert expected, f"{path}: a fail fixture needs data-expect=\"{rule_id}\" on the flagged element(s)"
    flagged = [f for f in found if (m := _EXPECT.match(f.html)) and rule_id in m.group(1).split()]
    assert len(found) == len(expected), [(f.target, f.html[:120], f.message) for f in found]
    assert len(flagged) == len(expected), [(f.target, f.html[:120]) for f in found]
    for finding, attrs in zip(sorted(flagged, key=lambda f: f.element_index or 0), expected, strict=True):
        assert finding.message, "every finding needs a message"
        if "data-expect-suggestion" in attrs:
            assert finding.suggestion and attrs["data-expect-suggestion"] in finding.suggestion, finding.suggestion
        if "data-expect-impact" in attrs:
            assert finding.impact == attrs["data-expect-impact"], finding.impact
