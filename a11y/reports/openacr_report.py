"""``openacr.yaml``: a draft Accessibility Conformance Report in GSA's OpenACR format.

Product metadata comes from ``run.settings["acr"]`` (product, version, author_email,
author_name, vendor, catalog, ...), which the ``a11y acr`` command fills; placeholders otherwise.
See :mod:`a11y.reports.acr` for how each criterion's adherence level is drafted.
"""

from __future__ import annotations

from pathlib import Path

from ..model import RunResult
from ..pipeline.criteria import rule_criteria_of
from . import write_atomic
from .acr import acr_from_settings, acr_yaml


class OpenAcrReporter:
    name = "openacr"
    filename = "openacr.yaml"

    def render(self, run: RunResult) -> str:
        return acr_yaml(acr_from_settings(run, rule_criteria_of(run)))

    def write(self, run: RunResult, out_dir: Path) -> Path:
        return write_atomic(out_dir / self.filename, self.render(run))


REPORTER = OpenAcrReporter()
