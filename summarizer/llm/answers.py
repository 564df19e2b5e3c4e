"""What an endpoint sends back, before instructor parses it: error bodies and wrapped answers.

- **Error bodies with HTTP 200.** Gateways and proxies (LiteLLM, OpenRouter, cloud load
  balancers) sometimes answer 200 with ``{"error": {"message": ..., "code": 502}}`` or a bare
  ``{"error": "..."}`` instead of a completion. :func:`error_in` turns such a body into an
  :class:`ErrorBody` carrying the provider's message and code and the HTTP status it stands
  for, so it is retried as that status would be and reported with the provider's words.
- **Wrapped answers.** Reasoning models write ``<think>...</think>`` (braces and all) before
  their JSON; chat models put JSON in a Markdown code fence. :func:`unwrapping` makes a
  response model remove both before parsing, and say what it removed.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any, TypeVar

import openai
from pydantic import BaseModel

from summarizer.core.redact import redact

__all__ = ["ErrorBody", "error_in", "notes", "raw_text", "start_notes", "unwrap_text", "unwrapping"]

T = TypeVar("T", bound=BaseModel)

_PREAMBLE = re.compile(r"\A\s*<(think|thinking|reasoning)>.*?</\1>\s*", re.S | re.I)
_FENCE = re.compile(r"\A\s*```[ \t]*(?:json|JSON|json5)?[ \t]*\n(.*?)\n?[ \t]*```\s*\Z", re.S)
# Error codes that name no HTTP status, as OpenAI-style providers spell them.
_NAMED_CODES = (
    ("rate_limit", 429),
    ("quota", 429),
    ("overloaded", 503),
    ("timeout", 504),
    ("context_length", 400),
    ("invalid_request", 400),
    ("invalid_api_key", 401),
    ("unauthorized", 401),
    ("authentication", 401),
    ("permission", 403),
    ("not_found", 404),
)
UNKNOWN_STATUS = 502  # an error body without a status: the gateway's upstream failed


class ErrorBody(openai.OpenAIError):
    """An HTTP 200 whose body is an error. ``status`` is the HTTP status it stands for (its
    code when that is one, else one inferred from the code's name, else 502); ``message`` and
    ``code`` are the provider's, as sent (``code`` is ``None`` when there was none)."""

    def __init__(self, message: str, code: str | int | None, status: int) -> None:
        """Keep the provider's error as sent.

        Args:
            message: The provider's message (credentials redacted by the caller).
            code: The provider's code, ``None`` when there was none.
            status: The HTTP status it stands for (100-599).
        """
        self.message, self.code, self.status = message, code, status
        shown = f" (code {code})" if code is not None else ""
        super().__init__(f"HTTP 200 with an error body: {message!r}{shown}")


def _status(code: Any) -> int:
    if isinstance(code, int) and not isinstance(code, bool) and 100 <= code <= 599:
        return code
    if isinstance(code, str):
        if code.strip().isdigit() and 100 <= int(code) <= 599:
            return int(code)
        low = code.lower()
        for name, status in _NAMED_CODES:
            if name in low:
                return status
    return UNKNOWN_STATUS


def error_in(response: Any) -> ErrorBody | None:
    """The error a completion-shaped response carries instead of choices, else ``None``."""
    if getattr(response, "choices", None):
        return None
    extra = getattr(response, "model_extra", None) or {}
    error = extra.get("error")
    if error is None:
        return None
    if isinstance(error, dict):
        message = error.get("message") or error.get("error") or json.dumps(error)
        code = error.get("code", error.get("status"))
        status = _status(code) if code is not None else _status(error.get("type"))
    else:
        message, code, status = str(error), None, UNKNOWN_STATUS
    if code is not None and not isinstance(code, str | int):
        code = json.dumps(code)
    return ErrorBody(redact(str(message))[:500], code, status)


def raw_text(message: Any) -> str | None:
    """A message's answer as sent: its first tool call's arguments, else its content."""
    calls = getattr(message, "tool_calls", None)
    if calls:
        return str(calls[0].function.arguments)
    content = getattr(message, "content", None)
    return content if isinstance(content, str) else None


def unwrap_text(text: str) -> tuple[str, list[str]]:
    """``text`` without a leading reasoning preamble and a Markdown code fence around it.

    Args:
        text: The model's answer as sent.

    Returns:
        The text left, and a note per removal (empty when nothing was removed; a preamble's
        note gives its length in characters).
    """
    notes: list[str] = []
    preamble = _PREAMBLE.match(text)
    if preamble:
        text = text[preamble.end() :]
        notes.append(f"reasoning preamble <{preamble.group(1).lower()}> removed ({preamble.end()} characters)")
    fence = _FENCE.match(text)
    if fence:
        text = fence.group(1)
        notes.append("Markdown code fence removed")
    return text, notes


_NOTES = threading.local()


def start_notes() -> None:
    """Start collecting this thread's unwrapping notes (one extraction's worth)."""
    _NOTES.found = []


def notes() -> list[str]:
    """The notes collected on this thread since :func:`start_notes`, each once."""
    return list(dict.fromkeys(getattr(_NOTES, "found", [])))


def unwrapping(cls: type[T]) -> type[T]:
    """``cls`` with ``model_validate_json`` unwrapping its input first (see :func:`unwrap_text`).

    Changed in place: instructor parses every answer through it, in every mode. The request is
    not affected (the JSON Schema, and the answer echoed back in a reask, stay as they were).
    The notes go to this thread's list (:func:`notes`).

    Args:
        cls: The response model class; a class already changed is left as it is.

    Returns:
        ``cls`` itself.
    """
    if getattr(cls, "_unwraps", False):
        return cls
    parse = cls.model_validate_json

    def model_validate_json(json_data: str | bytes | bytearray, **kwargs: Any) -> T:
        text = json_data.decode("utf-8", "replace") if isinstance(json_data, bytes | bytearray) else json_data
        text, found = unwrap_text(text)
        if found:
            _NOTES.found = [*getattr(_NOTES, "found", []), *found]
        return parse(text, **kwargs)

    cls.model_validate_json = staticmethod(model_validate_json)  # type: ignore[method-assign,assignment]
    cls._unwraps = True  # type: ignore[attr-defined]
    return cls
