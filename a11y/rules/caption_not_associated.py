"""An image and its caption are not tied together in code.

What it does:
    Flags an image exposed to assistive technology that has a caption-like block right before
    or after it (in its wrapper, at most two levels up: a class or id mentioning caption,
    cutline or credit, WordPress's ``wp-caption-text``, or text opening with "Photo by",
    "Credit:", "©"...) when nothing ties the two in code: no ``<figure>`` with that block as its
    ``<figcaption>``, no ``aria-describedby``/``aria-labelledby`` pointing at it. Typical
    sources are DNN/defense.gov's ``div.image-wrapper`` + ``div.image-caption``, WordPress's
    classic ``[caption]`` shortcode (``div.wp-caption`` + ``p.wp-caption-text``) and Drupal
    fields placed side by side. An image and caption inside the same link (a teaser card) are
    left alone: the link's name already reads them together. The suggestion is the
    figure/figcaption markup to use, with the image's own alt, or a "describe what the photo
    shows" slot when it has none (never the caption copied into alt).

Why it matters:
    Sighted readers see which photo a caption sits under. A screen-reader user hears an image,
    then some text, and cannot tell whether that text describes the photo, the next one or the
    story (WCAG 1.3.1: relationships conveyed visually must be in the markup). Inside a
    ``<figure>`` with a ``<figcaption>``, screen readers announce the caption as part of the
    figure.

Example:
    <div class="image-wrapper">
      <div class="image"><img src="officials.jpg" alt="Officials stand in a row"></div>
      <div class="image-caption">Officials meet at the Pentagon. Photo By: Jane Doe, DOD</div>
    </div>

Use instead:
    <figure class="image-wrapper">
      <img src="officials.jpg" alt="Officials stand in a row">
      <figcaption>Officials meet at the Pentagon. Photo By: Jane Doe, DOD</figcaption>
    </figure>
    (or give the img aria-describedby="the caption's id")
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._captions import Image, display_src, images, quote, shorten, unusable_alt

META = RuleMeta(
    id="caption-not-associated",
    impact="moderate",
    wcag=("1.3.1",),
    help="Captions must be tied to their image with figure/figcaption or aria-describedby",
    family="captions",
)


def applicable(page: Snapshot) -> Iterable[Image]:
    for image in images(page):
        if image.caption is not None and (image.spoken or image.no_text_alternative):
            yield image


def evaluate(page: Snapshot, image: Image, options: dict[str, Any]) -> Issue | None:
    caption = image.caption
    if caption is None or caption.associated or caption.in_same_link:
        return None
    image_label = f"this image ({quote(image.name, 40)})" if image.name else "this image"
    message = (f"The caption {quote(caption.text)} next to {image_label} is not tied to it in code (no figure/figcaption, "
               "no aria-describedby), so screen-reader users cannot tell which photo it belongs to.")
    return Issue(image.element, message, suggestion=_markup(image))


def _markup(image: Image) -> str:
    caption = image.caption
    assert caption is not None
    src = display_src(image.element) or "…"
    usable = image.name and unusable_alt(image.name, image.element) is None
    alt = shorten(image.name if usable else "describe what the photo shows", 60).replace('"', "&quot;")
    figcaption = shorten(caption.text, 80).replace("<", "&lt;")
    caption_id = caption.element.get("id")
    alternative = f'give the img aria-describedby="{caption_id}"' if isinstance(caption_id, str) and caption_id else (
        "give the caption an id and the img aria-describedby pointing at it")
    return (f'Wrap both in a figure and make the caption its figcaption: <figure><img src="{src}" alt="{alt}">'
            f"<figcaption>{figcaption}</figcaption></figure> (or {alternative}).")
