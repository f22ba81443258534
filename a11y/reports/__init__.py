"""Reporters: one module per format behind one interface (pa11y's boundary).

A reporter takes the finished :class:`~a11y.model.RunResult` and the output folder and
writes its file(s). Files are written atomically so a report is never half-written.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from ..files import write_atomic
from ..model import RunResult

FORMATS: dict[str, str] = {
    "json": "a11y.reports.json_report",
    "html": "a11y.reports.html_report",
    "md": "a11y.reports.markdown_report",
    "sarif": "a11y.reports.sarif_report",
    "junit": "a11y.reports.junit_report",
    "openacr": "a11y.reports.openacr_report",
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


__all__ = ["ASSETS_DIR", "DEFAULT_FORMATS", "FORMATS", "REPORT_NAMES", "Reporter", "get_reporter", "write_atomic"]
