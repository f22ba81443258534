"""Find a Chromium to drive. The tool never downloads one: set-up (``make``) does."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

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


class BrowserLaunchFailed(BrowserNotFound):
    """The Chromium found would not start; the message names it and the cause."""


_EXIT = re.compile(r"<process did exit: exitCode=(\d+), signal=(\w+)>")
_STDERR = re.compile(r"^\s*(?:- )?\[pid=\d+\]\[err\] (.*\S)", re.MULTILINE)


def launch_failure(path: str | None, message: str) -> BrowserLaunchFailed:
    """One line from Playwright's launch error (its whole call log and the browser's own log):
    how the browser exited and its last line on stderr, or the error's first line."""
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    first = first.removeprefix("BrowserType.launch: ")
    stderr = _STDERR.findall(message)
    exited = _EXIT.search(message)
    if exited and stderr:
        how = f"signal {exited[2]}" if exited[2] != "null" else f"code {exited[1]}"
        cause = f"it exited with {how}: {stderr[-1]}"
    else:
        cause = stderr[-1] if stderr else first
    if len(cause) > 300:
        cause = cause[:300] + "…"
    return BrowserLaunchFailed(f"browser {path or 'of Playwright'} failed to start: {cause}; `a11y doctor` checks the set-up")


@dataclass(frozen=True)
class BrowserChoice:
    path: str | None  # None: Playwright's own managed Chromium
    origin: str  # "option", "A11Y_CHROMIUM", "playwright", "system"


@dataclass(frozen=True)
class ManagedLookup:
    path: str | None  # Playwright's Chromium, when installed
    reason: str = ""  # why there is none: shown when no Chromium is found at all


def playwright_chromium() -> ManagedLookup:
    """Playwright's managed Chromium, found the way Playwright's registry finds it.

    Read from the driver's ``browsers.json`` without starting the driver: the sync API cannot run
    inside the audit's event loop, and starting the driver costs about 2 s. Only a layout this
    code does not know makes it ask the driver itself (in a thread of its own).
    """
    package = playwright_package()
    if package is None:
        return ManagedLookup(None, "the playwright package is not installed")
    try:
        entry = next(b for b in json.loads((package / "browsers.json").read_text(encoding="utf-8"))["browsers"]
                     if b.get("name") == "chromium")
        revision = str(entry["revision"])
    except (OSError, ValueError, KeyError, StopIteration, TypeError) as exc:
        return _ask_driver(f"browsers.json of Playwright unreadable ({exc})")
    if entry.get("revisionOverrides"):  # keyed by Playwright's own platform names
        return _ask_driver("browsers.json has per-platform revisions")
    folder = playwright_registry(package) / f"chromium-{revision}"
    if not folder.is_dir():
        return ManagedLookup(None, f"Playwright's Chromium is not installed: {folder} is absent")
    for layout in CHROMIUM_LAYOUTS.get((platform.system(), platform.machine()), ()):
        if (folder / layout).is_file():
            return ManagedLookup(str(folder / layout))
    return _ask_driver(f"no known executable in {folder}")


# Where Playwright's Chromium keeps its executable inside chromium-<revision>/ (its registry's
# EXECUTABLE_PATHS; "chrome-linux" is the layout before Chrome for Testing builds).
CHROMIUM_LAYOUTS = {
    ("Linux", "x86_64"): ("chrome-linux64/chrome", "chrome-linux/chrome"),
    ("Linux", "aarch64"): ("chrome-linux-arm64/chrome", "chrome-linux/chrome"),
}


def playwright_package() -> Path | None:
    try:
        import playwright
    except ImportError:
        return None
    return Path(playwright.__file__).parent / "driver" / "package"


def _playwright_env(name: str) -> str | None:
    """An environment setting as Playwright's ``getFromENV`` reads it (npm config names too)."""
    for key in (name, f"npm_config_{name.lower()}", f"npm_package_config_{name.lower()}"):
        if key in os.environ:
            return os.environ[key]
    return None


