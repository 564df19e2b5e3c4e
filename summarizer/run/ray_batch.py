"""``summarizer batch --engine ray``: the batch on Ray Data, locally or on a cluster.

Inputs are JSON Lines or Parquet files or folders, local or on any filesystem pyarrow
supports (``s3://``, ``gs://``, ...). Records go to ``OUTDIR/records/`` as Parquet (the
default; one row per record, :data:`summarizer.raystage.RECORD_COLUMNS` as columns, nested
values as JSON strings) or JSON Lines (``--format jsonl``), written by Ray's own writers;
failures go to ``OUTDIR/errors.jsonl`` and the counts to ``OUTDIR/report.json``, as with the
local engine.

Resume: a re-run reads the (resume key, article id) pairs already in ``records/`` and the
actors skip them. A run killed while writing can leave a Parquet file without its footer:
such a file cannot be read, so it is renamed ``*.partial`` (kept, never read again) and its
rows are summarised again; a JSON Lines file's torn last line is likewise ignored.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from summarizer.core.errors import ConfigError, InputError
from summarizer.files.batch_folder import FolderLock
from summarizer.files.jsonl import Line, read_jsonl
from summarizer.run.batch import BatchReport, settle
from summarizer.run.settings import Settings

__all__ = ["done_pairs", "run_ray_batch"]


def done_pairs(records: Path, say: Callable[[str], None]) -> frozenset[tuple[str, str]]:
    """(key, article id) of every readable record; unreadable Parquet files set aside."""
    import pyarrow.parquet as pq

    pairs: set[tuple[str, str]] = set()
    if not records.is_dir():
        return frozenset()
    for path in sorted(records.iterdir()):
        if path.suffix == ".parquet":
            try:
                table = pq.read_table(path, columns=["key", "article_id"])
            except Exception as e:  # a file cut short when a run was killed
                aside = path.with_suffix(".parquet.partial")
                path.rename(aside)
                say(f"{path}: unreadable ({type(e).__name__}); moved to {aside.name}, its rows will be redone")
                continue
            pairs.update(zip(table.column("key").to_pylist(), table.column("article_id").to_pylist(), strict=True))
        elif path.suffix in (".json", ".jsonl"):
            for entry in read_jsonl(path):
                if isinstance(entry, Line) and "key" in entry.value:
                    pairs.add((entry.value["key"], entry.value["article_id"]))
    return frozenset(pairs)


ACTOR_CPUS = 0.5
_SUMMED = [
    "prompt_tokens",
    "completion_tokens",
    "judge_prompt_tokens",
    "judge_completion_tokens",
    "supported",
    "uncertain",
    "unsupported",
    "not_found",
    "unchecked",
    "grounding_rate",
]


def _read(inputs: list[str]) -> Any:
    import ray.data

    kinds = {Path(p.rstrip("/")).suffix.lower() for p in inputs}
    if kinds <= {".parquet"} or (kinds <= {""} and all(p.endswith("/") for p in inputs)):
        return ray.data.read_parquet(inputs)
    if kinds <= {".jsonl", ".json"}:
        return ray.data.read_json(inputs, lines=True)
    raise InputError(
        ", ".join(inputs),
        "the Ray engine reads .jsonl or .parquet files (or folders of "
        "Parquet files ending in /); use the local engine for .txt, .md and .html",
    )


def run_ray_batch(
    inputs: list[str],
    outdir: Path,
    settings: Settings,
    *,
    address: str | None,
    actors: int,
    threads: int,
    fmt: str = "parquet",
    num_cpus: int | None = None,
    say: Callable[[str], None] = print,
) -> BatchReport:
    """Summarise ``inputs`` on Ray into ``outdir`` (see the module docstring).

    Args:
        inputs: JSON Lines or Parquet files, or folders of Parquet files ending in ``/``, on
            any filesystem pyarrow reads.
        outdir: The output folder, locked for the run.
        settings: The run's settings, sent to every actor.
        address: A Ray cluster's address; None starts Ray on this machine.
        actors: Actors in the pool, each with one summarizer.
        threads: Articles each actor summarises at once (also the batch size).
        fmt: ``parquet`` or ``jsonl``, the format of ``OUTDIR/records/``.
        num_cpus: CPUs for a local Ray (ignored with ``address``); all of them by default.
        say: Called with progress messages (a Parquet file set aside).

    Returns:
        The counts, token sums and wall seconds, also written to ``OUTDIR/report.json``.

    Raises:
        ConfigError: Ray Data is not installed, or ``fmt`` is neither format.
        InputError: The inputs are neither JSON Lines nor Parquet.
        OutputError: Another batch holds ``outdir``'s lock, or it cannot be written.
    """
    try:
        import ray
    except ImportError as e:
        raise ConfigError("--engine ray needs Ray Data: pip install -e '.[ray]'") from e
    import pyarrow as pa
    from ray.data.expressions import col

    from summarizer.run.ray_stage import SummarizeBatch

    if fmt not in ("parquet", "jsonl"):
        raise ConfigError(f"--format {fmt}: choose parquet or jsonl")
    outdir.mkdir(parents=True, exist_ok=True)
    report = BatchReport()
    with FolderLock(outdir):
        records = outdir / "records"
        done = done_pairs(records, say)
        started = time.perf_counter()
        ray.init(
            address=address,
            num_cpus=None if address else num_cpus,
            include_dashboard=False,
            ignore_reinit_error=True,
            log_to_driver=False,
            configure_logging=False,
        )
        try:
            out = (
                _read(inputs)
                .map_batches(
                    SummarizeBatch,
                    fn_constructor_kwargs={"options": settings, "done": done, "threads": threads},
                    # Ray Data restarts a dead actor and retries its batch by default
                    # (max_restarts=-1, max_task_retries=-1 in actor_pool_map_operator).
                    # An actor waits on endpoints, not on its CPU: half a CPU each leaves room for
                    # the read tasks (with a whole CPU each, 2 actors on 2 CPUs starve the reader).
                    batch_format="pyarrow",
                    batch_size=max(1, threads),
                    compute=ray.data.ActorPoolStrategy(size=actors),
                    num_cpus=ACTOR_CPUS,
                )
                .materialize()
            )
            # One narrow pass for the counts, the token sums and the error rows; the records
            # themselves are written by Ray (a pass per statistic cost seconds of planning each).
            stats = out.select_columns(["status", "error", *_SUMMED]).to_arrow_refs()
            tables = [t for t in ray.get(stats) if t.num_rows]
            table = pa.concat_tables(tables) if tables else pa.table({"status": pa.array([], pa.string())})
            by_status = Counter(table.column("status").to_pylist())
            if by_status.get("ok"):
                ok = out.filter(expr=col("status") == "ok").drop_columns(["status", "error"])
                (ok.write_parquet if fmt == "parquet" else ok.write_json)(str(records))
        finally:
            ray.shutdown()
        rows = table.to_pylist()
        failed = [json.loads(r["error"]) for r in rows if r["status"] == "error"]
        report.done, report.skipped = by_status.get("ok", 0), by_status.get("skipped", 0)
        report.failed = by_status.get("error", 0)
        oks = [r for r in rows if r["status"] == "ok"]
        for name in _SUMMED[:-1]:
            setattr(report, name, sum(int(r[name] or 0) for r in oks))
        report.grounding_sum = sum(
            float(r["grounding_rate"]) for r in oks if r["grounding_rate"] == r["grounding_rate"]
        )
        report.wall_seconds = time.perf_counter() - started
        now_done = done_pairs(records, say)
        done_ids = {aid for _, aid in now_done}
        settle(
            outdir,
            failed,
            lambda err: str(err["id"]) in done_ids,
            len(now_done),
            {**report.as_dict(), "engine": "ray"},
        )
    return report
