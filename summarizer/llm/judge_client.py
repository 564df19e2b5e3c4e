"""The model judge over HTTP: one-token Yes/No answers with log-probabilities, cached on disk.

:class:`JudgeClient` implements :class:`summarizer.core.verify.judge_scoring.Judge` on an :class:`LLMClient`
(the same transport retries and error mapping as summarising). Each (context, statement) is
one chat call with ``max_tokens=1`` and ``logprobs``; the score is P(yes) / (P(yes) + P(no))
over the answer token's top log-probabilities. An endpoint that returns no log-probabilities
gets its bare answer mapped to fixed scores (Yes 0.85, No 0.15, anything else 0.5), and the
verdict says so. Scores are cached in ``<cache>/judge-cache.sqlite3`` by the sha256 of
(prompt, model, context, statement), so re-running a benchmark or a verify is cheap.
:class:`ArticleJudge` wraps the client for one article and counts its calls and tokens, which
records report apart from the summarising call's.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from summarizer.core.records import TokenUsage
from summarizer.core.verify.judge_scoring import FALLBACK_SCORES, JudgeScore, p_yes
from summarizer.llm.client import LLMClient
from summarizer.llm.prompts import Prompt, load_prompt

__all__ = ["ArticleJudge", "JudgeClient", "JudgeTally", "ScoreCache"]


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
        prompt: Prompt | None = None,
        cache: ScoreCache | None = None,
        concurrency: int = 1,
        logprobs: bool = True,
    ) -> None:
        """A judge on ``client``'s endpoint and model.

        Args:
            client: The model client; its endpoint's model id names the judge.
            prompt: The judge's prompt template; ``prompts/judge.toml`` by default.
            cache: Where scores are kept between runs; None keeps none.
            concurrency: Calls in flight at once (at least 1).
            logprobs: Ask for the answer token's log-probabilities; off, every score is a
                fixed one for the bare answer.
        """
        self.client = client
        self.prompt = prompt or load_prompt("judge")
        self.cache = cache
        self.concurrency = max(1, concurrency)
        self.logprobs = logprobs
        self.model = client.endpoint.model or ""
        self.endpoint = client.endpoint.display_url

    def key(self, context: str, statement: str) -> str:
        """The cache key of one judgement: sha256 (hex) of prompt hash, model, context and statement."""
        parts = (self.prompt.sha256, self.model, context, statement)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def _ask(self, context: str, statement: str, tally: JudgeTally, lock: threading.Lock) -> JudgeScore:
        answer = self.client.answer_token(
            self.prompt.messages(context, statement=statement), logprobs=self.logprobs, item=f"judge: {statement[:60]}"
        )
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

    def score_with(self, items: list[tuple[str, str]], tally: JudgeTally) -> list[JudgeScore]:
        """Score (context, statement) pairs: cached scores first, the rest asked in parallel.

        Args:
            items: (context, statement) pairs.
            tally: Counts the calls, cache hits, tokens and seconds (added to, thread-safely).

        Returns:
            One score per item, in order; each new score is stored in the cache.

        Raises:
            EndpointError: A call failed after the client's transport retries (its subclasses
                in :mod:`summarizer.core.errors`).
            Interrupted: The run was stopped while a call was in flight.
        """
        keys = [self.key(c, s) for c, s in items]
        found: dict[str, JudgeScore] = {}
        for k in dict.fromkeys(keys):
            hit = self.cache.get(k) if self.cache else None
            if hit is not None:
                found[k] = hit
        todo = {k: item for k, item in zip(keys, items, strict=True) if k not in found}
        tally.cached += len(items) - sum(k in todo for k in keys)
        lock = threading.Lock()
        with ThreadPoolExecutor(min(self.concurrency, max(1, len(todo))), thread_name_prefix="judge") as pool:
            futures = {k: pool.submit(self._ask, c, s, tally, lock) for k, (c, s) in todo.items()}
            for k, fut in futures.items():
                found[k] = fut.result()
                if self.cache is not None:
                    self.cache.put(k, found[k])
        return [found[k] for k in keys]

    def for_article(self) -> ArticleJudge:
        """A judge for one article, with a tally of its own."""
        return ArticleJudge(self)


class ArticleJudge:
    """The judge for one article: the :class:`~summarizer.core.verify.judge_scoring.Judge` the verifier calls,
    counting what the article's judging cost."""

    def __init__(self, client: JudgeClient) -> None:
        """Judge through ``client``, starting from an empty tally."""
        self.client = client
        self.model = client.model
        self.tally = JudgeTally()

    def score(self, items: list[tuple[str, str]]) -> list[JudgeScore]:
        """Score (context, statement) pairs, counting the cost in :attr:`tally`.

        Returns:
            One score per item, in order (see :meth:`JudgeClient.score_with`).
        """
        return self.client.score_with(items, self.tally)
