"""Quotations in a document: where each opens and closes.

``quotations(text)`` returns the top-level quotations as ``Quote(start, end)``
document offsets (code points, end-exclusive), the marks included. Rules:

- curly ``“ ”``, guillemets ``« »``, low ``„`` and straight ``"`` marks; a
  straight mark opens after a space, an opening bracket or a dash, or at the
  start of a line, and closes otherwise;
- single marks (``‘ ’``, ``'``) open a quotation only where a letter follows
  and no letter precedes, and close one only where no letter follows, so that
  apostrophes ("Iran’s", "groups’") are left alone; inside a double quotation
  they nest and do not end it;
- a quotation still open at the end of a paragraph ends there: news style
  leaves the mark off when the quotation goes on in the next paragraph, which
  then opens with a mark of its own;
- a closing mark with no quotation open is ignored.
"""

import re
from typing import NamedTuple


class Quote(NamedTuple):
    start: int
    end: int


_MARK = re.compile("[“”„«»\"‘’'‚‹›]|\n[^\\S\n]*\n")
_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘‚‹"
_SINGLE_CLOSE = "’›"
_OPEN_CONTEXT = "([{—–-/:\u00a0"


def quotations(text: str) -> list[Quote]:
    """Return the document's top-level quotations, in order."""
    quotes: list[Quote] = []
    stack: list[tuple[str, int]] = []  # (family "d" or "s", start)
    for m in _MARK.finditer(text):
        pos, mark = m.start(), m.group()
        if mark.startswith("\n"):  # a paragraph break closes what is open
            if stack:
                quotes.append(Quote(stack[0][1], _end_of_paragraph(text, pos)))
                stack.clear()
            continue
        before = text[pos - 1] if pos else " "
        after = text[pos + 1] if pos + 1 < len(text) else " "
        family = "s" if mark in "‘’'‚‹›" else "d"
        action: str | None  # None: the mark neither opens nor closes
        if mark == '"':
            opening = (
                before.isspace() or before in _OPEN_CONTEXT or pos == 0
            ) and not after.isspace()
            if any(f == "d" for f, _ in stack) and not opening:
                action = "close"
            else:
                action = "open" if opening else "close"
        elif mark == "'":
            if before.isalnum() and after.isalnum():
                continue  # an apostrophe: "don't"
            opening = not before.isalnum() and after.isalnum()
            closing = not after.isalnum() and any(f == "s" for f, _ in stack)
            action = "open" if opening else "close" if closing else None
        elif mark in _DOUBLE_OPEN or mark in _SINGLE_OPEN:
            if mark in _SINGLE_OPEN and before.isalnum():
                continue
            action = "open"
        elif mark in _SINGLE_CLOSE:
            if after.isalnum() or not any(f == "s" for f, _ in stack):
                continue  # "Iran’s", "the groups’ demand"
            action = "close"
        else:
            action = "close"
        if action == "open":
            stack.append((family, pos))
        elif action == "close":
            while stack and stack[-1][0] != family:
                stack.pop()  # an unclosed nested single mark
            if stack:
                _, start = stack.pop()
                if not stack:
                    quotes.append(Quote(start, pos + 1))
    if stack:
        quotes.append(Quote(stack[0][1], len(text.rstrip())))
    return quotes


def _end_of_paragraph(text: str, pos: int) -> int:
    return len(text[:pos].rstrip())


def quoted_length(quotes: list[Quote], start: int, end: int, text: str) -> int:
    """How many non-space characters of ``text[start:end]`` lie in quotations."""
    total = 0
    for q in quotes:
        if q.end <= start:
            continue
        if q.start >= end:
            break
        a, b = max(q.start, start), min(q.end, end)
        total += sum(1 for ch in text[a:b] if ch.isalnum())
    return total


def quote_at(quotes: list[Quote], pos: int) -> Quote | None:
    """The quotation that covers ``pos``, if any."""
    for q in quotes:
        if q.start <= pos < q.end:
            return q
        if q.start > pos:
            break
    return None
