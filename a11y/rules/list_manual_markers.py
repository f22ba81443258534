"""Items of a real list start with a typed bullet or number.

What it does:
    Flags a ``ul``, ``ol`` or ``role=list`` when most of its items (and at least two) start
    with a marker typed as text: the same bullet glyph ("•", "-", "*", "▪", "–", "►"...) or
    numbers in sequence ("1." "2." "3.", "a)" "b)"). Text hidden from assistive technology
    (``aria-hidden``) does not count; check and cross marks (✓ ✗) are left alone because they
    usually say something (included / not included), and so are numbers inside links (a table
    of contents repeats its numbered headings) and number badges in their own element.

    Its suggestion says which typed markers to delete and, for nested items, to nest them in
    their own list; it always gives one.

Why it matters:
    The list already draws its bullets or numbers. The typed ones come on top: a screen reader
    reads the symbol out for every item ("bullet", "dash", "black small square") or the number
    twice, and people using their own styles or reader modes see two markers. A typed dash used
    to show sub-items also hides the nesting from assistive technology.

Example:
    <ul class="features"><li>• Free entry</li><li>• Guided tours</li><li>• Parking</li></ul>
    <ol><li>1. Heat the oven</li><li>2. Bake</li></ol>

Use instead:
    <ul class="features"><li>Free entry</li><li>Guided tours</li><li>Parking</li></ul>
    <ol><li>Heat the oven</li><li>Bake</li></ol>
    and draw custom markers with CSS (``list-style``, ``li::marker`` or counters), not with text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bs4 import NavigableString, Tag

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._lists import (
    MARKER_HOSTS,
    MEANINGFUL_GLYPHS,
    Marker,
    describe_marker,
    find_runs,
    inside,
    is_block,
    leading,
    list_items,
    parse_badge,
    parse_markers,
    real_lists,
    shorten,
)

META = RuleMeta(
    id="list-manual-markers",
    impact="minor",
    wcag=("1.3.1",),
    help="List items must not start with typed bullets or numbers: the list already provides them",
    family="lists",
    best_practice=True,
)


def applicable(page: Snapshot) -> Iterable[Tag]:
    for tag in real_lists(page):
        if len(list_items(page, tag)) >= 2:
            yield tag


def evaluate(page: Snapshot, list_tag: Tag, options: dict[str, Any]) -> Issue | None:
    items = list_items(page, list_tag)
    texts: list[str] = []
    readings: list[list[Marker]] = []
    for item in items:
        text, first = leading(page, item, for_at=True)
        texts.append(text)
        typed = first is not None and not inside(first, item, MARKER_HOSTS - {"a"})
        markers = [m for m in parse_markers(text) if typed and m.typed not in MEANINGFUL_GLYPHS]
        # numbers inside links mirror numbered headings (tables of contents), and a number alone
        # in a block of its own is a styled badge: neither is a number typed into the item text
        if first is not None and (inside(first, item, {"a"}) or _in_badge(page, first, item)):
            markers = [m for m in markers if m.kind == "bullet"]
        readings.append(markers)
    glyph, bulleted = _commonest_glyph(readings)
    if len(bulleted) >= 2 and len(bulleted) * 2 > len(items):
        return _typed_bullets(list_tag, len(items), glyph, bulleted, texts[bulleted[0]])
    if list_tag.name != "ol":
        return None  # typed numbers in a bulleted list: list-should-be-ordered says it, once
    run = max(find_runs([[m for m in r if m.kind == "ordinal"] for r in readings]), key=lambda r: r.size, default=None)
    if run is not None and run.size * 2 > len(items):
        return _typed_numbers(list_tag, len(items), run.markers, texts[run.start])
    return None


def _in_badge(page: Snapshot, first: NavigableString, item: Tag) -> bool:
    parent = first.parent
    return (parent is not item and isinstance(parent, Tag) and parse_badge(first.strip()) is not None
            and (is_block(page, parent) or page.facts_of(parent).display.startswith("inline-")))


def _commonest_glyph(readings: list[list[Marker]]) -> tuple[str, list[int]]:
    """The bullet glyph most items start with, and the positions of those items."""
    by_glyph: dict[str, list[int]] = {}
    for position, markers in enumerate(readings):
        for marker in markers:
            if marker.kind == "bullet":
                by_glyph.setdefault(marker.typed, []).append(position)
    return max(by_glyph.items(), key=lambda pair: len(pair[1]), default=("", []))


def _typed_bullets(list_tag: Tag, total: int, glyph: str, positions: list[int], example: str) -> Issue:
    count = len(positions)
    if positions[0] > 0 and count < total:
        message = (f'{count} of the {total} items of this list start with a typed "{glyph}" to show they belong under '
                   f'the item above, which screen readers read out while the nesting is lost ("{shorten(example, 50)}").')
        return Issue(list_tag, message,
                     suggestion=f'Nest those items in their own <ul> inside the item they belong to, and delete the typed "{glyph}".')
    message = (f'{count} of the {total} items of this list start with a typed "{glyph}", which screen readers read out '
               f'after the list\'s own bullet ("{shorten(example, 50)}").')
    return Issue(list_tag, message,
                 suggestion=f'Delete the typed "{glyph}" from each item; style the bullet with CSS (list-style or li::marker) if needed.')


def _typed_numbers(list_tag: Tag, total: int, markers: list[Marker], example: str) -> Issue:
    what = describe_marker(markers[0], markers[-1])
    message = (f"{len(markers)} of the {total} items of this list start with typed numbers ({what}), which screen readers "
               f'read as text on top of the list\'s own markers ("{shorten(example, 50)}").')
    if list_tag.name == "ol":
        suggestion = "Delete the typed numbers: the <ol> already numbers its items (restyle them with CSS if needed)."
    else:
        suggestion = "Delete the typed numbers and make the list an <ol>, which numbers its items itself."
    return Issue(list_tag, message, suggestion=suggestion)
