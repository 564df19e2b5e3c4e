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

A public path (the README documents it); the code lives in :mod:`summarizer.run.ray_stage`.
"""

from summarizer.run.ray_stage import (
    OUTPUT_SCHEMA,
    RECORD_COLUMNS,
    SummarizeBatch,
    record_from_row,
    stage_options,
)

__all__ = [
    "OUTPUT_SCHEMA",
    "RECORD_COLUMNS",
    "SummarizeBatch",
    "record_from_row",
    "stage_options",
]
