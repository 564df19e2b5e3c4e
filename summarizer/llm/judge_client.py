"""The model judge over HTTP: one-token Yes/No answers with log-probabilities, cached on disk.

:class:`JudgeClient` implements :class:`summarizer.core.verify.judge_scoring.Judge` on an :class:`LLMClient`
(the same transport retries and error mapping as summarising). Each (context, statement) is
one chat call with ``max_tokens=1`` and ``logprobs``: the article's *frame* (the summarising
call's own messages for it: its system message, schema included, and its rendering of the
article) followed by the judge prompt's question about the statement. A server that reuses
the longest cached prompt prefix (llama.cpp's) so reads the article once for the summarising
call and its judging together. A statement judged on passages of a long article gets the
frame of those passages (the same system message). The score is P(yes) / (P(yes) + P(no))
over the answer token's top log-probabilities. An endpoint that returns no log-probabilities
gets its bare answer mapped to fixed scores (Yes 0.85, No 0.15, anything else 0.5), and the
verdict says so. Scores are cached in ``<cache>/judge-cache.sqlite3`` by the sha256 of the
model and the messages sent, so re-running a benchmark or a verify is cheap.
:class:`ArticleJudge` wraps the client for one article and counts its calls and tokens
(``cached_tokens``: prompt tokens the server took from its cache), which records report
apart from the summarising call's.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from summarizer.core.records import TokenUsage
from summarizer.core.verify.judge_scoring import FALLBACK_SCORES, JudgeScore, p_yes
from summarizer.llm.client import LLMClient
from summarizer.llm.prompts import ARTICLE_CLOSE, ARTICLE_OPEN, Prompt, load_prompt

__all__ = ["ArticleJudge", "Frame", "Framing", "JudgeClient", "JudgeTally", "ScoreCache", "bare_framing"]

Frame = list[dict[str, str]]
"""The chat messages that come before the judge's question: a system message (optional) and
the article's user message, exactly as the summarising call sent them."""

Framing = Callable[[str], Frame]
"""Builds the frame of an article's text (or of passages of it) when no summarising call made one."""


def bare_framing(text: str) -> Frame:
    """The frame of ``text`` with no summarising prompt: the text alone inside the article tags."""
    return [{"role": "user", "content": ARTICLE_OPEN + text + ARTICLE_CLOSE}]


class ScoreCache(Protocol):
    """Where judge scores are kept between runs (:class:`summarizer.files.cache.JudgeCache`)."""

    def get(self, key: str) -> JudgeScore | None:
        """The score stored under ``key`` (a sha256 hex digest), or None."""
        ...

    def put(self, key: str, score: JudgeScore) -> None:
        """Store ``score`` under ``key``, replacing any earlier one."""
        ...


@dataclass
class JudgeTally:
    """What judging one article cost: model calls made, scores taken from the cache, the calls'
    tokens, and the seconds the calls took (summed over calls, so above wall time when they
    run in parallel)."""

    calls: int = 0
    cached: int = 0
    usage: TokenUsage = field(default_factory=TokenUsage.of)
    seconds: float = 0.0

    def add(self, other: JudgeTally) -> None:
        """Add ``other``'s counts, tokens and seconds to this tally."""
        self.calls += other.calls
        self.cached += other.cached
        self.usage += other.usage
        self.seconds += other.seconds


