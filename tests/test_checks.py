"""Field checks by type, on real sentences read at test time from the seed articles.

The two outlets disagree ("260 days or so" vs "261 days ago"; "Sofitel Legend Metropole Hotel"
vs "Hanoi Metropole Hotel"): each value must pass against its own article and fail against
the other.
"""

from __future__ import annotations

from summarizer.core.verify.align import align_all
from summarizer.core.verify.checks import (
    Status,
    check_claim,
    check_name,
    check_quantity,
    check_quote,
    check_role,
    check_speaker,
)
from summarizer.core.verify.prepared import PreparedArticle
from summarizer.core.verify.text import quantities, sentences, stem
from tests.conftest import SEEDS

XINHUA = SEEDS[0].read_text(encoding="utf-8")
VNEXPRESS = SEEDS[1].read_text(encoding="utf-8")


def phrase(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def test_days_since_singapore_conflict() -> None:
    x, v = PreparedArticle(XINHUA), PreparedArticle(VNEXPRESS)
    xin = phrase(XINHUA, "260", "so")  # "260 days or so"
    vne = phrase(VNEXPRESS, "261", "ago")  # "261 days ago"
    assert check_quantity(x, xin, align_all(x, [xin])).status is Status.SUPPORTED
    assert check_quantity(v, vne, align_all(v, [vne])).status is Status.SUPPORTED
    crossed = check_quantity(x, vne, align_all(x, [xin]))
    assert crossed.status is Status.UNSUPPORTED and "261" in (crossed.reason or "")
    assert check_quantity(v, xin, align_all(v, [vne])).status is Status.UNSUPPORTED


def test_hotel_name_conflict() -> None:
    sofitel = phrase(XINHUA, "Sofitel", "Hotel")
    hanoi_metropole = phrase(VNEXPRESS, "Hanoi Metropole", "Hotel")
    x, v = PreparedArticle(XINHUA), PreparedArticle(VNEXPRESS)
    assert check_name(x, sofitel).status is Status.SUPPORTED
    assert check_name(v, hanoi_metropole).status is Status.SUPPORTED
    wrong = check_name(v, sofitel)
    assert wrong.status is Status.UNSUPPORTED and "sofitel" in (wrong.reason or "")


def test_surname_only_and_hyphenated_forms_count() -> None:
    v = PreparedArticle(VNEXPRESS)
    assert check_name(v, "Kim").status is Status.SUPPORTED
    assert check_name(v, "Kim Jong Un").status is Status.SUPPORTED  # the article writes Kim Jong-un
    assert check_name(PreparedArticle(XINHUA), "Kim Jong-un").status is Status.SUPPORTED
    assert check_name(v, "Moon Jae-in").status is Status.NOT_FOUND


def test_numbers_written_out_and_dates() -> None:
    x = PreparedArticle(XINHUA)
    months = phrase(XINHUA, "about eight", "months")
    assert check_quantity(x, "8 months", []).status is Status.SUPPORTED
    assert check_quantity(x, months, align_all(x, [months])).status is Status.SUPPORTED
    assert check_quantity(x, "February 27, 2019", []).status is Status.SUPPORTED
    assert check_quantity(x, "Feb. 28, 2019", []).status is Status.UNSUPPORTED
    v = PreparedArticle(VNEXPRESS)
    assert check_quantity(v, "6:30 pm", []).status is Status.SUPPORTED  # printed "6.30 p.m."
    assert check_quantity(v, "7.30 p.m.", []).status is Status.UNSUPPORTED


def test_roles_must_be_stated_near_the_name() -> None:
    x = PreparedArticle(XINHUA)
    ri = check_role(x, "Ri Yong Ho", "foreign minister")
    assert ri.status is Status.SUPPORTED
    # the spans are the mention and the role's own words, not a window around them
    assert {XINHUA[s.start : s.end].lower() for s in ri.spans} >= {"foreign", "minister"}
    assert all(s.end - s.start <= len("minister") for s in ri.spans)
    assert check_role(x, "Mike Pompeo", "Secretary of State").status is Status.SUPPORTED
    invented = check_role(x, "Mike Pompeo", "national security adviser")
    assert invented.status is Status.UNSUPPORTED and "advis" in (invented.reason or "")


def test_quotes_verbatim_paraphrased_and_not_quoted() -> None:
    v = PreparedArticle(VNEXPRESS)
    said = phrase(VNEXPRESS, "That gives us hope", "this time")
    ok, aligned = check_quote(v, said, set())
    assert ok.status is Status.SUPPORTED
    assert check_speaker(v, "Kim", aligned.span).status is Status.SUPPORTED
    para, _ = check_quote(v, said.replace("gives us hope", "gives us a lot of hope"), set())
    assert para.status is Status.UNSUPPORTED and "not verbatim" in (para.reason or "")
    narrative = phrase(VNEXPRESS, "The two leaders praised", "other")
    not_quoted, _ = check_quote(v, narrative, set())
    assert not_quoted.status is Status.UNCERTAIN and "quotation marks" in (not_quoted.reason or "")
    absent, _ = check_quote(v, "We will sign a peace treaty tomorrow", set())
    assert absent.status is Status.NOT_FOUND


def test_claims_supported_by_evidence_elsewhere_or_not_at_all() -> None:
    doc = PreparedArticle(XINHUA)
    dinner = phrase(XINHUA, "Trump was joined at the dinner", "Mulvaney")
    ok = check_claim(doc, "Mike Pompeo and Mick Mulvaney joined Trump at the dinner.", align_all(doc, [dinner]))
    assert ok.status is Status.SUPPORTED and ok.evidence == "verbatim"
    banner = phrase(XINHUA, "A banner hanging", "Korean")
    wrong_ev = check_claim(doc, "Mike Pompeo and Mick Mulvaney joined Trump at the dinner.", align_all(doc, [banner]))
    assert wrong_ev.status is Status.SUPPORTED and wrong_ev.evidence == "not_supporting"
    assert "supported elsewhere" in (wrong_ev.reason or "")
    assert any(XINHUA[s.start : s.end].startswith("Trump was joined") for s in wrong_ev.spans)
    made_up = check_claim(doc, "The leaders signed a trade agreement worth 5 billion dollars.", [])
    assert made_up.status is Status.UNSUPPORTED


def test_lexical_helpers() -> None:
    assert stem("meetings") == stem("meeting") == "meet"
    assert [q for q, _, _ in quantities("1,000 people and $2.5 million in 2019")] == ["1000", "2500000", "2019"]
    assert {q for q, _, _ in quantities("2019-02-27")} == {q for q, _, _ in quantities("Feb. 27, 2019")}
    assert [s.text[:5] for s in sentences("Mr. Kim met Dr. Lee. They spoke.\nNext line")] == ["Mr. K", "They ", "Next "]


def test_paraphrase_passes_but_an_invented_name_or_number_does_not() -> None:
    from tests.conftest import EXAMPLES

    text = EXAMPLES[1].read_text(encoding="utf-8")
    doc = PreparedArticle(text)
    cost = phrase(text, "The programme will cost", "a year")
    aligned = align_all(doc, [cost])
    ok = check_claim(doc, "The program will cost about 1.1 million dollars per year.", aligned)
    assert ok.status is Status.SUPPORTED, ok.reason
    town = check_claim(doc, "The Riverside programme in Portsmouth will cost 1.1 million dollars.", aligned)
    assert town.status is Status.UNSUPPORTED and "portsmouth" in (town.reason or "")
    money = check_claim(doc, "The programme will cost about 2.1 million dollars a year.", aligned)
    assert money.status is Status.UNSUPPORTED and "2.1 million" in (money.reason or "")


def test_an_ordinal_must_be_in_the_claims_own_evidence() -> None:
    doc = PreparedArticle(VNEXPRESS)
    began = align_all(doc, [phrase(VNEXPRESS, "were the picture of geniality", "second summit in Hanoi")])
    assert check_claim(doc, "Second summit in Hanoi", began).evidence == "verbatim"
    wrong = check_claim(doc, "First summit in Hanoi", began)  # the 1.5B model wrote this
    assert wrong.evidence != "verbatim", "'first' is not in the evidence, which says 'second'"


def test_a_name_found_only_by_ignoring_spaces_is_marked() -> None:
    from tests.conftest import EXAMPLES

    text = EXAMPLES[0].read_text(encoding="utf-8")
    town = check_name(PreparedArticle(text), "Port Haven")  # the article prints PORTHAVEN
    assert town.status is Status.SUPPORTED and town.score < 1
    assert "writes this name differently: 'PORTHAVEN'" in (town.reason or "")
    assert check_name(PreparedArticle(text), "Porthaven").reason is None
