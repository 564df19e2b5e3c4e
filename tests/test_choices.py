"""Decoding may write only the article's own quotes, dates and figures (summarizer.core.choices).

What the article offers is read in several surface forms each (dates in words and figures,
lower-case tokenised text, currency and scale words, quotes in straight, curly and tokenised
marks); values the article does not hold (an ISO date it never writes, a sentence as a date, a
name as a figure, narration as a quote) are never offered. The narrowed schema turns into a
grammar that admits exactly those values. Article texts are invented here.
"""

from __future__ import annotations

import json
from typing import Annotated

import jsonschema
import pytest
from pydantic import BaseModel, Field

from summarizer.core.choices import article_choices
from summarizer.core.citing import cited_schema
from summarizer.core.narrowing import narrow_schema
from summarizer.core.news import ArticleSummary, Entity
from summarizer.core.schema_plan import compile_schema
from summarizer.core.spans import Span
from summarizer.core.verify.quotes import inside_quote_marks, quotations
from summarizer.kinds import (
    QUANTITY,
    EntityKind,
    Event,
    FieldKind,
    Kind,
    Name,
    PersonRole,
    Quantity,
    QuoteText,
    Role,
    Speaker,
    When,
)
from summarizer.llm.grammar import compact_grammar

ARTICLE = (
    "The Kestrel council met on Tuesday night and voted 7 to 2 to reopen the bridge on June 7. "
    'Repairs cost $4.2 million and took eight weeks, Mayor Lena Okafor said: "We kept our word. '
    'The bridge is safe, and it is open." Two years ago the bridge closed for a month.\n\n'
    "About 8,480 vehicles cross it every day, and twenty-one ferries ran while it was shut. "
    "The bridge opened in 1984. On 10 November 2020 a survey found cracks; by the 1990s it "
    "was already busy. Officials said last week that the work ended at 6:30 p.m. on Friday."
)


@pytest.fixture(scope="module")
def choices():  # type: ignore[no-untyped-def]
    return article_choices(ARTICLE)


@pytest.mark.parametrize(
    "value",
    [
        "Tuesday night",
        "June 7",
        "Two years ago",
        "two years ago",
        "eight weeks",
        "a month",
        "every day",
        "1984",
        "10 November 2020",
        "the 1990s",
        "last week",
        "6:30 p.m.",
        "Friday",
    ],
)
def test_the_articles_dates_are_offered_as_written(choices, value: str) -> None:  # type: ignore[no-untyped-def]
    assert value in choices.dates


@pytest.mark.parametrize(
    "value", ["2020-11-10", "2023-04-10", "Mayor Lena Okafor said", "the bridge", "November 2021", "Monday"]
)
def test_dates_the_article_does_not_write_are_not_offered(choices, value: str) -> None:  # type: ignore[no-untyped-def]
    assert value not in choices.dates


@pytest.mark.parametrize("value", ["7", "2", "4.2", "$4.2 million", "4.2 million", "8,480", "eight", "twenty-one"])
def test_the_articles_numbers_are_offered_as_written(choices, value: str) -> None:  # type: ignore[no-untyped-def]
    assert value in choices.figures


@pytest.mark.parametrize("value", ["1984", "2020", "10", "30", "Lena Okafor", "bridge", "8480", "21"])
def test_years_days_names_and_other_spellings_are_no_figures(choices, value: str) -> None:  # type: ignore[no-untyped-def]
    assert value not in choices.figures


@pytest.mark.parametrize(
    ("text", "absent", "offered"),
    [
        ("Call Lifeline on 13 11 14 if 200 people need help.", ["13", "11", "14"], ["200"]),
        ("The line, 1300 224 636, took 4,000 calls.", ["1300", "224", "636"], ["4,000"]),
        ("Dial 1-800-273-8255: nine staff answer.", ["1", "800", "273", "8255"], ["nine"]),
        ("Ring +44 20 7946 0000 for the 12 tickets.", ["44", "20", "7946", "0000"], ["12"]),
        ("It cost 2 500 000 euros over 3 years.", [], ["2", "500", "3"]),  # thousands, not a phone
    ],
)
def test_a_phone_numbers_digits_are_no_figures(text: str, absent: list[str], offered: list[str]) -> None:
    figures = article_choices(text).figures
    assert not set(absent) & set(figures)
    assert set(offered) <= set(figures)


