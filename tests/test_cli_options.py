"""Options that several commands take are declared once: each command offers the same flag,
default and help, and the settings a command runs with are built from them in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.cli.options import RUN_OPTIONS, Switch, judge_options, settings_from
from summarizer.core.verify.walker import Policy
from summarizer.llm.client import RetryPolicy
from summarizer.llm.endpoint import Mode
from summarizer.run.settings import LocalOptions, Settings

COMMANDS = typer.main.get_command(app).commands
ENDPOINT = ["base_url", "model", "api_key", "mode"]
ENGINE = ["local_model", "local_context", "local_engine", "local_slots"]
POLICY = ["schema", "on_unsupported", "max_reasks", "max_input_tokens", "max_output_tokens", "timeout", "retries"]
JUDGE = ["judge", "judge_model", "judge_base_url", "judge_api_key"]


def offered(command: str, names: list[str]) -> dict[str, tuple[Any, ...]]:
    """Each named option of ``command``: its flags, default and help."""
    params = {p.name: p for p in COMMANDS[command].params}
    return {n: (tuple(params[n].opts), params[n].default, params[n].help) for n in names}


def test_summarize_and_batch_offer_the_same_endpoint_model_engine_judge_and_policy_options() -> None:
    names = ENDPOINT + ENGINE + POLICY + JUDGE
    assert offered("summarize", names) == offered("batch", names)
    assert offered("summarize", ["judge"])["judge"][1] is Switch.ON


def test_verify_and_check_claims_offer_the_same_judge_options() -> None:
    assert offered("verify", JUDGE) == offered("check-claims", JUDGE)
    assert offered("verify", ["judge"])["judge"][1] is Switch.OFF
    judged = offered("summarize", JUDGE)
    assert {n: v for n, v in offered("verify", JUDGE).items() if n != "judge"} == {
        n: v for n, v in judged.items() if n != "judge"
    }


def test_serve_offers_the_embedded_model_options_of_summarize() -> None:
    assert offered("serve", ENGINE) == offered("summarize", ENGINE)


def test_the_flags_become_the_settings(tmp_path: Path) -> None:
    seen: list[Settings] = []
    probe = typer.Typer()

    @probe.command()
    @settings_from(*RUN_OPTIONS)
    def run(name: str, *, settings: Settings, extra: int = 0) -> None:
        seen.append(settings)
        assert (name, extra) == ("x", 3)

    args = ["x", "--base-url", "http://a/v1", "--base-url", "http://b/v1", "--model", "m", "--mode", "tools"]
    args += ["--local-model", "small", "--local-slots", "3", "--on-unsupported", "drop", "--max-reasks", "1"]
    args += ["--max-output-tokens", "700", "--timeout", "5", "--retries", "0", "--judge", "off", "--extra", "3"]
    result = CliRunner().invoke(probe, args, env={"SUMMARIZER_CACHE_DIR": str(tmp_path), "OPENAI_API_KEY": ""})
    assert result.exit_code == 0, result.output
    [s] = seen
    assert (s.base_url, s.model, s.mode, s.api_key) == (("http://a/v1", "http://b/v1"), "m", Mode.TOOLS, None)
    assert s.local == LocalOptions("small", LocalOptions.context, LocalOptions.engine, 3)
    assert (s.policy, s.max_reasks, s.max_output_tokens, s.timeout) == (Policy.DROP, 1, 700, 5.0)
    assert (s.retry, s.judge, s.cache_dir) == (RetryPolicy(attempts=1), False, tmp_path)


def test_a_default_is_replaced_only_for_an_option_the_groups_have() -> None:
    with pytest.raises(TypeError, match="no option named jugde"):
        settings_from(judge_options, jugde=Switch.OFF)
