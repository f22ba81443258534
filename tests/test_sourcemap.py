"""Source mapping: findings on local pages back to the line and column of their start tag."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from a11y.model import Finding, PageResult, RunResult
from a11y.pipeline.sourcemap import (
    SourceDocument,
    SourceText,
    ancestor_selectors,
    compounds,
    decode_html,
    detect_encoding,
    locate_findings,
    locate_page,
    parse_positioned,
    tag_end,
)
from tests.conftest import FAST, PAGES

SEED = PAGES / "defense-algeria-article.html"


def finding(target: str, rule: str = "image-alt", **extra) -> Finding:
    return Finding(rule=rule, engine="axe", outcome="violation", impact="critical", target=target, html="", message="m", **extra)


def run_of(*pages: PageResult) -> RunResult:
    return RunResult(pages=list(pages), tool={"name": "a11y", "version": "0"}, started="2024-01-01T00:00:00+00:00")


def position_of(text: str, needle: str, occurrence: int = 0) -> dict[str, int]:
    """Line and 1-based column of ``needle`` in ``text``, computed independently of the module."""
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return {"line": line, "column": column}


# -- parsing with positions ------------------------------------------------------------------------
PAGE = """<!DOCTYPE html>
<html lang="en">
<head><title>t</title>
<noscript><p class="ns">enable scripts</p></noscript>
</head>
<body>
  <main id="story">
    <table><tr><td>cell</td></tr></table>
    <p
       class="multi">Über <b>bold</p>
    <h4>Related</h4> <span class="after">x</span>
    <img alt='a>b' src="x.jpg">
    <iframe id="frame" src="f.html"></iframe>
    <div id="host"></div>
  </main>
