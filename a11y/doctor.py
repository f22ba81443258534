"""``a11y doctor``: what a11y would use, and the one command that fixes what is missing."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

from .pipeline.axe import axe_version, package_version
from .pipeline.browser import BrowserNotFound, find_browser, playwright_chromium
from .version import __version__


@dataclass(frozen=True)
class Check:
    name: str
    value: str
    ok: bool
    fix: str = ""


def chromium_version(path: str) -> str:
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1] if (done.stdout or done.stderr) else "unknown"


def checks(browser_path: str | None = None) -> list[Check]:
    playwright = package_version("playwright")
    axe_pkg = package_version("axe-playwright-python")
    results = [
        Check("a11y", __version__, True),
        Check("playwright", playwright, playwright != "not installed", "make setup"),
        Check("axe-core", f"{axe_version()} (axe-playwright-python {axe_pkg})" if axe_pkg != "not installed" else axe_pkg,
              axe_pkg != "not installed", "make setup"),
    ]
    try:
        choice = find_browser(browser_path)
    except BrowserNotFound as exc:
        fix = "sudo apt-get install -y chromium   (or: .venv/bin/python -m playwright install chromium)"
        results.append(Check("chromium", str(exc), False, fix))
        return results
    version = chromium_version(choice.path) if choice.path else "unknown"
    origin = choice.origin
    if origin == "system":  # say why Playwright's was not taken: it comes first
        origin += f"; {playwright_chromium().reason}"
    results.append(Check("chromium", f"{version} at {choice.path} ({origin})", True))
    return results
