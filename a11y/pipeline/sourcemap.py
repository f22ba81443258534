"""Map findings on local pages back to their source file: line and column of the element's start tag.

The source is parsed with html5lib, the HTML standard's parsing algorithm, with scripting on as in
the browser, so the tree has the same shape as the DOM the selectors were built on (implied
``tbody``, ``noscript`` as text, misnested tags moved). A hook on html5lib's tokenizer records where
each tag's ``<`` is (bs4 only records where a start tag *ends*), and every element gets the position
of the tag that created it; elements the parser implies get the position of the tag that implied them.

A finding's ``target`` (an axe-style CSS selector) is looked up with soupsieve. An element a script
created is not in the source: the selector is cut back compound by compound to its nearest source
ancestor, then ``body`` and ``html``. Frame targets (``a |> b``) map the iframe; shadow targets
(``host >>> inner``) map the host.

The encoding is decided as a browser would for a page served without a charset: byte order mark,
then a ``<meta charset>`` (the spec's prescan, continued through the head), then UTF-8 when the bytes
are valid UTF-8, else windows-1252. Columns count Unicode code points and start at 1.
"""

from __future__ import annotations

import bisect
import codecs
import re
import warnings
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import html5lib
import soupsieve
import webencodings
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning
from bs4.builder._html5lib import Element, HTML5TreeBuilder, TreeBuilderForHtml5lib

from ..model import PageResult, RunResult

MAX_SOURCE_BYTES = 16 * 1024 * 1024  # larger files are not pages anyone edits by hand
PRESCAN_BYTES = 1024  # the HTML standard's prescan window
HEAD_SCAN_LIMIT = 512 * 1024  # how far a late <meta charset> in the head is still honoured
_BODY_START = re.compile(rb"<body[\s/>]", re.IGNORECASE)
_NEWLINES = re.compile(r"\r\n?")
# WHATWG decoders that Python names differently from the label webencodings resolves to.
_PYTHON_CODECS = {"gbk": "gb18030"}
Position = tuple[int, int]
# A tiny page that looks like a file name, or XML served as .html, is still what the browser parsed;
# only warnings from our own calls are silenced.
for _category in (MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning):
    warnings.filterwarnings("ignore", category=_category, module=__name__)


# -- decoding -------------------------------------------------------------------------------------
def _meta_charset(data: bytes) -> str | None:
    """The encoding a ``<meta charset>`` or ``http-equiv`` declares, by html5lib's prescan."""
    try:
        from html5lib._inputstream import EncodingParser
    except ImportError:  # pragma: no cover - html5lib reorganised
        return None
    windows = [data[:PRESCAN_BYTES]]
    body = _BODY_START.search(data, 0, HEAD_SCAN_LIMIT)
    head_end = body.start() if body else min(len(data), HEAD_SCAN_LIMIT)
    if head_end > PRESCAN_BYTES:
        windows.append(data[:head_end])  # a late meta in the head makes the browser switch too
    for window in windows:
        found = EncodingParser(window).getEncoding()
        if found is not None:
            # The standard: a page cannot declare itself UTF-16 from inside; that means UTF-8.
            return "utf-8" if found.name in ("utf-16be", "utf-16le") else found.name
    return None


def detect_encoding(data: bytes) -> str:
    """The WHATWG name of the encoding a browser would use for ``data`` served as text/html."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16le"), (codecs.BOM_UTF16_BE, "utf-16be")):
        if data.startswith(bom):
            return name
    declared = _meta_charset(data)
    if declared:
        return declared
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "windows-1252"
    return "utf-8"


def decode_html(data: bytes) -> str:
    """``data`` as the browser reads it, newlines normalised to ``\\n`` as the HTML parser does."""
    name = detect_encoding(data)
    encoding = webencodings.lookup(name)
    codec = _PYTHON_CODECS.get(name) or (encoding.codec_info.name if encoding else "windows-1252")
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            data = data[len(bom):]
            break
    text = data.decode(codec, errors="replace")
    return _NEWLINES.sub("\n", text)


def read_source(path: Path) -> str | None:
    """The decoded text of a local page, or None when it is missing, unreadable or too large."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_SOURCE_BYTES:
            return None
        return decode_html(path.read_bytes())
    except (OSError, LookupError, ValueError):
        return None


