"""Text taken from pages and file names, made safe to print."""

from __future__ import annotations

import re

# Characters that would move the cursor, start an escape sequence or a new line (a GitHub Actions
# workflow command), or reorder what follows, if a name printed them raw.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def plain(text: object, limit: int = 240) -> str:
    """Text from a page, a file name or an error, safe for a terminal: one line, control characters
    escaped as ``\\n``, ``\\x1b``, ``\\u202e``, bounded."""
    safe = _CONTROL.sub(_escaped_char, str(text))
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


def _escaped_char(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
