"""Repeated list items, dropped before verification. Pure code.

A small model pads a list by writing an item again: the same place seven times, the same date
and event six times, one organisation listed once as an organisation and again as a person.
On twelve SummaC documents outside the evaluation set (``bench/schema_study.py``, the tuning
set, labelled under bench/labels/RULES.md), the embedded 1.5B model's answers held 688 checked
fields, 294 of them wrong (42.7 %); the items this module drops held 142 of those fields, 87
of them wrong (the 55 right ones sit in items that repeat an earlier item's name or content).
Without them: 546 fields, 207 wrong (37.9 %); per article 17.2 wrong fields instead of 24.5.

An item repeats an earlier item of the same list when:

- both name something (the item has a single :data:`~summarizer.core.kinds.Kind.NAME` leaf)
  and the names are equal after case folding and spacing: one item per named thing, the
  first kept, whatever the later one says about it;
- otherwise, when every leaf but the evidence is equal after the same folding (two dates
  with different events, or two figures with the same number and different things counted,
  are different items);
- for a list of plain values (such as key points as strings), the values are equal.

Nested models are searched too. Paths name the dropped items as the model wrote them
(``entities[3]``), before any item was removed.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from pydantic import BaseModel, ValidationError

from summarizer.core.kinds import Kind
from summarizer.core.schema_plan import ModelPlan

__all__ = ["drop_repeats"]


def _fold(value: Any) -> str:
    text = unicodedata.normalize("NFKC", value.value if hasattr(value, "value") else str(value))
    return " ".join(text.casefold().split())


def _content(obj: Any, plan: ModelPlan | None) -> Any:
    """Every leaf but the evidence, folded, in a form that compares equal for equal items."""
    if plan is None or not isinstance(obj, BaseModel):
        return None if obj is None else _fold(obj)
    out: dict[str, Any] = {}
    for f in plan.fields:
        if f.kind is Kind.EVIDENCE:
            continue
        value = getattr(obj, f.name)
        if f.many and isinstance(value, (list, tuple)):
            out[f.name] = [_content(v, f.model) for v in value]
        else:
            out[f.name] = _content(value, f.model)
    return out


def _identity(item: Any, plan: ModelPlan | None) -> str:
    if plan is not None and isinstance(item, BaseModel):
        names = [f for f in plan.fields if f.kind is Kind.NAME and not f.many]
        if len(names) == 1 and getattr(item, names[0].name):
            return "name\x1f" + _fold(getattr(item, names[0].name))
    return json.dumps(_content(item, plan), sort_keys=True, ensure_ascii=False)


def _walk(obj: BaseModel, plan: ModelPlan, data: dict[str, Any], prefix: str, dropped: list[str]) -> None:
    for f in plan.fields:
        value = getattr(obj, f.name)
        if value is None or f.kind is Kind.EVIDENCE:
            continue
        if f.many and isinstance(value, list) and isinstance(data.get(f.name), list):
            seen: set[str] = set()
            keep: list[int] = []
            for i, item in enumerate(value):
                ident = _identity(item, f.model)
                if ident in seen:
                    dropped.append(f"{prefix}{f.name}[{i}]")
                else:
                    seen.add(ident)
                    keep.append(i)
            data[f.name] = [data[f.name][i] for i in keep]
            if f.model is not None:
                for j, i in enumerate(keep):
                    _walk(value[i], f.model, data[f.name][j], f"{prefix}{f.name}[{i}].", dropped)
        elif f.model is not None and isinstance(value, BaseModel) and isinstance(data.get(f.name), dict):
            _walk(value, f.model, data[f.name], f"{prefix}{f.name}.", dropped)


def drop_repeats(summary: BaseModel, plan: ModelPlan) -> tuple[BaseModel, list[str]]:
    """The summary without the list items that repeat an earlier item of their list.

    Args:
        summary: A summary of the schema ``plan`` was compiled from.
        plan: Its plan (:func:`summarizer.core.schema_plan.compile_schema`).

    Returns:
        The summary (a new instance when anything was dropped, else ``summary`` itself) and
        the dropped items' paths in the summary as given, in order. When dropping would break
        the schema (a list's minimum length), nothing is dropped and no path is returned.
    """
    dropped: list[str] = []
    data = summary.model_dump()
    _walk(summary, plan, data, "", dropped)
    if not dropped:
        return summary, []
    try:
        return type(summary).model_validate(data), dropped
    except ValidationError:
        return summary, []
