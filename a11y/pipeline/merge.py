"""One problem, one finding: merge findings that report the same cause on the same element.

A captioned ``<img>`` without alt used to give two critical violations (axe-core's ``image-alt``
and our ``alt-missing-captioned``), and an icon link with a broken ``aria-labelledby`` five. Each
:class:`MergePair` says which finding survives (``keep``: the more specific rule, whose message and
suggestion say more) and which one it absorbs. The survivor keeps its own rule, target and
fingerprint, takes the higher impact and the union of WCAG criteria, tags and ACT ids, and lists the
absorbed rules in ``also`` (their fingerprints in ``also_fingerprints``, so a baseline entry or a
review decision made on either still applies).

Elements are matched by their index in the snapshot (our rules record it; axe-core's selectors
are resolved in the same parsed document), so two selectors of one element still match. A
violation is never absorbed into a finding that only needs review.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from bs4 import Tag

from ..model import IMPACT_RANK, Finding
from ..snapshot import INDEX_ATTR, Snapshot

# An axe-core target that is one id and nothing else (no escapes): found in the snapshot's id index.
SIMPLE_ID = re.compile(r"#(-?[A-Za-z_][\w-]*)")

Where = Literal["element", "control"]


@dataclass(frozen=True)
class MergePair:
    keep: str  # the more specific rule: its message, suggestion, target and fingerprint survive
    absorb: str  # the rule whose finding says the same thing less precisely
    where: Where  # "element": the same element; "control": the same element or the link/button the icon is in
    why: str  # for docs/rules.md
    when: str = ""  # text the absorbed finding's message must contain (axe checks that cover several causes)


# In order: a more specific survivor first, so what it absorbs is not claimed by a vaguer one.
MERGE_PAIRS: tuple[MergePair, ...] = (
    MergePair("icon-label-broken-ref", "icon-missing-label", "element", "the broken reference is why the icon has no name"),
    MergePair("icon-label-broken-ref", "aria-valid-attr-value", "element", "axe-core's check of the same missing id",
              when="aria-labelledby"),
    MergePair("icon-label-broken-ref", "svg-img-alt", "element", "the icon has no name because of the broken reference"),
    MergePair("icon-label-broken-ref", "role-img-alt", "element", "the icon has no name because of the broken reference"),
    MergePair("icon-label-broken-ref", "image-alt", "element", "the icon has no name because of the broken reference"),
    MergePair("icon-label-broken-ref", "link-name", "control", "the link's only content is the unnamed icon"),
    MergePair("icon-label-broken-ref", "button-name", "control", "the button's only content is the unnamed icon"),
    MergePair("alt-missing-captioned", "image-alt", "element", "the same missing alt; ours knows the caption"),
    MergePair("icon-missing-label", "image-alt", "element", "the same unnamed icon image"),
    MergePair("icon-missing-label", "svg-img-alt", "element", "the same unnamed icon"),
    MergePair("icon-missing-label", "role-img-alt", "element", "the same unnamed icon"),
    MergePair("icon-missing-label", "link-name", "control", "the link's only content is the unnamed icon"),
    MergePair("icon-missing-label", "button-name", "control", "the button's only content is the unnamed icon"),
    MergePair("icon-label-redundant", "image-redundant-alt", "element", "the icon's alt repeats the control's text"),
    MergePair("alt-duplicates-caption", "image-redundant-alt", "element", "the alt repeats the text beside the image"),
)


def merge_findings(findings: list[Finding], snapshot: Snapshot | None, pairs: Iterable[MergePair] = MERGE_PAIRS) -> list[Finding]:
    """The findings with duplicates absorbed into their more specific survivor; order kept."""
    pairs = tuple(pairs)
    rules = {p.keep for p in pairs} | {p.absorb for p in pairs}
    if len({f.rule for f in findings} & rules) < 2:
        return findings  # nothing to merge: most pages
    merged = list(findings)  # a survivor is replaced by itself with what it absorbed
    elements = _Elements(snapshot)
    absorbed: set[int] = set()  # positions in ``merged``
    for pair in pairs:
        for at in [i for i, f in enumerate(merged) if f.rule == pair.keep and f.outcome != "error" and i not in absorbed]:
            spots = elements.spots(merged[at], pair.where)
            if not spots:
                continue
            for other_at, other in enumerate(merged):
                if other.rule == pair.absorb and other_at not in absorbed and other_at != at and _may_absorb(merged[at], other, pair) \
                        and elements.index_of(other) in spots:
                    merged[at] = absorb(merged[at], other)
                    absorbed.add(other_at)
                    break
    return [f for i, f in enumerate(merged) if i not in absorbed]


def _may_absorb(keeper: Finding, other: Finding, pair: MergePair) -> bool:
    if other.outcome == "error" or (other.outcome == "violation" and keeper.outcome != "violation"):
        return False  # a violation never hides inside a finding that only needs review
    return not pair.when or pair.when in other.message


def absorb(keeper: Finding, other: Finding) -> Finding:
    """``keeper`` with ``other`` folded in: the higher impact, every criterion, the other's ids in ``also``."""
    higher = IMPACT_RANK.get(other.impact, 9) < IMPACT_RANK.get(keeper.impact, 9)
    return replace(
        keeper,
        impact=other.impact if higher else keeper.impact,
        wcag=_union(keeper.wcag, other.wcag),
        tags=_union(keeper.tags, other.tags),
        act=_union(keeper.act, other.act),
        also=_union(keeper.also, [other.rule, *other.also]),
        also_fingerprints=_union(keeper.also_fingerprints, [other.fingerprint, *other.also_fingerprints]),
        also_targets=_union(keeper.also_targets, [other.target, *other.also_targets]),
        box=keeper.box if keeper.box is not None else other.box,
    )


