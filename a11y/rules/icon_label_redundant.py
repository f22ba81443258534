"""An icon inside a link, button or label repeats the text beside it.

What it does:
    Flags an exposed icon with a name inside a link, button or label (whose name comes from its
    content) when the icon's name is said again by the text beside it: a Print button whose
    icon is named "Print" next to the word "Print" is read "Print Print". "icon" in the icon's
    name is ignored when comparing ("Search icon" next to "Search").

    Its suggestion is always to hide the icon from assistive technology (``aria-hidden="true"``,
    or ``alt=""`` for an image): the visible text names the control. A toggle's pressed-state
    icons (``span.active``, ``span.close-x``), all rendered when the page's CSS did not load, are
    not judged: only the resting state counts.

Why it matters:
    Screen reader users hear every control name twice ("Search Search"), and voice-control
    users see a label that does not match the name they must speak. The visible text already
    names the control, so the icon is decoration.

Example:
    <button><svg role="img" aria-label="Print"><use href="#icon-print"></use></svg> Print</button>

Use instead:
    <button><svg aria-hidden="true" focusable="false"><use href="#icon-print"></use></svg> Print</button>
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bs4 import Tag

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._icons import (
    clean_name,
    control_of,
    describe_control,
    exposed_icons,
    hide_advice,
    icon_name,
    is_blank_name,
    redundant_in_control,
    shorten,
)

META = RuleMeta(
    id="icon-label-redundant",
    impact="minor",
    wcag=("2.4.4", "4.1.2"),
    help="An icon next to text that says the same must be hidden from assistive technology",
    family="icons",
    best_practice=True,
)


def applicable(page: Snapshot) -> Iterable[tuple[Tag, str]]:
    """Exposed, named icons inside a link, button or label."""
    for icon, kind in exposed_icons(page):
        container = control_of(icon, with_label=True)
        if container is not None and container is not icon and not is_blank_name(icon_name(page, icon)):
            yield icon, kind


def evaluate(page: Snapshot, candidate: tuple[Tag, str], options: dict[str, Any]) -> Issue | None:
    icon, kind = candidate
    found = redundant_in_control(page, icon)
    if found is None:
        return None
    container, beside = found
    name = clean_name(icon_name(page, icon))
    heard = f"{name} {beside}"
    message = (f'This icon\'s name "{shorten(name, 40)}" repeats the text "{shorten(beside, 40)}" beside it in the '
               f'{describe_control(container)}, so a screen reader says "{shorten(heard)}".')
    return Issue(icon, message, suggestion=f"Hide the icon from assistive technology with {hide_advice(kind)}; the text names the "
                 f"{describe_control(container)}.")
