"""Command line: parse flags, call the API, turn errors into messages and exit codes.

Exit codes: 0 all done, 1 some item failed (each named on stderr; the others still ran),
2 bad usage or configuration.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console

from .errors import ConfigError, EndpointError, InputError, LocalServerError, SummarizerError, UserError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Structured, verified summaries of news articles.")
err = Console(stderr=True, highlight=False)
# instructor logs every failed attempt at ERROR; the CLI reports failures itself, once, per item
logging.getLogger("instructor").addHandler(logging.NullHandler())

BaseUrl = Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible base URL (else OPENAI_BASE_URL).")]
Model = Annotated[str | None, typer.Option("--model", help="Model name (else SUMMARIZER_MODEL).")]
ApiKey = Annotated[str | None, typer.Option("--api-key", help="API key (else OPENAI_API_KEY).")]
ModeOpt = Annotated[str | None, typer.Option("--mode", help="instructor mode: json, tools, json_schema, md_json.")]
LocalModel = Annotated[str | None, typer.Option("--local-model", help="Embedded model: default (1.5B), small (0.5B) or a GGUF path.")]
LocalContext = Annotated[int, typer.Option("--local-context", help="Embedded server context in tokens.")]
OnUnsupported = Annotated[str, typer.Option(help="flag | drop | reask | fail")]
MaxReasks = Annotated[int, typer.Option(help="Extra attempts for --on-unsupported reask.")]
MaxInputTokens = Annotated[int | None, typer.Option(help="Refuse longer articles (default: what the endpoint can take, when known).")]
MaxOutputTokens = Annotated[int, typer.Option(help="Answer budget per call.")]
Timeout = Annotated[float, typer.Option(help="Seconds per HTTP request.")]
Retries = Annotated[int, typer.Option(help="Transport attempts per call (429, 5xx, timeouts).")]


def _error(item_msg: str) -> None:
    err.print(f"[red]error:[/red] {item_msg}", markup=True, soft_wrap=True)


POLICIES = ("flag", "drop", "reask", "fail")


def check_policy(value: str) -> None:
    """Reject an unknown --on-unsupported value (exit code 2, like any usage error)."""
    if value not in POLICIES:
        raise typer.BadParameter("choose " + ", ".join(POLICIES), param_hint="--on-unsupported")


def open_run(base_url: str | None, model: str | None, api_key: str | None, mode: str | None,
             local_model: str | None, local_context: int, on_unsupported: str, max_reasks: int,
             max_input_tokens: int | None, max_output_tokens: int, timeout: float, retries: int) -> Any:
    """open_summarizer from the endpoint and policy flags that summarize and batch share;
    says on stderr when it starts the embedded model."""
    from .api import open_summarizer
    from .llm import RetryPolicy

    return open_summarizer(base_url=base_url, api_key=api_key, model=model, mode=mode,
                           local_model=local_model, local_context=local_context,
                           policy=on_unsupported,  # type: ignore[arg-type]
                           max_reasks=max_reasks, max_input_tokens=max_input_tokens,
                           max_output_tokens=max_output_tokens, timeout=timeout,
                           retry=RetryPolicy(attempts=max(1, retries)),
                           on_server=lambda s: err.print(f"embedded model {s.alias} at {s.base_url} "
                                                         f"(started in {s.start_seconds:.1f} s)"))


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """The file at ``path`` (created with its folder, closed afterwards), or stdout."""
    if path is None:
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        yield f


@contextlib.contextmanager
def endpoint_errors() -> Iterator[None]:
    """Exit codes for failures of the endpoint as a whole, named on stderr: an embedded server
    that cannot run (1), a bad configuration (2)."""
    try:
        yield
    except LocalServerError as e:
        _error(str(e))
        raise typer.Exit(1) from e
    except ConfigError as e:
        _error(str(e))
        raise typer.Exit(2) from e


@app.command()
def summarize(
    files: Annotated[list[str], typer.Argument(help="Article files (.txt, .md) or - for stdin.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write JSON Lines here.")] = None,
    base_url: BaseUrl = None,
    model: Model = None,
    api_key: ApiKey = None,
    mode: ModeOpt = None,
    local_model: LocalModel = None,
    local_context: LocalContext = 8192,
    on_unsupported: OnUnsupported = "flag",
    max_reasks: MaxReasks = 2,
    max_input_tokens: MaxInputTokens = None,
    max_output_tokens: MaxOutputTokens = 1500,
    timeout: Timeout = 600.0,
    retries: Retries = 4,
) -> None:
    """Summarise each article into one JSON object (JSON Lines), verified against its text."""
    from .articles import load_article
    from .local import install_sigterm_handler
    from .render import render_record

    check_policy(on_unsupported)
    install_sigterm_handler()
    failures = 0
    articles = []
    for f in files:  # read everything first: bad files are reported before any model call
        try:
            articles.append(load_article(f))
        except InputError as e:
            _error(str(e))
            failures += 1
    if not articles:
        raise typer.Exit(1)
    tty = output is None and sys.stdout.isatty()
    with endpoint_errors(), _output(output) as out, \
            open_run(base_url, model, api_key, mode, local_model, local_context, on_unsupported,
                     max_reasks, max_input_tokens, max_output_tokens, timeout, retries) as run:
        for article in articles:
            try:
                record = run(article)
            except (UserError, SummarizerError) as e:
                server = getattr(run, "server", None)
                if server is not None and isinstance(e, EndpointError):
                    server.check_alive()  # a crashed server explains itself
                _error(str(e))
                failures += 1
                continue
            if tty:
                render_record(record, Console())
            else:
                out.write(record.model_dump_json() + "\n")
                out.flush()
    raise typer.Exit(1 if failures else 0)


@app.command()
def serve(
    local_model: LocalModel = None,
    local_context: LocalContext = 8192,
    port: Annotated[int | None, typer.Option(help="Port on 127.0.0.1 (default: a free one).")] = None,
) -> None:
    """Run the embedded model's OpenAI-compatible server until Ctrl-C."""
    import time

    from .local import EmbeddedServer, install_sigterm_handler

    install_sigterm_handler()
    try:
        with EmbeddedServer(local_model, context=local_context, port=port) as srv:
            print(f"base_url={srv.base_url}", flush=True)
            print(f"model={srv.alias}", flush=True)
            err.print(f"serving {srv.model_path} (started in {srv.start_seconds:.1f} s); Ctrl-C stops it")
            while True:
                srv.check_alive()
                time.sleep(0.5)
    except KeyboardInterrupt:
        err.print("stopped")
    except SummarizerError as e:
        _error(str(e))
        raise typer.Exit(1) from e


