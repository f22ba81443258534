"""The pytest plugin, run as a user runs it: pytester sessions in their own processes.

The test file and conftest of these sessions are docs/api.md's plugin examples, as written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import ROOT
from .helpers import python_examples, without_timings

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.browser

DOCS = ROOT / "docs" / "api.md"
FORMAT_FILES = ["junit.xml", "openacr.yaml", "report.html", "report.json", "report.md", "report.sarif"]


def docs_example(pytester: pytest.Pytester) -> None:
    """docs/api.md's example tests and conftest, written into the pytester folder."""
    blocks = python_examples(DOCS.read_text(encoding="utf-8"))
    tests = [b for b in blocks if "def test_" in b]
    conftest = [b for b in blocks if "def browser_type_launch_args" in b]
    assert len(tests) == 1 and len(conftest) == 1
    pytester.makeconftest(conftest[0])
    pytester.makepyfile(test_story=tests[0])


def report_pages(folder: Path) -> list[dict]:
    data = without_timings(json.loads((folder / "report.json").read_text(encoding="utf-8")))
    return data["pages"]


def test_docs_example_passes_and_fails_as_documented(pytester: pytest.Pytester) -> None:
    docs_example(pytester)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--a11y-report", "a11y-report")
    result.assert_outcomes(passed=3, failed=1)
    failed = [line.split(" - ")[0] for line in result.outlines if line.startswith("FAILED")]
    assert failed == ["FAILED test_story.py::test_gallery_opened[chromium]"]
    # what docs/api.md says the failing test reads
    documented = re.search(r"The failing test reads:\n\n```text\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S).group(1)  # type: ignore[union-attr]
    for line in documented.splitlines():
        line = line.rstrip()
        assert any(out.rstrip().startswith(line.rstrip("…")) for out in result.outlines), line
    assert "Traceback" not in result.stdout.str() and "def test_gallery_opened" not in result.stdout.str()  # a summary, not a trace
    # one report of every page checked, every format, pages in the order of the tests' ids
    folder = pytester.path / "a11y-report"
    assert sorted(p.name for p in folder.iterdir() if p.name != "a11y-assets") == sorted([*FORMAT_FILES, ".a11y-manifest.json"])
    pages = report_pages(folder)
    assert [p["title"] for p in pages] == ["Story", "Story", "Narrow", "Story"]
    assert [[f["rule"] for f in p["findings"] if f["status"] == "violation"] for p in pages] == [["image-alt"], [], [], []]
    assert "report of 4 checked page(s)" in result.stdout.str()


def test_report_is_the_same_under_xdist(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    docs_example(pytester)
    serial = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--a11y-report", "serial")
    parallel = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--a11y-report", "parallel")
    serial.assert_outcomes(passed=3, failed=1)
    parallel.assert_outcomes(passed=3, failed=1)
    assert report_pages(pytester.path / "parallel") == report_pages(pytester.path / "serial")


def test_plugin_imports_nothing_heavy_until_used(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_light="""
        import sys

        def test_light(a11y_check, pytestconfig):
            assert callable(a11y_check)
            assert pytestconfig.pluginmanager.has_plugin("a11y")  # registered by the package's entry point
            heavy = [m for m in ("playwright", "a11y.pipeline.engine", "a11y.api", "a11y.pipeline.live", "bs4") if m in sys.modules]
            assert heavy == []
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:playwright")
    result.assert_outcomes(passed=1)


def test_options_are_in_pytest_help(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--help")
    for option in ("--a11y-fail-on", "--a11y-standard", "--a11y-report"):
        assert option in result.stdout.str()


def test_fail_on_option_and_marker(pytester: pytest.Pytester) -> None:
    docs_example(pytester)
    pytester.makepyfile(test_story="""
        import pytest

        PAGE = '<html lang="en"><title>T</title><main><h1>T</h1><img src="a.jpg"></main></html>'

        def test_lenient(page, a11y_check):
            page.set_content(PAGE)
            a11y_check(page, fail_on="none")

        @pytest.mark.a11y_disable("image-alt", "region")
        def test_marked(page, a11y_check):
            page.set_content(PAGE)
            assert {f.rule for f in a11y_check(page).findings}.isdisjoint({"image-alt", "region"})
    """)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "--a11y-fail-on", "none", "-k", "marked").assert_outcomes(passed=1)
