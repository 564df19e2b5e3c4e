"""``batch`` and ``brief``: the many-articles commands."""

from __future__ import annotations

import time
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

from ..errors import UserError
from ..local import Engine
from ..verify import Policy
from .app import app, say, stderr_console
from .options import (
    DEFAULTS,
    ApiKey,
    BaseUrl,
    JudgeApiKey,
    JudgeBaseUrl,
    JudgeModel,
    JudgeOpt,
    LocalContext,
    LocalEngine,
    LocalModel,
    LocalSlots,
    MaxInputTokens,
    MaxOutputTokens,
    MaxReasks,
    Model,
    ModeOpt,
    OnUnsupported,
    Retries,
    RunOptions,
    SchemaOpt,
    Switch,
    Timeout,
    endpoint_errors,
    open_run,
)


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(help="Directories, globs, .txt/.md/.html/.jsonl files, or - for stdin.")],
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="Writes summaries.jsonl, errors.jsonl, report.json.")],
    schema: SchemaOpt = None,
    base_url: BaseUrl = None,
    model: Model = None,
    api_key: ApiKey = None,
    mode: ModeOpt = None,
    local_model: LocalModel = None,
    local_context: LocalContext = DEFAULTS["local_context"],
    local_engine: LocalEngine = Engine.LLAMA_SERVER,
    local_slots: LocalSlots = DEFAULTS["local_slots"],
    concurrency: Annotated[int | None, typer.Option(help="Articles in flight (default: the embedded server's slots, 1 for another local server, 8 for OpenAI, 4 otherwise).")] = None,
    on_unsupported: OnUnsupported = Policy.FLAG,
    max_reasks: MaxReasks = 2,
    max_input_tokens: MaxInputTokens = None,
    max_output_tokens: MaxOutputTokens = 1500,
    timeout: Timeout = 600.0,
    retries: Retries = 4,
    judge: JudgeOpt = Switch.ON,
    judge_model: JudgeModel = None,
    judge_base_url: JudgeBaseUrl = None,
    judge_api_key: JudgeApiKey = None,
) -> None:
    """Summarise many articles into OUTDIR; re-running resumes where it stopped."""
    import sys

    from ..batch import BatchReport, run_batch
    from ..local import install_sigterm_handler
    from ..sources import count_inputs, iter_inputs

    opts = RunOptions(base_url, model, api_key, mode, schema, local_model, local_context,
                      local_engine, local_slots, on_unsupported, max_reasks, max_input_tokens,
                      max_output_tokens, timeout, retries, judge, judge_model, judge_base_url,
                      judge_api_key)
    install_sigterm_handler()
    total = count_inputs(inputs)
    hint = f"; run the same command again to resume (done articles in {outdir} are skipped)"
    with endpoint_errors(hint), open_run(opts) as run:
        workers = concurrency or run.concurrency
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                      MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                      TimeRemainingColumn(), TextColumn("{task.fields[tokens]}"),
                      console=stderr_console, disable=not sys.stderr.isatty(), transient=False) as progress:
            task = progress.add_task("summarizing", total=total, rate="", tokens="")

            def tick(report: BatchReport, failure: str | None) -> None:
                n = report.done + report.failed + report.skipped
                elapsed = max(time.perf_counter() - report.started, 1e-9)
                progress.update(task, completed=n, rate=f"{report.done / elapsed:.2f}/s",
                                tokens=f"{report.prompt_tokens + report.completion_tokens:,} tok")
                if failure:
                    say(f"{failure} (see errors.jsonl)", error=True)

            report = run_batch(iter_inputs(inputs), outdir, run, concurrency=workers, on_progress=tick)
    rate = f"{report.grounding_rate:.1%}" if report.grounding_rate is not None else "n/a"
    copies = f" ({report.duplicates} the same text as another id)" if report.duplicates else ""
    say(f"done {report.done}{copies}, failed {report.failed}, skipped {report.skipped}; tokens "
        f"{report.prompt_tokens:,} prompt + {report.completion_tokens:,} completion; wall "
        f"{report.wall_seconds:.1f} s; grounding rate {rate}; outputs in {outdir}")
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def brief(
    summaries: Annotated[Path, typer.Argument(help="summaries.jsonl as summarize or batch write it.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="briefing.json")],
    html: Annotated[Path | None, typer.Option("--html", help="Also write an HTML report.")] = None,
) -> None:
    """Group stories across sources: corroborated facts, conflicts, single-source claims."""
    from ..briefing import build_briefing
    from ..briefio import load_records
    from ..outputs import write_text_atomic

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
            from ..report import render_html

            write_text_atomic(html, render_html(briefing, records))
    except UserError as e:
        say(str(e), error=True)
        raise typer.Exit(2) from e
    n = len(briefing.stories)
    say(f"{n} stor{'y' if n == 1 else 'ies'} from {briefing.articles} article(s); "
        f"{sum(len(s.conflicts) for s in briefing.stories)} conflict(s)")
    raise typer.Exit(1 if bad else 0)
