"""Shared helpers for the icon rules: what counts as an icon, what it seems to show, and
whether its name is a generic word.

An icon is an element rendered small (both sides at most 48 CSS px) that is an inline ``<svg>``
(``<use>`` sprites included), an ``<img>``, an element with ``role=img``, or an icon-font
element: an ``i``/``span`` with an icon-font class (``fa-*``, ``bi-*``, ``glyphicon-*``,
``material-icons``, ``icon-*``, ``usa-icon``, ``dashicons-*``...) or whose ``::before`` draws a
private-use-area glyph.

Material Icons / Material Symbols ligatures (``<span class="material-icons">search</span>``):
the ligature word is real text, and a screen reader reads it, so it counts as the icon's name.
An unnamed-icon rule therefore does not fire on it; a ligature that reads as a code token
("arrow_back") is a generic, class-like name, and one that repeats the text beside it is
redundant.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bs4 import NavigableString, Tag
from bs4.element import Comment

from ..snapshot import Snapshot

ICON_MAX_PX = 48
BROKEN_IMAGE_BOX = (16, 16)  # Chrome's box for an unloaded image that declares no size
UNSTYLED_SVG_BOX = (300, 150)  # the default size of an inline svg that declares none

# Roles that make an element a control whose name can come from its content.
CONTROL_ROLES = frozenset({
    "button", "link", "menuitem", "menuitemcheckbox", "menuitemradio", "tab", "checkbox", "radio",
    "switch", "option", "treeitem", "combobox",
})
IMAGE_ROLES = frozenset({"img", "image", "graphics-symbol", "graphics-document"})
HIDING_ROLES = frozenset({"presentation", "none"})

_FONT_CLASS = re.compile(
    r"^(?:fa|fas|far|fal|fab|fad|fat|fa-.+|bi|bi-.+|glyphicon|glyphicon-.+|material-icons.*|material-symbols.*"
    r"|icon|icon-.+|icon_.+|icons?--.+|usa-icon|dashicons|dashicons-.+|icofont-.+|ion-.+|ti-.+|las|lab|la-.+"
    r"|mdi|mdi-.+|octicon|octicon-.+|feather|feather-.+|ri-.+|uil|uil-.+|lni|lni-.+|fi|fi-.+|wi|wi-.+|ph|ph-.+)$",
    re.I,
)
_LIGATURE_CLASS = re.compile(r"^material-(?:icons|symbols)", re.I)
_PUA = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
_INVISIBLE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd\u200b-\u200d\ufeff\\s]+")


# -- what counts as an icon -------------------------------------------------------------
def role_of(tag: Tag) -> str:
    """The first token of the explicit role attribute, lower-cased ('' when none)."""
    raw = tag.get("role")
    text = " ".join(raw) if isinstance(raw, list) else str(raw or "")
    return text.strip().lower().split(" ")[0] if text.strip() else ""


def classes_of(tag: Tag) -> list[str]:
    raw = tag.get("class")
    if isinstance(raw, list):
        return [str(c) for c in raw]
    return str(raw or "").split()


def has_pua_glyph(text: str | None) -> bool:
    return bool(text) and bool(_PUA.search(text or ""))


def is_blank_name(name: str | None) -> bool:
    """True when a name says nothing: empty, whitespace, or only private-use icon-font glyphs."""
    return not _INVISIBLE.sub("", name or "")


def _own_text(tag: Tag) -> str:
    return "".join(str(s) for s in tag.find_all(string=True) if not isinstance(s, Comment))


def is_ligature_icon(tag: Tag) -> bool:
    return tag.name in ("i", "span") and any(_LIGATURE_CLASS.match(c) for c in classes_of(tag))


def _is_font_icon(page: Snapshot, tag: Tag) -> bool:
    if tag.name not in ("i", "span"):
        return False
    pua = has_pua_glyph(page.facts_of(tag).pseudo_before)
    if not pua and not any(_FONT_CLASS.match(c) for c in classes_of(tag)):
        return False
    if tag.find(True) is not None:
        return False  # a wrapper (fa-stack, a span around an svg): the element inside is the icon
    if pua:
        return True
    # An icon-font element is empty (the glyph is CSS) or holds a ligature word / a PUA character.
    return is_ligature_icon(tag) or is_blank_name(_own_text(tag))


def icon_kind(page: Snapshot, tag: Tag) -> str | None:
    """'svg', 'img', 'role-img' or 'font' when ``tag`` is an icon by its markup, else None (size not checked)."""
    name = tag.name
    if name == "svg":
        return None if tag.find_parent("svg") is not None else "svg"
    if name == "img":
        return "img"
    if role_of(tag) in ("img", "image") and not tag.find_parent("svg"):
        return "role-img"
    if name in ("i", "span") and _is_font_icon(page, tag):
        return "font"
    return None


def is_small(page: Snapshot, tag: Tag, kind: str | None = None) -> bool:
    """Rendered at most 48 x 48 CSS px. Without their stylesheet some icons render at a size
    that says nothing: an empty icon-font element at 0 x 0, an inline svg at the default
    300 x 150, an image that did not load at its alt text's size; those count by their markup."""
    _, _, width, height = page.facts_of(tag).box
    if tag.name == "img":
        return _small_image(tag, width, height)
    if tag.name == "svg" and not _declares_size(tag) and (width > ICON_MAX_PX or height > ICON_MAX_PX or width == 0 or height == 0):
        if (width, height) == UNSTYLED_SVG_BOX:
            return tag.find("use") is not None or control_of(tag) is not None
        return _small_view_box(tag)  # an unsized svg stretched to its container, or shrunk to nothing
    if width > ICON_MAX_PX or height > ICON_MAX_PX:
        # Without the site's CSS an icon renders at its intrinsic size (USWDS's lock at 52 x 64):
        # an icon-library class or a sprite reference still says icon, up to a larger size.
        return width <= ICON_MARKUP_MAX_PX and height <= ICON_MARKUP_MAX_PX and iconish_markup(tag)
    return (width, height) != (0, 0) or (kind or icon_kind(page, tag)) == "font"


