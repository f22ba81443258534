"""Browser-free tests of issue 19's rule changes: suggestions that a reviewer can take, content
hidden from assistive technology, curated icon names."""

from __future__ import annotations

import pytest

from a11y.rules import _icons, all_rules, run_rules
from a11y.rules._captions import unusable_alt
from a11y.snapshot import Snapshot


@pytest.mark.parametrize(("text", "why"), [
    ("2012.", "a bare number"),
    ("Nov. 21, 2019", "a date"),
    ("06.06.2019 um 16:05 Uhr", "a date"),
    ("March 2018", "a date"),
    ("Leer más.", 'a "read more" phrase'),
    ("Read more", 'a "read more" phrase'),
    ("Devindra Hardawar/AOL.", "a credit"),
    ("Photo: Jane Doe", "a credit"),
    ("CC-BY-SA 2.0", "a credit"),
    ("IMG_1234.jpg", "a file name"),
    ("Firefighters damp down a smouldering barn", None),
    ("Obama in 2012", None),
])
def test_unusable_alt(text: str, why: str | None) -> None:
    assert unusable_alt(text) == why


def _findings(body: str) -> list:
    page = Snapshot.from_html(f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>{body}</body></html>")
    return run_rules(page).findings


CAPTION = "Firefighters damp down a smouldering barn near the village on Sunday morning"


@pytest.mark.parametrize("img", [
    '<img src="barn.jpg" alt="">',
    '<img src="barn.jpg">',
    '<img src="barn.jpg" alt="IMG_4821.JPG">',
    '<img src="barn.jpg" alt="image">',
    f'<img src="barn.jpg" alt="{CAPTION}">',
])
def test_no_suggestion_repeats_the_caption(img: str) -> None:
    found = _findings(f'<figure>{img}<figcaption>{CAPTION}</figcaption></figure>')
    assert found, "the case must give a finding"
    for finding in found:
        assert "Firefighters" not in (finding.suggestion or ""), (finding.rule, finding.suggestion)


@pytest.mark.parametrize("wrapper", ['<div aria-hidden="true">{}</div>', "<div hidden>{}</div>", "<div inert>{}</div>"])
def test_hidden_content_gets_no_finding(wrapper: str) -> None:
    content = (f'<figure><img src="barn.jpg" alt="IMG_4821.JPG"><figcaption>{CAPTION}</figcaption></figure>'
               "<p>• one</p><p>• two</p><p>• three</p><button><i class=\"fa fa-search\"></i></button>")
    assert _findings(content), "visible, the same content gives findings"
    assert _findings(wrapper.format(content)) == []


@pytest.mark.parametrize(("phrase", "name"), [
    ("social pinterest", "Pinterest"), ("menu mobile", "Menu"), ("search close", "Close"), ("user", "Account"),
    ("moon cbsicon", ""), ("cb", ""), ("index xml", ""), ("fff finished", ""), ("pi", "Pinterest"), ("share link fb", "Share"),
])
def test_icon_names_come_from_the_curated_list(phrase: str, name: str) -> None:
    assert _icons.humanise(phrase) == name


def test_every_rule_documents_its_suggestion() -> None:
    for rule in all_rules():
        assert "its suggestion" in rule.doc.lower() or "the suggestion" in rule.doc.lower(), rule.id


def test_a_person_and_outlet_caption_is_a_credit_not_a_description() -> None:
    found = _findings('<figure><img src="a.jpg"><figcaption>Devindra Hardawar/AOL.</figcaption></figure>')
    missing = [f for f in found if f.rule == "alt-missing-captioned"]
    assert missing and "only gives a credit" in missing[0].message


def test_a_silent_icon_control_absorbs_axes_link_name() -> None:
    from a11y.model import Finding
    from a11y.pipeline.merge import merge_findings

    page = Snapshot.from_html("<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>"
                              '<a id="share" class="icon icon--social-reddit" href="https://www.reddit.com/submit"><span></span></a>'
                              "</body></html>")
    ours = [f for f in run_rules(page).findings if f.rule == "icon-missing-label"]
    assert len(ours) == 1 and 'aria-label="Reddit"' in (ours[0].suggestion or "")
    axe = Finding(rule="link-name", engine="axe", outcome="violation", impact="serious", target="#share", html="<a>",
                  message="Element does not have text that is visible to screen readers")
    merged = merge_findings([*ours, axe], page)
    assert [f.rule for f in merged] == ["icon-missing-label"] and merged[0].also == ["link-name"]


def test_axe_targets_resolve_alike_by_id_index_and_by_selector() -> None:
    """A lone-id target is found in the snapshot's id index (no walk of the tree); the element is
    the one the selector engine finds, and an id two elements share resolves to none."""
    from a11y.model import Finding
    from a11y.pipeline.merge import SIMPLE_ID, _Elements

    page = Snapshot.from_html("<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>"
                              '<main id="main"><p id="twice">a</p><p id="twice">b</p><img id="hero-1" src="x.jpg">'
                              '<a id="_x" href="/">x</a><span id="-y">y</span></main></body></html>')

    def on(target: str) -> int | None:
        return _Elements(page).index_of(Finding(rule="r", engine="axe", outcome="violation", impact="minor", target=target,
                                                html="", message=""))

    for target in ("#main", "#hero-1", "#_x", "#-y", "#twice", "#absent"):
        assert SIMPLE_ID.fullmatch(target)
        by_selector = page.soup.select(target, limit=2)
        expected = int(by_selector[0]["data-a11y-i"]) if len(by_selector) == 1 else None
        assert on(target) == expected, target
    assert on("#main") is not None and on("#twice") is None and on("#absent") is None
    assert not SIMPLE_ID.fullmatch("#\\31 23") and not SIMPLE_ID.fullmatch("main > #hero-1")
    assert on("main > #hero-1") == on("#hero-1")  # other targets: the selector engine, as before
