"""Score how well an article supports a free-text claim, and say where.

Pure code. A claim is usually supported by one or two sentences, so the article is split into
sentences, the few that best cover the claim's content words are chosen greedily, and the
score is a fitted linear combination of these features, squashed into (0, 1):

- ``coverage``: share of the claim's content words (stemmed, stopwords out) in those sentences;
- ``bigram``: share of the claim's word bigrams found anywhere in the article (catches
  re-ordered or recombined wording);
- ``bigram_min``: the same for the claim's worst sentence (one invented sentence in a
  three-sentence summary is not diluted by two copied ones);
- ``repeat``: share of the claim's word trigrams that recur inside it (a summary stuck in a
  loop);
- ``completeness``: share of the article's content words that the claim carries. A one-line
  claim scores near zero on it whatever its truth; for whole summaries it rewards leaving
  less out (the Polytope labels count omissions as errors);
- ``missing_quantity``: 1 when a number, date or time of the claim is nowhere in the article.

Content words that appear nowhere in the article are listed in the reasons.

What this cannot see, and the benchmark report says so: a wrong relation between words that
are all in the article (who did what to whom, numbers swapped between entities, some
negations), and faithful but abstractive wording (XSum). Weights and the bias were fitted on
the tuning half of the SummaC files by ``bench/claims_tune.py`` and are the same for every
kind of text.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from itertools import pairwise

from summarizer.core.spans import Span
from summarizer.core.verify.casing import title_case_lines
from summarizer.core.verify.prepared import PreparedArticle
from summarizer.core.verify.quantities import atoms, holds
from summarizer.core.verify.text import DATE_WORDS, STOPWORDS, quantities, sentences, stem, tokens, words

__all__ = [
    "BIAS",
    "SUPPORT_THRESHOLD",
    "WEIGHTS",
    "ClaimScore",
    "Support",
    "claim_features",
    "linear_score",
    "score_claim",
    "support",
]

# Fitted on the tuning half (even sha256 digests) by bench/claims_tune.py: weights by
# coordinate ascent on the mean ROC AUC over the four SummaC subsets, then the bias at the best
# mean balanced accuracy. Same values for every kind of text.
WEIGHTS: dict[str, float] = {
    "bigram": 1.0,
    "coverage": 2.0,
    "bigram_min": 5.0,
    "repeat": -9.75,
    "completeness": 4.0,
    "missing_quantity": -1.0,
}
BIAS = 7.63  # the linear score at which a claim counts as supported
SCALE = 2.0  # steepness of the squash; changes no ranking and no decision
SUPPORT_THRESHOLD = 0.5  # score >= this <=> linear score >= BIAS
MAX_SENTENCES = 3


@dataclass(slots=True)
class ClaimScore:
    """A claim scored against an article: ``score`` in (0, 1), ``supported`` when it is at
    least :data:`SUPPORT_THRESHOLD`, ``spans`` the best supporting sentences (spans of the
    article, at most :data:`MAX_SENTENCES`), ``reasons`` in words, and the ``features``
    :func:`claim_features` gave."""

    score: float
    supported: bool
    spans: list[Span]
    reasons: list[str] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)


def _best_sentences(article: PreparedArticle, wanted: set[str], pool: list[int] | None = None) -> list[int]:
    """Greedy cover of ``wanted`` stems by at most MAX_SENTENCES sentences (from ``pool``)."""
    chosen: list[int] = []
    left = set(wanted)
    candidates = range(len(article.sentences)) if pool is None else pool
    for _ in range(MAX_SENTENCES):
        best, gain = -1, 0
        for i in candidates:
            st = article.sentence_stems[i]
            g = len(left & st)
            if g > gain:
                best, gain = i, g
        if best < 0:
            break
        chosen.append(best)
        left -= article.sentence_stems[best]
        if not left:
            break
    return sorted(chosen)


@dataclass(slots=True)
class Support:
    """What a claim keeps when paraphrased, checked against (part of) an article."""

    coverage: float  # share of the claim's content words in its best sentences
    novel: list[str]  # content words (stems) found nowhere in the article
    novel_frac: float
    missing_quantities: list[str]  # the claim's own text of numbers/dates not found
    missing_names: list[str]  # capitalised words of the claim found nowhere in the article
    chosen: list[int]  # indexes of the best sentences
    content: set[str]
    claim_words: list[str]

    def spans(self, article: PreparedArticle) -> list[Span]:
        """The chosen sentences, in article order."""
        return [article.sentences[i] for i in self.chosen]

    def reasons(self) -> list[str]:
        """Why the claim may be unsupported, one phrase per problem (up to six novel words shown); empty when none."""
        out = []
        if self.novel:
            out.append("words not in the article: " + ", ".join(self.novel[:6]))
        if self.missing_quantities:
            out.append("numbers or dates not in the article: " + ", ".join(self.missing_quantities))
        if self.missing_names:
            out.append("names not in the article: " + ", ".join(self.missing_names))
        return out


def support(article: PreparedArticle, claim: str, within: list[Span] | None = None) -> Support:
    """Content words, numbers and dates of ``claim`` found in ``article``.

    Args:
        article: The prepared article.
        claim: The claim's text.
        within: Restricts the supporting sentences, and the quantities looked for, to those
            overlapping these spans (a claim's own evidence); novel words are still judged
            against the whole article. ``None``: the whole article.

    Returns:
        The support: coverage in [0, 1] of the claim's content words by its best sentences
        (1.0 for a claim without content words), its novel words and their share, and the
        quantities and names the article lacks.
    """
    pool = None
    if within is not None:  # sentences overlapping any span, found by bisecting on their ends
        found: set[int] = set()
        for w in within:
            i = bisect.bisect_right(article.sentence_ends, w.start)
            while i < len(article.sentences) and article.sentences[i].start < w.end:
                found.add(i)
                i += 1
        pool = sorted(found)
    claim_words = tokens(claim)
    content = {stem(w) for w in claim_words if w not in STOPWORDS and not w.isdigit()}
    chosen = _best_sentences(article, content, pool)
    backing = set().union(*(article.sentence_stems[i] for i in chosen)) if chosen else set()
    coverage = len(content & backing) / len(content) if content else 1.0
    novel = sorted(content - article.stems)
    if pool is None:
        available = article.quantity_set
    else:
        pooled = [article.sentences[i] for i in pool]
        available = atoms(t for t in article.quantities if any(s.start <= t.start < s.end for s in pooled))
    missing = sorted({claim[s:e] for q, s, e in quantities(claim) if not holds(q, available)})
    names = [
        (w, s)
        for i, (w, s, _) in enumerate(words(claim))
        if claim[s].isupper()
        and i > 0
        and claim[max(0, s - 2) : s].strip() not in (".", "!", "?")
        and w not in STOPWORDS
        and w not in DATE_WORDS  # a month or weekday is checked as a date
    ]
    # A capitalised word is a missing name only when the article has no form of it at all: one
    # whose stem the article uses is either a name it writes or, in a Title Case headline, an
    # ordinary word ("Dump" for "dumped", "Visits" for "visit"). In a Title Case line a word
    # of the same family is enough ("Removal" for "remove"); an invented name has no form.
    titled = title_case_lines(claim) if names else []
    missing_names = sorted(
        {
            w
            for w, s in names
            if w not in article.token_set
            and stem(w) not in article.stems
            and not (any(t.start <= s < t.end for t in titled) and article.has_related(w))
        }
    )
    return Support(
        coverage,
        novel,
        len(novel) / len(content) if content else 0.0,
        missing,
        missing_names,
        chosen,
        content,
        claim_words,
    )


def _pair_share(words_: list[str], pairs: frozenset[tuple[str, str]]) -> float | None:
    grams = list(pairwise(words_))
    return sum(g in pairs for g in grams) / len(grams) if grams else None


def claim_features(article: PreparedArticle, claim: str, sup: Support | None = None) -> dict[str, float]:
    """The features :func:`score_claim` combines (also what ``bench/claims_tune.py`` fits)."""
    sup = sup or support(article, claim)
    claim_words = sup.claim_words
    bigram = _pair_share(claim_words, article.bigrams)
    bigram = sup.coverage if bigram is None else bigram
    per_sentence = [_pair_share(tokens(s.text), article.bigrams) for s in sentences(claim)]
    shares = [x for x in per_sentence if x is not None]
    trigrams = list(zip(claim_words, claim_words[1:], claim_words[2:], strict=False))
    return {
        "bigram": bigram,
        "coverage": sup.coverage,
        "bigram_min": min(shares) if shares else bigram,
        "repeat": 1 - len(set(trigrams)) / len(trigrams) if trigrams else 0.0,
        "completeness": len(sup.content & article.stems) / len(article.stems) if article.stems else 0.0,
        "missing_quantity": 1.0 if sup.missing_quantities else 0.0,
    }


def linear_score(features: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """The weighted sum of a claim's features (:func:`claim_features`), before the squash.

    Args:
        features: The feature values, by name.
        weights: The weight of each feature used; default :data:`WEIGHTS`.

    Returns:
        The sum; a claim with a sum of at least :data:`BIAS` counts as supported.
    """
    w = WEIGHTS if weights is None else weights
    return sum(w[k] * features[k] for k in w)


def score_claim(document: str | PreparedArticle, claim: str) -> ClaimScore:
    """Score ``claim`` against ``document``: the fitted combination ``check-claims`` reports and the benchmark measures.

    The weights and bias were fitted by ``bench/claims_tune.py`` (see :data:`WEIGHTS`).

    Args:
        document: The article's text, or its prepared form.
        claim: The claim's text.

    Returns:
        The score in [0, 1], to 6 places (higher is better supported; 0.0 for a claim without words),
        whether it is at least :data:`SUPPORT_THRESHOLD`, the spans of its best sentences
        (half-open character offsets into the text), the reasons, and the features.
    """
    article = document if isinstance(document, PreparedArticle) else PreparedArticle(document)
    sup = support(article, claim)
    if not sup.claim_words:
        return ClaimScore(0.0, False, [], ["claim has no words"])
    features = claim_features(article, claim, sup)
    z = SCALE * (linear_score(features) - BIAS)
    score = 1 / (1 + math.exp(-z)) if z > -60 else 0.0
    supported = score >= SUPPORT_THRESHOLD
    reasons = sup.reasons()
    if features["repeat"] > 0:
        reasons.append(f"the claim repeats itself ({features['repeat']:.0%} of its word trigrams recur)")
    if not supported and not reasons:
        reasons.append(
            f"{sup.coverage:.0%} of the claim's content words are in its best sentences, "
            f"but only {features['bigram']:.0%} of its word pairs appear in the article"
            + (
                f" ({features['bigram_min']:.0%} in its weakest sentence)"
                if features["bigram_min"] < features["bigram"]
                else ""
            )
        )
    return ClaimScore(round(score, 6), supported, sup.spans(article), reasons, features)
