"""Run our publishing rules over ../shared/corpus and dump every finding for reading.

    .venv/bin/python scripts/corpus.py --rules alt-,caption- --out /tmp/corpus-captions.jsonl
    .venv/bin/python scripts/corpus.py --axe --summary        # what `make corpus` prints

Each line of the output is one finding: page, rule, target, message, suggestion, html. Skips
cleanly (exit 0 with a message) when ../shared/corpus is absent. External requests are blocked
(the corpus references its publishers' original hosts).

``--summary`` prints, per rule: findings, pages, findings that also carry an axe-core finding on
the same element (with ``--axe``), and the precision of the labelled sample in
tests/corpus_labels.csv (page, rule, target, label tp|fp, reason), recomputed from the current
findings: labelled findings that disappeared (fixed false positives, or possible misses) and
findings nobody labelled yet are listed under the table.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
LABELS = ROOT / "tests" / "corpus_labels.csv"
LABEL_FIELDS = ("page", "rule", "target", "label", "reason")

Key = tuple[str, str, str]  # (page relative to the corpus, rule, target selector)


def read_labels(path: Path = LABELS) -> dict[Key, dict[str, str]]:
    """The labelled sample: one row per finding, keyed by page, rule and target."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(line for line in handle if not line.startswith("#")) if row.get("page")]
    return {(row["page"], row["rule"], row["target"]): row for row in rows}


@dataclass
class RuleFigures:
    findings: int = 0
    pages: set[str] = field(default_factory=set)
    with_axe: int = 0
    tp: int = 0
    fp: int = 0

    @property
    def precision(self) -> float | None:
        labelled = self.tp + self.fp
        return self.tp / labelled if labelled else None


@dataclass
class Measure:
    rules: dict[str, RuleFigures]
    gone: list[Key]  # labelled, no longer found
    unlabelled: list[Key]


def measure(findings: list[dict], labels: dict[Key, dict[str, str]]) -> Measure:
    """Per-rule figures of the current findings joined to the labelled sample."""
    rules: dict[str, RuleFigures] = defaultdict(RuleFigures)
    seen: set[Key] = set()
    unlabelled: list[Key] = []
    for finding in findings:
        key = (finding["page"], finding["rule"], finding["target"])
        figures = rules[finding["rule"]]
        figures.findings += 1
        figures.pages.add(finding["page"])
        figures.with_axe += bool(finding.get("axe"))
        if key in seen:
            continue
        seen.add(key)
        label = labels.get(key, {}).get("label", "")
        if label == "tp":
            figures.tp += 1
        elif label == "fp":
            figures.fp += 1
        else:
            unlabelled.append(key)
    gone = sorted(key for key in labels if key not in seen)
    return Measure(dict(sorted(rules.items())), gone, unlabelled)


def summary(result: Measure, axe: bool) -> str:
    lines = [f"{'rule':<24} {'findings':>8} {'pages':>6} {'with axe':>9} {'labelled':>9} {'precision':>9}"]
    for rule, fig in result.rules.items():
        precision = f"{fig.precision:.0%}" if fig.precision is not None else "-"
        with_axe = str(fig.with_axe) if axe else "n/a"
        lines.append(f"{rule:<24} {fig.findings:>8} {len(fig.pages):>6} {with_axe:>9} {fig.tp + fig.fp:>9} {precision:>9}")
    tp = sum(f.tp for f in result.rules.values())
    fp = sum(f.fp for f in result.rules.values())
    total = sum(f.findings for f in result.rules.values())
    lines.append(f"{'all':<24} {total:>8} {'':>6} {'':>9} {tp + fp:>9} {(tp / (tp + fp)) if tp + fp else 0:>9.0%}")
    lines.append(f"\n{len(result.gone)} labelled findings no longer found (a fixed false positive, or a possible miss):")
    lines += [f"  {page} {rule} {target}" for page, rule, target in result.gone]
    lines.append(f"{len(result.unlabelled)} findings not labelled yet (label a sample of them in tests/corpus_labels.csv).")
    return "\n".join(lines)


def _with_axe(pages) -> dict[int, set[int]]:
    """For each page (by position), the snapshot indices of elements axe-core flagged."""
    from a11y.pipeline.merge import _Elements

    flagged: dict[int, set[int]] = {}
    for position, page in enumerate(pages):
        elements = _Elements(page.snapshot)
        flagged[position] = {i for f in page.findings if f.engine == "axe" and (i := elements.index_of(f)) is not None}
    return flagged


