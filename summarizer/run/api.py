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
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from summarizer.core.errors import ConfigError, EndpointError
from summarizer.core.records import SummaryRecord
from summarizer.core.schema_plan import compile_schema
from summarizer.core.verify.walker import Policy, Verification, verify_summary
from summarizer.engine.server import (
    DEFAULT_CONTEXT,
    DEFAULT_ENGINE,
    DEFAULT_SLOTS,
    LLAMA_CPP_SERVERS,
    EmbeddedServer,
)
from summarizer.files.articles import Article, article_from_text
from summarizer.files.cache import JudgeCache
from summarizer.llm.client import LLMClient, RetryPolicy, list_models
from summarizer.llm.endpoint import Endpoint, EndpointKind, Mode, resolve_endpoint
from summarizer.llm.judge_client import JudgeClient
from summarizer.llm.prompts import load_prompt
from summarizer.run.article_summarizer import ArticleSummarizer
from summarizer.run.balance import Balanced
from summarizer.run.pipeline import Summarizer, estimate_tokens

__all__ = ["DEFAULT_INPUT_LIMIT", "LocalOptions", "open_judge", "open_summarizer", "summarize", "verify"]

DEFAULT_INPUT_LIMIT = 32_000  # tokens, for an endpoint whose context window is not known


@dataclass(frozen=True)
class LocalOptions:
    """The embedded model, when no endpoint is configured."""

    model: str | None = None
    context: int = DEFAULT_CONTEXT
    engine: str = DEFAULT_ENGINE.value
    slots: int = DEFAULT_SLOTS


def open_endpoint(
    stack: contextlib.ExitStack,
    endpoint: Endpoint,
    local: LocalOptions,
    mode_given: bool,
    on_server: Callable[[EmbeddedServer], None] | None = None,
) -> tuple[Endpoint, EmbeddedServer | None]:
    """A usable endpoint: the embedded server started (on ``stack``); or, for another server,
    its model discovered when not given, and a llama.cpp server recognised by its model list
    (it then gets the compact-JSON grammar in json mode and is known to return logprobs)."""
    from summarizer.engine.weights import preferred_mode

    if endpoint.kind is EndpointKind.EMBEDDED:
        server = stack.enter_context(
            EmbeddedServer(local.model, context=local.context, slots=local.slots, engine=local.engine)
        )
        if on_server:
            on_server(server)
        mode = endpoint.mode if mode_given else Mode(preferred_mode(local.model, server.engine.value))
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
    *,
    base_url: str | None = None,
    model: str | None = None,
    api_key: str | None = None,
    local: LocalOptions | None = None,
    timeout: float = 600.0,
    retry: RetryPolicy | None = None,
    on_server: Callable[[EmbeddedServer], None] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[JudgeClient]:
    """A judge on its own endpoint: ``base_url`` (else SUMMARIZER_JUDGE_BASE_URL), else the
    embedded model. Used by ``verify`` and ``check-claims``, which call no other model."""
    env = dict(os.environ) if env is None else env
    url = base_url or env.get("SUMMARIZER_JUDGE_BASE_URL") or None
    key = api_key or env.get("SUMMARIZER_JUDGE_API_KEY") or None
    name = model or env.get("SUMMARIZER_JUDGE_MODEL") or None
    endpoint = (
        resolve_endpoint(base_url=url, api_key=key, model=name, env={})
        if url
        else Endpoint(EndpointKind.EMBEDDED, None, "none", None, Mode.JSON)
    )
    with contextlib.ExitStack() as stack:
        endpoint, _ = open_endpoint(stack, endpoint, local or LocalOptions(), True, on_server)
        yield _judge_client(stack, endpoint, timeout, retry)


