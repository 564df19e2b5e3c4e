"""One article prepared once for every check of its summary: :class:`PreparedArticle`. Pure.

Every view the verifier reads is built on first use and kept: the normalised copy the quote
aligner searches (:mod:`summarizer.core.verify.align`), with its map back to the original
offsets; the words, tokens, sentences, stems and n-grams the claim scorer reads
(:mod:`summarizer.core.verify.claims`); the quantities the number and date checks read. All
offsets are half-open character offsets into the original :attr:`PreparedArticle.text`.
"""

from __future__ import annotations

import bisect
import math
import re
from functools import cached_property
from itertools import pairwise

from summarizer.core.spans import Span, Token
from summarizer.core.verify.casing import writes_case
from summarizer.core.verify.normalise import normalise_with_map
from summarizer.core.verify.quantities import atoms, quantities
from summarizer.core.verify.text import STOPWORDS, sentences, stem, tokens, words

__all__ = ["PreparedArticle"]

# What comes just before a word that starts a sentence, a quotation or a line: the text's start
# or an end of sentence, a colon or a line break, then spaces, opening quotes or brackets.
_STARTS = re.compile(r"(?:^|[.!?:\n])[\s\"'“‘«„(\[]*$")


class PreparedArticle:
    """An article's text with every view the checks read, each built once, on first use.

    Build one per article text (not thread-safe while views are first built: give each
    thread its own, or build the views first). Holds nothing about any one summary: the
    occurrences a verification has already claimed are its own (see
    :func:`summarizer.core.verify.align.align`).
    """

    def __init__(self, text: str) -> None:
        """Prepare ``text`` (nothing is computed until a view is first read)."""
        self.text = text

    # -- the normalised copy and its offset map ------------------------------------------------
    @cached_property
    def _normalised(self) -> tuple[str, list[int], list[int]]:
        return normalise_with_map(self.text)

    @property
    def norm(self) -> str:
        """The text in matching form (:func:`summarizer.core.verify.normalise.normalise`, with
        the original's length kept wherever ASCII and single spaces are)."""
        return self._normalised[0]

    @cached_property
    def norm_without_spaces(self) -> str:
        """:attr:`norm` with every space removed (where spacing the model changed is searched)."""
        return self.norm.replace(" ", "")

    def to_original(self, norm_start: int, norm_end: int) -> Span:
        """The span of the original text that ``norm[norm_start:norm_end]`` stands for."""
        _, nb, ob = self._normalised

        def point(i: int) -> int:
            k = bisect.bisect_right(nb, i) - 1
            return min(ob[k] + (i - nb[k]), len(self.text))

        start = point(norm_start)
        k = bisect.bisect_left(nb, norm_end)
        if norm_end > norm_start and k < len(nb) and nb[k] == norm_end and k > 0:
            end = ob[k]  # ends where a replaced run ends: its end in the original
        else:
            end = point(norm_end - 1) + 1 if norm_end > norm_start else start
        return Span.of(self.text, start, max(start, end))

    # -- words ---------------------------------------------------------------------------------
    @cached_property
    def words(self) -> list[Token]:
        """The article's words with offsets (:func:`summarizer.core.verify.text.words`)."""
        return words(self.text)

    @cached_property
    def english(self) -> bool:
        """Whether the article reads as English: at least 20 % of the words in its first
        20,000 characters are English function words
        (:data:`~summarizer.core.verify.text.STOPWORDS`; the example and seed articles run at
        35-44 %, one news sentence each in German, French and Spanish at 0-10 %). The checks
        that a figure holds a number and a date a date know English words only, so they apply
        to English articles only."""
        ws = re.findall(r"\w+", self.text[:20000].lower())
        return bool(ws) and sum(w in STOPWORDS for w in ws) >= 0.2 * len(ws)

    @cached_property
    def word_set(self) -> frozenset[str]:
        """Every word as :func:`~summarizer.core.verify.text.words` reads them (hyphenated
        compounds come split: "jong-un" gives "jong", "un"): what a name's words are looked up in."""
        return frozenset(w for w, _, _ in self.words)

    @cached_property
    def tokens(self) -> list[str]:
        """The article's tokens in order (:func:`summarizer.core.verify.text.tokens`)."""
        return tokens(self.text)

    @cached_property
    def token_set(self) -> frozenset[str]:
        """Every token as :func:`~summarizer.core.verify.text.tokens` reads them: what the claim
        scorer looks words up in. It differs from :attr:`word_set` only where lower-casing
        or NFKC splits a word: "İstanbul" is one word here and there "i", "stanbul"."""
        return frozenset(self.tokens)

    @cached_property
    def sorted_tokens(self) -> list[str]:
        """:attr:`token_set` in order, for prefix search."""
        return sorted(self.token_set)

    def has_related(self, word: str) -> bool:
        """Whether the article has a word of the same family as ``word`` (lower case, five
        letters or more): one sharing its first five letters and three in five of them
        ("removal" and "remove", "devices" and "device").

        Returns:
            True when such a word is in the article.
        """
        if len(word) < 5:
            return False
        prefix = word[: max(5, math.ceil(0.6 * len(word)))]
        found = self.sorted_tokens
        i = bisect.bisect_left(found, prefix)
        return i < len(found) and found[i].startswith(prefix)

    @cached_property
    def writes_case(self) -> bool:
        """Whether the article uses capitals (:func:`summarizer.core.verify.casing.writes_case`)."""
        return writes_case(self.text)

    @cached_property
    def capitalised(self) -> frozenset[str]:
        """The article's words (letters, apostrophes, hyphens) that it writes with a capital first
        letter where no sentence, quotation or line starts, as written: "Tottenham", "Sky",
        "Port-au-Prince". A capital that only starts a sentence ("Children who eat ...") says
        nothing about a word being a name."""
        found = set()
        for m in re.finditer(r"[^\W\d_][\w'’-]*", self.text):
            if m.group()[0].isupper() and not _STARTS.search(self.text[max(0, m.start() - 12) : m.start()]):
                found.add(m.group())
        return frozenset(found)

    # -- sentences, stems, n-grams ---------------------------------------------------------------
    @cached_property
    def sentences(self) -> list[Span]:
        """The article's sentences in order (:func:`summarizer.core.verify.text.sentences`)."""
        return sentences(self.text)

    @cached_property
    def sentence_ends(self) -> list[int]:
        """Each sentence's end offset, in order (to bisect on)."""
        return [s.end for s in self.sentences]

    @cached_property
    def _stem_of(self) -> dict[str, str]:
        """Stem of each distinct content token, computed once per article."""
        return {w: stem(w) for w in self.token_set if w not in STOPWORDS}

    @cached_property
    def sentence_stems(self) -> list[frozenset[str]]:
        """Each sentence's content stems (no stopwords), in sentence order."""
        memo = self._stem_of
        return [frozenset([memo[w] for w in tokens(s.text) if w in memo]) for s in self.sentences]

    @cached_property
    def stems(self) -> frozenset[str]:
        """Every content stem of the article."""
        return frozenset(self._stem_of.values())

    @cached_property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        """Every pair of consecutive tokens."""
        return frozenset(pairwise(self.tokens))

    # -- quantities ------------------------------------------------------------------------------
    @cached_property
    def quantities(self) -> list[Token]:
        """Numbers, dates and times, in order (:func:`summarizer.core.verify.quantities.quantities`)."""
        return quantities(self.text)

    @cached_property
    def quantity_set(self) -> frozenset[str]:
        """Every quantity atom the article offers (:func:`summarizer.core.verify.quantities.atoms`)."""
        return atoms(self.quantities)
