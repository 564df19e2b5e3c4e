"""Locate evidence quotes in the original article text.

Pure code. Offsets are half-open and always index the *original* text, so
``text[span.start:span.end]`` is the evidence as printed. Matching goes
exact -> normalised (NFKC, casefold, Unicode quotes and dashes, whitespace) -> fuzzy.

The normalised copy of the article keeps a piecewise map back to the original: it changes
length only at non-ASCII characters and at runs of whitespace, so the map has one breakpoint
per such place and a lookup is a bisect. In a text not in NFC (accents written as combining
marks), a letter and the marks after it are normalised together, so "e" plus U+0301 matches
"é"; an end offset at a breakpoint maps to the end of the original characters it replaced.
Fuzzy search anchors on the quote's rarest words, found with ``str.find``, slides a window
over their hits (linear in the number of hits) and scores only the few best regions with
rapidfuzz, so a 50,000-word article costs milliseconds, not minutes.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from rapidfuzz import fuzz

from summarizer.core.spans import Span, Token
from summarizer.core.verify.casing import writes_case
from summarizer.core.verify.text import quantities, words

__all__ = ["AlignStatus", "Aligner", "Alignment", "normalise"]

FUZZY_MIN_SCORE = 0.85
"""Below this rapidfuzz similarity a near-match is reported as not found."""
ANCHORS = 5
"""How many of a quote's rarest words locate candidate regions for fuzzy matching."""

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
_WORD = re.compile(r"\w+")
_STRIP = " \t\r\n\"'.,;:…“”‘’«»„‚‹›「」『』"


class AlignStatus(StrEnum):
    EXACT = "exact"
    NORMALISED = "normalised"
    FUZZY = "fuzzy"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class Alignment:
    quote: str
    status: AlignStatus
    span: Span | None = None
    score: float = 0.0

    @property
    def found(self) -> bool:
        return self.span is not None


def _norm_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch.translate(_TRANSLATE)).casefold()
    return out.translate(_TRANSLATE)


def normalise(text: str) -> str:
    """The matching form of ``text`` (no offset map): what quotes are compared in."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(_norm_char(c) if not c.isascii() else c for c in text.lower().split())


def _normalise_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """Return (normalised, norm_breaks, orig_breaks).

    Between breakpoints the two strings advance in lockstep, so norm offset ``i`` maps to
    ``orig_breaks[k] + (i - norm_breaks[k])`` with ``k`` the last breakpoint <= ``i``.
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


