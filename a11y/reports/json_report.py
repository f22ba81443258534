"""``report.json``: the contract other tools parse (schema ``a11y-report/1``)."""

from __future__ import annotations

import json
from pathlib import Path

from ..model import RunResult
from . import write_atomic


class JsonReporter:
    name = "json"
    filename = "report.json"

    def render(self, run: RunResult) -> str:
        return json.dumps(self.data(run), indent=2, ensure_ascii=False, sort_keys=False) + "\n"

    def data(self, run: RunResult) -> dict:
        """The run plus the WCAG criteria view, per page and for the whole run."""
        from ..pipeline.criteria import DISCLAIMER, criteria_of

        data = run.to_dict()
        view = criteria_of(run)
        for page_data, rows in zip(data["pages"], view.pages, strict=True):
            page_data["criteria"] = rows
        data["criteria"] = view.rows
        data["criteria_note"] = DISCLAIMER
        return data

    def write(self, run: RunResult, out_dir: Path) -> Path:
        return write_atomic(out_dir / self.filename, self.render(run))


REPORTER = JsonReporter()