def playwright_registry(package: Path) -> Path:
    """The folder Playwright installs browsers into: ``PLAYWRIGHT_BROWSERS_PATH`` or its cache."""
    chosen = _playwright_env("PLAYWRIGHT_BROWSERS_PATH")
    if chosen == "0":
        folder = package / ".local-browsers"
    elif chosen:
        folder = Path(chosen)
    elif sys.platform == "darwin":
        folder = Path.home() / "Library" / "Caches" / "ms-playwright"
    elif sys.platform == "win32":
        folder = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "ms-playwright"
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ms-playwright"
    return folder if folder.is_absolute() else Path(os.environ.get("INIT_CWD") or os.getcwd()) / folder


def _ask_driver(why: str) -> ManagedLookup:
    """Playwright's own answer, from a thread: its sync API refuses a thread with a running event loop."""

    def executable_path() -> str:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            return pw.chromium.executable_path

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            path = pool.submit(executable_path).result(timeout=120)
    except Exception as exc:  # noqa: BLE001 - reported, not raised: another Chromium may do
        return ManagedLookup(None, f"{why}; Playwright's driver failed too ({type(exc).__name__}: {exc})")
    if path and Path(path).is_file():
        return ManagedLookup(path)
    return ManagedLookup(None, f"Playwright's Chromium is not installed: {path} is absent")


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
    if managed.path:
        return BrowserChoice(managed.path, "playwright")
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return BrowserChoice(found, "system")
    raise BrowserNotFound(
        f"no Chromium found ({managed.reason}; none of {', '.join(SYSTEM_CANDIDATES)} on PATH); run `make setup` "
        "(installs Debian's chromium as root, else `playwright install chromium`) or pass --browser-path"
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
    package = playwright_package()
    if package is None:
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


class BrowserHost:
    """The run's one browser, relaunched when it dies mid-run (killed, crashed, out of memory)."""

    def __init__(self, playwright: Any, choice: BrowserChoice) -> None:
        self.playwright = playwright
        self.choice = choice
        self.browser: Browser | None = None
        self.generation = 0
        self.restarts = 0
        self._unresponsive: Browser | None = None  # a browser that stopped answering, though still connected
        self._lock = asyncio.Lock()
        # Tabs open one at a time: each starts a renderer process, and the first page can load as
        # soon as its own tab exists instead of when all of them do (measured: -3% wall on 40 pages).
        self.opening = asyncio.Lock()

    @property
    def alive(self) -> bool:
        return self.browser is not None and self.browser.is_connected() and self.browser is not self._unresponsive

    async def died_since(self, generation: int) -> bool:
        """Whether the browser of ``generation`` is gone: relaunched since, disconnected, or silent."""
        if self.generation != generation:
            return True
        return self.browser is not None and not await self.responsive()

    async def responsive(self, timeout_s: float = 5.0) -> bool:
        """Ask the browser itself: a killed one can fail a tab before its disconnect is seen."""
        browser = self.browser
        if browser is None or not self.alive:
            return False
        try:
            session = await asyncio.wait_for(browser.new_browser_cdp_session(), timeout_s)
            await asyncio.wait_for(session.send("Browser.getVersion"), timeout_s)
            await session.detach()
            return True
        except (asyncio.TimeoutError, PlaywrightError):
            self._unresponsive = browser  # only this one: another worker may have relaunched meanwhile
            return False

    async def get(self) -> Browser:
        async with self._lock:
            if not self.alive:
                if self.browser is not None:
                    self.restarts += 1
                    await self.close()
                try:
                    self.browser = await self.playwright.chromium.launch(executable_path=self.choice.path, **launch_options())
                except PlaywrightError as exc:
                    if self.generation == 0:  # the run's first browser: nothing can be audited, say why in one line
                        raise launch_failure(self.choice.path, str(exc)) from None
                    raise
                self.generation += 1
            return self.browser  # type: ignore[return-value]

    async def close(self) -> None:
        if self.browser is not None and self.browser.is_connected():
            try:
                await asyncio.wait_for(self.browser.close(), timeout=20)  # type: ignore[union-attr]
            except (asyncio.TimeoutError, PlaywrightError):
                pass


def main() -> int:
    """``python -m a11y.pipeline.browser``: print the Chromium in use, exit 1 when there is none."""
    try:
        choice = find_browser()
    except BrowserNotFound as exc:
        print(exc)
        return 1
    print(f"{choice.path} ({choice.origin})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
