"""``junit.xml``: one test suite per page, one test case per rule that applied there.

The classic JUnit layout that GitLab, Jenkins and most CI dashboards read:
``testsuites > testsuite > (properties, testcase > failure | error | skipped, system-out)``.

- A rule fails only with findings that fail the gate (the run's one verdict): the message gives
  the count and the rule's help, the text has one line per finding (impact, target, message,
  fingerprint). Violations the gate lets pass (known in the baseline, below ``--fail-on``, waived
  by review or config, false positives) make the rule skipped, with the reasons.
- A suite ``a11y`` carries the gate's verdict and the baseline's new/known/fixed counts as
  properties; an interrupted run adds an errored test case saying how many pages were not audited.
- A rule that crashed is an error; a page that could not be audited is one errored test case.
- Findings that need a person's review do not fail the test; they are listed in ``system-out``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

from ..ci.gate import verdict_of
from ..model import IMPACT_RANK, Finding, PageResult, RunResult, Verdict
from . import write_atomic

# Characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
WAIVED = ("waived", "false-positive")
SUITE_INDENT = "\n  "  # what ET.indent(space="  ") puts before each suite in the root
ROOT_CLOSE = b"</testsuites>"
# Whether a finding on its page fails the gate (Verdict.failing_test): by page and finding, as a cluster
# run's verdict cannot answer by the finding alone without reading the whole run again.
FailingTest = Callable[[PageResult, Finding], bool]


def clean(text: object) -> str:
    """Text safe to put in XML 1.0: forbidden characters dropped (ElementTree escapes the rest)."""
    return _NOT_XML.sub("", str(text))


def _finding_line(finding: Finding) -> str:
    where = f" (line {finding.source_location['line']})" if finding.source_location else ""
    return f"[{finding.impact}] {finding.target}{where}: {finding.message} (fingerprint {finding.fingerprint})"


def _review_line(finding: Finding) -> str:
    note = (finding.review or {}).get("note", "")
    return f"[{finding.status}] {finding.target}: {finding.message}" + (f" ({note})" if note else "")


class _Counts:
    def __init__(self) -> None:
        self.tests = self.failures = self.errors = self.skipped = 0

    def add(self, other: _Counts) -> None:
        self.tests += other.tests
        self.failures += other.failures
        self.errors += other.errors
        self.skipped += other.skipped

    def set_on(self, element: ET.Element) -> None:
        for name in ("tests", "failures", "errors", "skipped"):
            element.set(name, str(getattr(self, name)))


def _passed_by_gate(finding: Finding) -> str:
    if finding.status in WAIVED:
        return _review_line(finding)
    why = "known in the baseline" if finding.baseline == "known" else "below the gate's threshold"
    return f"[{finding.impact}, {why}] {finding.target}: {finding.message}"


def _testcase(suite: ET.Element, page_name: str, rule_id: str, findings: list[Finding], counts: _Counts, fails: Callable[[Finding], bool]) -> None:
    case = ET.SubElement(suite, "testcase", classname=clean(page_name), name=clean(rule_id), time="0")
    counts.tests += 1
    crashed = [f for f in findings if f.outcome == "error"]
    failing = [f for f in findings if fails(f)]
    waived = [f for f in findings if not fails(f) and (f.status in WAIVED or f.status == "violation")]
    review = [f for f in findings if f.status == "needs-review"]
    if crashed:
        counts.errors += 1
        error = ET.SubElement(case, "error", message=clean(crashed[0].message), type="RuleError")
        error.text = clean("\n".join(f.message for f in crashed))
    elif failing:
        counts.failures += 1
        worst = min(failing, key=lambda f: IMPACT_RANK.get(f.impact, 9))
        noun = "violation" if len(failing) == 1 else "violations"
        failure = ET.SubElement(case, "failure", message=clean(f"{len(failing)} {noun}: {worst.help or rule_id}"), type=clean(worst.impact))
        failure.text = clean("\n".join(_finding_line(f) for f in failing))
    elif waived and not review:
        counts.skipped += 1
        noun = "finding does" if len(waived) == 1 else "findings do"
        ET.SubElement(case, "skipped", message=clean(f"{len(waived)} {noun} not fail the gate")).text = clean(
            "\n".join(_passed_by_gate(f) for f in waived))
    notes = [f"needs review: {_finding_line(f)}" for f in review] + ([f"not failing: {_passed_by_gate(f)}" for f in waived] if failing or review else [])
    if notes:
        ET.SubElement(case, "system-out").text = clean("\n".join(notes))


def _page_suite(page: PageResult, started: str, fails: FailingTest) -> tuple[ET.Element, _Counts]:
    name = page.name
    counts = _Counts()
    suite = ET.Element("testsuite", name=clean(name), timestamp=clean(started[:19]),
                       time=f"{sum(page.timings.values()):.3f}")
    properties = ET.SubElement(suite, "properties")
    # Local pages are served on a random port: their URL would make two runs differ.
    url = None if page.source else page.url
    for key, value in (("source", page.source), ("url", url), ("final_url", page.final_url if url else None), ("title", page.title)):
        if value:
            ET.SubElement(properties, "property", name=key, value=clean(value))
    if page.status == "error":
        case = ET.SubElement(suite, "testcase", classname=clean(name), name="audit", time="0")
        ET.SubElement(case, "error", message=clean(page.error or "page could not be audited"), type="PageError")
        counts.tests, counts.errors = 1, 1
    else:
        by_rule: dict[str, list[Finding]] = {rule_id: [] for rule_id in page.applied}
        for finding in page.findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        for rule_id in sorted(by_rule):
            # by page and finding: Verdict.fails alone would read a cluster run's pages again for each finding
            _testcase(suite, name, rule_id, by_rule[rule_id], counts, lambda finding: fails(page, finding))
    counts.set_on(suite)
    return suite, counts


def _run_suite(run: RunResult, verdict: Verdict) -> tuple[ET.Element, _Counts]:
    """The run's own suite: the verdict as properties, and an error when the run was interrupted."""
    counts = _Counts()
    suite = ET.Element("testsuite", name="a11y", timestamp=clean(run.started[:19]), time="0")
    properties = ET.SubElement(suite, "properties")
    values = {"gate": verdict.status, "gate_reason": verdict.reason, "fail_on": verdict.policy.fail_on,
              "interrupted": str(run.interrupted).lower(), "not_audited": str(run.not_audited)}
    if verdict.baseline is not None:
        values.update({f"baseline_{key}": str(value) for key, value in verdict.baseline.items()})
    for key, value in values.items():
        ET.SubElement(properties, "property", name=key, value=clean(value))
    if run.interrupted:
        case = ET.SubElement(suite, "testcase", classname="a11y", name="run", time="0")
        ET.SubElement(case, "error", message=clean(f"interrupted: {run.not_audited} page(s) not audited"), type="Interrupted")
        counts.tests, counts.errors = 1, 1
    counts.set_on(suite)
    return suite, counts


