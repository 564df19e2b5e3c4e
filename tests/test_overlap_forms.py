"""The overlap stage reads the forms real text takes: Unicode forms, other languages' quotation
marks, number suffixes and words, date formats, abbreviations, signs, acronyms and Title Case.
Each row holds a right value that must pass and a wrong one that must not. Texts are made up."""

from __future__ import annotations

import unicodedata

import pytest

from summarizer.core.verify.align import align
from summarizer.core.verify.checks import check_claim, check_name, check_quantity, check_quote
from summarizer.core.verify.claims import support
from summarizer.core.verify.prepared import PreparedArticle
from summarizer.core.verify.registry import REGISTRY, Leaf, Related
from summarizer.kinds import Kind, Status


def quantity(article: str, value: str) -> Status:
    return check_quantity(PreparedArticle(article), value, []).status


# -- 1. decomposed Unicode and compatibility forms ----------------------------------------------

NFC_ARTICLE = (
    "Renée Dubois, the mayor of Saint-Étienne, spoke on Monday. "
    "“Nous réparerons le pont avant l’été,” she told the council. The ﬁnal vote is due in \uff12\uff10\uff12\uff15."
)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_names_places_and_quotes_match_whatever_the_article_s_unicode_form(form: str) -> None:
    article = unicodedata.normalize(form, NFC_ARTICLE)
    prepared = PreparedArticle(article)
    for name in ("Renée Dubois", "Saint-Étienne"):
        check = check_name(prepared, name)
        assert check.status is Status.SUPPORTED and check.reason is None, name
        printed = article[check.spans[0].start : check.spans[0].end]
        assert unicodedata.normalize("NFC", printed) == name  # offsets index the original text
    assert check_name(prepared, "Renée Dupont").status is not Status.SUPPORTED
    quote, _ = check_quote(prepared, "Nous réparerons le pont avant l’été", set())
    assert quote.status is Status.SUPPORTED
    assert check_quote(prepared, "Nous réparerons le port avant l’été", set())[0].status is not Status.SUPPORTED
    assert (
        check_claim(PreparedArticle(article), "Renée Dubois is the mayor of Saint-Étienne.", []).status
        is Status.SUPPORTED
    )


def test_compatibility_forms_read_as_their_plain_forms() -> None:
    article = unicodedata.normalize("NFD", NFC_ARTICLE)
    assert quantity(article, "2025") is Status.SUPPORTED
    assert quantity(article, "2026") is Status.UNSUPPORTED
    assert align(PreparedArticle(article), "The final vote").found


# -- 2. quotation marks of other languages ------------------------------------------------------

PAIRS = [
    ('"', '"'),
    ("\u201c", "\u201d"),  # “ ”
    ("'", "'"),
    ("\u2018", "\u2019"),  # ‘ ’
    ("\u201e", "\u201c"),  # „ “
    ("\u201e", "\u201d"),  # „ ”
    ("\u201a", "\u2018"),  # ‚ ‘
    ("\u00ab ", " \u00bb"),  # « » with inner spaces
    ("\u00ab", "\u00bb"),
    ("\u00bb", "\u00ab"),  # » « reversed
    ("\u00bb", "\u00bb"),
    ("\u2039", "\u203a"),  # ‹ ›
    ("\u203a", "\u2039"),  # › ‹ reversed
    ("\u201d", "\u201d"),  # ” ”
    ("\u300c", "\u300d"),  # 「 」
    ("\u300e", "\u300f"),  # 『 』
]


@pytest.mark.parametrize(("open_", "close"), PAIRS)
def test_every_common_pair_of_quotation_marks_delimits_a_quote(open_: str, close: str) -> None:
    article = f"The minister spoke: {open_}We will open the bridge in spring{close} and then she left the hall."
    prepared = PreparedArticle(article)
    assert check_quote(prepared, "We will open the bridge in spring", set())[0].status is Status.SUPPORTED
    wrong = check_quote(prepared, "We will close the bridge in spring", set())[0]
    assert wrong.status is not Status.SUPPORTED
    narration = check_quote(prepared, "and then she left the hall", set())[0]
    assert narration.status is Status.UNCERTAIN and "not inside quotation marks" in (narration.reason or "")


def test_an_apostrophe_neither_opens_nor_closes_a_quote() -> None:
    article = "The mayor's plan was dropped. It's the council's call now, officials said."
    check = check_quote(PreparedArticle(article), "the council's call now", set())[0]
    assert check.status is Status.UNCERTAIN and "not inside quotation marks" in (check.reason or "")


# -- 3. numbers in other surface forms ------------------------------------------------------------

NUMBERS = [  # article form, right value, wrong value
    ("4.3m", "4.3 million", "43 million"),
    ("4.3m", "4.3m", "4.3 billion"),
    ("4.3 million", "4.3m", "4.3bn"),
    ("$4.3m", "4,300,000", "4,400,000"),
    ("800k", "800,000", "900,000"),
    ("800,000", "800k", "900k"),
    ("2bn", "2 billion", "2 million"),
    ("£2.5bn", "2,500,000,000", "25 billion"),
    ("1.2tn", "1.2 trillion", "1.2 billion"),
    ("5 thousand", "5,000", "6,000"),
    ("3.1 mln", "3.1 million", "3.2 million"),
    ("a dozen", "12", "13"),
    ("two dozen", "24", "12"),
    ("three hundred", "300", "400"),
    ("300", "three hundred", "three thousand"),
    ("three hundred and five", "305", "350"),
    ("twenty-one", "21", "20"),
]


