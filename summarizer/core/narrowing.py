"""A JSON Schema narrowed to what one article offers (:mod:`summarizer.core.choices`). Pure code.

:func:`narrow_schema` makes each quote, date and quantity string field of any schema built from
the checkable kinds a choice among the article's own strings, caps each list of them at what
the article offers, lets a role marked for one entity kind be written only beside that kind,
and chooses a date together with an event the article gives it. A decoder constrained by the
result (llama.cpp's grammar, a server that honours ``enum``) can write only those.
"""

from __future__ import annotations

import copy
from typing import Any

from summarizer.core.choices import ArticleChoices
from summarizer.core.kinds import Kind
from summarizer.core.schema_plan import ModelPlan

__all__ = ["narrow_schema"]


def _branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    return list(node["anyOf"]) if "anyOf" in node else [node]


def _narrow_leaf(node: dict[str, Any], values: tuple[str, ...]) -> bool:
    """Make the string branch of ``node`` an ``enum`` of the values that fit its length bound.

    Returns:
        Whether the leaf can still take a value (a string choice, or null).
    """
    nullable = any(b.get("type") == "null" for b in _branches(node))
    for branch in _branches(node):
        if branch.get("type") == "string" and not branch.get("format"):
            bound = branch.get("maxLength")
            fit = [v for v in values if bound is None or len(v) <= int(bound)]
            for key in ("type", "maxLength", "minLength", "pattern"):
                branch.pop(key, None)
            branch["enum"] = fit
            if not fit and "anyOf" in node:
                node["anyOf"] = [b for b in node["anyOf"] if b is not branch]
            return bool(fit) or nullable
        if "enum" in branch:
            return bool(branch["enum"]) or nullable
    return True


def _split_roles(obj: dict[str, Any], model: ModelPlan) -> None:
    """Let a role marked for one entity kind (``FieldKind(Kind.ROLE, entity=...)``) be written
    only beside that kind: ``obj`` becomes ``anyOf`` two objects, one whose kind field is that
    kind and one whose kind field is any other and whose role is null. Left as it is when the
    role is not nullable, or the kind field is no ``enum`` holding that kind and another.
    """
    props: dict[str, Any] = obj.get("properties", {})
    kind = next((f for f in model.fields if f.kind is Kind.ENTITY_KIND and not f.many), None)
    if kind is None or "enum" not in props.get(kind.name, {}):
        return
    for f in model.fields:
        entity = f.marker.entity if f.kind is Kind.ROLE and f.marker is not None else None
        role = props.get(f.name)
        if entity is None or f.many or role is None or not any(b.get("type") == "null" for b in _branches(role)):
            continue
        values = list(props[kind.name]["enum"])
        others = [v for v in values if v != entity]
        if entity not in values or not others:
            continue
        alone, rest = copy.deepcopy(obj), copy.deepcopy(obj)
        alone["properties"][kind.name]["enum"] = [entity]
        rest["properties"][kind.name]["enum"] = others
        rest["properties"][f.name] = {"type": "null"}
        obj.clear()
        obj["anyOf"] = [alone, rest]
        return


def _enum(node: dict[str, Any]) -> list[Any]:
    return next((list(b["enum"]) for b in _branches(node) if "enum" in b), [])


def _bound(node: dict[str, Any]) -> int | None:
    found = [int(b["maxLength"]) for b in _branches(node) if b.get("type") == "string" and "maxLength" in b]
    return found[0] if found else None


def _pair_events(obj: dict[str, Any], model: ModelPlan, choices: ArticleChoices) -> None:
    """Let a date (already narrowed to the article's) be paired only with an event the article
    gives it: ``obj`` becomes ``anyOf`` one object per distinct date, whose date field (the
    event's subject) takes that date's spellings and whose event field one of
    :meth:`DateEvents.events`. Left as it is unless ``obj`` has exactly one event field, not a
    list, and some date has an event that fits the event's length bound.
    """
    props: dict[str, Any] = obj.get("properties", {})
    found_events = [f for f in model.fields if f.kind is Kind.EVENT and f.name in props]
    if len(found_events) != 1 or found_events[0].many or found_events[0].subject not in props:
        return
    event = found_events[0]
    date = next(f for f in model.fields if f.name == event.subject)
    offered = set(_enum(props[date.name]))
    bound = _bound(props[event.name])
    pairs: list[dict[str, Any]] = []
    for found in choices.date_events:
        spellings = tuple(v for v in found.spellings if v in offered)
        events = found.events(bound)
        if not spellings or not events:
            continue
        pair = copy.deepcopy(obj)
        for branch in _branches(pair["properties"][date.name]):
            if "enum" in branch:
                branch["enum"] = list(spellings)
        _narrow_leaf(pair["properties"][event.name], events)
        pairs.append(pair)
    if pairs:
        obj.clear()
        obj["anyOf"] = pairs


