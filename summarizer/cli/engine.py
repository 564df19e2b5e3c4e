"""``serve`` and ``local-check``: the embedded engine on its own."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from summarizer.cli.app import app, install_sigterm_handler, say
from summarizer.cli.options import LocalEngine, LocalModel, local_options, settings_from
from summarizer.core.errors import SummarizerError, UserError
from summarizer.engine.server import DEFAULT_ENGINE
from summarizer.run.settings import LocalOptions, Settings


@app.command()
@settings_from(local_options)
def serve(
    *,
    settings: Settings,
    port: Annotated[int | None, typer.Option(help="Port on 127.0.0.1 (default: a free one).")] = None,
) -> None:
    """Run the embedded model's OpenAI-compatible server until Ctrl-C; prints its URL and key.\f

    Raises:
        typer.Exit: 2 when the configuration is wrong (a missing model or engine, a bad option),
            1 when the server cannot start or dies while serving.
    """
    from summarizer.run.api import embedded_server

    install_sigterm_handler()
    try:
        with embedded_server(settings, port) as srv:
            print(f"base_url={srv.base_url}", flush=True)
            print(f"model={srv.alias}", flush=True)
            print(f"api_key={srv.api_key}", flush=True)
            say(
                f"serving {srv.model_path} on {srv.engine.value}, {srv.slots} slot(s) (started in "
                f"{srv.start_seconds:.1f} s); Ctrl-C stops it"
            )
            while True:
                srv.check_alive()
                time.sleep(0.5)
    except KeyboardInterrupt:
        say("stopped")
    except SummarizerError as e:
        say(str(e), error=True)
        raise typer.Exit(2 if isinstance(e, UserError) else 1) from e


@app.command("local-check")
def local_check(local_model: LocalModel = "small", local_engine: LocalEngine = DEFAULT_ENGINE) -> None:
    """Build the embedded engine if needed, load a model and generate one token.\f

    Raises:
        typer.Exit: 2 when the model or engine is not installed or an option is wrong, 1 when the
            server cannot start, crashes or does not answer.
    """
    from summarizer.engine.server import smoke_test

    settings = Settings(local=LocalOptions(local_model, engine=local_engine.value))
    try:
        said = smoke_test(
            settings.local.model,
            settings.local.engine,
            cache_dir=settings.cache_dir,
            llama_server=settings.llama_server,
        )
    except SummarizerError as e:
        say(str(e), error=True)
        raise typer.Exit(2 if isinstance(e, UserError) else 1) from e
    print(f"ok: {said}")
