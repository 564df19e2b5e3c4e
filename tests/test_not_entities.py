"""Things that are no person, organisation or place, listed as one: refused by their shape.

A small model lists tournaments ("Fed Cup", "Australian Open") as places, a championship as
an organisation, a people ("Pakistanis") as a person, a season ("May to November") as a place
and an adjective ("US-made") as an organisation; the judge passed several of them (bench/labels/
tune2-v9). Each is refused without asking the judge, with a reason that says what it is; names
of the same words that are entities pass. Article texts are invented here.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from summarizer.core.kinds import Status
from summarizer.core.news import Entity, Place
from summarizer.core.verify.shapes import a_people, event_word, only_a_date
from summarizer.core.verify.walker import verify_summary
from summarizer.kinds import Name
from tests.test_outcomes import Stub

TEXT = (
    "Serena Williams led the US into the Fed Cup semi-final in Brindisi on Sunday. "
    "The Australian Open champion beat Sara Errani, and the Georgian Chess Championships "
    "moved to Tbilisi. Pakistanis and Iraqis watched the Olympics at the Cup Hotel on "
    "Hay-on-Wye Road. The beach club opens from May to November, and US-made drones flew over "
    "the Open University campus. Williams said she would return in May."
)


class Listed(BaseModel):
    entities: list[Entity] = []
    places: list[Place] = []


def verdicts(summary: Listed, judge: Stub | None = None) -> dict[str, tuple[Status, str]]:
    return {v.path: (v.status, v.reason or "") for v in verify_summary(summary, TEXT, judge=judge).verdicts}


def entity(name: str, kind: str) -> Entity:
    return Entity(name=name, kind=kind, role=None, evidence=[])


@pytest.mark.parametrize(
    ("name", "kind", "word"),
    [
        ("Fed Cup", "place", "Cup"),
        ("Australian Open", "place", "Open"),
        ("Georgian Chess Championships", "organisation", "Championships"),
        ("Olympics", "organisation", "Olympics"),
    ],
)
def test_an_event_listed_as_an_entity_is_refused_without_the_judge(name: str, kind: str, word: str) -> None:
    judge = Stub({"": 0.95})  # would pass anything it were asked
    found = verdicts(Listed(entities=[entity(name, kind)], places=[Place(name=name, evidence=[])]), judge)
    why = f"{name} is named like an event or competition ({word!r}), not a person, organisation or place"
    assert found["entities[0].name"] == (Status.UNSUPPORTED, why)
    assert found["entities[0].kind"] == (Status.UNSUPPORTED, why)
    assert found["places[0].name"] == (Status.UNSUPPORTED, why)
    assert not any(name in s for s in judge.asked)


@pytest.mark.parametrize("name", ["Cup Hotel", "Open University", "Brindisi", "Serena Williams"])
def test_names_holding_an_event_word_elsewhere_are_asked(name: str) -> None:
    judge = Stub({"": 0.95})
    found = verdicts(Listed(entities=[entity(name, "place")]), judge)
    assert found["entities[0].name"][0] is Status.SUPPORTED
    assert "event" not in found["entities[0].kind"][1]
    assert any(name in s for s in judge.asked)


class Names(BaseModel):
    names: list[Name]


def test_a_bare_name_field_may_name_an_event() -> None:
    # A name with no kind beside it and no list fixing one is not said to be an entity.
    (v,) = verify_summary(Names(names=["Fed Cup"]), TEXT).verdicts
    assert v.status is Status.SUPPORTED, v.reason


def test_a_people_is_not_a_person_but_may_be_listed_as_a_name() -> None:
    found = verdicts(Listed(entities=[entity("Pakistanis", "person"), entity("Serena Williams", "person")]))
    assert found["entities[0].kind"] == (
        Status.UNSUPPORTED,
        "Pakistanis is a people (Pakistani), a group, not a person",
    )
    assert found["entities[0].name"][0] is Status.SUPPORTED
    assert "group" not in found["entities[1].kind"][1]


@pytest.mark.parametrize(
    ("name", "people"),
    [("Pakistanis", "Pakistani"), ("Iraqis", "Iraqi"), ("African-Americans", "American"), ("Williams", None)],
)
def test_peoples_are_read_from_the_plural_of_a_nationality(name: str, people: str | None) -> None:
    assert a_people(name) == people


def test_a_season_listed_as_a_place_is_a_date() -> None:
    found = verdicts(Listed(entities=[entity("May to November", "place")], places=[Place(name="May", evidence=[])]))
    assert found["entities[0].name"] == (Status.UNSUPPORTED, "a date or number, not a name")
    assert found["entities[0].kind"][1] == "May to November is a date or number, not a person, organisation or place"
    assert "date" not in found["places[0].name"][1]  # a month's name alone is a person's too


@pytest.mark.parametrize(
    ("name", "dated"), [("May to November", True), ("from June until August", True), ("May", False), ("June", False)]
)
def test_a_range_of_months_is_a_date_and_one_month_alone_is_not(name: str, dated: bool) -> None:
    assert only_a_date(name) is dated


@pytest.mark.parametrize(
    ("name", "word"), [("Fed Cup", "Cup"), ("Cup", None), ("Open", None), ("Olympics", "Olympics"), ("cup", None)]
)
def test_the_event_word_is_the_capitalised_last_word(name: str, word: str | None) -> None:
    assert event_word(name) == word


def test_a_hyphened_adjective_is_a_description_and_a_hyphened_place_is_a_name() -> None:
    found = verdicts(Listed(entities=[entity("US-made", "organisation"), entity("Hay-on-Wye", "place")]))
    assert found["entities[0].name"] == (
        Status.UNSUPPORTED,
        "a description, not a name: the article writes 'made' only in lower case",
    )
    assert found["entities[1].name"][0] is Status.SUPPORTED


@pytest.mark.parametrize("role", ["person", "individual", "people"])
def test_person_given_as_a_role_is_a_kind_of_thing(role: str) -> None:
    listed = Listed(entities=[Entity(name="Serena Williams", kind="person", role=role, evidence=[])])
    assert verdicts(listed)["entities[0].role"] == (Status.UNSUPPORTED, f"a kind of thing, not a role: {role!r}")
