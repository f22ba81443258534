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
        from ..criteria import DISCLAIMER, criteria_for_page, criteria_for_run, level_of_standard, rule_criteria_of

        data = run.to_dict()
        rule_criteria = rule_criteria_of(run)
        level = level_of_standard(str(run.tool.get("standard", "")))
        for page_data, page in zip(data["pages"], run.pages, strict=True):
            page_data["criteria"] = criteria_for_page(page, rule_criteria, level) if page.status == "ok" else []
        data["criteria"] = criteria_for_run(run, rule_criteria, level)
        data["criteria_note"] = DISCLAIMER
        return data

    def write(self, run: RunResult, out_dir: Path) -> Path:
        return write_atomic(out_dir / self.filename, self.render(run))


REPORTER = JsonReporter()
