"""A big run's HTML report: an index (report.html) and parts of a few hundred pages in a11y-assets/.

Browser-free but for one test that opens the index and a part from disk."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from dataclasses import replace
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from a11y.ci.finish import finish
from a11y.reports import ASSETS_DIR
from a11y.reports.html_report import SPLIT_PAGES, HtmlReporter, part_name

from . import test_html_report as one_file
from .test_html_report import EVIL, SAMPLE_JPEG, hostile_run, make_run

browser = one_file.browser  # the fixtures of the one-file report's browser tests
open_report = one_file.open_report


def hostile_big_run(pages: int) -> Any:
    run = make_run(pages, 2)
    evil = replace(hostile_run().pages[0], source=EVIL)  # its name, shown in the index
    return replace(run, pages=[evil, *run.pages[1:]])


def test_a_run_beyond_the_size_is_an_index_and_parts(tmp_path: Path) -> None:
    run = finish(make_run(SPLIT_PAGES + 1, 1))
    started = time.perf_counter()
    path = HtmlReporter().write(run, tmp_path)
    assert time.perf_counter() - started < 600  # a generous bound on a shared machine: it must not be quadratic
    assert path == tmp_path / "report.html"
    parts = sorted((tmp_path / ASSETS_DIR).glob("report-part-*.html"))
    assert [p.name for p in parts] == [part_name(n) for n in range(1, 6)]  # 2,001 pages in parts of 500
    index = path.read_text(encoding="utf-8")
    assert "<script" not in index  # the index is static HTML
    for number in range(1, 6):
        assert f'href="{ASSETS_DIR}/{part_name(number)}"' in index
    assert "2001 pages" in index and "1.1.1" in index
    last = parts[-1].read_text(encoding="utf-8")
    assert "1 page," in last  # the last part holds page 2,001 alone
    assert 'id="report-data"' in last


def test_small_runs_stay_one_file(tmp_path: Path) -> None:
    HtmlReporter().write(make_run(3, 2), tmp_path)
    assert not (tmp_path / ASSETS_DIR).exists() or not list((tmp_path / ASSETS_DIR).glob("report-part-*"))


def test_many_findings_split_too(tmp_path: Path) -> None:
    reporter = HtmlReporter(split_findings=10, part_pages=2)
    assert reporter.split(make_run(3, 4)) and not reporter.split(make_run(2, 4))
    reporter.write(make_run(3, 4), tmp_path)
    assert len(list((tmp_path / ASSETS_DIR).glob("report-part-*.html"))) == 2


def test_split_report_escapes_hostile_pages(tmp_path: Path) -> None:
    run = hostile_big_run(5)
    HtmlReporter(split_pages=3, part_pages=2).write(run, tmp_path)
    index = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<img src=x" not in index and "<script>alert" not in index and "<script" not in index
    assert unescape(index).count(EVIL) >= 1  # shown as text in the parts table (its first page's name)
    part = (tmp_path / ASSETS_DIR / part_name(1)).read_text(encoding="utf-8")
    assert part.count("</script>") == 2 and "<img src=x" not in part  # the part is the one-file report: data as escaped JSON
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', index).group(1))  # type: ignore[union-attr]
    style = re.search(r"<style>(.*?)</style>", index, re.S).group(1)  # type: ignore[union-attr]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert csp.startswith("default-src 'none';") and f"style-src 'sha256-{digest}';" in csp and "script-src" not in csp


def test_split_parts_show_screenshots_beside_them(tmp_path: Path) -> None:
    run = make_run(3, 1, screenshot=SAMPLE_JPEG.read_bytes())
    HtmlReporter(split_pages=2, part_pages=2).write(run, tmp_path)
    part = (tmp_path / ASSETS_DIR / part_name(1)).read_text(encoding="utf-8")
    shots = re.findall(r'"src":"([^"]+)"', part)
    assert shots and all(not s.startswith(ASSETS_DIR) and (tmp_path / ASSETS_DIR / s).is_file() for s in shots)


@pytest.mark.browser
def test_a_part_of_a_split_report_opens(tmp_path: Path, open_report: Any) -> None:
    run = finish(hostile_big_run(7))
    HtmlReporter(split_pages=5, part_pages=3).write(run, tmp_path)
    tab = open_report()
    index = tab.page
    index.goto((tmp_path / "report.html").as_uri())
    assert index.locator("table.index-parts tbody tr").count() == 3
    index.locator("a", has_text="Part 1").click()
    index.wait_for_selector("html[data-ready]")
    assert index.locator("section.page").count() == 3
    assert index.locator("li.finding").count() == 5  # the hostile page's 1 finding and 2 on each other page
    assert not tab.problems and not tab.dialogs
