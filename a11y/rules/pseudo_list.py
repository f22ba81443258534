"""Content that reads as a list is not marked up as one.

What it does:
    Finds groups that look like a list on screen but are plain blocks or lines:

    1. sibling blocks (``p``, ``div``, a block-level ``span``...) whose text starts with ordinals
       in sequence from one ("1." "2." "3.", "1)", "(1)", "a.", "i.", "Step 1": two or more) or
       with the same typed bullet ("•", "▪", "–", "*", ...: three or more);
    2. the same as lines of one block split by ``<br>``;
    3. badge items: sibling blocks whose first child holds only the next number (1, 2, 3...)
       and whose rest holds the text.

    It stays quiet inside real lists, tables, code, form controls and navigation, on numbered
    headings, on numbers that are links (pagination, footnote back-links, tables of contents
    made of links), on pictures with numbered captions, and on sentences that merely start with
    a number ("2019 was...", "5 things changed..."). Each group is reported once, on its own
    container when it holds only the group, else on its first item.

    Its suggestion is the ``<ul>``/``<ol>`` markup with the typed markers dropped, its first
    items written out; it always gives one. Lines are read through inline wrappers (a CMS that
    nests each ``<br>`` line one ``<span>`` deeper), a numbered line's link and picture lines
    (up to three) belong to its item, and a bullet glyph typed flush against its text ("●Feature")
    counts; dashes, "*" and "+" need a space.

Why it matters:
    A screen reader announces a real list with its size and each item's position ("list, 5
    items", "1 of 5") and lets the listener jump past it. Typed numbers and bullets in divs give
    none of that: the listener hears a run of paragraphs, or stray "bullet" symbols, and cannot
    tell where the list ends (WCAG 1.3.1 Info and Relationships).

Example:
    <div class="know-list">
      <div class="know-item"><div class="know-number">1</div><div class="know-text">Algeria is a partner…</div></div>
      <div class="know-item"><div class="know-number">2</div><div class="know-text">The two countries…</div></div>
    </div>
    <p>• Free entry<br>• Guided tours<br>• Parking</p>

Use instead:
    <ol class="know-list">
      <li>Algeria is a partner…</li>
      <li>The two countries…</li>
    </ol>
    <ul><li>Free entry</li><li>Guided tours</li><li>Parking</li></ul>
    Style the numbers and bullets with CSS (``list-style``, ``::marker`` or counters), not text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bs4 import Comment, NavigableString, Tag

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._lists import (
    BADGE_START,
    HEADINGS,
    MARKER_HOSTS,
    MEDIA,
    SKIP_TEXT,
    Marker,
    badge_item,
    collapse,
    describe_marker,
    find_runs,
    full_text,
    in_excluded_context,
    inside,
    is_block,
    is_heading,
    leading,
    list_markup,
    parse_markers,
    shorten,
    strip_marker,
)

META = RuleMeta(
    id="pseudo-list",
    impact="serious",
    wcag=("1.3.1",),
    help="Content that reads as a list must be marked up as a list (ul/ol)",
    family="lists",
)

# Inline wrappers whose <br> lines are lines of the block around them.
FLATTENED = {"span", "strong", "b", "em", "i", "u", "font", "small", "mark", "a"}
NOT_ITEMS = {"figure", "figcaption", "table", "ul", "ol", "dl", "pre", "form", "nav", "header", "footer", "aside",
             "hr", "br", "script", "style", "template", "noscript"} | HEADINGS | MEDIA


@dataclass
class Item:
    """One sibling block or ``<br>`` line and the markers its text may start with."""

    element: Tag | None  # None for a <br> line
    markers: list[Marker]
    text: str  # visible text, marker included (badges: the text after the badge)


CONTINUATION = Item(None, [], " ")  # a line holding only a picture


@dataclass
class Group:
    container: Tag
    shape: str  # "blocks", "lines" or "badges"
    items: list[Item]
    markers: list[Marker]
    whole: bool  # the container holds nothing but the group
    texts: list[str] = field(default_factory=list)

    @property
    def target(self) -> Tag:
        first = self.items[0].element
        return self.container if self.whole or first is None else first


def applicable(page: Snapshot) -> Iterable[Group]:
    body = page.soup.body
    if body is None:
        return
    reported: set[int] = set()
    for tag in body.find_all(True):
        if tag.name in SKIP_TEXT or tag.name in MEDIA or is_heading(tag) or not page.is_displayed(tag):
            continue
        for group in _groups_in(page, tag):
            if _within_reported(group, reported) or in_excluded_context(group.container):
                continue
            reported.update(id(item.element) for item in group.items if item.element is not None)
            if group.whole or group.shape == "lines":
                reported.add(id(group.container))
            yield group


def evaluate(page: Snapshot, group: Group, options: dict[str, Any]) -> Issue | None:
    first, last = group.markers[0], group.markers[-1]
    kind = "numbered" if first.kind == "ordinal" else "bulleted"
    noun = {"blocks": "blocks", "lines": "lines split by <br>", "badges": "blocks"}[group.shape]
    markers = describe_marker(first, last if first.kind == "ordinal" else None)
    starting = "with" if first.style == "badge" else "starting with"
    message = (f'These {len(group.items)} {noun} {starting} {markers} read as a {kind} list but are not marked up as one '
               f'("{shorten(group.texts[0], 50)}").')
    suggestion = f"Mark the group up as a real list and drop the typed markers: {list_markup(first, group.texts)}"
    return Issue(group.target, message, suggestion=suggestion)


# -- finding groups -------------------------------------------------------------------------
def _groups_in(page: Snapshot, tag: Tag) -> Iterator[Group]:
    children = [c for c in tag.children if not isinstance(c, Comment)]
    if sum(1 for c in children if isinstance(c, Tag)) >= 2:
        yield from _block_groups(page, tag, children)
    if any(isinstance(c, Tag) and c.name == "br" for c in children) or (is_block(page, tag) and _br_in_inline_child(page, children)):
        yield from _line_groups(page, tag, _flatten_inline(page, children))


def _br_in_inline_child(page: Snapshot, children: list) -> bool:
    return any(_flattenable(page, c) for c in children)


def _flattenable(page: Snapshot, node: object) -> bool:
    """An inline element holding a ``<br>``: its lines belong to the block around it (CNN nests
    each "2. Norway" line in one more ``<span>``)."""
    return (isinstance(node, Tag) and node.name in FLATTENED and page.is_displayed(node) and not is_block(page, node)
            and node.find("br") is not None)


def _flatten_inline(page: Snapshot, children: list) -> list:
    """The children with inline wrappers that hold a ``<br>`` replaced by their own children
    (iterative: absurdly deep nesting cannot exhaust the recursion limit)."""
    flat: list = []
    stack = [iter(children)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, Comment):
            continue
        elif _flattenable(page, node):
            stack.append(iter(node.children))
        else:
            flat.append(node)
    return flat


def _within_reported(group: Group, reported: set[int]) -> bool:
    node: Tag | None = group.container
    while isinstance(node, Tag):
        if id(node) in reported:
            return True
        node = node.parent if isinstance(node.parent, Tag) else None
    return False


def _block_groups(page: Snapshot, container: Tag, children: list) -> Iterator[Group]:
    items: list[Item | None] = []  # None breaks a run
    for child in children:
        if isinstance(child, NavigableString):
            if child.strip():
                items.append(None)
            continue
        if child.name in SKIP_TEXT or not page.is_displayed(child):
            continue
        text, first = leading(page, child)
        if first is None and child.name not in MEDIA and child.find(sorted(MEDIA)) is None:
            continue  # empty blocks (spacers, ad slots) do not break a run
        items.append(_block_item(page, child, text, first))
    if sum(1 for item in items if item is not None) >= 2:
        yield from _groups_from(container, items, "blocks")


def _block_item(page: Snapshot, child: Tag, text: str, first: NavigableString | None) -> Item | None:
    if first is None or child.name in NOT_ITEMS or is_heading(child) or not is_block(page, child):
        return None
    if not inside(first, child, MARKER_HOSTS) and (markers := parse_markers(text)):
        return None if _has_heading(child) else Item(child, markers, text)
    badge = badge_item(page, child) if BADGE_START.match(text) else None
    return Item(child, [badge[0]], badge[1]) if badge else None


def _has_heading(tag: Tag) -> bool:
    """Numbered sections with their own heading are document structure, not list items."""
    return tag.find(sorted(HEADINGS)) is not None or tag.find(attrs={"role": "heading"}) is not None


def _line_groups(page: Snapshot, container: Tag, children: list) -> Iterator[Group]:
    if in_excluded_context(container):
        return
    items: list[Item | None] = []
    line: list = []
    for child in [*children, None]:
        if child is None or (isinstance(child, Tag) and (child.name == "br" or (page.is_displayed(child) and is_block(page, child)))):
            items.append(_line_item(page, container, line))
            if isinstance(child, Tag) and child.name != "br":
                items.append(CONTINUATION if _only_media(page, child) else None)  # a block of text between lines ends the run
            line = []
        elif isinstance(child, NavigableString) or page.is_displayed(child):
            line.append(child)
    # html5lib keeps empty lines (double <br>) as empty items: drop them, they do not break a list
    kept = [item for item in items if item is None or item is CONTINUATION or item.text]
    yield from _groups_from(container, _fold_continuations(kept), "lines")


def _only_media(page: Snapshot, tag: Tag) -> bool:
    return (tag.name in MEDIA or tag.find(sorted(MEDIA)) is not None) and not full_text(page, tag)


# Lines after a numbered line that carry no marker (a product's link, its picture) belong to its
# item, up to this many; more, and the numbered lines are not one list.
MAX_CONTINUATION_LINES = 3


def _fold_continuations(items: list) -> list[Item | None]:
    """Unmarked lines folded into the marked line before them; elsewhere they break a run."""
    folded: list[Item | None] = []
    extra = 0
    for item in items:
        unmarked = item is CONTINUATION or (item is not None and not item.markers)
        if not unmarked:
            folded.append(item)
            extra = 0
            continue
        previous = folded[-1] if folded else None
        extra += 1
        if previous is None or not previous.markers or extra > MAX_CONTINUATION_LINES:
            folded.append(None)
    return folded


def _line_item(page: Snapshot, container: Tag, nodes: list) -> Item | None:
    text = collapse("".join(str(n) if isinstance(n, NavigableString) else full_text(page, n) for n in nodes if n.name not in SKIP_TEXT))
    first = next((n for n in nodes if not (isinstance(n, NavigableString) and not n.strip())), None)
    if not text:
        return CONTINUATION if isinstance(first, Tag) and _only_media(page, first) else Item(None, [], "")
    if isinstance(first, Tag):
        if first.name in MEDIA:
            return Item(None, [], text)
        _, start = leading(page, first)
        if start is None or inside(start, first, MARKER_HOSTS):
            return Item(None, [], text)  # a line that is a link: a continuation, never an item
    elif isinstance(first, NavigableString) and inside(first, container, MARKER_HOSTS):
        return Item(None, [], text)
    return Item(None, parse_markers(text), text)


def _groups_from(container: Tag, items: list[Item | None], shape: str) -> Iterator[Group]:
    candidates = [item.markers if item else [] for item in items]
    for run in find_runs(candidates):
        members = [item for item in items[run.start:run.start + run.size] if item is not None]
        texts = [strip_marker(item.text, marker) for item, marker in zip(members, run.markers, strict=True)]
        whole = run.size == len(items)
        real_shape = "badges" if run.first.style == "badge" else shape
        yield Group(container, real_shape, members, run.markers, whole, texts)
