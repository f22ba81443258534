"""Run our publishing rules over ../shared/corpus and dump every finding for reading.

    .venv/bin/python scripts/corpus.py --rules alt-,caption- --out /tmp/corpus-captions.jsonl

Each line of the output is one finding: page, rule, target, message, suggestion, html. Skips
cleanly (exit 0 with a message) when ../shared/corpus is absent. External requests are blocked
(the corpus references its publishers' original hosts).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


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
    parser.add_argument("--snapshots", help="folder of saved snapshots: filled on the first run, "
                        "then rules run on them without a browser (fast iteration on rules)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}; nothing to do")
        return 0
    sys.path.insert(0, str(ROOT))
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
        run = audit(targets, Settings(settle_ms=300, timeout_s=30, run_axe=False, block_external=True,
                                      concurrency=args.concurrency, keep_snapshots=bool(snapshots)))
        pages = run.pages
        if snapshots:
            save_snapshots(pages, snapshots)
    lines = []
    for page in pages:
        if page.status == "error":
            lines.append({"page": page.source, "error": page.error})
        for f in page.findings:
            if prefixes and not f.rule.startswith(prefixes):
                continue
            lines.append({"page": page.source, "rule": f.rule, "impact": f.impact, "outcome": f.outcome, "target": f.target,
                          "message": f.message, "suggestion": f.suggestion, "html": f.html})
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
    findings = sum(1 for line in lines if "rule" in line)
    print(f"{len(pages)} pages, {findings} findings, {sum(1 for p in pages if p.status == 'error')} page errors, "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
