"""a11y: an accessibility checker for published article pages (axe-core + publishing rules)."""

from __future__ import annotations

from .version import __version__

__all__ = ["CheckFailed", "PageResult", "Run", "Settings", "Verdict", "__version__", "audit", "audit_async", "check", "check_async"]

_API = ("audit", "audit_async", "check", "check_async", "Run", "Verdict")


def __getattr__(name: str):  # lazy: importing a11y must not import Playwright
    if name in _API:
        from . import api

        return getattr(api, name)
    if name == "CheckFailed":
        from .pipeline.live import CheckFailed

        return CheckFailed
    if name == "PageResult":
        from .model import PageResult

        return PageResult
    if name == "Settings":
        from .settings import Settings

        return Settings
    raise AttributeError(name)
