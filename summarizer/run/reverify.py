"""``verify``: re-check stored summaries against the article each record carries.

Input is one JSON object (a record or a bare summary) or JSON Lines as ``summarize`` writes
them; ``--source`` overrides the article text for a single summary. Each output line is the
record with fresh verdicts. A record made with another schema than the one given (its
``summary_schema`` sha256 differs) is an error for that line, naming both.

A summary is read with the schema's shape alone: length and item-count bounds keep a model's
answer short and are not part of what makes a record valid (:func:`~summarizer.core.bounds.relaxed`),
so records of earlier releases with other bounds are read. The article text, stored or
``--source``, is normalised as a loaded article is (LF newlines, no byte-order mark); when
that changes it, the output record carries the text its spans index (and its sha256).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import BaseModel, ValidationError

from summarizer.core.bounds import relaxed
from summarizer.core.errors import InputError
from summarizer.core.records import normalise_text, resume_key
from summarizer.core.schema_plan import schema_info
from summarizer.core.verify.walker import verify_summary
from summarizer.files.articles import read_bytes_as_text
from summarizer.files.jsonl import read_jsonl

if TYPE_CHECKING:
    from summarizer.llm.judge_client import JudgeClient

__all__ = ["reverify_file"]


def _entries(path: Path) -> Iterator[tuple[str, dict[str, Any] | InputError]]:
    """One JSON object (a whole file under 50 MB, pretty-printed or not), else JSON Lines.

    Yields:
        (item, entry): ``item`` names the file or ``file:line``; ``entry`` is the object, or
        the error of its line.

    Raises:
        InputError: ``path`` does not exist or is not a file.
    """
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
    """Write each record of ``path`` with fresh verdicts.

    Args:
        path: One record or bare summary (a JSON object), or JSON Lines of them.
        source: An article file whose text replaces the stored one; ``path`` must then hold
            a single summary.
        out: Where each output line (a record with fresh verdicts) is written.
        schema: The schema the summaries follow.
        on_error: Called with a message for each line that cannot be verified.
        judge: The model judge; None verifies with the lexical checks alone.

    Returns:
        How many lines failed (each named through ``on_error``).

    Raises:
        InputError: ``path`` or ``source`` is missing or unreadable, or ``source`` is given for
            more than one summary.
    """
    override = None
    if source is not None:
        if not source.is_file():
            raise InputError(str(source), "no such file")
        override = normalise_text(read_bytes_as_text(source.read_bytes(), str(source)))
    expected = schema_info(schema)
    reader = relaxed(schema)
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
            text = normalise_text(text)
            summary = reader.model_validate(summary_data, by_name=True)
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
        _index_text(result, text, source if override is not None else None)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return bad


def _index_text(result: dict[str, Any], text: str, source: Path | None) -> None:
    """Make ``result["article"]`` the text its spans index: replaced (with its sha256, and the
    resume key when the record has one) when it differs; added for a bare summary given
    ``--source``."""
    article = result.get("article")
    if not isinstance(article, dict):
        if source is not None:
            result["article"] = {"id": source.stem, "source": str(source), "sha256": _sha(text), "text": text}
        return
    if article.get("text") == text:
        return
    article = {**article, "text": text, "sha256": _sha(text)}
    if source is not None:
        article["source"] = str(source)
    result["article"] = article
    prov, made_with = result.get("provenance"), result.get("summary_schema")
    with contextlib.suppress(KeyError, TypeError):  # a record without its key's parts keeps its key
        result["key"] = resume_key(
            article["sha256"], prov["prompt"]["sha256"], prov["model"], prov["mode"], made_with["sha256"]
        )


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