@pytest.mark.parametrize(("written", "right", "wrong"), NUMBERS)
def test_number_suffixes_scales_and_words_read_both_ways(written: str, right: str, wrong: str) -> None:
    article = f"The agency counted {written} visitors last year."
    assert quantity(article, right) is Status.SUPPORTED
    assert quantity(article, wrong) is Status.UNSUPPORTED


def test_an_ambiguous_m_accepts_either_reading_the_unit_allows() -> None:
    article = "The wall is 4.3m high."
    assert quantity(article, "4.3 metres") is Status.SUPPORTED
    assert quantity(article, "4.3 million") is Status.SUPPORTED
    assert quantity(article, "4.4 metres") is Status.UNSUPPORTED


# -- 4. dates in other formats --------------------------------------------------------------------

DATES = [  # article form, right values, wrong values
    (
        "10.11.2020",
        ["10 November 2020", "November 10, 2020", "2020-11-10", "10.11.2020"],
        ["10.11.2021", "11 October 2020", "11 November 2020"],
    ),
    ("2020-11-10", ["10 November 2020", "Nov. 10, 2020"], ["2020-11-11", "10 November 2021", "10 October 2020"]),
    ("13/04/2020", ["13 April 2020", "April 13, 2020"], ["13 March 2020", "13 April 2021", "14 April 2020"]),
    ("03/04/2020", ["3 April 2020", "March 4, 2020"], ["4 April 2020", "3 March 2020", "3 April 2021"]),
    ("10 November 2020", ["10.11.2020", "2020-11-10"], ["10.11.2021", "11.10.2020"]),
]


@pytest.mark.parametrize(("written", "rights", "wrongs"), DATES)
def test_dates_in_figures_read_as_dates(written: str, rights: list[str], wrongs: list[str]) -> None:
    article = f"The law was signed on {written} in the capital."
    for right in rights:
        assert quantity(article, right) is Status.SUPPORTED, right
    for wrong in wrongs:
        assert quantity(article, wrong) is Status.UNSUPPORTED, wrong


# -- 5. month and weekday abbreviations ------------------------------------------------------------

MONTHS = [
    ("Jan.", "January", "June"),
    ("Feb.", "February", "March"),
    ("Mar.", "March", "May"),
    ("Apr.", "April", "August"),
    ("Jun.", "June", "July"),
    ("Jul.", "July", "June"),
    ("Aug.", "August", "April"),
    ("Sep.", "September", "October"),
    ("Sept.", "September", "November"),
    ("Sept", "September", "December"),
    ("Oct.", "October", "September"),
    ("Nov.", "November", "December"),
    ("Dec.", "December", "January"),
]
WEEKDAYS = [
    ("Mon.", "Monday", "Tuesday"),
    ("Tue.", "Tuesday", "Thursday"),
    ("Tues.", "Tuesday", "Wednesday"),
    ("Wed.", "Wednesday", "Friday"),
    ("Thu.", "Thursday", "Tuesday"),
    ("Thurs.", "Thursday", "Saturday"),
    ("Fri.", "Friday", "Sunday"),
    ("Sat.", "Saturday", "Sunday"),
    ("Sun.", "Sunday", "Monday"),
]


@pytest.mark.parametrize(("abbreviation", "full", "wrong"), MONTHS)
def test_month_abbreviations_are_the_same_date_words(abbreviation: str, full: str, wrong: str) -> None:
    doc = PreparedArticle(f"A freight train derailed near Cedar Falls, Iowa on {abbreviation} 3, officials said.")
    right = support(doc, f"A freight train derailed near Cedar Falls, Iowa on {full} 3")
    assert right.missing_names == [] and right.missing_quantities == []
    assert (
        check_claim(doc, f"A freight train derailed near Cedar Falls, Iowa on {full} 3", []).status is Status.SUPPORTED
    )
    bad = check_claim(doc, f"A freight train derailed near Cedar Falls, Iowa on {wrong} 3", [])
    assert bad.status is Status.UNSUPPORTED and bad.hard


@pytest.mark.parametrize(("abbreviation", "full", "wrong"), WEEKDAYS)
def test_weekday_abbreviations_are_the_same_date_words(abbreviation: str, full: str, wrong: str) -> None:
    doc = PreparedArticle(f"The council met on {abbreviation} to vote on the budget.")
    assert check_claim(doc, f"The council met on {full} to vote on the budget", []).status is Status.SUPPORTED
    assert check_claim(doc, f"The council met on {wrong} to vote on the budget", []).status is Status.UNSUPPORTED


# -- 6. signs --------------------------------------------------------------------------------------

