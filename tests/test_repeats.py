"""Repeated list items are dropped before verification, and the record says which.

Unit cases on the default news schema and on user schemas (plain-value lists, nested models,
a minimum length); the case end to end through ``summarize`` is in
tests/test_answers_as_they_come.py. Texts are invented here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from summarizer.core.news import ArticleSummary
from summarizer.core.repeats import drop_repeats
from summarizer.core.schema_plan import compile_schema
from summarizer.kinds import ClaimText, Evidence, Name, Quantity

NEWS = compile_schema(ArticleSummary)


def news(**lists: Any) -> ArticleSummary:
    base: dict[str, Any] = {
        "headline": {"text": "A bridge reopened", "evidence": []},
        "summary": {"text": "A bridge reopened on Monday.", "evidence": []},
        "key_points": [],
        "entities": [],
        "places": [],
        "dates": [],
        "figures": [],
        "quotes": [],
    }
    return ArticleSummary.model_validate(base | lists)


def entity(name: str, kind: str = "person", role: str | None = None) -> dict[str, Any]:
    return {"name": name, "kind": kind, "role": role, "evidence": []}


def test_a_name_listed_again_is_dropped_whatever_the_later_item_says() -> None:
    s = news(
        entities=[
            entity("Tokyo Metropolitan Police", "organisation"),
            entity("Lena Okafor", role="mayor"),
            entity("tokyo  metropolitan police", "person", "author"),
            entity("Lena Okafor", role="author"),
        ],
        places=[{"name": "Maryland", "evidence": []}, {"name": "MARYLAND", "evidence": ["sentence 2"]}],
    )
    kept, dropped = drop_repeats(s, NEWS)
    assert dropped == ["entities[2]", "entities[3]", "places[1]"]
    assert [(e.name, e.kind, e.role) for e in kept.entities] == [
        ("Tokyo Metropolitan Police", "organisation", None),
        ("Lena Okafor", "person", "mayor"),
    ]
    assert [p.name for p in kept.places] == ["Maryland"]


def test_items_without_a_name_repeat_only_when_everything_but_the_evidence_is_equal() -> None:
    s = news(
        dates=[
            {"when": "Wednesday", "event": "The court approved the restart.", "evidence": ["sentence 1"]},
            {"when": "Wednesday", "event": "A drone was found on the roof.", "evidence": ["sentence 2"]},
            {"when": "wednesday", "event": "The court  approved the restart.", "evidence": ["sentence 3"]},
        ],
        figures=[
            {"value": "2", "unit": None, "counts": "goals", "evidence": []},
            {"value": "2", "unit": None, "counts": "weeks of repairs", "evidence": []},
            {"value": "2", "unit": None, "counts": "Goals", "evidence": ["sentence 4"]},
        ],
        key_points=[
            {"text": "The bridge reopened.", "evidence": ["sentence 1"]},
            {"text": "The bridge reopened.", "evidence": ["sentence 2"]},
        ],
    )
    kept, dropped = drop_repeats(s, NEWS)
    assert dropped == ["key_points[1]", "dates[2]", "figures[2]"]
    assert [d.event for d in kept.dates] == ["The court approved the restart.", "A drone was found on the roof."]
    assert [f.counts for f in kept.figures] == ["goals", "weeks of repairs"]


def test_composed_and_decomposed_letters_are_the_same_name() -> None:
    s = news(entities=[entity("Zo\u00eb Ba\u00f1os"), entity("Zoe\u0308 Ban\u0303os", role="coach")])
    kept, dropped = drop_repeats(s, NEWS)
    assert dropped == ["entities[1]"] and len(kept.entities) == 1


def test_nothing_repeated_returns_the_summary_itself() -> None:
    s = news(entities=[entity("Lena Okafor"), entity("Mark Dlamini")])
    kept, dropped = drop_repeats(s, NEWS)
    assert kept is s and dropped == []


class Team(BaseModel):
    name: Name
    scores: list[Quantity] = Field(default_factory=list)


class Match(BaseModel):
    claims: list[ClaimText]
    teams: list[Team]
    evidence: Evidence = Field(default_factory=list)


class Report(BaseModel):
    match: Match
    at_least_three: list[ClaimText] = Field(min_length=3)


def test_user_schemas_plain_value_lists_and_nested_models() -> None:
    plan = compile_schema(Report)
    r = Report.model_validate(
        {
            "match": {
                "claims": ["Gloucester won.", "Gloucester  won.", "The Blues lost."],
                "teams": [{"name": "Gloucester", "scores": ["10", "10", "23"]}, {"name": "gloucester", "scores": []}],
            },
            "at_least_three": ["a", "b", "c"],
        }
    )
    kept, dropped = drop_repeats(r, plan)
    assert dropped == ["match.claims[1]", "match.teams[1]", "match.teams[0].scores[1]"]
    assert kept.match.claims == ["Gloucester won.", "The Blues lost."]
    assert kept.match.teams[0].scores == ["10", "23"]


def test_a_drop_that_would_break_a_minimum_length_drops_nothing() -> None:
    plan = compile_schema(Report)
    r = Report.model_validate(
        {"match": {"claims": ["x", "x"], "teams": []}, "at_least_three": ["The vote passed.", "The vote passed.", "b"]}
    )
    kept, dropped = drop_repeats(r, plan)
    assert kept is r and dropped == []