@pytest.mark.parametrize(
    "value",
    [
        "We kept our word. The bridge is safe, and it is open.",
        "We kept our word.",
        "We kept our word",
        "The bridge is safe, and it is open.",
        "The bridge is safe",  # a sentence cut at its comma
    ],
)
def test_quotations_whole_by_sentence_and_by_clause(choices, value: str) -> None:  # type: ignore[no-untyped-def]
    assert value in choices.quotes


@pytest.mark.parametrize(
    "value", ["Repairs cost $4.2 million and took eight weeks", "our word", "The bridge opened in 1984."]
)
def test_narration_and_fragments_are_no_quotes(choices, value: str) -> None:  # type: ignore[no-untyped-def]
    assert value not in choices.quotes


def test_items_are_capped_at_distinct_things_not_at_variants(choices) -> None:  # type: ignore[no-untyped-def]
    assert choices.quote_count == 2  # two sentences, though five variants are offered
    assert len(choices.quotes) > choices.quote_count


def test_lower_case_tokenised_text() -> None:
    text = (
        "a boy , 13 , called for help on sunday morning .\n"
        "he told his sister : ` we 're going to be fine .\n"
        "stay low and keep calm . '\n"
        "police said he was a hero , `` a brave young man '' ."
    )
    c = article_choices(text)
    assert {"sunday morning", "Sunday morning"} <= set(c.dates)
    assert "13" in c.figures
    assert [q.text for q in quotations(text)] == [
        "we 're going to be fine .\nstay low and keep calm .",
        "a brave young man",
    ]
    assert "stay low and keep calm ." in c.quotes


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ("“It is done,” she said. „Es ist fertig“, sagte er.", ["It is done,", "Es ist fertig"]),
        ("He said 'we will build it' and left.", ["we will build it"]),
        ("The players' union and the club's owner met.", []),  # apostrophes open nothing
        ('"It went on\n\ninto the next paragraph', ["It went on"]),  # a blank line ends it
        # a quote that goes on into the next paragraph, which opens with a mark again, with the
        # paragraphs on single lines (as the XSum texts write them) or joined into one line
        (
            '"It was hard.\n"We kept going," she said.\nThe council met.',
            ["It was hard.", "We kept going,"],
        ),
        (
            'We were crying. "They took us.  We were all crying. "They said we would stay." The '
            "report, published on Monday, said 50 were held.",
            ["They took us.  We were all crying.", "They said we would stay."],
        ),
        ('He said: "We will stay.\n"We will build it."\nShe left.', ["We will stay.", "We will build it."]),
        # still one quote: a mark after a word closes, a spaced one before a space is tokenised text
        ('"It is done," she said. "We go on."', ["It is done,", "We go on."]),
        ('she said " it is done . " and left .', ["it is done ."]),
        ("'It is a \"big\" day,' she said.", ['It is a "big" day,']),
    ],
)
def test_quotation_marks_of_several_kinds(text: str, quotes: list[str]) -> None:
    assert [q.text for q in quotations(text)] == quotes
    for q in quotations(text):
        assert text[q.start : q.end] == q.text


def test_narration_after_a_quote_that_runs_on_is_no_quote() -> None:
    text = (
        'Hanan was held. "They took us.  We were all crying. "They said we would stay." '
        "The report said 50 women were held in the building for a week."
    )
    narration = "The report said 50 women were held in the building for a week."
    assert not [q for q in article_choices(text).quotes if "50 women" in q]
    i = text.index(narration)
    assert not inside_quote_marks(text, Span(i, i + len(narration), narration))
    j = text.index("They said")
    assert inside_quote_marks(text, Span(j, j + 9, "They said"))