</body>
</html>
"""


@pytest.fixture(scope="module")
def page_doc() -> SourceDocument:
    return SourceDocument(PAGE, parse_positioned(PAGE))


def test_elements_carry_their_start_tag_position() -> None:
    soup = parse_positioned(PAGE)
    assert (soup.find("main").sourceline, soup.find("main").sourcepos) == (7, 3)
    multi = soup.find("p", class_="multi")
    assert (multi.sourceline, multi.sourcepos) == (9, 5)  # where "<p" is, not where the tag ends
    assert (soup.find("h4").sourceline, soup.find("h4").sourcepos) == (11, 5)
    # the implied tbody takes the position of the tag that implied it
    assert (soup.find("tbody").sourceline, soup.find("tbody").sourcepos) == (8, 12)


def test_noscript_is_text_as_in_a_browser_with_scripting() -> None:
    soup = parse_positioned(PAGE)
    assert soup.find("p", class_="ns") is None
    assert "enable scripts" in soup.find("noscript").get_text()


def test_column_counts_characters_not_bytes(page_doc: SourceDocument) -> None:
    assert page_doc.locate("b") == position_of(PAGE, "<b>")


def test_locate_direct_matches(page_doc: SourceDocument) -> None:
    assert page_doc.locate("h4") == position_of(PAGE, "<h4>")
    assert page_doc.locate("#story > p.multi") == position_of(PAGE, "<p\n")
    assert page_doc.locate("img") == position_of(PAGE, "<img")
    assert page_doc.locate("#story > table > tbody > tr > td") == position_of(PAGE, "<td>")
    assert page_doc.locate("h4 + .after") == position_of(PAGE, '<span class="after">')


def test_script_created_elements_fall_back_to_their_nearest_source_ancestor(page_doc: SourceDocument) -> None:
    story = position_of(PAGE, "<main")
    assert page_doc.locate("#story > div.injected > img") == story
    assert page_doc.locate("#story .injected") == story
    # a sibling step is no ancestor: h4 + .new's parent is #story, not the h4
    assert page_doc.locate("#story > h4 + .new") == story
    assert page_doc.locate(".nowhere > .nothing") == position_of(PAGE, "<body>")


def test_frame_and_shadow_targets_map_the_iframe_and_the_host(page_doc: SourceDocument) -> None:
    assert page_doc.locate("#frame |> p > a") == position_of(PAGE, "<iframe")
    assert page_doc.locate("#host >>> button") == position_of(PAGE, '<div id="host">')
    assert page_doc.locate("#host >>> .x |> img") == position_of(PAGE, '<div id="host">')


def test_selectors_soupsieve_cannot_read_fall_back_to_body(page_doc: SourceDocument) -> None:
    assert page_doc.locate("p:unknown-pseudo(") == position_of(PAGE, "<body>")
    assert page_doc.locate("") == position_of(PAGE, "<body>")


def test_escaped_and_attribute_selectors() -> None:
    html = '<body>\n<div id="123" class="Px(14px) a:b">\n<a href="/cart">c</a></div></body>'
    doc = SourceDocument(html, parse_positioned(html))
    div = position_of(html, "<div")
    assert doc.locate("#\\31 23") == div
    assert doc.locate(".Px\\(14px\\).a\\:b") == div
    assert doc.locate('a[href$="cart"]') == position_of(html, "<a ")
    assert doc.locate('div:nth-child(1) > a:nth-of-type(1)') == position_of(html, "<a ")
    assert doc.locate('div:nth-child(2) > a') == position_of(html, "<body>")


def test_template_content_is_no_part_of_the_document() -> None:
    html = "<body>\n<template><p class=t>in template</p></template>\n<p class=t>real</p></body>"
    doc = SourceDocument(html, parse_positioned(html))
    assert doc.locate("p.t") == doc.locate("p") == {"line": 3, "column": 1}


def test_compounds_and_ancestors() -> None:
    assert compounds('div.a[title="x > y"] > p:nth-child(2n+1)  ~ span #a\\ b') == [
        ("", 'div.a[title="x > y"]'), (">", "p:nth-child(2n+1)"), ("~", "span"), (" ", "#a\\ b")]
    assert compounds("#x\\31 23 > .c") == [("", "#x\\31 23"), (">", ".c")]
    assert ancestor_selectors("a > b > c") == ["a > b", "a"]
    assert ancestor_selectors("a b > c") == ["a b", "a"]
    assert ancestor_selectors("a > b + c") == ["a"]
    assert ancestor_selectors("a + b > c") == ["a + b"]
    assert ancestor_selectors("h4") == []


def test_first_match_agrees_with_soupsieve(page_doc: SourceDocument) -> None:
    for selector in ("p", "main p", "#story > *", "b", "td", "tr > td:nth-child(1)", "[alt]", "span.after", "head > title"):
        assert page_doc.first_match(selector) is page_doc.soup.select_one(selector), selector


# -- encodings -------------------------------------------------------------------------------------
def test_detect_encoding() -> None:
    assert detect_encoding(codecs.BOM_UTF8 + b"<meta charset=windows-1252>") == "utf-8"
    assert detect_encoding(codecs.BOM_UTF16_LE + "<p>".encode("utf-16-le")) == "utf-16le"
    assert detect_encoding(b'<meta charset="Shift_JIS">') == "shift_jis"
    assert detect_encoding(b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">') == "windows-1252"
    assert detect_encoding(b'<meta charset="utf-16">') == "utf-8"
    late = b"<head>" + b"<!-- " + b"x" * 2000 + b" -->" + b'<meta charset="windows-1251"></head><body>'
    assert detect_encoding(late) == "windows-1251"
    assert detect_encoding("<p>café</p>".encode()) == "utf-8"
    assert detect_encoding("<p>café</p>".encode("cp1252")) == "windows-1252"


def test_decode_normalises_newlines_and_drops_the_bom() -> None:
    assert decode_html(codecs.BOM_UTF8 + b"<p>\r\n<b>\r<i>") == "<p>\n<b>\n<i>"


CP1252_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="windows-1252"><title>Caf\u00e9 \u2014 \u201cnaïve\u201d</title></head>
<body>
<p>\u00c9t\u00e9 \u2026 \u20ac10 \u2018quoted\u2019 \u00e0 la cr\u00e8me br\u00fbl\u00e9e</p>
<p>Caf\u00e9 \u00bd \u00a9 \u2022 <img src="images/missing-cp1252.png"> apr\u00e8s</p>
</body></html>
"""

