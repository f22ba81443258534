"""The command line: a thin layer over the engine. Only this module decides exit codes."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import click
from click.core import ParameterSource
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .ci.config import ConfigError, FileConfig, load_config
from .ci.finish import FinishError, Finishing
from .ci.gate import EXIT_TOOL_ERROR, Verdict
from .model import PageResult, RunResult
from .pipeline.cluster_spec import SCHEDULER_ENV, ClusterSpec, ClusterSpecError, parse_cluster
from .reports import ASSETS_DIR, DEFAULT_FORMATS, FORMATS, get_reporter
from .reports.console_report import failing_lines, page_line, shown, summary_lines
from .reports.outdir import OutDirError, check_out_dir, publish
from .settings import OPTIONS, Settings, Viewport
from .version import __version__

EXIT_HELP = """Exit codes: 0 no violation at or above --fail-on; 1 there are; 2 a11y could not do its
job (bad usage or configuration, no browser, a page or rule that could not be audited)."""


class Stdout:
    """``sys.stdout`` that a closed pipe (``a11y audit … | head -1``) silences instead of stopping
    the run: printing stops, the audit goes on, the reports are written, the exit code keeps its meaning."""

    broken = False  # the reader went away

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                sys.stdout.write(text)
            except BrokenPipeError:
                self._close()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                self._close()

    def _close(self) -> None:
        self.broken = True
        try:  # the interpreter flushes stdout once more at exit: let that go nowhere, silently
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(sys.stdout, name)


STDOUT = Stdout()
# emoji=False: a file named ":x:.html" is printed as it is named
out = Console(file=STDOUT, highlight=False, soft_wrap=True, emoji=False)  # type: ignore[arg-type]
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


class Fatal(Exception):
    """A one-line error that stops the command with exit 2."""


# -- options shared by audit, baseline and acr ------------------------------------------------

def _viewport(_ctx: click.Context, _param: click.Parameter, value: str | Viewport) -> Viewport:
    if isinstance(value, Viewport):
        return value
    try:
        return Viewport.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _pairs(values: tuple[str, ...], separator: str, what: str) -> dict[str, str]:
    pairs = {}
    for item in values:
        name, sep, value = item.partition(separator)
        if not sep or not name.strip():
            raise click.UsageError(f"{what} {item!r}: expected NAME{separator}VALUE")
        pairs[name.strip()] = value.strip()
    return pairs


def declared(key: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The click option for one of settings.OPTIONS: its flag, type, range, default and help."""
    option = OPTIONS[key]
    if option.choices:
        kind: click.ParamType = click.Choice(option.choices)
    elif option.kind is int:
        kind = click.IntRange(option.low, option.high)  # type: ignore[arg-type]
    else:
        kind = click.FloatRange(option.low, option.high)
    return click.option(option.flag, key, type=kind, default=option.default, show_default=True, help=option.help)


