"""Build a11y/data/wcag22.json, the one table of WCAG success criteria the reports use.

    .venv/bin/python scripts/make_criteria_data.py [--catalog PATH] [--out PATH] [--check]

The criteria (ids, names, levels) and the catalog's chapters come from GSA's OpenACR catalog
``../shared/openacr/2.5-edition-wcag-2.2-508-en.yaml``; this script adds the few columns the
catalog lacks (the WCAG version that introduced each criterion, its Understanding URL, what a
person must check, which content it applies to) and ``automatable``, computed from the rule
metadata: axe-core's rule tags (read from the bundled axe source) and our rules' ``META.wcag``.

The output is committed, so the project works without ``../shared``; when the catalog is absent
the script says so and exits 0, leaving the committed file alone. ``--check`` exits 1 when the
committed file differs from what the script would write.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from a11y.pipeline.axe import axe_version, wcag_from_tags  # noqa: E402
from a11y.pipeline.criteria import axe_rule_tags_from_source  # noqa: E402
from a11y.rules import all_rules  # noqa: E402
from scripts.generated import shown, write_or_check  # noqa: E402

CATALOG = ROOT.parent / "shared" / "openacr" / "2.5-edition-wcag-2.2-508-en.yaml"
OUT = ROOT / "a11y" / "data" / "wcag22.json"
CATALOG_ID = "2.5-edition-wcag-2.2-508-en"
UNDERSTANDING = "https://www.w3.org/WAI/WCAG22/Understanding/{slug}.html"
LEVEL_CHAPTERS = {"success_criteria_level_a": "A", "success_criteria_level_aa": "AA", "success_criteria_level_aaa": "AAA"}

# Criteria new in WCAG 2.1 and 2.2 (everything else in the catalog is WCAG 2.0); 4.1.1 was removed in 2.2.
NEW_IN_21 = {"1.3.4", "1.3.5", "1.3.6", "1.4.10", "1.4.11", "1.4.12", "1.4.13", "2.1.4", "2.2.6", "2.3.3",
             "2.5.1", "2.5.2", "2.5.3", "2.5.4", "2.5.5", "2.5.6", "4.1.3"}
NEW_IN_22 = {"2.4.11", "2.4.12", "2.4.13", "2.5.7", "2.5.8", "3.2.6", "3.3.7", "3.3.8", "3.3.9"}
REMOVED_IN = {"4.1.1": "2.2"}

# What the criterion applies to, where rule applicability can show a page has none of it
# (a11y.pipeline.criteria.EVIDENCE says which rules' applicability counts as evidence).
APPLIES_TO = {
    **dict.fromkeys(["1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.2.6", "1.2.7", "1.2.8"], "video"),
    **dict.fromkeys(["1.2.1", "1.2.9"], "media"),
    **dict.fromkeys(["1.3.5", "3.2.2", "3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.3.6", "3.3.7", "3.3.8", "3.3.9"], "forms"),
    **dict.fromkeys(["2.4.4", "2.4.9"], "links"),
}

# axe rules that can only ask for a review (their checks never fail): they flag, they do not decide.
REVIEW_ONLY_AXE_RULES = {"video-caption", "audio-caption"}

# One sentence per criterion: what a person must check, because automated checks cannot prove it.
MANUAL_CHECK = {
    "1.1.1": "Check that every informative image, icon and control has a text alternative that serves the same purpose, and that decorative images are hidden.",
    "1.2.1": "Check that prerecorded audio-only content has a transcript and video-only content has a transcript or audio track.",
    "1.2.2": "Check that prerecorded video with sound has accurate, synchronised captions.",
    "1.2.3": "Check that prerecorded video has audio description or a full text alternative.",
    "1.2.4": "Check that live audio in synchronised media has captions.",
    "1.2.5": "Check that prerecorded video has audio description of visual information not in the soundtrack.",
    "1.2.6": "Check that prerecorded video with sound has sign language interpretation.",
    "1.2.7": "Check that extended audio description is provided where pauses are too short for standard description.",
    "1.2.8": "Check that prerecorded video has a full text alternative (a media alternative).",
    "1.2.9": "Check that live audio-only content has a text alternative such as live captions.",
    "1.3.1": "Check that headings, lists, tables, captions, form labels and other structure shown visually are in the markup.",
    "1.3.2": "Check that the reading and focus order of the content matches its meaning when styles are off.",
    "1.3.3": "Check that instructions do not rely only on shape, colour, size, position or sound.",
    "1.3.4": "Check that the page works in both portrait and landscape orientation.",
    "1.3.5": "Check that fields asking for the user's own data have the right autocomplete value.",
    "1.3.6": "Check that the purpose of regions, icons and components can be determined programmatically.",
    "1.4.1": "Check that colour is not the only way information is conveyed (links, errors, charts, status).",
    "1.4.2": "Check that audio playing for more than 3 seconds can be paused or its volume controlled.",
    "1.4.3": "Check the contrast of text over images, gradients and states automated checks could not measure (at least 4.5:1, 3:1 for large text).",
    "1.4.4": "Check that text can be zoomed to 200% without loss of content or function.",
    "1.4.5": "Check that text is real text, not images of text, except logos and essential cases.",
    "1.4.6": "Check that text contrast is at least 7:1 (4.5:1 for large text).",
    "1.4.7": "Check that speech audio has no or low background sound, or it can be turned off.",
    "1.4.8": "Check that blocks of text meet the visual presentation requirements (width, spacing, colours, resizing).",
    "1.4.9": "Check that images of text are used only for decoration or where essential.",
    "1.4.10": "Check that at 320 CSS px wide (400% zoom) content reflows without scrolling in two directions.",
    "1.4.11": "Check that controls' boundaries, focus and state indicators and meaningful graphics have at least 3:1 contrast.",
    "1.4.12": "Check that no content is lost when line height, paragraph, letter and word spacing are increased.",
    "1.4.13": "Check that content shown on hover or focus can be dismissed, hovered and stays until dismissed.",
    "2.1.1": "Check with the keyboard alone that every link, control and function can be reached and used.",
    "2.1.2": "Check that keyboard focus never gets trapped in any component, embed or dialog.",
    "2.1.3": "Check that all functionality is operable by keyboard without exception.",
    "2.1.4": "Check that single-character keyboard shortcuts can be turned off or remapped, or work only on focus.",
    "2.2.1": "Check that any time limit can be turned off, adjusted or extended.",
    "2.2.2": "Check that moving, blinking, scrolling or auto-updating content (carousels, tickers) can be paused, stopped or hidden.",
    "2.2.3": "Check that timing is not an essential part of any activity.",
    "2.2.4": "Check that interruptions can be postponed or suppressed.",
    "2.2.5": "Check that users can continue without losing data after re-authenticating.",
    "2.2.6": "Check that users are warned about inactivity timeouts that could lose data.",
    "2.3.1": "Check that nothing flashes more than three times per second.",
    "2.3.2": "Check that nothing flashes more than three times in any one second period.",
    "2.3.3": "Check that motion animation triggered by interaction can be disabled.",
    "2.4.1": "Check that a skip link or landmarks let keyboard users bypass repeated blocks.",
    "2.4.2": "Check that the page title describes the page's topic or purpose.",
    "2.4.3": "Check that focus moves in an order that preserves meaning and operability.",
    "2.4.4": "Check that each link's purpose is clear from its text and context.",
    "2.4.5": "Check that there is more than one way to find the page (navigation, search, site map, related links).",
    "2.4.6": "Check that headings and labels describe their topic or purpose.",
    "2.4.7": "Check with the keyboard that focus is always visible.",
    "2.4.8": "Check that users can tell where they are within the site (breadcrumbs, site map).",
    "2.4.9": "Check that each link's purpose is clear from the link text alone.",
    "2.4.10": "Check that section headings organise the content.",
    "2.4.11": "Check that the focused element is not entirely hidden by sticky headers, banners or overlays.",
    "2.4.12": "Check that no part of the focused element is hidden by author-created content.",
    "2.4.13": "Check that focus indicators are large enough and have enough contrast.",
    "2.5.1": "Check that multipoint or path-based gestures have a single-pointer alternative.",
    "2.5.2": "Check that actions fire on pointer up, or can be aborted or undone.",
    "2.5.3": "Check that each control's accessible name contains its visible label text.",
    "2.5.4": "Check that functions triggered by device motion have a UI alternative and can be disabled.",
    "2.5.5": "Check that pointer targets are at least 44 by 44 CSS px.",
    "2.5.6": "Check that content does not restrict the use of available input modalities.",
    "2.5.7": "Check that dragging actions have a single-pointer alternative.",
    "2.5.8": "Check that pointer targets are at least 24 by 24 CSS px or spaced well enough.",
    "3.1.1": "Check that the page's lang attribute matches the language of its content.",
    "3.1.2": "Check that passages in another language are marked with lang.",
    "3.1.3": "Check that unusual words, idioms and jargon are defined.",
    "3.1.4": "Check that abbreviations are expanded or explained.",
    "3.1.5": "Check that text beyond lower-secondary reading level has a simpler alternative.",
    "3.1.6": "Check that pronunciation is given where meaning depends on it.",
    "3.2.1": "Check that moving focus to a component does not change the context.",
    "3.2.2": "Check that changing a form control's setting does not change the context unexpectedly.",
    "3.2.3": "Check that navigation repeated across pages keeps the same relative order.",
    "3.2.4": "Check that components with the same function are identified consistently across pages.",
    "3.2.5": "Check that changes of context happen only on user request.",
    "3.2.6": "Check that help mechanisms repeated across pages appear in the same relative order.",
    "3.3.1": "Check that input errors are identified and described in text.",
    "3.3.2": "Check that form fields have visible labels or instructions.",
    "3.3.3": "Check that error messages suggest how to fix the input when known.",
    "3.3.4": "Check that legal, financial and data submissions can be reversed, checked or confirmed.",
    "3.3.5": "Check that context-sensitive help is available for form input.",
    "3.3.6": "Check that every submission can be reversed, checked or confirmed.",
    "3.3.7": "Check that information already entered in a process is filled in or selectable, not asked again.",
    "3.3.8": "Check that logging in does not require a cognitive function test (memorising, transcribing, puzzles) without an alternative.",
    "3.3.9": "Check that logging in requires no cognitive function test, not even object recognition.",
    "4.1.1": "Obsolete in WCAG 2.2; the 2023 WCAG 2.0/2.1 errata treat it as always satisfied for HTML content: confirm the content is HTML.",
    "4.1.2": "Check with a screen reader that custom controls expose the right name, role, state and value.",
    "4.1.3": "Check that status messages (results, errors, progress) are announced without moving focus.",
}


def slug(handle: str) -> str:
    """The Understanding page's name: the handle in lower case, punctuation dropped."""
    return re.sub(r"[^a-z0-9]+", "-", handle.lower()).strip("-")