MINUS = "\u2212"
SIGNS = [  # article, value, expected status of the value as a quantity
    ("grew 2.4%", "2.4%", Status.SUPPORTED),
    ("grew 2.4%", "-2.4 %", Status.UNSUPPORTED),
    ("grew 2.4%", f"{MINUS}2.4%", Status.UNSUPPORTED),
    ("fell 2.4%", "2.4%", Status.SUPPORTED),
    ("fell 2.4%", "-2.4%", Status.SUPPORTED),
    ("fell 2.4%", f"{MINUS}2.4%", Status.SUPPORTED),
    ("fell 2.4%", "-2.5%", Status.UNSUPPORTED),
    ("changed by -2.4%", "-2.4%", Status.SUPPORTED),
    ("changed by -2.4%", f"{MINUS}2.4%", Status.SUPPORTED),
    ("changed by -2.4%", "2.4%", Status.UNSUPPORTED),
    (f"changed by {MINUS}2.4%", "-2.4%", Status.SUPPORTED),
    (f"changed by {MINUS}2.4%", "2.4%", Status.UNSUPPORTED),
    ("grew -2.4%", "-2.4%", Status.SUPPORTED),
    ("rose 2.4%", "-2.4%", Status.UNSUPPORTED),
]


@pytest.mark.parametrize(("article", "value", "expected"), SIGNS)
def test_a_sign_the_article_does_not_give_never_passes(article: str, value: str, expected: Status) -> None:
    assert quantity(f"Output {article} last year, the office said.", value) is expected


@pytest.mark.parametrize("text", ["737-800", "2-4", "COVID-19", "1990-91", "pages 10-12"])
def test_hyphens_between_figures_and_words_are_not_minus_signs(text: str) -> None:
    article = f"The report mentions {text} twice."
    value = text.rsplit("-", 1)[1]
    assert quantity(article, value) is Status.SUPPORTED
    assert quantity(article, "-" + value) is Status.UNSUPPORTED


def test_a_claim_with_a_sign_the_article_lacks_fails() -> None:
    doc = PreparedArticle("The economy grew 2.4% last year, the statistics office said.")
    assert check_claim(doc, "The economy grew 2.4% last year", []).status is Status.SUPPORTED
    bad = check_claim(doc, "The economy grew -2.4% last year", [])
    assert bad.status is Status.UNSUPPORTED and bad.hard


# -- 7. acronyms and common words ------------------------------------------------------------------

COMMON = "We asked who would pay for us. He ate an apple at noon, she said."
NAMED = "The WHO said the US would pay. Shares of Apple rose after the U.S. ruling, analysts said."


@pytest.mark.parametrize("name", ["WHO", "Apple", "US"])
def test_a_capitalised_name_needs_an_occurrence_written_that_way(name: str) -> None:
    common = check_name(PreparedArticle(COMMON), name)
    assert common.status is Status.UNSUPPORTED and common.hard and "common word" in (common.reason or "")
    assert check_name(PreparedArticle(NAMED), name).status is Status.SUPPORTED


def test_an_acronym_matches_its_dotted_form() -> None:
    check = check_name(PreparedArticle("Talks with U.S. envoys resumed."), "US")
    assert check.status is Status.SUPPORTED


def test_a_sentence_initial_capital_is_weaker_evidence_never_a_hard_failure() -> None:
    check = check_name(PreparedArticle("Apple growers met on Monday. They want higher prices."), "Apple")
    assert check.status is Status.SUPPORTED and check.score < 1 and not check.hard
    assert "start of a sentence" in (check.reason or "")


def test_an_entity_kind_is_not_supported_by_a_common_word() -> None:
    for article, expected in ((COMMON, Status.UNSUPPORTED), (NAMED, Status.SUPPORTED)):
        prepared = PreparedArticle(article)
        leaf = Leaf("entities[0].kind", Kind.ENTITY_KIND, "organisation", {Kind.NAME: Related("WHO")})
        assert REGISTRY[Kind.ENTITY_KIND].check(leaf, [], prepared, set()).status is expected


# -- 8. Title Case headlines -----------------------------------------------------------------------

TITLES = [  # article, Title Case headline with words of the same family, an invented name
    (
        "The European Commission ordered staff to remove TikTok from their work devices.",
        "European Commission Orders TikTok Removal from Devices",
        "Putin",
    ),
    (
        "Astronomers revealed the history and the structure of spiral galaxies.",
        "Astronomers Reveal Structural History of Spiral Galaxies",
        "Hubble",
    ),
    (
        "Regulators approved the merger of two regional banks, which wins them a larger market.",
        "Regional Bank Merger Wins Regulatory Approval",
        "Barclays",
    ),
]


@pytest.mark.parametrize(("article", "headline", "invented"), TITLES)
def test_a_capitalised_word_in_a_title_case_line_is_not_a_name(article: str, headline: str, invented: str) -> None:
    doc = PreparedArticle(article)
    assert support(doc, headline).missing_names == []
    assert check_claim(doc, headline, []).status is Status.SUPPORTED
    bad = f"{headline} With {invented}"
    assert support(doc, bad).missing_names == [invented.lower()]
    assert check_claim(doc, bad, []).hard
