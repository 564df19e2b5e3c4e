"""Summarise one article: prompt -> model -> verify -> policy -> record.

The public entry points (:func:`summarizer.summarize`, the CLI) build one
:class:`Summarizer` per endpoint and call it once per article.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
import time
from typing import Literal

from instructor.core.exceptions import InstructorRetryException
from pydantic import ConfigDict, ValidationError, ValidationInfo, model_validator

from . import __version__
from .articles import Article
from .errors import InputError, InvalidModelOutput, VerificationFailed
from .llm import Exchange, LLMClient, Usage, describe_failure
from .prompts import Prompt, load_prompt
from .records import PromptInfo, Provenance, SummaryRecord, TokenUsage, resume_key
from .schema import ArticleSummary
from .verify import Verification, drop_unsupported, verify_summary

__all__ = ["Policy", "Summarizer", "estimate_tokens"]

Policy = Literal["flag", "drop", "reask", "fail"]
CHARS_PER_TOKEN = 3.5  # conservative for English BPE vocabularies (Qwen, GPT): ~4.2 measured


def estimate_tokens(text: str) -> int:
    """An upper-leaning token estimate, used to refuse over-long articles before any call."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


class GroundedSummary(ArticleSummary):
    """ArticleSummary that fails validation when the verifier finds unsupported fields, so
    instructor's reask loop sends the verifier's reasons back to the model. Same JSON Schema
    title as ArticleSummary: the request is identical to a ``flag`` run's first request."""

    model_config = ConfigDict(title="ArticleSummary")

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> GroundedSummary:
        text = (info.context or {}).get("article_text")
        if text:
            failing = verify_summary(self, text).failing()
            if failing:
                lines = [f"{v.path} = {v.value!r}: {v.reason or v.status.value}" for v in failing[:12]]
                raise ValueError(
                    "These fields are not supported by the article. Fix them using only the "
                    "article's own words, or remove the list items:\n" + "\n".join(lines)
                )
        return self


def _parse_last(exc: InstructorRetryException) -> ArticleSummary | None:
    """The last answer of a reask loop that never satisfied the verifier, parsed plainly."""
    completion = exc.last_completion
    try:
        message = completion.choices[0].message  # type: ignore[union-attr]
        raw = message.content
        if message.tool_calls:
            raw = message.tool_calls[0].function.arguments
        return ArticleSummary.model_validate(json.loads(raw or ""))
    except (AttributeError, IndexError, TypeError, ValueError, ValidationError):
        return None


def _from_failed(exc: InstructorRetryException, last: ArticleSummary, seconds: float) -> Exchange:
    usage = Usage()
    usage.add(exc.total_usage)
    errors = [describe_failure(a.exception) for a in exc.failed_attempts or []]
    return Exchange(last, usage, seconds, exc.n_attempts, 0, None, errors)


class Summarizer:
    def __init__(
        self,
        client: LLMClient,
        *,
        prompt: Prompt | None = None,
        policy: Policy = "flag",
        max_reasks: int = 2,
        max_input_tokens: int | None = None,
    ) -> None:
        self.client = client
        self.prompt = prompt or load_prompt()
        self.policy = policy
        self.max_reasks = max_reasks
        self.max_input_tokens = max_input_tokens

    def key(self, article: Article) -> str:
        ep = self.client.endpoint
        return resume_key(article.sha256, self.prompt.sha256, ep.model or "", ep.mode.value)

    def check_input(self, article: Article) -> None:
        item = article.source or article.id
        if self.max_input_tokens is not None:
            est = estimate_tokens(article.text)
            if est > self.max_input_tokens:
                raise InputError(item, f"too long: about {est:,} tokens, over the input limit of "
                                       f"{self.max_input_tokens:,} (--max-input-tokens); split it "
                                       "or use a model with a larger context")

    def __call__(self, article: Article) -> SummaryRecord:
        self.check_input(article)
        item = article.source or article.id
        messages = self.prompt.messages(article.text)
        reask_reasons: list[str] = []
        if self.policy == "reask":
            started = time.perf_counter()
            try:
                exchange = self.client.extract(messages, GroundedSummary, max_reasks=self.max_reasks,
                                               context={"article_text": article.text}, item=item)
            except InvalidModelOutput as e:
                last = _parse_last(e.__cause__) if isinstance(e.__cause__, InstructorRetryException) else None
                if last is None:
                    raise
                exchange = _from_failed(e.__cause__, last, time.perf_counter() - started)  # type: ignore[arg-type]
            summary: ArticleSummary = ArticleSummary.model_validate(exchange.value.model_dump())
            reask_reasons = exchange.errors
        else:
            exchange = self.client.extract(messages, ArticleSummary, max_reasks=1, item=item)
            summary = exchange.value
            reask_reasons = exchange.errors
        if self.policy == "drop":
            summary, verification = drop_unsupported(summary, article.text)
        else:
            verification = verify_summary(summary, article.text)
        if self.policy == "fail" and verification.failing():
            raise VerificationFailed(item, [v.path for v in verification.failing()])
        return self._record(article, summary, verification, exchange, reask_reasons)

    def _record(self, article: Article, summary: ArticleSummary, verification: Verification,
                ex: Exchange, reask_reasons: list[str]) -> SummaryRecord:
        ep = self.client.endpoint
        prov = Provenance(
            prompt=PromptInfo(name=self.prompt.name, version=self.prompt.version, sha256=self.prompt.sha256),
            model=ep.model or "",
            endpoint=ep.display_url,
            endpoint_kind=ep.kind.value,
            mode=ep.mode.value,
            usage=TokenUsage(prompt_tokens=ex.usage.prompt_tokens,
                             completion_tokens=ex.usage.completion_tokens,
                             total_tokens=ex.usage.total_tokens),
            seconds=round(ex.seconds, 3),
            attempts=ex.attempts,
            transport_retries=ex.transport_retries,
            reask_reasons=reask_reasons,
            policy=self.policy,
            finish_reason=ex.finish_reason,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            summarizer_version=__version__,
        )
        key = resume_key(article.sha256, self.prompt.sha256, prov.model, prov.mode)
        return SummaryRecord(key=key, article=article, summary=summary, verification=verification,
                             provenance=prov)