def _union(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *(item for item in second if item)]))


class _Elements:
    """Which snapshot element each finding is on: our findings say it, axe-core's selectors are resolved."""

    def __init__(self, snapshot: Snapshot | None) -> None:
        self.snapshot = snapshot
        self._resolved: dict[str, int | None] = {}

    def index_of(self, finding: Finding) -> int | None:
        if finding.element_index is not None:
            return finding.element_index
        tag = self._tag_for_target(finding.target)
        return _index(tag)

    def spots(self, keeper: Finding, where: Where) -> set[int]:
        """The element indices a finding merged into ``keeper`` may be on."""
        index = self.index_of(keeper)
        if index is None:
            return set()
        spots = {index}
        if where == "control" and self.snapshot is not None:
            from ..rules._icons import control_of

            tag = self.snapshot.by_index.get(index)
            control = control_of(tag) if tag is not None else None
            if _index(control) is not None:
                spots.add(_index(control))  # type: ignore[arg-type]
        return spots

    def _tag_for_target(self, target: str) -> Tag | None:
        if self.snapshot is None or " |> " in target or " >>> " in target:
            return None  # in a frame or a shadow root: not in the snapshot's document
        if target not in self._resolved:
            self._resolved[target] = _index(self._select(target))
        index = self._resolved[target]
        return self.snapshot.by_index.get(index) if index is not None else None

    def _select(self, target: str) -> Tag | None:
        if self.snapshot is None:
            return None
        only_id = SIMPLE_ID.fullmatch(target)
        if only_id:  # most of axe's targets: the id index answers without walking the tree (measured: 9 s of 40 real pages)
            tags = self.snapshot.ids.get(only_id.group(1), [])
            return tags[0] if len(tags) == 1 else None
        try:
            found = self.snapshot.soup.select(target, limit=2)
        except Exception:  # noqa: BLE001 - soupsieve rejects some selectors browsers accept
            return None
        return found[0] if len(found) == 1 else None


def _index(tag: Tag | None) -> int | None:
    value = tag.get(INDEX_ATTR) if tag is not None else None
    return int(value) if isinstance(value, str) and value.isdigit() else None
