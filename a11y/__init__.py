"""a11y: an accessibility checker for published article pages (axe-core + publishing rules)."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Settings", "__version__", "audit"]


def __getattr__(name: str):  # lazy: importing a11y must not import Playwright
    if name == "audit":
        from .engine import audit

        return audit
    if name == "Settings":
        from .settings import Settings

        return Settings
    raise AttributeError(name)
