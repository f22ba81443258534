"""Write a generated file, or check that the committed one is current: shared by the make_* scripts."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shown(path: Path) -> Path:
    """The path as a user would type it: relative to the project when inside it."""
    resolved = path.resolve()
    return resolved.relative_to(ROOT) if resolved.is_relative_to(ROOT) else resolved


def write_or_check(out: Path, text: str, *, check: bool, script: str, summary: str) -> int:
    """With ``check``: exit status 1 when ``out`` differs from ``text``. Else write it. Prints one line."""
    if check:
        current = out.read_text(encoding="utf-8") if out.is_file() else ""
        print(f"{shown(out)} is up to date" if current == text else f"{shown(out)} is out of date: run {script}")
        return 0 if current == text else 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {shown(out)}: {summary}")
    return 0