@app.command("local-check")
def local_check(local_model: LocalModel = "small") -> None:
    """Load the embedded model and generate one token (catches a crashing llama.cpp build)."""
    from .local import smoke_test

    try:
        token = smoke_test(local_model)
    except SummarizerError as e:
        _error(str(e))
        raise typer.Exit(1) from e
    print(f"ok: llama-cpp-python generated {token}")


@app.command("check-claims")
def check_claims(
    input: Annotated[Path, typer.Argument(help="JSON Lines: {id, document, claim} per line; - for stdin.")],
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Score each claim against its document (no model needed); streams line by line."""
    from .claimsio import run_check_claims

    src = sys.stdin if str(input) == "-" else None
    if src is None and not input.is_file():
        _error(f"{input}: no such file")
        raise typer.Exit(2)
    with _output(output) as out, (src or input.open(encoding="utf-8", errors="replace")) as lines:
        bad = run_check_claims(lines, out, on_error=_error)
    raise typer.Exit(1 if bad else 0)


@app.command()
def verify(
    summaries: Annotated[Path, typer.Argument(help="A JSON object or JSON Lines as summarize writes them.")],
    source: Annotated[Path | None, typer.Option(help="Article text overriding the stored one (single summary).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Re-verify stored summaries against their articles."""
    from .reverify import reverify_file

    try:
        with _output(output) as out:
            bad = reverify_file(summaries, source, out, on_error=_error)
    except UserError as e:
        _error(str(e))
        raise typer.Exit(2) from e
    raise typer.Exit(1 if bad else 0)


@app.command()
def schemas(check: Annotated[bool, typer.Option(help="Fail if schemas/ differs instead of writing.")] = False) -> None:
    """Write the JSON Schema of every output type into schemas/."""
    from .schemagen import write_schemas

    stale = write_schemas(check=check)
    if check and stale:
        _error("schemas out of date: " + ", ".join(stale) + "; run: summarizer schemas")
        raise typer.Exit(1)
    print(json.dumps({"checked" if check else "written": "ok"}))


def main() -> None:
    app()


from . import cli_batch  # noqa: E402, F401  (registers batch and brief on the same app)


if __name__ == "__main__":
    main()
