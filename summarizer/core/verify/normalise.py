"""The matching form of a text: NFKC, casefold, ASCII quotes and dashes, single spaces. Pure.

Quotes are compared with the article in this form. The article's normalised copy keeps a
piecewise map back to the original: it changes length only at non-ASCII characters and at
runs of whitespace, so the map has one breakpoint per such place and a lookup is a bisect
(see :meth:`summarizer.core.verify.prepared.PreparedArticle.to_original`). In a text not in
NFC (accents written as combining marks), a letter and the marks after it are normalised
together, so "e" plus U+0301 matches "é".
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise", "normalise_with_map"]

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2039": "'",
        "\u203a": "'",
        "\u300c": '"',
        "\u300d": '"',
        "\u300e": '"',
        "\u300f": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPECIAL = re.compile(r"[^\x00-\x7f]|\s{2,}|[\t\n\r\f\v]")
# Not in NFC: a printable character with the non-ASCII characters after it, as one unit.
_SPECIAL_DECOMPOSED = re.compile(r"[!-~]?[^\x00-\x7f]+|\s{2,}|[\t\n\r\f\v]")


def _norm_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch.translate(_TRANSLATE)).casefold()
    return out.translate(_TRANSLATE)


def normalise(text: str) -> str:
    """The matching form of ``text`` (no offset map): what quotes are compared in. NFC, lower
    case, NFKC and casefold on non-ASCII characters, typographic quotes and dashes as ASCII,
    whitespace runs as one space, no space at either end.

    Returns:
        The normalised text (may be shorter or longer than ``text``).
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(_norm_char(c) if not c.isascii() else c for c in text.lower().split())


def normalise_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """The matching form of ``text`` that keeps its length wherever it can, and the map back:
    ``(normalised, norm_breaks, orig_breaks)``, the breakpoints in ascending order.

    Between breakpoints the two strings advance in lockstep, so norm offset ``i`` maps to
    ``orig_breaks[k] + (i - norm_breaks[k])`` with ``k`` the last breakpoint <= ``i``.

    Returns:
        ``(normalised, norm_breaks, orig_breaks)``: the text and two equally long lists of
        character offsets.
    """
    parts: list[str] = []
    norm_breaks = [0]
    orig_breaks = [0]
    n = 0
    pos = 0
    special = _SPECIAL if text.isascii() or unicodedata.is_normalized("NFC", text) else _SPECIAL_DECOMPOSED
    for m in special.finditer(text):
        chunk = text[pos : m.start()].lower()
        parts.append(chunk)
        n += len(chunk)
        seg = m.group()
        rep = " " if seg.isspace() else _norm_char(seg)
        parts.append(rep)
        n += len(rep)
        pos = m.end()
        if len(rep) != len(seg):
            norm_breaks.append(n)
            orig_breaks.append(pos)
    tail = text[pos:].lower()
    parts.append(tail)
    return "".join(parts), norm_breaks, orig_breaks
