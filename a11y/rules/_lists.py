"""Shared helpers for the list rules: typed markers, ordinal sequences, blocks and their text.

A *marker* is what an author typed in front of an item to make it look like a list item:
an ordinal ("1.", "2)", "(3)", "b.", "iv.", "Step 2", or a bare "4" in its own badge element)
or a bullet glyph ("•", "–", "*", ...). The rules only read the browser-rendered snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bs4 import Comment, NavigableString, Tag

from ..snapshot import Snapshot

# Glyphs people type in front of lines to fake bullets (the spec's list plus a few close cousins).
BULLETS = "•·▪◦‣●○■□►▶➤→✓✔✗–—-*+◆♦➔➢"
# Check and cross marks usually say something (included / not included): not mere decoration.
MEANINGFUL_GLYPHS = "✓✔✗"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MEDIA = {"img", "picture", "video", "iframe", "canvas", "svg", "object", "embed", "audio"}
SKIP_TEXT = {"script", "style", "template", "noscript", "head", "title"}
INTERACTIVE = {"a", "button", "select", "option", "textarea", "input", "label", "summary"}
# Containers inside which typed markers are never a pseudo-list: real lists, tables, code,
# form controls, navigation, or widgets that already have their own roles.
EXCLUDED_TAGS = {"ul", "ol", "li", "dl", "menu", "table", "pre", "code", "samp", "kbd", "nav", "button", "select",
                 "textarea", "label", "fieldset", "option", "template", "noscript", "svg", "math", "figure", "figcaption"}
EXCLUDED_ROLES = {"list", "listitem", "navigation", "menu", "menubar", "tablist", "listbox", "tree", "grid", "table",
                  "radiogroup", "toolbar", "feed", "directory", "doc-toc", "doc-endnotes", "doc-footnote"}
# A marker typed inside one of these is not an item marker: links (pagination, footnote
# back-links, tables of contents), buttons (carousel dots), superscripts (footnote calls),
# headings (numbered headings are document structure).
MARKER_HOSTS = {"a", "button", "sup", "sub", "label", "select", "option"} | HEADINGS
INLINE_DISPLAYS = {"inline", "contents", "none", "table-cell", "table-row", "table-column", "ruby", "ruby-text"}
INLINE_TAGS = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q", "s",
               "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "img", "br", "wbr", "label"}

_DECIMAL = re.compile(r"^(\d{1,2})([.)])\s+(?=\S)")
_PAREN = re.compile(r"^\((\d{1,2})\)\s+(?=\S)")
_ALPHA = re.compile(r"^([a-zA-Z])([.)])\s+(?=\S)")
_ROMAN = re.compile(r"^([ivxlc]{1,6}|[IVXLC]{1,6})([.)])\s+(?=\S)")
_STEP = re.compile(r"^(step)\s+(\d{1,2})\b\s*[:.)\-–—]?\s*(?=\S)", re.IGNORECASE)
_BULLET = re.compile(r"^([" + re.escape(BULLETS) + r"])\s+(?=\S)")
# Glyphs that never start ordinary text, so a bullet typed flush against its item ("●Feature",
# common in Japanese pages) still counts; dashes, "*" and "+" need their space.
GLUED_BULLETS = "•●▪◦‣○■□►▶➤◆♦➔➢"
_GLUED_BULLET = re.compile(r"^([" + re.escape(GLUED_BULLETS) + r"])(?=[^\s" + re.escape(BULLETS) + r"])")
_BADGE = re.compile(r"^(?:#|no\.?\s*|step\s*)?0?(\d{1,2})[.):]?$", re.IGNORECASE)
# What the text of an item with a number badge starts with (cheap test before looking at children).
BADGE_START = re.compile(r"^(?:#|no\.?\s*|step\s*)?0?\d{1,2}[.):]?(?:\s|$|(?=\D))", re.IGNORECASE)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


@dataclass(frozen=True)
class Marker:
    """A typed list marker at the start of a text."""

    kind: str  # "ordinal" or "bullet"
    style: str  # "1." "1)" "(1)" "a." "A)" "i." "I." "step" "badge" for ordinals; the glyph for bullets
    value: int  # position for ordinals (1-based); 0 for bullets
    typed: str  # the marker as written, e.g. "2." or "•"

    @property
    def list_tag(self) -> str:
        return "ol" if self.kind == "ordinal" else "ul"

    @property
    def ol_type(self) -> str:
        """The ``type`` attribute an ``<ol>`` needs to keep this numbering style ('' for decimal)."""
        if self.style[:1] in ("a", "A"):
            return self.style[0]
        if self.style[:1] in ("i", "I"):
            return self.style[0]
        return ""


def roman_value(text: str) -> int | None:
    """The value of a canonical lower/upper-case roman numeral up to 399, else None."""
    low = text.lower()
    if not low or any(ch not in _ROMAN_VALUES for ch in low):
        return None
    total = 0
    for index, ch in enumerate(low):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[low[index + 1]] if index + 1 < len(low) else 0
        total += -value if value < following else value
    return total if total > 0 and to_roman(total) == low else None


def to_roman(value: int) -> str:
    out = ""
    for number, letters in ((100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while value >= number:
            out += letters
            value -= number
    return out


def parse_markers(text: str) -> list[Marker]:
    """Every reading of the marker at the start of ``text`` ("i." is both letter i and roman one)."""
    text = text.lstrip()
    found: list[Marker] = []
    if match := _DECIMAL.match(text):
        found.append(Marker("ordinal", "1" + match.group(2), int(match.group(1)), match.group(1) + match.group(2)))
    if match := _PAREN.match(text):
        found.append(Marker("ordinal", "(1)", int(match.group(1)), f"({match.group(1)})"))
    if match := _STEP.match(text):
        found.append(Marker("ordinal", "step", int(match.group(2)), f"{match.group(1)} {match.group(2)}"))
    if match := _ALPHA.match(text):
        letter, close = match.group(1), match.group(2)
        base = "a" if letter.islower() else "A"
        found.append(Marker("ordinal", base + close, ord(letter) - ord(base) + 1, letter + close))
    if match := _ROMAN.match(text):
        numeral, close = match.group(1), match.group(2)
        value = roman_value(numeral)
        if value is not None:
            found.append(Marker("ordinal", ("i" if numeral.islower() else "I") + close, value, numeral + close))
    if match := _BULLET.match(text) or _GLUED_BULLET.match(text):
        found.append(Marker("bullet", match.group(1), 0, match.group(1)))
    return found


def parse_badge(text: str) -> Marker | None:
    """A badge that holds only an ordinal: "1", "01", "1.", "#1", "Step 1"."""
    match = _BADGE.match(text.strip())
    if not match:
        return None
    value = int(match.group(1))
    return Marker("ordinal", "badge", value, text.strip()) if value > 0 else None


def strip_marker(text: str, marker: Marker) -> str:
    """``text`` without its leading marker."""
    text = text.lstrip()
    if marker.style == "badge":
        return text
    if marker.style == "step":
        return _STEP.sub("", text, count=1)
    return text[len(marker.typed):].lstrip() if text.startswith(marker.typed) else text


# -- sequences -----------------------------------------------------------------------------
@dataclass
class Run:
    """Consecutive items that share one marker style: ordinals counting from one, or one glyph."""

    start: int  # index of the first item in the sequence given to find_runs
    markers: list[Marker]

    @property
    def first(self) -> Marker:
        return self.markers[0]

    @property
    def size(self) -> int:
        return len(self.markers)


def find_runs(items: Sequence[Sequence[Marker]], min_ordinals: int = 2, min_bullets: int = 3) -> list[Run]:
    """Maximal runs of ordinals 1, 2, 3... (>= min_ordinals) or of one bullet glyph (>= min_bullets)."""
    runs: list[Run] = []
    index = 0
    while index < len(items):
        best = _longest_run_at(items, index)
        needed = min_ordinals if best and best[0].kind == "ordinal" else min_bullets
        if best and len(best) >= needed:
            runs.append(Run(index, best))
            index += len(best)
        else:
            index += 1
    return runs


def _longest_run_at(items: Sequence[Sequence[Marker]], index: int) -> list[Marker]:
    best: list[Marker] = []
    for marker in items[index]:
        if marker.kind == "ordinal" and marker.value != 1:
            continue
        run = [marker]
        for following in items[index + 1:]:
            nxt = next((m for m in following if _continues(run[-1], m)), None)
            if nxt is None:
                break
            run.append(nxt)
        if len(run) > len(best):
            best = run
    return best


def _continues(previous: Marker, marker: Marker) -> bool:
    if previous.kind != marker.kind or previous.style != marker.style:
        return False
    return marker.kind == "bullet" or marker.value == previous.value + 1


# -- elements and their text ----------------------------------------------------------------
def role_of(tag: Tag) -> str:
    role = tag.get("role")
    return role.strip().lower().split()[0] if isinstance(role, str) and role.strip() else ""


def is_heading(tag: Tag) -> bool:
    return tag.name in HEADINGS or role_of(tag) == "heading"


def is_block(page: Snapshot, tag: Tag) -> bool:
    """Laid out as a block (a block-level span counts, an inline div does not).

    Without browser facts (unit tests) the tag name decides.
    """
    if page.index_of(tag) not in page.facts:
        return tag.name not in INLINE_TAGS
    return page.facts_of(tag).display not in INLINE_DISPLAYS


def walk_text(page: Snapshot, tag: Tag, for_at: bool = False) -> Iterator[NavigableString | Tag]:
    """Displayed text nodes under ``tag`` in order, plus media elements (img, svg...) met on the way.

    With ``for_at`` the subtrees hidden from assistive technology are skipped as well. Iterative,
    so that absurdly deep markup cannot exhaust the recursion limit.
    """
    stack = [iter(tag.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if isinstance(child, Tag):
            if child.name in SKIP_TEXT or not page.is_displayed(child) or (for_at and page.is_at_hidden(child)):
                continue
            if child.name in MEDIA:
                yield child
                continue
            stack.append(iter(child.children))
        elif isinstance(child, NavigableString) and not isinstance(child, Comment):
            yield child


def leading(page: Snapshot, tag: Tag, limit: int = 80, for_at: bool = False) -> tuple[str, NavigableString | None]:
    """The first ``limit`` characters of the text and the node the text starts in.

    Empty when a picture comes before any text: then the item visibly starts with the picture.
    """
    parts: list[str] = []
    first: NavigableString | None = None
    size = 0
    for node in walk_text(page, tag, for_at):
        if isinstance(node, Tag):
            if first is None:
                return "", None
            continue
        if first is None:
            if not node.strip():
                continue
            first = node
        parts.append(str(node))
        size += len(node.strip()) + 1
        if size > limit:
            break
    return collapse("".join(parts)), first


def full_text(page: Snapshot, tag: Tag, for_at: bool = False) -> str:
    return collapse("".join(str(n) for n in walk_text(page, tag, for_at) if not isinstance(n, Tag)))


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def inside(node: NavigableString | Tag, stop: Tag, names: set[str]) -> bool:
    """Whether ``node`` sits in an element named in ``names``, up to and including ``stop``."""
    parent = node if isinstance(node, Tag) else node.parent
    while isinstance(parent, Tag):
        if parent.name in names:
            return True
        if parent is stop:
            return False
        parent = parent.parent
    return False


def badge_item(page: Snapshot, item: Tag, in_real_list: bool = False) -> tuple[Marker, str] | None:
    """The badge marker and the text of an item whose first child holds only an ordinal.

    Single-child wrappers are looked through. Outside real lists, rows whose other cells hold a
    picture first or a bare number (results tables built of divs), sections with their own
    heading and numbers inside links are not items; in the ``li`` of a real list
    (``in_real_list``) a ranked headline with a thumbnail, all in one link, is still an item.
    """
    node, parts = item, meaningful_children(page, item)
    for _ in range(3):
        if len(parts) != 1 or not isinstance(parts[0], Tag) or parts[0].name in MEDIA:
            break
        node = parts[0]
        parts = meaningful_children(page, node)
    if len(parts) < 2 or not isinstance(parts[0], Tag):
        return None
    badge = parts[0]
    if badge.name in MEDIA or inside(badge, item, MARKER_HOSTS - {"a"} if in_real_list else MARKER_HOSTS):
        return None
    text, _ = leading(page, badge, limit=12)
    marker = parse_badge(text) if len(text) <= 8 else None
    if marker is None:
        return None
    if not in_real_list and (_looks_tabular(page, parts[1:]) or any(_has_heading(page, part) for part in parts[1:])):
        return None
    rest = collapse(" ".join(full_text(page, p) if isinstance(p, Tag) else str(p) for p in parts[1:]))
    return (marker, rest) if any(ch.isalpha() for ch in rest) else None


def _looks_tabular(page: Snapshot, cells: list) -> bool:
    if isinstance(cells[0], Tag) and (cells[0].name in MEDIA or not leading(page, cells[0], limit=1)[0]):
        return True
    texts = [full_text(page, c) if isinstance(c, Tag) else collapse(str(c)) for c in cells]
    return len(cells) >= 2 and any(re.fullmatch(r"[\d\s.,:+\-–%()]+", t) for t in texts)


def _has_heading(page: Snapshot, part: NavigableString | Tag) -> bool:
    if not isinstance(part, Tag):
        return False
    heads = [part] if is_heading(part) else []
    heads += part.find_all(sorted(HEADINGS)) + part.find_all(attrs={"role": "heading"})
    return any(page.is_displayed(head) for head in heads)


def meaningful_children(page: Snapshot, tag: Tag) -> list[NavigableString | Tag]:
    """Child text with letters and displayed child elements that hold text or a picture."""
    parts: list[NavigableString | Tag] = []
    for child in tag.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            if child.strip():
                parts.append(child)
        elif page.is_displayed(child) and child.name not in SKIP_TEXT and (child.name in MEDIA or has_content(page, child)):
            parts.append(child)
    return parts


def has_content(page: Snapshot, tag: Tag) -> bool:
    text, first = leading(page, tag, limit=1)
    return bool(text) or first is not None or tag.find(list(MEDIA)) is not None


def in_excluded_context(tag: Tag) -> bool:
    """Inside a real list, a data table, code, a form control, navigation or an editable region."""
    node: Tag | None = tag
    while isinstance(node, Tag) and node.name not in ("body", "html", "[document]"):
        if node.name in EXCLUDED_TAGS and not (node.name == "table" and is_layout_table(node)):
            return True
        if role_of(node) in EXCLUDED_ROLES or node.get("contenteditable") in ("", "true"):
            return True
        node = node.parent if isinstance(node.parent, Tag) else None
    return False


def is_layout_table(table: Tag) -> bool:
    """A table used for page layout (old templates), not for data: no headers, no caption."""
    if role_of(table) in ("presentation", "none"):
        return True
    return role_of(table) == "" and table.find(["th", "thead", "caption"]) is None and table.find(["p", "div"]) is not None


def list_items(page: Snapshot, list_tag: Tag) -> list[Tag]:
    """The displayed items of a real list: ``li`` children, or ``role=listitem`` ones for ``role=list``."""
    wanted_role = "listitem" if list_tag.name not in ("ul", "ol", "menu") else ""
    items = []
    for child in list_tag.find_all(True, recursive=False):
        if not page.is_displayed(child):
            continue
        if (wanted_role and role_of(child) == wanted_role) or (not wanted_role and child.name == "li" and role_of(child) in ("", "listitem")):
            items.append(child)
    return items


def real_lists(page: Snapshot) -> Iterator[Tag]:
    """Displayed ``ul``/``ol`` elements and ``role=list`` elements exposed to assistive technology."""
    for tag in page.soup.find_all(["ul", "ol", "menu"]) + page.soup.find_all(attrs={"role": True}):
        if tag.name in ("ul", "ol", "menu"):
            if role_of(tag) not in ("", "list"):
                continue
        elif role_of(tag) != "list":
            continue
        if page.is_displayed(tag) and not page.is_at_hidden(tag):
            yield tag


def shorten(text: str, limit: int = 60) -> str:
    text = collapse(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:.-–—") + "…"


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def list_markup(marker: Marker, texts: Sequence[str], shown: int = 3, width: int = 40) -> str:
    """The ``<ol>``/``<ul>`` for the items, the first ``shown`` items written out, shortened."""
    tag = marker.list_tag
    opening = f'<ol type="{marker.ol_type}">' if tag == "ol" and marker.ol_type else f"<{tag}>"
    items = "".join(f"<li>{html_escape(shorten(text, width))}</li>" for text in texts[:shown])
    more = f"<!-- {len(texts) - shown} more <li> -->" if len(texts) > shown else ""
    return f"{opening}{items}{more}</{tag}>"


def describe_marker(marker: Marker, last: Marker | None = None) -> str:
    """How the message names the markers: '"1." to "5."', 'number badges 1 to 5', 'a typed "•"'."""
    if marker.kind == "bullet":
        return f'a typed "{marker.typed}"'
    if marker.style == "badge":
        return f"number badges {marker.value} to {last.value}" if last else f"number badge {marker.value}"
    return f'"{marker.typed}" to "{last.typed}"' if last else f'"{marker.typed}"'