# -- parsing with start-tag positions -------------------------------------------------------------
class _PositionedParser(html5lib.HTMLParser):
    """html5lib's parser with the position of the last ``<`` the tokenizer met."""

    tag_start: Position = (1, 1)

    def reset(self) -> None:
        super().reset()
        tokenizer = self.tokenizer
        if getattr(tokenizer, "_a11y_hooked", False):
            return
        original = tokenizer.tagOpenState

        def tag_open_state() -> bool:
            # The tokenizer has just consumed "<": its column (0-based, after) is the 1-based column of "<".
            self.tag_start = tokenizer.stream.position()
            return original()

        tokenizer.tagOpenState = tag_open_state
        tokenizer._a11y_hooked = True


class _PositionedTreeBuilder(TreeBuilderForHtml5lib):
    """Elements carry the start of the tag that created them: ``sourceline`` and 1-based ``sourcepos``."""

    def elementClass(self, name: str, namespace: str) -> Element:
        line, column = self.parser.tag_start if self.parser is not None else (None, None)
        tag = self.soup.new_tag(name, namespace, sourceline=line, sourcepos=column)
        return Element(tag, self.soup, namespace)


class _PositionedBuilder(HTML5TreeBuilder):
    def create_treebuilder(self, namespaceHTMLElements: bool) -> TreeBuilderForHtml5lib:
        self.underlying_builder = _PositionedTreeBuilder(namespaceHTMLElements, self.soup, store_line_numbers=False)
        return self.underlying_builder

    def feed(self, markup: Any) -> None:
        parser = _PositionedParser(tree=self.create_treebuilder)
        self.underlying_builder.parser = parser
        parser.parse(markup, scripting=True)  # scripting on, as in the browser: <noscript> is text
        self.underlying_builder.parser = None


def parse_positioned(text: str) -> BeautifulSoup:
    """``text`` parsed by html5lib; each Tag's ``sourceline``/``sourcepos`` is its start tag's line and column."""
    return BeautifulSoup(text, builder=_PositionedBuilder())


# -- selectors ------------------------------------------------------------------------------------
def source_selector(target: str) -> str:
    """The part of an axe target that lives in the page's own document: the iframe, the shadow host."""
    return target.split(" |> ", 1)[0].split(" >>> ", 1)[0].strip()


_SELECTOR_TOKEN = re.compile(
    r"""\\[0-9a-fA-F]{1,6}[ \t\n\f]?|\\."""  # escapes (a hex escape eats one following space)
    r"""|"(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])*'?"""  # strings
    r"""|[\[(]|[\])]|\s*[>+~]\s*|\s+|[^\\"'\[\]()\s>+~]+""",  # brackets, combinators, the rest
    re.DOTALL,
)


def compounds(selector: str) -> list[tuple[str, str]]:
    """``a > b c`` -> ``[("", "a"), (">", "b"), (" ", "c")]``; quotes, brackets, parens and escapes respected."""
    parts: list[tuple[str, str]] = []
    combinator, current = "", ""
    depth = 0
    for match in _SELECTOR_TOKEN.finditer(selector):
        token = match.group()
        if token in ("(", "["):
            depth += 1
        elif token in (")", "]"):
            depth = max(0, depth - 1)
        elif depth == 0 and (token[0].isspace() or token[0] in ">+~"):
            if current:
                parts.append((combinator, current))
                current, combinator = "", " "
            symbol = token.strip()
            if symbol:
                combinator = symbol
            continue
        current += token
    if current:
        parts.append((combinator, current))
    return parts


def _join(parts: list[tuple[str, str]]) -> str:
    text = ""
    for combinator, compound in parts:
        text += compound if not text else (f" {compound}" if combinator == " " else f" {combinator} {compound}")
    return text


def ancestor_selectors(selector: str) -> list[str]:
    """Selectors for the target's ancestors, nearest first (sibling steps are skipped: not ancestors)."""
    parts = compounds(selector)
    found: list[str] = []
    index = len(parts) - 1
    while index > 0:
        combinator = parts[index][0]
        index -= 1
        if combinator in (">", " "):
            found.append(_join(parts[: index + 1]))
    return found


@lru_cache(maxsize=4096)
def _compiled(selector: str) -> Any:
    try:
        return soupsieve.compile(selector)
    except Exception:  # noqa: BLE001 - a selector soupsieve cannot read is one that does not match
        return None


# -- the mapping ----------------------------------------------------------------------------------
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\f]?|(.))", re.DOTALL)
_IDENT_CHAR = re.compile(r"[\w\-]|[^\x00-\x7f]")
_NTH = re.compile(r":nth-(child|of-type)\(\s*\+?(\d+)\s*\)", re.IGNORECASE)
_TYPE = re.compile(r"^([a-zA-Z][\w-]*)(?![\w|-])")


