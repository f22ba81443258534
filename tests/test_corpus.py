"""The publishing rules over ../shared/corpus (real pages from 131 publishers): `make corpus`.

Slow (minutes), so it is marked ``corpus`` and left out of the default run. It skips cleanly when
the corpus is absent. It proves that no rule crashes on markup nobody here wrote and that every
page is audited; the precision figures come from reading every finding (see the issues' notes),
with ``scripts/corpus.py`` to dump them.
"""

from __future__ import annotations

from collections import Counter

import pytest

from a11y.pipeline.engine import audit
from a11y.settings import Settings

from .conftest import SHARED

CORPUS = SHARED / "corpus"
pytestmark = [pytest.mark.corpus, pytest.mark.browser,
              pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")]


def test_publishing_rules_on_the_corpus() -> None:
    pages = sorted(CORPUS.rglob("*.html"))
    run = audit([str(p) for p in pages], Settings(settle_ms=300, timeout_s=30, run_axe=False, block_external=True))
    errors = [(p.source, p.error) for p in run.pages if p.status == "error"]
    crashes = [(p.source, f.message) for p in run.pages for f in p.findings if f.outcome == "error"]
    by_rule = Counter(f.rule for p in run.pages for f in p.findings)
    print(f"\n{len(run.pages)} corpus pages, {sum(by_rule.values())} findings: {dict(sorted(by_rule.items()))}")
    assert not crashes, crashes[:5]
    assert len(errors) <= len(pages) // 50, errors  # a saved page may be truncated or broken; nearly all must audit
