"""Evidence cited by sentence number instead of copied quotes. Pure code.

Copying evidence costs most of an answer's tokens (the copying prompt, version 1 of
``prompts/summarize.toml``, asked for one or two quotes of up to 25 words per item). On the
ten articles of ``bench/output_tokens.py`` (embedded 1.5B model, 2 slots) citing gave 9
valid answers of 10 at 645 completion tokens in the mean, against 6 of 10 at 924 with copied
quotes (commit 4ed37ed; README, "Benchmarks"). In this mode the prompt numbers the article's
sentences (``[3] ...``), the schema the model sees asks for sentence numbers wherever the
user's schema has evidence quotes, and the answer is turned back into the user's schema with
each number replaced by that sentence's exact text before anything is verified, so records
keep evidence as quotes with offsets into the original article. A number that names no
sentence becomes a quote the article does not contain, so the verdicts say the evidence was
not found.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

from summarizer.core.kinds import EVIDENCE, Kind
from summarizer.core.schema_plan import ModelPlan, compile_schema
from summarizer.core.spans import Span
from summarizer.core.verify.text import sentences

__all__ = ["cited_schema", "number_sentences", "uncite"]

CITE = "Numbers of 1 or 2 sentences of the article that support this item, e.g. [3, 7]."


def number_sentences(text: str) -> tuple[str, list[Span]]:
    """The article as the prompt shows it in this mode.

    Returns:
        The numbered sentences (``[1] ...``, one per line, numbered from 1), and the sentences
        themselves with their half-open character offsets into ``text``.
    """
    found = sentences(text)
    return "\n".join(f"[{i}] {s.text}" for i, s in enumerate(found, 1)), found


def _swap(annotation: Any, old: type[BaseModel], new: type[BaseModel]) -> Any:
    """``annotation`` with the model ``old`` replaced by ``new`` (inside lists and optionals)."""
    if annotation is old:
        return new
    origin = typing.get_origin(annotation)
    if origin is None:
        return annotation
    args = tuple(_swap(a, old, new) for a in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        return typing.Union[args]  # noqa: UP007 - built from a tuple of types
    if origin is typing.Annotated:
        return Annotated.__class_getitem__((args[0], *annotation.__metadata__))  # type: ignore[attr-defined]
    return origin[args] if len(args) > 1 else origin[args[0]]


@cache
def cited_schema(cls: type[BaseModel]) -> type[BaseModel]:
    """``cls`` as the model sees it in this mode: evidence fields are lists of sentence numbers."""
    return _cited(cls, compile_schema(cls))


def _cited(cls: type[BaseModel], plan: ModelPlan) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    by_name = {f.name: f for f in plan.fields}
    for name, info in cls.model_fields.items():
        f = by_name.get(name)
        if f is not None and f.kind is Kind.EVIDENCE:
            limit = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
            fields[name] = (Annotated[list[int], EVIDENCE], Field(max_length=limit, description=CITE))
        elif f is not None and f.model is not None:
            inner = _cited(f.model.cls, f.model)
            fields[name] = (_swap(info.annotation, f.model.cls, inner), info)
        else:
            fields[name] = (info.annotation, info)
    base = next(b for b in cls.__mro__[1:] if isinstance(b, type) and issubclass(b, BaseModel))
    made = create_model(cls.__name__, __base__=base, __doc__=cls.__doc__, __module__=cls.__module__, **fields)
    made.model_config["title"] = cls.model_config.get("title") or cls.__name__
    return made


def _restore(data: Any, plan: ModelPlan, found: list[Span]) -> Any:
    if not isinstance(data, dict):
        return data
    for f in plan.fields:
        value = data.get(f.name)
        if value is None:
            continue
        if f.kind is Kind.EVIDENCE:
            data[f.name] = [
                found[n - 1].text
                if isinstance(n, int) and 1 <= n <= len(found)
                else f"(sentence {n}: no such sentence)"
                for n in value
            ]
        elif f.model is not None:
            data[f.name] = [_restore(v, f.model, found) for v in value] if f.many else _restore(value, f.model, found)
    return data


def uncite(answer: BaseModel, schema: type[BaseModel], found: list[Span] | None) -> BaseModel:
    """The model's answer as an instance of the user's ``schema``.

    Fields are matched by name, so aliases (``alias``, ``validation_alias``,
    ``serialization_alias``) round-trip.

    Args:
        answer: An instance of the schema the model was shown (:func:`cited_schema` of
            ``schema`` in this mode, else ``schema`` or its bounded form).
        schema: The user's schema.
        found: The article's sentences as numbered in the prompt; ``None`` when the answer
            holds quotes already. A number naming no sentence (outside ``1..len(found)``)
            becomes the quote ``"(sentence N: no such sentence)"``, which no article contains.

    Returns:
        An instance of ``schema`` with evidence as quotes.

    Raises:
        ValidationError: The answer does not fit ``schema`` (pydantic's error).
    """
    data = answer.model_dump()
    if found is not None:
        data = _restore(data, compile_schema(schema), found)
    return schema.model_validate(data, by_name=True, by_alias=False)
