"""The command line: a thin layer over the engine. Only this module decides exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .gate import EXIT_TOOL_ERROR, FAIL_ON_LEVELS, GatePolicy, exit_code
from .model import IMPACTS, PageResult, RunResult
from .reporters import DEFAULT_FORMATS, FORMATS, get_reporter
from .settings import STANDARDS, Settings, Viewport, default_concurrency

EXIT_HELP = """Exit codes: 0 no violation at or above --fail-on; 1 there are; 2 a11y could not do its
job (bad usage, no browser, or a page that could not be audited)."""

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _formats(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise click.BadParameter(f"unknown format {unknown[0]!r}; choose from {', '.join(sorted(FORMATS))}")
    return names


def _viewport(_ctx: click.Context, _param: click.Parameter, value: str) -> Viewport:
    try:
        return Viewport.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def page_line(page: PageResult) -> str:
    """One console line per page: counts by impact, or the error."""
    name = _escape(page.source or page.url)
    if page.status == "error":
        return f"[red]✗[/] {name}: [red]error[/]: {_escape(page.error or '')}"
    violations = [f for f in page.findings if f.outcome == "violation"]
    counts = " · ".join(f"{impact} {sum(1 for f in violations if f.impact == impact)}" for impact in IMPACTS)
    review = page.count("needs-review")
    mark = "[green]✓[/]" if not violations else "[yellow]●[/]"
    return f"{mark} {name}  {counts} · needs review {review}"


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def print_summary(run: RunResult, code: int, policy: GatePolicy) -> None:
    summary = run.summary()
    impacts = ", ".join(f"{summary['by_impact'][i]} {i}" for i in IMPACTS)
    out.print(f"{summary['pages']} pages, {summary['errors']} errors: {summary['violations']} violations ({impacts}), "
              f"{summary['needs_review']} need review")
    verdict = {
        0: "[green]passed[/]",
        1: f"[red]failed[/] (violations at or above {policy.fail_on})",
        2: "[red]incomplete[/]: some pages or rules could not be audited",
    }[code]
    out.print(f"gate: {verdict}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_HELP)
@click.version_option(__version__, prog_name="a11y")
def cli() -> None:
    """a11y: audit article pages with axe-core and publishing rules."""


@cli.command(epilog=EXIT_HELP)
@click.argument("targets", nargs=-1, required=True)
@click.option("--out", "out_dir", default="reports", show_default=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for reports.")
@click.option("--format", "formats", default=",".join(DEFAULT_FORMATS), show_default=True, help="Comma-separated report formats.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=default_concurrency(), show_default=True, help="Pages audited at once.")
@click.option("--timeout", type=click.FloatRange(1, 600), default=30.0, show_default=True, help="Seconds a page may take to load.")
@click.option("--settle-ms", type=click.IntRange(0, 60000), default=2000, show_default=True, help="Longest wait for the network to go idle after load.")
@click.option("--viewport", default="1280x800", show_default=True, callback=_viewport, help="Window size WIDTHxHEIGHT.")
@click.option("--standard", type=click.Choice(sorted(STANDARDS)), default="wcag21aa", show_default=True)
@click.option("--best-practice/--no-best-practice", default=True, show_default=True, help="Also run best-practice rules.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_LEVELS), default="serious", show_default=True, help="Lowest impact that fails the gate.")
@click.option("--disable", "disabled", multiple=True, help="Rule id to turn off (repeatable, or comma-separated).")
@click.option("--browser-path", help="Chromium executable (else A11Y_CHROMIUM, Playwright's, the system's).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the totals and errors.")
def audit(targets: tuple[str, ...], out_dir: Path, formats: str, concurrency: int, timeout: float, settle_ms: int,
          viewport: Viewport, standard: str, best_practice: bool, fail_on: str, disabled: tuple[str, ...],
          browser_path: str | None, quiet: bool) -> None:
    """Audit TARGETS: HTML files, folders, globs, http(s) URLs, or @list.txt files."""
    try:
        chosen_formats = _formats(formats)
    except click.BadParameter as exc:
        raise click.UsageError(str(exc)) from None
    from .browser import BrowserNotFound

    settings = Settings(
        standard=standard, best_practice=best_practice, concurrency=concurrency, timeout_s=timeout, settle_ms=settle_ms,
        viewport=viewport, browser_path=browser_path,
        disabled_rules=frozenset(r.strip() for item in disabled for r in item.split(",") if r.strip()),
    )
    policy = GatePolicy(fail_on=fail_on)
    try:
        run = _run_with_progress(list(targets), settings, quiet)
    except BrowserNotFound as exc:
        err.print(f"a11y: {_escape(str(exc))}")
        sys.exit(EXIT_TOOL_ERROR)
    for name in chosen_formats:
        path = get_reporter(name).write(run, out_dir)
        if not quiet:
            out.print(f"wrote {_escape(str(path))}")
    code = exit_code(run, policy)
    print_summary(run, code, policy)
    sys.exit(code)


@cli.command()
@click.option("--browser-path", help="Chromium executable to check.")
def doctor(browser_path: str | None) -> None:
    """Print the versions in use and how to fix anything missing."""
    from .doctor import checks

    results = checks(browser_path)
    for check in results:
        mark = "[green]ok[/]" if check.ok else "[red]missing[/]"
        out.print(f"{check.name:<10} {mark}  {_escape(check.value)}")
        if not check.ok and check.fix:
            out.print(f"{'':<10} fix: {_escape(check.fix)}")
    sys.exit(0 if all(c.ok for c in results) else EXIT_TOOL_ERROR)


@cli.command(name="rules")
@click.argument("rule_id", required=False)
@click.option("--browser-path", help="Chromium executable (to read axe-core's rule list).")
def rules_command(rule_id: str | None, browser_path: str | None) -> None:
    """List every rule, axe-core's and ours; with RULE_ID, print that rule's documentation."""
    from .catalog import all_rule_infos

    infos = all_rule_infos(browser_path)
    if rule_id:
        info = next((i for i in infos if i.id == rule_id), None)
        if info is None:
            err.print(f"a11y: unknown rule {_escape(rule_id)!r}; `a11y rules` lists them")
            sys.exit(EXIT_TOOL_ERROR)
        out.print(_escape(info.documentation()))
        return
    out.print(f"{'rule':<32} {'engine':<6} {'impact':<9} wcag")
    for info in infos:
        out.print(f"{info.id:<32} {info.engine:<6} {info.impact:<9} {', '.join(info.wcag) or 'best-practice'}")
    out.print(f"{len(infos)} rules ({sum(1 for i in infos if i.engine == 'a11y')} a11y, {sum(1 for i in infos if i.engine == 'axe')} axe-core)")


def _run_with_progress(targets: list[str], settings: Settings, quiet: bool) -> RunResult:
    from .engine import audit as run_audit

    def show(page: PageResult) -> None:
        line = page_line(page)
        if page.status == "error":
            err.print(line)
        elif not quiet:
            out.print(line)

    if not out.is_terminal:
        return run_audit(targets, settings, progress=lambda page, _done, _total: show(page))
    with Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=out, transient=True) as bar:
        task = bar.add_task("pages", total=None)

        def tick(page: PageResult, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            show(page)

        return run_audit(targets, settings, progress=tick)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="a11y", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_TOOL_ERROR
    return 0
