"""What a model call gives back: the answer and what it cost, in the package's own types.

Nothing outside :mod:`summarizer.llm` reads instructor's or OpenAI's objects: an
:class:`Exchange` carries a structured answer with its usage, timing and attempt counts, an
:class:`Answer` a one-token answer with its log-probabilities, and :func:`last_attempt`
recovers the last answer of a reask loop that never satisfied its validators (``--on-unsupported
reask`` keeps it, flagged, rather than losing the article).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from instructor.core.exceptions import InstructorRetryException
from pydantic import BaseModel, ValidationError

from summarizer.core.errors import InvalidModelOutput
from summarizer.core.records import TokenUsage
from summarizer.llm.answers import raw_text, unwrap_text
from summarizer.llm.failures import describe_failure

__all__ = ["Answer", "Exchange", "last_attempt", "usage_of"]


def usage_of(reported: Any) -> TokenUsage:
    """The token counts in an OpenAI-shaped ``usage`` object (a completion's, or instructor's
    total over a reask loop); zero for a count it lacks, and for ``None``.

    Returns:
        The prompt, completion and cached prompt tokens.
    """
    if reported is None:
        return TokenUsage.of()
    details = getattr(reported, "prompt_tokens_details", None)
    return TokenUsage.of(
        int(getattr(reported, "prompt_tokens", 0) or 0),
        int(getattr(reported, "completion_tokens", 0) or 0),
        int(getattr(details, "cached_tokens", 0) or 0),
    )


@dataclass
class Exchange:
    """One article's structured answer (``value``, an instance of the response model) and what
    it cost: tokens summed over every attempt, ``seconds`` for the whole exchange."""

    value: Any
    usage: TokenUsage
    seconds: float
    attempts: int  # model calls that got an answer (1 + reasks)
    transport_retries: int
    finish_reason: str | None = None
    errors: list[str] = field(default_factory=list)  # validation errors that caused reasks
    raw: str | None = None  # the last answer as the endpoint sent it
    unwrapped: list[str] = field(default_factory=list)  # what was removed before parsing


@dataclass
class Answer:
    """A short answer and, when the endpoint returns them, its first token's top logprobs
    (``(token, natural-log probability)`` pairs); ``seconds`` for the call."""

    content: str
    top_logprobs: list[tuple[str, float]] | None
    usage: TokenUsage
    seconds: float


def last_attempt(error: InvalidModelOutput, schema: type[BaseModel], seconds: float) -> Exchange | None:
    """The last answer of the reask loop behind ``error``, parsed plainly as ``schema`` (no
    validators beyond its own fields), as the exchange of ``seconds``; None when ``error``
    did not end a reask loop or its last answer does not parse.

    Returns:
        The last exchange, or None.
    """
    loop = error.__cause__
    if not isinstance(loop, InstructorRetryException):
        return None
    last = _parse_last(loop, schema)
    if last is None:
        return None
    errors = [describe_failure(a.exception) for a in loop.failed_attempts or []]
    raw = _raw_of(loop.last_completion)
    return Exchange(last, usage_of(loop.total_usage), seconds, loop.n_attempts, 0, None, errors, raw)


def _parse_last(exc: InstructorRetryException, schema: type[BaseModel]) -> BaseModel | None:
    """The last answer of a reask loop that never satisfied the verifier, parsed plainly."""
    completion = exc.last_completion
    try:
        message = completion.choices[0].message
        raw = message.content
        if message.tool_calls:
            raw = message.tool_calls[0].function.arguments
        return schema.model_validate(json.loads(unwrap_text(raw or "")[0]), by_name=True)
    except (AttributeError, IndexError, TypeError, ValueError, ValidationError):
        return None


def _raw_of(completion: Any) -> str | None:
    try:
        return raw_text(completion.choices[0].message)
    except (AttributeError, IndexError, TypeError):
        return None