def version_of(criterion_id: str) -> str:
    return "2.2" if criterion_id in NEW_IN_22 else "2.1" if criterion_id in NEW_IN_21 else "2.0"


def automatable_criteria() -> tuple[set[str], str]:
    """Criteria some default-enabled rule can fail: axe's (not experimental or deprecated) and ours."""
    found: set[str] = set()
    for rule_id, tags in axe_rule_tags_from_source().items():
        if rule_id in REVIEW_ONLY_AXE_RULES or {"experimental", "deprecated"} & set(tags):
            continue
        found.update(wcag_from_tags(list(tags)))
    for rule in all_rules():
        if rule.meta.outcome == "violation" and not rule.meta.best_practice:
            found.update(rule.meta.wcag)
    return found, f"axe-core {axe_version()} and the a11y rules"


def criterion_row(item: dict[str, Any], level: str, automatable: set[str]) -> dict[str, Any]:
    cid = str(item["id"])
    return {
        "id": cid,
        "name": item["handle"],
        "level": level,
        "version": version_of(cid),
        "removed_in": REMOVED_IN.get(cid),
        "url": UNDERSTANDING.format(slug=slug(item["handle"])),
        "automatable": cid in automatable,
        "applies_to": APPLIES_TO.get(cid),
        "manual_check": MANUAL_CHECK[cid],
    }


