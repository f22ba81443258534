"""Browser-free tests of the icon family's helpers (a11y/rules/_icons.py) and rule logic."""

from __future__ import annotations

import pytest

from a11y.rules import _icons, icon_label_broken_ref, icon_label_generic, icon_label_redundant, icon_missing_label
from a11y.snapshot import INDEX_ATTR, ElementFacts, Snapshot


def _snapshot(body: str, boxes: dict[str, tuple[int, int]] | None = None, names: dict[str, str] | None = None,
              befores: dict[str, str] | None = None) -> Snapshot:
    """A snapshot of ``body`` where elements with data-k="key" get the box size, browser name
    and ::before content given for that key (others: assumed rendered, 0 x 0, no name)."""
    page = Snapshot.from_html(f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>{body}</body></html>")
    for tag in page.soup.find_all(attrs={"data-k": True}):
        key = tag["data-k"]
        width, height = (boxes or {}).get(key, (20, 20))
        page.facts[int(tag[INDEX_ATTR])] = ElementFacts(
            box=(0, 0, width, height), name=(names or {}).get(key), pseudo_before=(befores or {}).get(key))
    return page


def _find(page: Snapshot, key: str):
    return page.soup.find(attrs={"data-k": key})


# -- names and tokens ----------------------------------------------------------------------
@pytest.mark.parametrize(("token", "words"), [
    ("fa-shopping-cart", "shopping cart"),
    ("usa-banner__lock-image", "lock"),
    ("search-toggle", "search"),
    ("wds-icons-close-small", "close"),
    ("twitter-icon-default", "twitter"),
    ("ic_search_24px", "search"),
    ("icon-lock--gray.png", "lock"),
    ("CoreArrowLeft", "core arrow left"),
    ("fa-envelope-o", "envelope"),
    ("material-icons", ""),
    ("t-ac15be5f4c3ba60eb8f94cf0950dc08fb25935582f001a1d8d2aa29a23b10869.gif", ""),
    ("1VVImoX-WAAAC7-L_VCY=.large.png", ""),
])
def test_token_words(token: str, words: str) -> None:
    assert _icons.token_words(token) == words


@pytest.mark.parametrize(("phrase", "name"), [
    ("bars", "Menu"), ("times", "Close"), ("envelope", "Email"), ("linked in", "LinkedIn"), ("shopping cart", "Shopping cart"),
    ("lock", "Lock"), ("fb", "Facebook"), ("", ""),
])
def test_humanise(phrase: str, name: str) -> None:
    assert _icons.humanise(phrase) == name


@pytest.mark.parametrize(("name", "kind", "better"), [
    ("icon", "only", ""),
    ("SVG icon", "only", ""),
    ("Image", "only", ""),
    ("lock.svg", "only", "Lock"),
    ("icon-lock", "only", "Lock"),
    ("fa-lock", "only", "Lock"),
    ("ic_search_24px", "only", "Search"),
    ("arrow_back", "only", "Back"),
    ("Locked padlock icon", "riding", "Locked padlock"),
    ("Image of a printer", "riding", "Printer"),
    ("Graphic of a map", "riding", "Map"),
    ("Search24 icon", "riding", "Search"),
    ("ZoomIn icon", "riding", "Zoom in"),
])
def test_generic_names(name: str, kind: str, better: str) -> None:
    found = _icons.generic_name(name)
    assert found is not None and (found.kind, found.better) == (kind, better)


@pytest.mark.parametrize("name", ["Lock", "Lock A locked padlock", "E-mail", "Wi-Fi available", "COVID-19", ":)", ">", "", "Icons8"])
def test_real_names_are_not_generic(name: str) -> None:
    assert _icons.generic_name(name) is None


def test_class_like_tokens() -> None:
    assert _icons.is_class_like("icon-lock") and _icons.is_class_like("ic_search_24px") and _icons.is_class_like("arrow_back")
    assert not _icons.is_class_like("log-in") and not _icons.is_class_like("COVID-19") and not _icons.is_class_like("Search")


def test_blank_names_ignore_private_use_glyphs() -> None:
    assert _icons.is_blank_name("") and _icons.is_blank_name(None) and _icons.is_blank_name(" \uf002 ")
    assert not _icons.is_blank_name("search")
    assert _icons.has_pua_glyph('"\uf002"') and not _icons.has_pua_glyph('"›"')


@pytest.mark.parametrize(("name", "beside", "repeats"), [
    ("Print", "Print", True),
    ("Search icon", "Search", True),
    ("Facebook", "Share on Facebook", True),
    ("PDF", "Annual report 2024", False),
    ("Cart", "Shop", False),
    ("New", "Newsletter", False),
])
def test_repeats_text(name: str, beside: str, repeats: bool) -> None:
    assert _icons.repeats_text(name, beside) is repeats


# -- what counts as an icon ------------------------------------------------------------------
def test_icon_kinds_and_sizes() -> None:
    page = _snapshot(
        '<svg data-k="svg"><use href="#icon-cart"></use></svg>'
        '<span data-k="wrap" class="icon-lock"><svg data-k="inner"></svg></span>'
        '<i data-k="fa" class="fa fa-search"></i>'
        '<span data-k="pua"></span>'
        '<span data-k="text" class="icon-text">Search</span>'
        '<span data-k="lig" class="material-icons">search</span>'
        '<span data-k="role" role="img" aria-label="Lock"></span>'
        '<svg data-k="chart" role="img" width="600" height="300"></svg>'
        '<img data-k="photo" src="harbour-644x429.jpg">',
        boxes={"chart": (600, 300), "fa": (0, 0), "photo": (16, 16)},
        befores={"pua": '"\ue800"'},
    )
    kinds = {key: _icons.icon_kind(page, _find(page, key)) for key in ("svg", "wrap", "inner", "fa", "pua", "text", "lig", "role")}
    assert kinds == {"svg": "svg", "wrap": None, "inner": "svg", "fa": "font", "pua": "font", "text": None, "lig": "font",
                     "role": "role-img"}
    assert _icons.is_small(page, _find(page, "fa"))  # an unstyled empty icon font: 0 x 0 but still an icon
    assert not _icons.is_small(page, _find(page, "chart"))
    assert not _icons.is_small(page, _find(page, "photo"))  # a 644 x 429 photo that did not load


def test_broken_image_box_counts_only_with_an_icon_file_name() -> None:
    page = _snapshot('<img data-k="a" src="/icons/facebook.svg"><img data-k="b" src="/uploads/harbour.jpg">'
                     '<img data-k="c" src="/img/logo.svg">', boxes={"a": (16, 16), "b": (16, 16), "c": (16, 16)})
    assert _icons.is_small(page, _find(page, "a"))
    assert not _icons.is_small(page, _find(page, "b")) and not _icons.is_small(page, _find(page, "c"))


def test_exposed() -> None:
    page = _snapshot('<img data-k="empty" src="a.png" alt=""><svg data-k="pres" role="presentation"></svg><svg data-k="plain"></svg>')
    assert not _icons.is_exposed(page, _find(page, "empty"))
    assert not _icons.is_exposed(page, _find(page, "pres"))
    assert _icons.is_exposed(page, _find(page, "plain"))


# -- guessing --------------------------------------------------------------------------------
@pytest.mark.parametrize(("body", "guess"), [
    ('<button><i data-k="i" class="fa fa-bars"></i></button>', "Menu"),
    ('<a href="/cart"><svg data-k="i"><use href="#icon-cart"></use></svg></a>', "Shopping cart"),
    ('<a href="/x"><svg data-k="i"><use xlink:href="/sprite.svg#icon_close"></use></svg></a>', "Close"),
    ('<img data-k="i" src="/img/icons/lock.svg">', "Lock"),
    ('<svg data-k="i" role="img"><title>Padlock</title></svg>', "Lock"),
    ('<span data-k="i" class="usa-banner__lock-image" role="img"></span>', "Lock"),
    ('<a href="https://www.facebook.com/example"><span data-k="i" class="icon"></span></a>', "Facebook"),
    ('<button class="search-toggle"><span data-k="i" class="icon"></span></button>', "Search"),
    ('<a href="#" data-original-title="Share on Reddit"><i data-k="i" class="fa fa-circle"></i></a>', "Share on Reddit"),
    ('<img data-k="i" class="noviewer" src="/thumb/32px-Chart.png">', ""),
    ('<a href="javascript:;"><span data-k="i" class="icon"></span></a>', ""),
])
def test_guess_identity(body: str, guess: str) -> None:
    page = _snapshot(body)
    icon = _find(page, "i")
    assert _icons.guess_identity(page, icon, _icons.control_of(icon)) == guess


# -- rules on small snapshots ----------------------------------------------------------------
def _issues(module, page: Snapshot):
    return [issue for candidate in module.applicable(page) if (issue := module.evaluate(page, candidate, {}))]


def test_missing_label_in_unnamed_button() -> None:
    page = _snapshot('<button data-k="b"><i data-k="i" class="fa fa-search"></i></button>', names={"b": "", "i": ""})
    issues = _issues(icon_missing_label, page)
    assert len(issues) == 1 and issues[0].element is _find(page, "i") and 'aria-label="Search"' in (issues[0].suggestion or "")


def test_missing_label_not_when_the_control_is_named() -> None:
    page = _snapshot('<button data-k="b" aria-label="Search"><i data-k="i" class="fa fa-search"></i></button>',
                     names={"b": "Search", "i": ""})
    assert _issues(icon_missing_label, page) == []


def test_missing_label_icon_that_is_itself_a_button() -> None:
    page = _snapshot('<p>Saved. <i data-k="i" class="fa fa-times" role="button" tabindex="0"></i></p>', names={"i": ""})
    issues = _issues(icon_missing_label, page)
    assert len(issues) == 1 and 'Add aria-label="Close" to the icon' in (issues[0].suggestion or "")


def test_missing_label_pua_glyph_is_no_name() -> None:
    page = _snapshot('<a data-k="a" href="/s"><span data-k="i" class="icon-search">\ue800</span></a>', names={"a": "\ue800", "i": "\ue800"})
    assert len(_issues(icon_missing_label, page)) == 1


def test_material_ligature_is_a_name() -> None:
    page = _snapshot('<button data-k="b"><span data-k="i" class="material-icons">menu</span></button>', names={"b": "menu", "i": "menu"})
    assert _issues(icon_missing_label, page) == []


def test_broken_ref_missing_and_duplicated() -> None:
    lock = ('<svg data-k="{k}" role="img" aria-labelledby="banner-lock-title"><title id="banner-lock-title">Lock</title></svg>')
    page = _snapshot(f'<section>{lock.format(k="one")}</section><section>{lock.format(k="two")}</section>'
                     '<svg data-k="rss" role="img" aria-labelledby="rss-label"></svg>')
    flagged = {issue.element["data-k"] for issue in _issues(icon_label_broken_ref, page)}
    assert flagged == {"two", "rss"}


def test_broken_ref_skips_aria_hidden_copies() -> None:
    lock = '<svg data-k="{k}" role="img" aria-labelledby="t"><title id="t">Lock</title></svg>'
    page = _snapshot(f'<div>{lock.format(k="one")}</div><div aria-hidden="true">{lock.format(k="two")}</div>')
    assert _issues(icon_label_broken_ref, page) == []


def test_generic_riding_word_is_minor() -> None:
    page = _snapshot('<p>A lock (<svg data-k="i" role="img" aria-labelledby="d"><desc id="d">Locked padlock icon</desc></svg>)</p>',
                     names={"i": "Locked padlock icon"})
    issues = _issues(icon_label_generic, page)
    assert len(issues) == 1 and issues[0].impact == "minor" and "Locked padlock" in (issues[0].suggestion or "")


def test_redundant_print_print() -> None:
    page = _snapshot('<button data-k="b"><svg data-k="i" role="img" aria-label="Print"></svg> Print</button>',
                     names={"b": "Print Print", "i": "Print"})
    issues = _issues(icon_label_redundant, page)
    assert len(issues) == 1 and 'aria-hidden="true"' in (issues[0].suggestion or "")
    assert _issues(icon_label_generic, page) == []


def test_rules_survive_odd_markup() -> None:
    page = _snapshot('<svg data-k="a" role="" aria-labelledby=""></svg><img data-k="b" width="abc" height="" alt>'
                     '<i data-k="c" class=""></i><a href><svg data-k="d"><use></use></svg></a>')
    for module in (icon_missing_label, icon_label_broken_ref, icon_label_generic, icon_label_redundant):
        _issues(module, page)