def _page_suites(run: RunResult, fails: FailingTest) -> Iterator[tuple[ET.Element, _Counts]]:
    """Each page's suite with its id, built as its page is read: one page's elements at a time."""
    for index, page in enumerate(run.pages):
        suite, counts = _page_suite(page, run.started, fails)
        suite.set("id", str(index))
        yield suite, counts


def _root(run: RunResult, total: _Counts) -> ET.Element:
    """The ``testsuites`` element, its attributes in the order JUnit readers have always been given them."""
    root = ET.Element("testsuites", name="a11y")
    total.set_on(root)
    root.set("time", f"{run.duration_s:.3f}")
    return root


def junit_tree(run: RunResult) -> ET.ElementTree:
    """The whole report as one tree (tests, small runs); :func:`junit_pieces` writes a big run's."""
    verdict = verdict_of(run)
    total = _Counts()
    suites: list[ET.Element] = []
    for suite, counts in [*_page_suites(run, verdict.failing_test()), _run_suite(run, verdict)]:
        suites.append(suite)
        total.add(counts)
    suites[-1].set("id", str(len(run.pages)))
    root = _root(run, total)
    root.extend(suites)
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    return tree


def junit_pieces(run: RunResult) -> Iterator[bytes]:
    """``junit_tree(run)`` serialized, a page's suite at a time: the same bytes as
    :meth:`JunitReporter.render`, never the tree of the whole run.

    The root's counts come first in the file, so a first pass over the pages counts (each page's
    suite built and dropped), and the second writes each suite as it is built again.
    """
    verdict = verdict_of(run)
    fails = verdict.failing_test()  # once: for a run in objects it is a set of the failing findings' ids
    run_suite, total = _run_suite(run, verdict)
    run_suite.set("id", str(len(run.pages)))
    for _, counts in _page_suites(run, fails):
        total.add(counts)
    root = _root(run, total)
    root.text = SUITE_INDENT
    # The root with only its indentation inside: cut before its closing tag, that is the file's head.
    head = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    yield head[: -len(ROOT_CLOSE)]
    for suite, _ in _page_suites(run, fails):
        yield _suite_bytes(suite) + SUITE_INDENT.encode()
    yield _suite_bytes(run_suite) + b"\n" + ROOT_CLOSE + b"\n"


def _suite_bytes(suite: ET.Element) -> bytes:
    """One suite indented as ET.indent indents it inside the root (one level in), without a tail."""
    ET.indent(suite, space="  ", level=1)
    return ET.tostring(suite, encoding="utf-8", xml_declaration=False)


class JunitReporter:
    name = "junit"
    filename = "junit.xml"

    def render(self, run: RunResult) -> bytes:
        return b"".join(junit_pieces(run))

    def write(self, run: RunResult, out_dir: Path) -> Path:
        return write_atomic(out_dir / self.filename, junit_pieces(run))


REPORTER = JunitReporter()
