"""Locate evidence quotes in the original article text.

Pure code. Offsets are half-open and always index the *original* text, so
``text[span.start:span.end]`` is the evidence as printed. Matching goes
exact -> normalised (NFKC, casefold, Unicode quotes and dashes, whitespace: see
:mod:`summarizer.core.verify.normalise`) -> fuzzy, against a
:class:`~summarizer.core.verify.prepared.PreparedArticle`, which keeps the normalised copy
and its map back to the original offsets; an end offset at a breakpoint of that map maps to
the end of the original characters it replaced.

Fuzzy search anchors on the quote's rarest words, found with ``str.find``, slides a window
over their hits (linear in the number of hits) and scores only the few best regions with
rapidfuzz, so a 50,000-word article costs milliseconds, not minutes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

from summarizer.core.spans import Span
from summarizer.core.verify.normalise import normalise
from summarizer.core.verify.prepared import PreparedArticle

__all__ = ["AlignStatus", "Alignment", "align", "align_all", "fuzzy", "occurrences"]

FUZZY_MIN_SCORE = 0.85
"""Below this rapidfuzz similarity a near-match is reported as not found."""
ANCHORS = 5
"""How many of a quote's rarest words locate candidate regions for fuzzy matching."""

_WORD = re.compile(r"\w+")
_STRIP = " \t\r\n\"'.,;:…“”‘’«»„‚‹›「」『』"


class AlignStatus(StrEnum):
    """How a quote was found: verbatim, in matching form, as a near match, or not at all."""

    EXACT = "exact"
    NORMALISED = "normalised"
    FUZZY = "fuzzy"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class Alignment:
    """Where a quote is in the article: ``span`` (None when not found) and ``score``, the
    similarity in [0, 1] (1.0 for exact and normalised matches; for a fuzzy match or a
    miss, the best region's rapidfuzz score)."""

    quote: str
    status: AlignStatus
    span: Span | None = None
    score: float = 0.0

    @property
    def found(self) -> bool:
        """Whether the quote was located (exactly, normalised or fuzzily)."""
        return self.span is not None


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


def occurrences(article: PreparedArticle, quote: str) -> list[Span]:
    """Every whole-word occurrence of ``quote`` in the article's normalised text.

    Case, Unicode form, quote marks and spacing are ignored.

    Returns:
        Spans of the original text (half-open character offsets), in text order; none for a
        quote shorter than two characters once stripped.
    """
    nq = normalise(quote.strip(_STRIP))
    if len(nq) < 2:
        return []
    return [article.to_original(s, s + len(nq)) for s in _occurrences(article.norm, nq)]


def align(article: PreparedArticle, quote: str, taken: set[Span] | None = None) -> Alignment:
    """Locate ``quote`` in ``article``: exact, then normalised (also with any spacing between
    its characters), then fuzzy (similarity at least :data:`FUZZY_MIN_SCORE`). Occurrences in
    ``taken`` are skipped while others remain, so repeated mentions land on distinct
    occurrences in the order they are asked; the span found is added to ``taken``.

    Args:
        article: The prepared article.
        quote: The quoted words, as the model gave them.
        taken: Occurrences already claimed in this verification; default a fresh set.

    Returns:
        The alignment: its status, its span in the original text (half-open character
        offsets; ``None`` when not found) and its score in [0, 1] (1.0 for exact and
        normalised matches, the similarity otherwise; ``NOT_FOUND`` for a quote shorter
        than two characters once stripped).
    """
    taken = taken if taken is not None else set()
    q = quote.strip(_STRIP)
    if len(q) < 2:
        return Alignment(quote, AlignStatus.NOT_FOUND)

    def pick(spans: list[Span]) -> Span | None:
        if not spans:
            return None
        free = [s for s in spans if s not in taken]
        return (free or spans)[0]

    exact = pick([Span.of(article.text, s, s + len(q)) for s in _occurrences(article.text, q)])
    if exact is not None:
        taken.add(exact)
        return Alignment(quote, AlignStatus.EXACT, exact, 1.0)
    nq = normalise(q)
    starts = _occurrences(article.norm, nq)
    norm = pick([article.to_original(s, s + len(nq)) for s in starts])
    if norm is not None:
        taken.add(norm)
        return Alignment(quote, AlignStatus.NORMALISED, norm, 1.0)
    compact = _compact_find(article, nq, taken)
    if compact is not None:
        taken.add(compact)
        return Alignment(quote, AlignStatus.NORMALISED, compact, 1.0)
    near = fuzzy(article, nq)
    if near is not None and near.score >= FUZZY_MIN_SCORE:
        assert near.span is not None
        taken.add(near.span)
        return Alignment(quote, AlignStatus.FUZZY, near.span, near.score)
    return Alignment(quote, AlignStatus.NOT_FOUND, None, near.score if near else 0.0)


