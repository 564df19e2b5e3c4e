"""Prompt templates are versioned data; JSON Schemas in schemas/ never drift from the models."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.core.errors import ConfigError
from summarizer.files.schema_export import SCHEMAS, render_schema, write_schemas
from summarizer.llm.prompts import load_prompt
from tests.conftest import ROOT


def test_prompt_loads_with_hash_and_puts_the_article_last() -> None:
    p = load_prompt()
    assert p.name == "summarize" and p.version and len(p.sha256) == 64
    messages = p.messages("BODY")
    assert messages[0]["role"] == "system" and "BODY" not in messages[0]["content"]
    assert messages[-1]["content"].endswith("BODY\n</article>")


@pytest.mark.parametrize(
    "content,message",
    [
        ('name = "x"\nversion = "1"\nsystem = "s"\n', "lacks string field"),
        ('name = "x"\nversion = "1"\nsystem = "s"\nuser = "no slot"\n', "one {article} slot"),
        ("name = ", "not valid TOML"),
    ],
)
def test_bad_prompt_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.toml").write_text(content)
    with pytest.raises(ConfigError, match=message) as e:
        load_prompt("bad", tmp_path)
    assert "bad.toml" in str(e.value)


def test_committed_schemas_match_the_models() -> None:
    stale = write_schemas(ROOT / "schemas", check=True)
    assert stale == [], f"schemas/ is out of date: run `summarizer schemas` ({stale})"


def test_schema_check_detects_drift(tmp_path: Path) -> None:
    for name, model in SCHEMAS.items():
        (tmp_path / name).write_text(render_schema(model).replace('"evidence"', '"proof"'))
    (tmp_path / "briefing.schema.json").write_text(render_schema(SCHEMAS["briefing.schema.json"]))
    assert write_schemas(tmp_path, check=True) == ["summary.schema.json", "record.schema.json"]
