"""``serve`` and ``local-check``: the embedded engine on its own."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from summarizer.cli.app import app, install_sigterm_handler, say
from summarizer.cli.options import DEFAULTS, LocalContext, LocalEngine, LocalModel, LocalSlots
from summarizer.core.errors import SummarizerError, UserError
from summarizer.engine.server import DEFAULT_ENGINE


@app.command()
def serve(
    local_model: LocalModel = None,
    local_context: LocalContext = DEFAULTS["local_context"],
    local_engine: LocalEngine = DEFAULT_ENGINE,
    local_slots: LocalSlots = DEFAULTS["local_slots"],
    port: Annotated[int | None, typer.Option(help="Port on 127.0.0.1 (default: a free one).")] = None,
) -> None:
    """Run the embedded model's OpenAI-compatible server until Ctrl-C; prints its URL and key."""
    from summarizer.engine.server import EmbeddedServer

    install_sigterm_handler()
    try:
        with EmbeddedServer(
            local_model, context=local_context, slots=local_slots, engine=local_engine, port=port
        ) as srv:
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
    """Build the embedded engine if needed, load a model and generate one token."""
    from summarizer.engine.server import smoke_test

    try:
        said = smoke_test(local_model, local_engine)
    except SummarizerError as e:
        say(str(e), error=True)
        raise typer.Exit(2 if isinstance(e, UserError) else 1) from e
    print(f"ok: {said}")
