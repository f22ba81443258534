"""Image alt text is only a placeholder word.

What it does:
    Flags any image exposed to assistive technology whose text alternative is only a generic
    word or phrase: "image", "photo", "picture", "graphic", "img", "pic", "thumbnail",
    "placeholder", "untitled", "alt", "alt text", "image of", or "spacer" on an image that is
    not a spacer.

Why it matters:
    A screen reader already announces "image"; "image, photo" tells the listener nothing about
    what the photo shows. CMS templates fill such words in when an editor leaves alt empty.

Example:
    <img src="harbour.jpg" alt="photo">

Use instead:
    <img src="harbour.jpg" alt="Fishing boats moored in the harbour at dawn">
    or alt="" when the image is purely decorative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bs4 import Tag

from ..snapshot import Snapshot
from . import Issue, RuleMeta

META = RuleMeta(
    id="alt-placeholder",
    impact="serious",
    wcag=("1.1.1",),
    help="Image alt text must describe the image, not be a placeholder word",
    family="alt-text",
)

PLACEHOLDERS = {
    "image", "images", "photo", "photos", "picture", "graphic", "img", "pic", "thumbnail", "thumb",
    "placeholder", "untitled", "alt", "alt text", "alttext", "image of", "photo of", "picture of",
    "spacer", "blank", "null", "none", "undefined", "logo image", "featured image", "main image",
    "hero image", "image placeholder", "insert alt text", "alt tag",
}


def _normalise(text: str) -> str:
    return re.sub(r"[\s_\-.:;,!]+", " ", text).strip().lower()


def applicable(page: Snapshot) -> Iterable[Tag]:
    for img in page.soup.find_all("img"):
        if img.get("alt") and page.is_displayed(img) and not page.is_at_hidden(img):
            yield img


def evaluate(page: Snapshot, img: Tag, options: dict[str, Any]) -> Issue | None:
    alt = str(img.get("alt", ""))
    word = _normalise(alt)
    if word not in PLACEHOLDERS:
        return None
    if word == "spacer" and "spacer" in str(img.get("src", "")).lower():
        return None
    return Issue(img, f'Image alt text "{alt.strip()}" is a placeholder that says nothing about the image.',
                 suggestion='Describe what the image shows, or use alt="" if it is purely decorative.')
