"""Find a Chromium to drive. The tool never downloads one: set-up (``make``) does."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LAUNCH_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    # A page that allocates without end dies at 1 GB of JS heap instead of eating the machine.
    "--js-flags=--max-old-space-size=1024",
]
# Browser features an audit never needs and that cost CPU on every page (together about a fifth
# of a run's CPU, measured on 2 cores). None changes how a page renders.
AUDIT_DISABLED_FEATURES = (
    # A spare renderer is started for the context that navigated last; with a tab per context
    # that means a new, unused process for almost every page.
    "SpareRendererForSitePerProcess",
    # New headless runs each context's window with omnibox popup WebUIs, whose renderers
    # update on every navigation.
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    # A new RenderFrameHost (and renderer frame) for every same-site navigation of the tab,
    # instead of reusing the one it has: about 40 ms of browser and renderer CPU per page.
    "RenderDocument",
)
DISABLE_FEATURES = "--disable-features="
# V8 tuning for an audit browser; it changes how fast scripts run, never what they do.
AUDIT_JS_FLAGS = (
    # axe-core is evaluated afresh in every page, so V8 sees its functions as new each time and
    # compiled about 190 of them with Maglev per page (default: after 400 calls): ~110 ms of
    # background CPU per page for a run of ~250 ms. Truly hot code still tiers up.
    "--invocation-count-for-maglev=10000",
)
JS_FLAGS = "--js-flags="
# Where Playwright's driver declares its default --disable-features list, by driver layout.
_PLAYWRIGHT_SWITCH_FILES = ("lib/server/chromium/chromiumSwitches.js", "lib/coreBundle.js")
_FEATURE_LIST_START = re.compile(r"disabledFeatures\s*=\s*\[")


class BrowserNotFound(RuntimeError):
    """No Chromium could be found; the message says how to get one."""


@dataclass(frozen=True)
class BrowserChoice:
    path: str | None  # None: Playwright's own managed Chromium
    origin: str  # "option", "A11Y_CHROMIUM", "playwright", "system"


def playwright_chromium() -> str | None:
    """The path of Playwright's managed Chromium, when it has been installed."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return None
    return path if path and Path(path).is_file() else None


def find_browser(explicit: str | None = None) -> BrowserChoice:
    """Pick a Chromium: the option, then ``A11Y_CHROMIUM``, Playwright's own, then the system's."""
    if explicit:
        if not Path(explicit).is_file():
            raise BrowserNotFound(f"--browser-path {explicit}: no such file")
        return BrowserChoice(explicit, "option")
    from_env = os.environ.get("A11Y_CHROMIUM")
    if from_env:
        if not Path(from_env).is_file():
            raise BrowserNotFound(f"A11Y_CHROMIUM={from_env}: no such file")
        return BrowserChoice(from_env, "A11Y_CHROMIUM")
    managed = playwright_chromium()
    if managed:
        return BrowserChoice(managed, "playwright")
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return BrowserChoice(found, "system")
    raise BrowserNotFound(
        "no Chromium found; run `make setup` (installs Debian's chromium as root, "
        "else `playwright install chromium`) or pass --browser-path"
    )


def launch_args() -> list[str]:
    """Flags for a headless audit browser; root cannot use Chromium's sandbox."""
    args = list(LAUNCH_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return args


@cache
def playwright_disabled_features() -> tuple[str, ...] | None:
    """The features Playwright's own ``--disable-features`` switch turns off, read from its driver.

    Chromium keeps only the last ``--disable-features`` on a command line, so ours must carry
    Playwright's too. None when the driver's layout is not recognised.
    """
    try:
        import playwright

        package = Path(playwright.__file__).parent / "driver" / "package"
    except ImportError:
        return None
    for name in _PLAYWRIGHT_SWITCH_FILES:
        try:
            source = (package / name).read_text(encoding="utf-8")
        except OSError:
            continue
        features = features_in_source(source)
        if features:
            return features
    return None


def features_in_source(source: str) -> tuple[str, ...] | None:
    """The names in a ``disabledFeatures = [...]`` array of JavaScript source."""
    start = _FEATURE_LIST_START.search(source)
    if not start:
        return None
    # comments out first: one may hold a "]" that does not end the list
    items = re.sub(r"//[^\n]*", "", source[start.end():start.end() + 20000]).split("]", 1)[0]
    return tuple(re.findall(r"[\"']([A-Za-z0-9_]+)[\"']", items)) or None


def with_js_flags(args: list[str], flags: tuple[str, ...]) -> list[str]:
    """``args`` with ``flags`` added to their ``--js-flags``: Chromium keeps only the last one."""
    present = [a[len(JS_FLAGS):] for a in args if a.startswith(JS_FLAGS)]
    merged = " ".join([*present, *flags])
    return [a for a in args if not a.startswith(JS_FLAGS)] + ([JS_FLAGS + merged] if merged else [])


def launch_options() -> dict[str, Any]:
    """Keyword arguments for ``chromium.launch`` of an audit browser: our flags (V8's in one
    ``--js-flags``), and one ``--disable-features`` switch holding Playwright's features and ours
    (when its list is known)."""
    options: dict[str, Any] = {"args": with_js_flags(launch_args(), AUDIT_JS_FLAGS), "headless": True}
    defaults = playwright_disabled_features()
    if defaults:
        merged = list(dict.fromkeys([*defaults, *AUDIT_DISABLED_FEATURES]))
        options["args"].append(DISABLE_FEATURES + ",".join(merged))
        options["ignore_default_args"] = [DISABLE_FEATURES + ",".join(defaults)]
    return options


def main() -> int:
    """``python -m a11y.browser``: print the Chromium in use, exit 1 when there is none."""
    try:
        choice = find_browser()
    except BrowserNotFound as exc:
        print(exc)
        return 1
    print(f"{choice.path} ({choice.origin})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
