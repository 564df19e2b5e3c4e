"""``summarizer summarize`` end to end, replayed from cassettes recorded against a real model
(Qwen2.5-Coder-1.5B-Instruct Q4_K_M behind llama-cpp-python's server).

Each default mode is exercised: ``json`` (every non-OpenAI endpoint) and ``tools`` (OpenAI).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from tests.conftest import EXAMPLES, ROOT, SEEDS

RECORD_SCHEMA = json.loads((ROOT / "schemas" / "record.schema.json").read_text())
runner = CliRunner()


def run(args: list[str], endpoint: dict[str, str]) -> tuple[int, list[dict], str]:
    result = runner.invoke(app, ["summarize", *args, "--base-url", endpoint["base_url"],
                                 "--model", endpoint["model"], "--retries", "1"])
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    return result.exit_code, lines, result.stderr


def check_record(record: dict, source: Path, mode: str) -> None:
    jsonschema.validate(record, RECORD_SCHEMA)
    text = source.read_text(encoding="utf-8")
    assert record["article"]["text"] == text
    assert record["article"]["source"] == str(source)
    prov = record["provenance"]
    assert prov["mode"] == mode and prov["model"] == "qwen2.5-coder-1.5b-instruct-q4_k_m"
    assert prov["prompt"]["name"] == "summarize" and len(prov["prompt"]["sha256"]) == 64
    assert prov["usage"]["prompt_tokens"] > 0 and prov["usage"]["completion_tokens"] > 0
    ver = record["verification"]
    paths = {v["path"] for v in ver["verdicts"]}
    summary = record["summary"]
    assert {"headline.text", "summary.text"} <= paths
    assert {f"key_points[{i}].text" for i in range(len(summary["key_points"]))} <= paths
    assert {f"quotes[{i}].text" for i in range(len(summary["quotes"]))} <= paths
    for v in ver["verdicts"]:
        for span in v["spans"]:  # offsets index the original text
            assert text[span["start"]:span["end"]] == span["text"]
    assert ver["grounding_rate"] == pytest.approx(ver["supported"] / len(ver["verdicts"]), abs=1e-4)


@pytest.mark.vcr
@pytest.mark.parametrize("mode", ["json", "tools"])
def test_summarize_seed_articles(mode: str, llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    out = isolated_env / "out.jsonl"
    code, _, stderr = run([*map(str, SEEDS), "-o", str(out), "--mode", mode], llm_endpoint)
    assert code == 0, stderr
    records = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["article"]["id"] for r in records] == [p.stem for p in SEEDS]
    for record, source in zip(records, SEEDS, strict=True):
        check_record(record, source, mode)


@pytest.mark.vcr
def test_summarize_examples_json_with_bad_inputs(llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    """Bad files are named on stderr with their reason; the good ones are still summarised."""
    empty = isolated_env / "empty.txt"
    empty.write_text("  \n")
    binary = isolated_env / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin1 = isolated_env / "latin1.txt"
    latin1.write_bytes("Caf\xe9 opens in Porthaven\n\nA caf\xe9 opened.".encode("latin-1"))
    missing = isolated_env / "missing.txt"
    args = [str(EXAMPLES[0]), str(missing), str(empty), str(binary), str(latin1), str(EXAMPLES[1])]
    code, records, stderr = run(args, llm_endpoint)
    assert code == 1
    assert f"{missing}: no such file" in stderr
    assert f"{empty}: the file is empty" in stderr
    assert f"{binary}: looks like a binary file" in stderr
    assert f"{latin1}: is not UTF-8 text" in stderr
    assert [r["article"]["id"] for r in records] == [p.stem for p in EXAMPLES]
    for record, source in zip(records, EXAMPLES, strict=True):
        check_record(record, source, "json")


@pytest.mark.vcr
def test_summarize_examples_tools(llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    code, records, stderr = run([*map(str, EXAMPLES), "--mode", "tools"], llm_endpoint)
    assert code == 0, stderr
    for record, source in zip(records, EXAMPLES, strict=True):
        check_record(record, source, "tools")


@pytest.mark.vcr
def test_answer_cut_off_at_output_limit_is_an_error(llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    code, records, stderr = run([str(EXAMPLES[0]), "--max-output-tokens", "40"], llm_endpoint)
    assert code == 1 and records == []
    assert f"{EXAMPLES[0]}: the answer was cut off at the output limit (40 tokens)" in stderr


@pytest.mark.vcr
def test_server_error_response_is_reported(llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    """A real error answer: llama-cpp-python's server rejects instructor's json_schema mode
    (``response_format.type=json_schema``) with HTTP 500."""
    code, records, stderr = run([str(EXAMPLES[0]), "--mode", "json_schema"], llm_endpoint)
    assert code == 1 and records == []
    assert f"{EXAMPLES[0]}: http://127.0.0.1" in stderr and "answered HTTP 500" in stderr


def test_over_long_article_is_refused_before_any_call(isolated_env: Path) -> None:
    result = runner.invoke(app, ["summarize", str(SEEDS[0]), "--base-url", "http://127.0.0.1:9/v1",
                                 "--model", "m", "--max-input-tokens", "100"])
    assert result.exit_code == 1
    assert f"{SEEDS[0]}: too long: about" in result.stderr and "over the input limit of 100" in result.stderr


def test_bad_usage_exits_2(isolated_env: Path) -> None:
    result = runner.invoke(app, ["summarize", str(SEEDS[0]), "--on-unsupported", "ignore"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["summarize", str(SEEDS[0]), "--base-url", "ftp://x", "--model", "m"])
    assert result.exit_code == 2 and "is not an http(s) URL" in result.stderr


@pytest.mark.vcr
def test_reask_sends_verifier_reasons_back(llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    """Recorded: the model's first answer had fields the verifier rejected; their reasons went
    back through instructor's validation loop and the model answered again."""
    code, records, stderr = run([str(SEEDS[0]), "--on-unsupported", "reask", "--max-reasks", "1"],
                                llm_endpoint)
    assert code == 0, stderr
    (record,) = records
    prov = record["provenance"]
    assert prov["policy"] == "reask" and prov["attempts"] == 2
    assert prov["reask_reasons"] and "not supported by the article" in prov["reask_reasons"][0]
    check_record(record, SEEDS[0], "json")