AUDIT_OPTIONS: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
    click.argument("targets", nargs=-1),
    click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                 help="Config file (default: ./a11y.toml, else [tool.a11y] in ./pyproject.toml)."),
    click.option("--out", "out_dir", default="reports", show_default=True, help="Folder for reports."),
    declared("concurrency"),
    declared("timeout"),
    declared("settle_ms"),
    click.option("--viewport", default="1280x800", show_default=True, callback=_viewport, help="Window size WIDTHxHEIGHT."),
    declared("standard"),
    click.option("--best-practice/--no-best-practice", default=True, show_default=True, help="Also run best-practice rules."),
    click.option("--disable", "disabled", multiple=True, help="Rule id to turn off (repeatable, or comma-separated)."),
    click.option("--browser-path", help="Chromium executable (else A11Y_CHROMIUM, Playwright's, the system's)."),
    click.option("--block-external", is_flag=True, default=False, help="Block requests to any host but the page's own."),
    declared("max_per_host"),
    click.option("--header", "headers", multiple=True, help="HTTP header 'Name: value' for the pages' requests (never reported)."),
    click.option("--cookie", "cookies", multiple=True, help="Cookie 'name=value' for the pages' host (never reported)."),
    click.option("--changed-since", metavar="REF", help="Audit only the targeted pages changed since this git ref."),
    click.option("--sitemap", multiple=True, metavar="URL|FILE", help="Audit the pages of a sitemap, sitemap index (.xml, .xml.gz) or robots.txt."),
    click.option("--feed", multiple=True, metavar="URL|FILE", help="Audit the items of an RSS, Atom or JSON feed, newest first."),
    click.option("--since", metavar="DATE", help="Only sitemap and feed pages changed since DATE (2026-12-05 or 2026-12-05T08:00:00Z)."),
    declared("limit"),
    click.option("--crawl", multiple=True, metavar="URL|FOLDER", help="Audit same-origin pages linked from this one, breadth first."),
    declared("max_pages"),
    declared("max_depth"),
    click.option("--crawl-include", metavar="REGEX", help="Crawl only URL paths matching REGEX."),
    click.option("--crawl-exclude", metavar="REGEX", help="Do not crawl URL paths matching REGEX."),
    click.option("--ignore-robots", is_flag=True, default=False, help="Crawl pages robots.txt disallows."),
    click.option("--include", multiple=True, metavar="SELECTOR", help="Audit only inside elements matching SELECTOR (repeatable)."),
    click.option("--exclude", multiple=True, metavar="SELECTOR", help="Do not audit inside elements matching SELECTOR (repeatable)."),
    click.option("--storage-state", metavar="FILE", help="Playwright storage state (cookies, local storage) every page starts from."),
    click.option("--quiet", "-q", is_flag=True, help="Print only the totals and errors."),
]


def audit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in reversed(AUDIT_OPTIONS):
        command = decorate(command)
    return command


@dataclass
class Invocation:
    """Command-line values merged over the config file's (command line wins)."""

    values: dict[str, Any]
    config: FileConfig = field(default_factory=FileConfig)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


CONFIG_NAMES = {"out_dir": "out", "timeout": "timeout", "formats": "formats", "disabled": "disable", "review_path": "review",
                "baseline_path": "baseline", "settle_ms": "settle_ms"}


def merge_config(ctx: click.Context, params: dict[str, Any]) -> Invocation:
    try:
        config = load_config(params.get("config_path"))
    except ConfigError as exc:
        raise Fatal(str(exc)) from None
    values = dict(params)
    for name, value in params.items():
        key = CONFIG_NAMES.get(name, name)
        if key in config.values and ctx.get_parameter_source(name) in (ParameterSource.DEFAULT, None):
            value = config.values[key]
            if name == "formats" and isinstance(value, list):
                value = ",".join(value)
            values[name] = value
    if not values.get("targets"):
        values["targets"] = tuple(config.get("targets", ()))
    from .pipeline.sources.gather import has_sources

    if not values["targets"] and not has_sources(values):
        raise click.UsageError("no targets: name files, folders, globs, URLs or @lists, or --sitemap, --feed, --crawl "
                               "(or set targets in the config)")
    values["headers"] = {**config.get("headers", {}), **_pairs(params.get("headers", ()), ":", "--header")}
    values["cookies"] = {**config.get("cookies", {}), **_pairs(params.get("cookies", ()), "=", "--cookie")}
    return Invocation(values, config)


def build_settings(inv: Invocation, screenshots: bool) -> Settings:
    """The engine's Settings, made by the library from the config's values with the command line's over them."""
    from .api import settings_from
    from .pipeline.actions import LoginFailed

    values = {**inv.config.values, **{CONFIG_NAMES.get(name, name): value for name, value in inv.values.items()}}
    try:
        return settings_from(values, screenshots)
    except LoginFailed as exc:  # an unreadable --storage-state file
        raise Fatal(str(exc)) from None


def parse_formats(value: str | list[str]) -> tuple[str, ...]:
    names = value if isinstance(value, list) else value.split(",")
    chosen = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    unknown = [n for n in chosen if n not in FORMATS]
    if unknown or not chosen:
        raise click.UsageError(f"unknown format {unknown[0] if unknown else ''!r}; choose from {', '.join(sorted(FORMATS))}")
    return chosen


