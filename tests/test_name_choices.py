"""Decoding may write only the article's own names, and as a place only a name it gives no person
(summarizer.core.name_choices). Article texts are invented here.

Each rule is tried on several surface forms: names with titles, initials, abbreviations,
joining words, possessives (straight and curly), hyphens, capitals inside a word, decomposed
Unicode; words that only open a sentence, Title Case headlines and lower-cased text.
"""

from __future__ import annotations

import unicodedata

import jsonschema
import pytest

from summarizer.core.choices import article_choices
from summarizer.core.citing import cited_schema
from summarizer.core.name_choices import name_choices, place_choices
from summarizer.core.narrowing import narrow_schema
from summarizer.core.news import ArticleSummary
from summarizer.core.schema_plan import compile_schema

ARTICLE = """Migrants Rescued Off Coast In Dramatic Night Operation
Rome (Reuters) - The Italian Coast Guard rescued 300 migrants off Libya on Monday, said Filippo Marini, a spokesman.
Migrants were taken to Sicily. "The sea was rough and the boats were small," Marini said.
Gov. Nathan Deal of Georgia and Prime Minister Shinzo Abe’s Liberal Democratic Party welcomed the work
of Save the Children and the International Organization for Migration.
Smugglers had charged each of them $1,000 in June, the U.S. State Department said.
The US and the WHO agreed. Jordan ended its search.
The al-Qaeda affiliate in Tripoli denied any role. Arsenal manager Mikel Arteta and Arsenal fans visited the port.
Mark Wolper, a volunteer, drove to Prince George's County and Colorado Springs. Wolper flew back to Rome.
U.S. President Donald Trump met Secretary of State Mike Pompeo. The U.S. president said Pompeo would go. Trump left.
"""


@pytest.fixture(scope="module")
def names() -> tuple[str, ...]:
    found = name_choices(ARTICLE)
    assert found is not None
    return found[0]


@pytest.mark.parametrize(
    "name",
    [
        "Rome",  # a dateline's city
        "Italian Coast Guard",
        "Coast Guard",  # a part of a run
        "Filippo Marini",
        "Marini",
        "Gov. Nathan Deal",  # an abbreviated title
        "Nathan Deal",
        "Shinzo Abe",  # a possessive cut off, with a curly apostrophe
        "Prime Minister Shinzo Abe",
        "Liberal Democratic Party",
        "Save the Children",  # joining words inside
        "International Organization for Migration",
        "U.S.",  # initials
        "U.S. State Department",
        "US",  # capitals make a name of a common word
        "WHO",
        "al-Qaeda",  # a capital inside the word
        "Tripoli",
        "Georgia",  # a part after "of" may be a name of its own
        "Prince George's County",
        "Colorado Springs",
    ],
)
def test_the_articles_names_are_offered_as_written(names: tuple[str, ...], name: str) -> None:
    assert name in names


@pytest.mark.parametrize(
    "value",
    [
        "Migrants",  # opens sentences only; the article writes "migrants" too
        "Smugglers",  # opens a sentence, and a lower-case word follows
        "Jordan",  # so does this name: a word alone at a sentence's start is not taken
        "June",  # a month on its own is no name
        "migrants",
        "Dramatic",  # only in the Title Case headline
        "Night Operation",
        "Monday",  # a weekday on its own is no name
        "The",
        "Gov.",
        "Abe’s",  # a possessive as written
        "Italian coast guard",  # not as written
        "spokesman",
        "Mark Wolper, a volunteer",
        "Migration",  # cut off at "for" from "International Organization for Migration"
        "International Organization",
        "Children",  # cut off at "the"
        "Prince George's County and Colorado Springs",  # "and" joins two names
    ],
)
def test_descriptions_common_words_and_other_spellings_are_no_names(names: tuple[str, ...], value: str) -> None:
    assert value not in names


def test_a_decomposed_name_is_offered_as_the_article_writes_it() -> None:
    text = unicodedata.normalize("NFD", "The mayor, José Álvarez, opened the bridge. Álvarez spoke first.")
    found = name_choices(text)
    assert found is not None
    assert unicodedata.normalize("NFD", "José Álvarez") in found[0]


