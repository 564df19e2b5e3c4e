"""Options that several commands share, each declared once, and the settings built from them.

The shared options come in groups: functions whose parameters are the options (names, types,
defaults, help) and which return the :class:`~summarizer.run.settings.Settings` fields they
set. :func:`settings_from` puts groups' options into a command and hands the command the
:class:`~summarizer.run.settings.Settings` built from them, so every command that takes an
option takes the same one, and the settings are built in this one place.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Annotated, Any

import typer

from summarizer.cli.app import say
from summarizer.core.errors import EndpointError, LocalServerError, UserError
from summarizer.core.verify.walker import Policy, UncertainPolicy
from summarizer.engine.server import DEFAULT_ENGINE, EmbeddedServer, Engine
from summarizer.llm.client import RetryPolicy
from summarizer.llm.endpoint import Mode
from summarizer.run.article_summarizer import ArticleSummarizer
from summarizer.run.settings import LocalOptions, Settings

__all__ = [
    "RUN_OPTIONS",
    "Switch",
    "announce",
    "endpoint_errors",
    "endpoint_options",
    "judge_options",
    "local_options",
    "open_run",
    "policy_options",
    "schema_options",
    "settings_from",
]


class Switch(StrEnum):
    """An on/off option's value (``--judge on|off``)."""

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
LocalSlots = Annotated[int, typer.Option("--local-slots", help="Requests the embedded engine decodes at once.")]
OnUnsupported = Annotated[Policy, typer.Option(help="What to do with fields the article does not support.")]
OnUncertain = Annotated[
    UncertainPolicy, typer.Option(help="What to do with fields neither the words nor the judge settle.")
]
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


def schema_options(schema: SchemaOpt = None) -> dict[str, Any]:
    """``--schema``: the summary schema (a ``module:Class`` or ``path.py:Class`` spec)."""
    return {"schema": schema}


def endpoint_options(
    base_url: BaseUrl = None, model: Model = None, api_key: ApiKey = None, mode: ModeOpt = None
) -> dict[str, Any]:
    """``--base-url`` (repeatable), ``--model``, ``--api-key``, ``--mode``: the summarising endpoint.

    Returns:
        The :class:`Settings` fields they set; ``base_url`` as a tuple, empty when not given.
    """
    return {"base_url": tuple(base_url or ()), "model": model, "api_key": api_key, "mode": mode}


def local_options(
    local_model: LocalModel = None,
    local_context: LocalContext = LocalOptions.context,
    local_engine: LocalEngine = DEFAULT_ENGINE,
    local_slots: LocalSlots = LocalOptions.slots,
) -> dict[str, Any]:
    """``--local-model``, ``--local-context`` (tokens per slot), ``--local-engine``,
    ``--local-slots``: the embedded model, used when no endpoint is configured.

    Returns:
        ``{"local": LocalOptions(...)}``.
    """
    return {"local": LocalOptions(local_model, local_context, local_engine.value, local_slots)}


def policy_options(
    on_unsupported: OnUnsupported = Settings.policy,
    on_uncertain: OnUncertain = Settings.uncertain_policy,
    max_reasks: MaxReasks = Settings.max_reasks,
    max_input_tokens: MaxInputTokens = None,
    max_output_tokens: MaxOutputTokens = Settings.max_output_tokens,
    timeout: Timeout = Settings.timeout,
    retries: Retries = RetryPolicy.attempts,
) -> dict[str, Any]:
    """``--on-unsupported``, ``--on-uncertain``, ``--max-reasks``, ``--max-input-tokens`` and
    ``--max-output-tokens`` (tokens), ``--timeout`` (seconds per request), ``--retries``
    (transport attempts per call, at least 1).

    Returns:
        The :class:`Settings` fields they set; ``--retries`` as ``retry``, a
        :class:`~summarizer.llm.client.RetryPolicy` of at least 1 attempt.
    """
    return {
        "policy": on_unsupported,
        "uncertain_policy": on_uncertain,
        "max_reasks": max_reasks,
        "max_input_tokens": max_input_tokens,
        "max_output_tokens": max_output_tokens,
        "timeout": timeout,
        "retry": RetryPolicy(attempts=max(1, retries)),
    }