# -- running -----------------------------------------------------------------------------------

class StopSignals:
    """SIGINT/SIGTERM stop the run: no new page starts, what is done is reported (exit 130/143).

    Held by a command from before its audit until its reports are written (nesting is fine). A
    second signal only says the report is on its way: it must not cost the pages done (the first
    already abandoned the pages in flight). SIGKILL stops at once.
    """

    EXIT: ClassVar[dict[int, int]] = {signal.SIGINT: 130, signal.SIGTERM: 143}

    def __init__(self) -> None:
        self.received: int | None = None
        self._previous: dict[int, Any] = {}
        self._depth = 0
        self._repeated = False

    def __enter__(self) -> StopSignals:
        if self._depth == 0:
            for signum in self.EXIT:
                self._previous[signum] = signal.signal(signum, self._handle)
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)

    def _handle(self, signum: int, _frame: Any) -> None:
        if self.received is not None:
            if not self._repeated:
                self._repeated = True
                err.print("a11y: already stopping: writing the report of the pages done (SIGKILL stops at once)")
            return
        self.received = signum
        err.print(f"a11y: {signal.Signals(signum).name} received: finishing the report of the pages done")

    def stopped(self) -> bool:
        return self.received is not None

    @property
    def exit_code(self) -> int | None:
        return self.EXIT.get(self.received) if self.received is not None else None  # type: ignore[arg-type]


STOP = StopSignals()


def holding_signals(command: Callable[..., None]) -> Callable[..., None]:
    """The command handles SIGINT/SIGTERM itself (see :class:`StopSignals`) until it exits."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        with STOP:
            command(*args, **kwargs)

    return run


def run_with_progress(targets: list[Any], settings: Settings, quiet: bool, finishing: Finishing, cluster: ClusterSpec | None = None) -> RunResult:
    """The audit with a line per page as it finishes, then the run finished (``finishing.run``)."""
    with STOP:
        return finishing.run(_run_with_progress(targets, settings, quiet, finishing, cluster))


def _run_with_progress(targets: list[Any], settings: Settings, quiet: bool, finishing: Finishing, cluster: ClusterSpec | None) -> RunResult:
    run_audit = _engine(cluster)

    def show(page: PageResult) -> None:
        page = finishing.page(page)  # so the line shows what the totals and the gate will count
        if page.status == "error":
            err.print(page_line(page))
        elif not quiet:
            out.print(page_line(page))

    if not out.is_terminal:
        return run_audit(targets, settings, progress=lambda page, _done, _total: show(page), should_stop=STOP.stopped)
    with Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=out, transient=True) as bar:
        task = bar.add_task("pages", total=None)

        def tick(page: PageResult, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            show(page)

        return run_audit(targets, settings, progress=tick, should_stop=STOP.stopped)


def _engine(cluster: ClusterSpec | None) -> Callable[..., RunResult]:
    """The single-process engine, or the Dask one (imported only then: Dask loads in about a second)."""
    if cluster is None:
        from .pipeline.engine import audit

        return audit
    from .pipeline.cluster import audit_on_cluster

    # compact: the client keeps each page compressed once its line is shown (and it is finished)
    return functools.partial(audit_on_cluster, spec=cluster, compact=True)


def cluster_spec(params: dict[str, Any]) -> ClusterSpec | None:
    try:
        return parse_cluster(params.get("cluster"), params.get("scheduler"), params.get("shared_root"))
    except ClusterSpecError as exc:
        raise Fatal(str(exc)) from None


def select_targets(inv: Invocation) -> list[Any]:
    from .pipeline.sources import SourceError
    from .pipeline.sources.gather import gather
    from .pipeline.targets import resolve_targets

    targets = resolve_targets(list(inv.targets))
    if inv.changed_since:
        from .ci.changed import ChangedError, changed_files, filter_changed

        try:
            targets = filter_changed(targets, changed_files(inv.changed_since))
        except ChangedError as exc:
            raise Fatal(f"--changed-since {inv.changed_since}: {exc}") from None
    try:
        return gather(inv.values, targets)
    except SourceError as exc:
        raise Fatal(str(exc)) from None


def preflight(inv: Invocation, out_dir: Path | None = None, out_names: tuple[str, ...] = ()) -> Finishing:
    """Everything that can fail before the audit: expired ignores, the review and baseline files,
    the report folder. A one-line error naming the input and the cause (exit 2), before any browser."""
    values = {**inv.config.values, "ignore": inv.config.get("ignore", []), "review": inv.values.get("review_path"),
              "baseline": inv.values.get("baseline_path"), "fail_on": inv.values.get("fail_on", "serious"),
              "max_violations": inv.values.get("max_violations", 0), "strict": inv.values.get("strict", False)}
    try:
        finishing = Finishing.load(values, str(inv.config.path or "config"))
        if out_dir is not None:
            check_out_dir(out_dir, out_names)
    except (FinishError, OutDirError) as exc:
        raise Fatal(str(exc)) from None
    return finishing


def report_names(formats: tuple[str, ...]) -> tuple[str, ...]:
    """The names a run of ``formats`` may write in the report folder."""
    return tuple(get_reporter(name).filename for name in formats) + ((ASSETS_DIR,) if "html" in formats else ())


def write_reports(run: RunResult, formats: tuple[str, ...], out_dir: Path, quiet: bool, replace_set: bool = True) -> list[Path]:
    """The reports written as one set: staged, then swapped in (see :mod:`a11y.reports.outdir`). Returns their paths."""
    written: list[str] = []

    def write_all(folder: Path) -> None:
        for name in formats:
            written.append(get_reporter(name).write(run, folder).name)

    try:
        publish(out_dir, write_all, replace_set)
    except OutDirError as exc:
        raise Fatal(str(exc)) from None
    paths = [out_dir / name for name in written]
    for path in paths if not quiet else ():
        out.print(f"wrote {shown(str(path))}")
    return paths


def github_actions(run: RunResult, verdict: Verdict) -> None:
    """On GitHub Actions: annotations on the source lines and the Markdown summary."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    from .reports.github import annotations, append_step_summary
    from .reports.markdown_report import REPORTER as MARKDOWN

    for line in annotations(run, verdict):
        STDOUT.write(line + "\n")  # escaped by annotations(); not through Rich, which would read markup
    append_step_summary(MARKDOWN.render(run))


