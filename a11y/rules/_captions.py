"""Shared helpers for the caption rules: which images a page shows, each image's caption, and
the caption split into what it says about the photo versus its credit, VIRIN and dateline.

A caption is (first match wins):

1. the ``figcaption`` of the image's closest ``figure`` (tied in code);
2. an element named by ``aria-describedby``/``aria-labelledby`` on the image or its figure (tied),
   never an SVG's own ``<title>``;
3. the ``figcaption`` of a gallery figure around the image's own figure (tied, ``shared``);
4. a caption-like block right before or after the image, the image's parent or grandparent
   (never past a wrapper holding another image, nor a list item or table cell), or a
   caption-classed block inside such a sibling: its class or id mentions caption, cutline or
   credit (``wp-caption-text``, ``image-caption``, MediaWiki's ``thumbcaption``...), or its text
   opens with a credit ("Photo By:", "Photo by", "Photo:", "Credit:", "Courtesy", "©"). Not tied
   in code, unless image and caption sit inside one link (``in_same_link``: a teaser card).
   Blogger's ``table.tr-caption-container`` is read too.

Not captions: a site's copyright line ("© 2026 ... All rights reserved"), a teaser's category
label, a block that is only links (a headline, unless it opens with a credit), lists and tables.
Icons, avatars and overlays (by class, or width and height attributes of 48 px or less) get no
caption; tracking pixels (2 px or less) are not images at all.

A caption splits into its title (``caption-title``, headings), its description and its credits:
credit-classed parts, visually hidden labels such as BBC's "Image caption, " (dropped) and
"Image source, " (the next part is a credit), and, in the text, "Photo by ...", "(AP Photo/...)",
"REUTERS/...", "Name for The Paper", VIRINs and datelines ("PACIFIC OCEAN (Nov. 21, 2019)").

Nothing here reads Playwright; everything is computed once per snapshot and cached.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from bs4 import NavigableString, Tag

from ..snapshot import Snapshot

SUGGESTION_LIMIT = 150
QUOTE_LIMIT = 60

# -- vocabulary -------------------------------------------------------------------------------

# Image file extensions (alt text ending in one is a file name).
_EXTENSIONS = r"jpe?g|png|gif|webp|svg|tiff?|heic|heif|bmp|avif"
# Class/id words that mark a part of a caption as its credit or its title.
_CREDIT_WORDS = ("credit", "byline", "copyright", "photographer", "attribution", "courtesy", "source", "virin", "rights",
                 "license", "licence")
_TITLE_WORDS = ("title", "headline", "heading")


def _class_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Match a word at a class-name boundary: ``caption-credit``, ``photoCredit``, not ``accredited``."""
    lower = "|".join(words)
    camel = "|".join(w.capitalize() for w in words)
    return re.compile(rf"(?:^|[^A-Za-z])(?:{lower}|{camel})|[a-z](?:{camel})")


# "caption" and "cutline" anywhere (MediaWiki's "thumbcaption"); "credit" only as a word ("accredited" is not one).
_CAPTION_CLASS = re.compile(r"(?i:caption|cutline)|(?:^|[^A-Za-z])[Cc]redit|[a-z]Credit")
_CREDIT_CLASS = _class_pattern(_CREDIT_WORDS)
_TITLE_CLASS = _class_pattern(_TITLE_WORDS)
_NOT_A_CAPTION_CLASS = re.compile(
    r"adCaption|(?:^|[^a-z])ad(?:vert\w*|s)?(?:$|[^a-z])|sponsor|toggle|button|btn|menu|navigation|vjs-|captions-|no-caption|caption-?link",
    re.I,
)

