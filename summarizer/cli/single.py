"""``summarize``, ``verify``, ``check-claims`` and ``schemas``."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer

from summarizer.cli.app import app, install_sigterm_handler, say, show
from summarizer.cli.options import (
    RUN_OPTIONS,
    SchemaOpt,
    Switch,
    announce,
    endpoint_errors,
    judge_options,
    open_run,
    settings_from,
)
from summarizer.core.errors import EndpointError, InputError, SummarizerError, UserError
from summarizer.files.atomic import OutputError, atomic_text
from summarizer.llm.judge_client import JudgeClient
from summarizer.run.settings import Settings

Output = Annotated[Path | None, typer.Option("-o", "--output", help="Write JSON Lines here (else stdout).")]


@contextlib.contextmanager
def output_to(path: Path | None) -> Iterator[TextIO]:
    """Where a command writes its JSON Lines.

    Args:
        path: The output file, or ``None`` for stdout.

    Yields:
        stdout, or a file written beside ``path`` and renamed to it at the end (a failed run
        never empties an existing file; an interrupted one keeps what it finished).

    Raises:
        typer.Exit: 2 when ``path`` cannot be written.
    """
    if path is None:
        yield sys.stdout
        return
    try:
        with atomic_text(path) as f:
            yield f
    except OutputError as e:
        say(str(e), error=True)
        raise typer.Exit(2) from e


@app.command()
@settings_from(*RUN_OPTIONS)
def summarize(
    inputs: Annotated[
        list[str], typer.Argument(help="Articles: .txt/.md/.html/.jsonl files, directories, globs, or - for stdin.")
    ],
    output: Output = None,
    *,
    settings: Settings,
) -> None:
    """Summarise each article into one JSON object (JSON Lines), verified against its text.\f

    Raises:
        typer.Exit: Always: 0 when every article is done, 1 when none could be read or some
            failed (each named on stderr). For the run as a whole, endpoint_errors turns an
            endpoint or embedded server that cannot run into 1, a bad configuration, schema or
            output path into 2, Ctrl-C into 130 and SIGTERM into 143.
        KeyboardInterrupt: Re-raised (after the run is cancelled and the articles not done are
            named) for endpoint_errors to turn into exit code 130.
        SystemExit: Re-raised likewise; SIGTERM's becomes exit code 143.
    """
    from summarizer.files.inputs import iter_inputs
    from summarizer.views.terminal import render_record

    install_sigterm_handler()
    failures = 0
    articles = []
    for item in iter_inputs(inputs):  # read everything first: bad inputs are named before any call
        if isinstance(item, InputError):
            say(str(item), error=True)
            failures += 1
        else:
            articles.append(item)
    if not articles:
        raise typer.Exit(1)
    tty = output is None and sys.stdout.isatty()
    done: list[str] = []
    hint = "" if output is None else f" to {output}"
    with endpoint_errors(hint), output_to(output) as out, open_run(settings) as run:
        for article in articles:
            try:
                record = run(article)
            except (KeyboardInterrupt, SystemExit):
                run.cancel()
                left = [a.id for a in articles if a.id not in done]
                say(f"{len(done)} of {len(articles)} article(s) done; not done: {', '.join(left)}")
                raise
            except SummarizerError as e:
                if run.server is not None and isinstance(e, EndpointError):
                    run.server.check_alive()  # a crashed server explains itself
                say(str(e) + _kept(article.id, e.raw_answer, settings), error=True)
                failures += 1
                continue
            if tty:
                show(render_record(record))
            else:
                out.write(record.model_dump_json() + "\n")
                out.flush()
            done.append(article.id)
    if output is not None and not done and output.exists():
        say(f"no article was summarised; {output} was left as it was")
    raise typer.Exit(1 if failures else 0)


def _kept(article_id: str, raw: str | None, settings: Settings) -> str:
    """Where the model's answer to a failed article was kept (an empty string if none came)."""
    if raw is None:
        return ""
    from summarizer.files.kept_answers import keep_answer

    try:
        return f"; the model's answer is kept in {keep_answer(article_id, raw, settings.cache_dir / 'answers')}"
    except (OSError, OutputError) as e:
        return f"; the model's answer could not be kept: {e}"


