"""Project configuration: ``[tool.a11y]`` in pyproject.toml, or a11y.toml.

Precedence: command line over file over defaults. An unknown key or a bad value is a one-line
:class:`ConfigError` naming the key and the file.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from ..settings import OPTIONS, Viewport
from ..steps import Login, PageRule, Scope, StepError, parse_steps


class ConfigError(ValueError):
    """A bad configuration file or value; the message is one line naming the key and file."""


@dataclass(frozen=True)
class Ignore:
    """Findings of ``rule`` on elements matching ``selector`` are waived for ``reason`` until ``until``."""

    rule: str
    selector: str
    reason: str
    until: dt.date | None = None
    page: str | None = None

    def expired(self, today: dt.date) -> bool:
        return self.until is not None and self.until < today


def _str(key: str, value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a string, not {type(value).__name__}")
    return value


def _str_list(key: str, value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return list(value)


def _bool(key: str, value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {key} must be true or false")
    return value


def _declared(key: str, value: Any, where: str) -> Any:
    """A bounded option, checked against its one declaration (settings.OPTIONS)."""
    option = OPTIONS[key]
    problem = option.problem(value)
    if problem:
        raise ConfigError(f"{where}: {key} {problem}")
    return float(value) if option.kind is float else value


def _viewport(key: str, value: Any, where: str) -> Viewport:
    try:
        return Viewport.parse(_str(key, value, where))
    except ValueError as exc:
        raise ConfigError(f"{where}: {key}: {exc}") from None


def _str_map(key: str, value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ConfigError(f"{where}: {key} must be a table of strings")
    return dict(value)


def _rule_options(key: str, value: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ConfigError(f"{where}: {key} must be a table of tables, e.g. [tool.a11y.rules.alt-duplicates-caption]")
    return {str(k): dict(v) for k, v in value.items()}


def _ignores(key: str, value: Any, where: str) -> list[Ignore]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: {key} must be a list of tables with rule, selector and reason")
    ignores = []
    for number, item in enumerate(value, 1):
        here = f"{key}[{number}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: {here} must be a table with rule, selector and reason")
        unknown = set(item) - {"rule", "selector", "reason", "until", "page"}
        if unknown:
            raise ConfigError(f"{where}: {here}: unknown key {sorted(unknown)[0]!r}")
        for required in ("rule", "selector", "reason"):
            if not isinstance(item.get(required), str) or not item[required].strip():
                raise ConfigError(f"{where}: {here}.{required} is required (a non-empty string)")
        until = item.get("until")
        if isinstance(until, str):
            try:
                until = dt.date.fromisoformat(until)
            except ValueError:
                raise ConfigError(f"{where}: {here}.until must be a date like 2027-01-31") from None
        elif until is not None and not isinstance(until, dt.date):
            raise ConfigError(f"{where}: {here}.until must be a date like 2027-01-31")
        ignores.append(Ignore(item["rule"], item["selector"], item["reason"], until, item.get("page")))
    return ignores


PAGE_KEYS = {"match", "steps", "include", "exclude", "disable", "wait_for", "fail_on"}


def _pages(key: str, value: Any, where: str) -> tuple[PageRule, ...]:
    """[[tool.a11y.pages]]: match (a regex on the URL), steps, include, exclude, disable, wait-for, fail-on."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError(f"{where}: {key} must be a list of tables ([[pages]] with match and steps)")
    rules = []
    for number, item in enumerate(value, 1):
        here = f"{where}: {key}[{number}]"
        item = {k.replace("-", "_"): v for k, v in item.items()}
        unknown = set(item) - PAGE_KEYS
        if unknown:
            raise ConfigError(f"{here}: unknown key {sorted(unknown)[0]!r}")
        match = _str("match", item.get("match", ".*"), here)
        try:
            re.compile(match)
            steps = parse_steps(item.get("steps", []), here)
        except re.error as exc:
            raise ConfigError(f"{here}: match {match!r} is not a valid regular expression ({exc})") from None
        except StepError as exc:
            raise ConfigError(f"{here}: {exc}") from None
        scope = Scope(tuple(_str_list("include", item.get("include", []), here)), tuple(_str_list("exclude", item.get("exclude", []), here)))
        fail_on = _declared("fail_on", item["fail_on"], here) if "fail_on" in item else None
        wait_for = _str("wait-for", item["wait_for"], here) if "wait_for" in item else None
        rules.append(PageRule(match, steps, scope, frozenset(_str_list("disable", item.get("disable", []), here)), wait_for, fail_on))
    return tuple(rules)


