"""The library API: audit targets, or a live Playwright page, with the CLI's results.

Options are the names of ``a11y.toml``'s keys and are checked the same way; by default the
project's config file is read as the CLI reads it (``config=False``: none), and its ignores,
review decisions and baseline are applied, so a library caller gets what ``a11y audit`` gives.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .ci.config import FileConfig, load_config, validate
from .ci.finish import Finishing
from .ci.gate import GatePolicy, Verdict, decide
from .model import PageResult, RunResult
from .reports import ASSETS_DIR, DEFAULT_FORMATS, FORMATS, get_reporter
from .reports.outdir import check_out_dir, publish
from .settings import DEFAULT_STANDARD, Settings, Viewport
from .steps import Scope

ConfigChoice = str | Path | bool | None  # None: ./a11y.toml or [tool.a11y] as the CLI finds them; False: none
GATE_KEYS = ("fail_on", "strict", "max_violations")


# -- options ----------------------------------------------------------------------------------

def load_options(options: dict[str, Any], config: ConfigChoice = None, where: str = "a11y") -> tuple[dict[str, Any], str]:
    """The config file's values with ``options`` over them (as command-line options are), validated;
    and the name of the file for messages. A bad option raises ConfigError (a ValueError)."""
    found = FileConfig() if config is False else load_config(None if config in (None, True) else Path(config))  # type: ignore[arg-type]
    values = dict(found.values)
    values.update(validate({key: _plain_value(value) for key, value in options.items() if value is not None}, f"{where}()"))
    return values, str(found.path or "options")


def _plain_value(value: Any) -> Any:
    """What a config file would hold for a value a Python caller may pass as an object."""
    if isinstance(value, Viewport):
        return f"{value.width}x{value.height}"
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (tuple, set, frozenset)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    return value


def settings_from(values: dict[str, Any], screenshots: bool) -> Settings:
    """The engine's Settings from config-style values (the CLI's build_settings, for the library)."""
    names = {"standard": "standard", "best_practice": "best_practice", "concurrency": "concurrency", "timeout": "timeout_s",
             "settle_ms": "settle_ms", "viewport": "viewport", "browser_path": "browser_path", "rules": "rule_options",
             "block_external": "block_external", "max_per_host": "max_per_host", "headers": "headers", "cookies": "cookies"}
    kwargs = {field_name: values[key] for key, field_name in names.items() if key in values}
    disabled = values.get("disable") or []
    disabled = [disabled] if isinstance(disabled, str) else disabled  # "a,b" from the command line, a list from a file
    kwargs["disabled_rules"] = frozenset(r.strip() for item in disabled for r in str(item).split(",") if r.strip())
    kwargs["scope"] = Scope(tuple(values.get("include", ())), tuple(values.get("exclude", ())))
    kwargs["pages"] = values.get("pages", ())
    kwargs["login"] = values.get("login")
    if values.get("storage_state"):
        from .pipeline.actions import read_storage_state

        kwargs["storage_state"] = read_storage_state(values["storage_state"])  # LoginFailed: a one-line error
    return Settings(screenshots=screenshots, **kwargs)


# -- a run ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run(RunResult):
    """A finished run (the ``report.json`` data), immutable, that can write its reports and gate itself."""

    policy: GatePolicy = field(default_factory=GatePolicy)  # from the options and config: what ``gate()`` uses
    formats: tuple[str, ...] = DEFAULT_FORMATS
    out: str = "reports"

    @classmethod
    def of(cls, result: RunResult, values: dict[str, Any] | None = None, finishing: Finishing | None = None) -> Run:
        values = values or {}
        policy = finishing.policy if finishing is not None else Finishing.load(values).policy
        fields = {f.name: getattr(result, f.name) for f in dataclasses.fields(RunResult)}
        fields["settings"] = {"standard": values.get("standard", DEFAULT_STANDARD), "acr": values.get("acr", {}), **result.settings}
        return cls(**fields, policy=policy, formats=tuple(values.get("formats", DEFAULT_FORMATS)), out=values.get("out", "reports"))

    def write(self, out_dir: str | Path | None = None, formats: Iterable[str] | None = None) -> list[Path]:
        """Write the reports into ``out_dir`` (replacing an earlier run's); returns the files' paths."""
        chosen = tuple(dict.fromkeys(formats if formats is not None else self.formats))
        unknown = [name for name in chosen if name not in FORMATS]
        if unknown or not chosen:
            raise ValueError(f"unknown format {unknown[0] if unknown else ''!r}; choose from {', '.join(sorted(FORMATS))}")
        folder = Path(out_dir if out_dir is not None else self.out)
        names = tuple(get_reporter(name).filename for name in chosen) + ((ASSETS_DIR,) if "html" in chosen else ())
        check_out_dir(folder, names)  # never over a file a11y did not write (see a11y.reports.outdir)
        written = publish(folder, lambda staging: [get_reporter(name).write(self, staging) for name in chosen])
        return [folder / name for name in written if name != ASSETS_DIR]

    def gate(self, fail_on: str | None = None, *, max_violations: int | None = None, strict: bool | None = None) -> Verdict:
        """The CI gate's decision; arguments left out keep the options' (or config's) values."""
        changes = {k: v for k, v in {"fail_on": fail_on, "max_violations": max_violations, "strict": strict}.items() if v is not None}
        policy = dataclasses.replace(self.policy, **changes)
        validate({k: getattr(policy, k) for k in GATE_KEYS}, "Run.gate()")
        return decide(self, policy)


# -- audit ------------------------------------------------------------------------------------

def audit(targets: Sequence[str] | str, *, config: ConfigChoice = None, progress: Any = None, screenshots: bool | None = None,
          **options: Any) -> Run:
    """Audit files, folders, globs, URLs or @lists, as ``a11y audit`` does. Blocking.

    The command line's other sources are keywords too: ``sitemap=``, ``feed=``, ``crawl=`` (a string
    or a list), ``since=``, ``limit=``, ``max_pages=``, ``include=``, ``storage_state=`` and so on.

    Works where an event loop is running (a pytest-playwright test, a notebook): the audit then
    runs on a thread of its own.
    """
    job = audit_async(targets, config=config, progress=progress, screenshots=screenshots, **options)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(job)
    with ThreadPoolExecutor(1, thread_name_prefix="a11y-audit") as pool:
        return pool.submit(asyncio.run, job).result()


async def audit_async(targets: Sequence[str] | str, *, config: ConfigChoice = None, progress: Any = None,
                      screenshots: bool | None = None, **options: Any) -> Run:
    """``audit`` for async callers."""
    from .pipeline.engine import audit_async as run_engine
    from .pipeline.sources.gather import gather, has_sources

    values, where = load_options(options, config, "a11y.audit")
    specs = [targets] if isinstance(targets, str) else list(targets)
    specs = specs or list(values.get("targets", []))
    if not specs and not has_sources(values):
        raise ValueError("a11y.audit(): no targets: name files, folders, globs, URLs or @lists, or sitemap=, feed=, crawl= "
                         "(or set targets in the config)")
    take_screenshots = "html" in values.get("formats", DEFAULT_FORMATS) if screenshots is None else screenshots
    finishing = Finishing.load(values, where)  # bad review/baseline files and expired ignores fail before the browser starts
    result = await run_engine(gather({**values, "targets": specs}), settings_from(values, take_screenshots), progress)
    run = Run.of(finishing.run(result), values, finishing)
    return run


# -- check a live page ------------------------------------------------------------------------

def check(page: Any, *, config: ConfigChoice = None, screenshots: bool = False, **options: Any) -> PageResult:
    """Audit a live Playwright page (sync API) as it is now, without reloading it."""
    return check_report(page, config=config, screenshots=screenshots, **options).page


async def check_async(page: Any, *, config: ConfigChoice = None, screenshots: bool = False, **options: Any) -> PageResult:
    """Audit a live Playwright page (async API) as it is now, without reloading it."""
    from .pipeline.live import check_async as check_live

    values, where = load_options(options, config, "a11y.check_async")
    checked = await check_live(_async_page(page), settings_from(values, screenshots))
    return _finish_checked(checked, values, where).page


def check_report(page: Any, *, config: ConfigChoice = None, screenshots: bool = False, **options: Any) -> Any:
    """``check`` with what a report of the page needs (the pytest plugin's merged report)."""
    from .pipeline.live import check_sync

    values, where = load_options(options, config, "a11y.check")
    return _finish_checked(check_sync(_sync_page(page), settings_from(values, screenshots)), values, where)


def _sync_page(page: Any) -> Any:
    from playwright.async_api import Page as AsyncPage

    if isinstance(page, AsyncPage):
        raise TypeError("a11y.check: this page is from Playwright's async API: use `await a11y.check_async(page)`")
    return page


def _async_page(page: Any) -> Any:
    from playwright.sync_api import Page as SyncPage

    if isinstance(page, SyncPage):
        raise TypeError("a11y.check_async: this page is from Playwright's sync API: use `a11y.check(page)`")
    return page


def _finish_checked(checked: Any, values: dict[str, Any], where: str) -> Any:
    return dataclasses.replace(checked, page=Finishing.load(values, where).page(checked.page))


def merged_run(checked: Sequence[Any], values: dict[str, Any]) -> Run:
    """One run of pages checked one by one (the pytest plugin's session report)."""
    from .pipeline.criteria import rule_criteria_for
    from .pipeline.engine import BrowserInfo, _tool_info

    settings = settings_from(values, screenshots=False)
    version = next((c.browser_version for c in checked if c.browser_version), "")
    catalog = next((c.catalog for c in checked), {})
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    result = RunResult(pages=[c.page for c in checked], tool=_tool_info(settings, BrowserInfo(None, version)), started=started,
                       rule_criteria=rule_criteria_for(catalog, settings.axe_tags(), settings.disabled_rules, settings.run_axe))
    return Run.of(result, values)


# -- assertions -------------------------------------------------------------------------------

def failure_message(page: PageResult, fail_on: str = "serious", *, strict: bool = False) -> str | None:
    """Why ``page`` fails the gate at ``fail_on``, as lines a person reads; None when it passes."""
    validate({"fail_on": fail_on, "strict": strict}, "assert_clean()")
    return page.failure_message(fail_on, strict=strict)


def assert_clean(page: PageResult, fail_on: str = "serious", *, strict: bool = False) -> None:
    message = failure_message(page, fail_on, strict=strict)
    if message:
        raise AssertionError(message)
