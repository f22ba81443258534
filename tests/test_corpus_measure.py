"""The corpus measure (scripts/corpus.py --summary): per-rule figures and the labelled sample's
precision, recomputed from findings joined to tests/corpus_labels.csv. Browser-free."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from .conftest import ROOT


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_script", ROOT / "scripts" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def finding(page: str, rule: str, target: str, axe: bool = False) -> dict:
    return {"page": page, "rule": rule, "target": target, "axe": axe}


def test_precision_joins_findings_to_labels(tmp_path: Path) -> None:
    script = load_script()
    labels_file = tmp_path / "labels.csv"
    labels_file.write_text(
        "# a comment line\npage,rule,target,label,reason\n"
        "a.html,pseudo-list,p,tp,typed numbers\n"
        "a.html,alt-placeholder,img,fp,a real description\n"
        "b.html,alt-placeholder,img,tp,alt is 'image'\n"
        "c.html,alt-placeholder,img,tp,fixed since: gone\n", encoding="utf-8")
    labels = script.read_labels(labels_file)
    assert len(labels) == 4
    result = script.measure([
        finding("a.html", "pseudo-list", "p", axe=True),
        finding("a.html", "alt-placeholder", "img"),
        finding("b.html", "alt-placeholder", "img", axe=True),
        finding("d.html", "alt-placeholder", "img"),
    ], labels)
    placeholder = result.rules["alt-placeholder"]
    assert (placeholder.findings, len(placeholder.pages), placeholder.with_axe) == (3, 3, 1)
    assert (placeholder.tp, placeholder.fp) == (1, 1) and placeholder.precision == 0.5
    assert result.rules["pseudo-list"].precision == 1.0
    assert result.gone == [("c.html", "alt-placeholder", "img")]
    assert result.unlabelled == [("d.html", "alt-placeholder", "img")]
    text = script.summary(result, axe=True)
    assert "alt-placeholder" in text and "50%" in text and "1 labelled findings no longer found" in text


def test_the_labelled_sample_is_well_formed() -> None:
    script = load_script()
    labels = script.read_labels()
    assert len(labels) >= 150
    for key, row in labels.items():
        assert row["label"] in ("tp", "fp"), key
        assert row["reason"].strip(), key
