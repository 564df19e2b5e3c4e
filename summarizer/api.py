"""Public API: open an endpoint (starting the embedded model if needed), summarise, verify.

The CLI is a thin layer over these functions. Summarising many articles starts the embedded
server once::

    from summarizer import open_summarizer, article_from_text

    with open_summarizer(schema=MySchema) as run:
        for i, text in enumerate(texts):
            record = run(article_from_text(text, id=f"a{i}"))
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

import openai

from .articles import Article, article_from_text
from .endpoint import Endpoint, EndpointKind, Mode, resolve_endpoint
from .errors import ConfigError, EndpointUnavailable
from .llm import LLMClient, RetryPolicy
from .pipeline import Summarizer, estimate_tokens
from .plan import compile_schema
from .prompts import load_prompt
from .records import SummaryRecord
from .schema import ArticleSummary
from .verify import Policy, Verification, verify_summary

__all__ = ["open_summarizer", "summarize", "verify"]


def _discover_model(endpoint: Endpoint) -> str:
    """The first model the server lists, for servers that serve one (llama.cpp, LM Studio)."""
    client = openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key, max_retries=0, timeout=15)
    try:
        with client:
            models = [m.id for m in client.models.list()]
    except openai.OpenAIError as e:
        raise EndpointUnavailable(f"cannot list models at {endpoint.display_url} ({e}); pass --model "
                                  "or set SUMMARIZER_MODEL") from e
    if not models:
        raise ConfigError(f"{endpoint.display_url} lists no models; pass --model")
    return models[0]


@contextlib.contextmanager
def open_summarizer(
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    model: str | None = None,
    mode: str | None = None,
    local_model: str | None = None,
    local_context: int | None = None,
    local_engine: str | None = None,
    local_slots: int | None = None,
    policy: Policy | str = Policy.FLAG,
    schema: type[BaseModel] | str | None = None,
    max_reasks: int = 2,
    max_input_tokens: int | None = None,
    max_output_tokens: int = 1500,
    timeout: float = 600.0,
    retry: RetryPolicy | None = None,
    on_server: Any = None,
) -> Iterator[Summarizer]:
    """Yield a ready :class:`Summarizer`; the embedded server (if any) lives as long as it.

    ``schema``: a Pydantic model class whose leaves carry field kinds, or ``module:Class`` /
    ``path.py:Class``; default :class:`ArticleSummary`. Checked before anything starts."""
    from .schemaload import load_schema

    from .local import DEFAULT_CONTEXT, DEFAULT_SLOTS, EmbeddedServer, Engine
    from .modelfiles import preferred_mode

    schema_cls = schema if isinstance(schema, type) else load_schema(schema)
    compile_schema(schema_cls)  # a schema it cannot check is refused before any server starts
    try:
        policy = Policy(policy)
    except ValueError as e:
        raise ConfigError(f"unknown policy {policy!r}; choose " + ", ".join(p.value for p in Policy)) from e
    endpoint = resolve_endpoint(base_url=base_url, api_key=api_key, model=model, mode=mode)
    prompt = load_prompt()
    with contextlib.ExitStack() as stack:
        server = None
        if endpoint.kind is EndpointKind.EMBEDDED:
            server = stack.enter_context(
                EmbeddedServer(local_model, context=local_context or DEFAULT_CONTEXT,
                               slots=local_slots or DEFAULT_SLOTS,
                               engine=local_engine or Engine.LLAMA_SERVER)
            )
            endpoint = dataclasses.replace(
                endpoint, base_url=server.base_url, model=server.alias, api_key=server.api_key,
                context_tokens=server.context, slots=server.slots, logprobs=server.logprobs,
                mode=endpoint.mode if mode else Mode(preferred_mode(local_model, server.engine.value)))
            if on_server:
                on_server(server)
        elif not endpoint.model:
            endpoint = dataclasses.replace(endpoint, model=_discover_model(endpoint))
        if max_input_tokens is None and endpoint.context_tokens:
            overhead = estimate_tokens(prompt.system) + 1200  # instructions + the schema instructor adds
            max_input_tokens = endpoint.context_tokens - overhead - max_output_tokens
        client = LLMClient(endpoint, timeout=timeout, retry=retry, max_output_tokens=max_output_tokens)
        stack.callback(client.close)
        yield Summarizer(client, prompt=prompt, policy=policy, max_reasks=max_reasks,
                         max_input_tokens=max_input_tokens, schema=schema_cls, server=server)


def summarize(article: str | Article, **options: Any) -> SummaryRecord:
    """Summarise one article (text or :class:`Article`) and verify the result."""
    if isinstance(article, str):
        article = article_from_text(article, id="article")
    with open_summarizer(**options) as summarizer:
        return summarizer(article)


def verify(summary: BaseModel | dict[str, Any], source: str,
           schema: type[BaseModel] | str | None = None) -> Verification:
    """Verify a summary (a model instance, or a plain dict of ``schema``) against the text."""
    if not isinstance(summary, BaseModel):
        from .schemaload import load_schema

        cls = schema if isinstance(schema, type) else load_schema(schema)
        summary = cls.model_validate(summary)
    return verify_summary(summary, source)
