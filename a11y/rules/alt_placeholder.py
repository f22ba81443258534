"""Image alt text is only a placeholder word.

What it does:
    Flags any image exposed to assistive technology (``<img>``, ``<picture>``'s img,
    ``role="img"``) whose text alternative is only a generic word or phrase: "image", "photo",
    "picture", "graphic", "img", "pic", "thumbnail", "placeholder", "untitled", "alt",
    "alt text", "image of", "spacer" on an image that is not a spacer, or an unfilled template
    variable such as "{image_alt}" or "{{ alt }}". Images hidden from
    assistive technology and tracking pixels are skipped. "Screenshot" alone is a placeholder
    word too.

    Its suggestion gives no alt text of its own: for a photo whose caption describes it,
    ``alt=""`` with the caption tied as its figcaption, or a description of what is seen (never
    the caption again); otherwise a description, or ``alt=""`` for decoration.

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

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._captions import Image, quote, spoken_images, src_names

META = RuleMeta(
    id="alt-placeholder",
    impact="serious",
    wcag=("1.1.1",),
    help="Image alt text must describe the image, not be a placeholder word",
    family="captions",
)

PLACEHOLDERS = {
    "image", "images", "photo", "photos", "picture", "pictures", "graphic", "img", "pic", "thumbnail", "thumb",
    "placeholder", "untitled", "alt", "alt text", "alttext", "image of", "photo of", "picture of", "spacer", "blank",
    "null", "none", "undefined", "logo image", "featured image", "main image", "hero image", "image placeholder",
    "insert alt text", "alt tag", "photograph", "untitled image", "no image", "default image", "image description",
    "screenshot", "screen shot", "screenshots", "unnamed", "untitled design",
}


# An unfilled template variable: "{other_image_alt}", "{{ alt }}", "%ALT%", "${alt}".
TEMPLATE_VARIABLE = re.compile(r"^(?:\{\{?\s*[\w.-]+\s*\}?\}|%[\w.-]+%|\$\{[\w.-]+\})$")


def _normalise(text: str) -> str:
    return re.sub(r"[\s_\-.:;,!\[\]()]+", " ", text).strip().lower()


def applicable(page: Snapshot) -> Iterable[Image]:
    return spoken_images(page)


def evaluate(page: Snapshot, image: Image, options: dict[str, Any]) -> Issue | None:
    word = _normalise(image.name)
    if word not in PLACEHOLDERS and not TEMPLATE_VARIABLE.match(image.name):
        return None
    if word == "spacer" and any("spacer" in name.lower() for name in src_names(image.element)):
        return None
    message = f"The image's text alternative {quote(image.name)} is a placeholder that says nothing about what it shows."
    return Issue(image.element, message, suggestion=image.alt_advice())
