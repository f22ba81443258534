"""Fuzzing: random and mutated HTML through the snapshot and every rule of ours.

No exception may escape a rule (a crash becomes an ``error`` finding, which this test also forbids)
and every run ends with findings we can serialise. A bounded number of examples runs in the suite;
``make fuzz`` (A11Y_FUZZ_EXAMPLES=2000) runs a longer campaign.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from a11y.fingerprint import fingerprinted
from a11y.model import PageResult
from a11y.rules import run_rules
from a11y.snapshot import ElementFacts, Snapshot

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("A11Y_FUZZ_EXAMPLES", "40"))
SEEDS = sorted((ROOT / "pages").glob("*.html")) + sorted((ROOT / "tests" / "fixtures").glob("*/*.html"))
SEED_TEXT = [p.read_text(encoding="utf-8", errors="replace") for p in SEEDS]

TAGS = ["div", "p", "span", "img", "figure", "figcaption", "ul", "ol", "li", "a", "button", "svg", "i", "br", "table", "td",
        "nav", "pre", "h2", "section", "picture", "use", "title", "desc", "label", "template", "iframe", "b"]
ATTRS = ["alt", "src", "class", "id", "role", "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden", "title",
         "href", "data-src", "srcset", "width", "height", "style", "hidden"]
TEXTS = ["1", "2.", "3)", "(4)", "a.", "Step 1", "•", "- ", "* ", "Photo by Jane/AP", "VIRIN: 191121-D-TQ793-002C",
         "IMG_1234.jpg", "image", "icon", "Caption: boats", "©", "\uf002", "\u200b", "", " ", "<", "&amp;", "💥", "\x00"]


def _element(children: list[str]) -> st.SearchStrategy[str]:
    attrs = st.lists(st.tuples(st.sampled_from(ATTRS), st.sampled_from([*TEXTS, "x", "img", "icon-lock", "#x"])), max_size=4)
    return st.builds(lambda tag, pairs, kids: f"<{tag} " + " ".join(f'{k}="{v}"' for k, v in pairs) + ">" + "".join(kids) + f"</{tag}>",
                     st.sampled_from(TAGS), attrs, st.just(children))


markup = st.recursive(
    st.sampled_from(TEXTS),
    lambda inner: st.lists(inner, max_size=6).flatmap(lambda kids: _element(kids)),
    max_leaves=60,
)


@st.composite
def mutated_seed(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEED_TEXT))
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, max(0, len(text) - 1)))
        length = draw(st.integers(0, 200))
        action = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if action == "delete":
            text = text[:start] + text[start + length:]
        elif action == "duplicate":
            text = text[:start] + text[start:start + length] * 2 + text[start + length:]
        else:
            text = text[:start] + draw(markup) + text[start:]
    return text


def _facts_for(snapshot: Snapshot, hidden: set[int]) -> None:
    """Browser facts vary too: some elements hidden, some with names, odd boxes."""
    for index in list(snapshot.by_index)[:200]:
        snapshot.facts[index] = ElementFacts(display="none" if index in hidden else "block", visible=index not in hidden,
                                             at_hidden=index % 7 == 0, box=(0, index, 20 + index % 40, 10 + index % 50),
                                             name=None if index % 3 else "icon", pseudo_before='"\\f002"' if index % 11 == 0 else None)


def _check(html: str, hidden: set[int]) -> None:
    snapshot = Snapshot.from_html(html)
    _facts_for(snapshot, hidden)
    outcome = run_rules(snapshot)
    crashed = [f.message for f in outcome.findings if f.outcome == "error"]
    assert not crashed, crashed
    page = PageResult(source="fuzz.html", url="http://127.0.0.1/fuzz.html", findings=outcome.findings)
    json.dumps(fingerprinted(page).to_dict())


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.lists(markup, min_size=1, max_size=8), st.sets(st.integers(0, 200), max_size=20))
def test_random_markup_never_crashes_a_rule(parts: list[str], hidden: set[int]) -> None:
    _check("<!DOCTYPE html><html><body>" + "".join(parts) + "</body></html>", hidden)


@FUZZ
@given(mutated_seed(), st.sets(st.integers(0, 200), max_size=20))
def test_mutated_sample_pages_never_crash_a_rule(html: str, hidden: set[int]) -> None:
    _check(html, hidden)
