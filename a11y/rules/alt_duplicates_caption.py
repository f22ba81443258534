"""Image alt text repeats its caption.

What it does:
    Flags an image exposed to assistive technology whose accessible name says the same as the
    descriptive part of its caption: equal once case, spacing, punctuation, visually hidden
    prefixes (BBC's "Image caption, ") and credits are set aside, or one contains the other and
    they share at least 90% of their words. The caption is the figure's ``figcaption``, an
    ``aria-describedby``/``aria-labelledby`` target, or a caption-like block next to the image.
    Images hidden from assistive technology (``aria-hidden``, ``role="presentation"``) are
    skipped: nobody hears their alt.

    A logo in a link whose text repeats its name is left to icon-label-redundant.

    Its suggestion gives no alt text of its own: ``alt=""`` (with the caption tied to the
    image) when the caption says what the photo shows, else a description of what is seen.

Why it matters:
    A screen reader reads the alt, then the caption: the listener hears the same sentence twice
    and still learns nothing about what the photo looks like. Editors often paste the caption
    into the alt field, and some CMSs copy it there automatically.

Example:
    <div class="wp-caption">
      <img src="briefing.jpg" alt="Harbor master Luis Ortega briefs volunteers.">
      <p class="wp-caption-text">Harbor master Luis Ortega briefs volunteers.</p>
    </div>

Use instead:
    <img src="briefing.jpg" alt="A man in a yellow jacket points at a map as volunteers listen">
    (the alt says what is seen; the caption says who and why)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._captions import Image, display_src, images, quote, same_words
from ._icons import is_small, redundant_in_control

META = RuleMeta(
    id="alt-duplicates-caption",
    impact="minor",
    wcag=("1.1.1",),
    help="Image alt text should not repeat the caption",
    family="captions",
    best_practice=True,
)


def applicable(page: Snapshot) -> Iterable[Image]:
    for image in images(page):
        if image.caption is not None and image.spoken and not _icon_beside_its_words(page, image):
            yield image


def _icon_beside_its_words(page: Snapshot, image: Image) -> bool:
    """A logo or icon in a link whose text repeats its name ("Medical Xpress" beside the Medical
    Xpress logo): the words are the link's text, not a photo caption; icon-label-redundant's."""
    link = image.element.find_parent("a")
    caption = image.caption
    in_link = caption is not None and link is not None and any(parent is link for parent in caption.element.parents)
    return in_link and _icon_sized(page, image) and redundant_in_control(page, image.element) is not None


def _icon_sized(page: Snapshot, image: Image) -> bool:
    """An icon, or a vector logo drawn at icon size (at most 96 px): not a teaser thumbnail,
    whose alt repeating its headline is heard twice and stays this rule's."""
    _, _, width, height = page.facts_of(image.element).box
    vector = display_src(image.element).lower().endswith(".svg")
    return is_small(page, image.element, "img") or (vector and width <= 96 and height <= 96)


def evaluate(page: Snapshot, image: Image, options: dict[str, Any]) -> Issue | None:
    caption = image.caption
    if caption is None:
        return None
    readings = [caption.description, f"{caption.title} {caption.description}", caption.title]
    if not any(text.strip() and same_words(image.name, text) for text in readings):
        return None
    message = f"The alt text {quote(image.name)} repeats the caption, so screen-reader users hear it twice."
    tie = "" if caption.associated else " and tie the caption to it (figure/figcaption)"
    suggestion = (f'Use alt=""{tie} when the caption says what the photo shows; otherwise alt="describe what the photo shows": '
                  "what is seen (people, place, action) that the caption does not say.")
    return Issue(image.element, message, suggestion=suggestion)