def _relative(source: str) -> str:
    try:
        return Path(source).resolve().relative_to(CORPUS).as_posix()
    except ValueError:
        return source


def _axe_rule_ids() -> frozenset[str]:
    from a11y.pipeline.merge import MERGE_PAIRS
    from a11y.rules import all_rules

    ours = {rule.id for rule in all_rules()}
    return frozenset(p.absorb for p in MERGE_PAIRS if p.absorb not in ours)


_AXE_RULES: frozenset[str] = frozenset()


def _snapshot_name(source: str) -> str:
    return Path(source).resolve().relative_to(CORPUS).as_posix().replace("/", "__") + ".json"


def save_snapshots(pages, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        if page.snapshot is not None:
            (folder / _snapshot_name(page.source)).write_text(page.snapshot.to_json(), encoding="utf-8")


def from_snapshots(folder: Path, only: list[str] | None):
    """Re-run our rules on saved snapshots: no browser, seconds instead of minutes."""
    from a11y.model import PageResult
    from a11y.rules import run_rules
    from a11y.snapshot import Snapshot

    pages = []
    for path in sorted(folder.glob("*.json")):
        source = str(CORPUS / path.stem.replace("__", "/"))
        if only and not any(source.endswith(o) for o in only):
            continue
        outcome = run_rules(Snapshot.load(path))
        pages.append(PageResult(source=source, url="", findings=outcome.findings))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", default="", help="comma-separated rule id prefixes to keep (default: all of ours)")
    parser.add_argument("--out", default="-", help="JSONL output file (default: stdout)")
    parser.add_argument("--pages", nargs="*", help="only these corpus files (relative to the corpus)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--axe", action="store_true", help="run axe-core too, to count findings that also carry an axe finding")
    parser.add_argument("--summary", action="store_true", help="print per-rule figures and the labelled sample's precision")
    parser.add_argument("--snapshots", help="folder of saved snapshots: filled on the first run, "
                        "then rules run on them without a browser (fast iteration on rules)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}; nothing to do")
        return 0
    sys.path.insert(0, str(ROOT))
    global _AXE_RULES
    _AXE_RULES = _axe_rule_ids()
    from a11y.pipeline.engine import audit
    from a11y.settings import Settings

    targets = [str(CORPUS / p) for p in args.pages] if args.pages else [
        str(p) for p in sorted(CORPUS.rglob("*.html"))]
    prefixes = tuple(p for p in args.rules.split(",") if p)
    started = time.perf_counter()
    snapshots = Path(args.snapshots) if args.snapshots else None
    if snapshots and any(snapshots.glob("*.json")):
        pages = from_snapshots(snapshots, args.pages)
    else:
        run = audit(targets, Settings(settle_ms=300, timeout_s=30, run_axe=args.axe, block_external=True,
                                      concurrency=args.concurrency, keep_snapshots=bool(snapshots) or args.axe))
        pages = run.pages
        if snapshots:
            save_snapshots(pages, snapshots)
    flagged = _with_axe(pages) if args.axe else {}
    lines = []
    for position, page in enumerate(pages):
        if page.status == "error":
            lines.append({"page": page.source, "error": page.error})
        for f in page.findings:
            if f.engine != "a11y" or (prefixes and not f.rule.startswith(prefixes)):
                continue
            axe = bool([a for a in f.also if a in _AXE_RULES]) or f.element_index in flagged.get(position, set())
            lines.append({"page": _relative(page.source), "rule": f.rule, "impact": f.impact, "outcome": f.outcome,
                          "target": f.target, "message": f.message, "suggestion": f.suggestion, "html": f.html, "axe": axe})
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    if args.summary:
        print(summary(measure([line for line in lines if "rule" in line], read_labels()), args.axe))
    if args.out == "-" and not args.summary:
        sys.stdout.write(text)
    elif args.out != "-":
        Path(args.out).write_text(text, encoding="utf-8")
    findings = sum(1 for line in lines if "rule" in line)
    print(f"{len(pages)} pages, {findings} findings, {sum(1 for p in pages if p.status == 'error')} page errors, "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
