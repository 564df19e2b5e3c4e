"""``summarizer batch`` and ``summarizer brief``: the many-articles commands."""

from __future__ import annotations

import json
import sys
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

from .cli import (
    ApiKey,
    BaseUrl,
    LocalContext,
    LocalModel,
    MaxInputTokens,
    MaxOutputTokens,
    MaxReasks,
    ModeOpt,
    Model,
    OnUnsupported,
    Retries,
    Timeout,
    _error,
    app,
    check_policy,
    endpoint_errors,
    err,
    open_run,
)
from .errors import SummarizerError


def _count(specs: list[str]) -> int | None:
    """How many items the inputs hold, when that is cheap to know (not for stdin)."""
    from .errors import InputError
    from .sources import expand

    if "-" in specs:
        return None
    total = 0
    for spec in specs:
        paths = expand(spec)
        if isinstance(paths, InputError):
            total += 1
            continue
        for p in paths:
            if p.suffix.lower() == ".jsonl" and p.is_file():
                with p.open("rb") as f:
                    total += sum(1 for line in f if line.strip())
            else:
                total += 1
    return total


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(help="Directories, globs, .txt/.md/.html/.jsonl files, or - for stdin.")],
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="Writes summaries.jsonl, errors.jsonl, report.json.")],
    base_url: BaseUrl = None,
    model: Model = None,
    api_key: ApiKey = None,
    mode: ModeOpt = None,
    local_model: LocalModel = None,
    local_context: LocalContext = 8192,
    concurrency: Annotated[int | None, typer.Option(help="Articles in flight (default: 1 for a local server, 8 for OpenAI, 4 otherwise).")] = None,
    on_unsupported: OnUnsupported = "flag",
    max_reasks: MaxReasks = 2,
    max_input_tokens: MaxInputTokens = None,
    max_output_tokens: MaxOutputTokens = 1500,
    timeout: Timeout = 600.0,
    retries: Retries = 4,
) -> None:
    """Summarise many articles into OUTDIR; re-running resumes where it stopped."""
    from .batch import run_batch
    from .endpoint import default_concurrency
    from .local import install_sigterm_handler
    from .sources import iter_inputs

    check_policy(on_unsupported)
    install_sigterm_handler()
    total = _count(inputs)
    show = sys.stderr.isatty()
    with endpoint_errors(), open_run(base_url, model, api_key, mode, local_model, local_context,
                                     on_unsupported, max_reasks, max_input_tokens, max_output_tokens,
                                     timeout, retries) as run:
        workers = concurrency or default_concurrency(run.client.endpoint)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                      MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                      TimeRemainingColumn(), TextColumn("{task.fields[tokens]}"),
                      console=err, disable=not show, transient=False) as progress:
            task = progress.add_task("summarizing", total=total, rate="", tokens="")

            def tick(report, label: str) -> None:  # type: ignore[no-untyped-def]
                import time

                n = report.done + report.failed + report.skipped
                elapsed = max(time.perf_counter() - report.started, 1e-9)
                progress.update(task, completed=n, rate=f"{report.done / elapsed:.2f}/s",
                                tokens=f"{report.prompt_tokens + report.completion_tokens:,} tok")
                if label.startswith("failed"):
                    _error(label.removeprefix("failed: ") + " (see errors.jsonl)")

            report = run_batch(iter_inputs(inputs), outdir, run, concurrency=workers, on_progress=tick)
    summary = report.as_dict()
    (outdir / "report.json").write_text(json.dumps(summary, indent=2) + "\n")
    err.print(
        f"done {report.done}, failed {report.failed}, skipped {report.skipped}; "
        f"tokens {report.prompt_tokens:,} prompt + {report.completion_tokens:,} completion; "
        f"wall {report.wall_seconds:.1f} s; grounding rate "
        + (f"{report.grounding_rate:.1%}" if report.grounding_rate is not None else "n/a")
        + f"; outputs in {outdir}"
    )
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def brief(
    summaries: Annotated[Path, typer.Argument(help="summaries.jsonl as summarize or batch write it.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="briefing.json")],
    html: Annotated[Path | None, typer.Option("--html", help="Also write an HTML report.")] = None,
) -> None:
    """Group stories across sources: corroborated facts, conflicts, single-source claims."""
    from .briefio import load_records
    from .briefing import build_briefing

    try:
        records, bad = load_records(summaries, on_error=_error)
    except SummarizerError as e:
        _error(str(e))
        raise typer.Exit(2) from e
    if not records:
        _error(f"{summaries}: no usable summary records")
        raise typer.Exit(1)
    briefing = build_briefing(records)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(briefing.model_dump_json(indent=2) + "\n", encoding="utf-8")
    if html is not None:
        from .report import render_html

        html.write_text(render_html(briefing, records), encoding="utf-8")
    err.print(f"{len(briefing.stories)} stor{'y' if len(briefing.stories) == 1 else 'ies'} from "
              f"{len(records)} article(s); {sum(len(s.conflicts) for s in briefing.stories)} conflict(s)")
    raise typer.Exit(1 if bad else 0)