def css_unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return match.group(2)

    return _CSS_ESCAPE.sub(replace, text)


def _identifier(text: str, start: int) -> int:
    """The end of the CSS identifier starting at ``start`` (escapes included)."""
    i = start
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            hex_digits = re.match(r"[0-9a-fA-F]{1,6}[ \t\n\f]?", text[i + 1:])
            i += 1 + (hex_digits.end() if hex_digits else 1)
        elif _IDENT_CHAR.match(text[i]):
            i += 1
        else:
            break
    return i


@dataclass(frozen=True)
class _Step:
    """One compound of a selector: its combinator to the step before, and what an element needs to match it."""

    combinator: str
    tag: str | None
    ids: tuple[str, ...]
    classes: tuple[str, ...]
    nth: tuple[tuple[str, int], ...]  # ("child" | "of-type", n) from :nth-child(n) / :nth-of-type(n)
    simple: bool  # nothing else: these keys decide the match alone, without soupsieve

    def fits(self, element: Tag, positions: dict[int, tuple[int, int]]) -> bool:
        if self.tag is not None and element.name.lower() != self.tag:
            return False
        attrs = element.attrs
        if self.ids and any(attrs.get("id") != wanted for wanted in self.ids):
            return False
        if self.classes:
            present = attrs.get("class") or ()
            present = present.split() if isinstance(present, str) else present
            if not all(name in present for name in self.classes):
                return False
        if self.nth:
            child, of_type = positions.get(id(element), (0, 0))
            return all(n == (child if kind == "child" else of_type) for kind, n in self.nth)
        return True


def _step(combinator: str, compound: str) -> _Step:
    """Read the type, ids and classes at the top level of a compound (``[title="a.b"]``, ``:not(.x)`` add none)."""
    tag, ids, classes, nth = None, [], [], []
    head = _TYPE.match(compound)
    simple = True
    if head:
        tag = head.group(1).lower()
    depth, quote, i = 0, "", head.end() if head else 0
    while i < len(compound):
        char = compound[i]
        if depth == 0 and not quote and char in "#.":
            end = _identifier(compound, i + 1)
            if end > i + 1:
                (ids if char == "#" else classes).append(css_unescape(compound[i + 1:end]))
                i = end
                continue
        position = _NTH.match(compound, i) if depth == 0 and not quote else None
        if position:
            nth.append((position.group(1).lower(), int(position.group(2))))
            i = position.end()
            continue
        simple = False
        if char == "\\":
            i += 2
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        i += 1
    return _Step(combinator, tag, tuple(ids), tuple(classes), tuple(nth), simple)


def _element_before(element: Tag) -> Tag | None:
    node = element.previous_sibling
    while node is not None and not isinstance(node, Tag):
        node = node.previous_sibling
    return node


def _fits_chain(element: Tag, steps: list[_Step], index: int, positions: dict[int, tuple[int, int]],
                memo: dict[tuple[int, int], bool] | None = None) -> bool:
    """Whether ``element`` and its context satisfy ``steps[: index + 1]``'s keys (right to left, backtracking).

    ``memo`` remembers answers per (element, step), so descendant combinators stay linear on deep pages.
    """
    key = (id(element), index)
    if memo is not None and key in memo:
        return memo[key]
    answer = _fits_chain_uncached(element, steps, index, positions, memo)
    if memo is not None:
        memo[key] = answer
    return answer


def _fits_chain_uncached(element: Tag, steps: list[_Step], index: int, positions: dict[int, tuple[int, int]],
                         memo: dict[tuple[int, int], bool] | None) -> bool:
    step = steps[index]
    if not step.fits(element, positions):
        return False
    if index == 0:
        return True
    if step.combinator in (">", " "):
        parent = element.parent
        while isinstance(parent, Tag) and parent.name != "[document]":
            if _fits_chain(parent, steps, index - 1, positions, memo):
                return True
            if step.combinator == ">":
                return False
            parent = parent.parent
        return False
    sibling = _element_before(element)
    while sibling is not None:
        if _fits_chain(sibling, steps, index - 1, positions, memo):
            return True
        if step.combinator == "+":
            return False
        sibling = _element_before(sibling)
    return False


