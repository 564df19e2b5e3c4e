"""``verify``: re-check stored summaries against the article each record carries.

Input is one JSON object or JSON Lines as ``summarize`` writes them; ``--source`` overrides
the article text for a single summary. Each output line is the record with fresh verdicts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from .articles import read_bytes_as_text
from .errors import InputError
from .schema import ArticleSummary
from .verify import verify_summary

__all__ = ["reverify_file"]


def _records(path: Path) -> list[tuple[str, Any]]:
    text = read_bytes_as_text(path.read_bytes(), str(path)) if path.is_file() else None
    if text is None:
        raise InputError(str(path), "no such file")
    try:
        return [(str(path), json.loads(text))]
    except json.JSONDecodeError:
        pass
    out: list[tuple[str, Any]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append((f"{path}:{n}", json.loads(line)))
            except json.JSONDecodeError as e:
                out.append((f"{path}:{n}", InputError(f"{path}:{n}", f"not JSON: {e.msg}")))
    return out


def reverify_file(path: Path, source: Path | None, out: TextIO, on_error: Callable[[str], None]) -> int:
    records = _records(path)
    override = read_bytes_as_text(source.read_bytes(), str(source)) if source else None
    if override is not None and len(records) != 1:
        raise InputError(str(source), f"--source applies to a single summary; {path} holds {len(records)}")
    bad = 0
    for item, rec in records:
        try:
            if isinstance(rec, Exception):
                raise rec
            if not isinstance(rec, dict):
                raise InputError(item, "not a JSON object")
            bare = "headline" in rec  # a bare summary (it has its own "summary" field)
            summary_data = rec if bare else rec.get("summary")
            text = override if override is not None else (rec.get("article") or {}).get("text")
            if summary_data is None:
                raise InputError(item, "holds neither a summary nor a record with one")
            if not isinstance(text, str):
                raise InputError(item, "carries no article text; pass --source ARTICLE")
            summary = ArticleSummary.model_validate(summary_data)
        except ValidationError as e:
            on_error(f"{item}: not a summary: {e.errors()[0]['msg']} at {e.errors()[0]['loc']}")
            bad += 1
            continue
        except InputError as e:
            on_error(str(e))
            bad += 1
            continue
        verification = verify_summary(summary, text)
        result = {"summary": summary.model_dump()} if bare else dict(rec)
        result["verification"] = verification.model_dump(mode="json")
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return bad
