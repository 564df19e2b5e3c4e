"""A Title Case headline is judged like the same words in sentence case; an invented name in
one is still flagged. Headlines are built at test time from sentences of the shared seed
articles (their text is read by path, never copied)."""

from __future__ import annotations

import re

import pytest

from summarizer.core.verify.checks import check_claim
from summarizer.core.verify.claims import support
from summarizer.core.verify.prepared import PreparedArticle
from summarizer.kinds import Status
from tests.conftest import SEEDS

SMALL = frozenset("a an and at for in of on or the to with by from".split())


def title_case(text: str) -> str:
    words = text.split()
    return " ".join(w if i and w.lower() in SMALL else w[:1].upper() + w[1:] for i, w in enumerate(words))


def headline_from(text: str, needle: str, n: int = 9) -> str:
    sentence = next(s for s in re.split(r"(?<=[.!?])\s+", text) if needle in s)
    words = sentence.split()
    start = next(i for i, w in enumerate(words) if needle.split()[0] in w)
    return " ".join(words[start : start + n]).rstrip(".,;")


@pytest.mark.parametrize(
    ("seed", "needle"), [(0, "met Wednesday"), (1, "were the picture"), (1, "shook hands"), (0, "second summit")]
)
def test_title_case_reads_like_sentence_case(seed: int, needle: str) -> None:
    text = SEEDS[seed].read_text(encoding="utf-8")
    doc = PreparedArticle(text)
    plain = headline_from(text, needle)
    titled = title_case(plain)
    assert titled != plain
    assert support(doc, titled).missing_names == []
    assert check_claim(doc, titled, []).status is check_claim(doc, plain, []).status is Status.SUPPORTED


def test_an_inflected_verb_in_title_case_is_not_a_name() -> None:
    text = SEEDS[1].read_text(encoding="utf-8")
    doc = PreparedArticle(text)
    assert "posed for pictures" in text
    assert support(doc, "Trump And Kim Posing For Pictures In Hanoi").missing_names == []


def test_an_invented_name_in_a_title_case_headline_is_still_flagged() -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    doc = PreparedArticle(text)
    titled = title_case(headline_from(text, "met Wednesday", 6)) + " With Putin"
    check = check_claim(doc, titled, [])
    assert support(doc, titled).missing_names == ["putin"]
    assert check.status is Status.UNSUPPORTED and check.hard and "putin" in (check.reason or "")
