"""A rendered page as our rules see it: the DOM after scripts ran, parsed with html5lib,
plus what only the browser knows about each element (rendered? hidden from assistive
technology? accessible name? where on the page?).

Rules read only this, never Playwright, so they run on a saved snapshot without a browser.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.formatter import HTMLFormatter

INDEX_ATTR = "data-a11y-i"
SNIPPET_LIMIT = 300


class _SourceOrder(HTMLFormatter):
    """Serialise like a browser's outerHTML: attributes in source order, ``<img>`` not ``<img/>``."""

    def __init__(self) -> None:
        super().__init__(void_element_close_prefix="", empty_attributes_are_booleans=False)

    def attributes(self, tag: Tag):
        return [(k, v) for k, v in tag.attrs.items() if k != INDEX_ATTR]


SOURCE_ORDER = _SourceOrder()
_IDENT = re.compile(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$")


@dataclass(frozen=True)
class ElementFacts:
    """Browser facts about one element (see js/snapshot.js)."""

    display: str = "block"
    visible: bool = True  # painted on screen: displayed, not zero-size, not clipped away
    at_hidden: bool = False  # hidden from assistive technology (aria-hidden, inert, not displayed)
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    name: str | None = None  # accessible name computed by axe-core's accname code
    pseudo_before: str | None = None  # computed ::before content, for icon fonts

    @property
    def displayed(self) -> bool:
        return self.display != "none"

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> ElementFacts:
        return cls(
            display=raw.get("d", "block"),
            visible=bool(raw.get("v", True)),
            at_hidden=bool(raw.get("h", False)),
            box=tuple(raw.get("b", (0, 0, 0, 0))),  # type: ignore[arg-type]
            name=raw.get("n"),
            pseudo_before=raw.get("pb"),
        )


ASSUMED = ElementFacts()  # for elements the browser did not report (e.g. noscript content)


@dataclass
class Snapshot:
    """The rendered page: ``soup`` plus ``facts`` keyed by document-order index."""

    html: str
    facts: dict[int, ElementFacts]
    url: str = ""
    title: str = ""
    size: tuple[int, int] = (0, 0)
    target_boxes: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_browser(cls, raw: dict[str, Any]) -> Snapshot:
        facts = {int(item["i"]): ElementFacts.from_raw(item) for item in raw.get("elements", [])}
        return cls(
            html=raw.get("html", ""),
            facts=facts,
            url=raw.get("url", ""),
            title=raw.get("title", ""),
            size=tuple(raw.get("size", (0, 0))),  # type: ignore[arg-type]
            target_boxes=raw.get("targets", {}),
        )

    @classmethod
    def from_html(cls, html: str, facts: dict[int, ElementFacts] | None = None) -> Snapshot:
        """A snapshot without a browser: every element assumed rendered and exposed.

        Used by unit tests of pure rule logic; ``facts`` may override elements by index.
        """
        soup = BeautifulSoup(html, "html5lib")
        for index, tag in enumerate(soup.find_all(True)):
            tag[INDEX_ATTR] = str(index)
        snapshot = cls(html=str(soup), facts=facts or {})
        snapshot.__dict__["soup"] = soup
        return snapshot

    def to_json(self) -> str:
        """Save for browser-free rule tests (``load``)."""
        return json.dumps({
            "html": self.html, "url": self.url, "title": self.title, "size": list(self.size),
            "elements": [
                {"i": i, "d": f.display, "v": f.visible, "h": f.at_hidden, "b": list(f.box), "n": f.name, "pb": f.pseudo_before}
                for i, f in sorted(self.facts.items())
            ],
        })

    @classmethod
    def load(cls, path: Path) -> Snapshot:
        return cls.from_browser(json.loads(path.read_text(encoding="utf-8")))

    def release(self) -> None:
        """Free the parsed tree now: bs4 trees are reference cycles, which otherwise wait for the
        cyclic collector and keep a long run's memory climbing."""
        soup = self.__dict__.pop("soup", None)
        if soup is not None:
            soup.decompose()
        for name in ("by_index", "ids"):
            self.__dict__.pop(name, None)

    @cached_property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.html, "html5lib")

    @cached_property
    def by_index(self) -> dict[int, Tag]:
        return {int(tag[INDEX_ATTR]): tag for tag in self.soup.find_all(attrs={INDEX_ATTR: True})}

    @cached_property
    def ids(self) -> dict[str, list[Tag]]:
        """Every id in the document and the elements that carry it (duplicates included)."""
        found: dict[str, list[Tag]] = {}
        for tag in self.soup.find_all(id=True):
            found.setdefault(str(tag["id"]), []).append(tag)
        return found

    # -- facts -------------------------------------------------------------------------
    def facts_of(self, tag: Tag) -> ElementFacts:
        index = tag.get(INDEX_ATTR)
        return self.facts.get(int(index), ASSUMED) if index is not None else ASSUMED

    def is_displayed(self, tag: Tag) -> bool:
        """False when hidden from everyone (display:none, visibility:hidden, hidden attribute)."""
        return self.facts_of(tag).displayed

    def is_visible(self, tag: Tag) -> bool:
        return self.facts_of(tag).visible

    def is_at_hidden(self, tag: Tag) -> bool:
        return self.facts_of(tag).at_hidden

    def accessible_name(self, tag: Tag) -> str | None:
        return self.facts_of(tag).name

    def index_of(self, tag: Tag) -> int | None:
        index = tag.get(INDEX_ATTR)
        return int(index) if index is not None else None

    # -- describing elements in findings -----------------------------------------------
    def snippet(self, tag: Tag, limit: int = SNIPPET_LIMIT) -> str:
        """The element's outer HTML without our index attributes, cut to ``limit`` chars."""
        text = tag.decode(formatter=SOURCE_ORDER)
        text = re.sub(r"\s+", " ", text)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def selector(self, tag: Tag) -> str:
        """The shortest unique CSS selector we can build, preferring ids, as axe-core does.

        The path up to the nearest element with a unique id (or to ``body``) is unique by
        construction; its last one to three steps are tried first, so at most three queries run
        per finding, however deep the markup.
        """
        steps: list[str] = []
        node: Tag | None = tag
        while node is not None:
            element_id = node.get("id")
            if isinstance(element_id, str) and _IDENT.match(element_id) and len(self.ids.get(element_id, [])) == 1:
                steps.insert(0, f"#{element_id}")
                break
            steps.insert(0, self._step(node))
            if node.name in ("html", "body"):
                break
            node = node.parent if isinstance(node.parent, Tag) and node.parent.name != "[document]" else None
        for length in range(1, min(3, len(steps) - 1) + 1):
            candidate = " > ".join(steps[-length:])
            if self._unique(candidate):
                return candidate
        return " > ".join(steps)

    def _step(self, node: Tag) -> str:
        name = node.name
        parent = node.parent
        if name in ("html", "body", "head") or not isinstance(parent, Tag):
            return name
        same = [sib for sib in parent.find_all(name, recursive=False)]
        if len(same) == 1:
            return name
        return f"{name}:nth-of-type({same.index(node) + 1})"

    def _unique(self, selector: str) -> bool:
        try:
            return len(self.soup.select(selector, limit=2)) == 1
        except Exception:  # noqa: BLE001 - soupsieve rejects some exotic names
            return False

    def box(self, tag: Tag) -> dict[str, float] | None:
        x, y, w, h = self.facts_of(tag).box
        if tag.get(INDEX_ATTR) is None or (w == 0 and h == 0):
            return None
        return {"x": x, "y": y, "width": w, "height": h}