SJIS_PAGE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="Shift_JIS"><title>\u65e5\u672c\u8a9e\u306e\u8a18\u4e8b</title></head>
<body>
<p>\u3053\u308c\u306f\u30c6\u30b9\u30c8\u3067\u3059\u3002\u5199\u771f\u3092\u898b\u3066\u304f\u3060\u3055\u3044\u3002</p>
<p>\u6771\u4eac\u306e\u5199\u771f\uff1a<img src="images/missing-sjis.png">\u3067\u3059</p>
</body></html>
"""

SCRIPTED_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Gallery</title></head>
<body>
<main>
  <h1>Gallery</h1>
  <p><img src="images/a.png" alt="A harbour at dawn"></p>
  <div id="gallery" class="gallery">
  </div>
</main>
<script>
  document.getElementById("gallery").innerHTML = '<img>';
</script>
</body></html>
"""


def write_encoded(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "cp1252": (folder / "cp1252.html", CP1252_PAGE.encode("cp1252")),
        "sjis": (folder / "sjis.html", SJIS_PAGE.encode("shift_jis")),
        "scripted": (folder / "scripted.html", SCRIPTED_PAGE.encode("utf-8")),
    }
    for path, data in files.values():
        path.write_bytes(data)
    return {name: path for name, (path, _) in files.items()}


@pytest.mark.parametrize(("name", "codec", "page"), [("cp1252", "cp1252", CP1252_PAGE), ("sjis", "shift_jis", SJIS_PAGE)])
def test_legacy_encodings_map_to_the_right_line_and_column(tmp_path: Path, name: str, codec: str, page: str) -> None:
    path = write_encoded(tmp_path)[name]
    text = path.read_bytes().decode(codec)
    assert decode_html(path.read_bytes()) == text
    result = PageResult(source=str(path), url="", findings=[finding("img"), finding("p:nth-of-type(2) > img"), finding("title", rule="document-title")])
    [result] = locate_findings(run_of(result)).pages
    expected = position_of(text, "<img")
    assert result.findings[0].source_location == expected
    assert result.findings[1].source_location == expected
    assert result.findings[2].source_location == position_of(text, "<title>")


