"""One endpoint or several replicas of one model: both summarise an article through one protocol."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from summarizer.core.errors import ConfigError
from summarizer.core.records import article_from_text
from summarizer.llm.client import LLMClient
from summarizer.llm.endpoint import Endpoint, EndpointKind, Mode
from summarizer.run.article_summarizer import ArticleSummarizer
from summarizer.run.balance import Balanced
from summarizer.run.pipeline import Summarizer


@pytest.fixture
def clients() -> Iterator[list[LLMClient]]:
    made: list[LLMClient] = []
    yield made
    for c in made:
        c.close()


def summarizer_on(clients: list[LLMClient], port: int, model: str = "m") -> Summarizer:
    """A summariser on a local endpoint that is never called."""
    client = LLMClient(Endpoint(EndpointKind.CUSTOM, f"http://127.0.0.1:{port}/v1", "k", model, Mode.JSON, slots=2))
    clients.append(client)
    return Summarizer(client)


def test_one_endpoint_and_its_replicas_are_article_summarizers(clients: list[LLMClient]) -> None:
    one, other = summarizer_on(clients, 9001), summarizer_on(clients, 9002)
    both = Balanced([one, other])
    assert isinstance(one, ArticleSummarizer) and isinstance(both, ArticleSummarizer)
    assert (both.client, both.server, both.schema) == (one.client, one.server, one.schema)
    assert both.concurrency == one.concurrency + other.concurrency
    article = article_from_text("The bridge reopened on Monday.\nTraffic resumed.", id="a")
    assert both.key(article) == one.key(article) == other.key(article)


def test_replicas_must_serve_one_model(clients: list[LLMClient]) -> None:
    with pytest.raises(ConfigError, match="same model"):
        Balanced([summarizer_on(clients, 9001, "m"), summarizer_on(clients, 9002, "n")])
    with pytest.raises(ConfigError):
        Balanced([])


def test_a_llama_cpp_server_evaluates_the_whole_prompt_of_each_summary() -> None:
    """On a llama.cpp server the answer must not depend on the request before: the summarising
    request asks the server not to resume from its cached prompt (``cache_prompt``)."""
    import json

    from pydantic import BaseModel

    from tests.scripted import scripted

    class Note(BaseModel):
        headline: str

    with scripted([(200, json.dumps({"headline": "The bridge reopened"}))]) as srv:
        for grammar in (True, False):
            ep = Endpoint(EndpointKind.CUSTOM, srv.url, "k", "fake", Mode.JSON, grammar=grammar)
            client = LLMClient(ep)
            try:
                client.extract([{"role": "user", "content": "The bridge reopened."}], Note)
            finally:
                client.close()
        with_grammar, without = srv.requests
    assert with_grammar["cache_prompt"] is False and "grammar" in with_grammar
    assert "cache_prompt" not in without  # other servers are sent no llama.cpp parameter