@dataclass
class SourceDocument:
    """A local page's source parsed once and indexed, so each lookup touches few elements.

    Elements are numbered in document order; ``_last[i]`` is the number of element ``i``'s last
    descendant, so a subtree is a range. Buckets by tag, id and class are in document order too.
    """

    text: str
    soup: BeautifulSoup
    path: Path | None = None

    @classmethod
    def load(cls, path: Path) -> SourceDocument | None:
        text = read_source(path)
        if text is None:
            return None
        return cls(text, parse_positioned(text), path)

    def __post_init__(self) -> None:
        self.elements: list[Tag] = self.soup.find_all(True)
        self.order: dict[int, int] = {id(element): number for number, element in enumerate(self.elements)}
        self._last = list(range(len(self.elements)))
        for number in range(len(self.elements) - 1, -1, -1):  # children before parents
            parent = self.elements[number].parent
            if isinstance(parent, Tag) and id(parent) in self.order:
                parent_number = self.order[id(parent)]
                self._last[parent_number] = max(self._last[parent_number], self._last[number])
        # A <template>'s content is no part of the document: selectors never match in it.
        inert: set[int] = set()
        for number, element in enumerate(self.elements):
            if element.name == "template":
                inert.update(range(number + 1, self._last[number] + 1))
        self.searchable = [number for number in range(len(self.elements)) if number not in inert]
        self.index: dict[tuple[str, str], list[int]] = {}
        for number in self.searchable:
            element = self.elements[number]
            self.index.setdefault(("", element.name.lower()), []).append(number)
            element_id = element.get("id")
            if isinstance(element_id, str):
                self.index.setdefault(("#", element_id), []).append(number)
            for name in element.get_attribute_list("class") if element.has_attr("class") else ():
                self.index.setdefault((".", name), []).append(number)
        self.positions: dict[int, tuple[int, int]] = {}  # place among siblings, for :nth-child / :nth-of-type
        for parent in (self.soup, *self.elements):
            seen: dict[str, int] = {}
            child_number = 0
            for child in parent.contents:
                if isinstance(child, Tag):
                    child_number += 1
                    seen[child.name] = seen.get(child.name, 0) + 1
                    self.positions[id(child)] = (child_number, seen[child.name])
                    number = self.order.get(id(child))
                    if number is not None and number not in inert:
                        self.index.setdefault(("child", str(child_number)), []).append(number)
                        self.index.setdefault(("of-type", str(seen[child.name])), []).append(number)
        for key in [key for key in self.index if key[0] in ("child", "of-type")]:
            self.index[key].sort()  # filled parent by parent: back to document order

    def _bucket(self, step: _Step) -> list[int]:
        keys = [("#", i) for i in step.ids] + [(".", c) for c in step.classes] + ([("", step.tag)] if step.tag else [])
        keys += [(kind, str(n)) for kind, n in step.nth]
        return min((self.index.get(key, []) for key in keys), key=len) if keys else self.searchable

    def _within(self, numbers: list[int], scope: Tag | None) -> list[int]:
        """The part of a document-ordered bucket inside ``scope``'s subtree (the whole bucket for the document)."""
        if scope is None or id(scope) not in self.order:
            return numbers
        first = self.order[id(scope)]
        return numbers[bisect.bisect_right(numbers, first): bisect.bisect_right(numbers, self._last[first])]

    def _candidates(self, steps: list[_Step]) -> list[int]:
        """Elements that may match, in document order: those of the last step's bucket that lie under
        a match of the most selective step (the smallest bucket), as the combinators allow."""
        last = len(steps) - 1
        buckets = [self._bucket(step) for step in steps]
        pivot = min(range(len(steps)), key=lambda k: (len(buckets[k]), -k))
        if pivot == last:
            return buckets[last]
        found: set[int] = set()
        memo: dict[tuple[int, int], bool] = {}
        for number in buckets[pivot]:
            anchor = self.elements[number]
            if not _fits_chain(anchor, steps, pivot, self.positions, memo):
                continue
            # What follows a child/descendant step lies inside the anchor; after a sibling step, inside its parent.
            scope = anchor if steps[pivot + 1].combinator in (">", " ") else anchor.parent
            found.update(self._within(buckets[last], scope if isinstance(scope, Tag) else None))
        return sorted(found)

    def first_match(self, selector: str) -> Tag | None:
        """What ``soup.select_one(selector)`` returns, without running soupsieve on every element.

        Candidates come from the index and must fit the selector's type/id/class/nth keys along the
        whole chain; soupsieve decides only for those, and only when the selector has more than keys.
        """
        steps = [_step(combinator, compound) for combinator, compound in compounds(selector)]
        if not steps:
            return None
        simple = all(step.simple for step in steps)
        compiled = None if simple else _compiled(selector)
        if compiled is None and not simple:
            return None  # soupsieve cannot read it
        memo: dict[tuple[int, int], bool] = {}
        for number in self._candidates(steps):
            element = self.elements[number]
            if not _fits_chain(element, steps, len(steps) - 1, self.positions, memo):
                continue
            try:
                if compiled is None or compiled.match(element):
                    return element
            except Exception:  # noqa: BLE001 - soupsieve edge cases must not cost the report
                return None
        return None

    def element(self, target: str) -> Tag | None:
        """The source element for ``target``, or its nearest source ancestor, or ``body``/``html``."""
        selector = source_selector(target)
        for candidate in (selector, *ancestor_selectors(selector), "body", "html"):
            try:
                match = self.first_match(candidate)
            except RecursionError:
                match = None
            if match is not None:
                return match
        return None

    def locate(self, target: str) -> dict[str, int] | None:
        node = self.element(target)
        while node is not None and not isinstance(getattr(node, "sourceline", None), int):
            node = node.parent  # an element without a position (should not happen): take its parent's
        if node is None:
            return None
        return {"line": int(node.sourceline), "column": int(node.sourcepos or 1)}  # type: ignore[arg-type]