def test_locate_findings_relative_sources_missing_files_and_garbage(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_text("<body>\n\n<h4>x</h4>", encoding="utf-8")
    (tmp_path / "garbage.html").write_bytes(bytes(range(256)) * 50)
    relative = PageResult(source="site/a.html", url="", findings=[finding("h4")])
    missing = PageResult(source="site/gone.html", url="", findings=[finding("h4")])
    garbage = PageResult(source="garbage.html", url="", findings=[finding("div > p")])
    remote = PageResult(source=None, url="https://example.org/", findings=[finding("h4")])
    folder = PageResult(source="site", url="", findings=[finding("h4")])
    relative, missing, garbage, remote, folder = locate_findings(run_of(relative, missing, garbage, remote, folder), cwd=tmp_path).pages
    assert relative.findings[0].source_location == {"line": 3, "column": 1}
    assert missing.findings[0].source_location is None
    assert remote.findings[0].source_location is None
    assert folder.findings[0].source_location is None
    assert garbage.findings[0].source_location is not None  # decoded as windows-1252, mapped to body


def test_locate_page_reuses_the_parsed_source(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<body>\n<h4>x</h4>", encoding="utf-8")
    first = PageResult(source="a.html", url="", findings=[finding("h4")])
    second = PageResult(source="a.html", url="", findings=[finding("body")])
    first, document = locate_page(first, tmp_path)
    second, reused = locate_page(second, tmp_path, document)
    assert document is not None and reused is document
    assert first.findings[0].source_location == {"line": 2, "column": 1}
    assert second.findings[0].source_location == {"line": 1, "column": 1}


def test_start_tag_snippet() -> None:
    text = '<p>\n  <img alt="a > b" title=x"y src=\'q\'>\n  <a\n   href="/">x</a>'
    source = SourceText(text)
    assert source.start_tag(2, 3) == ('<img alt="a > b" title=x"y src=\'q\'>', 2, 38)
    assert source.start_tag(3, 3) == ('<a\n   href="/">', 4, 13)
    assert source.start_tag(2, 1) is None  # no tag starts there: the file changed
    assert source.start_tag(99, 1) is None
    assert tag_end('<a title="never closed', 0) is None


def test_a_large_page_maps_every_finding(tmp_path: Path) -> None:
    """A 1.5 MB page with a few hundred findings (one parse, then lookups; its speed is for the bench, not a test)."""
    text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 11
    rows = "\n".join(
        f'<div class="row r{i % 7}" id="row{i}"><p class="cell c{i % 3}">{text}</p><a href="/x/{i}" class="link">more</a></div>'
        for i in range(2400)
    )
    path = tmp_path / "big.html"
    path.write_text(f"<!DOCTYPE html><html><head><title>big</title></head><body><main id=m>\n{rows}\n</main></body></html>", encoding="utf-8")
    assert path.stat().st_size > 1_500_000
    targets = [f"#row{i} > .link" for i in range(0, 2400, 12)] + [f".r{i % 7}:nth-child({i + 1}) > p.c{i % 3}" for i in range(0, 2400, 24)]
    targets += [f"#row{i} > .injected > b" for i in range(0, 2400, 100)]
    page = PageResult(source=str(path), url="", findings=[finding(t) for t in targets])
    [page] = locate_findings(run_of(page)).pages
    lines = [f.source_location["line"] for f in page.findings]  # type: ignore[index]
    assert lines[:3] == [2, 14, 26]
    assert lines[-1] == 2 + 2300  # the injected element maps to its row


# -- real runs -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def encoded_run(tmp_path_factory: pytest.TempPathFactory):
    from a11y.pipeline.engine import audit

    folder = tmp_path_factory.mktemp("encoded")
    files = write_encoded(folder)
    return locate_findings(audit([str(SEED), str(folder)], FAST)), files


def _page(run: RunResult, path: Path) -> PageResult:
    return next(p for p in run.pages if p.source and Path(p.source).resolve() == path.resolve())


@pytest.mark.browser
def test_seed_heading_order_maps_to_the_related_stories_line(encoded_run) -> None:
    run, _ = encoded_run
    page = _page(run, SEED)
    heading = next(f for f in page.findings if f.rule == "heading-order")
    assert heading.target == "h4"
    assert heading.source_location == position_of(SEED.read_text(encoding="utf-8"), "<h4>Related Stories</h4>")


@pytest.mark.browser
def test_every_seed_finding_maps_to_a_start_tag_of_its_element(encoded_run) -> None:
    run, _ = encoded_run
    page = _page(run, SEED)
    source = SourceText(SEED.read_text(encoding="utf-8"))
    for found in page.findings:
        spot = found.source_location
        assert spot is not None, found.target
        tag = source.start_tag(spot["line"], spot["column"])
        assert tag is not None and found.html.startswith(tag[0].split()[0].rstrip(">")), (found.target, tag)


@pytest.mark.browser
@pytest.mark.parametrize(("name", "codec"), [("cp1252", "cp1252"), ("sjis", "shift_jis")])
def test_legacy_encoded_pages_map_in_a_real_run(encoded_run, name: str, codec: str) -> None:
    run, files = encoded_run
    page = _page(run, files[name])
    text = files[name].read_bytes().decode(codec)
    assert page.title and page.title in text  # the browser read the page as we did
    image_alt = next(f for f in page.findings if f.rule == "image-alt")
    assert image_alt.source_location == position_of(text, "<img")


@pytest.mark.browser
def test_script_created_element_maps_to_its_nearest_source_ancestor(encoded_run) -> None:
    run, files = encoded_run
    page = _page(run, files["scripted"])
    image_alt = next(f for f in page.findings if f.rule == "image-alt")
    assert image_alt.html == "<img>"
    assert image_alt.target.endswith("> img"), image_alt.target  # axe names it through its parent: "#gallery > img"
    assert image_alt.source_location == position_of(SCRIPTED_PAGE, '<div id="gallery"'), image_alt.target