ICON_MARKUP_MAX_PX = 96
_ICON_LIBRARY_CLASS = re.compile(r"^(?:usa-icon|usa-banner__lock-image|usa-banner__icon|svg-inline--fa|bi|material-(?:icons|symbols).*)$"
                                 r"|(?:^|[-_])icons?(?:$|[-_])", re.I)


def iconish_markup(tag: Tag) -> bool:
    """Icon by markup, whatever its size: an icon-library class (USWDS, Font Awesome, Material,
    Bootstrap) on it or its wrapper, or an svg drawing a sprite symbol (``<use href="#icon-…">``)."""
    owners = [tag, tag.parent] if isinstance(tag.parent, Tag) else [tag]
    for owner in owners:
        if any(_FONT_CLASS.match(c) or _ICON_LIBRARY_CLASS.search(c) for c in classes_of(owner)):
            return True
    return tag.name == "svg" and any(re.search(r"icon|sprite|symbol|\.svg#", ref, re.I) for ref in _use_refs(tag))


def _use_refs(svg: Tag) -> list[str]:
    return [str(use.get(attr) or "") for use in svg.find_all("use") for attr in ("href", "xlink:href") if use.get(attr)]



def _small_view_box(svg: Tag) -> bool:
    """Drawn on an icon-sized grid (viewBox at most 64 x 64 units, e.g. "0 0 24 24")."""
    parts = re.split(r"[\s,]+", str(svg.get("viewbox") or svg.get("viewBox") or "").strip())
    try:
        width, height = float(parts[2]), float(parts[3])
    except (IndexError, ValueError):
        return False
    return 0 < width <= 64 and 0 < height <= 64


def _declares_size(tag: Tag) -> bool:
    return bool(tag.get("width") or tag.get("height") or re.search(r"(?:^|;)\s*(?:width|height)\s*:", str(tag.get("style") or "")))


def _small_image(img: Tag, width: int, height: int) -> bool:
    """Images that did not load render at a size that is not theirs: trust only what tells."""
    declared = [re.match(r"\s*(\d+)", str(img.get(attr) or "")) for attr in ("width", "height")]
    if any(d and int(d.group(1)) > ICON_MAX_PX for d in declared) or _declared_big(img):
        return False
    if (width <= 2 and height <= 2) or _is_lazy_placeholder(img) or _SPACER_SRC.search(_file_name(img)):
        return False
    name = _file_name(img)
    iconish = bool(_ICONISH_SRC.search(name)) and not re.search(r"logo|banner|brand|masthead", name, re.I)
    if not _declares_size(img):
        if (width, height) == BROKEN_IMAGE_BOX:
            # Chrome draws an unloaded image with no size as a 16 x 16 broken-image box.
            return iconish
        if width > ICON_MAX_PX and height <= 24 and img.get("alt"):
            # ... and an unloaded image with alt text as that text on one line.
            return iconish
    return width <= ICON_MAX_PX and height <= ICON_MAX_PX


def _declared_big(img: Tag) -> bool:
    """Markup that says the image is a content picture: a wide srcset candidate, a responsive
    class, or a width asked of the image server."""
    srcset = str(img.get("srcset") or img.get("data-srcset") or "")
    if any(int(w) > 2 * ICON_MAX_PX for w in re.findall(r"\s(\d+)w\b", srcset)):
        return True
    if any(_CONTENT_IMAGE_CLASS.match(c) for c in classes_of(img)):
        return True
    query = urlsplit(str(img.get("src") or "")).query
    if any(int(v) > 2 * ICON_MAX_PX for v in re.findall(r"(?:^|&)(?:w|width)=(\d+)", query)):
        return True
    size_in_name = re.search(r"(\d{2,4})x(\d{2,4})", _file_name(img))
    return bool(size_in_name) and max(int(size_in_name.group(1)), int(size_in_name.group(2))) > 2 * ICON_MAX_PX


_CONTENT_IMAGE_CLASS = re.compile(
    r"^(?:img-fluid|img-responsive|wp-post-image|size-(?:large|full|medium|medium_large)|attachment-(?!thumbnail).+|wp-image-\d+"
    r"|hero.*|featured.*|cover.*|poster.*)$", re.I)

_SPACER_SRC = re.compile(r"^(?:spacer|space|blank|pixel|transparent|clear|dot|1x1|s)\.(?:gif|png)$|^(?:spacer|blank|pixel)", re.I)
_ICONISH_SRC = re.compile(
    r"icon|ico\b|favicon|sprite|glyph|\b(?:fb|facebook|twitter|linkedin|youtube|instagram|pinterest|whatsapp|rss|feed|mail|email"
    r"|print|share|search|arrow|close|menu|lock|star|comment|play|pdf)\b|\.(?:svg|ico)$",
    re.I,
)


