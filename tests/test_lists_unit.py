"""Browser-free tests of the list rules' helpers: marker parsing, sequences, grouping."""

from __future__ import annotations

import pytest

from a11y.rules import list_fragmented, list_manual_markers, list_should_be_ordered, pseudo_list
from a11y.rules._lists import find_runs, list_markup, parse_badge, parse_markers, roman_value, shorten, strip_marker
from a11y.snapshot import Snapshot


def _page(body: str) -> Snapshot:
    return Snapshot.from_html(f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>{body}</body></html>")


def _issues(module, body: str) -> list:
    page = _page(body)
    return [issue for c in module.applicable(page) if (issue := module.evaluate(page, c, {})) is not None]


# -- markers ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "style", "value"), [
    ("1. Heat the oven", "1.", 1),
    ("12) Bake", "1)", 12),
    ("(3) Drink", "(1)", 3),
    ("b. second", "a.", 2),
    ("C) third", "A)", 3),
    ("iv. fourth", "i.", 4),
    ("Step 2: Mix", "step", 2),
    ("step 3 Mix", "step", 3),
])
def test_ordinal_markers(text: str, style: str, value: int) -> None:
    assert any(m.style == style and m.value == value for m in parse_markers(text))


def test_letter_i_reads_as_letter_and_roman_one() -> None:
    readings = {(m.style, m.value) for m in parse_markers("i. first")}
    assert ("a.", 9) in readings and ("i.", 1) in readings


@pytest.mark.parametrize("text", ["• Free entry", "- dash item", "* star item", "▪ square", "– en dash", "✓ tick"])
def test_bullet_markers(text: str) -> None:
    assert [m.kind for m in parse_markers(text)] == ["bullet"]


@pytest.mark.parametrize("text", [
    "2019 was the year", "5 things changed", "$5 parking", "5:30 p.m.", "3-2 win", "1.5 million people",
    "-5 °C", "[1] Smith 1998", "Steps were taken", "A.Smith", "", "1.",
])
def test_not_markers(text: str) -> None:
    assert parse_markers(text) == []


def test_roman_values() -> None:
    assert roman_value("xiv") == 14 and roman_value("IX") == 9
    assert roman_value("iiii") is None and roman_value("vx") is None and roman_value("abc") is None


def test_badges() -> None:
    assert parse_badge("1").value == 1 and parse_badge("02").value == 2 and parse_badge("#3").value == 3
    assert parse_badge("1.").value == 1 and parse_badge("Step 4").value == 4
    assert parse_badge("0") is None and parse_badge("2019") is None and parse_badge("1 of 5") is None


def test_strip_marker() -> None:
    first = parse_markers("Step 1: Gather receipts")[0]
    assert strip_marker("Step 1: Gather receipts", first) == "Gather receipts"
    assert strip_marker("• Parking", parse_markers("• Parking")[0]) == "Parking"


# -- sequences -------------------------------------------------------------------------------
def test_runs_need_sequence_from_one() -> None:
    readings = [parse_markers(t) for t in ("intro", "1. a", "2. b", "3. c", "outro")]
    runs = find_runs(readings)
    assert [(r.start, r.size) for r in runs] == [(1, 3)]
    assert find_runs([parse_markers(t) for t in ("2. b", "3. c")]) == []
    assert find_runs([parse_markers(t) for t in ("1. a", "3. c")]) == []


def test_bullet_runs_need_three_of_one_glyph() -> None:
    assert find_runs([parse_markers(t) for t in ("• a", "• b")]) == []
    assert find_runs([parse_markers(t) for t in ("• a", "- b", "• c")]) == []
    assert find_runs([parse_markers(t) for t in ("• a", "• b", "• c")])[0].size == 3


def test_roman_run_beats_letters() -> None:
    runs = find_runs([parse_markers(t) for t in ("i. one", "ii. two", "iii. three")])
    assert runs[0].first.style == "i." and runs[0].size == 3


