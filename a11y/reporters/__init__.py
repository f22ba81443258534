"""Reporters: one module per format behind one interface (pa11y's boundary).

A reporter takes the finished :class:`~a11y.model.RunResult` and the output folder and
writes its file(s). Files are written atomically so a report is never half-written.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from ..model import RunResult

FORMATS: dict[str, str] = {
    "json": "a11y.reporters.json_report",
    "html": "a11y.reporters.html_report",
    "md": "a11y.reporters.markdown_report",
    "sarif": "a11y.reporters.sarif_report",
    "junit": "a11y.reporters.junit_report",
    "openacr": "a11y.reporters.openacr_report",
}
DEFAULT_FORMATS = ("json", "html", "md")
# The names reporters write in the report folder (a11y/outdir.py replaces only these, and only
# when its manifest says a11y wrote them). Screenshots go to a folder named as a11y's own.
REPORT_NAMES = ("report.json", "report.html", "report.md", "report.sarif", "junit.xml", "openacr.yaml")
ASSETS_DIR = "a11y-assets"


class Reporter(Protocol):
    name: str
    filename: str

    def write(self, run: RunResult, out_dir: Path) -> Path: ...


def get_reporter(name: str) -> Reporter:
    if name not in FORMATS:
        raise KeyError(f"unknown report format {name!r}; choose from {', '.join(sorted(FORMATS))}")
    return importlib.import_module(FORMATS[name]).REPORTER


def _read_umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: done once, at import, then put back
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write to a temp file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temp, 0o666 & ~_UMASK)  # mkstemp makes it owner-only; a report gets the usual mode
        with os.fdopen(fd, "wb") as handle:
            # errors="replace": a lone surrogate from a hostile page must not cost the report
            handle.write(data.encode("utf-8", errors="replace") if isinstance(data, str) else data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
