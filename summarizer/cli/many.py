"""``batch`` and ``brief``: the many-articles commands."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from summarizer.cli.app import app, install_sigterm_handler, say, stderr_console
from summarizer.cli.options import RUN_OPTIONS, endpoint_errors, open_run, settings_from
from summarizer.core.errors import ConfigError, UserError
from summarizer.run.batch import BatchReport
from summarizer.run.settings import Settings


class BatchEngine(StrEnum):
    """Where ``batch`` runs: threads in this process, or a Ray Data stage."""

    LOCAL = "local"
    RAY = "ray"


class OutputFormat(StrEnum):
    """The record format of ``batch --engine ray``."""

    PARQUET = "parquet"
    JSONL = "jsonl"


@app.command()
@settings_from(*RUN_OPTIONS)
def batch(
    inputs: Annotated[
        list[str], typer.Argument(help="Directories, globs, .txt/.md/.html/.jsonl files, or - for stdin.")
    ],
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="Writes summaries.jsonl, errors.jsonl, report.json.")],
    *,
    settings: Settings,
    concurrency: Annotated[
        int | None,
        typer.Option(
            help="Articles in flight (default: the embedded server's slots, 1 for another local server, "
            "8 for OpenAI, 4 otherwise)."
        ),
    ] = None,
    engine: Annotated[
        BatchEngine,
        typer.Option(help="local: threads in this process; ray: a Ray Data stage (pip install -e '.[ray]')."),
    ] = BatchEngine.LOCAL,
    ray_address: Annotated[
        str | None, typer.Option(help="Ray cluster to join (default: start Ray on this machine).")
    ] = None,
    ray_actors: Annotated[int, typer.Option(help="Ray actors, each with its own client (--engine ray).")] = 2,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="--engine ray: records as Parquet or JSON Lines.")
    ] = OutputFormat.PARQUET,
) -> None:
    """Summarise many articles into OUTDIR; re-running resumes where it stopped.\f

    Raises:
        typer.Exit: Always: 0 when every article is done, 1 when some failed (each in
            errors.jsonl). For the run as a whole, endpoint_errors turns an endpoint or
            embedded server that cannot run into 1, a bad configuration, schema or output path
            into 2, Ctrl-C into 130 and SIGTERM into 143.
    """
    import sys

    from summarizer.files.inputs import count_inputs, iter_inputs
    from summarizer.run.batch import run_batch

    install_sigterm_handler()
    if engine is BatchEngine.RAY:
        with endpoint_errors(f"; run the same command again to resume (records in {outdir} are skipped)"):
            report = ray_batch(inputs, outdir, settings, ray_address, ray_actors, concurrency, output_format)
        summarize_report(report, outdir)
        raise typer.Exit(1 if report.failed else 0)
    total = count_inputs(inputs)
    hint = f"; run the same command again to resume (done articles in {outdir} are skipped)"
    with endpoint_errors(hint), open_run(settings) as run:
        workers = concurrency or run.concurrency
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[tokens]}"),
            console=stderr_console,
            disable=not sys.stderr.isatty(),
            transient=False,
        ) as progress:
            task = progress.add_task("summarizing", total=total, rate="", tokens="")

            def tick(report: BatchReport, failure: str | None) -> None:
                n = report.done + report.failed + report.skipped
                elapsed = max(time.perf_counter() - report.started, 1e-9)
                progress.update(
                    task,
                    completed=n,
                    rate=f"{report.done / elapsed:.2f}/s",
                    tokens=f"{report.prompt_tokens + report.completion_tokens:,} tok",
                )
                if failure:
                    say(f"{failure} (see errors.jsonl)", error=True)

            report = run_batch(iter_inputs(inputs), outdir, run, concurrency=workers, on_progress=tick)
    summarize_report(report, outdir)
    raise typer.Exit(1 if report.failed else 0)


def summarize_report(report: BatchReport, outdir: Path) -> None:
    """Say on stderr how a batch went: counts, tokens, wall seconds, grounding rate, where the outputs are."""
    rate = f"{report.grounding_rate:.1%}" if report.grounding_rate is not None else "n/a"
    copies = f" ({report.duplicates} the same text as another id)" if report.duplicates else ""
    say(
        f"done {report.done}{copies}, failed {report.failed}, skipped {report.skipped}; tokens "
        f"{report.prompt_tokens:,} prompt + {report.completion_tokens:,} completion; wall "
        f"{report.wall_seconds:.1f} s; grounding rate {rate}; outputs in {outdir}"
    )


def ray_batch(
    inputs: list[str],
    outdir: Path,
    settings: Settings,
    address: str | None,
    actors: int,
    concurrency: int | None,
    fmt: OutputFormat,
) -> BatchReport:
    """``--engine ray``: the same step as a Ray Data stage.

    Args:
        inputs: The command's inputs (directories, globs, files, ``-``).
        outdir: The output folder.
        settings: The run's settings; every actor opens its own client with them.
        address: The Ray cluster to join, or ``None`` to start Ray on this machine.
        actors: Ray actors (at least 1 is used).
        concurrency: Articles in flight over all actors, or ``None`` for 4 per endpoint URL;
            each actor gets its share as threads, at least 1.
        fmt: Parquet or JSON Lines records.

    Returns:
        The batch's report.

    Raises:
        ConfigError: No endpoint is given (each actor would start its own embedded model), or
            the schema cannot be loaded; both before Ray starts.
    """
    import math

    from summarizer.files.schema_loader import load_schema
    from summarizer.run.ray_batch import run_ray_batch

    if not (settings.base_url or settings.api_key):
        raise ConfigError(
            "--engine ray needs an endpoint (--base-url, repeatable, or OPENAI_BASE_URL): "
            "every actor would otherwise start its own embedded model"
        )
    load_schema(settings.schema)  # a bad schema is named here, before Ray starts
    urls = settings.base_url or (None,)
    threads = max(1, math.ceil((concurrency or 4 * len(urls)) / max(1, actors)))
    return run_ray_batch(
        inputs, outdir, settings, address=address, actors=max(1, actors), threads=threads, fmt=fmt.value, say=say
    )


@app.command()
def brief(
    summaries: Annotated[Path, typer.Argument(help="summaries.jsonl as summarize or batch write it.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="briefing.json")],
    html: Annotated[Path | None, typer.Option("--html", help="Also write an HTML report.")] = None,
) -> None:
    """Group stories across sources: corroborated facts, conflicts, single-source claims.\f

    Raises:
        typer.Exit: Always: 0 when every record was read, 1 when some line was unusable or none
            was usable, 2 when the summaries cannot be read or an output cannot be written.
    """
    from summarizer.core.briefing import build_briefing
    from summarizer.files.atomic import write_text_atomic
    from summarizer.files.record_reader import load_records

    try:
        records, bad = load_records(summaries, on_error=lambda m: say(m, error=True))
    except UserError as e:
        say(str(e), error=True)
        raise typer.Exit(2) from e
    if not records:
        say(f"{summaries}: no usable summary records", error=True)
        raise typer.Exit(1)
    briefing = build_briefing(records)
    try:
        write_text_atomic(output, briefing.model_dump_json(indent=2) + "\n")
        if html is not None:
            from summarizer.views.html import render_html

            write_text_atomic(html, render_html(briefing, records))
    except UserError as e:
        say(str(e), error=True)
        raise typer.Exit(2) from e
    n = len(briefing.stories)
    say(
        f"{n} stor{'y' if n == 1 else 'ies'} from {briefing.articles} article(s); "
        f"{sum(len(s.conflicts) for s in briefing.stories)} conflict(s)"
    )
    raise typer.Exit(1 if bad else 0)