def align_all(article: PreparedArticle, quotes: list[str]) -> list[Alignment]:
    """Every quote located in order, each on an occurrence the ones before it did not take."""
    taken: set[Span] = set()
    return [align(article, q, taken) for q in quotes]


def _compact_find(article: PreparedArticle, nq: str, taken: set[Span]) -> Span | None:
    """The quote with any spacing between its characters: catches "U. S." for "U.S." and
    other spacing the model changed. Searched in the normalised text without spaces; a
    hit (rare) is located in the normalised text by a pattern that allows a space after
    every character, so offsets map back exactly.

    Returns:
        The first occurrence not in ``taken`` (else the first), as a span of the original
        text; ``None`` when absent or when the quote has fewer than 8 characters without
        spaces (too short to be safe).
    """
    needle = nq.replace(" ", "")
    if len(needle) < 8 or needle not in article.norm_without_spaces:  # too short to be safe, or absent
        return None
    pattern = re.compile(" ?".join(map(re.escape, needle)))
    spans = [article.to_original(m.start(), m.end()) for m in pattern.finditer(article.norm)]
    free = [s for s in spans if s not in taken]
    return free[0] if free else (spans[0] if spans else None)


def fuzzy(article: PreparedArticle, nq: str, candidates: int = 3) -> Alignment | None:
    """Best near-verbatim region for the normalised quote ``nq``, or None.

    The quote's rarest words (by occurrence count: a word like "the" in a long article
    must not make the scan quadratic) are found with ``str.find``; a window of 1.5x the
    quote's length in characters slides over those hits counting distinct quote words,
    and only the best ``candidates`` windows are scored with rapidfuzz's partial alignment
    (score in [0, 1]). No per-article index is built: the cost is a few C-speed scans per
    fuzzy quote.

    Args:
        article: The prepared article.
        nq: The quote, normalised (:func:`~summarizer.core.verify.normalise.normalise`).
        candidates: How many of the best windows are scored.

    Returns:
        The best window as a ``FUZZY`` alignment with its score in [0, 1] (the caller
        compares it with :data:`FUZZY_MIN_SCORE`); ``None`` when no word of the quote is in
        the article or no window holds most of its rarest words.
    """
    norm = article.norm
    qwords = _WORD.findall(nq)
    if not qwords:
        return None
    wanted = Counter(qwords)
    counts = {w: norm.count(w) for w in wanted}
    by_rarity = sorted((w for w in wanted if counts[w]), key=counts.__getitem__)
    anchors = by_rarity[:ANCHORS]
    hits = sorted((pos, w) for w in anchors for pos in _occurrences(norm, w))
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
        region_end = min(len(norm), last + len(nq))
        res = fuzz.partial_ratio_alignment(nq, norm[region_start:region_end])
        if res is None:
            continue
        score = res.score / 100.0
        if best is None or score > best.score:
            s = region_start + res.dest_start
            e = region_start + res.dest_end
            while 0 < s < e and norm[s - 1].isalnum() and norm[s].isalnum():
                s += 1  # started inside a word: move to the next word
            while e < len(norm) and norm[e - 1].isalnum() and norm[e].isalnum():
                e += 1  # ended inside a word: finish it
            while s < e and not norm[s].isalnum():
                s += 1
            while e > s and not norm[e - 1].isalnum():
                e -= 1
            best = Alignment(nq, AlignStatus.FUZZY, article.to_original(s, e), score)
            if score >= 0.95:
                break
    return best
