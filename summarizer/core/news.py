"""The summary a model fills in: what a news editor needs, each claim with its evidence.

Pure data. Field descriptions are read by the model (they travel inside the JSON Schema
that instructor puts in the prompt), so they are short and say what to copy. Every list is
capped, and every string has a generous length bound: each output token costs about 0.05 s
on the embedded model, and a bound keeps a small model from padding one field until the
output limit (llama.cpp's grammar enforces it).
"""

from __future__ import annotations

import json
import types
import typing
import weakref
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from summarizer.core.kinds import (
    ClaimText,
    Counts,
    EntityKind,
    Event,
    Evidence,
    Name,
    PersonRole,
    PlaceName,
    Quantity,
    QuoteText,
    Speaker,
    Unit,
    When,
)

__all__ = [
    "ArticleSummary",
    "Claim",
    "DateMention",
    "Entity",
    "Figure",
    "Place",
    "Quote",
]

_EVIDENCE = "Copied word for word from the article."


def _strip_titles(node: Any, root: bool = True) -> Any:
    """Pydantic titles every property ("title": "Evidence"): tokens the model reads and never
    needs. The root title stays (tools mode names the function after it).

    Returns:
        A copy of ``node`` without the property titles.
    """
    if isinstance(node, dict):
        return {
            k: _strip_titles(v, False)
            for k, v in node.items()
            if not (k == "title" and not root and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_strip_titles(v, False) for v in node]
    return node


# Rendered schema text per class (weakly held: classes made at run time must not pile up).
_SCHEMA_TEXT: weakref.WeakKeyDictionary[type, dict[tuple[Any, ...], str]] = weakref.WeakKeyDictionary()


_NULL_WORDS = frozenset({"null", "none"})


def _nullable(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in typing.get_args(
        annotation
    )


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _null_written_as_text(cls, data: Any) -> Any:
        """A field that may be null, given the text "null" or "none": the model meant null.

        Told that organisations and places have no role (null), the embedded 1.5B wrote the
        string "null" as the role of 5 of 63 persons on the evaluation documents.

        Returns:
            ``data`` with such fields set to None (a new dict when any is).
        """
        if not isinstance(data, dict):
            return data
        nulls = [
            name
            for name, info in cls.model_fields.items()
            if isinstance(data.get(name), str)
            and data[name].strip().lower() in _NULL_WORDS
            and _nullable(info.annotation)
        ]
        return {**data, **dict.fromkeys(nulls)} if nulls else data

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON Schema without property titles. instructor asks for it on every call;
        generating it costs milliseconds per article in a batch, so the rendered text is
        kept per class and arguments, and each caller gets a fresh copy.

        Returns:
            The JSON Schema as a new dict.
        """
        key = (args, tuple(sorted(kwargs.items())))
        texts = _SCHEMA_TEXT.setdefault(cls, {})
        text = texts.get(key)
        if text is None:
            schema = super().model_json_schema(*args, **kwargs)
            defs = schema.get("$defs", {})
            stripped = _strip_titles(schema)
            for name, sub in defs.items():  # keep $defs keys, drop titles inside them
                stripped["$defs"][name] = _strip_titles(sub, False)
            text = texts[key] = json.dumps(stripped)
        result: dict[str, Any] = json.loads(text)
        return result


class Claim(_Model):
    """A statement the article supports, with the passages that support it."""

    text: ClaimText = Field(max_length=400, description="The statement, in your own words.")
    evidence: Evidence = Field(max_length=2, description=_EVIDENCE)


# Records written before places were an entity kind hold only "person" and "organisation",
# and roles beside organisations; they still validate. (The docstring is read by the model.)
class Entity(_Model):
    """A person, organisation or place the article names."""

    name: Name = Field(max_length=100, description="Full name as written in the article.")
    kind: EntityKind
    role: PersonRole | None = Field(
        max_length=120, description="A person's title or job as the article states it, else null."
    )
    evidence: Evidence = Field(max_length=2, description=_EVIDENCE)


class Place(_Model):
    name: PlaceName = Field(max_length=100, description="Place name as written in the article.")
    evidence: Evidence = Field(max_length=2, description=_EVIDENCE)


class DateMention(_Model):
    when: When = Field(max_length=60, description="Date, time or duration exactly as written.")
    event: Event = Field(max_length=200, description="What happens or happened then.")
    evidence: Evidence = Field(max_length=2, description=_EVIDENCE)


class Figure(_Model):
    value: Quantity = Field(max_length=40, description="The number exactly as written, e.g. '20' or 'eight'.")
    unit: Unit | None = Field(max_length=30, description="Unit, e.g. 'days', '%', 'USD', else null.")
    counts: Counts = Field(max_length=120, description="What the number counts or measures.")
    evidence: Evidence = Field(max_length=2, description=_EVIDENCE)


class Quote(_Model):
    speaker: Speaker = Field(max_length=100, description="Who said it, as named in the article.")
    text: QuoteText = Field(max_length=400, description="The quoted words, copied exactly, without quote marks.")


class ArticleSummary(_Model):
    """Structured summary of one news article."""

    headline: Claim = Field(description="A factual headline of at most 15 words.")
    summary: Claim = Field(description="2-3 sentences: what happened, who, where, when.")
    key_points: list[Claim] = Field(max_length=6, description="3-5 most important facts.")
    entities: list[Entity] = Field(max_length=10)
    places: list[Place] = Field(
        max_length=6, description="Countries, cities and venues (hotels, buildings) the article names."
    )
    dates: list[DateMention] = Field(max_length=6)
    figures: list[Figure] = Field(max_length=6)
    quotes: list[Quote] = Field(max_length=5, description="Direct quotes that appear in quote marks.")