def test_the_news_schema_is_narrowed_and_its_grammar_admits_only_the_articles_values() -> None:
    schema = cited_schema(ArticleSummary).model_json_schema()
    before = json.dumps(schema)
    narrowed = narrow_schema(schema, compile_schema(ArticleSummary), article_choices(ARTICLE))
    assert json.dumps(schema) == before  # the input is not changed
    defs = narrowed["$defs"]
    assert any("Tuesday night" in b["properties"]["when"]["enum"] for b in defs["DateMention"]["anyOf"])
    assert "8,480" in defs["Figure"]["properties"]["value"]["enum"]
    assert "We kept our word." in defs["Quote"]["properties"]["text"]["enum"]
    assert narrowed["properties"]["quotes"]["maxItems"] == 2
    assert narrowed["properties"]["dates"]["maxItems"] == 6  # the schema's own cap is lower
    grammar = compact_grammar(narrowed)
    assert '"\\"Tuesday night\\""' in grammar and "2023-04-10" not in grammar


def test_an_article_without_quotes_dates_or_numbers_gets_empty_lists() -> None:
    text = "The council met and agreed to reopen the bridge. Residents welcomed the news."
    narrowed = narrow_schema(
        cited_schema(ArticleSummary).model_json_schema(), compile_schema(ArticleSummary), article_choices(text)
    )
    for name in ("quotes", "dates", "figures"):
        assert narrowed["properties"][name]["maxItems"] == 0
    grammar = compact_grammar(narrowed)
    for name in ("quotes", "dates", "figures"):
        assert f'root-{name} ::= "[" "]"' in grammar


class Quote(BaseModel):
    speaker: Speaker
    text: QuoteText


class Report(BaseModel):
    lead_quote: QuoteText  # required at the top: cannot be forced empty, so left free
    deaths: Quantity | None = None  # may be null: narrowed, null still allowed
    injured: Annotated[int, QUANTITY] = 0  # not a string: left as it is
    when: list[When] = Field(default=[], max_length=4)  # a list of plain values
    quotes: list[Quote] = Field(default=[], min_length=1)  # a minimum the article cannot meet: no cap
    who: list[Name] = []


def test_a_user_schema_is_narrowed_only_where_an_instance_stays_possible() -> None:
    text = "Officials said 12 people died on Monday."
    narrowed = narrow_schema(Report.model_json_schema(), compile_schema(Report), article_choices(text))
    props = narrowed["properties"]
    assert props["lead_quote"] == Report.model_json_schema()["properties"]["lead_quote"]
    assert {"enum": ["12"]} in props["deaths"]["anyOf"] and {"type": "null"} in props["deaths"]["anyOf"]
    assert props["injured"] == Report.model_json_schema()["properties"]["injured"]
    assert props["when"]["items"]["enum"][0] == "Monday" and props["when"]["maxItems"] == 1
    assert "maxItems" not in props["quotes"]
    assert "enum" not in narrowed["$defs"]["Quote"]["properties"]["text"]  # at least one quote must be possible
    compact_grammar(narrowed)  # still a grammar


def test_an_empty_enum_outside_a_capped_list_is_refused_by_the_grammar() -> None:
    with pytest.raises(ValueError, match="empty enum"):
        compact_grammar({"type": "object", "properties": {"x": {"enum": []}}})


NOTE = """
from pydantic import BaseModel, Field
from summarizer.kinds import ClaimText, Counts, Evidence, Quantity, When


class Fig(BaseModel):
    value: Quantity
    counts: Counts


class Note(BaseModel):
    headline: ClaimText
    when: list[When] = Field(default=[], max_length=5)
    figures: list[Fig] = Field(default=[], max_length=5)
    evidence: Evidence
"""
FLOOD = (
    "The river authority in Port Malden approved a new flood barrier on Tuesday. "
    "Engineers said the barrier would cost 48 million dollars.\n"
)


