"""The settings of a run: one frozen object, built once from flags (or keyword arguments) and
the environment.

This is the only module of the package that reads the process environment; every other
module receives its values from a :class:`Settings` (the embedded engine's child process gets
the environment passed on, see :func:`summarizer.engine.launcher.child_environment`).

Each value is, first match wins: the flag or keyword argument given, the environment variable,
the default. An empty variable counts as unset.

- ``base_url``: ``OPENAI_BASE_URL``; else none (OpenAI's API when a key is set, else the
  embedded model)
- ``api_key``: ``OPENAI_API_KEY``; else none
- ``model``: ``SUMMARIZER_MODEL``; else the server's first model, the embedded model's alias,
  or ``gpt-4o-mini`` on OpenAI's API
- ``judge_base_url``: ``SUMMARIZER_JUDGE_BASE_URL``; else the summarising endpoint
  (``verify`` and ``check-claims``: the embedded model)
- ``judge_model``: ``SUMMARIZER_JUDGE_MODEL`` (with a judge base URL); else the summarising
  model
- ``judge_api_key``: ``SUMMARIZER_JUDGE_API_KEY`` (with a judge base URL); else none
- ``cache_dir``: ``SUMMARIZER_CACHE_DIR``; else ``$XDG_CACHE_HOME/summarizer``; else
  ``~/.cache/summarizer``
- ``llama_server``: ``SUMMARIZER_LLAMA_SERVER``; else the cached build

The judge's model and key variables apply to a judge on its own endpoint only (a judge base
URL, given or from the environment); a judge on the summarising endpoint uses ``judge_model``
as given, else the summarising model, and that endpoint's key. ``cache_dir`` and
``llama_server`` come from the environment alone (no flag sets them).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import InitVar, dataclass, field
from pathlib import Path

from pydantic import BaseModel

from summarizer.core.errors import ConfigError
from summarizer.core.verify.walker import Policy, UncertainPolicy
from summarizer.engine.server import DEFAULT_CONTEXT, DEFAULT_ENGINE, DEFAULT_SLOTS
from summarizer.llm.client import RetryPolicy
from summarizer.llm.endpoint import Mode, parse_mode

__all__ = ["LocalOptions", "Settings"]

_REDACTED = "[redacted]"
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s'\"]+@")  # user:password@ in a URL


@dataclass(frozen=True)
class LocalOptions:
    """The embedded model, used when no endpoint is configured.

    ``model``: ``default`` (None), ``small`` or a GGUF path; ``context``: tokens per slot (at
    least 512); ``engine``: an :class:`~summarizer.engine.server.Engine` value; ``slots``:
    requests decoded at once (at least 1)."""

    model: str | None = None
    context: int = DEFAULT_CONTEXT
    engine: str = DEFAULT_ENGINE.value
    slots: int = DEFAULT_SLOTS


def _urls(given: str | Sequence[str] | None) -> tuple[str, ...]:
    if isinstance(given, str):
        given = [given]
    return tuple(url for url in given or () if url)


def _policy(given: Policy | str) -> Policy:
    try:
        return Policy(given)
    except ValueError as e:
        raise ConfigError(f"unknown policy {given!r}; choose " + ", ".join(p.value for p in Policy)) from e


def _uncertain_policy(given: UncertainPolicy | str) -> UncertainPolicy:
    try:
        return UncertainPolicy(given)
    except ValueError as e:
        choices = ", ".join(p.value for p in UncertainPolicy)
        raise ConfigError(f"unknown policy for uncertain fields {given!r}; choose {choices}") from e


def _cache_dir(env: Mapping[str, str]) -> Path:
    if env.get("SUMMARIZER_CACHE_DIR"):
        return Path(env["SUMMARIZER_CACHE_DIR"])
    return Path(env.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "summarizer"


@dataclass(frozen=True, repr=False)
class Settings:
    """Everything a run is configured with: the endpoint and model, the embedded model, the
    schema, the verification policy and limits, the judge, and the folders the tool uses.

    Built once (by the CLI from its flags, by :func:`summarizer.run.api.open_summarizer` from
    its keyword arguments) and handed on as it is: it is frozen, pickles (Ray actors receive
    it) and its ``repr`` shows ``[redacted]`` in place of the API keys and of credentials in
    URLs.

    Construction fills what is not given from ``env`` (default: the process environment; see
    the module's table) and accepts the looser forms the public API has always taken: one URL
    as a string or several in a list, ``mode`` and ``policy`` as strings, ``retry`` or
    ``local`` as None for their defaults.

    Fields: ``base_url`` the endpoints, one per replica of the same model (empty: OpenAI's
    API when a key is set, else the embedded model); ``mode`` the instructor mode (None: by
    endpoint); ``schema`` a model class or a ``module:Class`` / ``path.py:Class`` spec (None:
    the news schema); ``policy`` what to do with unsupported fields, ``uncertain_policy`` with
    uncertain ones; ``max_reasks`` extra attempts for ``policy`` reask; ``max_input_tokens``
    the longest article accepted, in tokens (None: what the endpoint's context leaves, when
    known); ``max_output_tokens`` the answer budget per call, in tokens; ``timeout`` seconds
    per HTTP request; ``retry`` transport retries per call; ``judge`` whether a model judge
    checks fields too; ``cache_dir`` the cache folder (weights, engine builds, judge scores,
    kept answers); ``llama_server`` a llama-server binary to use instead of the cached build.

    Raises :class:`~summarizer.core.errors.ConfigError` for an unknown ``mode``, ``policy`` or
    ``uncertain_policy``.
    """

    base_url: tuple[str, ...] = ()
    api_key: str | None = None
    model: str | None = None
    mode: Mode | None = None
    schema: type[BaseModel] | str | None = None
    local: LocalOptions = LocalOptions()
    policy: Policy = Policy.FLAG
    uncertain_policy: UncertainPolicy = UncertainPolicy.FLAG
    max_reasks: int = 2
    max_input_tokens: int | None = None
    max_output_tokens: int = 1500
    timeout: float = 600.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    judge: bool = True
    judge_base_url: str | None = None
    judge_model: str | None = None
    judge_api_key: str | None = None
    cache_dir: Path = field(init=False)
    llama_server: Path | None = field(init=False)
    env: InitVar[Mapping[str, str] | None] = None

    def __post_init__(self, env: Mapping[str, str] | None) -> None:
        """Fill what was not given from ``env`` (``os.environ`` by default), then the defaults.

        Raises:
            ConfigError: ``mode``, ``policy`` or ``uncertain_policy`` is not one of its values.
        """
        env = os.environ if env is None else env
        given_url = _urls(self.base_url)
        judge_url = self.judge_base_url or env.get("SUMMARIZER_JUDGE_BASE_URL") or None
        values = {
            "base_url": given_url or _urls(env.get("OPENAI_BASE_URL")),
            "api_key": self.api_key or env.get("OPENAI_API_KEY") or None,
            "model": self.model or env.get("SUMMARIZER_MODEL") or None,
            "mode": parse_mode(self.mode) if self.mode else None,
            "local": self.local or LocalOptions(),
            "policy": _policy(self.policy),
            "uncertain_policy": _uncertain_policy(self.uncertain_policy),
            "retry": self.retry or RetryPolicy(),
            "judge_base_url": judge_url,
            "judge_model": self.judge_model or (judge_url and env.get("SUMMARIZER_JUDGE_MODEL")) or None,
            "judge_api_key": self.judge_api_key or (judge_url and env.get("SUMMARIZER_JUDGE_API_KEY")) or None,
            "cache_dir": _cache_dir(env),
            "llama_server": Path(env["SUMMARIZER_LLAMA_SERVER"]) if env.get("SUMMARIZER_LLAMA_SERVER") else None,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def in_this_process(self) -> Settings:
        """These settings resolved again in this process: ``cache_dir`` and ``llama_server``
        from its environment, and any value still unset from it too. A Ray actor, perhaps on
        another machine, calls it on the settings the driver sent.

        Returns:
            A new ``Settings``; this one is unchanged.
        """
        return dataclasses.replace(self)

    def __repr__(self) -> str:
        """Every field, with API keys and ``user:password@`` in URLs shown as ``[redacted]``."""
        shown = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in ("api_key", "judge_api_key") and value is not None:
                value = _REDACTED
            shown.append(f"{f.name}={value!r}")
        return _URL_CREDENTIALS.sub(_REDACTED + "@", f"Settings({', '.join(shown)})")
