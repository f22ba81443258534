"""An icon that assistive technology reaches has no name.

What it does:
    Flags a small icon (inline ``<svg>``, ``<use>`` sprite, ``<img>``, ``role="img"`` element or
    icon-font ``<i>``/``<span>``) that is exposed to assistive technology, has no accessible name,
    and either is the only content of a link, button or other control that has no name of its
    own, or has an image role (``<img>``, ``role="img"``) outside any named control. An icon
    font whose private-use glyph is all a screen reader gets counts as unnamed. A Material Icons
    ligature (``<span class="material-icons">search</span>``) is read aloud, so it counts as a
    name and is not flagged here. The finding names the icon and guesses what it shows from its
    classes, sprite id, file name or ``<title>``.

    It also flags a link or button with no name and no text whose only content is an icon
    nobody hears: an svg or icon font hidden with ``aria-hidden="true"`` or
    ``role="presentation"``, an ``alt=""`` image, an svg of any size, or nothing at all under an
    icon class (``<button class="icon-menu-mobile"></button>``, ``<a class="icon
    icon--social-pinterest"><span></span></a>``: the glyph is CSS). Logos are left to axe-core.
    The finding is on the control, so axe-core's ``link-name``/``button-name`` on it merges
    into it. Icons are recognised by size (48 px or less) and, when the site's CSS is missing,
    by markup: icon-library classes (USWDS, Font Awesome, Material, Bootstrap), ``<use
    href="#icon-…">`` sprites, up to 96 px.

    Its suggestion names the control from a curated list of icon names (search, menu, close,
    share, RSS feed, print, email, lock, social sites…) matched on the control's and the icon's
    classes, sprite ids, svg titles and a social link's host. When nothing matches it does not
    guess: it says to name the control by what it does.

Why it matters:
    A button holding only ``<i class="fa fa-search"></i>`` is announced as "button"; a lone
    ``<svg role="img">`` as "image", and an ``<img>`` without ``alt`` as its file name. Users of
    screen readers and voice control cannot tell what the control does or call it by name.

Example:
    <button class="search-toggle"><i class="fa fa-search"></i></button>
    <a href="/cart"><svg><use href="#icon-cart"></use></svg></a>

Use instead:
    <button class="search-toggle" aria-label="Search"><i class="fa fa-search" aria-hidden="true"></i></button>
    <a href="/cart"><svg aria-hidden="true" focusable="false"><use href="#icon-cart"></use></svg>
      <span class="visually-hidden">Cart</span></a>
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bs4 import Tag

from ..snapshot import Snapshot
from . import Issue, RuleMeta
from ._icons import (
    SilentControl,
    classes_of,
    control_of,
    describe_control,
    exposed_icons,
    guess_control,
    guess_identity,
    has_image_role,
    hide_advice,
    icon_kind,
    icon_name,
    is_blank_name,
    is_small,
    looks_decorative,
    naming_attribute,
    shorten,
    silent_controls,
    text_beside,
    words,
)

META = RuleMeta(
    id="icon-missing-label",
    impact="serious",
    wcag=("1.1.1", "4.1.2"),
    help="Icons that carry meaning must have an accessible name",
    family="icons",
)


def applicable(page: Snapshot) -> Iterable[tuple[Tag, str] | SilentControl]:
    """Exposed icons that are a control's content or have an image role; unnamed controls whose icon is silent."""
    for icon, kind in exposed_icons(page):
        if has_image_role(icon, kind) or control_of(icon) is not None:
            yield icon, kind
    yield from silent_controls(page)


def evaluate(page: Snapshot, candidate: tuple[Tag, str] | SilentControl, options: dict[str, Any]) -> Issue | None:
    if isinstance(candidate, SilentControl):
        return _silent_control(page, candidate)
    icon, kind = candidate
    if not is_blank_name(icon_name(page, icon)):
        return None
    control = control_of(icon)
    if control is not None:
        if not is_blank_name(page.accessible_name(control) or _fallback_name(control)):
            return None  # the control is named (aria-label, hidden text, other content): the icon is fine
        if not _first_unnamed_icon(page, control, icon):
            return None  # one finding per control
        return _unnamed_control(page, icon, kind, control)
    return _unnamed_image(page, icon, kind)


def _fallback_name(control: Tag) -> str:
    return str(control.get("aria-label") or control.get("title") or "")