def test_a_lower_cased_article_offers_no_choice_and_names_stay_free() -> None:
    text = "the coast guard rescued 300 migrants off libya on monday , said filippo marini ."
    assert name_choices(text) is None
    narrowed = narrow_schema(
        cited_schema(ArticleSummary).model_json_schema(), compile_schema(ArticleSummary), article_choices(text)
    )
    assert "enum" not in narrowed["$defs"]["Place"]["properties"]["name"]


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Rome", True),
        ("Sicily", True),
        ("Prince George's County", True),  # ends in a kind of place, not a surname
        ("Colorado Springs", True),
        ("Save the Children", True),  # an organisation: the article gives no sign, so kept
        ("Filippo Marini", False),  # credited with a quotation
        ("Marini", False),
        ("Mark Wolper", False),  # the surname alone is written more often than the whole name
        ("Mark", False),  # a given name of such a person
        ("Arsenal", False),  # a team: "Arsenal manager"
        ("Mikel Arteta", True),  # a person named once, whom nothing marks as one, stays
        ("U.S.", True),  # "U.S." is no given name of "U.S. President", nor a team ("U.S. president")
        ("Secretary of State Mike Pompeo", False),  # a person's name after a title
        ("U.S. President Donald Trump", False),
    ],
)
def test_a_place_is_no_name_the_article_gives_a_person_or_a_team(names: tuple[str, ...], name: str, kept: bool) -> None:
    assert name in names
    assert (name in place_choices(ARTICLE, names)) is kept


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Japanese Government", False),  # an organisation word
        ("Tokyo Metropolitan Police", False),
        ("Manchester United", False),  # a team's last word
        ("CNN", False),  # an acronym that names no country
        ("HB1", False),
        ("HANOI", True),  # a dateline: the article writes "Hanoi" too
        ("DPRK", True),  # a country
        ("UK", True),  # an acronym that does
        ("U.S.", True),
        ("Manchester", True),
        ("Eastern High School", True),  # a building one visits
        ("Soviet Union", True),  # a country, though "union" is an organisation's word
        ("Porthaven Ferry", False),  # written only inside an organisation's name
        ("Ferry", False),
        ("Porthaven", True),  # written alone in the dateline
        ("Alder Valley", True),  # written only inside one, but ends in a place word
        ("Leeds", False),  # written only inside a team's name
    ],
)
def test_a_place_is_no_name_written_like_an_organisation_a_team_or_an_acronym(name: str, kept: bool) -> None:
    text = (
        "HANOI (Reuters) - The DPRK and CNN said the Japanese Government and the Tokyo Metropolitan "
        "Police met in Hanoi and Manchester on Friday. Manchester United played. The UK and the U.S. "
        "backed HB1 at Eastern High School, as the Soviet Union once did. PORTHAVEN, the Porthaven "
        "Ferry Company and the Alder Valley Anglers' Association backed Leeds Athletic."
    )
    names = name_choices(text)
    assert names is not None and name in names[0]
    assert (name in place_choices(text, names[0])) is kept


def test_the_news_schema_takes_names_for_entities_and_places_from_the_article() -> None:
    narrowed = narrow_schema(
        cited_schema(ArticleSummary).model_json_schema(), compile_schema(ArticleSummary), article_choices(ARTICLE)
    )
    entities = jsonschema.Draft202012Validator({**narrowed["properties"]["entities"], "$defs": narrowed["$defs"]})
    places = jsonschema.Draft202012Validator({**narrowed["properties"]["places"], "$defs": narrowed["$defs"]})
    person = {"name": "Filippo Marini", "kind": "person", "role": "spokesman", "evidence": [2]}
    assert entities.is_valid([person])
    assert not entities.is_valid([{**person, "name": "Migrants"}])
    assert not entities.is_valid([{**person, "name": "Italian coast guard", "kind": "organisation", "role": None}])
    assert places.is_valid([{"name": "Sicily", "evidence": [3]}])
    assert not places.is_valid([{"name": "Filippo Marini", "evidence": [2]}])
    assert not places.is_valid([{"name": "Arsenal", "evidence": [6]}])
