"""A captioned photo is marked decorative (``alt=""``) although its caption describes it.

What it does:
    Asks for review of a displayed image with ``alt=""`` (or ``role="presentation"``/``"none"``)
    whose caption says what the photo shows (at least three descriptive words once credits,
    VIRIN and datelines are set aside). Skipped: images hidden from assistive technology
    (``aria-hidden="true"``, ``inert``, not displayed: no publishing rule reports hidden
    content), images whose caption is hidden as well (a carousel's cloned slides), and figures
    whose one caption covers several images (a gallery's group caption).

    Its suggestion never repeats the caption as alt: keep ``alt=""`` and tie the caption to the
    photo (figure/figcaption) when the caption says everything the photo shows; otherwise
    describe what is seen that the caption does not say. It gives no alt text of its own.

Why it matters:
    ``alt=""`` tells a screen reader the image is decoration, so it skips it: the listener hears
    a caption about a photo they never learn exists, and nothing about what it shows beyond the
    caption. WordPress's block editor and many CMSs write ``alt=""`` by default when the editor
    leaves the field empty. Sometimes the caption really does say everything, which is why this
    is a review item rather than a violation.

Example:
    <figure class="wp-block-image">
      <img src="debris.jpg" alt="">
      <figcaption>By noon the debris pile included dock boards, lobster traps and buoys.</figcaption>
    </figure>

Use instead:
    <img src="debris.jpg" alt="A heap of broken dock boards, lobster traps and buoys on the landing">
    (keep the figcaption; describe what is seen, not the caption again)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._captions import Image, images, quote

META = RuleMeta(
    id="alt-empty-captioned",
    impact="moderate",
    wcag=("1.1.1",),
    help="Photos whose caption describes them should not be marked decorative",
    outcome="needs-review",
    family="captions",
)


def applicable(page: Snapshot) -> Iterable[Image]:
    for image in images(page):
        if image.caption is not None and image.decorative and not page.is_at_hidden(image.caption.element):
            yield image


def evaluate(page: Snapshot, image: Image, options: dict[str, Any]) -> Issue | None:
    caption = image.caption
    if caption is None or caption.shared or not caption.describes:
        return None
    how = 'is hidden from screen readers (aria-hidden="true")' if image.at_hidden and not image.presentational else (
        'is marked decorative (alt="")' if image.alt == "" else "is marked decorative (role=presentation)")
    message = f"This photo {how}, yet its caption {quote(caption.quote())} describes what it shows."
    extra = [attr for attr in ("aria-hidden", "role") if image.element.get(attr) is not None and not (attr == "role" and image.alt is None)]
    remove = f", remove {' and '.join(extra)}" if extra else ""
    tie = "" if caption.associated else " and tie the caption to it (figure/figcaption or aria-describedby)"
    suggestion = (f'If the caption says everything the photo shows, keep alt=""{tie}. Otherwise give it '
                  f'alt="describe what the photo shows"{remove}: what is seen that the caption does not say, not the caption again.')
    return Issue(image.element, message, suggestion=suggestion)