def print_outcome(run: RunResult, verdict: Verdict, out_dir: Path, formats: tuple[str, ...]) -> None:
    """What fails the gate (so nobody has to open a report to learn it), then the totals."""
    report = next((str(out_dir / get_reporter(name).filename) for name in ("html", "md", "json") if name in formats), None)
    for line in failing_lines(run, verdict, report):
        out.print(line)
    for line in summary_lines(run, verdict):
        out.print(line)


def pages_exit_code(run: RunResult) -> int:
    """For commands that write a file rather than gate: 2 when a page could not be audited."""
    return EXIT_TOOL_ERROR if any(p.status == "error" for p in run.pages) else 0


def guarded(command: Callable[..., None]) -> Callable[..., None]:
    """One-line errors with exit 2 for everything the user can fix."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        from .pipeline.browser import BrowserNotFound

        try:
            command(*args, **kwargs)
        except (Fatal, BrowserNotFound, ClusterSpecError) as exc:
            err.print(f"a11y: {shown(str(exc), 2000)}")
            sys.exit(EXIT_TOOL_ERROR)
        except (click.ClickException, click.exceptions.Exit, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("A11Y_DEBUG"):
                raise
            err.print(f"a11y: internal error: {type(exc).__name__}: {shown(str(exc), 2000)} (set A11Y_DEBUG=1 for the traceback)")
            sys.exit(EXIT_TOOL_ERROR)

    return run


# -- commands ------------------------------------------------------------------------------------

@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_HELP)
@click.version_option(__version__, prog_name="a11y")
def cli() -> None:
    """a11y: audit article pages with axe-core and publishing rules."""


@cli.command(epilog=EXIT_HELP)
@audit_options
@click.option("--format", "formats", default=",".join(DEFAULT_FORMATS), show_default=True,
              help=f"Comma-separated report formats: {', '.join(FORMATS)}.")
@declared("fail_on")
@declared("max_violations")
@click.option("--strict", is_flag=True, default=False, help="Needs-review findings count against the gate too.")
@click.option("--baseline", "baseline_path", help="Fail only on findings not in this baseline (see `a11y baseline`).")
@click.option("--review", "review_path", help="Apply review decisions exported from the HTML report (review.json).")
@click.option("--cluster", metavar="local[:N]", help="Audit over a local Dask cluster of N worker processes, a browser each (default N: CPUs / 2).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help=f"Audit over the Dask cluster of this scheduler (else {SCHEDULER_ENV}). See docs/scale.md.")
@click.option("--shared-root", metavar="DIR[=WORKER_DIR]",
              help="With --cluster/--scheduler: the workers read the local pages under DIR themselves (at WORKER_DIR on their machines).")
@click.pass_context
@guarded
@holding_signals
def audit(ctx: click.Context, **params: Any) -> None:
    """Audit TARGETS: HTML files, folders, globs, http(s) URLs, or @list.txt files."""
    cluster = cluster_spec(params)
    inv = merge_config(ctx, params)
    formats = parse_formats(inv.formats)
    finishing = preflight(inv, Path(inv.out_dir), report_names(formats))
    targets = select_targets(inv)
    if not targets:
        out.print("no targeted page changed: nothing to audit")
        sys.exit(0)
    # A cluster run takes no screenshots: a page's picture would cross the network for every page
    # of a run too big for one HTML report to show them anyway (docs/scale.md).
    screenshots = "html" in formats and cluster is None
    run = run_with_progress(targets, build_settings(inv, screenshots=screenshots), inv.quiet, finishing, cluster)
    run = replace(run, settings={"standard": inv.standard, "acr": params.get("acr", {})})
    verdict = run.verdict
    assert verdict is not None  # finishing.run set it
    write_reports(run, formats, Path(inv.out_dir), inv.quiet)
    github_actions(run, verdict)
    print_outcome(run, verdict, Path(inv.out_dir), formats)
    if run.interrupted and STOP.exit_code:
        out.print(f"interrupted: {len(run.pages)} of {len(targets)} pages audited; the report is marked interrupted")
        sys.exit(STOP.exit_code)
    sys.exit(verdict.code)


@cli.command(epilog=EXIT_HELP)
@audit_options
@click.option("--out-file", "baseline_out", default=None, help="Where to write the baseline (default: OUT/baseline.json).")
@click.pass_context
@guarded
@holding_signals
def baseline(ctx: click.Context, baseline_out: str | None, **params: Any) -> None:
    """Record today's findings of TARGETS as the baseline that `audit --baseline` compares with."""
    from .ci.baseline import write_baseline

    inv = merge_config(ctx, params)
    destination = Path(baseline_out) if baseline_out else Path(inv.out_dir) / "baseline.json"
    finishing = preflight(inv, destination.parent)
    run = run_with_progress(select_targets(inv), build_settings(inv, screenshots=False), inv.quiet, finishing)
    path = write_baseline(run, destination)
    entries = sum(1 for _, f in run.iter_findings() if f.outcome in ("violation", "needs-review"))
    out.print(f"wrote {shown(str(path))}: {entries} findings on {len(run.pages)} pages")
    sys.exit(pages_exit_code(run))


