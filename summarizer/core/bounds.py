"""Length and item-count bounds: added for generation, removed for reading records. Pure code.

A bound keeps a model's answer short (each output token costs time, and llama.cpp's grammar
enforces ``maxLength``/``maxItems``); it says nothing about whether a stored summary is
well-formed. So:

- :func:`bounded` is the schema a model is *shown*: every string leaf without a bound of its
  own gets its kind's default (:data:`STRING_BOUNDS`, in characters), every list without one
  gets :data:`LIST_ITEMS` items (evidence :data:`EVIDENCE_ITEMS` quotes or sentence numbers).
  A bound the schema gives itself (``Field(max_length=...)``, ``StringConstraints``) wins. A
  schema that bounds everything already (the default news schema) comes back unchanged, so
  its requests stay byte for byte the same.
- :func:`relaxed` is the schema a stored summary is *read* with: every length and item-count
  bound removed, at every depth, so a record made under other bounds (an earlier release,
  another model) is read whenever its shape fits.

Both keep field names, aliases, kinds, descriptions, the class name and its configuration.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model
from pydantic.fields import FieldInfo

from summarizer.core.kinds import Kind
from summarizer.core.schema_plan import FieldPlan, compile_schema

__all__ = ["EVIDENCE_ITEMS", "LIST_ITEMS", "STRING_BOUNDS", "bounded", "default_bound", "max_length_of", "relaxed"]

# Characters by kind: the bounds the default news schema (core/news.py) gives its own fields of
# the same kinds. ENTITY_KIND (40) and UNCHECKED (400) have none there and are chosen: an entity
# kind is one word, an unchecked field gets a claim's length.
STRING_BOUNDS: dict[Kind, int] = {
    Kind.CLAIM: 400,
    Kind.NAME: 100,
    Kind.ENTITY_KIND: 40,
    Kind.ROLE: 120,
    Kind.QUANTITY: 40,
    Kind.UNIT: 30,
    Kind.COUNTS: 120,
    Kind.DATE: 60,
    Kind.EVENT: 200,
    Kind.QUOTE: 400,
    Kind.SPEAKER: 100,
    Kind.UNCHECKED: 400,
}
# Items: chosen values, not measured. They are caps a padding model runs into, not targets: a
# larger cap costs nothing where the model stops by itself, a smaller one cuts what a long
# article may list. The default schema keeps evidence to 2 and its lists to 5-10 items; when
# bench/output_tokens.py measured its ten articles, "fewer list items changed nothing"
# (commit 4ed37ed).
LIST_ITEMS = 10
EVIDENCE_ITEMS = 3
_LISTS = (list, tuple, set, frozenset)


def default_bound(f: FieldPlan) -> int | None:
    """The bound a field gets when its schema sets none.

    Args:
        f: The field's plan (from :func:`~summarizer.core.schema_plan.compile_schema`).

    Returns:
        Items for a list (:data:`EVIDENCE_ITEMS` for evidence, :data:`LIST_ITEMS` for any other
        list), else characters for a string leaf of its kind (:data:`STRING_BOUNDS`); ``None``
        for a single nested model.
    """
    if f.kind is Kind.EVIDENCE:
        return EVIDENCE_ITEMS
    if f.many:
        return LIST_ITEMS
    return STRING_BOUNDS.get(f.kind) if f.kind is not None else None


def max_length_of(metadata: Any) -> int | None:
    """The ``max_length`` a list of field metadata sets.

    Args:
        metadata: A field's metadata (``FieldInfo.metadata`` or ``Annotated``'s extras):
            ``MaxLen``, ``StringConstraints``, a ``Field(max_length=...)`` inside ``Annotated``.

    Returns:
        The first bound found (characters for a string, items for a list), else ``None``.
    """
    for m in metadata:
        found = max_length_of(m.metadata) if isinstance(m, FieldInfo) else getattr(m, "max_length", None)
        if found is not None:
            return int(found)
    return None


def _own_max(metadata: Any) -> bool:
    return max_length_of(metadata) is not None


def _strip(tp: Any) -> Any:
    """``tp`` without Annotated and Optional layers."""
    origin = typing.get_origin(tp)
    if origin is Annotated:
        return _strip(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _strip(args[0]) if len(args) == 1 else tp
    return tp


def _is_text(tp: Any) -> bool:
    base = _strip(tp)
    return isinstance(base, type) and issubclass(base, str) and not issubclass(base, enum.Enum)


def _rebuild(annotation: Any, leaf: Any) -> Any:
    """``annotation`` with ``leaf`` applied to each list item type and each nested model."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return leaf(annotation)
    if origin is None or origin is Literal:
        return annotation
    args = typing.get_args(annotation)
    if origin is Annotated:
        return Annotated.__class_getitem__((_rebuild(args[0], leaf), *annotation.__metadata__))
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_rebuild(a, leaf) for a in args)]  # noqa: UP007 - built from a tuple of types
    if origin in _LISTS or origin is typing.get_origin(typing.Sequence[int]):
        items = tuple(a if a is Ellipsis else _item(a, leaf) for a in args)
        return origin[items] if len(items) > 1 else origin[items[0]]
    return annotation


