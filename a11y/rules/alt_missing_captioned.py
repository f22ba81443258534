"""A captioned image has no text alternative at all.

What it does:
    Flags a displayed image (``<img>``, ``<picture>``'s img, ``role="img"``) that has a caption
    (its figure's ``figcaption``, an ``aria-describedby``/``aria-labelledby`` target, or a
    caption-like block next to it) but no text alternative: no ``alt`` attribute and no name
    from ``aria-label``, ``aria-labelledby`` or ``title``. Images marked decorative
    (``alt=""``, ``role="presentation"``) or hidden from assistive technology are left to
    alt-empty-captioned, and a figure whose one caption covers several images (a gallery, a
    video thumbnail with its play-button overlays) is left to axe-core's image-alt.

    Its suggestion never makes the caption the alt: when the caption describes the photo, it
    suggests ``alt=""`` with the caption tied as its figcaption, or a short description of what
    is seen; when the caption only gives a credit, it asks for a description. It never suggests
    a date, a credit, a "read more" phrase, a bare number or a file name.

Why it matters:
    Without ``alt`` a screen reader falls back to announcing "image" or the file name, and the
    listener has no idea what the photo shows. The caption next to it usually says who or what
    is in the picture, so a good alt is one edit away.

Example:
    <figure class="wp-block-image">
      <img src="paddleboards.jpg">
      <figcaption>Volunteers on paddleboards pick debris out of the marsh.</figcaption>
    </figure>

Use instead:
    <figure class="wp-block-image">
      <img src="paddleboards.jpg" alt="Three volunteers on paddleboards lift debris from the marsh">
      <figcaption>Volunteers on paddleboards pick debris out of the marsh.</figcaption>
    </figure>
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._captions import Image, images, quote

META = RuleMeta(
    id="alt-missing-captioned",
    impact="critical",
    wcag=("1.1.1",),
    help="Captioned images must have a text alternative",
    family="captions",
)


def applicable(page: Snapshot) -> Iterable[Image]:
    for image in images(page):
        if image.caption is not None and not image.at_hidden and not image.presentational:
            yield image


def evaluate(page: Snapshot, image: Image, options: dict[str, Any]) -> Issue | None:
    caption = image.caption
    if not image.no_text_alternative or caption is None or caption.shared:
        return None
    attribute = "alt" if image.element.name == "img" else "aria-label"
    missing = f"This image has no text alternative (no {attribute}, aria-label or title)"
    if caption.describes:
        message = f"{missing} although its caption {quote(caption.quote())} says what it shows."
    else:
        message = f"{missing}, and its caption {quote(caption.text)} only gives a credit."
    if caption.describes and attribute == "alt":
        tie = "as its figcaption" if caption.source == "figcaption" else "(make it the figure's figcaption or point aria-describedby at it)"
        suggestion = (f'Add {attribute}="" if the caption, tied to the image {tie}, says what the photo shows; otherwise '
                      f'{attribute}="describe what the photo shows" (what is seen, not the caption again).')
    elif caption.describes:
        suggestion = f'Add {attribute}="describe what the photo shows" (what is seen, not the caption again).'
    else:
        suggestion = f'Add {attribute}="describe what the photo shows": the caption only carries a credit.'

    return Issue(image.element, message, suggestion=suggestion)