@cli.command(epilog=EXIT_HELP)
@audit_options
@click.option("--product", required=True, help="Product name for the ACR.")
@click.option("--version", "product_version", required=True, help="Product version for the ACR.")
@click.option("--author-email", required=True, help="Contact e-mail of the ACR's author.")
@click.option("--author-name", default="", help="Name of the ACR's author.")
@click.option("--vendor", default="", help="Vendor or agency name.")
@click.option("--catalog", type=click.Choice(["wcag22-508"]), default="wcag22-508", show_default=True)
@click.option("--review", "review_path", help="Review decisions (review.json) to apply.")
@click.pass_context
@guarded
@holding_signals
def acr(ctx: click.Context, product: str, product_version: str, author_email: str, author_name: str, vendor: str,
        catalog: str, **params: Any) -> None:
    """Draft an OpenACR (VPAT 2.5 WCAG 2.2 + Revised Section 508) from an audit of TARGETS.

    The standard is wcag22aa unless --standard names another (the catalog is WCAG 2.2; the
    default shown below is audit's). Levels never claim supports: a person sets them.
    """
    if ctx.get_parameter_source("standard") == ParameterSource.DEFAULT:
        params["standard"] = "wcag22aa"  # the catalog is WCAG 2.2: let axe test 2.2's criteria too
    inv = merge_config(ctx, params)
    finishing = preflight(inv, Path(inv.out_dir), report_names(("openacr",)))
    run = run_with_progress(select_targets(inv), build_settings(inv, screenshots=False), inv.quiet, finishing)
    run = replace(run, settings={"standard": inv.standard, "acr": {"product": product, "version": product_version, "author_email": author_email,
                                                                 "author_name": author_name, "vendor": vendor, "catalog": catalog}})
    [path] = write_reports(run, ("openacr",), Path(inv.out_dir), quiet=True, replace_set=False)  # beside an audit's reports
    out.print(f"wrote {shown(str(path))} (a draft: a person must review every criterion marked not-evaluated)")
    sys.exit(pages_exit_code(run))


