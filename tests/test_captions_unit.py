"""Browser-free tests of the caption helpers (a11y/rules/_captions.py): finding a caption,
splitting it into description and credits, suggested alts, file names and credits in alt text."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from a11y.rules import _captions as c
from a11y.snapshot import Snapshot


def _page(body: str) -> Snapshot:
    return Snapshot.from_html(f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>{body}</body></html>")


def _only_image(body: str) -> c.Image:
    found = c.images(_page(body))
    assert len(found) == 1, found
    return found[0]


def _img(html: str):
    return BeautifulSoup(html, "html5lib").find("img")


# -- sentences and credits ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "first"), [
    ("U.S. and Algerian officials pose at the Pentagon, Nov. 21, 2019. From left, Maj. Gen. J. Smith.",
     "U.S. and Algerian officials pose at the Pentagon, Nov. 21, 2019."),
    ("Boats at dawn! More later.", "Boats at dawn!"),
    ("Sgt. Lee Park checks the gear. It rained.", "Sgt. Lee Park checks the gear."),
])
def test_sentences_do_not_split_on_abbreviations(text: str, first: str) -> None:
    assert c.sentences(text)[0] == first


@pytest.mark.parametrize(("caption", "description", "credit"), [
    ("Waves overtop the wall. (AP Photo/Jane Doe)", "Waves overtop the wall.", "(AP Photo/Jane Doe)"),
    ("Protesters march in the city. REUTERS/Jane Doe", "Protesters march in the city.", "REUTERS/Jane Doe"),
    ("The meeting drew 400 people. Tom Aske for The Coastline Review", "The meeting drew 400 people.",
     "Tom Aske for The Coastline Review"),
    ("Floodwater covers Main Street. Photo by Jane Doe/AP", "Floodwater covers Main Street.", "Photo by Jane Doe/AP"),
    ("Boats in the harbour Photo: Jane Doe", "Boats in the harbour", "Photo: Jane Doe"),
    ("Runners on the bridge © Getty Images", "Runners on the bridge", "© Getty Images"),
    ("Ein Radfahrer am Ring. (Bild: Max Muster / dpa)", "Ein Radfahrer am Ring.", "(Bild: Max Muster / dpa)"),
    ("WASHINGTON (AP) — The president speaks", "The president speaks", "WASHINGTON (AP) —"),
    ("LONDON, ENGLAND - JULY 04: Fans watch from the hill.", "Fans watch from the hill.", "LONDON, ENGLAND - JULY 04:"),
])
def test_strip_credits(caption: str, description: str, credit: str) -> None:
    text, credits = c.strip_credits(caption)
    assert text == description
    assert credit in credits


def test_strip_credits_removes_virin_and_navy_dateline() -> None:
    text, credits = c.strip_credits("191121-N-AB123-0001 PACIFIC OCEAN (Nov. 21, 2019) Sailors stand watch. "
                                    "U.S. Navy photo by Petty Officer John Doe")
    assert text == "Sailors stand watch."
    assert "191121-N-AB123-0001" in credits


@pytest.mark.parametrize("text", ["A photo by the lake at dawn", "Fans watch AC/DC", "Three runners (left to right) at the finish"])
def test_strip_credits_keeps_descriptions(text: str) -> None:
    assert c.strip_credits(text) == (text, [])


def test_suggested_alt_first_sentence_without_filler_and_capped() -> None:
    assert c.suggested_alt("Photo of boats in the harbour. Taken in 2019.") == "Boats in the harbour."
    long = "Officials " + ", ".join(f"delegate number {i} of the visiting group" for i in range(12)) + "."
    suggestion = c.suggested_alt(long)
    assert len(suggestion) <= c.SUGGESTION_LIMIT and suggestion.endswith("…")


def test_same_words_sets_aside_case_punctuation_and_credits() -> None:
    assert c.same_words("boats moored in the harbour at dawn", "Boats moored in the harbour, at dawn.")
    assert c.same_words("Kylie at the show (PHOTO)", "Kylie at the show")
    assert not c.same_words("A crane places a block.", "A crane places a block. It is one of 1,180 units along the wall.")


# -- file names, ids and credits in alt text ----------------------------------------------------------

@pytest.mark.parametrize(("alt", "html", "kind"), [
    ("IMG_4821.JPG", "<img src='a.jpg'>", "a file name"),
    ("DSC_0042", "<img src='a.jpg'>", "a camera or screenshot file name"),
    ("PXL_20260105_093012345", "<img src='a.jpg'>", "a camera or screenshot file name"),
    ("P1010001", "<img src='a.jpg'>", "a camera or screenshot file name"),
    ("191121-D-TQ793-002C", "<img src='a.jpg'>", "a DoD VIRIN (an asset id)"),
    ("GettyImages-1413931314", "<img src='a.jpg'>", "a stock-photo asset id"),
    ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "<img src='a.jpg'>", "a UUID"),
    ("7f1f34333981766af2683ca0c015cdd1", "<img src='a.jpg'>", "a hash"),
    ("Image 2", "<img src='a.jpg'>", "a numbered default name"),
    ("harbour-boats_2", "<img src='x.gif' data-src='/u/harbour-boats_2.jpg'>", "the image's own file name"),
    ("kestrel-quay-view", "<img src='/u/kestrel-quay-view-1024x683.jpg'>", "the image's own file name"),
    ("2019_10_18_Umweltspur", "<picture><source srcset='/m/2019-10-18-umweltspur.webp'><img src='f.jpg'></picture>",
     "the image's own file name"),
    ("US-Ukraine-politics-impeachment-Congress", "<img src='a.jpg'>", "a file-name-like token"),
])
def test_file_name_kind(alt: str, html: str, kind: str) -> None:
    assert c.file_name_kind(alt, _img(html)) == kind


@pytest.mark.parametrize(("alt", "html"), [
    ("Apple", "<img src='apple.png'>"),
    ("Anne-Marie", "<img src='Anne-Marie.jpg'>"),
    ("Covid-19", "<img src='covid-19.jpg'>"),
    ("A heron in the estuary", "<img src='IMG_2231.jpg'>"),
])
def test_file_name_kind_leaves_words_alone(alt: str, html: str) -> None:
    assert c.file_name_kind(alt, _img(html)) is None


@pytest.mark.parametrize("alt", [
    "Floodwater covers Main Street. Photo by Jane Doe/AP", "Runners © Getty Images", "(Credit: NASA)",
    "Soldiers load a truck. VIRIN: 210303-A-AB123-001", "Protesters march. REUTERS/Jane Doe", "Radfahrer (Bild: dpa)",
    "Reuters",
])
def test_credit_in_finds_credits(alt: str) -> None:
    assert c.credit_in(alt)


@pytest.mark.parametrize("alt", ["Children pose for a photo by the lake", "A credit card reader", "Charles GÃ©rard in 1985"])
def test_credit_in_ignores_ordinary_words(alt: str) -> None:
    assert c.credit_in(alt) is None


# -- finding captions ---------------------------------------------------------------------------------

def test_dnn_caption_is_adjacent_and_split() -> None:
    image = _only_image("""
      <div class="image-wrapper"><div class="image"><img src="a.jpg" width="640" height="400" alt="Officials stand in a row"></div>
      <div class="image-caption"><div class="caption-title">Officials Meet</div>
        <div class="caption-text">Officials pose at the Pentagon, Nov. 21, 2019. From left, Jo Reyes.</div>
        <div class="caption-credit">Photo By: Cameron Gilbert, DOD</div><div class="virin">VIRIN: 191121-D-TQ793-002C</div></div></div>""")
    caption = image.caption
    assert caption is not None and caption.source == "adjacent" and not caption.associated
    assert caption.title == "Officials Meet"
    assert caption.description.startswith("Officials pose at the Pentagon")
    assert "Photo By: Cameron Gilbert, DOD" in caption.credits
    assert caption.suggestion() == "Officials pose at the Pentagon, Nov. 21, 2019."


def test_figcaption_with_hidden_prefix_and_source() -> None:
    image = _only_image("""<figure><img src="a.jpg" width="640" height="360" alt="x">
      <figcaption><span class="visually-hidden">Image caption, </span>Protesters outside parliament
      <span class="copyright"><span class="visually-hidden">Image source, </span>PA Media</span></figcaption></figure>""")
    caption = image.caption
    assert caption is not None and caption.associated
    assert caption.description == "Protesters outside parliament."
    assert "Image caption" not in caption.text


def test_aria_describedby_caption_is_associated() -> None:
    image = _only_image("""<div class="wp-caption"><img aria-describedby="cap" src="a.jpg" width="640" height="400" alt="Pier">
      <p id="cap" class="wp-caption-text">The pier reopened in May.</p></div>""")
    assert image.caption is not None and image.caption.source == "aria"


def test_svg_title_is_not_a_caption() -> None:
    image = _only_image('<svg role="img" aria-labelledby="t" width="52" height="64"><title id="t">Lock</title></svg>')
    assert image.caption is None


def test_gallery_caption_is_shared() -> None:
    found = c.images(_page("""<figure class="wp-block-gallery"><figure class="wp-block-image"><img src="a.jpg" width="200" height="150" alt=""></figure>
      <figure class="wp-block-image"><img src="b.jpg" width="200" height="150" alt=""></figure>
      <figcaption class="blocks-gallery-caption">Scenes from the fair on the green.</figcaption></figure>"""))
    assert [i.caption.shared for i in found if i.caption] == [True, True]


@pytest.mark.parametrize("body", [
    '<div class="logo"><img src="l.svg" width="160" height="50" alt="Times"></div><div class="copyright">© 2026 Times Media. All rights reserved.</div>',
    '<li><div class="img"><img src="a.jpg" width="183" height="133" alt="x"></div><div class="caption"><div class="category-marker">Celeb</div></div></li>',
    '<div><a href="/v"><img src="a.jpg" width="300" height="200" alt="x"></a><span>VIDEO: Watch the cast</span></div>',
    '<div class="media"><a href="/r"><img src="a.jpg" width="300" height="200" alt="x"></a>'
    '<div class="caption"><h3><a href="/r">Research library</a></h3></div></div>',
    '<figure><img class="avatar" src="a.jpg" alt="x"><figcaption>Story headline by Jo</figcaption></figure>',
])
def test_not_captions(body: str) -> None:
    assert _only_image(body).caption is None


def test_credit_link_is_still_a_caption() -> None:
    image = _only_image('<div class="slide"><img src="a.jpg" width="605" height="400">'
                        '<div class="slide-caption"><a href="/s"><em>photo: Ana via Pixabay</em></a></div></div>')
    assert image.caption is not None and image.caption.credits and not image.caption.describes


def test_teaser_caption_inside_the_same_link() -> None:
    image = _only_image('<a href="/a"><article><img src="a.jpg" width="260" height="173" alt="x"><span class="figcaption">Ferry timetable</span></article></a>')
    assert image.caption is not None and image.caption.in_same_link


def test_tracking_pixels_are_not_images() -> None:
    assert c.images(_page('<img src="p.gif" width="1" height="1" alt="pixel.gif">')) == []


def test_text_alternative_states() -> None:
    assert _only_image('<img src="a.jpg" width="300" height="200">').no_text_alternative
    empty = _only_image('<img src="a.jpg" width="300" height="200" alt="">')
    assert empty.presentational and empty.decorative and not empty.spoken
    assert not _only_image('<img src="a.jpg" width="300" height="200" title="Boats">').no_text_alternative


def test_messages_are_shortened() -> None:
    assert c.shorten("word " * 40, 30).endswith("…") and len(c.shorten("word " * 40, 30)) <= 30
    assert c.quote("Boats") == '"Boats"'


def test_rules_survive_odd_markup() -> None:
    from a11y.rules import all_rules

    page = _page("""
      <figure role="figure presentation" aria-labelledby="missing nowhere"><img src="http://[::1" srcset=",,, 2x" width="abc" height="">
        <figcaption></figcaption></figure>
      <img data-src="{{ url }}" alt="{{ alt }}" role="img presentation" aria-describedby="">
      <div role="img" class="caption" title="Photo: ©"></div>
      <div class="wp-caption"><picture><img alt="IMG_1.JPG"></picture><p class="wp-caption-text">   </p></div>
      <table class="tr-caption-container"><tr><td><a><img src="a.jpg" width="400" height="300"></a></td></tr>
        <tr><td class="tr-caption">Credit: Jane Doe</td></tr></table>""")
    for rule in all_rules():
        if rule.meta.family == "captions":
            rule.findings(page, {})  # must not raise
