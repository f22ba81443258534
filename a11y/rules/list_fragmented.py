"""One list split into several adjacent lists.

What it does:
    Flags two or more adjacent sibling lists of the same kind (``ul`` after ``ul``, ``ol``
    after ``ol``, nothing but white space between them) when each holds a single item, and an
    ``ol`` directly continued by another ``ol`` whose ``start`` picks up the count. Lists in
    navigation, headers and footers are left alone (menus are often built that way on purpose).

    Its suggestion is the merged list, its first items written out; it always gives one.

Why it matters:
    A screen reader announces each fragment as its own "list, 1 item", so the listener hears
    several one-item lists instead of one list with its size and positions. Editors produce
    this by pasting items one by one or by breaking a list to insert an image.

Example:
    <ul><li>Free entry</li></ul>
    <ul><li>Guided tours</li></ul>
    <ul><li>Parking</li></ul>

Use instead:
    <ul><li>Free entry</li><li>Guided tours</li><li>Parking</li></ul>
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bs4 import Comment, NavigableString, Tag

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._lists import full_text, html_escape, list_items, role_of, shorten

META = RuleMeta(
    id="list-fragmented",
    impact="moderate",
    wcag=("1.3.1",),
    help="Items of one list must be in one list element, not split into adjacent lists",
    family="lists",
)

CHROME = {"nav", "header", "footer", "menu", "button", "select", "form"}
CHROME_ROLES = {"navigation", "banner", "contentinfo", "menu", "menubar", "tablist", "toolbar"}


def applicable(page: Snapshot) -> Iterable[list[Tag]]:
    """Runs of two or more adjacent sibling ``ul`` (or ``ol``) elements, each run once.

    A run nested in the items of a fragmented run (archive widgets nest them by year and month)
    is part of the same problem and is not reported again.
    """
    fragmented: set[int] = set()
    for tag in page.soup.find_all(["ul", "ol"]):
        if not _usable(page, tag) or _previous_list(page, tag) is not None or _inside_any(tag, fragmented):
            continue
        run = [tag]
        while (following := _next_list(page, run[-1])) is not None:
            run.append(following)
        if len(run) >= 2 and not _in_chrome(tag):
            if _fragments(page, run):
                fragmented.update(id(t) for t in run)
            yield run


def evaluate(page: Snapshot, run: list[Tag], options: dict[str, Any]) -> Issue | None:
    fragments = _fragments(page, run)
    if not fragments:
        return None
    texts = [full_text(page, item) for tag in fragments for item in list_items(page, tag)]
    name = run[0].name
    if len(texts) == len(fragments):
        what = f"{len(fragments)} adjacent one-item <{name}> lists"
    else:
        what = f"an <{name}> continued by another <{name}> (start=\"{fragments[1].get('start')}\")"
    message = f'This starts {what} that screen readers announce as separate lists ("{shorten(texts[0], 50)}").'
    merged = "".join(f"<li>{html_escape(shorten(text, 40))}</li>" for text in texts[:3])
    more = f"<!-- {len(texts) - 3} more <li> -->" if len(texts) > 3 else ""
    return Issue(run[0], message, suggestion=f"Merge the items into one list: <{name}>{merged}{more}</{name}>")


def _fragments(page: Snapshot, run: list[Tag]) -> list[Tag]:
    """The lists of the run that are pieces of one list: all one-item lists, or an ol and its continuation.

    Lists with hidden items are rotators or collapsed widgets, not fragments.
    """
    if any(len(list_items(page, tag)) != sum(1 for li in tag.find_all("li", recursive=False)) for tag in run):
        return []
    counts = [len(list_items(page, tag)) for tag in run]
    if all(count == 1 for count in counts):
        return run
    if run[0].name == "ol" and _continues(run[0], run[1], counts[0]):
        return run[:2]
    return []


def _inside_any(tag: Tag, ids: set[int]) -> bool:
    node = tag.parent
    while isinstance(node, Tag):
        if id(node) in ids:
            return True
        node = node.parent
    return False


def _usable(page: Snapshot, tag: Tag) -> bool:
    return role_of(tag) in ("", "list") and page.is_displayed(tag) and not page.is_at_hidden(tag)


def _adjacent(page: Snapshot, tag: Tag, forward: bool) -> Tag | None:
    """The sibling list of the same kind right next to ``tag`` (only white space between)."""
    node = tag.next_sibling if forward else tag.previous_sibling
    while node is not None:
        if isinstance(node, Comment) or (isinstance(node, NavigableString) and not node.strip()):
            node = node.next_sibling if forward else node.previous_sibling
            continue
        if isinstance(node, Tag) and node.name == tag.name and _usable(page, node):
            return node
        return None
    return None


def _next_list(page: Snapshot, tag: Tag) -> Tag | None:
    return _adjacent(page, tag, forward=True)


def _previous_list(page: Snapshot, tag: Tag) -> Tag | None:
    return _adjacent(page, tag, forward=False)


def _continues(first: Tag, second: Tag, first_count: int) -> bool:
    """Whether the second ``ol`` starts where the first one stopped."""
    try:
        first_start = int(str(first.get("start", "1")))
        second_start = int(str(second.get("start", "")))
    except ValueError:
        return False
    return first_count > 0 and second_start == first_start + first_count


def _in_chrome(tag: Tag) -> bool:
    node = tag.parent
    while isinstance(node, Tag) and node.name not in ("body", "html"):
        if node.name in CHROME or role_of(node) in CHROME_ROLES:
            return True
        node = node.parent
    return False
