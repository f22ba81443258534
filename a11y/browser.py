"""Find a Chromium to drive. The tool never downloads one: set-up (``make``) does."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

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