def _item(tp: Any, leaf: Any) -> Any:
    if isinstance(_strip(tp), type) and issubclass(_strip(tp), BaseModel):
        return _rebuild(tp, leaf)
    return leaf(tp)


def _remake(cls: type[BaseModel], fields: dict[str, Any]) -> type[BaseModel]:
    made = create_model(cls.__name__, __base__=cls, __doc__=cls.__doc__, __module__=cls.__module__, **fields)
    made.model_config["title"] = cls.model_config.get("title") or cls.__name__
    return made


@cache
def bounded(cls: type[BaseModel]) -> type[BaseModel]:
    """``cls`` as a model is shown it: default bounds wherever ``cls`` has none (see the module).

    Args:
        cls: A summary schema.

    Returns:
        A subclass of ``cls`` with the same name, configuration and docstring, with the
        default bounds added at every depth; ``cls`` itself when it bounds every field
        already. Cached per class.

    Raises:
        SchemaError: ``cls`` cannot be checked (from
            :func:`~summarizer.core.schema_plan.compile_schema`).
    """
    plan = compile_schema(cls)
    by_name = {f.name: f for f in plan.fields}
    changed: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        f = by_name[name]
        annotation = info.annotation
        if f.model is not None:
            annotation = _rebuild(annotation, _bounded_model)
        elif f.many and f.kind in STRING_BOUNDS:
            chars = STRING_BOUNDS[f.kind]

            def cap(tp: Any, chars: int = chars) -> Any:
                meta = getattr(tp, "__metadata__", ())
                return Annotated[tp, Field(max_length=chars)] if _is_text(tp) and not _own_max(meta) else tp

            annotation = _rebuild(annotation, cap)
        limit = default_bound(f)
        wants = limit is not None and not _own_max(info.metadata) and (f.many or _is_text(annotation))
        if annotation == info.annotation and not wants:
            continue
        changed[name] = (Annotated[annotation, Field(max_length=limit)] if wants else annotation, info)
    return _remake(cls, changed) if changed else cls


def _bounded_model(tp: Any) -> Any:
    return bounded(tp) if isinstance(tp, type) and issubclass(tp, BaseModel) else tp


def _loosen(m: Any) -> Any | None:
    """A metadata entry without its length bounds (``None``: drop the entry)."""
    if isinstance(m, FieldInfo):
        copy = m._copy()
        copy.metadata = [x for x in (_loosen(x) for x in m.metadata) if x is not None]
        return copy
    if hasattr(m, "max_length") or hasattr(m, "min_length"):
        if dataclasses.is_dataclass(m) and any(
            f.name not in ("max_length", "min_length") for f in dataclasses.fields(m)
        ):
            return dataclasses.replace(m, **{k: None for k in ("max_length", "min_length") if hasattr(m, k)})  # type: ignore[type-var]
        return None
    return m


def _loose_type(tp: Any) -> Any:
    if typing.get_origin(tp) is Annotated:
        base = _rebuild(typing.get_args(tp)[0], relaxed)
        meta = [x for x in (_loosen(m) for m in tp.__metadata__) if x is not None]
        return Annotated.__class_getitem__((base, *meta)) if meta else base
    return _rebuild(tp, relaxed)


@cache
def relaxed(cls: type[BaseModel]) -> type[BaseModel]:
    """``cls`` without any length or item-count bound, at every depth: what records are read with.

    Args:
        cls: A summary schema.

    Returns:
        A subclass of ``cls`` with the same name, configuration and docstring, every
        ``max_length``/``min_length`` removed; ``cls`` itself when it has none. Cached per class.
    """
    changed: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        annotation = _rebuild(info.annotation, _loose_type)
        metadata = [x for x in (_loosen(m) for m in info.metadata) if x is not None]
        if annotation == info.annotation and metadata == info.metadata:
            continue
        loose = info._copy()
        loose.metadata = metadata
        changed[name] = (annotation, loose)
    return _remake(cls, changed) if changed else cls
