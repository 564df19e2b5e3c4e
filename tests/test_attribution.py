"""Whom an article credits with a quotation, and the speaker check that reads it."""

from __future__ import annotations

import pytest

from summarizer.core.kinds import Status
from summarizer.core.spans import Span
from summarizer.core.verify.attribution import credited, referent
from summarizer.core.verify.checks import check_speaker
from summarizer.core.verify.prepared import PreparedArticle

QUOTE = "We see it every day"


def _credited(text: str, quote: str = QUOTE) -> str | None:
    i = text.index(quote)
    return credited(text, Span(i, i + len(quote), quote))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('Parents waited. "We see it every day," said Mark Dlamini, a parent.', "Mark Dlamini"),
        ('"We see it every day," Dlamini said on Monday.', "Dlamini"),
        ('"We see it every day," said Dlamini on Monday.', "Dlamini"),
        ('"We see it every day?" Dlamini asked.', "Dlamini"),
        ("\u201cWe see it every day,\u201d according to Ana L\u00f3pez.", "Ana L\u00f3pez"),
        ('"We see it every day," said Secretary of State Mike Pompeo.', "Secretary of State Mike Pompeo"),
        ('"We see it every day," Dlamini told the board.', "Dlamini"),
        ('Speaking to reporters, Okafor said: "We see it every day."', "Okafor"),
        ('Okafor told reporters: "We see it every day."', "Okafor"),
        ("Of the tackle on Falcao. Souness said, 'We see it every day.'", "Souness"),
        # a quotation with no attribution of its own continues the last one, across a paragraph too
        ('"It is hard," said Okafor. "We see it every day."', "Okafor"),
        ('"It is hard," said Prof Okafor.\n"We see it every day."', "Prof Okafor"),
        ('"We see it every day," said Dr. Ana Okafor.', "Dr. Ana Okafor"),
        ("\u2018We see it every day,\u2019 said Okafor.", "Okafor"),
    ],
)
def test_a_name_beside_the_quotation_is_read(text: str, name: str) -> None:
    assert _credited(text) == name


@pytest.mark.parametrize(
    "text",
    [
        '"We see it every day," he said.',  # a pronoun
        '"We see it every day," the mayor said.',  # a description
        'Of the plan, the 66-year-old Frenchman added: "We see it every day."',
        '"We see it every day," Dlamini\'s lawyer said.',  # a possessive: the lawyer spoke
        '"We see it every day," she told CNN.',  # the listener
        '"We see it every day," said Thursday\'s report.',
        '"We see it every day." The council voted on Monday.',  # no verb of saying
        "We see it every day, parents say.",  # no quotation marks
        # a full stop or a line's end closes the quotation's sentence: what follows is news
        '"We see it every day."\nThe Power Network said it had restored power.',
        '"We see it every day." Dlamini added that the fund was empty.',
        '"We see it every day".\nThe Observatory says fighting goes on.',
        'Two men shot her while she was driving, Shah said. "We see it every day," said an embassy spokesperson.',
        # a capitalised word before a title is a modifier, not the speaker
        '"We see it every day," said CNN severe weather expert Chad Myers.',
        '"We see it every day," said ICRC spokeswoman Marie-Claire Feghali.',
        '"We see it every day?" added GB Badminton\'s performance director Jon Austin.',
        '"We see it every day," another said.',
        'Another said, "We see it every day."',
        'Mike LeSurf, an officer at Mencap says: "We see it every day."',
        # the quotation is what the name did, reported by someone else
        'Emmett said Charleston "was trying to get away. We see it every day."',
    ],
)
def test_no_name_is_read_where_the_article_names_no_speaker(text: str) -> None:
    assert _credited(text) is None


ARTICLE = (
    "Priya Natarajan, the board chair, opened the meeting on Tuesday. Parents spoke next.\n\n"
    '"We see it every day," said Mark Dlamini, a parent of two. "The fund is empty."'
)


def _speaker(name: str, text: str = ARTICLE) -> tuple[Status, str | None, bool]:
    i = text.index(QUOTE)
    check = check_speaker(PreparedArticle(text), name, Span(i, i + len(QUOTE), QUOTE))
    return check.status, check.reason, check.hard


def test_a_speaker_the_article_credits_with_other_words_is_unsupported() -> None:
    # Natarajan is named in the paragraph before the quote: the old rule passed her
    assert _speaker("Priya Natarajan") == (
        Status.UNSUPPORTED,
        "the article credits the quote to Mark Dlamini",
        True,
    )


@pytest.mark.parametrize("name", ["Mark Dlamini", "Dlamini", "Mr. Dlamini", "Mark  Dlamini"])
def test_the_credited_speaker_in_any_spelling_passes(name: str) -> None:
    assert _speaker(name)[0] is Status.SUPPORTED


def test_a_name_in_decomposed_unicode_is_the_same_speaker() -> None:
    text = '"We see it every day," said Ana L\u00f3pez.'
    assert _speaker("Ana Lo\u0301pez", text)[0] is Status.SUPPORTED


def test_a_pronoun_attribution_still_passes_the_last_person_named() -> None:
    text = 'Mark Dlamini spoke at the meeting on Tuesday.\n\n"We see it every day," he said.'
    assert _speaker("Mark Dlamini", text)[0] is Status.SUPPORTED


# Two people with one surname: the article calls the child by her given name and the mother by
# the surname (the shape of a tuning document, invented here).
FAMILY = (
    "Haleigh Cox, 5, has hundreds of seizures a day. Her mother, Janea Cox, moved with her to "
    "Colorado. Haleigh now sleeps through the night.\n\n"
    '"We see it every day," Cox said. For Cox, the move was the only choice.'
)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        (FAMILY, "Janea Cox"),
        (FAMILY.replace("Janea Cox", "Janea\u00a0Cox"), "Janea Cox"),  # a no-break space
        # both are called by their given names somewhere: no telling
        (FAMILY.replace("Colorado.", "Colorado, Janea said."), None),
        # one person with the surname: nothing to resolve
        (FAMILY.replace("Haleigh Cox, 5", "The girl, 5"), None),
    ],
)
def test_a_bare_surname_stands_for_the_one_the_article_never_calls_by_a_given_name(
    text: str, meant: str | None
) -> None:
    assert referent(text, "Cox") == meant
    assert referent(text, "Janea Cox") is None  # a full name needs no resolving


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("Haleigh Cox", Status.UNSUPPORTED),
        ("haleigh cox", Status.UNSUPPORTED),
        ("Janea Cox", Status.SUPPORTED),
        ("Mrs. Janea Cox", Status.SUPPORTED),
        ("Cox", Status.SUPPORTED),  # the surname alone is what the article says
    ],
)
def test_a_speaker_sharing_only_the_surname_of_the_one_credited_is_unsupported(name: str, status: Status) -> None:
    found = _speaker(name, FAMILY)
    assert found[0] is status
    if status is Status.UNSUPPORTED:
        assert found[1:] == ("the article credits the quote to Cox, that is Janea Cox", True)