@cli.command()
@click.option("--browser-path", help="Chromium executable to check.")
def doctor(browser_path: str | None) -> None:
    """Print the versions in use and how to fix anything missing."""
    from .doctor import checks

    results = checks(browser_path)
    for check in results:
        mark = "[green]ok[/]" if check.ok else "[red]missing[/]"
        out.print(f"{check.name:<10} {mark}  {shown(check.value, 2000)}")
        if not check.ok and check.fix:
            out.print(f"{'':<10} fix: {shown(check.fix, 2000)}")
    sys.exit(0 if all(c.ok for c in results) else EXIT_TOOL_ERROR)


@cli.command(name="rules")
@click.argument("rule_id", required=False)
@click.option("--browser-path", help="Chromium executable (to read axe-core's rule list).")
@guarded
def rules_command(rule_id: str | None, browser_path: str | None) -> None:
    """List every rule, axe-core's and ours; with RULE_ID, print that rule's documentation."""
    from .pipeline.catalog import all_rule_infos

    infos = all_rule_infos(browser_path)
    if rule_id:
        info = next((i for i in infos if i.id == rule_id), None)
        if info is None:
            raise Fatal(f"unknown rule {rule_id!r}; `a11y rules` lists them")
        out.print(escape(info.documentation()))
        return
    out.print(f"{'rule':<32} {'engine':<6} {'impact':<9} wcag")
    for info in infos:
        out.print(f"{info.id:<32} {info.engine:<6} {info.impact:<9} {', '.join(info.wcag) or 'best-practice'}")
    out.print(f"{len(infos)} rules ({sum(1 for i in infos if i.engine == 'a11y')} a11y, {sum(1 for i in infos if i.engine == 'axe')} axe-core)")


def pre_commit_main(argv: list[str] | None = None) -> int:
    """The pre-commit hook: ``a11y audit --quiet`` on the staged files, reports in a temporary folder.

    The hook must leave nothing in the repository to commit, so the reports go to a folder of
    their own outside it; the console lists what fails the gate.
    """
    import tempfile

    folder = tempfile.mkdtemp(prefix="a11y-pre-commit-")
    args = list(sys.argv[1:] if argv is None else argv)
    code = main(["audit", "--quiet", "--format", "json,html,md", "--out", folder, *args])
    if code:
        out.print(f"reports: {shown(folder, 2000)}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return code


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="a11y", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_TOOL_ERROR
    return 0


__all__ = ["cli", "main", "pre_commit_main"]
