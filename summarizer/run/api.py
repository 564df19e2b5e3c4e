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
    """The embedded model's server as ``settings`` describe it (``local``, ``cache_dir``,
    ``llama_server``), not started yet (use it as a context manager); ``port`` on 127.0.0.1,
    default a free one. Raises as :class:`EmbeddedServer` does."""
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
    """A usable endpoint: the embedded server started (on ``stack``, as ``settings.local``
    says); or, for another server, its model discovered when not given, and a llama.cpp server
    recognised by its model list (it then gets the compact-JSON grammar in json mode and is
    known to return logprobs). Raises :class:`EndpointError` when a server without a given
    model cannot list its models, and as :class:`EmbeddedServer` does."""
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
    """A judge on its own endpoint: ``settings.judge_base_url`` (with ``judge_model`` and
    ``judge_api_key``), else the embedded model (``settings.local``, started on entry and
    stopped on exit; ``on_server`` is called with it once started). ``settings``: default
    :class:`Settings` from the environment. Used by ``verify`` and ``check-claims``, which
    call no other model. Raises as :func:`open_summarizer` does for its endpoint."""
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
    (``base_url``, ``api_key``, ``model``, ``mode``, ``local``, ``policy``, ``schema``,
    ``judge``, ``judge_base_url``, ``judge_model``, ``judge_api_key``, ``max_reasks``,
    ``max_input_tokens``, ``max_output_tokens``, ``timeout``, ``retry``), the environment
    filling what is not given. ``schema``: a Pydantic model class whose leaves carry field
    kinds, or ``module:Class`` / ``path.py:Class``; default :class:`ArticleSummary`. Checked
    before anything starts. ``judge``: check fields with a model judge too, by default the
    summarising endpoint. Several ``base_url`` (replicas of one model) spread the articles
    over them.

    Raises ``TypeError`` for an unknown keyword or for both ``settings`` and keywords;
    :class:`~summarizer.core.errors.ConfigError` for a schema, policy, mode or URL it cannot
    use; :class:`~summarizer.core.errors.EndpointError` (``LocalServerError`` among them)
    when the endpoint cannot be used."""
    from summarizer.files.schema_loader import load_schema

    if settings is None:
        settings = Settings(**options)
    elif options:
        raise TypeError(f"open_summarizer() takes settings or keyword arguments, not both: {', '.join(options)}")
    s = settings
    schema_cls = s.schema if isinstance(s.schema, type) else load_schema(s.schema)
    compile_schema(schema_cls)  # a schema it cannot check is refused before any server starts
    with contextlib.ExitStack() as stack:
        members = []
        for url in s.base_url or (None,):
            endpoint = resolve_endpoint(base_url=url, api_key=s.api_key, model=s.model, mode=s.mode)
            endpoint, server = open_endpoint(stack, endpoint, s, s.mode is not None, on_server)
            prompt = load_prompt()
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
            judge_client = None
            if s.judge:
                if s.judge_base_url:
                    judge_client = stack.enter_context(open_judge(s))
                else:
                    judge_endpoint = dataclasses.replace(endpoint, model=s.judge_model or endpoint.model)
                    judge_client = _judge_client(stack, judge_endpoint, s)
            members.append(
                Summarizer(
                    client,
                    prompt=prompt,
                    policy=s.policy,
                    max_reasks=s.max_reasks,
                    max_input_tokens=limit,
                    schema=schema_cls,
                    server=server,
                    judge=judge_client,
                )
            )
        yield members[0] if len(members) == 1 else Balanced(members)


def summarize(article: str | Article, **options: Any) -> SummaryRecord:
    """Summarise one article (text or :class:`Article`) and verify the result; ``options``
    and the errors raised are those of :func:`open_summarizer`."""
    if isinstance(article, str):
        article = article_from_text(article, id="article")
    with open_summarizer(**options) as summarizer:
        return summarizer(article)


def verify(
    summary: BaseModel | dict[str, Any], source: str, schema: type[BaseModel] | str | None = None
) -> Verification:
    """Verify a summary (a model instance, or a plain dict of ``schema``) against the text,
    without a model (see :func:`open_judge` and :func:`summarizer.core.verify.walker.verify_summary` for a
    judged verification)."""
    if not isinstance(summary, BaseModel):
        from summarizer.files.schema_loader import load_schema

        cls = schema if isinstance(schema, type) else load_schema(schema)
        summary = cls.model_validate(summary)
    return verify_summary(summary, source)
