"""An icon's name is a generic word, a file name or a class name.

What it does:
    Flags an exposed icon whose accessible name says nothing about it: only "icon", "image",
    "svg", "graphic" or "img" (or a mix of them), a file name ("lock.svg") or a class-like token
    ("icon-lock", "fa-lock", "ic_search_24px", a Material Icons ligature such as "arrow_back")
    (moderate). It also flags, as minor, a real name that carries "icon", "image of" or "graphic
    of" ("Locked padlock icon"), since the role is announced anyway. Icons whose name repeats the
    text beside them are left to icon-label-redundant, and icons inside a control named by its own
    aria-label are not read, so they are skipped.

    Its suggestion: for a name with "icon" riding on it, the same name without it; for a file,
    class-like or generic name, a name from the curated list of known icon names (search, menu,
    close, share, RSS feed, print, email, lock, social sites…) matched on the icon's classes,
    sprite id and svg title, or "what it shows or does" when nothing matches (it never guesses
    from other class words); when the control already has visible text, to hide the icon.

Why it matters:
    A screen reader says "image, icon" or "graphic, ic underscore search 24 p x": the listener
    learns nothing, or hears the role twice ("Locked padlock icon, image").

Example:
    <svg role="img" aria-labelledby="banner-lock-description">
      <desc id="banner-lock-description">Locked padlock icon</desc>…</svg>
    <img src="icons/tip.png" alt="icon" width="24" height="24">

Use instead:
    <desc id="banner-lock-description">Locked padlock</desc>
    <img src="icons/tip.png" alt="Tip" width="24" height="24">  (or alt="" when the text beside it says "Tip")
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
    generic_name,
    guess_identity,
    hide_advice,
    icon_name,
    is_blank_name,
    name_source,
    redundant_in_control,
    shorten,
    text_beside,
)

META = RuleMeta(
    id="icon-label-generic",
    impact="moderate",
    wcag=("1.1.1",),
    help="An icon's name must say what it shows or does, not that it is an icon",
    family="icons",
)


def applicable(page: Snapshot) -> Iterable[tuple[Tag, str]]:
    """Exposed icons with a name that a screen reader reads."""
    for icon, kind in exposed_icons(page):
        control = control_of(icon)
        if control is not None and control is not icon and (control.get("aria-label") or control.get("aria-labelledby")):
            continue  # the control's own name replaces its content
        if not is_blank_name(icon_name(page, icon)):
            yield icon, kind


def evaluate(page: Snapshot, candidate: tuple[Tag, str], options: dict[str, Any]) -> Issue | None:
    icon, kind = candidate
    name = clean_name(icon_name(page, icon))
    generic = generic_name(name)
    if generic is None or redundant_in_control(page, icon) is not None:
        return None
    control = control_of(icon)
    better = generic.better or guess_identity(page, icon, control) or "what it shows or does"
    rename = _rename(name_source(page, icon), better)
    beside = text_beside(page, control, icon) if control is not None and control is not icon else ""
    if beside:
        # The control already has visible words: the icon is decoration next to them.
        suggestion = (f'The text "{shorten(beside, 40)}" names the {describe_control(control)}: hide the icon with '
                      f"{hide_advice(kind)}; or, if it adds meaning, {rename[0].lower() + rename[1:]}")
    elif generic.kind == "riding":
        suggestion = rename
    else:
        suggestion = f"{rename} If the text beside it already says that, hide the icon with {hide_advice(kind)}."
    if generic.kind == "riding":
        message = f'This icon\'s name "{shorten(name)}" includes a word the screen reader already says (the role is announced).'
        return Issue(icon, message, suggestion=suggestion, impact="minor")
    what = "a file name" if "." in name else ("a class-like token" if generic.better else "a generic word")
    message = f'This icon\'s name "{shorten(name)}" is {what}, which says nothing about what it shows.'
    return Issue(icon, message, suggestion=suggestion, impact="moderate")


def _rename(source: str, better: str) -> str:
    if source.startswith("the text of"):
        return f'Change {source} to "{better}".'
    if source in ("<title>", "text"):
        return f'Change the icon\'s {source} to "{better}".'
    return f'Use {source}="{better}".'
