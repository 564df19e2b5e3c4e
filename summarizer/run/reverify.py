"""``verify``: re-check stored summaries against the article each record carries.

Input is one JSON object (a record or a bare summary) or JSON Lines as ``summarize`` writes
them; ``--source`` overrides the article text for a single summary. Each output line is the
record with fresh verdicts. A record made with another schema than the one given (its
``summary_schema`` sha256 differs) is an error for that line, naming both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import BaseModel, ValidationError

from summarizer.core.errors import InputError
from summarizer.core.schema_plan import schema_info
from summarizer.core.verify.walker import verify_summary
from summarizer.files.articles import read_bytes_as_text
from summarizer.files.jsonl import read_jsonl

if TYPE_CHECKING:
    from summarizer.llm.judge_client import JudgeClient

__all__ = ["reverify_file"]


def _entries(path: Path) -> Iterator[tuple[str, dict[str, Any] | InputError]]:
    """One JSON object (a whole file, pretty-printed or not), else JSON Lines."""
    if not path.is_file():
        raise InputError(str(path), "no such file" if not path.exists() else "is not a file")
    if path.stat().st_size < 50_000_000:
        try:
            whole = json.loads(path.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            whole = None  # JSON Lines, or bad lines that the reader below names one by one
        if isinstance(whole, dict):
            yield str(path), whole
            return
    for entry in read_jsonl(path):
        if isinstance(entry, InputError):
            yield entry.item, entry
        else:
            yield entry.item, entry.value


def reverify_file(
    path: Path,
    source: Path | None,
    out: TextIO,
    schema: type[BaseModel],
    on_error: Callable[[str], None],
    judge: JudgeClient | None = None,
) -> int:
    """Write each record of ``path`` with fresh verdicts; return how many lines failed."""
    override = None
    if source is not None:
        if not source.is_file():
            raise InputError(str(source), "no such file")
        override = read_bytes_as_text(source.read_bytes(), str(source))
    expected = schema_info(schema)
    bad = 0
    entries: Iterable[tuple[str, dict[str, Any] | InputError]] = _entries(path)
    if override is not None:
        entries = list(entries)
        if len(entries) != 1:
            raise InputError(str(source), f"--source applies to a single summary; {path} holds {len(entries)}")
    for item, rec in entries:
        try:
            if isinstance(rec, InputError):
                raise rec
            bare = "summary" not in rec or not isinstance(rec.get("summary"), dict) or "article" not in rec
            summary_data = rec if bare else rec["summary"]
            made_with = rec.get("summary_schema") if not bare else None
            if isinstance(made_with, dict) and made_with.get("sha256") != expected.sha256:
                raise InputError(
                    item,
                    f"made with schema {made_with.get('name')} "
                    f"(sha256 {str(made_with.get('sha256'))[:12]}...), not "
                    f"{expected.name} ({expected.sha256[:12]}...); pass --schema for it",
                )
            text = override if override is not None else (rec.get("article") or {}).get("text")
            if not isinstance(text, str):
                raise InputError(item, "carries no article text; pass --source ARTICLE")
            summary = schema.model_validate(summary_data)
        except ValidationError as e:
            first = e.errors()[0]
            on_error(f"{item}: not a {expected.name} summary: {first['msg']} at {'.'.join(map(str, first['loc']))}")
            bad += 1
            continue
        except InputError as e:
            on_error(str(e))
            bad += 1
            continue
        verification = verify_summary(summary, text, judge=judge.for_article() if judge else None)
        result = {"summary": summary.model_dump(mode="json")} if bare else dict(rec)
        result["verification"] = verification.model_dump(mode="json")
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return bad