def _file_name(img: Tag) -> str:
    src = str(img.get("src") or "")
    return "" if src.startswith("data:") else unquote(urlsplit(src).path.rsplit("/", 1)[-1])


def _is_lazy_placeholder(img: Tag) -> bool:
    """A lazy-loading stand-in (tiny data: URI or blank gif with the real source in data-*)."""
    lazy_attr = any(str(k).startswith("data-") and ("src" in str(k) or "lazy" in str(k)) for k in img.attrs)
    src = str(img.get("src") or "")
    return lazy_attr and (src.startswith("data:") or not src or re.search(r"(blank|spacer|pixel|placeholder|lazy)", src, re.I) is not None)


def iter_icons(page: Snapshot) -> list[tuple[Tag, str]]:
    """Every displayed, small icon on the page with its kind, in document order.

    The four icon rules each ask for this list, so it is computed once per snapshot.
    """
    cached = _ICONS_SEEN.get(id(page))
    if cached is not None and cached[0]() is page:
        return cached[1]
    icons = [(tag, kind) for tag in all_tags(page) if _may_be_icon(tag)
             and page.is_displayed(tag) and (kind := icon_kind(page, tag)) and is_small(page, tag, kind)]
    for key in [k for k, (ref, _) in _ICONS_SEEN.items() if ref() is None]:
        _ICONS_SEEN.pop(key, None)
    _ICONS_SEEN[id(page)] = (weakref.ref(page), icons)
    return icons


# id(snapshot) -> (weak reference to it, its icons); entries die with their snapshot.
_ICONS_SEEN: dict[int, tuple[weakref.ref, list[tuple[Tag, str]]]] = {}


def all_tags(page: Snapshot) -> Iterator[Tag]:
    """Every element in document order (a plain walk: cheaper than find_all with a filter)."""
    return (node for node in page.soup.descendants if isinstance(node, Tag))


def _may_be_icon(tag: Tag) -> bool:
    """Cheap pre-filter: the tags and attributes an icon can have."""
    return tag.name in ("svg", "img", "i", "span") or "role" in tag.attrs


def is_exposed(page: Snapshot, tag: Tag) -> bool:
    """Rendered and in the accessibility tree (not aria-hidden, not presentational, not alt="")."""
    if not page.is_displayed(tag) or page.is_at_hidden(tag):
        return False
    role = role_of(tag)
    if role in HIDING_ROLES and not tag.get("aria-label") and not tag.get("aria-labelledby"):
        return False
    return not (tag.name == "img" and tag.get("alt") == "" and role not in ("img", "image"))


def exposed_icons(page: Snapshot) -> Iterator[tuple[Tag, str]]:
    for tag, kind in iter_icons(page):
        if is_exposed(page, tag) and not in_hidden_state(tag):
            yield tag, kind


# Classes of the wrappers a toggle shows only in its pressed / open state ("Search" becomes "Close").
_TOGGLED_STATE = re.compile(r"^(?:is-)?(?:active|pressed|open|opened|expanded|close|close-x|closed?-icon|on|toggled|selected)$", re.I)


def in_hidden_state(tag: Tag) -> bool:
    """Inside a toggle's pressed-state wrapper (``span.active``, ``span.close-x``) of a control
    that holds more than one icon: the page's CSS shows it only once the control is used, so
    when the CSS did not load every state renders and their names pile up ("Search Search
    Close"). Only the resting state's icon is judged."""
    control = control_of(tag, with_label=True)
    node = tag.parent
    while isinstance(node, Tag) and node is not control and control is not None:
        if any(_TOGGLED_STATE.match(c) for c in classes_of(node)):
            return len(control.find_all(["svg", "img", "i"], limit=2)) > 1
        node = node.parent
    return False


def looks_decorative(page: Snapshot, tag: Tag) -> bool:
    """A tiny image or one whose file name says it is page furniture (bullet, corner, separator)."""
    _, _, width, height = page.facts_of(tag).box
    if 0 < width <= 8 and 0 < height <= 8:
        return True
    return tag.name == "img" and bool(_FURNITURE_SRC.search(_file_name(tag)))


_FURNITURE_SRC = re.compile(r"(?:^|[-_./])(?:sep|separator|corner|bullet|li|dot|divider|border|bg|background|shadow|line|spacer)(?=[-_.\d]|$)", re.I)


def has_image_role(tag: Tag, kind: str) -> bool:
    return kind == "img" or role_of(tag) in IMAGE_ROLES


# -- names --------------------------------------------------------------------------------
def icon_name(page: Snapshot, tag: Tag) -> str:
    """The icon's accessible name as the browser computed it; for elements the snapshot did not
    name (an ``i``/``span`` without icon classes), its aria-label, title or text."""
    name = page.accessible_name(tag)
    if name is None:
        name = str(tag.get("aria-label") or tag.get("title") or _own_text(tag))
    return re.sub(r"\s+", " ", name).strip()


def clean_name(name: str) -> str:
    """A name without icon-font glyphs and extra spaces."""
    return re.sub(r"\s+", " ", _PUA.sub("", name or "")).strip()