def narrow_schema(schema: dict[str, Any], plan: ModelPlan, choices: ArticleChoices) -> dict[str, Any]:
    """``schema`` with every quote, date and quantity string field limited to ``choices``.

    Each such field becomes an ``enum`` of the article's values (those within its
    ``maxLength``); a list whose items hold one is capped at the number of distinct things the
    article offers of that kind (``maxItems``). Every part is narrowed only where the schema
    still admits an instance: a field with no value to take only inside a list (then capped at
    0 items) or when it may be null, and a list never below its ``minItems`` (a part that would
    break either stays as it was). Fields that are not plain strings (numbers, dates with a
    ``format``) are left as they are. In a nested object whose role is marked for one entity
    kind (``FieldKind(Kind.ROLE, entity="person")``), the role may be written only beside that
    kind: any other kind takes a null role. In a nested object with one date and one event
    field, the event is a sentence of the article that gives the date chosen
    (:meth:`DateEvents.events`).

    Args:
        schema: The JSON Schema Pydantic emits for the class ``plan`` was compiled from (or for
            a class with the same field names, such as the cited form the model is asked for).
        plan: The compiled plan, which says each field's kind.
        choices: What the article offers (:func:`article_choices`).

    Returns:
        A new schema; ``schema`` is not changed.
    """
    out = copy.deepcopy(schema)
    defs: dict[str, Any] = out.get("$defs", {})

    def target(node: dict[str, Any]) -> dict[str, Any]:
        for branch in _branches(node):
            inner = branch["allOf"][0] if "allOf" in branch and len(branch["allOf"]) == 1 else branch
            if "$ref" in inner:
                return defs[str(inner["$ref"]).rsplit("/", 1)[-1]]  # type: ignore[no-any-return]
            if inner.get("type") == "object":
                return inner
        return node

    def items(node: dict[str, Any]) -> dict[str, Any] | None:
        for branch in _branches(node):
            if branch.get("type") == "array":
                return branch
        return None

    def cap(array: dict[str, Any], most: int) -> bool:
        """Cap ``array`` at ``most`` items; False (nothing capped) when its minimum is more."""
        if int(array.get("minItems", 0)) > most:
            return False
        array["maxItems"] = min(int(array.get("maxItems", most)), most)
        return True

    def walk(obj: dict[str, Any], model: ModelPlan, listed: bool) -> int | None:
        """Narrow ``obj``'s fields; the most items a list of ``obj`` may then hold (None: no cap)."""
        props: dict[str, Any] = obj.get("properties", {})
        most: int | None = None
        for f in model.fields:
            node = props.get(f.name)
            if node is None:
                continue
            if f.model is not None:
                array = items(node) if f.many else None
                nested = target(array["items"] if array else node)
                kept = copy.deepcopy(nested)
                inner = walk(nested, f.model, listed or array is not None)
                fits = inner is None or (cap(array, inner) if array is not None else inner > 0)
                if not fits:  # no instance would be left: this part stays as it was
                    nested.clear()
                    nested.update(kept)
                _split_roles(nested, f.model)
                _pair_events(nested, f.model, choices)
                continue
            entity = f.marker.entity if f.marker is not None else None
            found = choices.of(f.kind, entity) if f.kind is not None else None
            if found is None:
                continue
            values, count = found
            array = items(node) if f.many else None
            if array is not None:
                if cap(array, min(count, len(values))):
                    _narrow_leaf(array["items"], values)
            elif values or listed or any(b.get("type") == "null" for b in _branches(node)):
                takes = _narrow_leaf(node, values)
                most = 0 if not takes else count if most is None else min(count, most)
        return most

    walk(out, plan, False)
    return out