def source_path(page: PageResult, cwd: Path | None = None) -> Path | None:
    """The file a local page was read from (None for URLs)."""
    if not page.source or page.source.startswith(("http://", "https://")):
        return None
    path = Path(page.source)
    return path if path.is_absolute() else (cwd or Path.cwd()) / path


def locate_page(page: PageResult, cwd: Path | None = None, document: SourceDocument | None = None) -> tuple[PageResult, SourceDocument | None]:
    """The page with ``source_location`` set on its findings, and the parsed source for reuse. Never raises.

    Safe to call from a worker thread (e.g. while the browser renders the next page).
    """
    try:
        path = source_path(page, cwd)
        if path is None or not page.findings:
            return page, document
        if document is None or document.path != path.resolve():
            document = SourceDocument.load(path.resolve())
        return page.with_findings(replace(f, source_location=document.locate(f.target) if document else None) for f in page.findings), document
    except Exception:  # noqa: BLE001 - a source we cannot map costs its locations, never the run
        return page.with_findings(replace(f, source_location=None) for f in page.findings), None


def locate_findings(run: RunResult, cwd: Path | None = None) -> RunResult:
    """The run with ``source_location`` set on the findings of every local page whose source file is readable.

    Each file is parsed once (only the last one is kept: a run may hold hundreds of large pages).
    A file that cannot be read or parsed leaves its findings without a location. Never raises.
    """
    document: SourceDocument | None = None
    pages = []
    for page in run.pages:
        located, document = locate_page(page, cwd, document)
        pages.append(located)
    return replace(run, pages=pages)


# -- source text for reports ----------------------------------------------------------------------
class SourceText:
    """A decoded source with line lookup, for report snippets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def offset(self, line: int, column: int) -> int | None:
        if not 1 <= line <= len(self.line_starts):
            return None
        offset = self.line_starts[line - 1] + column - 1
        line_end = self.line_starts[line] if line < len(self.line_starts) else len(self.text) + 1
        return offset if 0 <= offset < line_end else None

    def position(self, offset: int) -> Position:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def start_tag(self, line: int, column: int, limit: int = 2000) -> tuple[str, int, int] | None:
        """The start tag at ``line``/``column``: its text and the line/column just after its ``>``.

        None when no tag starts there (the file changed since the audit).
        """
        start = self.offset(line, column)
        if start is None or not self.text.startswith("<", start):
            return None
        end = tag_end(self.text, start, limit)
        if end is None:
            return None
        end_line, end_column = self.position(end)
        return self.text[start:end], end_line, end_column


def tag_end(text: str, start: int, limit: int = 2000) -> int | None:
    """The offset just after the ``>`` closing the tag at ``start``, by the tokenizer's attribute rules."""
    i, stop = start + 1, min(len(text), start + limit)
    while i < stop:
        char = text[i]
        if char == ">":
            return i + 1
        if char == "=":
            i += 1
            while i < stop and text[i] in " \t\n\f":
                i += 1
            if i < stop and text[i] in "\"'":
                close = text.find(text[i], i + 1, stop)
                if close == -1:
                    return None
                i = close + 1
            else:  # an unquoted value runs to whitespace or ">"; quotes and "=" inside it are plain text
                while i < stop and text[i] not in " \t\n\f>":
                    i += 1
            continue
        i += 1
    return None