class JudgeClient:
    """Judges statements through ``client``; ``concurrency`` calls in flight (a server's slots)."""

    def __init__(
        self,
        client: LLMClient,
        *,
        framing: Framing = bare_framing,
        prompt: Prompt | None = None,
        cache: ScoreCache | None = None,
        concurrency: int = 1,
        logprobs: bool = True,
    ) -> None:
        """A judge on ``client``'s endpoint and model.

        Args:
            client: The model client; its endpoint's model id names the judge.
            framing: The frame of a text when :meth:`for_article` is given none, and of
                passages always: the run's summarising prompt and schema
                (:func:`summarizer.run.pipeline.summary_framing`), or :func:`bare_framing`.
            prompt: The judge's question template; ``prompts/judge.toml`` by default.
            cache: Where scores are kept between runs; None keeps none.
            concurrency: Calls in flight at once (at least 1).
            logprobs: Ask for the answer token's log-probabilities; off, every score is a
                fixed one for the bare answer.
        """
        self.client = client
        self.framing = framing
        self.prompt = prompt or load_prompt("judge")
        self.cache = cache
        self.concurrency = max(1, concurrency)
        self.logprobs = logprobs
        self.model = client.endpoint.model or ""
        self.endpoint = client.endpoint.display_url

    def messages(self, frame: Frame, statement: str) -> Frame:
        """The messages of one judgement: ``frame``, then the question about ``statement``."""
        return [*frame, self.prompt.question(statement)]

    def key(self, messages: Frame) -> str:
        """The cache key of one judgement: sha256 (hex) of the model and the messages sent."""
        return hashlib.sha256(json.dumps([self.model, messages], ensure_ascii=False).encode()).hexdigest()

    def _ask(self, messages: Frame, statement: str, tally: JudgeTally, lock: threading.Lock) -> JudgeScore:
        answer = self.client.answer_token(messages, logprobs=self.logprobs, item=f"judge: {statement[:60]}")
        with lock:
            tally.calls += 1
            tally.usage += answer.usage
            tally.seconds += answer.seconds
        word = answer.content.strip()
        score = p_yes(answer.top_logprobs) if answer.top_logprobs else None
        if score is None:
            fixed = FALLBACK_SCORES.get(word.lower().strip(".!"), 0.5)
            return JudgeScore(fixed, self.model, word, from_logprobs=False)
        return JudgeScore(score, self.model, word, from_logprobs=True)

    def score_with(self, items: list[tuple[Frame, str]], tally: JudgeTally) -> list[JudgeScore]:
        """Score judgements: cached scores first, the rest asked in parallel.

        Args:
            items: Each judgement's messages (:meth:`messages`) and statement (it names the
                call in errors).
            tally: Counts the calls, cache hits, tokens and seconds (added to, thread-safely).

        Returns:
            One score per item, in order; each new score is stored in the cache.

        Raises:
            EndpointError: A call failed after the client's transport retries (its subclasses
                in :mod:`summarizer.core.errors`).
            Interrupted: The run was stopped while a call was in flight.
        """
        keys = [self.key(m) for m, _ in items]
        found: dict[str, JudgeScore] = {}
        for k in dict.fromkeys(keys):
            hit = self.cache.get(k) if self.cache else None
            if hit is not None:
                found[k] = hit
        todo = {k: item for k, item in zip(keys, items, strict=True) if k not in found}
        tally.cached += len(items) - sum(k in todo for k in keys)
        lock = threading.Lock()
        with ThreadPoolExecutor(min(self.concurrency, max(1, len(todo))), thread_name_prefix="judge") as pool:
            futures = {k: pool.submit(self._ask, m, s, tally, lock) for k, (m, s) in todo.items()}
            for k, fut in futures.items():
                found[k] = fut.result()
                if self.cache is not None:
                    self.cache.put(k, found[k])
        return [found[k] for k in keys]

    def for_article(self, text: str | None = None, frame: Frame | None = None) -> ArticleJudge:
        """A judge for the article ``text``, with a tally of its own.

        Args:
            text: The article's text, as the verifier reads it (a context equal to it is the
                whole article); None for claims about several documents, each framed alone.
            frame: The summarising call's messages for ``text``; None frames it with :attr:`framing`.

        Returns:
            The article's judge.
        """
        frames = {} if text is None else {text: frame if frame is not None else self.framing(text)}
        return ArticleJudge(self, frames, article_read=frame is not None)


class ArticleJudge:
    """The judge for one article: the :class:`~summarizer.core.verify.judge_scoring.Judge` the verifier calls,
    counting what the article's judging cost."""

    def __init__(self, client: JudgeClient, frames: dict[str, Frame], article_read: bool = False) -> None:
        """Judge through ``client``, each context after its frame in ``frames`` (others framed by
        the client's framing), from an empty tally; ``article_read``: the frame is the messages
        that summarised the article, so the server holds it (see
        :func:`~summarizer.core.verify.judge_scoring.contexts_for`)."""
        self.client = client
        self.model = client.model
        self.article_read = article_read
        self.frames = dict(frames)
        self.tally = JudgeTally()

    def score(self, items: list[tuple[str, str]]) -> list[JudgeScore]:
        """Score (context, statement) pairs, counting the cost in :attr:`tally`.

        A context equal to the article's text is judged after the article's frame; any other
        (passages) after the frame :attr:`JudgeClient.framing` gives it.

        Returns:
            One score per item, in order (see :meth:`JudgeClient.score_with`).
        """
        asked = []
        for context, statement in items:
            if context not in self.frames:
                self.frames[context] = self.client.framing(context)
            asked.append((self.client.messages(self.frames[context], statement), statement))
        return self.client.score_with(asked, self.tally)
