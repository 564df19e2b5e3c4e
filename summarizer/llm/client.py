"""The only module that talks to a model: instructor over ``openai.OpenAI``.

What comes back is in the package's own types (:mod:`summarizer.llm.exchange`), and what
fails becomes one of its errors (:mod:`summarizer.llm.failures`).

One layer owns each kind of retry:

- transport errors (connection refused or dropped, timeouts, 429, 5xx) are retried here with
  tenacity, jittered, capped, honouring ``Retry-After``; the SDK's own retries are off;
- validation failures are re-asked by instructor (``max_reasks`` extra attempts), and the
  verifier's reasons can join them through the validation context (``--on-unsupported reask``).

Token usage is summed over every attempt; timing covers the whole exchange.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from summarizer.core.errors import ConfigError, EndpointUnavailable, Interrupted, OutputTruncated, SummarizerError
from summarizer.core.redact import redact
from summarizer.llm import answers
from summarizer.llm.answers import ErrorBody, error_in, raw_text
from summarizer.llm.endpoint import Endpoint, Mode
from summarizer.llm.exchange import Answer, Exchange, usage_of
from summarizer.llm.failures import describe_failure, map_failure
from summarizer.llm.grammar import compact_grammar
from summarizer.llm.transport import CancellableBackend, cancellable_transport

__all__ = ["LLMClient", "RetryPolicy", "ServedModel", "list_models"]

_WRAPPED: dict[type[BaseModel], type[BaseModel]] = {}
_WRAPPED_LOCK = threading.Lock()


def _wrapped(model: type[T]) -> type[T]:
    """The response model as instructor wraps it, made once per model class.

    instructor wraps a plain response model in a new class on every call (a fresh pydantic
    class each time, never freed: about 35 KB per article in a long batch, commit cca14e0).
    Handing it the wrapped class skips that.

    Returns:
        The wrapped class, cached per ``model``.
    """
    with _WRAPPED_LOCK:
        done = _WRAPPED.get(model)
        if done is None:
            done = _WRAPPED[model] = answers.unwrapping(instructor.openai_schema(model))
    return done  # type: ignore[return-value]


T = TypeVar("T", bound=BaseModel)
_GRAMMARS: weakref.WeakKeyDictionary[type[BaseModel], str] = weakref.WeakKeyDictionary()


def _grammar(model: type[BaseModel]) -> str:
    """The compact-JSON grammar of ``model``, made once per class."""
    with _WRAPPED_LOCK:
        found = _GRAMMARS.get(model)
        if found is None:
            found = _GRAMMARS[model] = compact_grammar(model.model_json_schema())
    return found


_MODES = {
    Mode.JSON: instructor.Mode.JSON,
    Mode.TOOLS: instructor.Mode.TOOLS,
    Mode.JSON_SCHEMA: instructor.Mode.JSON_SCHEMA,
    Mode.MD_JSON: instructor.Mode.MD_JSON,
}


@dataclass(frozen=True)
class RetryPolicy:
    """Transport retries: ``attempts`` in all, waits jittered up to ``max_wait`` seconds."""

    attempts: int = 4
    max_wait: float = 30.0
    max_retry_after: float = 120.0


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, ErrorBody):
        return exc.status == 429 or exc.status >= 500
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return False


def _retry_after(exc: BaseException | None) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class LLMClient:
    """Structured extraction against one resolved endpoint."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        timeout: float = 600.0,
        retry: RetryPolicy | None = None,
        max_output_tokens: int = 1500,
        temperature: float = 0.0,
        seed: int | None = 0,
    ) -> None:
        """A client for ``endpoint``; no call is made until :meth:`extract` or :meth:`answer_token`.

        Args:
            endpoint: A resolved endpoint with its base URL and model.
            timeout: The HTTP client's timeout for each attempt, in seconds.
            retry: Transport retries; default :class:`RetryPolicy`'s.
            max_output_tokens: Tokens one answer may take (``max_tokens`` of the request).
            temperature: Sampling temperature; 0 for the most likely answer.
            seed: Sent with each request, for servers that sample with one; ``None`` sends none.

        Raises:
            ValueError: The endpoint has no base URL or no model (not started or not resolved).
        """
        if not endpoint.base_url or not endpoint.model:
            raise ValueError("endpoint must be started and have a model before use")
        self.endpoint = endpoint
        self.retry = retry or RetryPolicy()
        self.max_output_tokens = max_output_tokens
        self.temperature = temperature
        self.seed = seed
        self._cancelled = threading.Event()
        self._backend = CancellableBackend()
        http = openai.DefaultHttpxClient(transport=cancellable_transport(self._backend), timeout=timeout)
        self._client = openai.OpenAI(
            base_url=endpoint.base_url, api_key=endpoint.api_key, timeout=timeout, max_retries=0, http_client=http
        )
        self._local = threading.local()  # per-call counters; one client serves many threads
        self._create = instructor.patch(create=self._send, mode=_MODES[endpoint.mode])

    def close(self) -> None:
        """Close the HTTP connections; the client is not used after."""
        self._client.close()

    def cancel(self) -> None:
        """Abort every call in flight (their connections are closed) and refuse new ones;
        retry waits end at once. Used on Ctrl-C and SIGTERM."""
        self._cancelled.set()
        self._backend.abort()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancelled.is_set()

    def _sleep(self, seconds: float) -> None:
        if self._cancelled.wait(seconds):
            raise Interrupted("the run was interrupted during a retry wait")

    # -- transport ---------------------------------------------------------------------------
    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = _retry_after(exc)
        if after is not None:
            return min(after, self.retry.max_retry_after)
        return wait_random_exponential(multiplier=1, max=self.retry.max_wait)(state)

    def _send(self, **kwargs: Any) -> Any:
        """One chat completion, with transport retries (instructor calls this per attempt).

        Returns:
            The openai response object, as sent.

        Raises:
            Interrupted: The client was cancelled before the call.
        """

        self._local.calls += 1

        def count(_: RetryCallState) -> None:
            self._local.transport_retries += 1

        if self._cancelled.is_set():
            raise Interrupted("the run was interrupted")
        retrying = Retrying(
            stop=stop_after_attempt(self.retry.attempts),
            wait=self._wait,
            retry=retry_if_exception(lambda e: _is_transient(e) and not self._cancelled.is_set()),
            before_sleep=count,
            sleep=self._sleep,
            reraise=True,
        )
        return retrying(self._create_checked, **kwargs)

    def _create_checked(self, **kwargs: Any) -> Any:
        """One HTTP call; an error body is raised as :class:`ErrorBody`, an answer is kept as sent."""
        response = self._client.chat.completions.create(**kwargs)
        error = error_in(response)
        if error is not None:
            raise error
        choices = getattr(response, "choices", None)
        self._local.raw = raw_text(choices[0].message) if choices else None
        return response

    # -- extraction ----------------------------------------------------------------------------
    def extract(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_reasks: int = 1,
        context: dict[str, Any] | None = None,
        item: str = "article",
        schema: dict[str, Any] | None = None,
    ) -> Exchange:
        """Ask for ``response_model``; map every failure to a :mod:`summarizer.core.errors` error.

        ``schema``, when given, is the JSON Schema decoding is constrained to on endpoints
        that constrain it (llama.cpp's grammar, a ``json_object`` schema), in place of
        ``response_model``'s own: a narrower one with the same fields, such as one whose
        quotes may only be the article's (:func:`summarizer.core.narrowing.narrow_schema`).
        The prompt still shows ``response_model``'s schema, and the answer is validated
        against it.

        Returns:
            The exchange: the validated answer, usage, seconds, calls and retries, the finish
            reason, parse errors and the raw answer.
        """
        kwargs: dict[str, Any] = {
            "model": self.endpoint.model,
            "messages": messages,
            "max_tokens": self.max_output_tokens,
            "temperature": self.temperature,
        }
        if self.seed is not None:
            kwargs["seed"] = self.seed
        if self.endpoint.mode is Mode.JSON and self.endpoint.grammar:
            # llama-server: a grammar of compact JSON (its own conversion of a schema allows
            # whitespace everywhere, and the model then indents: 30 % more tokens). The prompt
            # is evaluated whole, not resumed from the slot's cache of an earlier request: a
            # reused prefix, computed in other batches, changed the greedy answer (a tuning
            # document summarised after another differed from its answer summarised first, from
            # the summary on; with this, the two are the same). The judge's requests still reuse
            # this one's article.
            grammar = _grammar(response_model) if schema is None else compact_grammar(schema)
            kwargs["extra_body"] = {"response_format": {"type": "text"}, "grammar": grammar, "cache_prompt": False}
        elif self.endpoint.mode is Mode.JSON and self.endpoint.kind != "openai":
            # instructor's JSON mode sets {"type": "json_object"}; the body's copy with the
            # schema wins and lets llama.cpp-based servers constrain decoding to it.
            constrained = response_model.model_json_schema() if schema is None else schema
            kwargs["extra_body"] = {"response_format": {"type": "json_object", "schema": constrained}}
        self._reset()
        parse_errors: list[str] = []
        hooks = Hooks()
        hooks.on("parse:error", lambda e, **_: parse_errors.append(describe_failure(e)))
        started = time.perf_counter()
        try:
            value = self._create(
                response_model=_wrapped(response_model),
                max_retries=max_reasks,
                context=context,
                hooks=hooks,
                **kwargs,
            )
        except IncompleteOutputException as e:
            raise self._counted(
                OutputTruncated(
                    f"{item}: the answer was cut off at the output limit ({self.max_output_tokens} "
                    "tokens) before the JSON was complete; the model may be looping. Raise "
                    "--max-output-tokens or try another model."
                )
            ) from e
        except (InstructorRetryException, openai.OpenAIError, Interrupted) as e:
            if self._cancelled.is_set():
                raise self._counted(Interrupted(f"{item}: the run was interrupted")) from e
            raise self._counted(map_failure(e, item, self.endpoint.display_url, self.retry.attempts)) from e
        except Exception as e:  # whatever instructor raises once our calls are aborted
            if self._cancelled.is_set():
                raise self._counted(Interrupted(f"{item}: the run was interrupted")) from e
            raise
        raw = getattr(value, "_raw_response", None)
        usage = usage_of(getattr(value, "_total_usage", None) or getattr(raw, "usage", None))
        finish = None
        if raw is not None and getattr(raw, "choices", None):
            finish = raw.choices[0].finish_reason
        return Exchange(
            value,
            usage,
            time.perf_counter() - started,
            self._local.calls,
            self._local.transport_retries,
            finish,
            parse_errors,
            self._local.raw,
            answers.notes(),
        )

    def _reset(self) -> None:
        self._local.transport_retries = 0
        self._local.calls = 0
        self._local.raw = None
        answers.start_notes()

    def answer_token(
        self, messages: list[dict[str, str]], *, top_logprobs: int = 10, logprobs: bool = True, item: str = "judge"
    ) -> Answer:
        """A one-token answer (a judge's Yes or No), with log-probabilities when the endpoint gives them.

        Same transport retries and error mapping as :meth:`extract` (the errors are those of
        :func:`~summarizer.llm.failures.map_failure`, or ``Interrupted``).

        Args:
            messages: The chat messages.
            top_logprobs: How many alternatives to ask for at the first token.
            logprobs: Whether to ask for log-probabilities at all.
            item: Names the call in error messages.

        Returns:
            The answer's text, the first token's top (token, natural-log probability) pairs
            (``None`` without log-probabilities), the usage in tokens and the time in seconds.
        """
        kwargs: dict[str, Any] = {
            "model": self.endpoint.model,
            "messages": messages,
            "max_tokens": 1,
            "temperature": 0.0,
        }
        if self.seed is not None:
            kwargs["seed"] = self.seed
        if logprobs:
            kwargs.update(logprobs=True, top_logprobs=top_logprobs)
        self._reset()
        started = time.perf_counter()
        try:
            raw = self._send(**kwargs)
        except (openai.OpenAIError, Interrupted) as e:
            if self._cancelled.is_set():
                raise self._counted(Interrupted(f"{item}: the run was interrupted")) from e
            raise self._counted(map_failure(e, item, self.endpoint.display_url, self.retry.attempts)) from e
        usage = usage_of(getattr(raw, "usage", None))
        choice = raw.choices[0] if raw.choices else None
        content = (choice.message.content or "") if choice is not None else ""
        top: list[tuple[str, float]] | None = None
        lp = getattr(choice, "logprobs", None)
        if lp is not None and getattr(lp, "content", None):
            first = lp.content[0]
            top = [(t.token, float(t.logprob)) for t in (first.top_logprobs or [])] or [
                (first.token, float(first.logprob))
            ]
        return Answer(content, top, usage, time.perf_counter() - started)

    def _counted(self, error: SummarizerError) -> SummarizerError:
        """Attach attempt counts to an error, for errors.jsonl."""
        error.attempts = self._local.calls
        error.transport_retries = self._local.transport_retries
        if error.raw_answer is None:
            error.raw_answer = getattr(self._local, "raw", None)
        return error


@dataclass(frozen=True)
class ServedModel:
    """One model a server lists: its ``id`` and its ``owned_by`` (``"llamacpp"`` on llama.cpp's server)."""

    id: str
    owned_by: str | None


def list_models(endpoint: Endpoint) -> list[ServedModel]:
    """The models a server lists (llama.cpp and LM Studio serve one: it is taken as the model).

    Args:
        endpoint: The endpoint to ask (its base URL and key); the call times out after 15 s.

    Returns:
        The served models, in the server's order (at least one).

    Raises:
        EndpointUnavailable: The server cannot be reached or refuses the call.
        ConfigError: The server lists no model.
    """
    client = openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key, max_retries=0, timeout=15)
    try:
        with client:
            models = [ServedModel(m.id, getattr(m, "owned_by", None)) for m in client.models.list()]
    except openai.OpenAIError as e:
        raise EndpointUnavailable(
            f"cannot list models at {endpoint.display_url} ({redact(str(e))}); pass --model or set SUMMARIZER_MODEL"
        ) from e
    if not models:
        raise ConfigError(f"{endpoint.display_url} lists no models; pass --model")
    return models
