"""Generate the JSON Schema of every output type into ``schemas/`` (``summarizer schemas``)."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from summarizer.core.bounds import bounded, max_length_of
from summarizer.core.briefing import Briefing
from summarizer.core.news import ArticleSummary
from summarizer.core.records import SummaryRecord
from summarizer.core.schema_plan import ModelPlan, compile_schema, schema_info

__all__ = ["SCHEMAS", "describe_schema", "render_schema", "schemas_dir", "write_schemas"]

SCHEMAS: dict[str, type[BaseModel]] = {
    "summary.schema.json": ArticleSummary,
    "record.schema.json": SummaryRecord,
    "briefing.schema.json": Briefing,
}


def schemas_dir() -> Path:
    """``summarizer/_data/schemas`` in an installed wheel, else the repository's ``schemas/``."""
    packaged = Path(__file__).resolve().parent.parent / "_data" / "schemas"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "schemas"


def render_schema(model: type[BaseModel]) -> str:
    """The file text of ``model``'s JSON Schema.

    Returns:
        The serialization-mode schema marked as draft 2020-12, indented by 2, keys sorted,
        non-ASCII characters kept, with a final newline.
    """
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path | None = None, check: bool = False) -> list[str]:
    """Write (or with ``check``, compare) every schema of :data:`SCHEMAS`; return the file names that differed."""
    directory = directory or schemas_dir()
    stale = []
    for name, model in SCHEMAS.items():
        path = directory / name
        text = render_schema(model)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(name)
            if not check:
                path.write_text(text, encoding="utf-8")
    return stale


def _itemmax_length_of(annotation: Any) -> int | None:
    """The bound on the items of a list of strings (inside optionals)."""
    for arg in typing.get_args(annotation):
        found = max_length_of(getattr(arg, "__metadata__", ())) if typing.get_origin(arg) is typing.Annotated else None
        found = found if found is not None else _itemmax_length_of(arg)
        if found is not None:
            return found
    return None


def _bounds(info: Any, many: bool, leaf: bool) -> dict[str, int]:
    own = max_length_of(info.metadata)
    out: dict[str, int] = {}
    if many and own is not None:
        out["max_items"] = own
    if leaf:
        chars = _itemmax_length_of(info.annotation) if many else own
        if chars is not None:
            out["max_length"] = chars
    return out


def _leaves(plan: ModelPlan, prefix: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for f in plan.fields:
        path = f"{prefix}{f.name}{'[]' if f.many else ''}"
        info = plan.cls.model_fields[f.name]
        if f.model is not None:
            if f.many:
                out.append({"path": path, "kind": "list", **_bounds(info, True, False)})
            out += _leaves(f.model, path + ".")
        else:
            assert f.kind is not None
            out.append(
                {
                    "path": path,
                    "kind": f.kind.value,
                    **({"describes": f.subject} if f.subject else {}),
                    **({"entity": f.marker.entity} if f.marker is not None and f.marker.entity else {}),
                    **_bounds(info, f.many, True),
                }
            )
    return out


def describe_schema(cls: type[BaseModel]) -> dict[str, Any]:
    """What ``summarizer schemas --schema`` prints.

    Args:
        cls: A summary schema.

    Returns:
        ``name`` and ``sha256`` (of the schema as written, see
        :func:`~summarizer.core.schema_plan.schema_info`); ``fields``, one entry per leaf or
        list with its ``path``, field ``kind``, the sibling a relational kind ``describes``,
        and its bounds (``max_length`` in characters, ``max_items`` for lists); and
        ``json_schema``, the JSON Schema the model is shown (the default generation bounds
        added where the schema sets none).

    Raises:
        SchemaError: The schema cannot be checked
            (:class:`~summarizer.core.schema_plan.SchemaError`).
    """
    info = schema_info(cls)
    shown = bounded(cls)
    return {
        "name": info.name,
        "sha256": info.sha256,
        "fields": _leaves(compile_schema(shown), ""),
        "json_schema": shown.model_json_schema(),
    }