def test_markup_and_shorten() -> None:
    marker = parse_markers("a) x")[0]
    assert list_markup(marker, ["one", "two", "three", "four"]) == (
        '<ol type="a"><li>one</li><li>two</li><li>three</li><!-- 1 more <li> --></ol>')
    assert shorten("word " * 30, 20).endswith("…") and len(shorten("word " * 30, 20)) <= 20


# -- rules on small pages (no browser facts: every element displayed, tag names decide blocks) ----
def test_pseudo_list_paragraphs_target_first_item() -> None:
    issues = _issues(pseudo_list, "<div><h2>How</h2><p>1. One</p><p>2. Two</p><p>3. Three</p></div>")
    assert len(issues) == 1 and issues[0].element.name == "p"
    assert "<ol><li>One</li>" in issues[0].suggestion


def test_pseudo_list_whole_container_and_badges() -> None:
    body = "<div class='k'>" + "".join(f"<div><div>{n}</div><div>Point number {n}</div></div>" for n in range(1, 4)) + "</div>"
    issues = _issues(pseudo_list, body)
    assert len(issues) == 1 and issues[0].element.get("class") == ["k"]
    assert "number badges 1 to 3" in issues[0].message


def test_pseudo_list_br_lines() -> None:
    issues = _issues(pseudo_list, "<p>Includes:<br>• Entry<br>• Tours<br>• Parking</p>")
    assert len(issues) == 1 and issues[0].element.name == "p" and "<ul>" in issues[0].suggestion


@pytest.mark.parametrize("body", [
    "<h2>1. Storm</h2><h2>2. Plan</h2>",
    "<nav><p>1. Home</p><p>2. About</p></nav>",
    "<ul><li><p>1. a</p><p>2. b</p></li></ul>",
    "<table><tr><th>x</th></tr><tr><td><p>1. a</p><p>2. b</p></td></tr></table>",
    "<div><p><a href='#r1'>1.</a> See minutes</p><p><a href='#r2'>2.</a> See records</p></div>",
    "<div><p>2019 was good</p><p>2020 was not</p></div>",
    "<div><p>1. Alone</p><p>Not a list</p></div>",
    "<div><section><span>1</span><h2>A</h2></section><section><span>2</span><h2>B</h2></section></div>",
])
def test_pseudo_list_negatives(body: str) -> None:
    assert _issues(pseudo_list, body) == []


def test_manual_markers() -> None:
    assert len(_issues(list_manual_markers, "<ul><li>• a</li><li>• b</li><li>c</li></ul>")) == 1
    assert _issues(list_manual_markers, "<ul><li>• a</li><li>b</li><li>c</li></ul>") == []
    assert _issues(list_manual_markers, "<ul><li>✓ a</li><li>✓ b</li></ul>") == []
    nested = _issues(list_manual_markers, "<ul><li>Sports</li><li>- Golf</li><li>- Tennis</li></ul>")
    assert len(nested) == 1 and "Nest" in nested[0].suggestion


def test_should_be_ordered() -> None:
    issues = _issues(list_should_be_ordered, "<ul><li>1. a</li><li>2. b</li></ul><ol><li>1. a</li><li>2. b</li></ol>")
    assert len(issues) == 1 and issues[0].element.name == "ul"
    assert _issues(list_should_be_ordered, "<ul><li><a href='#a'>1. a</a></li><li><a href='#b'>2. b</a></li></ul>") == []
    assert _issues(list_should_be_ordered, "<ul><li>1. a</li><li>b</li></ul>") == []


def test_fragmented() -> None:
    assert len(_issues(list_fragmented, "<ul><li>a</li></ul> <ul><li>b</li></ul>")) == 1
    assert len(_issues(list_fragmented, "<ol><li>a</li><li>b</li></ol><ol start='3'><li>c</li></ol>")) == 1
    assert _issues(list_fragmented, "<ol><li>a</li><li>b</li></ol><ol><li>c</li></ol>") == []
    assert _issues(list_fragmented, "<ul><li>a</li></ul><p>x</p><ul><li>b</li></ul>") == []
    assert _issues(list_fragmented, "<footer><ul><li>a</li></ul><ul><li>b</li></ul></footer>") == []