def _login(key: str, value: Any, where: str) -> Login:
    """[tool.a11y.login]: url, steps, and optionally check (a selector there once logged in)."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a table with url and steps")
    unknown = set(value) - {"url", "steps", "check"}
    if unknown:
        raise ConfigError(f"{where}: {key}: unknown key {sorted(unknown)[0]!r}")
    if not isinstance(value.get("url"), str) or not value["url"].strip():
        raise ConfigError(f"{where}: {key}.url is required (the login page)")
    try:
        steps = parse_steps(value.get("steps", []), f"{where}: {key}")
    except StepError as exc:
        raise ConfigError(str(exc)) from None
    check = _str("check", value["check"], where) if "check" in value else None
    return Login(value["url"].strip(), steps, check)


KEYS: dict[str, Any] = {
    "targets": _str_list,
    "standard": _declared,
    "best_practice": _bool,
    "fail_on": _declared,
    "strict": _bool,
    "max_violations": _declared,
    "formats": _str_list,
    "out": _str,
    "concurrency": _declared,
    "timeout": _declared,
    "settle_ms": _declared,
    "viewport": _viewport,
    "baseline": _str,
    "review": _str,
    "disable": _str_list,
    "rules": _rule_options,
    "ignore": _ignores,
    "block_external": _bool,
    "max_per_host": _declared,
    "headers": _str_map,
    "cookies": _str_map,
    "browser_path": _str,
    "sitemap": _str_list,
    "feed": _str_list,
    "crawl": _str_list,
    "since": _str,
    "limit": _declared,
    "max_pages": _declared,
    "max_depth": _declared,
    "crawl_include": _str,
    "crawl_exclude": _str,
    "ignore_robots": _bool,
    "include": _str_list,
    "exclude": _str_list,
    "storage_state": _str,
    "pages": _pages,
    "login": _login,
}


@dataclass
class FileConfig:
    """Values read from a config file (only the keys it sets)."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def validate(raw: dict[str, Any], where: str) -> dict[str, Any]:
    values = {}
    for key, value in raw.items():
        name = key.replace("-", "_")
        if name not in KEYS:
            raise ConfigError(f"{where}: unknown key {key!r}")
        values[name] = KEYS[name](key, value, where)
    return values


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> FileConfig:
    """Read ``explicit``, else ./a11y.toml, else ``[tool.a11y]`` of ./pyproject.toml; none is fine."""
    folder = cwd or Path.cwd()
    if explicit is not None:
        data = _read_toml(explicit)
        table = data.get("tool", {}).get("a11y", data) if explicit.name == "pyproject.toml" else data
        return FileConfig(explicit, validate(table, str(explicit)))
    own = folder / "a11y.toml"
    if own.is_file():
        return FileConfig(own, validate(_read_toml(own), "a11y.toml"))
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("a11y")
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError("pyproject.toml: [tool.a11y] must be a table")
            return FileConfig(pyproject, validate(table, "pyproject.toml [tool.a11y]"))
    return FileConfig()


def selector_matches(pattern: str, target: str) -> bool:
    """An ignore's selector: the exact target, or a glob with ``*``."""
    if "*" not in pattern:
        return pattern.strip() == target.strip()
    regex = "^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$"
    return re.match(regex, target) is not None
