"""Options that several commands share, and the endpoint they open."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

import typer

from ..endpoint import Mode
from ..errors import ConfigError, LocalServerError
from ..local import DEFAULT_CONTEXT, DEFAULT_SLOTS, Engine
from ..pipeline import Summarizer
from ..verify import Policy
from .app import say

__all__ = ["RunOptions", "endpoint_errors", "open_run"]

BaseUrl = Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible base URL (else OPENAI_BASE_URL).")]
Model = Annotated[str | None, typer.Option("--model", help="Model name (else SUMMARIZER_MODEL).")]
ApiKey = Annotated[str | None, typer.Option("--api-key", help="API key (else OPENAI_API_KEY).")]
ModeOpt = Annotated[Mode | None, typer.Option("--mode", help="instructor mode (default: by endpoint, see README).")]
SchemaOpt = Annotated[str | None, typer.Option("--schema", help="Summary schema: module:Class or path/to/file.py:Class (default: the news schema).")]
LocalModel = Annotated[str | None, typer.Option("--local-model", help="Embedded model: default (1.5B), small (0.5B) or a GGUF path.")]
LocalContext = Annotated[int, typer.Option("--local-context", help="Embedded server context per slot, in tokens.")]
LocalEngine = Annotated[Engine, typer.Option("--local-engine", help="Embedded engine.")]
LocalSlots = Annotated[int, typer.Option("--local-slots", help="Requests the embedded llama-server decodes at once.")]
OnUnsupported = Annotated[Policy, typer.Option(help="What to do with fields the article does not support.")]
MaxReasks = Annotated[int, typer.Option(help="Extra attempts for --on-unsupported reask.")]
MaxInputTokens = Annotated[int | None, typer.Option(help="Refuse longer articles (default: what the endpoint can take, when known).")]
MaxOutputTokens = Annotated[int, typer.Option(help="Answer budget per call.")]
Timeout = Annotated[float, typer.Option(help="Seconds per HTTP request.")]
Retries = Annotated[int, typer.Option(help="Transport attempts per call (429, 5xx, timeouts).")]

DEFAULTS = {"local_context": DEFAULT_CONTEXT, "local_slots": DEFAULT_SLOTS}


@dataclass(frozen=True)
class RunOptions:
    """The endpoint, model, schema and policy flags of ``summarize`` and ``batch``."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    mode: Mode | None = None
    schema: str | None = None
    local_model: str | None = None
    local_context: int = DEFAULT_CONTEXT
    local_engine: Engine = Engine.LLAMA_SERVER
    local_slots: int = DEFAULT_SLOTS
    on_unsupported: Policy = Policy.FLAG
    max_reasks: int = 2
    max_input_tokens: int | None = None
    max_output_tokens: int = 1500
    timeout: float = 600.0
    retries: int = 4


@contextlib.contextmanager
def open_run(o: RunOptions) -> Iterator[Summarizer]:
    """open_summarizer from the shared flags; says on stderr when it starts the embedded model."""
    from ..api import open_summarizer
    from ..llm import RetryPolicy

    with open_summarizer(
        base_url=o.base_url, api_key=o.api_key, model=o.model, mode=o.mode.value if o.mode else None,
        schema=o.schema, local_model=o.local_model, local_context=o.local_context,
        local_engine=o.local_engine.value, local_slots=o.local_slots, policy=o.on_unsupported,
        max_reasks=o.max_reasks, max_input_tokens=o.max_input_tokens,
        max_output_tokens=o.max_output_tokens, timeout=o.timeout,
        retry=RetryPolicy(attempts=max(1, o.retries)),
        on_server=lambda s: say(f"embedded model {s.alias} on {s.engine.value} at {s.base_url}, "
                                f"{s.slots} slot(s) (started in {s.start_seconds:.1f} s)"),
    ) as run:
        yield run


@contextlib.contextmanager
def endpoint_errors() -> Iterator[None]:
    """Exit codes for failures of the run as a whole, named on stderr: an embedded server
    that cannot run (1), a bad configuration or schema (2)."""
    try:
        yield
    except LocalServerError as e:
        say(str(e), error=True)
        raise typer.Exit(1) from e
    except ConfigError as e:
        say(str(e), error=True)
        raise typer.Exit(2) from e
