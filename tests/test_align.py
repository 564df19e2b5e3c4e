"""Alignment of evidence quotes, on real sentences read at test time from the seed articles."""

from __future__ import annotations

import pytest

from summarizer.core.spans import Span
from summarizer.core.verify.align import AlignStatus, align, align_all
from summarizer.core.verify.normalise import normalise
from summarizer.core.verify.prepared import PreparedArticle
from tests.conftest import SEEDS

XINHUA = SEEDS[0].read_text(encoding="utf-8")
VNEXPRESS = SEEDS[1].read_text(encoding="utf-8")


def sentence_with(text: str, needle: str) -> str:
    """The sentence that starts with ``needle``, without its final full stop (alignment
    leaves surrounding punctuation out of the span)."""
    start = text.index(needle)
    end = text.index(".\n", start)
    return text[start:end]


def test_exact_offsets_index_the_original_text() -> None:
    quote = sentence_with(XINHUA, "Kim and Trump shook hands")
    a = align(PreparedArticle(XINHUA), quote)
    assert a.status is AlignStatus.EXACT
    assert a.span is not None and XINHUA[a.span.start : a.span.end] == quote


@pytest.mark.parametrize(
    "transform",
    [
        str.upper,
        lambda s: s.replace(" ", "   "),
        lambda s: s.replace(" ", "\n", 2),
        lambda s: s.replace("U.S.", "U. S."),  # small models re-space abbreviations
    ],
)
def test_normalised_matches_map_back_to_the_printed_evidence(transform) -> None:
    quote = sentence_with(XINHUA, "Trump was joined at the dinner by U.S.")
    a = align(PreparedArticle(XINHUA), transform(quote))
    assert a.status is AlignStatus.NORMALISED
    assert a.span is not None and XINHUA[a.span.start : a.span.end] == quote


def test_curly_quotes_in_the_article_match_straight_quotes_in_the_evidence() -> None:
    curly = next(line for line in VNEXPRESS.splitlines() if "\u2019" in line)
    straight = curly.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    a = align(PreparedArticle(VNEXPRESS), straight)
    assert a.status is AlignStatus.NORMALISED
    assert a.span is not None and "\u2019" in VNEXPRESS[a.span.start : a.span.end]


def test_non_ascii_text_before_the_match_keeps_offsets_right() -> None:
    text = "Café “Ŝtar” ﬁnal — opened. The mayor spoke at the harbour."
    a = align(PreparedArticle(text), "the MAYOR spoke")
    assert a.span is not None and text[a.span.start : a.span.end] == "The mayor spoke"


def test_paraphrase_is_fuzzy_with_a_score_and_an_absent_quote_is_not_found() -> None:
    prepared = PreparedArticle(XINHUA)
    fuzzy = align(prepared, "Kim and Trump shook hands and smiled during their first encounter")
    assert fuzzy.status is AlignStatus.FUZZY and 0.85 <= fuzzy.score < 1
    assert fuzzy.span is not None and XINHUA[fuzzy.span.start : fuzzy.span.end].startswith("Kim and Trump")
    missing = align(prepared, "The summit ended with a signed peace treaty")
    assert missing.status is AlignStatus.NOT_FOUND and missing.span is None


def test_repeated_mentions_land_on_distinct_occurrences_in_order() -> None:
    prepared = PreparedArticle(XINHUA)
    spans = [a.span for a in align_all(prepared, ["in Hanoi", "in Hanoi", "in Hanoi"])]
    assert len(set(spans)) == 3
    assert spans == sorted(spans)  # type: ignore[type-var]


def test_whole_words_only() -> None:
    assert align(PreparedArticle("the theatre"), "he").status is AlignStatus.NOT_FOUND


def test_a_span_rejects_inverted_offsets() -> None:
    with pytest.raises(ValueError):
        Span(5, 2, "")
    with pytest.raises(ValueError):
        Span.of("the text", -1, 2)


def test_normalise_is_idempotent() -> None:
    s = "  “Equal  or GREATER” — Trump’s words\n"
    assert normalise(normalise(s)) == normalise(s) == '"equal or greater" - trump\'s words'