@contextlib.contextmanager
def judged_output(settings: Settings, output: Path | None) -> Iterator[tuple[JudgeClient | None, TextIO]]:
    """The judge of ``verify`` and ``check-claims`` and their output.

    Args:
        settings: The command's settings; the judge is opened only when ``settings.judge``.
        output: The output file, or ``None`` for stdout (as :func:`output_to`).

    Yields:
        ``(judge, out)``: the judge client, or ``None`` without ``--judge on``, and the stream
        to write to. Errors become messages and exit codes as
        :func:`~summarizer.cli.options.endpoint_errors` says.
    """
    from summarizer.run.api import open_judge

    with contextlib.ExitStack() as stack:
        stack.enter_context(endpoint_errors())
        judge = stack.enter_context(open_judge(settings, on_server=announce)) if settings.judge else None
        yield judge, stack.enter_context(output_to(output))


@app.command("check-claims")
@settings_from(judge_options, judge=Switch.OFF)
def check_claims(
    input: Annotated[Path, typer.Argument(help="JSON Lines: {id, document, claim} per line; - for stdin.")],
    output: Output = None,
    *,
    settings: Settings,
) -> None:
    """Score each claim against its document; streams line by line. No model is needed unless
    --judge on (then the judge endpoint, or the embedded model).\f

    Raises:
        typer.Exit: Always: 0 when every line was scored, 1 when some line was not. For the run
            as a whole, endpoint_errors turns an endpoint or embedded server that cannot run into
            1, a bad configuration or output path into 2, Ctrl-C into 130 and SIGTERM into 143.
    """
    from summarizer.run.check_claims import run_check_claims

    install_sigterm_handler()
    with judged_output(settings, output) as (judge, out):
        bad, tally = run_check_claims(input, out, on_error=lambda m: say(m, error=True), judge=judge)
    if settings.judge:
        say(
            f"judge: {tally.calls} calls, {tally.cached} cached, {tally.usage.prompt_tokens:,} prompt + "
            f"{tally.usage.completion_tokens:,} completion tokens, {tally.seconds:.1f} s of calls"
        )
    raise typer.Exit(1 if bad else 0)


@app.command()
@settings_from(judge_options, judge=Switch.OFF)
def verify(
    summaries: Annotated[Path, typer.Argument(help="A JSON object or JSON Lines as summarize writes them.")],
    source: Annotated[
        Path | None, typer.Option(help="Article text overriding the stored one (single summary).")
    ] = None,
    schema: SchemaOpt = None,
    output: Output = None,
    *,
    settings: Settings,
) -> None:
    """Re-verify stored summaries against their articles (no model unless --judge on).\f

    Raises:
        typer.Exit: Always: 0 when every summary was verified, 1 when some could not be. For
            the run as a whole, endpoint_errors turns an endpoint or embedded server that cannot
            run into 1, a bad configuration, schema or output path into 2, Ctrl-C into 130 and
            SIGTERM into 143.
    """
    from summarizer.files.schema_loader import load_schema
    from summarizer.run.reverify import reverify_file

    install_sigterm_handler()
    with endpoint_errors():
        cls = load_schema(schema)
    with judged_output(settings, output) as (judge, out):
        bad = reverify_file(summaries, source, out, cls, on_error=lambda m: say(m, error=True), judge=judge)
    raise typer.Exit(1 if bad else 0)


@app.command()
def schemas(
    check: Annotated[bool, typer.Option(help="Fail if schemas/ differs instead of writing.")] = False,
    schema: SchemaOpt = None,
) -> None:
    """Write the JSON Schema of every output type into schemas/; with --schema, print that
    schema's JSON Schema and the field kind of every leaf instead.\f

    Raises:
        typer.Exit: 2 when the ``--schema`` class cannot be loaded, 1 when ``--check`` finds
            schemas/ out of date.
    """
    from summarizer.files.schema_export import describe_schema, write_schemas
    from summarizer.files.schema_loader import load_schema

    if schema is not None:
        try:
            print(json.dumps(describe_schema(load_schema(schema)), indent=2))
        except UserError as e:
            say(str(e), error=True)
            raise typer.Exit(2) from e
        return
    stale = write_schemas(check=check)
    if check and stale:
        say("schemas out of date: " + ", ".join(stale) + "; run: summarizer schemas", error=True)
        raise typer.Exit(1)
    print(json.dumps({"checked" if check else "written": "ok"}))
