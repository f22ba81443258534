"""docs/rules.md: generated from the rule modules, up to date, and the target of every finding's help_url."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from a11y.rules import DOCS_URL, all_rules

from .conftest import ROOT

DOC = ROOT / "docs" / "rules.md"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_rules_doc", ROOT / "scripts" / "make_rules_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation but hyphens dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(text: str, level: str = "##") -> list[str]:
    """Headings at one level, outside fenced code blocks."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith(level + " "):
            found.append(line[len(level) + 1:])
    return found


def test_rules_doc_is_up_to_date() -> None:
    script = load_script()
    assert DOC.read_text(encoding="utf-8") == script.render(), "docs/rules.md is stale: run scripts/make_rules_doc.py"
    assert script.main(["--check"]) == 0


def test_check_flags_a_stale_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "rules.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert load_script().main(["--check", "--out", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().out


def test_every_help_url_lands_on_its_rule_heading() -> None:
    text = DOC.read_text(encoding="utf-8")
    anchors = Counter(github_anchor(h) for level in ("#", "##", "###") for h in headings(text, level))
    section_ids = headings(text, "##")
    for rule in all_rules():
        assert rule.help_url == DOCS_URL.format(id=rule.id)
        anchor = rule.help_url.split("#", 1)[1]
        assert anchor in section_ids, f"no '## {anchor}' heading in docs/rules.md"
        assert anchors[anchor] == 1, f"the anchor #{anchor} is not unique in docs/rules.md"


def test_every_rule_is_in_the_summary_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    table_ids = re.findall(r"^\| \[([a-z0-9-]+)\]\(#\1\) \|", text, flags=re.MULTILINE)
    assert sorted(table_ids) == sorted(r.id for r in all_rules())


def test_examples_render_as_code_not_html() -> None:
    """The docstrings' HTML examples are fenced: nothing but the generator's comment renders as raw HTML."""
    markdown_it = pytest.importorskip("markdown_it")
    tokens = markdown_it.MarkdownIt("commonmark").parse(DOC.read_text(encoding="utf-8"))
    inline = [child for token in tokens for child in token.children or []]
    raw = [t.content for t in [*tokens, *inline] if t.type in ("html_block", "html_inline") and not t.content.startswith("<!--")]
    assert raw == []


def test_documented_examples_run_through_every_rule_cleanly() -> None:
    """The examples page is what a run warms up on: no rule may crash on it, and it must fail rules."""
    from a11y.rules import examples_page, run_rules
    from a11y.snapshot import Snapshot

    outcome = run_rules(Snapshot.from_html(examples_page()))
    assert not [f for f in outcome.findings if f.outcome == "error"]
    fired = {f.rule for f in outcome.findings}
    assert {"alt-is-filename", "caption-not-associated", "pseudo-list", "icon-missing-label"} <= fired, fired
