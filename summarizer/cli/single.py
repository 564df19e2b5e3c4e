"""``summarize``, ``verify``, ``check-claims`` and ``schemas``."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer

from ..errors import EndpointError, InputError, SummarizerError, UserError
from ..local import Engine
from ..outputs import OutputError, atomic_text
from ..verify import Policy
from .app import app, say, show
from .options import (
    DEFAULTS,
    ApiKey,
    BaseUrl,
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
    Timeout,
    endpoint_errors,
    open_run,
)

Output = Annotated[Path | None, typer.Option("-o", "--output", help="Write JSON Lines here (else stdout).")]


@contextlib.contextmanager
def output_to(path: Path | None) -> Iterator[TextIO]:
    """stdout, or ``path`` written beside itself and renamed at the end (a failed run never
    empties an existing file; an interrupted one keeps what it finished)."""
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
def summarize(
    inputs: Annotated[list[str], typer.Argument(help="Articles: .txt/.md/.html/.jsonl files, directories, globs, or - for stdin.")],
    output: Output = None,
    schema: SchemaOpt = None,
    base_url: BaseUrl = None,
    model: Model = None,
    api_key: ApiKey = None,
    mode: ModeOpt = None,
    local_model: LocalModel = None,
    local_context: LocalContext = DEFAULTS["local_context"],
    local_engine: LocalEngine = Engine.LLAMA_SERVER,
    local_slots: LocalSlots = DEFAULTS["local_slots"],
    on_unsupported: OnUnsupported = Policy.FLAG,
    max_reasks: MaxReasks = 2,
    max_input_tokens: MaxInputTokens = None,
    max_output_tokens: MaxOutputTokens = 1500,
    timeout: Timeout = 600.0,
    retries: Retries = 4,
) -> None:
    """Summarise each article into one JSON object (JSON Lines), verified against its text."""
    from ..local import install_sigterm_handler
    from ..render import render_record
    from ..sources import iter_inputs

    opts = RunOptions(base_url, model, api_key, mode, schema, local_model, local_context,
                      local_engine, local_slots, on_unsupported, max_reasks, max_input_tokens,
                      max_output_tokens, timeout, retries)
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
    with endpoint_errors(), output_to(output) as out, open_run(opts) as run:
        for article in articles:
            try:
                record = run(article)
            except SummarizerError as e:
                if run.server is not None and isinstance(e, EndpointError):
                    run.server.check_alive()  # a crashed server explains itself
                say(str(e), error=True)
                failures += 1
                continue
            if tty:
                show(render_record(record))
            else:
                out.write(record.model_dump_json() + "\n")
                out.flush()
    raise typer.Exit(1 if failures else 0)


@app.command("check-claims")
def check_claims(
    input: Annotated[Path, typer.Argument(help="JSON Lines: {id, document, claim} per line; - for stdin.")],
    output: Output = None,
) -> None:
    """Score each claim against its document (no model needed); streams line by line."""
    from ..claimsio import run_check_claims

    try:
        with output_to(output) as out:
            bad = run_check_claims(input, out, on_error=lambda m: say(m, error=True))
    except UserError as e:
        say(str(e), error=True)
        raise typer.Exit(2) from e
    raise typer.Exit(1 if bad else 0)


@app.command()
def verify(
    summaries: Annotated[Path, typer.Argument(help="A JSON object or JSON Lines as summarize writes them.")],
    source: Annotated[Path | None, typer.Option(help="Article text overriding the stored one (single summary).")] = None,
    schema: SchemaOpt = None,
    output: Output = None,
) -> None:
    """Re-verify stored summaries against their articles."""
    from ..reverify import reverify_file
    from ..schemaload import load_schema

    try:
        cls = load_schema(schema)
        with output_to(output) as out:
            bad = reverify_file(summaries, source, out, cls, on_error=lambda m: say(m, error=True))
    except UserError as e:
        say(str(e), error=True)
        raise typer.Exit(2) from e
    raise typer.Exit(1 if bad else 0)


@app.command()
def schemas(
    check: Annotated[bool, typer.Option(help="Fail if schemas/ differs instead of writing.")] = False,
    schema: SchemaOpt = None,
) -> None:
    """Write the JSON Schema of every output type into schemas/; with --schema, print that
    schema's JSON Schema and the field kind of every leaf instead."""
    from ..schemagen import describe_schema, write_schemas
    from ..schemaload import load_schema

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
