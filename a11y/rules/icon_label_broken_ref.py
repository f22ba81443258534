"""An icon's aria-labelledby or aria-describedby points at a missing or duplicated id.

What it does:
    Flags an icon (inline ``<svg>``, ``<img>``, ``role="img"`` element or icon-font element)
    whose ``aria-labelledby`` or ``aria-describedby`` names an id that no element has, or an id
    that several elements share when the browser's pick (always the first in the document) is
    not this icon's own copy. That is what happens when a page renders the US government banner
    twice (desktop and mobile) with its hard-coded ``banner-lock-title`` ids: the second lock
    is named by the first banner's ``<title>``. Icons hidden with ``aria-hidden="true"`` are
    skipped, and so are icons hidden by CSS (no publishing rule reports hidden content); a
    hidden copy that comes first still takes the visible copy's name, so the visible copy is
    flagged.

    Its suggestion is the fix for the reference: point it at an existing element (or name the
    icon directly), or make the duplicated id unique in this copy; it always gives one.

Why it matters:
    A reference to a missing id gives the icon no name at all, and a duplicated id names it
    from another part of the page: today the same text by luck, tomorrow the wrong one.

Example:
    <svg role="img" aria-labelledby="rss-feed-label"><use href="#icon-rss"></use></svg>
    (no element has id="rss-feed-label")

Use instead:
    <svg role="img" aria-labelledby="rss-feed-label"><title id="rss-feed-label">RSS feed</title>…</svg>
    and give every copy of a repeated component its own ids (banner-lock-title-mobile).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bs4 import Tag

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._icons import all_tags, control_of, guess_identity, icon_kind, is_small, shorten

META = RuleMeta(
    id="icon-label-broken-ref",
    impact="serious",
    wcag=("1.1.1", "4.1.2"),
    help="An icon's aria-labelledby/aria-describedby must point at one existing element",
    family="icons",
)

REF_ATTRS = ("aria-labelledby", "aria-describedby")


@dataclass(frozen=True)
class BadRef:
    attr: str
    id: str
    copies: int  # 0: no element has the id


def applicable(page: Snapshot) -> Iterable[tuple[Tag, str]]:
    """Icons with aria-labelledby/-describedby, not aria-hidden (CSS-hidden copies included)."""
    for tag in all_tags(page):
        if "aria-labelledby" not in tag.attrs and "aria-describedby" not in tag.attrs:
            continue
        kind = icon_kind(page, tag)
        if kind is None or _aria_hidden(tag):
            continue
        if page.is_displayed(tag) and not is_small(page, tag):
            continue
        yield tag, kind


def _aria_hidden(tag: Tag) -> bool:
    node: Tag | None = tag
    while isinstance(node, Tag):
        if str(node.get("aria-hidden") or "").strip().lower() == "true" or node.has_attr("inert"):
            return True
        node = node.parent if isinstance(node.parent, Tag) else None
    return False


def evaluate(page: Snapshot, candidate: tuple[Tag, str], options: dict[str, Any]) -> Issue | None:
    icon, _kind = candidate
    bad = list(_bad_refs(page, icon))
    if not bad:
        return None
    first = bad[0]
    if first.copies == 0:
        what = "name" if first.attr == "aria-labelledby" else "description"
        message = f'This icon\'s {first.attr} names "{shorten(first.id, 40)}", but no element has that id, so it gets no {what} from it.'
        guess = guess_identity(page, icon, control_of(icon))
        suggestion = (f'Point {first.attr} at an existing element, or drop it and name the icon directly: '
                      f'aria-label="{guess or "what it shows"}".') if first.attr == "aria-labelledby" else (
                      f'Remove aria-describedby="{first.id}" or add the element with id="{first.id}".')
    else:
        message = (f'This icon\'s {first.attr} names "{shorten(first.id, 40)}", an id that {first.copies} elements share; '
                   f"the browser takes the first one, which belongs to another copy, not to this icon.")
        suggestion = (f'Make the id unique: rename this copy\'s id="{first.id}" (e.g. id="{first.id}-2") and its {first.attr} to match.')
    if len(bad) > 1:
        others = ", ".join(f'"{shorten(b.id, 30)}"' for b in bad[1:4])
        message = message[:-1] + f" (also broken: {others})."
    return Issue(icon, message, suggestion=suggestion)


def _bad_refs(page: Snapshot, icon: Tag) -> Iterable[BadRef]:
    for attr in REF_ATTRS:
        raw = icon.get(attr)
        refs = (" ".join(raw) if isinstance(raw, list) else str(raw or "")).split()
        for ref in dict.fromkeys(refs):
            copies = page.ids.get(ref, [])
            if not copies:
                yield BadRef(attr, ref, 0)
            elif len(copies) > 1 and not _first_is_own(icon, copies):
                yield BadRef(attr, ref, len(copies))


def _first_is_own(icon: Tag, copies: list[Tag]) -> bool:
    """True when the copy the browser picks (the first) is the one closest to the icon."""
    depth_of = {id(node): depth for depth, node in enumerate(reversed(list(_ancestors(icon))))}

    def closeness(copy: Tag) -> int:
        for node in _ancestors(copy):
            if id(node) in depth_of:
                return depth_of[id(node)]
        return -1

    scores = [closeness(c) for c in copies]
    return scores[0] == max(scores)


def _ancestors(tag: Tag) -> Iterable[Tag]:
    """The tag and its ancestors, nearest first."""
    node: Tag | None = tag
    while isinstance(node, Tag):
        yield node
        node = node.parent if isinstance(node.parent, Tag) else None
