"""Image alt text is a file name or an asset id.

What it does:
    Flags any image exposed to assistive technology whose text alternative is a file name
    (``.jpg .jpeg .png .gif .webp .svg .tif .heic``...), its own ``src`` base name with or
    without extension (lazy-load ``data-src``, ``srcset`` and ``<picture>`` sources count, and
    WordPress size suffixes like ``-1024x683`` are set aside), a camera or screenshot name
    (``IMG_1234``, ``DSC_0042``, ``DSCN…``, ``P1010001``, ``GOPR…``, ``PXL_2026…``), a DoD VIRIN
    (``191121-D-TQ793-002C``), a stock-photo id, a UUID or a hash. A base name is only flagged
    when it reads like a file token (``harbour-boats_2``): ``alt="Apple"`` on ``apple.png`` is
    words, not a file name. The bare word "Screenshot" is a placeholder (alt-placeholder's), not a
    file name. Tracking pixels (2 px or less) are skipped.

    Its suggestion gives no alt text of its own: for a photo whose caption describes it,
    ``alt=""`` with the caption tied as its figcaption, or a description of what is seen (never
    the caption again); otherwise a description, or ``alt=""`` for decoration.

Why it matters:
    A screen reader reads the alt aloud: "IMG underscore 4 8 2 1 dot JPG" tells the listener
    nothing. CMSs fill the alt with the uploaded file's name when the editor leaves it empty.

Example:
    <img src="IMG_4821.JPG" alt="IMG_4821.JPG">

Use instead:
    <img src="IMG_4821.JPG" alt="Volunteers drag a swamped rowboat up the boat ramp">
    or alt="" when the image is purely decorative.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._captions import Image, file_name_kind, quote, spoken_images

META = RuleMeta(
    id="alt-is-filename",
    impact="serious",
    wcag=("1.1.1",),
    help="Image alt text must describe the image, not be a file name or asset id",
    family="captions",
)


def applicable(page: Snapshot) -> Iterable[Image]:
    return spoken_images(page)


def evaluate(page: Snapshot, image: Image, options: dict[str, Any]) -> Issue | None:
    kind = file_name_kind(image.name, image.element)
    if kind is None:
        return None
    message = f"The image's text alternative {quote(image.name)} is {kind}, which says nothing about what the image shows."
    return Issue(image.element, message, suggestion=image.alt_advice())
