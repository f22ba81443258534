"""Image alt text carries a photo credit, copyright or asset metadata.

What it does:
    Flags an image exposed to assistive technology whose text alternative contains a credit,
    copyright or asset metadata: "Photo by Jane Doe", "Photo By:", "Credit:", "Courtesy of",
    "©", "Getty Images", "AP Photo", "REUTERS/…", a VIRIN. An alt that is nothing but a VIRIN
    is left to alt-is-filename. The suggestion is the alt with the credit taken out.

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
from ._captions import Image, credit_in, file_name_kind, quote, spoken_images, strip_credits

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
    remainder, credits = strip_credits(image.name)
    shown = credits[-1] if credits else image.name[image.name.find(credit):]
    message = f"The alt text {quote(image.name)} carries a credit ({quote(shown, 40)}) that belongs in the caption."
    if remainder and credit_in(remainder) is None:
        suggestion = f'Use alt="{remainder}" and keep the credit in the caption.'
    else:
        suggested = image.caption_alt
        described = f'alt="{suggested}" (drawn from the caption)' if suggested else "alt text that says what the photo shows"
        suggestion = f"Replace the credit with {described}, and keep the credit in the caption."
    return Issue(image.element, message, suggestion=suggestion)