# A credit at the start of a text: "Photo By:", "Photo by", "Photo:", "Credit:", "Courtesy", "©".
_CREDIT_LEAD = re.compile(
    r"^[\s(\[]*(?:(?:\S+\s){0,3}?(?:photo(?:graph)?|foto|bild|image|picture|illustration|graphic)"
    r"(?:\s+(?:by|courtesy(?:\s+of)?|credit|source))?\s*:"
    r"|(?:\S+\s){0,5}?(?:photo(?:graph)?s?|image|picture|illustration)\s+(?:by|courtesy\s+of|courtesy|provided\s+by)\s+(?-i:[A-Z0-9@])"
    r"|(?:photo\s+)?credits?\s*:|source\s*:|courtesy\b|©|\(c\)\s|copyright\b|virin\b"
    r"|(?-i:CC)[- ]?(?:BY|0)\b|creative\s+commons\b|public\s+domain\b|all\s+rights\s+reserved\b)",
    re.I,
)
# A credit that starts inside a run of text with no sentence break before it ("... harbour Photo: Jane Doe").
_CREDIT_INLINE = re.compile(
    r"\s(?=(?:Photo(?:graph)?s?|Foto|Bild|Image|Picture|Credit|Source)(?:\s+(?:by|courtesy of|credit))?\s*:\s"
    r"|Photo(?:graph)?s?\s+by\s+[A-Z]|Courtesy(?:\s+of)?\s+[A-Z]|©)"
)
VIRIN = re.compile(r"\b\d{6}-[A-Z]-[A-Z0-9]{5}-\d{3,4}[A-Z]?\b")
_VIRIN_LABELLED = re.compile(r"\(?\s*(?:VIRIN\s*:?\s*)?\b\d{6}-[A-Z]-[A-Z0-9]{5}-\d{3,4}[A-Z]?\b\s*\)?")
# "WASHINGTON (AP) —", "PACIFIC OCEAN (Nov. 21, 2019) ", "FORT BRAGG, N.C. -- "
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’]+(?:[ ,]+[A-Z][A-Za-z.'’]*){0,5}\s*)?"
    r"\((?:[A-Z][a-z]{2,4}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}|AP|Reuters|AFP|UPI|CNN)\)\s*(?:[-—–]{1,2}\s*)?"
    r"|^[A-Z]{2}[A-Z.'’ -]*(?:,\s*[A-Z][A-Za-z.]+)?\s*(?:\([^)]{2,30}\))?\s*(?:[—–]|--)\s+"
    r"|^[A-Z]{2}[A-Z.'’ ]*(?:,\s*[A-Z][A-Z.'’ ]+)?\s+-\s+[A-Z]{3,9}\.?\s+\d{1,2}(?:,\s*\d{4})?:\s+"  # Getty: "LONDON, ENGLAND - JULY 04: "
)
_AGENCIES = (
    r"AP|AFP|EPA|UPI|Reuters|REUTERS|Getty(?: Images)?|Shutterstock|iStock(?:photo)?|Alamy|Bloomberg|Sipa|Xinhua|"
    r"NurPhoto|ZUMA(?: Press)?|PA(?: Wire)?|Rex(?: Features)?|Corbis|Wikimedia(?: Commons)?|Flickr|Unsplash|DVIDS|NASA|TNS"
)
# A trailing "(AP Photo/Jane Doe)", "[Photo: X]" or "(U.S. Army photo by Spc. X)".
_TRAILING_PAREN_CREDIT = re.compile(
    r"\s*[(\[]([^()\[\]]{2,120})[)\]]\s*$"
)
_CREDITISH = re.compile(rf"(?i:photo|image|credit|courtesy|copyright|illustration)|©|/|\b(?:{_AGENCIES})\b")
# A trailing "Jane Doe/Getty Images" or "REUTERS/Jane Doe" after the description.
_TRAILING_SLASH_CREDIT = re.compile(
    rf"(?:^|\s)(?:(?:[A-Z][\w.'’-]*\s+){{0,3}}[A-Z][\w.'’-]*\s*/\s*(?:{_AGENCIES})(?:\s+(?:Photos?|Images|via\s+\S+))?"
    rf"|(?:{_AGENCIES})\s*/\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,2}})\.?\s*$"
)
# A trailing "DR" (droits réservés, French papers' credit for handout pictures).
_TRAILING_RIGHTS = re.compile(r"\s+(?:DR|D\.R\.?)\.?\s*$")
# A last sentence that is only "Jane Doe for The Daily Planet" or "Getty Images".
_CREDIT_SENTENCE = re.compile(
    rf"^(?:(?:[A-Z][\w.'’-]*\s+){{1,3}}for\s+(?:the\s+)?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){{0,3}}|(?:{_AGENCIES})(?:\s+Photos?)?"
    r"|DR|D\.R)\.?$"  # "DR": droits réservés, the French credit line
)
_LEADING_FILLER = re.compile(r"^(?:(?:a|an|the)\s+)?(?:photo(?:graph)?|image|picture|pic)\s+(?:of|shows|showing)\s+", re.I)
# Visually hidden labels that screen readers speak before a caption part: BBC's "Image caption, ".
_HIDDEN_LABEL = re.compile(r"^\W*(?:(?:image|photo|media|picture|video)\s+)?(?:caption|source|credit|copyright|description)s?\W*$", re.I)

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "maj", "col", "lt", "capt", "cpt", "sgt", "spc", "pfc", "cpl",
    "adm", "cmdr", "cdr", "sen", "rep", "gov", "pres", "prof", "rev", "hon", "brig", "pvt", "ens", "amn", "no", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "co", "corp", "ltd",
    "mt", "ft", "ave", "blvd", "etc", "approx", "dept", "univ", "sgm", "msg", "ssg", "sfc", "cwo", "wo", "mstr", "pty",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")

_INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "em", "font", "i", "kbd", "label", "mark", "q", "s", "small",
    "span", "strong", "sub", "sup", "time", "u", "var",
}
_SKIPPED_TAGS = {"script", "style", "template", "noscript", "button", "svg", "select", "input", "textarea", "iframe", "video", "audio"}
_MEDIA_TAGS = ["img", "picture", "video", "iframe", "svg", "canvas", "object", "embed"]
_STOP_ANCESTORS = {"body", "main", "article", "section", "html", "td", "li", "ul", "ol", "table"}


# -- text helpers ---------------------------------------------------------------------------------