def _first_unnamed_icon(page: Snapshot, control: Tag, icon: Tag) -> bool:
    for tag in control.find_all(["svg", "img", "i", "span"]) if control is not icon else []:
        if tag is icon:
            return True
        kind = icon_kind(page, tag)
        if kind and page.is_displayed(tag) and not page.is_at_hidden(tag) and is_small(page, tag):
            return False
    return True


def describe_icon(icon: Tag, kind: str) -> str:
    """A short handle for the icon: its classes, sprite id or file name."""
    if icon.name == "svg":
        use = icon.find("use")
        ref = str(use.get("href") or use.get("xlink:href") or "") if use is not None else ""
        if "#" in ref:
            return f'<svg> sprite "#{ref.rsplit("#", 1)[1]}"'
    if icon.name == "img":
        src = str(icon.get("src") or "")
        if src and not src.startswith("data:"):
            return f'<img> "{shorten(src.rsplit("/", 1)[-1].split("?")[0], 40)}"'
    classes = icon.get("class")
    text = " ".join(classes) if isinstance(classes, list) else str(classes or "")
    return f'<{icon.name} class="{shorten(text, 40)}">' if text else f"<{icon.name}>"


def _unnamed_control(page: Snapshot, icon: Tag, kind: str, control: Tag) -> Issue:
    what = describe_control(control)
    guess = guess_identity(page, icon, control)
    looks = f' (it looks like "{guess}")' if guess else ""
    message = (f"The icon {describe_icon(icon, kind)}{looks} is the only content of this {what}, and neither has a name, "
               f'so a screen reader announces just "{what}".')
    if control is icon:
        message = f'The icon {describe_icon(icon, kind)}{looks} is itself a {what} with no name, so a screen reader announces just "{what}".'
        suggestion = f'Add aria-label="{guess}" to the icon.' if guess else "Name this control by what it does: an aria-label on the icon."
    elif kind == "img" and guess:
        suggestion = f'Give the image alt="{guess}": it becomes the {what}\'s name.'
    elif kind == "img":
        suggestion = f"Name this {what} by what it does: give the image an alt that says it (it becomes the {what}'s name)."
    elif guess:
        suggestion = (f'Name the {what}: aria-label="{guess}" on the <{control.name}> (or visually hidden text '
                      f"inside it), and {hide_advice(kind)} on the icon.")
    else:
        suggestion = (f"Name this {what} by what it does: an aria-label on the <{control.name}> (or visually hidden text "
                      f"inside it), and {hide_advice(kind)} on the icon.")
    return Issue(icon, message, suggestion=suggestion)


def _silent_control(page: Snapshot, silent: SilentControl) -> Issue:
    control = silent.control
    what = describe_control(control)
    guess = guess_control(page, silent)
    looks = f' (it looks like "{guess}")' if guess else ""
    if silent.icon is not None:
        icon = f"its only content, the icon {describe_icon(silent.icon, icon_kind(page, silent.icon) or '')}{looks}, {silent.how}"
    else:
        icon = f'it is empty: its icon{looks} {silent.how} (class "{shorten(" ".join(classes_of(control)), 40)}")'
    message = f'This {what} has no name and {icon}, so a screen reader announces just "{what}".'
    text = f'aria-label="{guess}"' if guess else "an aria-label that says what it does"
    lead = f"Name the {what}" if guess else f"Name this {what} by what it does"
    suggestion = f"{lead}: {text} on the <{control.name}> (or visually hidden text inside it)."
    return Issue(control, message, suggestion=suggestion)


def _unnamed_image(page: Snapshot, icon: Tag, kind: str) -> Issue:
    guess = guess_identity(page, icon)
    looks = f' (it looks like "{guess}")' if guess else ""
    heard = "its file name" if kind == "img" else '"image"'
    message = f"The icon {describe_icon(icon, kind)}{looks} has an image role but no accessible name, so a screen reader announces {heard}."
    parent = icon.parent if isinstance(icon.parent, Tag) else None
    beside = text_beside(page, parent, icon) if parent is not None else ""
    if guess and set(words(guess)) <= set(words(beside)):
        suggestion = f'The text beside it already says "{guess}": hide the icon with {hide_advice(kind)}.'
    elif looks_decorative(page, icon):
        suggestion = f"It looks decorative (a bullet, corner or separator): hide it with {hide_advice(kind)}."
    else:
        attr = naming_attribute(kind)
        suggestion = f'Name it: {attr}="{guess or "what it shows"}"; or, if it is decorative, hide it with {hide_advice(kind)}.'
    return Issue(icon, message, suggestion=suggestion)