def judge_options(
    judge: JudgeOpt = Switch.ON,
    judge_model: JudgeModel = None,
    judge_base_url: JudgeBaseUrl = None,
    judge_api_key: JudgeApiKey = None,
) -> dict[str, Any]:
    """``--judge on|off``, ``--judge-model``, ``--judge-base-url``, ``--judge-api-key``."""
    return {
        "judge": judge is Switch.ON,
        "judge_model": judge_model,
        "judge_base_url": judge_base_url,
        "judge_api_key": judge_api_key,
    }


OptionGroup = Callable[..., dict[str, Any]]
RUN_OPTIONS: tuple[OptionGroup, ...] = (schema_options, endpoint_options, local_options, policy_options, judge_options)
"""The options of ``summarize`` and ``batch``."""


def settings_from(*groups: OptionGroup, **defaults: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorate a command (under ``@app.command()``) with shared options and their settings.

    The command's keyword-only ``settings`` parameter stands for the options of ``groups``, in
    their order, and the command is called with the :class:`Settings` built from them, the
    environment filling what is not given. The command's parameters after ``settings`` keep
    their place after the groups' options.

    Args:
        *groups: Option groups (:func:`endpoint_options` and the others).
        **defaults: New defaults for options of the groups, by parameter name.

    Returns:
        The decorator. Applied to a command without a ``settings`` parameter, it raises
        ``TypeError``.

    Raises:
        TypeError: ``defaults`` names no option of ``groups``.
    """
    members = [(g, list(inspect.signature(g, eval_str=True).parameters.values())) for g in groups]
    shared = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY, default=defaults.get(p.name, p.default))
        for _, params in members
        for p in params
    ]
    unknown = set(defaults) - {p.name for p in shared}
    if unknown:
        raise TypeError(f"settings_from: no option named {', '.join(sorted(unknown))}")

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        own = inspect.signature(command, eval_str=True)
        if "settings" not in own.parameters:
            raise TypeError(f"{command.__name__} has no settings parameter")
        names = list(own.parameters)
        at = names.index("settings")
        params = [*list(own.parameters.values())[:at], *shared, *list(own.parameters.values())[at + 1 :]]

        @functools.wraps(command)
        def with_settings(**given: Any) -> None:
            values: dict[str, Any] = {}
            for group, group_params in members:
                values.update(group(**{p.name: given.pop(p.name) for p in group_params}))
            command(**given, settings=Settings(**values))

        with_settings.__signature__ = own.replace(parameters=params)
        with_settings.__annotations__ = {p.name: p.annotation for p in params} | {"return": None}
        return with_settings

    return decorate


@contextlib.contextmanager
def open_run(settings: Settings) -> Iterator[ArticleSummarizer]:
    """open_summarizer with ``settings``; says on stderr when it starts the embedded model."""
    from summarizer.run.api import open_summarizer

    with open_summarizer(settings=settings, on_server=announce) as run:
        yield run


def announce(s: EmbeddedServer) -> None:
    """Say on stderr which embedded model started, where, with how many slots and in how many seconds."""
    say(
        f"embedded model {s.alias} on {s.engine.value} at {s.base_url}, {s.slots} slot(s) "
        f"(started in {s.start_seconds:.1f} s)"
    )


@contextlib.contextmanager
def endpoint_errors(resume_hint: str = "") -> Iterator[None]:
    """Exit codes for the run as a whole, each error named on stderr.

    Args:
        resume_hint: Appended to the interruption message: where the finished results are
            and how to go on.

    Raises:
        typer.Exit: 1 for an endpoint that cannot be reached or an embedded server that cannot
            run; 2 for a bad configuration, schema or output path; 130 for Ctrl-C and 143 for
            SIGTERM, saying that finished results were written.
        SystemExit: Any exit other than SIGTERM's, unchanged.
    """
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