def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` cut at a word boundary to about ``limit`` characters, with an ellipsis when cut."""
    text = clean(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-—–") + "…"


def normalise(text: str) -> str:
    """Lower case, punctuation and spacing set aside: the words a listener hears."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^\w\s']|_", " ", text)
    text = re.sub(r"'(?=\s|$)|(?<=\s)'", " ", text)
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """Split on sentence ends, not on "U.S.", "Nov. 21", "Maj. Gen" or "J. Smith"."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start: match.start()].rstrip("\"”’)")
        last = before.rsplit(None, 1)[-1] if before.split() else ""
        word = last.lstrip("(\"“[").rstrip(".!?").lower()
        if last.endswith(".") and (word in _ABBREVIATIONS or len(word) == 1 or "." in word):
            continue
        parts.append(text[start: match.start()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def strip_credits(text: str) -> tuple[str, list[str]]:
    """``text`` without its credit, VIRIN and dateline parts, and those parts."""
    credits: list[str] = []
    text = clean(text)
    for found in VIRIN.finditer(text):
        credits.append(found.group(0))
    text = clean(_VIRIN_LABELLED.sub(" ", text))
    text = re.sub(r"^(?:VIRIN\s*:?\s*)$", "", text)
    dateline = _DATELINE.match(text)
    if dateline and len(text) > dateline.end():
        credits.append(dateline.group(0).strip())
        text = text[dateline.end():]
    kept: list[str] = []
    for sentence in sentences(text):
        for piece in _split_inline_credit(sentence):
            if _CREDIT_LEAD.match(piece) or (kept and _CREDIT_SENTENCE.match(piece)):
                credits.append(piece)
            else:
                kept.append(piece)
    text = " ".join(kept)
    while True:
        paren = _TRAILING_PAREN_CREDIT.search(text)
        if paren and _CREDITISH.search(paren.group(1)) and not _looks_descriptive_paren(paren.group(1)):
            credits.append(paren.group(0).strip())
            text = text[: paren.start()]
            continue
        rights = _TRAILING_RIGHTS.search(text)
        if rights and rights.start() > 0:
            credits.append(rights.group(0).strip())
            text = text[: rights.start()]
            continue
        slash = _TRAILING_SLASH_CREDIT.search(text)
        if slash and slash.start() > 0:
            credits.append(slash.group(0).strip())
            text = text[: slash.start()]
            continue
        break
    return clean(text).strip(" |-—–,;"), credits


def _split_inline_credit(sentence: str) -> list[str]:
    return [p for p in _CREDIT_INLINE.split(sentence) if p.strip()]


def _looks_descriptive_paren(inner: str) -> bool:
    """ "(left)", "(pictured in 2019)" describe; "(AP Photo/Jane Doe)" credits."""
    credit = re.search(r"photo\s+by|photo\s*:|/|©|credit|courtesy|copyright|\bphoto\b|\bimages?\b", inner, re.I)
    return not credit and len(inner.split()) > 6


def suggested_alt(description: str) -> str:
    """A text alternative drawn from a caption's descriptive part: first sentence, no "Photo of"."""
    first = next(iter(sentences(description)), "")
    first = _LEADING_FILLER.sub("", first).strip()
    if not first:
        return ""
    first = first[0].upper() + first[1:]
    if len(first) <= SUGGESTION_LIMIT:
        return first
    window = first[: SUGGESTION_LIMIT - 1]
    for mark in ("; ", ", ", " — ", " – ", " - "):
        cut = window.rfind(mark)
        if cut >= 60:
            return window[:cut].rstrip() + "…"
    return shorten(first, SUGGESTION_LIMIT)


# What a suggested alt must never be: a date, a credit, a "read more" phrase, a bare number,
# a file name. Each was once suggested ("2012.", "Leer más.", "Devindra Hardawar/AOL.").
_DATE_ONLY = re.compile(
    r"^(?:(?:on\s+)?(?:\w+day,?\s+)?(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}(?:T[\d:]+)?"
    r"|(?:\d{1,2}\.?\s+)?[A-Za-zéû]{3,9}\.?\s+(?:\d{1,2},?\s+)?\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{4})"
    r"(?:,?\s*(?:at\s+|um\s+|à\s+)?\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?|uhr)?)?)\.?$",
    re.I,
)
_READ_MORE = re.compile(
    r"^(?:read|see|view|learn|continue|click|tap)(?:\s+(?:more|on|here|reading|the\s+story|full\s+story))+|^more\b|^leer\s+m[aá]s"
    r"|^ver\s+m[aá]s|^seguir\s+leyendo|^lire\s+la\s+suite|^en\s+savoir\s+plus|^weiterlesen|^mehr\s+(?:lesen|erfahren)|^leia\s+mais"
    r"|^saiba\s+mais|^continua|^leggi\s+(?:tutto|di\s+più)|^lees\s+meer",
    re.I,
)


def unusable_alt(text: str, img: Tag | None = None) -> str | None:
    """Why ``text`` must not be suggested as alt text (a date, a credit...), or None when it may."""
    words = clean(text).strip(" .…")
    if not words:
        return "empty"
    if re.fullmatch(r"[\d\s.,:/#%+-]+", words):
        return "a bare number"
    if _DATE_ONLY.match(words):
        return "a date"
    if _READ_MORE.match(words) and len(words.split()) <= 5:
        return 'a "read more" phrase'
    if credit_in(words) or not strip_credits(words)[0] or _CREDIT_SENTENCE.match(words) or _TRAILING_SLASH_CREDIT.fullmatch(" " + words):
        return "a credit"
    if _SLASH_CREDIT_ONLY.match(words):
        return "a credit"
    if (img is not None and file_name_kind(words, img)) or _FILE_NAME.match(words):
        return "a file name"
    return None


# "Devindra Hardawar/AOL", "Jane Doe / Example Press": a person and an outlet, nothing described.
_SLASH_CREDIT_ONLY = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*\s*/\s*[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,2}$")


# -- captions ----------------------------------------------------------------------------------

@dataclass
class Caption:
    element: Tag
    source: str  # "figcaption" | "aria" | "adjacent"
    text: str  # what it says, visually hidden labels set aside
    description: str  # the descriptive part: credits, VIRIN and datelines set aside
    title: str = ""
    credits: list[str] = field(default_factory=list)
    shared: bool = False  # one caption for several images (a gallery figure)
    in_same_link: bool = False  # image and adjacent caption inside one link: its name groups them

    @property
    def associated(self) -> bool:
        return self.source != "adjacent"

    @property
    def describes(self) -> bool:
        """Says something about what the photo shows (not only a credit or a two-word title)."""
        if _SLASH_CREDIT_ONLY.match(clean(self.description).strip(" .")):
            return False  # "Devindra Hardawar/AOL.": a person and an outlet
        return len(normalise(self.description).split()) >= 3

    def suggestion(self) -> str:
        """An alt drawn from the caption, for a caption that does not itself describe the photo
        well enough to stand in for it; '' when what it would give is unusable (a date, a credit)."""
        text = suggested_alt(self.description or self.title)
        return "" if unusable_alt(text) else text

    def quote(self, limit: int = QUOTE_LIMIT) -> str:
        return shorten(" ".join(_sentence_ended(p) for p in (self.title, self.description) if p) or self.text, limit)


@dataclass
class Image:
    element: Tag
    name: str  # the accessible name ("" when none)
    alt: str | None  # the alt attribute, None when absent
    at_hidden: bool  # hidden from assistive technology only
    presentational: bool  # alt="" or role=presentation/none with no name
    caption: Caption | None

    @property
    def no_text_alternative(self) -> bool:
        """No alt attribute, no name from aria-label/labelledby/title, not marked decorative."""
        return self.alt is None and not self.name and not self.presentational and not self.at_hidden

    @property
    def spoken(self) -> bool:
        """A screen reader announces it with a name (its name is what the listener hears)."""
        return bool(self.name) and not self.at_hidden and not self.presentational

    @property
    def decorative(self) -> bool:
        """Marked as decorative (alt="", role=presentation/none) or hidden from assistive technology."""
        return not self.spoken and not self.no_text_alternative

    @property
    def caption_alt(self) -> str:
        """An alt drawn from its caption's descriptive part; "" when it has no caption to draw from."""
        return self.caption.suggestion() if self.caption is not None else ""

    def alt_advice(self, verb: str = "Replace it with") -> str:
        """What to write instead, never the caption's own words: a caption that describes the
        photo is read anyway, so ``alt=""`` (caption tied to it) or a description of what is
        seen; else a description, or ``alt=""`` for decoration."""
        caption = self.caption
        if caption is not None and caption.describes:
            tie = "" if caption.associated else " (tied to it as its figcaption)"
            return (f'{verb} alt="" if the caption{tie} says what the photo shows, or alt="describe what the photo shows" '
                    "(what is seen, not the caption again).")
        return f'{verb} a description of what the image shows (alt="describe what the image shows"), or alt="" if it is purely decorative.'



_CACHE: dict[int, tuple[weakref.ref, list[Image]]] = {}


def images(page: Snapshot) -> list[Image]:
    """Every displayed image of the page (img, role=img), tracking pixels left out, with its caption."""
    key = id(page)
    cached = _CACHE.get(key)
    if cached is not None and cached[0]() is page:
        return cached[1]
    found = [_describe(page, tag) for tag in _image_tags(page)]
    if len(_CACHE) > 4:
        _CACHE.clear()
    _CACHE[key] = (weakref.ref(page), found)
    weakref.finalize(page, _CACHE.pop, key, None)  # the cached tags keep the soup alive: drop them with the page
    return found


def spoken_images(page: Snapshot) -> Iterable[Image]:
    """The images a screen reader announces by a name: what rules about alt wording look at."""
    return (image for image in images(page) if image.spoken)


def _image_tags(page: Snapshot) -> list[Tag]:
    tags = page.soup.find_all(_is_image)
    return [t for t in tags if page.is_displayed(t) and not _is_tiny(page, t)]


def _is_image(tag: Tag) -> bool:
    return tag.name == "img" or _role(tag) == "img"


def _role(tag: Tag) -> str:
    role = tag.get("role")
    if isinstance(role, list):
        role = " ".join(role)
    return str(role or "").strip().lower().split(" ")[0] if role else ""


def _is_tiny(page: Snapshot, tag: Tag) -> bool:
    """Tracking pixels and spacers: at most 2 px either by the browser's box or by width/height attributes."""
    _, _, width, height = page.facts_of(tag).box
    if (width or height) and width <= 2 and height <= 2:
        return True
    sizes = [_int(tag.get("width")), _int(tag.get("height"))]
    return all(s is not None and s <= 2 for s in sizes)


def _int(value: object) -> int | None:
    match = re.match(r"\s*(\d+)", str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def _describe(page: Snapshot, tag: Tag) -> Image:
    alt_attr = tag.get("alt")
    alt = clean(str(alt_attr)) if alt_attr is not None else None
    name = page.accessible_name(tag)
    if name is None:  # the browser did not report one (browser-free snapshot): read the attributes
        name = _attribute_name(page, tag, alt)
    name = clean(name)
    presentational = _role(tag) in ("presentation", "none") or (alt == "" and not name)
    return Image(tag, name, alt, page.is_at_hidden(tag), presentational, find_caption(page, tag))


def _attribute_name(page: Snapshot, tag: Tag, alt: str | None) -> str:
    labelled = " ".join(_referenced_text(page, tag, "aria-labelledby"))
    return labelled or str(tag.get("aria-label") or "") or (alt or "") or str(tag.get("title") or "")


def _referenced(page: Snapshot, tag: Tag, attr: str) -> list[Tag]:
    value = tag.get(attr)
    if isinstance(value, list):
        value = " ".join(value)
    found = []
    for ref in str(value or "").split():
        targets = page.ids.get(ref)
        if targets:
            found.append(targets[0])
    return found


def _referenced_text(page: Snapshot, tag: Tag, attr: str) -> list[str]:
    return [clean(el.get_text(" ")) for el in _referenced(page, tag, attr)]


def find_caption(page: Snapshot, img: Tag) -> Caption | None:
    if _is_icon(img):
        return None
    figure = _figure_of(img)
    caption = _figure_caption(page, figure)
    if caption is not None:
        return caption
    for owner in (img, figure):
        if owner is None:
            continue
        for attr in ("aria-describedby", "aria-labelledby"):
            for target in _referenced(page, owner, attr):
                if _can_caption(page, img, target):
                    caption = _caption(page, target, "aria")
                    if caption is not None:
                        return caption
    group = _figure_of(figure) if figure is not None else None
    caption = _figure_caption(page, group)  # a gallery's caption, for an image in a figure of its own
    if caption is not None:
        caption.shared = True
        return caption
    block = _adjacent_caption_block(page, img)
    caption = _caption(page, block, "adjacent") if block is not None else None
    if caption is not None:
        caption.in_same_link = _same_link(img, block)
    return caption


_ICON_CLASS = re.compile(r"icon|avatar|logo|emoji|badge|overlay|play-?button|spinner", re.I)
_LOGO = re.compile(r"logo|brand|wordmark|masthead", re.I)


def names_only_a_provider(name: str) -> bool:
    """The name is nothing but an agency or provider ("Reuters", "Getty Images")."""
    return bool(re.fullmatch(rf"(?:{_AGENCIES})\.?", clean(name)))


def is_logo(img: Tag) -> bool:
    """Marked as a logo by its class, id or file name (a provider's logo in a credit line)."""
    src = str(img.get("src") or "")
    return bool(_LOGO.search(_identity(img)) or (not src.startswith("data:") and _LOGO.search(_base_name(src))))


def _is_icon(img: Tag) -> bool:
    """Icons, avatars, overlays and separator strips are not the photo a caption describes.
    Judged by class and declared sizes, not by the rendered box: an image that failed to load
    renders as a 16x16 icon or a line of alt text, whatever its real size."""
    if _ICON_CLASS.search(_identity(img)):
        return True
    sizes = [_int(img.get("width")), _int(img.get("height"))]
    return all(size is not None and size <= 48 for size in sizes) or _is_strip(img)


def _is_strip(img: Tag) -> bool:
    """A rule or separator drawn as an image (1200 x 24): at most 32 px high and 10 times as wide.
    Medium and others declare the file's size in data-width/data-height."""
    for width_attr, height_attr in (("width", "height"), ("data-width", "data-height")):
        width, height = _int(img.get(width_attr)), _int(img.get(height_attr))
        if width and height and height <= 32 and width >= 10 * height:
            return True
    return False


def _same_link(img: Tag, block: Tag | None) -> bool:
    link = img.find_parent("a")
    return link is not None and block is not None and any(parent is link for parent in block.parents)


def _figure_caption(page: Snapshot, figure: Tag | None) -> Caption | None:
    figcaption = _figcaption_of(figure) if figure is not None else None
    if figure is None or figcaption is None or not page.is_displayed(figcaption):
        return None
    caption = _caption(page, figcaption, "figcaption")
    if caption is not None:
        caption.shared = _image_count(page, figure) > 1
    return caption


def _can_caption(page: Snapshot, img: Tag, target: Tag) -> bool:
    """A referenced element outside the image (an SVG's own <title> names it, it does not caption it)."""
    if target is img or target.name in ("title", "desc") or not page.is_displayed(target):
        return False
    return not any(parent is img for parent in target.parents)


def _figure_of(node: Tag) -> Tag | None:
    """The closest figure (or role=figure) around ``node``, at most 7 levels up."""
    for depth, parent in enumerate(node.parents):
        if depth > 6 or not isinstance(parent, Tag):
            return None
        if parent.name == "figure" or _role(parent) == "figure":
            return parent
    return None


def _figcaption_of(figure: Tag) -> Tag | None:
    for candidate in figure.find_all("figcaption"):
        if _figure_of_caption(candidate) is figure:
            return candidate
    return None


def _figure_of_caption(figcaption: Tag) -> Tag | None:
    return next((p for p in figcaption.parents if isinstance(p, Tag) and (p.name == "figure" or _role(p) == "figure")), None)


def _image_count(page: Snapshot, wrapper: Tag) -> int:
    """Displayed images inside ``wrapper`` that are not tracking pixels (counting stops at 2)."""
    count = 0
    for tag in wrapper.find_all(_is_image, limit=12):
        if page.is_displayed(tag) and not _is_tiny(page, tag):
            count += 1
            if count > 1:
                break
    return count


def _adjacent_caption_block(page: Snapshot, img: Tag) -> Tag | None:
    """A caption-like block right before or after the image, its parent or its grandparent."""
    node: Tag = img
    for level in range(3):
        if level and (node.name in _STOP_ANCESTORS or _image_count(page, node) > 1):
            return None
        for sibling in (_element_sibling(page, node, forward=True), _element_sibling(page, node, forward=False)):
            block = _caption_in(page, sibling) if sibling is not None else None
            if block is not None:
                return block
        parent = node.parent
        if not isinstance(parent, Tag):
            return None
        node = parent
    return _blogger_caption(page, img)


_INVISIBLE_SIBLINGS = {"br", "script", "noscript", "style", "template", "link", "meta", "source"}


def _caption_in(page: Snapshot, sibling: Tag) -> Tag | None:
    """The sibling itself when caption-like, or a caption-classed block inside a small text wrapper
    (Drupal's slideshow: ``div.field-slideshow-text > div.field-slideshow-caption``)."""
    if _is_caption_like(page, sibling):
        return sibling
    if sibling.name in _NOT_CAPTION_TAGS or len(_leading_text(sibling, 1500)) >= 1500 or sibling.find(_MEDIA_TAGS) is not None:
        return None
    for inner in sibling.find_all(_has_caption_class, limit=3):
        if _is_caption_like(page, inner):
            return inner
    return None


def _has_caption_class(tag: Tag) -> bool:
    return bool(_CAPTION_CLASS.search(_identity(tag)))


def _element_sibling(page: Snapshot, node: Tag, forward: bool) -> Tag | None:
    """The next (previous) displayed element sibling, unless real text stands between."""
    sibling = node.next_sibling if forward else node.previous_sibling
    while sibling is not None:
        if isinstance(sibling, Tag):
            if sibling.name in _INVISIBLE_SIBLINGS or not page.is_displayed(sibling):
                sibling = sibling.next_sibling if forward else sibling.previous_sibling
                continue
            return sibling
        if isinstance(sibling, NavigableString) and str(sibling).strip() and type(sibling) is NavigableString:
            return None
        sibling = sibling.next_sibling if forward else sibling.previous_sibling
    return None


def _blogger_caption(page: Snapshot, img: Tag) -> Tag | None:
    """Blogger's table.tr-caption-container: the image in one row, td.tr-caption in the next."""
    table = img.find_parent("table", class_="tr-caption-container")
    if table is None or _image_count(page, table) > 1:
        return None
    return table.find(class_="tr-caption")


def _identity(tag: Tag) -> str:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    return " ".join([*map(str, classes), str(tag.get("id") or "")])


def _is_caption_like(page: Snapshot, block: Tag) -> bool:
    if block.name in _SKIPPED_TAGS or block.name in _NOT_CAPTION_TAGS:
        return False
    identity = _identity(block)
    if _NOT_A_CAPTION_CLASS.search(identity):
        return False
    text = _leading_text(block, 1500)
    if not text or len(text) >= 1500 or _SITE_NOTICE.search(text) or block.find(_MEDIA_TAGS) is not None:
        return False
    inner = _only_child_chain(block)
    if _KICKER_CLASS.search(_identity(inner)) or (_only_links(block) and not _CREDIT_LEAD.match(text)):
        return False
    if _CAPTION_CLASS.search(identity):
        return True
    if inner is not block and _CAPTION_CLASS.search(_identity(inner)) and not _NOT_A_CAPTION_CLASS.search(_identity(inner)):
        return True
    return bool(_CREDIT_LEAD.match(text)) and len(text) <= 200


_NOT_CAPTION_TAGS = {"a", "img", "picture", "figure", "nav", "form", "header", "aside", "ul", "ol", "dl", "table", "menu"}
# A site's copyright line next to its logo is not a photo credit.
_SITE_NOTICE = re.compile(r"rights reserved|derechos reservados|tous droits|alle rechte|powered by|(?:©|copyright)\s*(?:©\s*)?(?:\d{4}|the\b)", re.I)
# A teaser card's category label ("Celebrity Couples") sits where a caption would.
_KICKER_CLASS = re.compile(r"categor|kicker|eyebrow|badge|rubric|topic|section-?label", re.I)


def _only_links(block: Tag) -> bool:
    """All the block's text is link text: a teaser headline or a list of links, not a caption."""
    strings = (s for s in block.find_all(string=True) if type(s) is NavigableString and s.strip())
    return all(_inside_link(string, block) for string in strings)


def _inside_link(node: NavigableString, block: Tag) -> bool:
    for parent in node.parents:
        if parent is block:
            return False
        if parent.name == "a":
            return True
    return False


def _leading_text(block: Tag, limit: int) -> str:
    """The block's text, read only up to ``limit`` characters (siblings can be whole articles)."""
    pieces: list[str] = []
    size = 0
    for string in block.strings:
        if type(string) is not NavigableString or (string.parent is not None and string.parent.name in _SKIPPED_TAGS):
            continue
        pieces.append(str(string))
        size += len(string)
        if size >= limit:
            break
    return clean(" ".join(pieces))


def _only_child_chain(block: Tag) -> Tag:
    """The innermost element of a chain of single-child wrappers (``div.meta > span.caption``)."""
    node = block
    for _ in range(3):
        children = [c for c in node.children if isinstance(c, Tag) or (isinstance(c, NavigableString) and str(c).strip())]
        if len(children) != 1 or not isinstance(children[0], Tag):
            return node
        node = children[0]
    return node


# -- reading a caption ---------------------------------------------------------------------------

@dataclass
class _Part:
    role: str  # "text" | "title" | "credit" | "label"
    text: str


def _caption(page: Snapshot, element: Tag, source: str) -> Caption | None:
    parts = _parts(page, element)
    spoken = [p.text for p in parts if p.role != "label"]
    text = clean(" ".join([*map(_sentence_ended, spoken[:-1]), *spoken[-1:]]))
    if not text:
        return None
    title = clean(" ".join(p.text for p in parts if p.role == "title"))
    credits = [p.text for p in parts if p.role == "credit"]
    description, inline_credits = strip_credits(" ".join(_sentence_ended(p.text) for p in parts if p.role == "text"))
    if not description and title:
        description, title_credits = strip_credits(title)
        credits += title_credits
        title = ""
    return Caption(element, source, text, description, title, credits + inline_credits)


def _sentence_ended(text: str) -> str:
    """Separate block-level parts so a credit in its own block is never glued to the sentence before."""
    text = text.strip()
    return text if not text or text[-1] in ".!?:;,\"”’)" else text + "."


def _parts(page: Snapshot, element: Tag) -> list[_Part]:
    parts: list[_Part] = []
    _walk(page, element, "text", parts, [True])
    merged: list[_Part] = []
    for part in parts:
        if merged and part.role == merged[-1].role and part.role != "label" and not part.text.startswith("\n"):
            merged[-1].text += part.text
        else:
            merged.append(_Part(part.role, part.text.lstrip("\n")))
    for index, part in enumerate(merged):
        part.text = clean(part.text)
        if part.role == "label" and re.search(r"source|credit|copyright", part.text, re.I) and index + 1 < len(merged):
            merged[index + 1].role = "credit"
    return [p for p in merged if p.text]


def _walk(page: Snapshot, node: Tag, role: str, parts: list[_Part], new_block: list[bool]) -> None:
    for child in node.children:
        if isinstance(child, Tag):
            if child.name in _SKIPPED_TAGS or not page.is_displayed(child):
                continue
            if child.name == "br":
                new_block[0] = True
                continue
            child_role = _role_of(page, child, role)
            block = child.name not in _INLINE_TAGS or child_role != role
            if block:
                new_block[0] = True
            _walk(page, child, child_role, parts, new_block)
            if block:
                new_block[0] = True
        elif type(child) is NavigableString:
            text = str(child)
            if not text.strip() and not parts:
                continue
            parts.append(_Part(role, ("\n" if new_block[0] else "") + text))
            if text.strip():
                new_block[0] = False


def _role_of(page: Snapshot, tag: Tag, inherited: str) -> str:
    if inherited in ("credit", "label"):
        return inherited
    text = clean(tag.get_text(" "))
    if text and _HIDDEN_LABEL.match(text):  # visually hidden in the browser, or unstyled as in saved pages
        return "label"
    identity = _identity(tag)
    rel = " ".join(tag.get("rel") or []) if isinstance(tag.get("rel"), list) else str(tag.get("rel") or "")
    if _CREDIT_CLASS.search(identity) or tag.name == "cite" or "license" in rel.lower():
        return "credit"
    if inherited == "text" and (_TITLE_CLASS.search(identity) or re.fullmatch(r"h[1-6]", tag.name or "")):
        return "title"
    return inherited


# -- alt text ---------------------------------------------------------------------------------

def alt_without_credit(alt: str) -> str:
    return strip_credits(alt)[0]


def same_words(name: str, caption_text: str) -> bool:
    """Equal once case, spacing, punctuation and credits are set aside, or one contains the
    other and they share at least 90% of their words."""
    a, b = normalise(alt_without_credit(name)), normalise(caption_text)
    if not a or not b:
        return False
    if a == b:
        return True
    if a not in b and b not in a:
        return False
    shorter, longer = sorted((len(a.split()), len(b.split())))
    return shorter / longer >= 0.9


def src_names(img: Tag) -> set[str]:
    """Base names of every file the image may load: src, lazy-load data-* attributes, srcset, picture sources."""
    return {name for name in map(_base_name, image_urls(img)) if name}


def display_src(img: Tag) -> str:
    """The base name of the file the image shows: ``src`` unless it is a data: placeholder, else its lazy-load source."""
    urls = image_urls(img)
    return next((name for name in map(_base_name, urls) if name), "")


_URL_LIKE = re.compile(rf"^(?:https?:)?//|^\.{{0,2}}/|\.(?:{_EXTENSIONS})(?:[?#]|$)", re.I)


def image_urls(img: Tag) -> list[str]:
    """URLs the image may load, ``src`` first, then lazy-load ``data-*`` attributes, ``srcset`` and picture sources."""
    urls: list[str] = []
    sources = [img]
    parent = img.parent
    if isinstance(parent, Tag) and parent.name == "picture":
        sources += parent.find_all("source")
    for tag in sources:
        for attr, value in tag.attrs.items():
            if not isinstance(value, str) or not (attr in ("src", "srcset") or attr.startswith("data-")):
                continue
            if "srcset" in attr:
                urls += [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
            elif _URL_LIKE.search(value.strip()) and not re.search(r"[\s<>{}]", value.strip()):
                urls.append(value.strip())
    return [url for url in urls if url and not url.startswith("data:")]


def _base_name(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:  # a malformed URL in an attribute
        return ""
    return unquote(path.rsplit("/", 1)[-1]).strip()


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    return f'"{shorten(text, limit)}"'


# -- file names and asset ids ---------------------------------------------------------------------

_FILE_NAME = re.compile(rf"^\S(?:.{{0,100}}\S)?\.(?:{_EXTENSIONS})$", re.I)
_CAMERA = re.compile(
    r"^(?:IMG|IMAG|DSCN?|DSCF|_DSC|_MG|SAM|GOPR|GH\d|GX\d|MVIMG|PXL|VID|PANO|DJI|CIMG|HPIM|KIF|PICT|DCIM|WP)[ _-]?\d{3,}[\w -]*$"
    # "Screen Shot 2019-10-18 at 10.02.11", "WhatsApp Image 2020-01-05 at …": a date or number right
    # after the default prefix; "Screenshot of the page … with 9 boxes" is a description
    # (the bare word "Screenshot" is a placeholder word, not a file name: alt-placeholder's)
    r"|^P\d{7}$|^(?:Screen ?Shot|Screenshot|WhatsApp Image|Untitled design|unnamed)[ _-]*(?:\(\d+\)|\d[\d._ -]*(?:at[\d._ -]+)?(?:[AP]M)?)$",
    re.I,
)
_NUMBERED = re.compile(r"^(?:image|photo|img|pic|picture|foto|bild)[ _-]?\d+$", re.I)
_STOCK_ID = re.compile(
    r"^(?:GettyImages|Getty|iStock(?:photo)?|AdobeStock|shutterstock|Depositphotos|dreamstime|fotolia|pexels-photo|bigstock|123rf)"
    r"(?:[ _-]*\d{4,}\w*|[_-]\w+)$",
    re.I,
)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_HEX_HASH = re.compile(r"^[0-9a-f]{16,}$", re.I)
_SIZE_SUFFIX = re.compile(r"(?:-\d{2,4}x\d{2,4}|-scaled|-e\d{10,}|@[23]x|-min|-rotated)+$", re.I)


def file_name_kind(name: str, img: Tag) -> str | None:
    """What kind of file name or asset id the text alternative is, or None when it is not one."""
    text = clean(name)
    if not text:
        return None
    if _FILE_NAME.match(text) and len(text.split()) <= 8:
        return "a file name"
    if _VIRIN_ONLY.match(text):
        return "a DoD VIRIN (an asset id)"
    if _CAMERA.match(text):
        return "a camera or screenshot file name"
    if _NUMBERED.match(text):
        return "a numbered default name"
    if _STOCK_ID.match(text):
        return "a stock-photo asset id"
    if _UUID.match(text):
        return "a UUID"
    if _HEX_HASH.match(text) or _looks_like_hash(text):
        return "a hash"
    if _is_own_base_name(text, img):
        return "the image's own file name"
    if " " not in text and _looks_like_slug(text):
        return "a file-name-like token"
    return None


def _looks_like_slug(text: str) -> bool:
    """``0119_selena_main``, ``milano-design-week-2018``, ``US-Ukraine-politics-impeachment``: words
    joined by underscores, or by three or more hyphens, never written as text for a listener."""
    if len(text) < 6 or not re.search(r"[A-Za-z]", text) or re.search(r"[.,;:!?()'\"{}\[\]<>%$]", text):
        return False
    return "_" in text.strip("_") or len([p for p in text.split("-") if p]) >= 4


_VIRIN_ONLY = re.compile(r"^(?:VIRIN\s*:?\s*)?\d{6}-[A-Z]-[A-Z0-9]{5}-\d{3,4}[A-Z]?(?:\.\w{3,4})?$", re.I)


def _looks_like_hash(text: str) -> bool:
    """One long token of letters and digits mixed at random: ``a8Fk29dLq0ZxP3``."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,}", text):
        return False
    digits = sum(ch.isdigit() for ch in text)
    switches = len(re.findall(r"[A-Za-z][0-9]|[0-9][A-Za-z]", text))
    return digits >= 4 and switches >= 4


def _reads_like_file_token(text: str) -> bool:
    """``harbour_boats``, ``bitcoin-figure-2``, ``bandb2``; not ``Leandra-Lou`` or ``Covid-19``, which are words."""
    if re.search(r"_|\.\w", text) or len(text.split("-")) >= 3:
        return True
    return text == text.lower() and bool(re.search(r"[-\d]", text))


def _is_own_base_name(text: str, img: Tag) -> bool:
    """The alt is the src base name (with or without extension, WordPress size suffix set aside),
    and reads like a file token (``harbour-boats_2``), not like words (``Apple`` for apple.png)."""
    if " " in text or not _reads_like_file_token(text):
        return False
    wanted = _separators(text)
    for base in src_names(img):
        stem = re.sub(rf"\.(?:{_EXTENSIONS})$", "", base, flags=re.I)
        if wanted in (_separators(base), _separators(stem), _separators(_SIZE_SUFFIX.sub("", stem))):
            return True
    return False


def _separators(name: str) -> str:
    """Case and ``-``/``_``/space differences set aside: CMSs slugify upload names."""
    return re.sub(r"[-_\s]+", "-", name.lower())


# -- credits in alt text ----------------------------------------------------------------------------

_CREDIT_IN_ALT = re.compile(
    r"(?i:\b(?:photo(?:graph)?s?|image|picture|illustration)\s+(?:by|courtesy\s+of|credit)\s*:?\s*(?:<[^>]*>\s*)?)(?-i:[A-Z0-9@])"
    r"|(?i:\bphoto\s*by\s*:|\bcredits?\s*:|\bcourtesy\s+of\b|\bcourtesy\s*:|\bcopyright\b|\bvirin\b)"
    r"|(?i:\b(?:foto|bild|bildquelle|quelle|crédit photo)\s*:)"
    r"|^(?:AP|AFP|EPA|Reuters|REUTERS|Getty Images|Shutterstock|iStock|Alamy)\.?$"
    r"|(?<![ÃÂ])©|\(c\)\s*\d{4}|\bGetty\s*Images\b|\bAP\s+Photo\b|\bREUTERS\b|/Reuters\b|\(Reuters\)|/AFP\b|\bAFP/|\bAFP\s+via\b"
    r"|\bShutterstock\b|\biStock(?:photo)?\b|\bAlamy\b|\(AP\)|/AP\b"
    rf"|{VIRIN.pattern}"
)


def credit_in(text: str) -> str | None:
    """The credit, copyright or asset metadata that ``text`` carries, or None."""
    match = _CREDIT_IN_ALT.search(text)
    return match.group(0).strip() if match else None
