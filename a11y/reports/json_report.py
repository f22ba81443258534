"""``report.json``: the contract other tools parse (schema ``a11y-report/1``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..model import RunResult
from . import write_atomic

PAGES_MARKER = '\n  "pages": []'  # where the pages go in the run's text without them: the top-level key (two spaces in)


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
        return write_atomic(out_dir / self.filename, self.pieces(run))

    def pieces(self, run: RunResult) -> Iterator[str]:
        """``render(run)``'s text, a page at a time: a run of 100,000 pages is never one dict or one string."""
        from ..pipeline.criteria import DISCLAIMER, criteria_of, page_rows

        view = criteria_of(run)
        per_page, run_rows = view.pages, view.rows
        shell = replace(run, pages=[], planned=run.planned if run.planned is not None else len(run.pages)).to_dict()
        shell.update(not_audited=run.not_audited, summary=run.summary(), criteria=run_rows, criteria_note=DISCLAIMER)
        text = json.dumps(shell, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        head, marker, tail = text.partition(PAGES_MARKER)
        if not marker:  # cannot happen with RunResult.to_dict's keys; should they change, still the right report
            yield self.render(run)
            return
        if not per_page:
            yield text
            return
        yield head + '\n  "pages": [\n'
        for index, page in enumerate(run.pages):  # each page unpacked once, its criteria rows computed from it
            page_data = page.to_dict()
            page_data["criteria"] = page_rows(view, page, index)
            entry = json.dumps(page_data, indent=2, ensure_ascii=False, sort_keys=False).replace("\n", "\n    ")
            yield ("    " if index == 0 else ",\n    ") + entry
        yield "\n  ]" + tail


REPORTER = JsonReporter()
