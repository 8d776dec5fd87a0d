"""Quotation marks: find the quoted stretches of a text, robust to news typography.

News text reopens the quote mark on each paragraph of a quotation that runs over
several paragraphs and closes it only at the end; flattened or machine-translated text
mixes curly and straight marks, turns marks the wrong way round or drops one.  This
module scans paragraph by paragraph with a small state machine and returns the quoted
spans (marks included), merging the paragraphs of one quotation.

Only double marks (and guillemets) open top-level quotations; single marks are taken as
top-level quotes only in paragraphs without any double mark, where they are British-style
quotation marks rather than nested quotes or apostrophes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"

_PARA = re.compile(r"[^\n]+")
# bullets and list markers that may precede a quote on its own line
_BULLET = re.compile(r"\s*(?:[-–—•*·▪●]|\d{1,2}[.)])?\s*")


@dataclass
class QuoteMarks:
    """One quoted stretch: ``start``/``end`` include the marks; ``closed`` is False when
    the quotation was never closed (it then runs to the end of its paragraph)."""

    start: int
    end: int
    closed: bool = True
    paragraphs: int = 1

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - (1 if self.closed else 0)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans of the non-empty lines of ``text``."""
    return [(m.start(), m.end()) for m in _PARA.finditer(text) if m.group().strip()]


def _is_space_or_punct(ch: str) -> bool:
    return not ch or ch.isspace() or (not ch.isalnum() and ch not in OPENERS + STRAIGHT + SINGLE_OPEN)


def _marks(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Quote marks in ``text[start:end]`` as (position, width, kind): kind ``o`` (opener),
    ``c`` (closer) or ``s`` (straight: either).  Archive and wire text writes double marks
    as two apostrophes (``''``) or two backticks (````), as LexisNexis and the Penn
    Treebank do; those count as double marks too."""
    out = []
    i = start
    while i < end:
        ch = text[i]
        pair = text[i : i + 2]
        if pair == "``":
            out.append((i, 2, "o"))
            i += 2
            continue
        if pair == "''":
            out.append((i, 2, "s"))
            i += 2
            continue
        if ch in OPENERS:
            out.append((i, 1, "o"))
        elif ch in CLOSERS:
            out.append((i, 1, "c"))
        elif ch == STRAIGHT:
            out.append((i, 1, "s"))
        i += 1
    return out


def _scan_paragraph(text: str, start: int, end: int) -> tuple[list[QuoteMarks], int | None, int | None]:
    """Quotes inside one paragraph; also the position of a closer that had no opener
    (it may end a quotation continued from the previous paragraph) and of an opener left
    open at the end of the paragraph."""
    out: list[QuoteMarks] = []
    open_pos: int | None = None
    orphan_close: int | None = None
    for i, width, kind in _marks(text, start, end):
        prev = text[i - 1] if i > start else ""
        nxt = text[i + width] if i + width < end else ""
        closing_like = bool(prev) and not prev.isspace() and _is_space_or_punct(nxt)
        opening_like = (not prev or prev.isspace() or prev in "([{—–-/:") and bool(nxt) and not nxt.isspace()
        if open_pos is None:
            if (kind == "c" or (kind == "s" and closing_like and not opening_like)) and (
                closing_like or not opening_like
            ):
                if not out and orphan_close is None:
                    orphan_close = i + width - 1
                continue
            open_pos = i
        else:
            if kind == "o" and not closing_like:
                if opening_like:
                    # a second opener while one is open: the first was never closed
                    out.append(QuoteMarks(open_pos, _rstrip(text, open_pos, i), closed=False))
                    open_pos = i
                continue
            out.append(QuoteMarks(open_pos, i + width))
            open_pos = None
    return out, orphan_close, open_pos


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _scan_single(text: str, start: int, end: int) -> list[QuoteMarks]:
    out: list[QuoteMarks] = []
    i = start
    while i < end:
        ch = text[i]
        if ch == SINGLE_OPEN and (i == start or text[i - 1].isspace() or text[i - 1] in "([{—–-:"):
            j = i + 1
            while j < end:
                if text[j] == SINGLE_CLOSE and (j + 1 >= end or _is_space_or_punct(text[j + 1])):
                    break
                j += 1
            if j < end and len(text[i + 1 : j].split()) >= 3:
                out.append(QuoteMarks(i, j + 1))
                i = j + 1
                continue
        i += 1
    return out


def find_quotes(text: str) -> list[QuoteMarks]:
    """All top-level quoted stretches of ``text``, in order, multi-paragraph ones merged."""
    result: list[QuoteMarks] = []
    pending: QuoteMarks | None = None  # a quotation left open at the end of a paragraph
    for p_start, p_end in paragraphs(text):
        has_double = bool(_marks(text, p_start, p_end))
        if not has_double:
            if pending is not None:
                result.append(pending)
                pending = None
            result.extend(_scan_single(text, p_start, p_end))
            continue
        quotes, orphan_close, open_pos = _scan_paragraph(text, p_start, p_end)
        if pending is not None:
            lead = _BULLET.match(text, p_start)
            first = lead.end() if lead else p_start
            if orphan_close is not None and (not quotes or orphan_close < quotes[0].start):
                # the closing mark of the quotation opened in an earlier paragraph
                result.append(QuoteMarks(pending.start, orphan_close + 1, True, pending.paragraphs + 1))
                pending = None
            elif quotes and quotes[0].start == first or (open_pos == first and not quotes):
                # the quote mark reopened on the next paragraph: the same quotation goes on
                if quotes and quotes[0].start == first:
                    q = quotes.pop(0)
                    result.append(QuoteMarks(pending.start, q.end, q.closed, pending.paragraphs + 1))
                    pending = None
                else:
                    pending = QuoteMarks(pending.start, _rstrip(text, p_start, p_end), False, pending.paragraphs + 1)
                    continue
            else:
                result.append(pending)
                pending = None
        result.extend(quotes)
        if open_pos is not None:
            pending = QuoteMarks(open_pos, _rstrip(text, open_pos, p_end), closed=False)
    if pending is not None:
        result.append(pending)
    result.sort(key=lambda q: q.start)
    return result
