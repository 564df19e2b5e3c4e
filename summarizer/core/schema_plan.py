"""Compile a summary schema (any Pydantic model) into a verification plan. Pure code.

The plan says, for every model in the schema, which fields are leaves of which kind, which
are nested models (or lists of them), which sibling each relational kind describes, and in
what order the fields are checked. A leaf without a kind is refused here, when the schema is
loaded, with every offending field named and the fix, rather than passed silently later.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict

from summarizer.core.errors import ConfigError
from summarizer.core.kinds import SUBJECT, SUPPORTING, FieldKind, Kind

__all__ = ["FieldPlan", "ModelPlan", "SchemaError", "SchemaInfo", "compile_schema", "schema_info"]

_LEAF_TYPES = (str, int, float, bool, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta)
_LISTS = (list, tuple, set, frozenset, Sequence)
# Check order within a model: its evidence first (aligned before anything uses it), then the
# fields in declaration order, except that a field describing another comes after it.


def _tier(f: FieldPlan) -> int:
    if f.kind is Kind.EVIDENCE:
        return 0
    return 2 if f.kind in SUBJECT else 1


FIX = (
    "annotate it with a field kind from summarizer.kinds (e.g. ClaimText, Name, Quantity), "
    "or mark it Annotated[..., UNCHECKED]"
)


class SchemaError(ConfigError):
    """A schema the verifier cannot check completely; the message lists every field."""


@dataclass(frozen=True)
class FieldPlan:
    """One field of a model in the plan: a leaf of one kind, or a nested model.

    ``many``: a list of leaves or of models. A leaf has ``kind`` and ``marker`` (the
    :class:`~summarizer.core.kinds.FieldKind` it carries); a nested model has ``model``, its
    own plan. ``subject`` is the sibling a relational kind describes (a role's name), resolved
    when the schema is compiled.
    """

    name: str
    many: bool  # a list of leaves or of models
    kind: Kind | None = None  # leaves
    marker: FieldKind | None = None
    model: ModelPlan | None = None  # nested models
    subject: str | None = None  # the sibling a relational kind describes


@dataclass(frozen=True)
class ModelPlan:
    """The plan of one model class: its fields in check order (its evidence first, then its
    other fields in declaration order, the ones that describe a sibling, such as a role or a
    speaker, last)."""

    cls: type[BaseModel]
    fields: tuple[FieldPlan, ...]  # in check order

    def by_kind(self, kind: Kind) -> list[FieldPlan]:
        """The leaves of ``kind`` among this model's own fields (not nested ones), in check order."""
        return [f for f in self.fields if f.kind is kind]


class SchemaInfo(BaseModel):
    """Which schema a summary follows: its class name and the sha256 of its JSON Schema."""

    model_config = ConfigDict(frozen=True)

    name: str
    sha256: str


def schema_info(cls: type[BaseModel]) -> SchemaInfo:
    """The class name of ``cls`` and the sha256 (hex) of its JSON Schema, keys sorted, compact."""
    text = json.dumps(cls.model_json_schema(), sort_keys=True, separators=(",", ":"))
    return SchemaInfo(name=cls.__name__, sha256=hashlib.sha256(text.encode()).hexdigest())


@dataclass
class _Shape:
    markers: list[FieldKind]
    many: bool = False
    model: type[BaseModel] | None = None
    problem: str | None = None


def _is_leaf(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    if origin is Literal:
        return True
    if origin is typing.Annotated:
        return _is_leaf(typing.get_args(tp)[0])
    return isinstance(tp, type) and (issubclass(tp, _LEAF_TYPES) or issubclass(tp, enum.Enum))


def _shape(tp: Any, shape: _Shape, in_list: bool = False) -> _Shape:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        shape.markers += [m for m in meta if isinstance(m, FieldKind)]
        return _shape(base, shape, in_list)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _shape(args[0], shape, in_list)
        if all(_is_leaf(a) for a in args):
            for a in args:
                _shape(a, _Shape(shape.markers), in_list)  # collects markers of each branch
            return shape
        shape.problem = "a union of models cannot be checked; use one model (fields may be optional)"
        return shape
    if origin in _LISTS or tp in (list, tuple, set, frozenset):
        if in_list:
            shape.problem = "a list of lists cannot be checked; wrap the inner list in a model"
            return shape
        shape.many = True
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        if not args:
            shape.problem = "a list without an item type cannot be checked; write list[...]"
            return shape
        return _shape(args[0], shape, True)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        shape.model = tp
        return shape
    if _is_leaf(tp):
        return shape
    what = getattr(tp, "__name__", None) or str(tp)
    shape.problem = f"its type {what} cannot be checked; use text, numbers, dates, enums or models"
    return shape


def _plan_model(
    cls: type[BaseModel], where: str, problems: list[str], seen: dict[type[BaseModel], ModelPlan | None]
) -> ModelPlan:
    if not cls.__pydantic_complete__:
        try:
            cls.model_rebuild()
        except Exception as e:
            problems.append(
                f"{where}: {cls.__name__} is not fully defined ({e}); define the types it "
                f"names first, or call {cls.__name__}.model_rebuild()"
            )
            return ModelPlan(cls, ())
    if cls in seen:
        done = seen[cls]
        if done is None:
            problems.append(f"{where}: {cls.__name__} contains itself; recursive schemas cannot be checked")
            return ModelPlan(cls, ())
        return done
    seen[cls] = None
    fields: list[FieldPlan] = []
    for name, info in cls.model_fields.items():
        path = f"{where}.{name}"
        shape = _shape(info.annotation, _Shape([m for m in info.metadata if isinstance(m, FieldKind)]))
        markers = list(dict.fromkeys(shape.markers))
        if shape.problem:
            problems.append(f"{path}: {shape.problem}")
            continue
        if shape.model is not None:
            if markers:
                problems.append(
                    f"{path}: a field kind marks a leaf; {shape.model.__name__} is a model, so mark its own fields"
                )
                continue
            sub = _plan_model(shape.model, f"{where}.{name}{'[]' if shape.many else ''}", problems, seen)
            fields.append(FieldPlan(name, shape.many, model=sub))
            continue
        if not markers:
            problems.append(f"{path}: has no field kind; {FIX}")
            continue
        if len(markers) > 1:
            problems.append(
                f"{path}: has {len(markers)} field kinds ({', '.join(m.kind.value for m in markers)}); keep one"
            )
            continue
        marker = markers[0]
        if marker.kind is Kind.EVIDENCE and not shape.many:
            problems.append(f"{path}: evidence is a list of quotes; write Evidence (list[str])")
            continue
        fields.append(FieldPlan(name, shape.many, marker.kind, marker))
    resolved = [_resolve(f, fields, where, problems) for f in fields]
    checked = [f for f in resolved if f.kind is not None and f.kind not in SUPPORTING | {Kind.UNCHECKED}]
    if any(f.kind is Kind.EVIDENCE for f in resolved) and not checked:
        problems.append(f"{where}: its evidence supports the checked fields of the same model, and it has none")
    plan = ModelPlan(cls, tuple(sorted(resolved, key=_tier)))
    seen[cls] = plan
    return plan


def _resolve(f: FieldPlan, siblings: list[FieldPlan], where: str, problems: list[str]) -> FieldPlan:
    if f.kind not in SUBJECT or f.marker is None:
        return f
    wanted = SUBJECT[f.kind]
    candidates = [s.name for s in siblings if s.kind is wanted and not s.many]
    if f.marker.of is not None:
        if f.marker.of not in candidates:
            problems.append(
                f"{where}.{f.name}: of={f.marker.of!r} must name a single {wanted.value} "
                f"field of the same model (candidates: {', '.join(candidates) or 'none'})"
            )
            return f
        return FieldPlan(f.name, f.many, f.kind, f.marker, subject=f.marker.of)
    if len(candidates) != 1:
        problems.append(
            f"{where}.{f.name}: a {f.kind.value} describes one {wanted.value} field of "
            f"the same model; found {len(candidates)} ({', '.join(candidates) or 'none'}). "
            f"Add one, or name it: FieldKind(Kind.{f.kind.name}, of='...')"
        )
        return f
    return FieldPlan(f.name, f.many, f.kind, f.marker, subject=candidates[0])


@lru_cache(maxsize=64)
def compile_schema(cls: type[BaseModel]) -> ModelPlan:
    """The verification plan for ``cls`` (cached for the last 64 classes).

    Args:
        cls: A Pydantic model class whose leaves each carry one field kind.

    Returns:
        The plan of ``cls``, nested models planned inside it.

    Raises:
        SchemaError: ``cls`` is not a Pydantic model class, or some of its fields cannot be
            checked; the message names every such field and the fix.
    """
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        raise SchemaError(f"{cls!r} is not a Pydantic model class")
    problems: list[str] = []
    plan = _plan_model(cls, cls.__name__, problems, {})
    if problems:
        raise SchemaError(f"schema {cls.__name__} cannot be verified field by field:\n  " + "\n  ".join(problems))
    return plan
