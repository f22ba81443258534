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
        return json.dumps(run.to_dict(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"

    def write(self, run: RunResult, out_dir: Path) -> Path:
        return write_atomic(out_dir / self.filename, self.render(run))


REPORTER = JsonReporter()
