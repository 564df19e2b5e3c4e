"""Whether a passage of an article is inside quotation marks. Pure code.

Every common pair delimits a quote: straight and curly double and single marks, German
„…“ and ‚…‘, French « … » (with or without inner spaces), the reversed » … « and › … ‹ of
German and Danish, the Swedish and Finnish ”…” and »…», single guillemets ‹ ›, and the corner
brackets 「」 『』 of Chinese and Japanese, and the `` … '' and ` … ' of tokenised text. A
mark opens a quote only when no quote is open; a quote is closed only by a mark that closes
what opened it, so the other language's marks nested inside do not end it. Single marks that
double as apostrophes (' ’ ‘ ‚) open only after a non-letter and not before a clitic ("we 're"
in tokenised text), and close only before a non-letter ("don't" neither opens nor closes).

A straight double mark written like an opening one (after a space, before a word) while a quote
is open ends that quote and opens another: the open one was never closed, as when a quote runs
on into the next paragraph and the paragraphs were joined into one line (`crying. "They said
... family." ISIS: ...`). Read as a closing mark, it would turn the reporter's narration after
the next mark into a quote.
"""

from __future__ import annotations

import re

from summarizer.core.spans import Span

__all__ = ["CLOSERS", "inside_quote_marks", "quotations"]

CLOSERS: dict[str, frozenset[str]] = {
    '"': frozenset('"'),
    "\u201c": frozenset("\u201d"),  # “ … ”
    "\u201d": frozenset("\u201d"),  # ” … ” (Swedish, Finnish)
    "\u201e": frozenset("\u201c\u201d"),  # „ … “ (German), „ … ” (Polish, Hungarian)
    "\u00ab": frozenset("\u00bb"),  # « … »
    "\u00bb": frozenset("\u00ab\u00bb"),  # » … « (German, Danish), » … » (Finnish)
    "\u2039": frozenset("\u203a"),  # ‹ … ›
    "\u203a": frozenset("\u2039\u203a"),  # › … ‹
    "\u300c": frozenset("\u300d"),  # 「 … 」
    "\u300e": frozenset("\u300f"),  # 『 … 』
    "'": frozenset("'"),
    "\u2018": frozenset("\u2019"),  # ‘ … ’
    "\u2019": frozenset("\u2019"),  # ’ … ’ (Swedish)
    "\u201a": frozenset("\u2018\u2019"),  # ‚ … ‘ (German)
    "`": frozenset("'"),  # ` … ' and `` … '' (tokenised text)
}
_APOSTROPHE_LIKE = frozenset("'\u2018\u2019\u201a")
# A single mark that starts a contraction or possessive in tokenised text ("she 's", "we 're").
_CLITIC = re.compile(r"(?:s|re|ll|ve|d|m|t)\b", re.I)
_ALL = frozenset(CLOSERS) | frozenset().union(*CLOSERS.values())
_MARK = re.compile("[" + re.escape("".join(sorted(_ALL))) + "]")


def _can_open(text: str, i: int) -> bool:
    if text[i] not in _APOSTROPHE_LIKE:
        return True
    return (i == 0 or not text[i - 1].isalnum()) and not _CLITIC.match(text, i + 1)


def _reopens(text: str, i: int) -> bool:
    """Whether the mark at ``i`` is a straight double mark shaped like an opening one."""
    return (
        text[i] == '"'
        and (i == 0 or text[i - 1].isspace())
        and i + 1 < len(text)
        and not text[i + 1].isspace()
        and text[i + 1] != '"'
    )


def _can_close(text: str, i: int) -> bool:
    return text[i] not in _APOSTROPHE_LIKE or i + 1 >= len(text) or not text[i + 1].isalnum()


def _open_at(text: str, start: int, end: int) -> int | None:
    """Where the quote open at ``end`` opened, scanning ``text[start:end]``; None if none is."""
    opened: int | None = None
    for m in _MARK.finditer(text, start, end):
        i, ch = m.start(), m.group()
        if opened is not None and text[opened] == '"' and _reopens(text, i):
            opened = i  # the open quote was never closed: this mark opens the next one
        elif opened is not None and ch in CLOSERS[text[opened]] and _can_close(text, i):
            opened = None
        elif opened is None and ch in CLOSERS and _can_open(text, i):
            opened = i
    return opened


def inside_quote_marks(text: str, span: Span) -> bool:
    """Whether ``span`` sits inside quotation marks within its paragraph.

    Args:
        text: The article.
        span: Half-open character offsets into ``text``.

    Returns:
        True when a quote is open where the span starts and a matching closing mark follows
        in the paragraph, or when a mark opens right before it (a quote that runs on into the
        next paragraph).
    """
    para_start = text.rfind("\n", 0, span.start) + 1
    para_end = text.find("\n", span.end)
    para_end = len(text) if para_end == -1 else para_end
    opened = _open_at(text, para_start, span.start)
    if opened is None:
        return False
    closers = CLOSERS[text[opened]]
    if any(m.group() in closers and _can_close(text, m.start()) for m in _MARK.finditer(text, span.end, para_end)):
        return True
    return not text[opened + 1 : span.start].strip(" \u00a0\u202f")


def quotations(text: str) -> list[Span]:
    """The passages of ``text`` inside quotation marks, the marks left out.

    A quote opens at a mark when none is open and closes at a mark that closes what opened
    it; a straight double mark written like an opening one ends an open straight quote and
    opens the next (see the module docstring). It runs on over a line break (tokenised text
    puts each sentence on a line of its own) but not over a blank line: a quote still open
    there ends at the paragraph's end (the convention for a quote that goes on into the next
    paragraph, which opens with a mark again), unless a single mark that doubles as an
    apostrophe opened it. Doubled marks (`` … '') count as one.

    Returns:
        The quoted passages as spans of ``text`` (half-open offsets, spaces around them left
        out), in text order; empty ones are left out.
    """
    out: list[Span] = []

    def add(start: int, end: int) -> None:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        chunk = chunk.strip()
        if chunk:
            out.append(Span(start + lead, start + lead + len(chunk), chunk))

    for para in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
        opened: int | None = None
        for m in _MARK.finditer(text, para.start(), para.end()):
            i, ch = m.start(), m.group()
            if opened is not None and i == opened + 1 and ch == text[opened]:
                opened = i  # a doubled opening mark
            elif opened is not None and text[opened] == '"' and _reopens(text, i):
                add(opened + 1, i)  # the open quote was never closed: it ends where the next opens
                opened = i
            elif opened is not None and ch in CLOSERS[text[opened]] and _can_close(text, i):
                add(opened + 1, i)
                opened = None
            elif opened is None and ch in CLOSERS and _can_open(text, i):
                opened = i
        if opened is not None and text[opened] not in _APOSTROPHE_LIKE:
            add(opened + 1, para.end())
    return out
