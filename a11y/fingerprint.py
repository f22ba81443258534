"""Fingerprints that survive what changes between a base branch and a pull request.

Derived from the page's name, the rule, the element's selector and snippet once positions,
ports, whitespace and generated class names are set aside; never from line numbers.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import replace

from .model import PageResult

# css-1x2y3z (emotion), sc-AxjAm (styled-components), jsx-123 (styled-jsx), svelte/astro hashes
_GENERATED_PREFIX = r"(?:css|sc|jsx|emotion|svelte|astro)-[A-Za-z0-9_-]+"
# ...in class attributes, plus CSS-module hashes (Button_primary__x7Hq2)
_GENERATED_CLASS = re.compile(rf"(?<![\w-]){_GENERATED_PREFIX}|(?<![\w-])[A-Za-z]+_[A-Za-z0-9]{{5,}}__?[A-Za-z0-9]+")
# ...as class steps of a selector (.css-1x2y3z)
_GENERATED_STEP = re.compile(rf"\.{_GENERATED_PREFIX}")
_POSITION = re.compile(r":nth-(?:child|of-type|last-child|last-of-type)\(\d+\)")
_LOOPBACK = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?")


def normalise_target(target: str) -> str:
    text = _POSITION.sub("", target)
    text = _GENERATED_STEP.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_html(html: str) -> str:
    text = _LOOPBACK.sub("", html)
    text = _GENERATED_CLASS.sub("", text)
    text = re.sub(r'\s*class="\s*"', "", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*(>|/>)", r"\1", text)
    return text.strip().rstrip("…")


def fingerprinted(page: PageResult) -> PageResult:
    """The page with each finding's fingerprint set; identical elements are told apart by their order."""
    seen: Counter[tuple[str, str, str]] = Counter()
    key = page.key
    findings = []
    for finding in page.findings:
        identity = (finding.rule, normalise_target(finding.target), normalise_html(finding.html))
        occurrence = seen[identity]
        seen[identity] += 1
        payload = json.dumps([key, *identity, occurrence], ensure_ascii=False)
        digest = hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:20]  # page text may hold any code point
        findings.append(replace(finding, fingerprint=digest))
    return page.with_findings(findings)
