"""Endpoint resolution order and the per-endpoint mode rule."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer.core.errors import ConfigError
from summarizer.llm.endpoint import Endpoint, EndpointKind, Mode, resolve_endpoint
from summarizer.run.settings import Settings


def resolve(env: dict[str, str], **given: Any) -> Endpoint:
    """The (first) endpoint of the settings built from ``given`` and ``env``."""
    s = Settings(env=env, **given)
    return resolve_endpoint(
        base_url=s.base_url[0] if s.base_url else None, api_key=s.api_key, model=s.model, mode=s.mode
    )


def test_flag_beats_env_beats_key_beats_embedded() -> None:
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1", "OPENAI_API_KEY": "k"}
    e = resolve(env, base_url="http://localhost:1234/v1/", model="m")
    assert (e.kind, e.base_url, e.mode) == (EndpointKind.CUSTOM, "http://localhost:1234/v1", Mode.JSON)
    e = resolve(env)
    assert e.base_url == "http://127.0.0.1:8080/v1" and e.api_key == "k"
    e = resolve({"OPENAI_API_KEY": "k"})
    assert (e.kind, e.mode, e.model) == (EndpointKind.OPENAI, Mode.TOOLS, "gpt-4o-mini")
    e = resolve({})
    assert e.kind is EndpointKind.EMBEDDED and e.base_url is None and e.mode is Mode.TOOLS


def test_model_from_env_and_mode_override() -> None:
    e = resolve({"SUMMARIZER_MODEL": "qwen"}, base_url="http://127.0.0.1:1/v1", mode="tools")
    assert e.model == "qwen" and e.mode is Mode.TOOLS


def test_openai_url_needs_a_key_and_bad_values_are_named() -> None:
    with pytest.raises(ConfigError, match="needs a key"):
        resolve({}, base_url="https://api.openai.com/v1")
    with pytest.raises(ConfigError, match="unknown mode 'xml'"):
        resolve({}, mode="xml")
    with pytest.raises(ConfigError, match="unknown mode 'xml'"):
        resolve_endpoint(mode="xml")
    with pytest.raises(ConfigError, match="not an http"):
        resolve({}, base_url="localhost:8080")


def test_display_url_drops_credentials() -> None:
    e = resolve_endpoint(base_url="http://user:secret@127.0.0.1:8080/v1", model="m")
    assert e.display_url == "http://127.0.0.1:8080/v1"