class Aligner:
    """Aligns quotes against one article. Build once per article, align many quotes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm, self._nb, self._ob = _normalise_with_map(text)

    # -- offsets -------------------------------------------------------------------------
    def to_original(self, norm_start: int, norm_end: int) -> Span:
        def point(i: int) -> int:
            k = bisect.bisect_right(self._nb, i) - 1
            return min(self._ob[k] + (i - self._nb[k]), len(self.text))

        start = point(norm_start)
        k = bisect.bisect_left(self._nb, norm_end)
        if norm_end > norm_start and k < len(self._nb) and self._nb[k] == norm_end and k > 0:
            end = self._ob[k]  # ends where a replaced run ends: its end in the original
        else:
            end = point(norm_end - 1) + 1 if norm_end > norm_start else start
        return Span.of(self.text, start, max(start, end))

    # -- exact and normalised --------------------------------------------------------------
    @staticmethod
    def _occurrences(haystack: str, needle: str) -> list[int]:
        """Starts of whole-word occurrences of ``needle`` in ``haystack``."""
        out = []
        check_start, check_end = needle[:1].isalnum(), needle[-1:].isalnum()
        i = haystack.find(needle)
        while i != -1:
            j = i + len(needle)
            if not (check_start and i > 0 and haystack[i - 1].isalnum()) and not (
                check_end and j < len(haystack) and haystack[j].isalnum()
            ):
                out.append(i)
            i = haystack.find(needle, i + 1)
        return out

    # -- lexical views of the article, built on first use ------------------------------------
    @cached_property
    def words(self) -> list[Token]:
        """The article's words with offsets (see :func:`summarizer.core.verify.text.words`)."""
        return words(self.text)

    @cached_property
    def word_set(self) -> frozenset[str]:
        """Every word, hyphenated compounds also split ("jong-un" gives "jong", "un")."""
        return frozenset(w for w, _, _ in words(self.text.replace("-", " ")))

    @cached_property
    def quantities(self) -> list[Token]:
        return quantities(self.text)

    @cached_property
    def writes_case(self) -> bool:
        """Whether the article uses capitals (see :func:`summarizer.core.verify.casing.writes_case`)."""
        return writes_case(self.text)

    def occurrences(self, quote: str) -> list[Span]:
        """Every whole-word occurrence of ``quote`` in the normalised text (case, Unicode
        form, quote marks and spacing ignored), as spans of the original text, in order."""
        nq = normalise(quote.strip(_STRIP))
        if len(nq) < 2:
            return []
        return [self.to_original(s, s + len(nq)) for s in self._occurrences(self.norm, nq)]

    def align(self, quote: str, taken: set[Span] | None = None) -> Alignment:
        """Locate ``quote``. Occurrences in ``taken`` are skipped while others remain,
        so repeated mentions land on distinct occurrences in the order they are asked."""
        taken = taken if taken is not None else set()
        q = quote.strip(_STRIP)
        if len(q) < 2:
            return Alignment(quote, AlignStatus.NOT_FOUND)

        def pick(spans: list[Span]) -> Span | None:
            if not spans:
                return None
            free = [s for s in spans if s not in taken]
            return (free or spans)[0]

        exact = pick([Span.of(self.text, s, s + len(q)) for s in self._occurrences(self.text, q)])
        if exact is not None:
            taken.add(exact)
            return Alignment(quote, AlignStatus.EXACT, exact, 1.0)
        nq = normalise(q)
        starts = self._occurrences(self.norm, nq)
        norm = pick([self.to_original(s, s + len(nq)) for s in starts])
        if norm is not None:
            taken.add(norm)
            return Alignment(quote, AlignStatus.NORMALISED, norm, 1.0)
        compact = self._compact_find(nq, taken)
        if compact is not None:
            taken.add(compact)
            return Alignment(quote, AlignStatus.NORMALISED, compact, 1.0)
        fuzzy = self.fuzzy(nq)
        if fuzzy is not None and fuzzy.score >= FUZZY_MIN_SCORE:
            assert fuzzy.span is not None
            taken.add(fuzzy.span)
            return Alignment(quote, AlignStatus.FUZZY, fuzzy.span, fuzzy.score)
        return Alignment(quote, AlignStatus.NOT_FOUND, None, fuzzy.score if fuzzy else 0.0)

    @cached_property
    def _nospace(self) -> str:
        return self.norm.replace(" ", "")

    def _compact_find(self, nq: str, taken: set[Span]) -> Span | None:
        """The quote with any spacing between its characters: catches "U. S." for "U.S." and
        other spacing the model changed. Searched in the normalised text without spaces; a
        hit (rare) is located in the normalised text by a pattern that allows a space after
        every character, so offsets map back exactly."""
        needle = nq.replace(" ", "")
        if len(needle) < 8 or needle not in self._nospace:  # too short to be safe, or absent
            return None
        pattern = re.compile(" ?".join(map(re.escape, needle)))
        spans = [self.to_original(m.start(), m.end()) for m in pattern.finditer(self.norm)]
        free = [s for s in spans if s not in taken]
        return free[0] if free else (spans[0] if spans else None)

    def _word_hits(self, word: str) -> list[int]:
        """Start offsets of whole-word occurrences of ``word`` in the normalised text."""
        return self._occurrences(self.norm, word)

    def fuzzy(self, nq: str, candidates: int = 3) -> Alignment | None:
        """Best near-verbatim region for the normalised quote ``nq``, or None.

        The quote's rarest words (by occurrence count: a word like "the" in a long article
        must not make the scan quadratic) are found with ``str.find``; a window of 1.5x the
        quote's length in characters slides over those hits counting distinct quote words,
        and only the best few windows are scored with rapidfuzz's partial alignment. No
        per-article index is built: the cost is a few C-speed scans per fuzzy quote.
        """
        qwords = _WORD.findall(nq)
        if not qwords:
            return None
        wanted = Counter(qwords)
        counts = {w: self.norm.count(w) for w in wanted}
        by_rarity = sorted((w for w in wanted if counts[w]), key=counts.__getitem__)
        anchors = by_rarity[:ANCHORS]
        hits = sorted((pos, w) for w in anchors for pos in self._word_hits(w))
        if not hits:
            return None
        width = max(len(nq) * 3 // 2, len(nq) + 20)
        window: Counter[str] = Counter()
        scored: list[tuple[int, int, int]] = []  # (matched, first hit, last hit)
        matched = 0  # sum over words of min(count in window, count in quote)
        lo = 0
        for pos, w in hits:
            if window[w] < wanted[w]:
                matched += 1
            window[w] += 1
            while pos - hits[lo][0] >= width:
                old = hits[lo][1]
                window[old] -= 1
                if window[old] < wanted[old]:
                    matched -= 1
                lo += 1
            scored.append((matched, hits[lo][0], pos))
        scored.sort(key=lambda t: (-t[0], t[1]))
        best: Alignment | None = None
        seen: set[int] = set()
        enough = max(1, round(0.6 * len(anchors)))  # most of the rare words, or it is no quote
        for matched_words, first, last in scored:
            if len(seen) >= candidates or matched_words < enough:
                break
            if first in seen:
                continue
            seen.add(first)
            region_start = max(0, first - len(nq))
            region_end = min(len(self.norm), last + len(nq))
            res = fuzz.partial_ratio_alignment(nq, self.norm[region_start:region_end])
            if res is None:
                continue
            score = res.score / 100.0
            if best is None or score > best.score:
                s = region_start + res.dest_start
                e = region_start + res.dest_end
                while 0 < s < e and self.norm[s - 1].isalnum() and self.norm[s].isalnum():
                    s += 1  # started inside a word: move to the next word
                while e < len(self.norm) and self.norm[e - 1].isalnum() and self.norm[e].isalnum():
                    e += 1  # ended inside a word: finish it
                while s < e and not self.norm[s].isalnum():
                    s += 1
                while e > s and not self.norm[e - 1].isalnum():
                    e -= 1
                best = Alignment(nq, AlignStatus.FUZZY, self.to_original(s, e), score)
                if score >= 0.95:
                    break
        return best

    def align_all(self, quotes: list[str]) -> list[Alignment]:
        taken: set[Span] = set()
        return [self.align(q, taken) for q in quotes]
