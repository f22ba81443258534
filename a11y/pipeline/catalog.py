"""All rules in one list, axe-core's and ours, with their documentation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from ..rules import all_rules
from .axe import AxeRule, parse_rules


@dataclass(frozen=True)
class RuleInfo:
    id: str
    engine: str
    impact: str
    wcag: tuple[str, ...]
    help: str
    help_url: str
    doc: str

    def documentation(self) -> str:
        head = f"{self.id} ({self.engine}, {self.impact}; WCAG {', '.join(self.wcag) or 'best-practice'})\n{self.help}\n"
        body = f"\n{self.doc}\n" if self.doc else ""
        return f"{head}{body}\nMore: {self.help_url}"


def axe_rules(browser_path: str | None = None) -> dict[str, AxeRule]:
    """axe-core's rule list, read from axe in a blank page of a real browser."""
    from playwright.async_api import async_playwright

    from .browser import find_browser, launch_options
    from .render import axe_rule_catalog

    async def read() -> dict[str, AxeRule]:
        choice = find_browser(browser_path)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=choice.path, **launch_options())
            try:
                return parse_rules(await axe_rule_catalog(browser))
            finally:
                await browser.close()

    return asyncio.run(read())


def all_rule_infos(browser_path: str | None = None) -> list[RuleInfo]:
    infos = [
        RuleInfo(r.id, "a11y", r.meta.impact, tuple(r.meta.wcag), r.meta.help, r.help_url, r.doc)
        for r in all_rules()
    ]
    for rule in axe_rules(browser_path).values():
        infos.append(RuleInfo(rule.id, "axe", rule.impact, tuple(rule.wcag), rule.help, rule.help_url, rule.description))
    return sorted(infos, key=lambda i: (i.engine != "a11y", i.id))