def name_source(page: Snapshot, tag: Tag) -> str:
    """Where the icon's name comes from, to say what to change ("alt", "aria-label", "<desc id=...>")."""
    labelledby = str(tag.get("aria-labelledby") or "").split()
    if labelledby:
        target = page.ids.get(labelledby[0])
        if target:
            return f'the text of <{target[0].name} id="{labelledby[0]}">'
    if tag.get("aria-label"):
        return "aria-label"
    if tag.name == "img":
        return "alt"
    if tag.name == "svg" and tag.find("title") is not None:
        return "<title>"
    if tag.get("title"):
        return "title"
    return "text"


def naming_attribute(kind: str) -> str:
    """The attribute that should carry a name for this icon."""
    return "alt" if kind == "img" else "aria-label"


def hide_advice(kind: str) -> str:
    """How to hide this icon from assistive technology."""
    if kind == "img":
        return 'alt="" (and aria-hidden="true")'
    if kind == "svg":
        return 'aria-hidden="true" and focusable="false"'
    return 'aria-hidden="true"'


def shorten(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- controls -----------------------------------------------------------------------------
def is_control(tag: Tag) -> bool:
    name = tag.name
    if name == "a" and tag.get("href") is not None:
        return True
    if name in ("button", "summary"):
        return True
    return role_of(tag) in CONTROL_ROLES


def control_of(icon: Tag, with_label: bool = False) -> Tag | None:
    """The nearest link, button or other control holding the icon (or the icon itself when it is
    one); with ``with_label``, a ``<label>`` counts too."""
    node: Tag | None = icon
    while isinstance(node, Tag) and node.name not in ("body", "html", "[document]"):
        if is_control(node) or (with_label and node.name == "label"):
            return node
        node = node.parent if isinstance(node.parent, Tag) else None
    return None


def describe_control(control: Tag) -> str:
    role = role_of(control)
    if role in CONTROL_ROLES:
        return role
    return {"a": "link", "button": "button", "summary": "disclosure", "label": "label"}.get(control.name, control.name)


def text_beside(page: Snapshot, container: Tag, icon: Tag) -> str:
    """Text in ``container`` that assistive technology reads, outside the icon itself."""
    parts: list[str] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif isinstance(child, Tag):
                if child is icon or child.name in ("script", "style", "template", "noscript") or page.is_at_hidden(child):
                    continue
                if any(_TOGGLED_STATE.match(c) for c in classes_of(child)):
                    continue  # a toggle's pressed-state content: not what the resting control says
                walk(child)
                parts.append(" ")

    walk(container)
    return clean_name(" ".join(parts))


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", (text or "").lower())


def repeats_text(name: str, beside: str) -> bool:
    """True when the icon's name (generic words aside) is said again, word for word, by the text beside it."""
    name_words = [w for w in words(name) if w not in _RIDING_WORDS]
    beside_words = words(beside)
    if not name_words or not beside_words:
        return False
    joined = " " + " ".join(beside_words) + " "
    return " " + " ".join(name_words) + " " in joined


def redundant_in_control(page: Snapshot, icon: Tag) -> tuple[Tag, str] | None:
    """(container, text beside) when the icon's name repeats the text beside it inside a link,
    button or label whose name comes from its content; else None."""
    container = control_of(icon, with_label=True)
    if container is None or container is icon:
        return None
    if container.get("aria-label") or container.get("aria-labelledby"):
        return None  # the container's own name wins; the icon is not read as part of it
    name = clean_name(icon_name(page, icon))
    if not name:
        return None
    beside = text_beside(page, container, icon)
    return (container, beside) if repeats_text(name, beside) else None


# -- generic names ------------------------------------------------------------------------
GENERIC_WORDS = frozenset({"icon", "icons", "image", "images", "img", "svg", "graphic", "graphics", "glyph", "picture", "pic", "symbol"})
_RIDING_WORDS = frozenset({"icon", "icons"})
_RIDING_PHRASE = re.compile(r"^\s*(?:an?\s+)?(?:icon|image|graphic|picture|illustration|photo)\s+of\s+(?:an?\s+|the\s+)?", re.I)
_RIDING_ICON = re.compile(r"(?:\s*[-–:|,]\s*|\s+|^)icons?\b|\bicons?(?:\s*[-–:|,]\s*|\s+)(?=\S)", re.I)
_FILE_NAME = re.compile(r"^[\w\-. ]+\.(?:svg|png|jpe?g|gif|webp|ico|bmp|avif)$", re.I)
_ICONISH_PART = re.compile(r"^(?:icon|icons|ic|ico|fa|fas|far|fab|bi|svg|img|glyph|glyphicon|sprite|dashicons|mdi|\d+(?:px|x|dp))$", re.I)


@dataclass(frozen=True)
class GenericName:
    """How a name is generic: ``only`` (nothing but a generic word, file or class name) or
    ``riding`` (a real name with "icon" / "image of" attached); ``better`` is the name to use."""

    kind: str
    better: str


def is_class_like(name: str) -> bool:
    """A code token, not words: "icon-lock", "fa-lock", "ic_search_24px", "arrow_back"."""
    token = name.strip()
    if not token or " " in token or not re.fullmatch(r"[A-Za-z0-9_\-]+", token):
        return False
    if "_" in token:
        return True
    parts = [p for p in token.split("-") if p]
    return len(parts) >= 2 and any(_ICONISH_PART.match(p) for p in parts)


def generic_name(name: str) -> GenericName | None:
    """Classify an icon's name; None when it is a real name."""
    text = clean_name(name)
    if not words(text):
        return None  # punctuation or emoji only: not a generic word
    if all(w in GENERIC_WORDS for w in words(text)):
        return GenericName("only", "")
    if _FILE_NAME.match(text) or is_class_like(text):
        return GenericName("only", humanise(token_words(text)))
    stripped = _RIDING_PHRASE.sub("", text)
    if stripped != text and stripped.strip():
        return GenericName("riding", _tidy(stripped))
    without_icon = _RIDING_ICON.sub(" ", text)
    if without_icon.strip() != text and words(without_icon):
        return GenericName("riding", _tidy(without_icon))
    return None


def _tidy(text: str) -> str:
    """A cleaned-up name: code-like leftovers ("ZoomIn", "Search24") become words."""
    text = re.sub(r"\s+", " ", text).strip(" -–:|,.")
    if re.fullmatch(r"[A-Za-z]+\d+|[A-Za-z][a-z]+(?:[A-Z][a-z]+)+\d*", text):
        text = token_words(text) or text
    return text[:1].upper() + text[1:] if text else text


# -- guessing what an icon shows ----------------------------------------------------------
_PREFIX = re.compile(
    r"^(?:[a-z0-9]{1,8}[-_])?(?:icons?|ico|ic)[-_]+|^(?:fa|fas|far|fal|fab|fad|fat|fa-solid|fa-regular|fa-brands|bi|glyphicon|icon|icons|ico|ic|icofont|ion|ios|md|ti|la|las|lab"
    r"|dashicons|mdi|octicon|feather|ri|uil|lni|fi|wi|ph|svg|sprite|symbol|usa-icon|social|social-icon)[-_]+",
    re.I,
)
_SUFFIX = re.compile(r"[-_]+(?:icon|icons|ico|img|image|svg|btn|button|link|toggle|trigger|toggler|open|wrapper|wrap)$", re.I)
_NOISE = frozenset({
    "fw", "lg", "sm", "xs", "xl", "xxl", "solid", "regular", "light", "thin", "duotone", "brands", "inverse", "spin",
    "pulse", "border", "stack", "small", "large", "medium", "white", "black", "dark", "primary", "secondary", "inline",
    "outline", "outlined", "filled", "fill", "round", "rounded", "sharp", "twotone", "line", "o", "alt", "baseline",
    "icon", "icons", "ic", "svg", "img", "image", "sprite", "glyph", "px", "color", "colored", "mono", "default",
    "new", "usa", "fa", "fas", "far", "fal", "fab", "fad", "fat", "bi", "glyphicon", "glyphicons", "dashicons", "mdi",
    "material", "symbols", "item", "las", "lab", "la", "ion", "ti", "ri", "uil", "lni", "fi", "wi", "ph", "feather",
    "octicon", "icofont", "btn", "button", "link", "toggle", "trigger", "toggler", "open", "wrapper", "wrap",
    "gray", "grey", "red", "blue", "green", "yellow", "orange", "purple", "pink", "normal", "hover", "active", "on", "off",
    "pic", "social",
})
# The curated names an icon suggestion may use: what a class word, sprite id or svg title
# says, mapped to the name a control showing that icon usually needs. Nothing outside this list
# is ever suggested: a guess from an unknown class word ("Cb", "Moon cbsicon") misleads.
KNOWN_ICONS = {
    "search": "Search", "magnifying glass": "Search", "magnifier": "Search", "loupe": "Search", "lupa": "Search",
    "menu": "Menu", "bars": "Menu", "hamburger": "Menu", "navicon": "Menu", "burger": "Menu", "reorder": "Menu",
    "close": "Close", "times": "Close", "xmark": "Close", "x": "Close", "cross": "Close", "dismiss": "Close",
    "share": "Share", "share alt": "Share", "rss": "RSS feed", "feed": "RSS feed", "atom": "RSS feed",
    "print": "Print", "printer": "Print", "email": "Email", "mail": "Email", "envelope": "Email", "e mail": "Email",
    "lock": "Lock", "padlock": "Lock", "locked padlock": "Lock", "unlock": "Unlock",
    "home": "Home", "house": "Home", "user": "Account", "person": "Account", "account": "Account", "profile": "Account",
    "login": "Sign in", "log in": "Sign in", "signin": "Sign in", "sign in": "Sign in", "logout": "Sign out",
    "log out": "Sign out", "sign out": "Sign out",
    "shopping cart": "Shopping cart", "cart": "Shopping cart", "basket": "Basket",
    "comment": "Comments", "comments": "Comments", "phone": "Phone", "download": "Download", "upload": "Upload",
    "play": "Play", "pause": "Pause", "stop": "Stop", "mute": "Mute", "volume": "Volume", "fullscreen": "Full screen",
    "zoom": "Zoom", "zoom in": "Zoom in", "zoom out": "Zoom out", "expand": "Expand", "collapse": "Collapse",
    "chevron down": "Expand", "caret down": "Expand", "angle down": "Expand",
    "next": "Next", "arrow right": "Next", "chevron right": "Next", "angle right": "Next",
    "prev": "Previous", "previous": "Previous", "arrow left": "Previous", "chevron left": "Previous", "angle left": "Previous",
    "arrow back": "Back", "back": "Back", "back to top": "Back to top", "arrow up": "Back to top",
    "settings": "Settings", "cog": "Settings", "gear": "Settings", "help": "Help", "question": "Help", "info": "Information",
    "calendar": "Calendar", "bookmark": "Bookmark", "heart": "Like", "like": "Like", "edit": "Edit", "pencil": "Edit",
    "trash": "Delete", "delete": "Delete", "plus": "Add", "add": "Add", "filter": "Filter", "globe": "Language",
    "language": "Language", "location": "Location", "map marker": "Location", "copy": "Copy", "link": "Copy link",
    "twitter": "Twitter", "x twitter": "X (Twitter)", "twit": "Twitter", "tw": "Twitter",
    "facebook": "Facebook", "facebook f": "Facebook", "facebook square": "Facebook", "fb": "Facebook",
    "linkedin": "LinkedIn", "linkedin in": "LinkedIn", "linked in": "LinkedIn", "youtube": "YouTube", "you tube": "YouTube",
    "yt": "YouTube", "instagram": "Instagram", "insta": "Instagram", "ig": "Instagram", "pinterest": "Pinterest",
    "pinterest p": "Pinterest", "pi": "Pinterest", "pin": "Pinterest", "whatsapp": "WhatsApp", "wa": "WhatsApp",
    "reddit": "Reddit", "tiktok": "TikTok", "github": "GitHub", "telegram": "Telegram", "flickr": "Flickr",
    "tumblr": "Tumblr", "google plus": "Google+", "googleplus": "Google+", "gplus": "Google+", "g plus": "Google+",
    "tip": "Tip", "note": "Note", "warning": "Warning", "caution": "Caution", "important": "Important", "alert": "Alert",
    "error": "Error", "success": "Success", "external link": "Opens in a new window", "pdf": "PDF",
    "go to top": "Back to top", "to top": "Back to top", "scroll top": "Back to top", "flipboard": "Flipboard",
    "vk": "VK", "weibo": "Weibo", "line": "LINE", "mastodon": "Mastodon", "bluesky": "Bluesky", "threads": "Threads",
}
# Bare words in a longer phrase that are too vague to name a control on their own.
_WEAK_ALONE = frozenset({"x", "pi", "pin", "wa", "tw", "ig", "yt", "fb", "link", "copy", "back", "line", "add", "plus", "stop",
                         "info", "question", "heart", "like", "play"})
_SOCIAL_HOSTS = {
    "twitter.com": "Twitter", "x.com": "X (Twitter)", "facebook.com": "Facebook", "linkedin.com": "LinkedIn",
    "youtube.com": "YouTube", "instagram.com": "Instagram", "pinterest.com": "Pinterest", "reddit.com": "Reddit",
    "tiktok.com": "TikTok", "github.com": "GitHub", "flickr.com": "Flickr", "whatsapp.com": "WhatsApp",
    "wa.me": "WhatsApp", "t.me": "Telegram", "threads.net": "Threads", "bsky.app": "Bluesky", "tumblr.com": "Tumblr",
}


def token_words(token: str) -> str:
    """The words in a class, sprite id or file name: "fa-shopping-cart" -> "shopping cart",
    "wds-icons-close-small" -> "close", "twitter-icon-default" -> "twitter"."""
    text = unquote(token or "").strip()
    text = re.sub(r"\.(svg|png|jpe?g|gif|webp|ico|bmp|avif)$", "", text, flags=re.I)
    text = text.split("__")[-1]  # BEM: usa-banner__lock-image -> lock-image
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    text = re.sub(r"([A-Za-z])(\d)", r"\1 \2", text)
    parts = [p.lower() for p in re.split(r"[-_.\s]+", text) if p]
    if any(len(p) > 20 or (re.search(r"[a-z]\d|\d[a-z]|=", p) and not re.fullmatch(r"\d+(?:px|x|dp)", p)) for p in parts):
        return ""  # a hashed or generated name (t-ac15be5f4c.gif, 1VVImoX-WAAAC7): it tells nothing
    for index, part in enumerate(parts):
        if part in _MARKERS or (index == 0 and part in _LEADING_MARKERS):
            after, before = _meaningful(parts[index + 1:]), _meaningful(parts[:index])
            return " ".join(after or before)
    return " ".join(_meaningful(parts))


def _meaningful(parts: list[str]) -> list[str]:
    return [p for p in parts if p not in _NOISE and p not in _LEADING_MARKERS and not re.fullmatch(r"\d+(?:px|x|dp)?", p)]


_MARKERS = frozenset({"icon", "icons", "ico", "ic", "sprite", "svg", "glyph", "glyphicon", "glyphicons", "dashicons"})
_LEADING_MARKERS = frozenset({
    "fa", "fas", "far", "fal", "fab", "fad", "fat", "bi", "mdi", "octicon", "feather", "icofont", "ion", "ios", "md", "ti",
    "la", "las", "lab", "lni", "uil", "ri", "fi", "wi", "ph", "symbol",
})


def humanise(phrase: str) -> str:
    """The curated name for what a token says ("bars" -> "Menu", "social pinterest" ->
    "Pinterest", "search close" -> "Close"), or '' when no known icon name is in it.

    The whole phrase wins; else the last known pair or word (the thing a BEM-ish class ends
    on: "search-close" closes the search); one- and two-letter abbreviations only as the whole."""
    phrase = re.sub(r"\s+", " ", phrase.strip().lower())
    if not phrase:
        return ""
    if phrase in KNOWN_ICONS:
        return KNOWN_ICONS[phrase]
    parts = phrase.split(" ")
    for index in range(len(parts) - 1, -1, -1):
        pair = " ".join(parts[index:index + 2])
        if index + 1 < len(parts) and pair in KNOWN_ICONS:
            return KNOWN_ICONS[pair]
        if parts[index] in KNOWN_ICONS and parts[index] not in _WEAK_ALONE:
            return KNOWN_ICONS[parts[index]]
    return ""


def _sprite_ids(svg: Tag) -> Iterator[str]:
    for use in svg.find_all("use"):
        for attr in ("href", "xlink:href"):
            ref = str(use.get(attr) or "")
            if "#" in ref:
                yield ref.rsplit("#", 1)[1]


def _icon_classes(tag: Tag) -> list[str]:
    """Icon-font style classes (fa-lock, icon-cart, bi-search, wds-icons-close)."""
    return [c for c in classes_of(tag) if c.lower() not in _NOISE and _PREFIX.match(c)]


def _suffix_classes(tag: Tag) -> list[str]:
    """Classes with an icon or button suffix (lock-icon, usa-banner__lock-image, search-toggle).
    Other classes (layout, state, CMS names) are never guessed from."""
    return [c for c in classes_of(tag) if c.lower() not in _NOISE and not _PREFIX.match(c) and _SUFFIX.search(c.split("__")[-1])]


def guess_identity(page: Snapshot, icon: Tag, control: Tag | None = None) -> str:
    """What the icon seems to show, as a short name ("Lock", "Search"), or '' when nothing tells.

    Sources, most telling first: icon-font classes, the sprite id, a ``data-icon`` or (invalid)
    ``alt`` on an svg, the image file name, the svg ``<title>``, icon-suffixed classes, and last
    the control around it (its classes, or the social site its link goes to).
    """
    tokens: list[str] = [] if is_ligature_icon(icon) else _icon_classes(icon)
    if icon.name == "svg":
        tokens += list(_sprite_ids(icon))
    if icon.name != "img":
        tokens += [str(icon.get(a)) for a in ("data-icon", "alt", "data-name") if icon.get(a)]
    for node in (icon, icon.parent, control):
        tip = _tooltip(node) if isinstance(node, Tag) else ""
        if tip:
            return tip
    if icon.name == "img" and re.search(r"\.\w{3,4}$", _file_name(icon)):
        tokens.append(_file_name(icon))
    guess = _first_guess(tokens)
    if guess:
        return guess
    if icon.name == "svg":
        title = icon.find("title")
        known = humanise(re.sub(r"[^\w\s]", " ", clean_name(title.get_text()))) if title is not None else ""
        if known:
            return known
    if is_ligature_icon(icon):
        return humanise(clean_name(_own_text(icon)).replace("_", " "))
    guess = _first_guess([] if is_ligature_icon(icon) else _suffix_classes(icon))
    return guess or (_guess_from_control(control) if control is not None and control is not icon else "")


def _first_guess(tokens: list[str]) -> str:
    for token in tokens:
        phrase = token_words(token)
        if phrase and re.search(r"[^\W\d_]", phrase) and not _boring(phrase):
            return humanise(phrase)
    return ""


def _tooltip(tag: Tag) -> str:
    """Tooltip text that a script shows on hover (Bootstrap's data-original-title and the like):
    written for people, so the best guess there is."""
    for attr in ("data-original-title", "data-bs-original-title", "data-tooltip", "data-title", "data-tip"):
        text = clean_name(str(tag.get(attr) or ""))
        if text and len(text) <= 40 and re.search(r"[^\W\d_]", text):
            return text[:1].upper() + text[1:]
    return ""


def _boring(phrase: str) -> bool:
    """Class words that say nothing about the picture (layout and state words)."""
    return all(w in _LAYOUT_WORDS for w in phrase.split())


_LAYOUT_WORDS = frozenset({
    "left", "right", "top", "bottom", "block", "wrapper", "container", "inner", "outer", "image", "link", "btn", "button",
    "nav", "header", "footer", "main", "content", "body", "col", "grid", "row", "align", "media", "active", "hidden",
    "visible", "is", "has", "js", "no", "lazy", "lazyload", "lazyloaded", "loaded", "responsive", "size", "full",
    "thumbnail", "thumb", "attachment", "wp", "post", "logo", "aligncenter", "alignleft", "alignright", "d", "flex",
    "mr", "ml", "mx", "my", "me", "ms", "p", "m", "w", "h", "text", "muted", "hide", "show", "only", "sr", "screen",
    "reader", "visually", "a", "an", "the", "and", "of", "to", "in", "on",
})


def _guess_from_control(control: Tag) -> str:
    guess = _first_guess(_icon_classes(control) + _suffix_classes(control))
    if guess:
        return guess
    href = str(control.get("href") or "")
    if href.startswith(("javascript:", "#")):
        return ""
    if href.startswith(("mailto:", "tel:", "sms:")):
        return {"mailto": "Email", "tel": "Phone", "sms": "Text message"}[href.split(":", 1)[0]]
    host = urlsplit(href).hostname or ""
    host = host[4:] if host.startswith("www.") else host
    for domain, label in _SOCIAL_HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return label
    path = urlsplit(href).path.strip("/").rsplit("/", 1)[-1]
    phrase = token_words(path) if path and not host else ""
    return humanise(phrase) if phrase and len(phrase.split()) <= 3 and not _boring(phrase) else ""


# -- controls whose icon is hidden or drawn by CSS ------------------------------------------------
@dataclass(frozen=True)
class SilentControl:
    """A link or button with no name whose only content is an icon nobody hears: an svg or
    icon font hidden with ``aria-hidden``/``role=presentation``, an ``alt=""`` image, or nothing
    at all under an icon class (the glyph is CSS)."""

    control: Tag
    icon: Tag | None  # the hidden icon element, None when the icon is the control's own class
    how: str  # what the listener misses, for the message


def silent_controls(page: Snapshot) -> Iterator[SilentControl]:
    """Displayed, exposed controls with a blank name and no text whose content says icon."""
    heard = {id(control_of(icon)) for icon, _ in exposed_icons(page)}
    for tag in all_tags(page):
        if not is_control(tag) or id(tag) in heard or not page.is_displayed(tag) or page.is_at_hidden(tag):
            continue
        if any(_HIDDEN_CLASS.match(c) for c in classes_of(tag)):
            continue  # hidden by the site's CSS, which did not load
        name = page.accessible_name(tag)
        if not is_blank_name(name if name is not None else _attribute_name(tag)) or not is_blank_name(_text_outside_svg(tag)):
            continue  # named, or holding text (a text control with no name is axe-core's)
        found = _silent_icon(page, tag)
        if found is not None:
            yield found


def _text_outside_svg(tag: Tag) -> str:
    return "".join(str(s) for s in tag.find_all(string=True) if not isinstance(s, Comment)
                   and not any(p.name in ("svg", "script", "style", "template") for p in s.parents if isinstance(p, Tag)))


def _attribute_name(tag: Tag) -> str:
    return str(tag.get("aria-label") or tag.get("title") or "")


def _silent_icon(page: Snapshot, control: Tag) -> SilentControl | None:
    if control.find(["input", "select", "textarea", "video", "iframe", "canvas"]) is not None:
        return None
    for inner in control.find_all(["svg", "img", "i", "span"]):
        if not page.is_displayed(inner) or inner.find_parent("svg") is not None or _is_logo(inner):
            continue
        if inner.name == "img" and inner.get("alt") not in ("", None):
            continue
        hidden = page.is_at_hidden(inner) or role_of(inner) in HIDING_ROLES or (inner.name == "img" and inner.get("alt") == "")
        if _silent_kind(page, inner) and (hidden or inner.name == "svg"):
            how = "is hidden from assistive technology" if hidden else "has no name"
            return SilentControl(control, inner, how)
    empty_parts = [node for node in control.find_all(["i", "span", "div", "b", "em"]) if node.find(True) is None]
    if any(_SPECIFIC_ICON_CLASS.search(c) for node in [control, *empty_parts] for c in classes_of(node)):
        return SilentControl(control, None, "is drawn by CSS from an icon class")
    return None


# Icon classes specific enough to tell an empty control draws an icon: "icon" as a word part, or
# a library prefix with a name ("fa-search", "bi-x"). Bare "bi", "fi" or "ti" are atomic CSS too.
_SPECIFIC_ICON_CLASS = re.compile(
    r"(?:^|[-_])icons?(?:$|[-_])|[a-z]Icon\b|^(?:fa|bi|glyphicon|mdi|dashicons|octicon|icofont|ion|uil|lni|feather)-[a-z]"
    r"|^material-(?:icons|symbols)|^usa-icon$")
_HIDDEN_CLASS = re.compile(r"^(?:hidden|is-hidden|d-none|hide|invisible)$", re.I)


def _silent_kind(page: Snapshot, inner: Tag) -> bool:
    """An icon by size or markup: a small image or svg (an svg's icon-sized viewBox counts), an
    icon font, or icon-library markup. A photo in a link is not an icon."""
    if inner.name == "img":
        return is_small(page, inner, "img") or iconish_markup(inner)
    if inner.name == "svg":
        return is_small(page, inner, "svg") or _small_view_box(inner) or iconish_markup(inner)
    return icon_kind(page, inner) == "font" or iconish_markup(inner)


def _is_logo(tag: Tag) -> bool:
    """A logo (by class, or an svg drawn much wider than high) names a site, it is not an icon."""
    if any(re.search(r"logo|brand|wordmark", c, re.I) for c in classes_of(tag)):
        return True
    parts = re.split(r"[\s,]+", str(tag.get("viewbox") or tag.get("viewBox") or "").strip())
    declared = [re.match(r"\s*(\d+)", str(tag.get(a) or "")) for a in ("width", "height")]
    sizes = [(float(parts[2]), float(parts[3]))] if len(parts) == 4 and all(re.fullmatch(r"[\d.]+", p) for p in parts[2:]) else []
    if declared[0] and declared[1]:
        sizes.append((float(declared[0].group(1)), float(declared[1].group(1))))
    return any(height > 0 and width > 2.5 * height for width, height in sizes)


def guess_control(page: Snapshot, silent: SilentControl) -> str:
    """The curated name for a silent control: its own classes first (what it does: "js-link-logout"),
    then what its icon shows, then where a social link goes."""
    names = [humanise(phrase) for token in classes_of(silent.control) if (phrase := token_words(token)) and not _boring(phrase)]
    names = [name for name in names if name]
    if names:  # a site's name says more than "Share" ("shareButton twitterFollowIcon")
        return next((name for name in names if name in _SOCIAL_HOSTS.values() or name == "Google+"), names[0])
    if silent.icon is not None:
        return guess_identity(page, silent.icon, silent.control)
    return _guess_from_control(silent.control)
