"""Public API: open an endpoint (starting the embedded model if needed), summarise, verify.

The CLI is a thin layer over these functions.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

import openai

from .articles import Article, article_from_text
from .endpoint import Endpoint, EndpointKind, Mode, resolve_endpoint
from .errors import ConfigError, EndpointUnavailable
from .llm import LLMClient, RetryPolicy
from .pipeline import Policy, Summarizer, estimate_tokens
from .prompts import load_prompt
from .records import SummaryRecord
from .schema import ArticleSummary
from .verify import Verification, verify_summary

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
    policy: Policy = "flag",
    max_reasks: int = 2,
    max_input_tokens: int | None = None,
    max_output_tokens: int = 1500,
    timeout: float = 600.0,
    retry: RetryPolicy | None = None,
    on_server: Any = None,
) -> Iterator[Summarizer]:
    """Yield a ready :class:`Summarizer`; the embedded server (if any) lives as long as it."""
    from .local import DEFAULT_CONTEXT, EmbeddedServer
    from .modelfiles import preferred_mode

    endpoint = resolve_endpoint(base_url=base_url, api_key=api_key, model=model, mode=mode)
    prompt = load_prompt()
    with contextlib.ExitStack() as stack:
        server = None
        if endpoint.kind is EndpointKind.EMBEDDED:
            server = stack.enter_context(
                EmbeddedServer(local_model, context=local_context or DEFAULT_CONTEXT)
            )
            endpoint = dataclasses.replace(endpoint, base_url=server.base_url, model=server.alias,
                                           context_tokens=server.context,
                                           mode=endpoint.mode if mode else Mode(preferred_mode(local_model)))
            if on_server:
                on_server(server)
        elif not endpoint.model:
            endpoint = dataclasses.replace(endpoint, model=_discover_model(endpoint))
        if max_input_tokens is None and endpoint.context_tokens:
            overhead = estimate_tokens(prompt.system) + 1200  # instructions + the schema instructor adds
            max_input_tokens = endpoint.context_tokens - overhead - max_output_tokens
        client = LLMClient(endpoint, timeout=timeout, retry=retry, max_output_tokens=max_output_tokens)
        stack.callback(client.close)
        summarizer = Summarizer(client, prompt=prompt, policy=policy, max_reasks=max_reasks,
                                max_input_tokens=max_input_tokens)
        summarizer.server = server  # type: ignore[attr-defined]
        yield summarizer


def summarize(article: str | Article, **options: Any) -> SummaryRecord:
    """Summarise one article (text or :class:`Article`) and verify the result."""
    if isinstance(article, str):
        article = article_from_text(article, id="article")
    with open_summarizer(**options) as summarizer:
        return summarizer(article)


def verify(summary: ArticleSummary | dict[str, Any], source: str) -> Verification:
    """Verify a summary (model or plain dict) against the article text."""
    if not isinstance(summary, ArticleSummary):
        summary = ArticleSummary.model_validate(summary)
    return verify_summary(summary, source)
