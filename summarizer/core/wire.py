"""What the published JSON Schemas (``schemas/*.schema.json``) leave out. Pure.

The record and briefing schemas are a wire format: a class docstring documents the Python
type for its readers and must not change them. pydantic turns a model's docstring into the
schema's ``description``; :func:`undescribed` drops it again.
"""

from __future__ import annotations

from typing import Any

__all__ = ["undescribed"]


def undescribed(schema: dict[str, Any]) -> None:
    """A ``json_schema_extra`` that removes the class docstring from the type's JSON Schema
    (in place), so documenting the type leaves the published schema as it is."""
    schema.pop("description", None)