def _judge_client(
    stack: contextlib.ExitStack, endpoint: Endpoint, timeout: float, retry: RetryPolicy | None
) -> JudgeClient:
    from summarizer.llm.endpoint import default_concurrency

    client = LLMClient(endpoint, timeout=timeout, retry=retry, max_output_tokens=1)
    stack.callback(client.close)
    cache = JudgeCache()
    stack.callback(cache.close)
    return JudgeClient(
        client, cache=cache, concurrency=default_concurrency(endpoint), logprobs=endpoint.logprobs is not False
    )


@contextlib.contextmanager
def open_summarizer(
    *,
    base_url: str | Sequence[str] | None = None,
    api_key: str | None = None,
    model: str | None = None,
    mode: str | None = None,
    local: LocalOptions | None = None,
    policy: Policy | str = Policy.FLAG,
    schema: type[BaseModel] | str | None = None,
    judge: bool = True,
    judge_base_url: str | None = None,
    judge_model: str | None = None,
    judge_api_key: str | None = None,
    max_reasks: int = 2,
    max_input_tokens: int | None = None,
    max_output_tokens: int = 1500,
    timeout: float = 600.0,
    retry: RetryPolicy | None = None,
    on_server: Callable[[EmbeddedServer], None] | None = None,
) -> Iterator[ArticleSummarizer]:
    """Yield a ready :class:`ArticleSummarizer` (a :class:`Summarizer`, or a :class:`Balanced`
    over several base URLs); the embedded server (if any) lives as long as it.

    ``schema``: a Pydantic model class whose leaves carry field kinds, or ``module:Class`` /
    ``path.py:Class``; default :class:`ArticleSummary`. Checked before anything starts.
    ``judge``: check fields with a model judge too, by default the summarising endpoint.
    ``base_url``: several URLs (replicas of one model) spread the articles over them."""
    from summarizer.files.schema_loader import load_schema

    schema_cls = schema if isinstance(schema, type) else load_schema(schema)
    compile_schema(schema_cls)  # a schema it cannot check is refused before any server starts
    try:
        policy = Policy(policy)
    except ValueError as e:
        raise ConfigError(f"unknown policy {policy!r}; choose " + ", ".join(p.value for p in Policy)) from e
    urls = [base_url] if base_url is None or isinstance(base_url, str) else list(base_url)
    with contextlib.ExitStack() as stack:
        members = []
        for url in urls or [None]:
            endpoint = resolve_endpoint(base_url=url, api_key=api_key, model=model, mode=mode)
            endpoint, server = open_endpoint(stack, endpoint, local or LocalOptions(), mode is not None, on_server)
            prompt = load_prompt()
            limit = max_input_tokens
            if limit is None:
                overhead = estimate_tokens(prompt.system) + 1200  # instructions + the schema instructor adds
                limit = (
                    endpoint.context_tokens - overhead - max_output_tokens
                    if endpoint.context_tokens
                    else DEFAULT_INPUT_LIMIT
                )
            client = LLMClient(endpoint, timeout=timeout, retry=retry, max_output_tokens=max_output_tokens)
            stack.callback(client.close)
            judge_client = None
            if judge:
                judge_url = judge_base_url or os.environ.get("SUMMARIZER_JUDGE_BASE_URL")
                if judge_url:
                    judge_client = stack.enter_context(
                        open_judge(
                            base_url=judge_url, model=judge_model, api_key=judge_api_key, timeout=timeout, retry=retry
                        )
                    )
                else:
                    judge_endpoint = dataclasses.replace(endpoint, model=judge_model or endpoint.model)
                    judge_client = _judge_client(stack, judge_endpoint, timeout, retry)
            members.append(
                Summarizer(
                    client,
                    prompt=prompt,
                    policy=policy,
                    max_reasks=max_reasks,
                    max_input_tokens=limit,
                    schema=schema_cls,
                    server=server,
                    judge=judge_client,
                )
            )
        yield members[0] if len(members) == 1 else Balanced(members)


def summarize(article: str | Article, **options: Any) -> SummaryRecord:
    """Summarise one article (text or :class:`Article`) and verify the result."""
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