def build(catalog: dict[str, Any]) -> dict[str, Any]:
    automatable, source = automatable_criteria()
    criteria = []
    chapters = []
    for chapter in catalog["chapters"]:
        level = LEVEL_CHAPTERS.get(chapter["id"])
        if level:
            criteria.extend(criterion_row(item, level, automatable) for item in chapter["criteria"])
        chapters.append({
            "id": chapter["id"],
            "label": chapter["label"],
            "criteria": [{"id": str(item["id"]), "name": item["handle"], "components": list(item["components"])}
                         for item in chapter["criteria"]],
        })
    missing = sorted(set(MANUAL_CHECK) - {c["id"] for c in criteria})
    if missing:
        raise SystemExit(f"MANUAL_CHECK names criteria the catalog lacks: {', '.join(missing)}")
    criteria.sort(key=lambda c: tuple(int(p) for p in c["id"].split(".")))
    return {
        "schema": "a11y-criteria/1",
        "source": f"GSA OpenACR catalog {CATALOG_ID} ({catalog['title']}); automatable from {source}",
        "generated_by": "scripts/make_criteria_data.py",
        "catalog": {"id": CATALOG_ID, "title": catalog["title"], "chapters": chapters},
        "criteria": criteria,
    }


def dump(data: dict[str, Any]) -> str:
    """JSON with one criterion (or chapter criterion) per line: readable diffs, small file."""
    def row(item: Any) -> str:
        return json.dumps(item, ensure_ascii=False)

    chapters = ",\n".join(
        f'   {{"id": {row(ch["id"])}, "label": {row(ch["label"])}, "criteria": [\n' + ",\n".join(f"    {row(c)}" for c in ch["criteria"]) + "\n   ]}"
        for ch in data["catalog"]["chapters"]
    )
    head = ",\n".join(f" {row(key)}: {row(data[key])}" for key in ("schema", "source", "generated_by"))
    catalog = f' "catalog": {{"id": {row(data["catalog"]["id"])}, "title": {row(data["catalog"]["title"])}, "chapters": [\n{chapters}\n  ]}}'
    criteria = ' "criteria": [\n' + ",\n".join(f"  {row(c)}" for c in data["criteria"]) + "\n ]"
    text = "{\n" + ",\n".join([head, catalog, criteria]) + "\n}\n"
    assert json.loads(text) == data
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=CATALOG)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is out of date")
    args = parser.parse_args(argv)
    if not args.catalog.is_file():
        print(f"{args.catalog} not found: keeping the committed {shown(args.out)}")
        return 0
    data = build(yaml.safe_load(args.catalog.read_text(encoding="utf-8")))
    return write_or_check(args.out, dump(data), check=args.check, script="scripts/make_criteria_data.py",
                          summary=f"{len(data['criteria'])} criteria, {len(data['catalog']['chapters'])} chapters")


if __name__ == "__main__":
    sys.exit(main())