def test_the_request_holds_the_narrowed_schema(isolated_env) -> None:  # type: ignore[no-untyped-def]
    """A server that takes a schema with ``json_object`` is sent the article's choices; the
    answer is still validated against the schema as written."""
    from typer.testing import CliRunner

    from summarizer.cli import app
    from tests.scripted import scripted

    (isolated_env / "flood.txt").write_text(FLOOD)
    (isolated_env / "note.py").write_text(NOTE)
    answer = {
        "headline": "Port Malden approves a flood barrier",
        "when": ["Tuesday"],
        "figures": [{"value": "48 million", "counts": "the barrier's cost in dollars"}],
        "evidence": [1],
    }
    with scripted([(200, json.dumps(answer))]) as srv:
        endpoint = ["--base-url", srv.url, "--model", "fake", "--api-key", "k", "--judge", "off"]
        schema = ["--schema", f"{isolated_env / 'note.py'}:Note"]
        result = CliRunner().invoke(app, ["summarize", str(isolated_env / "flood.txt"), *schema, *endpoint])
        (request,) = srv.requests
    assert result.exit_code == 0, result.stderr
    sent = request["response_format"]["schema"]
    assert sent["properties"]["when"]["items"]["enum"][:2] == ["Tuesday", "tuesday"]
    assert sent["properties"]["when"]["maxItems"] == 1
    assert "48 million" in sent["$defs"]["Fig"]["properties"]["value"]["enum"]
    assert sent["properties"]["figures"]["maxItems"] == 1
    # the prompt shows the schema as written, without the article's values
    assert "48 million" not in json.dumps(request["messages"][0])


def test_a_quote_cut_at_a_comma_is_offered_without_the_comma() -> None:
    text = '"Our fans were patient with us," the coach said. "We owe them a win, and soon."'
    quotes = article_choices(text).quotes
    assert "Our fans were patient with us" in quotes
    assert not [q for q in quotes if q.endswith(",")]


@pytest.mark.parametrize(
    ("text", "offered", "never"),
    [
        ("The ward reopened eight months after the fire.", "eight months after", "eight Months after"),
        ("It closed on monday and reopened on wednesday night.", "Wednesday night", "WEDnesday night"),
        ("Sales rose for six months in a row.", "six months", "six Months"),
        ("The budget, set in march 2021, ran out.", "March 2021", "march 2021".upper()),
    ],
)
def test_month_and_weekday_names_are_capitalised_only_as_whole_words(text: str, offered: str, never: str) -> None:
    dates = article_choices(text).dates
    assert offered in dates
    assert never not in dates


class Person(BaseModel):
    name: Name
    kind: EntityKind
    role: PersonRole | None = None


class AnyRole(BaseModel):
    name: Name
    kind: EntityKind
    role: Role | None = None


class RequiredRole(BaseModel):
    name: Name
    kind: EntityKind
    role: PersonRole


class People(BaseModel):
    people: list[Person] = []
    any_role: list[AnyRole] = []
    required: list[RequiredRole] = []


def _kinds_and_roles(node: dict) -> list[tuple[list[str], str | None]]:  # type: ignore[type-arg]
    return [
        (b["properties"]["kind"]["enum"], "null" if b["properties"]["role"] == {"type": "null"} else "free")
        for b in node["anyOf"]
    ]


def test_a_role_marked_for_persons_is_written_only_beside_a_person() -> None:
    choices = article_choices("Mark Dlamini met the Kestrel Council.")
    narrowed = narrow_schema(People.model_json_schema(), compile_schema(People), choices)
    defs = narrowed["$defs"]
    assert _kinds_and_roles(defs["Person"]) == [(["person"], "free"), (["organisation", "place"], "null")]
    assert "anyOf" not in defs["AnyRole"]  # an unmarked role stays free beside any kind
    assert "anyOf" not in defs["RequiredRole"]  # a role that may not be null cannot be split
    grammar = compact_grammar(narrowed)
    assert 'person-0-kind ::= "\\"person\\""' in grammar
    assert "person-1-role ::= null" in grammar


