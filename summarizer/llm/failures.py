"""A failed model call as one of the package's errors, named after what went wrong.

The client (:mod:`summarizer.llm.client`) catches what openai and instructor raise and hands
it here: an unreachable endpoint becomes :class:`~summarizer.core.errors.EndpointUnavailable`,
an HTTP status (or an error body standing for one) an :class:`~summarizer.core.errors.EndpointError`
or, for a context overflow, an :class:`~summarizer.core.errors.InputError`, and a reask loop
that never validated an :class:`~summarizer.core.errors.InvalidModelOutput`. Every message
names the item and the endpoint, with credentials redacted.
"""

from __future__ import annotations

import json

import openai
from instructor.core.exceptions import InstructorRetryException
from pydantic import ValidationError

from summarizer.core.errors import EndpointError, EndpointUnavailable, InputError, InvalidModelOutput, SummarizerError
from summarizer.core.redact import redact
from summarizer.llm.answers import ErrorBody

__all__ = ["describe_failure", "map_failure"]


def map_failure(exc: BaseException, item: str, url: str, attempts: int) -> SummarizerError:
    """The error to raise for ``exc``, a failed call for ``item`` to the endpoint at ``url``
    (shown without credentials) after ``attempts`` transport attempts. The openai error is
    looked for along ``exc``'s causes; anything else becomes an :class:`EndpointError`.

    Returns:
        A :class:`~summarizer.core.errors.SummarizerError` (an endpoint or input error) naming ``item``,
        ``url`` and the reason.
    """
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, openai.OpenAIError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, ErrorBody):
        code = f", code {cause.code}" if cause.code is not None else ""
        said = (
            f"HTTP 200 with an error body (provider's message {cause.message!r}{code}; handled as HTTP {cause.status})"
        )
        return _status_error(cause.status, said, cause.message, item, url, attempts)
    if isinstance(cause, openai.APIConnectionError):
        return EndpointUnavailable(
            f"{item}: cannot reach {url} after {attempts} attempt(s): {redact(str(cause))}. "
            "Is the server running? Check --base-url / OPENAI_BASE_URL."
        )
    if isinstance(cause, openai.APIStatusError):
        body = _short_body(cause)
        return _status_error(cause.status_code, f"HTTP {cause.status_code}: {body}", body, item, url, attempts)
    if isinstance(exc, InstructorRetryException):
        failed = exc.failed_attempts or []
        last = describe_failure(failed[-1].exception, 300) if failed else _first_line(str(exc))
        return InvalidModelOutput(
            f"{item}: the model's answer did not match the schema after {exc.n_attempts} "
            f"attempt(s); the last one: {' / '.join(last.splitlines()[:3])}"
        )
    return EndpointError(f"{item}: {redact(str(exc))}")


def _status_error(status: int, said: str, body: str, item: str, url: str, attempts: int) -> SummarizerError:
    """The error for an HTTP status (``said`` is how the endpoint answered, ``body`` its text)."""
    if status == 400 and "context" in body.lower():
        return InputError(item, f"too long for the model's context at {url}: {said}")
    if status in (401, 403):
        return EndpointError(f"{item}: {url} refused the credentials: {said}. Check --api-key / OPENAI_API_KEY.")
    retried = f" (after {attempts} attempt(s))" if status == 429 or status >= 500 else ""
    return EndpointError(f"{item}: {url} answered {said}{retried}")


def _short_body(exc: openai.APIStatusError, limit: int = 300) -> str:
    try:
        text = json.dumps(exc.body) if exc.body is not None else exc.response.text
    except (TypeError, ValueError, UnicodeDecodeError):  # a body we cannot render
        text = str(exc)
    return redact(text)[:limit]


def describe_failure(exc: BaseException, limit: int = 1500) -> str:
    """A validation failure as the model was told it: each error's location and message, one
    per line, at most ``limit`` characters; any other exception as its message.

    Returns:
        The description, at most ``limit`` characters.
    """
    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err.get("loc", ()))
            parts.append(f"{loc}: {err['msg']}" if loc else str(err["msg"]))
        return "\n".join(parts)[:limit]
    return str(exc)[:limit]


def _first_line(text: str, limit: int = 400) -> str:
    return text.strip().splitlines()[0][:limit] if text.strip() else ""
