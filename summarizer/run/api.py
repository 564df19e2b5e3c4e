"""Public API: open an endpoint (starting the embedded model if needed), summarise, verify.

The CLI is a thin layer over these functions. Summarising many articles starts the embedded
server once::

    from summarizer import open_summarizer, article_from_text

    with open_summarizer(schema=MySchema) as run:
        for i, text in enumerate(texts):
            record = run(article_from_text(text, id=f"a{i}"))

A model judge checks every field the word-overlap stage cannot settle; by default it is the
summarising endpoint itself (``judge=False`` turns it off; ``judge_base_url`` and friends,
or the ``SUMMARIZER_JUDGE_*`` variables, point it elsewhere).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from summarizer.core.errors import EndpointError
from summarizer.core.records import SummaryRecord
from summarizer.core.schema_plan import compile_schema
from summarizer.core.verify.walker import Verification, verify_summary
from summarizer.engine.server import LLAMA_CPP_SERVERS, EmbeddedServer
from summarizer.files.articles import Article, article_from_text
from summarizer.files.cache import JudgeCache
from summarizer.llm.client import LLMClient, list_models
from summarizer.llm.endpoint import Endpoint, EndpointKind, Mode, resolve_endpoint
from summarizer.llm.judge_client import JudgeClient
from summarizer.llm.prompts import load_prompt
from summarizer.run.article_summarizer import ArticleSummarizer
from summarizer.run.balance import Balanced
from summarizer.run.pipeline import Summarizer, estimate_tokens
from summarizer.run.settings import LocalOptions, Settings

__all__ = [
    "DEFAULT_INPUT_LIMIT",
    "LocalOptions",
    "Settings",
    "embedded_server",
    "open_judge",
    "open_summarizer",
    "summarize",
    "verify",
]

DEFAULT_INPUT_LIMIT = 32_000  # tokens, for an endpoint whose context window is not known


def embedded_server(settings: Settings, port: int | None = None) -> EmbeddedServer:
    """The embedded model's server as ``settings`` describe it, not started yet.

    Args:
        settings: The run's settings; ``local``, ``cache_dir`` and ``llama_server`` are read.
        port: The TCP port on 127.0.0.1; ``None`` picks a free one when it starts.

    Returns:
        The server, to be used as a context manager (it starts on entry, stops on exit; its
        errors are those of :class:`EmbeddedServer`).
    """
    local = settings.local
    return EmbeddedServer(
        local.model,
        context=local.context,
        slots=local.slots,
        engine=local.engine,
        port=port,
        cache_dir=settings.cache_dir,
        llama_server=settings.llama_server,
    )


def open_endpoint(
    stack: contextlib.ExitStack,
    endpoint: Endpoint,
    settings: Settings,
    mode_given: bool,
    on_server: Callable[[EmbeddedServer], None] | None = None,
) -> tuple[Endpoint, EmbeddedServer | None]:
    """A usable endpoint, with the embedded server started when it is the embedded one.

    For another server, its model is discovered when not given, and a llama.cpp server is
    recognised by its model list (it then gets the compact-JSON grammar in json mode and is
    known to return logprobs).

    Args:
        stack: Where the embedded server is entered, so it stops when the stack closes.
        endpoint: The endpoint as resolved from the settings.
        settings: The run's settings (``local`` describes the embedded model).
        mode_given: Whether the mode was set by the user; if not, the embedded model's
            preferred mode is used.
        on_server: Called with the embedded server once it has started.

    Returns:
        The endpoint filled in (base URL, model, context in tokens, slots, logprobs, mode,
        grammar) and the embedded server, or ``None`` for any other server.

    Raises:
        EndpointError: A server without a given model cannot list its models; also as
            :class:`EmbeddedServer` raises when it cannot start (``LocalServerError``).
    """
    from summarizer.engine.weights import preferred_mode

    if endpoint.kind is EndpointKind.EMBEDDED:
        server = stack.enter_context(embedded_server(settings))
        if on_server:
            on_server(server)
        mode = endpoint.mode if mode_given else Mode(preferred_mode(settings.local.model, server.engine.value))
        return dataclasses.replace(
            endpoint,
            base_url=server.base_url,
            model=server.alias,
            api_key=server.api_key,
            context_tokens=server.context,
            slots=server.slots,
            logprobs=server.logprobs,
            mode=mode,
            grammar=server.engine in LLAMA_CPP_SERVERS,
        ), server
    if endpoint.kind is EndpointKind.OPENAI:
        return endpoint, None
    try:  # which model (when not given), and whether the server is llama.cpp's
        served = list_models(endpoint)
    except EndpointError:
        if not endpoint.model:
            raise
        return endpoint, None  # the model is given: go on without knowing the server
    llama = any(m.owned_by == "llamacpp" for m in served)
    return dataclasses.replace(
        endpoint,
        model=endpoint.model or served[0].id,
        grammar=llama and endpoint.mode is Mode.JSON,
        logprobs=True if llama else endpoint.logprobs,
    ), None


@contextlib.contextmanager
def open_judge(
    settings: Settings | None = None, *, on_server: Callable[[EmbeddedServer], None] | None = None
) -> Iterator[JudgeClient]:
    """A judge on its own endpoint, for ``verify`` and ``check-claims``, which call no other model.

    The endpoint is ``settings.judge_base_url`` (with ``judge_model`` and ``judge_api_key``),
    else the embedded model (``settings.local``, started on entry and stopped on exit). Its
    errors are those :func:`open_summarizer` raises for its endpoint.

    Args:
        settings: The run's settings; default :class:`Settings` from the environment.
        on_server: Called with the embedded server once it has started.

    Yields:
        The judge client, usable until the context exits.
    """
    settings = Settings() if settings is None else settings
    url = settings.judge_base_url
    endpoint = (
        resolve_endpoint(base_url=url, api_key=settings.judge_api_key, model=settings.judge_model)
        if url
        else Endpoint(EndpointKind.EMBEDDED, None, "none", None, Mode.JSON)
    )
    with contextlib.ExitStack() as stack:
        endpoint, _ = open_endpoint(stack, endpoint, settings, True, on_server)
        yield _judge_client(stack, endpoint, settings)


def _judge_client(stack: contextlib.ExitStack, endpoint: Endpoint, settings: Settings) -> JudgeClient:
    from summarizer.llm.endpoint import default_concurrency

    client = LLMClient(endpoint, timeout=settings.timeout, retry=settings.retry, max_output_tokens=1)
    stack.callback(client.close)
    cache = JudgeCache(settings.cache_dir / "judge-cache.sqlite3")
    stack.callback(cache.close)
    return JudgeClient(
        client, cache=cache, concurrency=default_concurrency(endpoint), logprobs=endpoint.logprobs is not False
    )


@contextlib.contextmanager
def open_summarizer(
    *,
    settings: Settings | None = None,
    on_server: Callable[[EmbeddedServer], None] | None = None,
    **options: Any,
) -> Iterator[ArticleSummarizer]:
    """Yield a ready :class:`Summarizer` (a :class:`Balanced` one over several base URLs); the
    embedded server (if any) lives as long as it, and ``on_server`` is called with it once it
    has started.

    ``settings``: the run's :class:`Settings`; or, instead, its fields as keyword arguments
    (``base_url``, ``api_key``, ``model``, ``mode``, ``local``, ``policy``,
    ``uncertain_policy``, ``schema``,
    ``judge``, ``judge_base_url``, ``judge_model``, ``judge_api_key``, ``max_reasks``,
    ``max_input_tokens``, ``max_output_tokens``, ``timeout``, ``retry``), the environment
    filling what is not given. ``schema``: a Pydantic model class whose leaves carry field
    kinds, or ``module:Class`` / ``path.py:Class``; default :class:`ArticleSummary`. Checked
    before anything starts. ``judge``: check fields with a model judge too, by default the
    summarising endpoint. Several ``base_url`` (replicas of one model) spread the articles
    over them.

    Args:
        settings: The run's settings; ``None`` builds them from ``options`` and the environment.
        on_server: Called with the embedded server once it has started.
        **options: :class:`Settings` fields, used only when ``settings`` is not given.

    Yields:
        The summariser: called with an :class:`Article`, it returns a verified
        :class:`SummaryRecord`.

    Raises:
        TypeError: An unknown keyword, or both ``settings`` and keywords.
        ConfigError: A schema, policy, mode or URL it cannot use
            (:class:`~summarizer.core.errors.ConfigError`).
        EndpointError: The endpoint cannot be used (``LocalServerError`` among them;
            :class:`~summarizer.core.errors.EndpointError`).
    """
    from summarizer.files.schema_loader import load_schema

    if settings is None:
        settings = Settings(**options)
    elif options:
        raise TypeError(f"open_summarizer() takes settings or keyword arguments, not both: {', '.join(options)}")
    s = settings
    schema_cls = s.schema if isinstance(s.schema, type) else load_schema(s.schema)
    compile_schema(schema_cls)  # a schema it cannot check is refused before any server starts
    prompt = load_prompt()
    with contextlib.ExitStack() as stack:
        members = []
        # a judge on its own endpoint serves every replica; else each replica judges its own fields
        own_judge = stack.enter_context(open_judge(s)) if s.judge and s.judge_base_url else None
        for url in s.base_url or (None,):
            endpoint = resolve_endpoint(base_url=url, api_key=s.api_key, model=s.model, mode=s.mode)
            endpoint, server = open_endpoint(stack, endpoint, s, s.mode is not None, on_server)
            limit = s.max_input_tokens
            if limit is None:
                overhead = estimate_tokens(prompt.system) + 1200  # instructions + the schema instructor adds
                limit = (
                    endpoint.context_tokens - overhead - s.max_output_tokens
                    if endpoint.context_tokens
                    else DEFAULT_INPUT_LIMIT
                )
            client = LLMClient(endpoint, timeout=s.timeout, retry=s.retry, max_output_tokens=s.max_output_tokens)
            stack.callback(client.close)
            judge_client = own_judge
            if s.judge and own_judge is None:
                judge_endpoint = dataclasses.replace(endpoint, model=s.judge_model or endpoint.model)
                judge_client = _judge_client(stack, judge_endpoint, s)
            members.append(
                Summarizer(
                    client,
                    prompt=prompt,
                    policy=s.policy,
                    uncertain_policy=s.uncertain_policy,
                    max_reasks=s.max_reasks,
                    max_input_tokens=limit,
                    schema=schema_cls,
                    server=server,
                    judge=judge_client,
                )
            )
        yield members[0] if len(members) == 1 else Balanced(members)


def summarize(article: str | Article, **options: Any) -> SummaryRecord:
    """Summarise one article and verify the result.

    Args:
        article: The article's text (its id becomes ``"article"``) or an :class:`Article`.
        **options: As for :func:`open_summarizer`, whose errors this raises.

    Returns:
        The summary record, with its verification.
    """
    if isinstance(article, str):
        article = article_from_text(article, id="article")
    with open_summarizer(**options) as summarizer:
        return summarizer(article)


def verify(
    summary: BaseModel | dict[str, Any], source: str, schema: type[BaseModel] | str | None = None
) -> Verification:
    """Verify a summary against the text by word overlap, without a model.

    See :func:`open_judge` and :func:`summarizer.core.verify.walker.verify_summary` for a
    judged verification.

    Args:
        summary: A schema instance, or a plain dict of ``schema``.
        source: The article's text; spans in the result are half-open character offsets into it.
        schema: The class (or ``module:Class`` / ``path.py:Class``) a dict is read with;
            default :class:`ArticleSummary`. Unused for an instance.

    Returns:
        The verification: a verdict per checked leaf, their counts and the grounding rate in [0, 1].

    Raises:
        ConfigError: ``schema`` cannot be loaded (as :func:`load_schema` raises).
    """
    if not isinstance(summary, BaseModel):
        from summarizer.files.schema_loader import load_schema

        cls = schema if isinstance(schema, type) else load_schema(schema)
        summary = cls.model_validate(summary)
    return verify_summary(summary, source)