def test_the_news_schema_lets_only_persons_have_a_role() -> None:
    narrowed = narrow_schema(
        cited_schema(ArticleSummary).model_json_schema(), compile_schema(ArticleSummary), article_choices(ARTICLE)
    )
    assert _kinds_and_roles(narrowed["$defs"]["Entity"]) == [(["person"], "free"), (["organisation", "place"], "null")]
    # records written before places were an entity kind, with roles beside organisations, still load
    old = {"name": "Kestrel council", "kind": "organisation", "role": "council", "evidence": ["x"]}
    assert Entity.model_validate(old).role == "council"


def test_an_entity_option_is_refused_on_kinds_it_cannot_apply_to() -> None:
    assert FieldKind(Kind.ROLE, entity="person").entity == "person"
    with pytest.raises(ValueError, match=r"only applies to Kind\.NAME and Kind\.ROLE"):
        FieldKind(Kind.DATE, entity="person")


@pytest.mark.parametrize("written", ["null", "None", " NULL "])
def test_null_written_as_text_is_null_only_where_a_field_may_be_null(written: str) -> None:
    entity = Entity.model_validate({"name": "Lena Okafor", "kind": "person", "role": written, "evidence": []})
    assert entity.role is None
    named = Entity.model_validate({"name": written.strip(), "kind": "person", "role": "mayor", "evidence": []})
    assert named.name == written.strip()  # a name may not be null: the verifier sees what was written
    cited = cited_schema(ArticleSummary).model_validate(
        {
            "headline": {"text": "x", "evidence": [1]},
            "summary": {"text": "x", "evidence": [1]},
            "key_points": [],
            "entities": [{"name": "Lena Okafor", "kind": "person", "role": written, "evidence": [1]}],
            "places": [],
            "dates": [],
            "figures": [],
            "quotes": [],
        }
    )
    assert cited.entities[0].role is None  # type: ignore[attr-defined]


# -- a date and its event are chosen together --------------------------------------------------
def _pairs(schema: dict, event: str = "event") -> dict[str, list[str]]:  # type: ignore[type-arg]
    return {b["properties"]["when"]["enum"][0]: b["properties"][event]["enum"] for b in schema["anyOf"]}


def _news(text: str) -> dict:  # type: ignore[type-arg]
    return narrow_schema(
        cited_schema(ArticleSummary).model_json_schema(), compile_schema(ArticleSummary), article_choices(text)
    )


def test_a_date_is_paired_only_with_the_sentences_that_give_it() -> None:
    pairs = _pairs(_news(ARTICLE)["$defs"]["DateMention"])
    council = "The Kestrel council met on Tuesday night and voted 7 to 2 to reopen the bridge on June 7."
    assert pairs["Tuesday night"] == [council]
    assert pairs["June 7"] == [council]
    assert pairs["Two years ago"] == ["Two years ago the bridge closed for a month."]
    assert pairs["1984"] == ["The bridge opened in 1984."]
    assert pairs["Friday"] == ["Officials said last week that the work ended at 6:30 p.m. on Friday."]
    assert pairs["last week"] == pairs["Friday"]


