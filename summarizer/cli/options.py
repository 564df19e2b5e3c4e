"""Options that several commands share, and the endpoint they open."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import typer

from summarizer.cli.app import say
from summarizer.core.errors import EndpointError, LocalServerError, UserError
from summarizer.core.verify.walker import Policy
from summarizer.engine.server import DEFAULT_CONTEXT, DEFAULT_ENGINE, DEFAULT_SLOTS, EmbeddedServer, Engine
from summarizer.llm.endpoint import Mode
from summarizer.run.api import LocalOptions
from summarizer.run.article_summarizer import ArticleSummarizer

__all__ = ["RunOptions", "Switch", "announce", "endpoint_errors", "open_run"]


class Switch(StrEnum):
    ON = "on"
    OFF = "off"


BaseUrl = Annotated[
    list[str] | None,
    typer.Option(
        "--base-url",
        help="OpenAI-compatible base URL (else OPENAI_BASE_URL); "
        "repeat it to spread articles over replicas of one model.",
    ),
]
Model = Annotated[str | None, typer.Option("--model", help="Model name (else SUMMARIZER_MODEL).")]
ApiKey = Annotated[str | None, typer.Option("--api-key", help="API key (else OPENAI_API_KEY).")]
ModeOpt = Annotated[Mode | None, typer.Option("--mode", help="instructor mode (default: by endpoint, see README).")]
SchemaOpt = Annotated[
    str | None,
    typer.Option("--schema", help="Summary schema: module:Class or path/to/file.py:Class (default: the news schema)."),
]
LocalModel = Annotated[
    str | None, typer.Option("--local-model", help="Embedded model: default (1.5B), small (0.5B) or a GGUF path.")
]
LocalContext = Annotated[int, typer.Option("--local-context", help="Embedded server context per slot, in tokens.")]
LocalEngine = Annotated[Engine, typer.Option("--local-engine", help="Embedded engine.")]
LocalSlots = Annotated[int, typer.Option("--local-slots", help="Requests the embedded llama-server decodes at once.")]
OnUnsupported = Annotated[Policy, typer.Option(help="What to do with fields the article does not support.")]
MaxReasks = Annotated[int, typer.Option(help="Extra attempts for --on-unsupported reask.")]
MaxInputTokens = Annotated[
    int | None, typer.Option(help="Refuse longer articles (default: what the endpoint can take, when known).")
]
MaxOutputTokens = Annotated[int, typer.Option(help="Answer budget per call.")]
Timeout = Annotated[float, typer.Option(help="Seconds per HTTP request.")]
Retries = Annotated[int, typer.Option(help="Transport attempts per call (429, 5xx, timeouts).")]
JudgeOpt = Annotated[Switch, typer.Option("--judge", help="Check fields with a model judge too.")]
JudgeModel = Annotated[
    str | None,
    typer.Option("--judge-model", help="Judge model (else SUMMARIZER_JUDGE_MODEL; default: the summarising model)."),
]
JudgeBaseUrl = Annotated[
    str | None,
    typer.Option(
        "--judge-base-url",
        help="Judge endpoint (else SUMMARIZER_JUDGE_BASE_URL; default: the summarising endpoint, "
        "or the embedded model for verify and check-claims).",
    ),
]
JudgeApiKey = Annotated[
    str | None, typer.Option("--judge-api-key", help="Judge API key (else SUMMARIZER_JUDGE_API_KEY).")
]

DEFAULTS = {"local_context": DEFAULT_CONTEXT, "local_slots": DEFAULT_SLOTS}


@dataclass(frozen=True)
class RunOptions:
    """The endpoint, model, schema and policy flags of ``summarize`` and ``batch``."""

    base_url: list[str] | None = None
    model: str | None = None
    api_key: str | None = None
    mode: Mode | None = None
    schema: str | None = None
    local_model: str | None = None
    local_context: int = DEFAULT_CONTEXT
    local_engine: Engine = DEFAULT_ENGINE
    local_slots: int = DEFAULT_SLOTS
    on_unsupported: Policy = Policy.FLAG
    max_reasks: int = 2
    max_input_tokens: int | None = None
    max_output_tokens: int = 1500
    timeout: float = 600.0
    retries: int = 4
    judge: Switch = Switch.ON
    judge_model: str | None = None
    judge_base_url: str | None = None
    judge_api_key: str | None = None

    @property
    def local(self) -> LocalOptions:
        return LocalOptions(self.local_model, self.local_context, self.local_engine.value, self.local_slots)


@contextlib.contextmanager
def open_run(o: RunOptions) -> Iterator[ArticleSummarizer]:
    """open_summarizer from the shared flags; says on stderr when it starts the embedded model."""
    from summarizer.llm.client import RetryPolicy
    from summarizer.run.api import open_summarizer

    with open_summarizer(
        base_url=o.base_url or None,
        api_key=o.api_key,
        model=o.model,
        mode=o.mode.value if o.mode else None,
        schema=o.schema,
        local=o.local,
        policy=o.on_unsupported,
        judge=o.judge is Switch.ON,
        judge_base_url=o.judge_base_url,
        judge_model=o.judge_model,
        judge_api_key=o.judge_api_key,
        max_reasks=o.max_reasks,
        max_input_tokens=o.max_input_tokens,
        max_output_tokens=o.max_output_tokens,
        timeout=o.timeout,
        retry=RetryPolicy(attempts=max(1, o.retries)),
        on_server=announce,
    ) as run:
        yield run


def announce(s: EmbeddedServer) -> None:
    say(
        f"embedded model {s.alias} on {s.engine.value} at {s.base_url}, {s.slots} slot(s) "
        f"(started in {s.start_seconds:.1f} s)"
    )


@contextlib.contextmanager
def endpoint_errors(resume_hint: str = "") -> Iterator[None]:
    """Exit codes for the run as a whole, named on stderr: an endpoint that cannot be reached
    or an embedded server that cannot run (1); a bad configuration, schema or output path
    (2); Ctrl-C (130) and SIGTERM (143), saying what was kept and how to go on."""
    try:
        yield
    except KeyboardInterrupt as e:
        say("interrupted (Ctrl-C); finished results were written" + resume_hint, error=True)
        raise typer.Exit(130) from e
    except SystemExit as e:
        if e.code != 143:
            raise
        say("interrupted (SIGTERM); finished results were written" + resume_hint, error=True)
        raise typer.Exit(143) from e
    except (LocalServerError, EndpointError) as e:
        say(str(e), error=True)
        raise typer.Exit(1) from e
    except UserError as e:
        say(str(e), error=True)
        raise typer.Exit(2) from e
