"""A bulleted list whose items are numbered by hand.

What it does:
    Flags a ``ul`` (or ``role=list``) when every item starts with a typed ordinal in sequence
    from one ("1." "2." "3.", "a)", "Step 1", or a number badge in its own element), at least
    two items.

    Its suggestion is the ``<ol>`` with the typed numbers dropped, its first items written out;
    it always gives one.

Why it matters:
    The order is part of the content (steps, rankings, "5 things"), but a ``ul`` tells
    assistive technology the order does not matter, and the numbers live only in the text,
    where they cannot be restyled or skipped (WCAG 1.3.1 Info and Relationships).

Example:
    <ul><li>1. Preheat the oven</li><li>2. Mix the flour and butter</li><li>3. Bake 20 minutes</li></ul>

Use instead:
    <ol><li>Preheat the oven</li><li>Mix the flour and butter</li><li>Bake 20 minutes</li></ol>
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bs4 import Tag

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._lists import (
    MARKER_HOSTS,
    Marker,
    badge_item,
    describe_marker,
    find_runs,
    inside,
    leading,
    list_items,
    list_markup,
    parse_markers,
    real_lists,
    shorten,
    strip_marker,
)

META = RuleMeta(
    id="list-should-be-ordered",
    impact="minor",
    wcag=("1.3.1",),
    help="A list whose items are numbered in sequence must be an ordered list (ol)",
    family="lists",
)


def applicable(page: Snapshot) -> Iterable[Tag]:
    for tag in real_lists(page):
        if tag.name != "ol" and len(list_items(page, tag)) >= 2:
            yield tag


def evaluate(page: Snapshot, list_tag: Tag, options: dict[str, Any]) -> Issue | None:
    items = list_items(page, list_tag)
    readings: list[list[Marker]] = []
    texts: list[str] = []
    for item in items:
        markers, text = _ordinals(page, item)
        readings.append(markers)
        texts.append(text)
    runs = find_runs(readings)
    if len(runs) != 1 or runs[0].size != len(items) or runs[0].first.kind != "ordinal":
        return None
    markers = runs[0].markers
    rest = [strip_marker(text, marker) for text, marker in zip(texts, markers, strict=True)]
    what = describe_marker(markers[0], markers[-1])
    message = (f"This bulleted list numbers its {len(items)} items by hand ({what}), so the order is only in the text "
               f'("{shorten(rest[0], 50)}").')
    return Issue(list_tag, message, suggestion=f"Use an ordered list and drop the typed numbers: {list_markup(markers[0], rest)}")


def _ordinals(page: Snapshot, item: Tag) -> tuple[list[Marker], str]:
    text, first = leading(page, item, limit=200)
    if first is not None and not inside(first, item, MARKER_HOSTS):
        markers = [m for m in parse_markers(text) if m.kind == "ordinal"]
        if markers:
            return markers, text
    badge = badge_item(page, item, in_real_list=True)
    return ([badge[0]], badge[1]) if badge else ([], text)
