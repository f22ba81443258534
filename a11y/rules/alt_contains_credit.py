"""Image alt text carries a photo credit, copyright or asset metadata.

What it does:
    Flags an image exposed to assistive technology whose text alternative contains a credit,
    copyright or asset metadata: "Photo by Jane Doe", "Photo By:", "Credit:", "Courtesy of",
    "©", "Getty Images", "AP Photo", "REUTERS/…", a VIRIN. An alt that is nothing but a VIRIN
    is left to alt-is-filename. A provider's logo (class, id or file name says logo) named
    only by the provider ("Reuters") is not flagged: that is its name, not a photo credit.

    The suggestion is the alt with the credit taken out, unless what is left is a date, a
    "read more" phrase, a bare number, a file name or the caption again; then it gives no alt
    text of its own and asks for a description (or ``alt=""`` when the caption says it all).

Why it matters:
    The alt stands in for the picture; who took it is not part of what it shows. Listeners
    wade through the credit before (or instead of) a description, and the credit usually
    already sits in the caption, where sighted readers find it and where it belongs.

Example:
    <img src="flood.jpg" alt="Floodwater covers Main Street. Photo by Jane Doe/AP">

Use instead:
    <img src="flood.jpg" alt="Floodwater covers Main Street">
    and keep "Photo by Jane Doe/AP" in the caption.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._captions import (
    Image,
    credit_in,
    file_name_kind,
    is_logo,
    names_only_a_provider,
    quote,
    same_words,
    spoken_images,
    strip_credits,
    unusable_alt,
)

META = RuleMeta(
    id="alt-contains-credit",
    impact="minor",
    wcag=("1.1.1",),
    help="Image alt text should not carry photo credits or asset metadata",
    family="captions",
    best_practice=True,
)


def applicable(page: Snapshot) -> Iterable[Image]:
    return spoken_images(page)


def evaluate(page: Snapshot, image: Image, options: dict[str, Any]) -> Issue | None:
    credit = credit_in(image.name)
    if credit is None or file_name_kind(image.name, image.element) is not None:
        return None
    if is_logo(image.element) and names_only_a_provider(image.name):
        return None  # a provider's logo named "Reuters" in a credit line: that is its right name
    remainder, credits = strip_credits(image.name)
    shown = credits[-1] if credits else image.name[image.name.find(credit):]
    message = f"The alt text {quote(image.name)} carries a credit ({quote(shown, 40)}) that belongs in the caption."
    if remainder and credit_in(remainder) is None and unusable_alt(remainder, image.element) is None \
            and not (image.caption is not None and same_words(remainder, image.caption.description)):
        suggestion = f'Use alt="{remainder}" and keep the credit in the caption.'
    else:
        suggestion = image.alt_advice("Drop the credit (keep it in the caption) and use")
    return Issue(image.element, message, suggestion=suggestion)
