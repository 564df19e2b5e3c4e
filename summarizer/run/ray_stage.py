"""Scale out on Ray Data: the summarise-and-verify step as a Dataset stage.

    pip install -e '.[ray]'
    summarizer batch articles.jsonl -o out --engine ray                        # Ray on this machine
    summarizer batch s3://bucket/news/ -o out --engine ray --ray-address ray://head:10001 \\
        --base-url http://vllm-1:8000/v1 --base-url http://vllm-2:8000/v1 --model M

On a Dataset of your own (rows with ``text`` and optionally ``id``, ``title``, ``url``,
``source``, ``published``)::

    from summarizer.run.ray_stage import SummarizeBatch, stage_options
    out = ds.map_batches(SummarizeBatch, fn_constructor_kwargs={"options": stage_options(
              base_url=["http://vllm-1:8000/v1"], model="M")},
          batch_format="pyarrow", concurrency=4, batch_size=16, max_restarts=-1, max_task_retries=-1)

Each actor opens one summarizer (one client, one judge) when it starts and keeps it; inside a
batch it summarises ``threads`` articles at once, so the calls in flight against the
endpoints are actors x threads. With several base URLs each actor takes one, in turn. Every
input row gives one output row (:data:`OUTPUT_SCHEMA`): ``status`` ``ok`` with the record's
fields as columns (nested values as JSON strings), ``error`` with the error line, or
``skipped`` (its (resume key, id) was already written). Rows are never dropped: a failure is
a row. A killed actor is restarted and its batch retried (``max_restarts``,
``max_task_retries``), so an article is never lost nor written twice by one run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyarrow as pa

from summarizer.core.errors import InputError, SummarizerError
from summarizer.core.records import SummaryRecord
from summarizer.core.redact import redact
from summarizer.files.articles import Article, article_from_text
from summarizer.run.settings import Settings

__all__ = ["OUTPUT_SCHEMA", "RECORD_COLUMNS", "SummarizeBatch", "record_from_row", "stage_options"]

OUTPUT_SCHEMA = pa.schema(
    [
        ("status", pa.string()),
        ("article_id", pa.string()),
        ("key", pa.string()),
        ("schema_name", pa.string()),
        ("schema_sha256", pa.string()),
        ("grounding_rate", pa.float64()),
        ("supported", pa.int64()),
        ("unsupported", pa.int64()),
        ("not_found", pa.int64()),
        ("uncertain", pa.int64()),
        ("unchecked", pa.int64()),
        ("judged", pa.int64()),
        ("prompt_tokens", pa.int64()),
        ("completion_tokens", pa.int64()),
        ("judge_prompt_tokens", pa.int64()),
        ("judge_completion_tokens", pa.int64()),
        ("article", pa.string()),
        ("summary", pa.string()),
        ("verification", pa.string()),
        ("provenance", pa.string()),
        ("error", pa.string()),
    ]
)
RECORD_COLUMNS = [f.name for f in OUTPUT_SCHEMA if f.name not in ("status", "error")]
_TEXT_FIELDS = ("id", "title", "url", "source", "published")


def stage_options(**options: Any) -> dict[str, Any]:
    """``open_summarizer`` options as plain data for the actors (a schema as its spec string).

    Returns:
        The options, unchanged.

    Raises:
        TypeError: ``schema`` is a class: actors load it from its ``module:Class`` or
            ``path.py:Class`` spec instead.
    """
    schema = options.get("schema")
    if isinstance(schema, type):
        raise TypeError("pass the schema as 'module:Class' or 'path.py:Class' so actors can load it")
    return options


def _row(status: str, article_id: str = "", **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {f.name: None for f in OUTPUT_SCHEMA}
    row.update(status=status, article_id=article_id, **values)
    return row


def _ok(record: SummaryRecord) -> dict[str, Any]:
    v, p = record.verification, record.provenance
    judge = p.judge.usage if p.judge else None
    return _row(
        "ok",
        record.article.id,
        key=record.key,
        schema_name=record.summary_schema.name,
        schema_sha256=record.summary_schema.sha256,
        grounding_rate=v.grounding_rate,
        supported=v.supported,
        unsupported=v.unsupported,
        not_found=v.not_found,
        uncertain=v.uncertain,
        unchecked=v.unchecked,
        judged=v.judged,
        prompt_tokens=p.usage.prompt_tokens,
        completion_tokens=p.usage.completion_tokens,
        judge_prompt_tokens=judge.prompt_tokens if judge else 0,
        judge_completion_tokens=judge.completion_tokens if judge else 0,
        article=record.article.model_dump_json(),
        summary=json.dumps(record.summary),
        verification=v.model_dump_json(),
        provenance=p.model_dump_json(),
    )


def record_from_row(row: dict[str, Any]) -> SummaryRecord:
    """A record back from an ``ok`` row (Parquet or JSON Lines output)."""
    return SummaryRecord(
        key=row["key"],
        article=json.loads(row["article"]),
        summary_schema={"name": row["schema_name"], "sha256": row["schema_sha256"]},
        summary=json.loads(row["summary"]),
        verification=json.loads(row["verification"]),
        provenance=json.loads(row["provenance"]),
    )


def article_of(row: dict[str, Any], index: int) -> Article:
    """The article of one input row.

    Args:
        row: A row with ``text`` and optionally ``id``, ``title``, ``url``, ``source``,
            ``published``.
        index: The row's position in its batch, naming it in errors when it has no source or id.

    Returns:
        The article; without an id, ``row-`` and 12 hex digits of its text's sha256.

    Raises:
        InputError: ``text`` is missing or empty, or a metadata field is neither a string nor
            an integer.
    """
    text = row.get("text")
    name = str(row.get("source") or row.get("id") or f"row {index}")
    if not isinstance(text, str) or not text.strip():
        raise InputError(name, "'text' is missing or empty")
    bad = [k for k in _TEXT_FIELDS if row.get(k) is not None and not isinstance(row[k], str | int)]
    if bad:
        raise InputError(name, f"field(s) {', '.join(bad)} must be strings")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return article_from_text(
        text,
        id=str(row.get("id") or f"row-{digest[:12]}"),
        source=row.get("source") or name,
        title=row.get("title"),
        url=row.get("url"),
        published=None if row.get("published") is None else str(row["published"]),
    )


def _error_row(item: str, article_id: str, exc: BaseException) -> dict[str, Any]:
    from summarizer.run.batch import error_line

    line = error_line(item, None, exc)
    line["id"] = article_id or None
    return _row("error", article_id, error=json.dumps(line))


class SummarizeBatch:
    """A callable class for ``Dataset.map_batches``: one summarizer per actor.

    ``options``: :class:`Settings` (as ``batch --engine ray`` sends them, built once in the
    driver; the cache folder is then taken again on the actor's machine), or
    ``open_summarizer`` keyword arguments as a dict; ``done``: the (resume key, article id)
    pairs to skip; ``threads``: articles summarised at once within a batch. Raises as
    :func:`summarizer.run.api.open_summarizer` does."""

    _next_endpoint = 0

    def __init__(
        self, options: Settings | dict[str, Any], done: frozenset[tuple[str, str]] | None = None, threads: int = 4
    ) -> None:
        """Open this actor's summarizer (Ray calls it once per actor).

        Args:
            options: ``open_summarizer`` options (see :func:`stage_options`); with several
                ``base_url`` values, this actor takes one of them, in turn across actors.
            done: (resume key, article id) pairs already written: their rows are ``skipped``.
            threads: Articles summarised at once within a batch.

        Raises:
            SummarizerError: The summarizer cannot be opened (a configuration or endpoint
                error from ``open_summarizer``).
        """
        from summarizer.run.api import open_summarizer

        settings = options.in_this_process() if isinstance(options, Settings) else Settings(**options)
        urls = settings.base_url
        if len(urls) > 1:  # one endpoint per actor, in turn
            settings = dataclasses.replace(settings, base_url=(urls[_actor_index() % len(urls)],))
        self._stack = contextlib.ExitStack()
        self.run = self._stack.enter_context(open_summarizer(settings=settings))
        self.done = done or frozenset()
        self.pool = ThreadPoolExecutor(max(1, threads), thread_name_prefix="summarize")

    def _one(self, index: int, row: dict[str, Any]) -> dict[str, Any]:
        try:
            article = article_of(row, index)
        except InputError as e:
            return _error_row(e.item, str(row.get("id") or ""), e)
        if (self.run.key(article), article.id) in self.done:
            return _row("skipped", article.id, key=self.run.key(article))
        try:
            self.run.check_input(article)
            return _ok(self.run(article))
        except SummarizerError as e:
            return _error_row(article.source or article.id, article.id, e)
        except Exception as e:  # a bug must not lose the row
            return _error_row(article.source or article.id, article.id, RuntimeError(redact(repr(e))))

    def __call__(self, batch: pa.Table) -> pa.Table:
        """Summarise one batch of input rows.

        Args:
            batch: Input rows (see the module docstring).

        Returns:
            One row of :data:`OUTPUT_SCHEMA` per input row, in order; ``grounding_rate`` is
            NaN on rows that are not ``ok``.
        """
        rows = batch.to_pylist()
        out = list(self.pool.map(self._one, range(len(rows)), rows))
        for r in out:
            if r["grounding_rate"] is None:
                r["grounding_rate"] = math.nan
        return pa.Table.from_pylist(out, schema=OUTPUT_SCHEMA)

    def __del__(self) -> None:
        """Stop the thread pool and close the summarizer, ignoring any error."""
        with contextlib.suppress(Exception):
            self.pool.shutdown(wait=False, cancel_futures=True)
            self._stack.close()


_INDEX_LOCK = threading.Lock()


def _actor_index() -> int:
    """A number for this actor (its id's hash), so replicas are spread over base URLs."""
    try:
        import ray

        actor = ray.get_runtime_context().get_actor_id()
    except Exception:  # outside Ray: a counter per process
        actor = None
    if actor:
        return int(hashlib.sha256(actor.encode()).hexdigest(), 16)
    with _INDEX_LOCK:
        SummarizeBatch._next_endpoint += 1
        return SummarizeBatch._next_endpoint
