"""The run's settings: flags beat the environment, which beats the defaults; the object pickles
for Ray actors, hides keys in its repr, and is the only reader of the environment."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from summarizer.core.errors import ConfigError
from summarizer.core.verify.walker import Policy
from summarizer.llm.client import RetryPolicy
from summarizer.llm.endpoint import Mode
from summarizer.run.api import open_judge, open_summarizer
from summarizer.run.settings import LocalOptions, Settings
from tests.conftest import ROOT

ENV = {
    "OPENAI_BASE_URL": "http://env-host:8080/v1",
    "OPENAI_API_KEY": "sk-envkey0123456789abcdef",
    "SUMMARIZER_MODEL": "env-model",
    "SUMMARIZER_JUDGE_BASE_URL": "http://env-judge:9090/v1",
    "SUMMARIZER_JUDGE_MODEL": "env-judge-model",
    "SUMMARIZER_JUDGE_API_KEY": "env-judge-key-0123",
    "SUMMARIZER_CACHE_DIR": "/env/cache",
    "XDG_CACHE_HOME": "/xdg",
    "SUMMARIZER_LLAMA_SERVER": "/opt/llama-server",
}


def test_the_environment_fills_what_is_not_given() -> None:
    s = Settings(env=ENV)
    assert s.base_url == ("http://env-host:8080/v1",)
    assert (s.api_key, s.model) == ("sk-envkey0123456789abcdef", "env-model")
    assert (s.judge_base_url, s.judge_model, s.judge_api_key) == (
        "http://env-judge:9090/v1",
        "env-judge-model",
        "env-judge-key-0123",
    )
    assert (s.cache_dir, s.llama_server) == (Path("/env/cache"), Path("/opt/llama-server"))


def test_what_is_given_beats_the_environment() -> None:
    s = Settings(
        env=ENV,
        base_url=["http://a/v1", "http://b/v1"],
        api_key="flag-key-0123456789",
        model="flag-model",
        judge_base_url="http://flag-judge/v1",
        judge_model="flag-judge-model",
        judge_api_key="flag-judge-key",
    )
    assert s.base_url == ("http://a/v1", "http://b/v1")
    assert (s.api_key, s.model) == ("flag-key-0123456789", "flag-model")
    assert (s.judge_base_url, s.judge_model, s.judge_api_key) == (
        "http://flag-judge/v1",
        "flag-judge-model",
        "flag-judge-key",
    )


def test_defaults_without_environment() -> None:
    s = Settings(env={})
    assert (s.base_url, s.api_key, s.model, s.mode, s.schema) == ((), None, None, None, None)
    assert (s.judge, s.judge_base_url, s.judge_model, s.judge_api_key) == (True, None, None, None)
    assert (s.policy, s.max_reasks, s.max_input_tokens, s.max_output_tokens, s.timeout) == (
        Policy.FLAG,
        2,
        None,
        1500,
        600.0,
    )
    assert (s.retry, s.local, s.llama_server) == (RetryPolicy(), LocalOptions(), None)
    assert s.cache_dir == Path("~/.cache/summarizer").expanduser()
    assert Settings(env={"XDG_CACHE_HOME": "/xdg"}).cache_dir == Path("/xdg/summarizer")
    assert Settings(env={"OPENAI_BASE_URL": "", "SUMMARIZER_MODEL": ""}).base_url == ()  # empty is unset


def test_the_judge_variables_for_model_and_key_need_a_judge_endpoint() -> None:
    env = {k: v for k, v in ENV.items() if k != "SUMMARIZER_JUDGE_BASE_URL"}
    s = Settings(env=env)
    assert (s.judge_base_url, s.judge_model, s.judge_api_key) == (None, None, None)
    s = Settings(env=env, judge_base_url="http://flag-judge/v1")
    assert (s.judge_model, s.judge_api_key) == ("env-judge-model", "env-judge-key-0123")
    assert Settings(env=env, judge_model="j").judge_model == "j"


def test_the_public_api_s_loose_forms_are_accepted_and_bad_ones_named() -> None:
    s = Settings(env={}, base_url="http://one/v1", mode="tools", policy="drop", retry=None, local=None)
    assert (s.base_url, s.mode, s.policy, s.retry, s.local) == (
        ("http://one/v1",),
        Mode.TOOLS,
        Policy.DROP,
        RetryPolicy(),
        LocalOptions(),
    )
    with pytest.raises(ConfigError, match="unknown policy 'lenient'; choose flag"):
        Settings(env={}, policy="lenient")
    with pytest.raises(ConfigError, match="unknown mode 'xml'"):
        Settings(env={}, mode="xml")


def test_settings_pickle_as_they_are() -> None:
    s = Settings(env=ENV, base_url=["http://a/v1", "http://b/v1"], schema="summarizer.core.news:ArticleSummary")
    copy = pickle.loads(pickle.dumps(s))
    assert copy == s and copy.cache_dir == Path("/env/cache") and copy.api_key == s.api_key
    assert repr(copy) == repr(s)


def test_the_repr_redacts_keys_and_url_credentials() -> None:
    s = Settings(env=ENV, api_key="flag-secret-0123", base_url="http://user:pw0rd@host/v1")
    shown = repr(s)
    for secret in ("flag-secret-0123", "env-judge-key-0123", "pw0rd"):
        assert secret not in shown
    assert "api_key='[redacted]'" in shown and "judge_api_key='[redacted]'" in shown
    assert "http://[redacted]@host/v1" in shown and "model='env-model'" in shown
    assert "api_key=None" in repr(Settings(env={}))


def test_an_actor_takes_machine_paths_from_its_own_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = pickle.loads(pickle.dumps(Settings(env=ENV, model="m")))
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", "/actor/cache")
    monkeypatch.delenv("SUMMARIZER_LLAMA_SERVER", raising=False)
    here = sent.in_this_process()
    assert (here.cache_dir, here.llama_server) == (Path("/actor/cache"), None)
    assert (here.model, here.base_url, here.api_key) == ("m", sent.base_url, sent.api_key)


def test_open_summarizer_takes_settings_or_keywords(isolated_env: Path) -> None:
    url = "http://127.0.0.1:1/v1"  # nothing listens: the model is given, so no call is needed
    with open_summarizer(base_url=url, model="m", mode="tools", judge=False, max_input_tokens=900) as run:
        assert (run.client.endpoint.base_url, run.client.endpoint.model) == (url, "m")
        assert (run.client.endpoint.mode, run.max_input_tokens, run.judge) == (Mode.TOOLS, 900, None)
    with open_summarizer(settings=Settings(base_url=url, model="m", judge=False)) as run:
        assert run.client.endpoint.model == "m"
    with pytest.raises(TypeError, match="not both: model"), open_summarizer(settings=Settings(), model="m"):
        pass


def test_a_judge_on_its_own_endpoint_uses_the_judge_settings(isolated_env: Path) -> None:
    env = {"SUMMARIZER_JUDGE_BASE_URL": "http://127.0.0.1:1/v1", "SUMMARIZER_JUDGE_MODEL": "jm"}
    settings = Settings(env={**env, "SUMMARIZER_CACHE_DIR": str(isolated_env / "cache")})
    with open_judge(settings) as judge:
        assert (judge.model, judge.endpoint) == ("jm", "http://127.0.0.1:1/v1")
    assert (isolated_env / "cache" / "judge-cache.sqlite3").is_file()


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "summarizer").rglob("*.py")
        if re.search(r"os\.environ|getenv", path.read_text())
    }
    # the engine launcher passes the environment on to the engine's child process
    assert readers == {"summarizer/run/settings.py", "summarizer/engine/launcher.py"}
