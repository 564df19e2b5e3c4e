"""Which endpoint to talk to, with which model and instructor mode.

Resolution, first match wins:

1. ``--base-url``
2. ``OPENAI_BASE_URL``
3. OpenAI's own API, when ``OPENAI_API_KEY`` is set
4. the embedded local model (llama.cpp's ``llama-server``, which this tool starts on 127.0.0.1)

Mode rule (``--mode`` overrides it):

- OpenAI's API -> ``tools`` (function calling; what OpenAI models are trained for);
- the embedded model -> ``json`` on llama-server, with a compact-JSON grammar
  (:mod:`summarizer.llm.grammar`): a forced tool call is not constrained by the Qwen2.5-Coder
  chat template; on the ``llama-cpp-python`` engine, the mode measured per registry model
  (:func:`summarizer.engine.weights.preferred_mode`);
- any other endpoint (llama-cpp-python or llama.cpp servers, Ollama, vLLM, LM Studio) ->
  ``json``: instructor's JSON mode, the most widely supported, with the JSON Schema also
  attached to ``response_format`` so llama.cpp-based servers constrain decoding to it
  (servers that do not know the key ignore it). instructor's ``json_schema`` mode is never
  the default: the llama-cpp-python server rejects ``response_format.type=json_schema``.

:func:`resolve_endpoint` applies this order to the values it is handed; the flags and the
variables behind them (``OPENAI_BASE_URL``, ``OPENAI_API_KEY``, ``SUMMARIZER_MODEL``) are
resolved before, in :class:`summarizer.run.settings.Settings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from summarizer.core.errors import ConfigError
from summarizer.core.redact import remember

__all__ = ["Endpoint", "EndpointKind", "Mode", "parse_mode", "resolve_endpoint"]

OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
PLACEHOLDER_KEY = "sk-no-key-required"


class Mode(StrEnum):
    """instructor's ways of getting structured output (the rule above picks the default).

    ``json``: JSON in the message, the schema also in ``response_format``; ``tools``: a forced
    function call; ``json_schema``: ``response_format.type=json_schema``; ``md_json``: JSON in a
    Markdown code block.
    """

    JSON = "json"
    TOOLS = "tools"
    JSON_SCHEMA = "json_schema"
    MD_JSON = "md_json"


class EndpointKind(StrEnum):
    """Where requests go: OpenAI's own API, any other OpenAI-compatible URL, or the embedded server."""

    OPENAI = "openai"
    CUSTOM = "custom"
    EMBEDDED = "embedded"


@dataclass(frozen=True)
class Endpoint:
    """A resolved endpoint: where to send requests, with which key, model and mode.

    ``base_url`` is ``None`` for the embedded server until it has started; ``model`` is ``None``
    when the server is to be asked (``/v1/models``). ``context_tokens`` (tokens), ``slots``
    (requests decoded at once) and ``logprobs`` are ``None`` until known. ``api_key`` is the
    placeholder ``sk-no-key-required`` when no key was given.
    """

    kind: EndpointKind
    base_url: str | None  # None until the embedded server has started
    api_key: str
    model: str | None  # None: ask the server (/v1/models) or use the embedded alias
    mode: Mode
    context_tokens: int | None = None  # known context window, if any
    slots: int | None = None  # requests the server decodes at once, when known
    logprobs: bool | None = None  # whether chat completions return logprobs, when known
    grammar: bool = False  # takes a GBNF grammar (llama-server): json mode then asks for compact JSON

    @property
    def display_url(self) -> str:
        """The URL without credentials, for records and messages."""
        if not self.base_url:
            return "embedded"
        parts = urlsplit(self.base_url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"


def default_concurrency(endpoint: Endpoint) -> int:
    """Articles in flight by default for this endpoint.

    Args:
        endpoint: The resolved endpoint.

    Returns:
        The server's slots when known; 1 for the embedded model or any server on this machine
        (a local llama.cpp server decodes one request at a time: more would only queue and risk
        timeouts); else 8 for OpenAI's API and 4 for other remote servers. 8 and 4 are chosen
        values, not measured: enough to keep a remote server busy, few enough not to run into
        its rate limits.
    """
    if endpoint.slots:
        return endpoint.slots
    host = urlsplit(endpoint.base_url or "").hostname or ""
    if endpoint.kind is EndpointKind.EMBEDDED or host in ("127.0.0.1", "localhost", "::1"):
        return 1
    return 8 if endpoint.kind is EndpointKind.OPENAI else 4


def default_mode(kind: EndpointKind, base_url: str | None) -> Mode:
    """The default mode of an endpoint, before its engine is known.

    Args:
        kind: The endpoint's kind.
        base_url: Its URL, or ``None`` (the embedded model before its server starts).

    Returns:
        ``tools`` for OpenAI's API (by kind or by URL) and the embedded model, else ``json``.
        The embedded model's mode is replaced by its engine's once the server starts.
    """
    if kind in (EndpointKind.OPENAI, EndpointKind.EMBEDDED) or (
        base_url and urlsplit(base_url).hostname == "api.openai.com"
    ):
        return Mode.TOOLS
    return Mode.JSON


def parse_mode(value: Mode | str) -> Mode:
    """``value`` as a :class:`Mode`.

    Args:
        value: A mode or its name (``json``, ``tools``, ``json_schema``, ``md_json``).

    Returns:
        The mode.

    Raises:
        ConfigError: ``value`` names no mode; the message lists the choices.
    """
    try:
        return Mode(value)
    except ValueError as e:
        choices = ", ".join(m.value for m in Mode)
        raise ConfigError(f"unknown mode {value!r}; choose one of: {choices}") from e


def resolve_endpoint(
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    model: str | None = None,
    mode: Mode | str | None = None,
) -> Endpoint:
    """The endpoint the resolution order above gives for these values.

    Args:
        base_url: ``--base-url`` or ``OPENAI_BASE_URL``, or ``None``.
        api_key: ``--api-key`` or ``OPENAI_API_KEY``, or ``None``; remembered so that messages
            and records redact it.
        model: The model id, or ``None`` (OpenAI's API then gets ``gpt-4o-mini``; another server
            is asked; the embedded model uses its alias).
        mode: ``--mode``, or ``None`` for the default of the rule above.

    Returns:
        The endpoint; the embedded one has no URL until its server starts.

    Raises:
        ConfigError: ``base_url`` is not an http(s) URL with a host, OpenAI's API is named
            without a key, or ``mode`` names no mode.
    """
    model = model or None
    key = api_key or None
    url = base_url or None
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"base URL {url!r} is not an http(s) URL like http://127.0.0.1:8080/v1")
        kind = EndpointKind.OPENAI if parts.hostname == "api.openai.com" else EndpointKind.CUSTOM
        if kind is EndpointKind.OPENAI and not key:
            raise ConfigError("OpenAI's API needs a key: set OPENAI_API_KEY or pass --api-key")
    elif key:
        kind, url = EndpointKind.OPENAI, OPENAI_URL
        model = model or DEFAULT_OPENAI_MODEL
    else:
        kind = EndpointKind.EMBEDDED
    chosen = parse_mode(mode) if mode else default_mode(kind, url)
    remember(key)
    return Endpoint(kind, url.rstrip("/") if url else None, key or PLACEHOLDER_KEY, model, chosen)
