"""Turn command-line targets (files, folders, globs, URLs, @lists) into pages to audit."""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path

HTML_SUFFIXES = (".html", ".htm")
GLOB_CHARS = set("*?[")
# user:password@ after a scheme, up to the last @ before the path (a password may hold a raw @)
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@")
REDACTED = "***"


@dataclass(frozen=True)
class FoundBy:
    """How a page came to be audited: named on the command line (``target``), listed by a
    ``sitemap`` or ``feed`` (``source`` names it), or linked from a ``crawl``ed page (``source``)."""

    kind: str = "target"
    source: str | None = None
    depth: int = 0

    def to_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"kind": self.kind}
        if self.source is not None:
            found["from"] = self.source
        if self.kind == "crawl":
            found["depth"] = self.depth
        return found


@dataclass(frozen=True)
class Target:
    """One page to audit: a local file served from ``root``, or a URL.

    ``error`` is set when the target itself is bad (missing file, empty folder); such a
    target becomes an error page in the report without ever reaching the browser.
    """

    source: str | None = None
    path: Path | None = None
    root: Path | None = None
    url: str | None = None
    error: str | None = None
    found_by: FoundBy = FoundBy()

    @property
    def name(self) -> str:
        return self.source or self.url or "?"


def redact_url(text: str) -> str:
    """``text`` with the userinfo of every URL in it replaced by ``***`` (``http://***@host/``).

    Navigation uses the real URL; everything a user or a report sees goes through this.
    A query string (``?token=``) is kept: it is part of what the page is.
    """
    return _USERINFO.sub(rf"\1{REDACTED}@", text)


def display_path(path: Path) -> str:
    """A path as the user wants to read it: relative to the working directory when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if not os.path.relpath(path).startswith("..") else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _html_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file()
    )


def _glob_root(pattern: str) -> Path:
    """The folder a glob is anchored in: its longest prefix without wildcards."""
    parts: list[str] = []
    for part in Path(pattern).parts:
        if GLOB_CHARS & set(part):
            break
        parts.append(part)
    return Path(*parts).resolve() if parts else Path.cwd()


def _file_target(path: Path, root: Path) -> Target:
    return Target(source=display_path(path.resolve()), path=path.resolve(), root=root.resolve())


def _from_list(list_file: str, seen: set[str]) -> list[Target]:
    path = Path(list_file)
    if list_file in seen:
        return [Target(source=list_file, error="target list includes itself")]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        return [Target(source=list_file, error=f"cannot read target list ({exc.strerror})")]
    entries = [line.split("#", 1)[0].strip() if not line.lstrip().startswith(("http://", "https://")) else line.strip() for line in lines]
    base = path.parent
    targets: list[Target] = []
    for entry in entries:
        if not entry or entry.startswith("#"):
            continue
        if not entry.startswith(("http://", "https://", "@")) and not Path(entry).is_absolute():
            entry = str(base / entry) if not Path(entry).exists() else entry
        targets.extend(_resolve_one(entry, seen | {list_file}))
    return targets


def _resolve_one(spec: str, seen: set[str]) -> list[Target]:
    if spec.startswith(("http://", "https://")):
        return [Target(url=spec)]
    if spec.startswith("@"):
        return _from_list(spec[1:], seen)
    path = Path(spec)
    if path.is_dir():
        files = _html_files(path)
        if not files:
            return [Target(source=display_path(path.resolve()), error="folder has no .html or .htm files")]
        return [_file_target(f, path) for f in files]
    if path.is_file():
        return [_file_target(path, path.parent)]
    if GLOB_CHARS & set(spec):
        matches = sorted(Path(m) for m in glob.glob(spec, recursive=True))
        files = [m for m in matches if m.is_file()]
        for folder in (m for m in matches if m.is_dir()):
            files.extend(_html_files(folder))
        if not files:
            return [Target(source=spec, error="no file matches this pattern")]
        root = _glob_root(spec)
        return [_file_target(f, root) for f in sorted(set(files))]
    return [Target(source=spec, error="no such file or folder")]


def resolve_targets(specs: list[str]) -> list[Target]:
    """Expand every spec, in the order given, dropping exact duplicates."""
    targets: list[Target] = []
    seen: set[tuple[str | None, str | None]] = set()
    for spec in specs:
        for target in _resolve_one(spec, set()):
            key = (target.source, target.url)
            if key not in seen:
                seen.add(key)
                targets.append(target)
    return targets