def test_the_news_schema_refuses_a_date_beside_another_sentences_event() -> None:
    narrowed = _news(ARTICLE)
    item = {"when": "Tuesday night", "event": "", "evidence": [1]}
    right = {
        **item,
        "event": "The Kestrel council met on Tuesday night and voted 7 to 2 to reopen the bridge on June 7.",
    }
    wrong = {**item, "event": "Two years ago the bridge closed for a month."}
    made_up = {**item, "event": "The council voted."}
    validator = jsonschema.Draft202012Validator({**narrowed["properties"]["dates"], "$defs": narrowed["$defs"]})
    assert validator.is_valid([right])
    assert not validator.is_valid([wrong]) and not validator.is_valid([made_up])
    assert "two years ago the bridge closed" not in compact_grammar(narrowed).split("dates")[0].lower()


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        (
            "February 27, 2019 | 07:56 am PT\nThe leaders met on February 27, 2019 in Hanoi.",
            ["The leaders met on February 27, 2019 in Hanoi."],
        ),
        (
            "HANOI, Feb. 27 (AP)\nOn Feb. 27 the leaders met in the capital.",
            ["On Feb. 27 the leaders met in the capital."],
        ),
        (
            "monday 's talks .\nthe two leaders met on monday in the capital .",
            ["the two leaders met on monday in the capital ."],
        ),
    ],
)
def test_a_dateline_is_no_event(text: str, offered: list[str]) -> None:
    found = article_choices(text).date_events[0]
    assert found.events(200) == tuple(offered)


def test_a_long_sentence_offers_its_runs_of_clauses_that_hold_the_date_and_fit() -> None:
    text = (
        "After weeks of talks that had stalled twice over the cost of repairs, the council of the "
        "small harbour town of Kestrel, which owns the bridge, voted on Tuesday night to reopen it, "
        "a decision that residents and ferry operators had demanded for months."
    )
    (tuesday,) = [d for d in article_choices(text).date_events if "Tuesday night" in d.spellings]
    assert tuesday.events(None) == (text,)
    events = tuesday.events(120)
    assert events and all(len(e) <= 120 and "Tuesday night" in e and e in text for e in events)
    assert "which owns the bridge, voted on Tuesday night to reopen it" in events
    assert all(not e.endswith(",") for e in events)
    assert tuesday.events(20) == ()  # no clause around the date is that short


class Milestone(BaseModel):
    when: When
    what: Event


class Stretch(BaseModel):
    start: When
    end: When
    what: Annotated[str, FieldKind(Kind.EVENT, of="end")]


class Log(BaseModel):
    when: When
    what: Event
    then: Event


class Timeline(BaseModel):
    milestones: list[Milestone] = Field(default=[], max_length=4)
    stretches: list[Stretch] = []
    logs: list[Log] = []


def test_a_user_schema_pairs_an_event_with_the_date_it_describes() -> None:
    narrowed = narrow_schema(Timeline.model_json_schema(), compile_schema(Timeline), article_choices(ARTICLE))
    defs = narrowed["$defs"]
    assert _pairs(defs["Milestone"], event="what")["1984"] == ["The bridge opened in 1984."]
    stretch = defs["Stretch"]["anyOf"]
    assert {"The bridge opened in 1984."} == {
        e for b in stretch if "1984" in b["properties"]["end"]["enum"] for e in b["properties"]["what"]["enum"]
    }
    assert all("1984" in b["properties"]["start"]["enum"] for b in stretch)  # the other date stays free of the pairing
    assert (
        "anyOf" not in defs["Log"] and defs["Log"]["properties"]["what"]["type"] == "string"
    )  # two events: left alone


@pytest.mark.parametrize(
    ("text", "offered", "never"),
    [
        ("A 13-year-old girl left 13 years ago.", ["13 years ago"], ["13-year", "13-year-old"]),
        ("Her two-year-old son was born two years ago.", ["two years ago"], ["two-year", "two-year-old"]),
        ("The 40-Year-Old Virgin came out three years later.", ["three years later"], ["40-Year"]),
        ("The 20-minute drive took 20 minutes.", ["20-minute", "20 minutes"], []),
    ],
)
def test_an_age_is_no_date(text: str, offered: list[str], never: list[str]) -> None:
    dates = article_choices(text).dates
    assert all(v in dates for v in offered)
    assert not any(v in dates for v in never)
