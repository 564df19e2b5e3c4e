"""Answers as endpoints send them: error bodies with HTTP 200, reasoning preambles and code
fences, schemas with aliases, and the raw answer kept whenever a failure follows it.

The endpoint is a scripted server in this process (tests/scripted.py): these test how the tool
handles what arrives, not a model's output, so no cassette. Article texts are invented here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from tests.scripted import scripted

runner = CliRunner()

ARTICLE = (
    "Flood barrier approved in Port Malden\n\n"
    "The river authority in Port Malden approved a new flood barrier on Tuesday. "
    "Engineers said the barrier would cost 48 million dollars. "
    "Mayor Ilse Varga called the vote a turning point for the town.\n"
)
SCHEMA = """
from pydantic import BaseModel, Field
from summarizer.kinds import ClaimText, Evidence, Name


class Who(BaseModel):
    name: Name = Field(validation_alias="whoName")
    evidence: Evidence


class Note(BaseModel):
    headline: ClaimText = Field(alias="headLine")
    place: Name = Field(serialization_alias="Place")
    people: list[Who]
    evidence: Evidence
"""
ANSWER = {
    "headLine": "The river authority in Port Malden approved a new flood barrier",
    "place": "Port Malden",
    "people": [{"whoName": "Ilse Varga", "evidence": [4]}],
    "evidence": [2],
}


@pytest.fixture
def files(isolated_env: Path) -> Path:
    (isolated_env / "flood.txt").write_text(ARTICLE)
    (isolated_env / "note.py").write_text(SCHEMA)
    return isolated_env


def cli(url: str, *args: str, retries: int = 3) -> Any:
    extra = ["--base-url", url, "--model", "fake", "--api-key", "k", "--judge", "off", "--retries", str(retries)]
    return runner.invoke(app, [*args, *extra])


def summarize(files: Path, url: str, *more: str, retries: int = 3) -> tuple[Any, list[dict[str, Any]]]:
    out = files / "out.jsonl"
    result = cli(url, "summarize", str(files / "flood.txt"), "-o", str(out), *more, retries=retries)
    records = [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []
    return result, records


# -- kind 2: HTTP 200 with an error body -------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            {"error": {"message": "upstream timed out", "code": 502}},
            "'upstream timed out', code 502; handled as HTTP 502",
        ),
        ({"error": "model is overloaded"}, "'model is overloaded'; handled as HTTP 502"),
        (
            {"error": {"message": "slow down", "code": "rate_limit_exceeded"}},
            "code rate_limit_exceeded; handled as HTTP 429",
        ),
        ({"error": {"message": "try later", "code": "503", "type": "server_error"}}, "code 503; handled as HTTP 503"),
    ],
    ids=["nested-502", "bare-string", "named-rate-limit", "string-code"],
)
def test_a_transient_error_body_is_retried_then_named_with_the_providers_words(
    files: Path, body: dict[str, Any], said: str
) -> None:
    with scripted([(200, body)]) as srv:
        result, records = summarize(files, srv.url, "--schema", f"{files / 'note.py'}:Note")
        assert len(srv.requests) == 3  # retried as the matching status would be (--retries 3)
    assert result.exit_code == 1 and records == []
    assert "answered HTTP 200 with an error body (provider's message " in result.stderr
    assert said in result.stderr
    assert "No choices" not in result.stderr


def test_an_error_body_then_an_answer_succeeds_and_counts_the_retries(files: Path) -> None:
    script = [(200, {"error": {"message": "upstream timed out", "code": 504}}), (200, json.dumps(ANSWER))]
    with scripted(script) as srv:
        result, (record,) = summarize(files, srv.url, "--schema", f"{files / 'note.py'}:Note")
        assert len(srv.requests) == 2
    assert result.exit_code == 0, result.stderr
    assert record["provenance"]["transport_retries"] == 1


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"error": {"message": "key revoked", "code": "invalid_api_key"}}, "refused the credentials"),
        ({"error": {"message": "no such model", "code": 404}}, "'no such model', code 404; handled as HTTP 404"),
    ],
)
def test_an_error_body_of_a_client_error_is_not_retried(files: Path, body: dict[str, Any], said: str) -> None:
    with scripted([(200, body)]) as srv:
        result, _ = summarize(files, srv.url, "--schema", f"{files / 'note.py'}:Note")
        assert len(srv.requests) == 1
    assert result.exit_code == 1 and said in result.stderr


# -- kind 3: reasoning preambles and code fences -----------------------------------------------

PREAMBLE = '<think>The user wants JSON like {"headLine": "..."}; sentence {4} names the mayor.</think>\n'


@pytest.mark.parametrize(
    ("wrap", "notes"),
    [
        (lambda j: PREAMBLE + j, ["reasoning preamble <think> removed"]),
        (lambda j: f"```json\n{j}\n```", ["Markdown code fence removed"]),
        (
            lambda j: f"{PREAMBLE}```json\n{j}\n```\n",
            ["reasoning preamble <think> removed", "Markdown code fence removed"],
        ),
        (lambda j: f"<thinking>\n{{ }}\n</thinking>```\n{j}```", ["reasoning preamble <thinking> removed", "Markdown"]),
        (lambda j: j, []),
    ],
    ids=["think", "fence", "think-and-fence", "thinking-bare-fence", "plain"],
)
def test_wrapped_answers_are_unwrapped_and_noted(files: Path, wrap: Any, notes: list[str]) -> None:
    with scripted([(200, wrap(json.dumps(ANSWER)))]) as srv:
        result, (record,) = summarize(files, srv.url, "--schema", f"{files / 'note.py'}:Note")
        assert len(srv.requests) == 1  # accepted at once: no reask
    assert result.exit_code == 0, result.stderr
    got = record["provenance"]["answer_unwrapped"]
    assert len(got) == len(notes) and all(g.startswith(n) for g, n in zip(got, notes, strict=True))


def test_a_reasked_answer_is_echoed_as_it_was_sent(files: Path) -> None:
    """The request a reask sends holds the answer as the model wrote it (recorded requests stay
    the same), while the answer is parsed unwrapped."""
    first = "```json\n" + json.dumps({"headLine": 5}) + "\n```"
    with scripted([(200, first), (200, json.dumps(ANSWER))]) as srv:
        result, (record,) = summarize(files, srv.url, "--schema", f"{files / 'note.py'}:Note")
        echoed = srv.requests[1]["messages"][-2]["content"]
    assert result.exit_code == 0, result.stderr
    assert echoed == first
    assert record["provenance"]["attempts"] == 2


# -- kind 4: aliases round-trip; the answer is kept after any failure --------------------------


def test_a_schema_with_aliases_round_trips_through_summarize_verify_and_drop(files: Path) -> None:
    with scripted([(200, json.dumps(ANSWER))]) as srv:
        result, (record,) = summarize(files, srv.url, "--schema", f"{files / 'note.py'}:Note")
        shown = json.dumps(srv.requests[0])
    assert result.exit_code == 0, result.stderr
    assert '\\"headLine\\"' in shown and '\\"whoName\\"' in shown  # the model is shown the aliases
    summary = record["summary"]
    assert summary["headline"].startswith("The river authority") and summary["people"][0]["name"] == "Ilse Varga"
    assert summary["people"][0]["evidence"] == ["Mayor Ilse Varga called the vote a turning point for the town."]
    stored = files / "record.json"
    stored.write_text(json.dumps(record))
    again = runner.invoke(app, ["verify", str(stored), "--schema", f"{files / 'note.py'}:Note"])
    assert again.exit_code == 0, again.stderr
    bad = {
        **ANSWER,
        "people": [{"whoName": "Ilse Varga", "evidence": [4]}, {"whoName": "Olaf Brenner", "evidence": [3]}],
    }
    with scripted([(200, json.dumps(bad))]) as srv:
        result, (dropped,) = summarize(
            files, srv.url, "--schema", f"{files / 'note.py'}:Note", "--on-unsupported", "drop"
        )
    assert result.exit_code == 0, result.stderr
    assert [p["name"] for p in dropped["summary"]["people"]] == ["Ilse Varga"]


def test_summarize_keeps_the_answer_of_a_failed_article_and_names_the_file(files: Path) -> None:
    invented = {**ANSWER, "place": "Lake Oswin"}
    with scripted([(200, json.dumps(invented))]) as srv:
        result, records = summarize(files, srv.url, "--schema", f"{files / 'note.py'}:Note", "--on-unsupported", "fail")
    assert result.exit_code == 1 and records == []
    assert "1 unsupported field(s): place" in result.stderr
    kept = Path(result.stderr.split("the model's answer is kept in ", 1)[1].split()[0])
    assert kept.parent == files / "cache" / "answers"
    assert json.loads(kept.read_text()) == invented


def test_an_answer_that_never_fits_is_kept_in_errors_jsonl(files: Path) -> None:
    wrong = json.dumps({"headLine": "A barrier", "people": "nobody"})
    with scripted([(200, wrong)]) as srv:
        result = cli(
            srv.url,
            "batch",
            str(files / "flood.txt"),
            "-o",
            str(files / "out"),
            "--schema",
            f"{files / 'note.py'}:Note",
        )
    assert result.exit_code == 1
    (error,) = [json.loads(x) for x in (files / "out" / "errors.jsonl").read_text().splitlines()]
    assert error["kind"] == "InvalidModelOutput" and error["raw_answer"] == wrong


# -- repeated list items are dropped before verification (summarizer.core.repeats) ----------


def test_summarize_drops_repeats_before_verifying_and_records_them(files: Path) -> None:
    answer = {
        "headline": {"text": "Port Malden approves a flood barrier", "evidence": [2]},
        "summary": {"text": "The river authority approved a new flood barrier on Tuesday.", "evidence": [2]},
        "key_points": [],
        "entities": [
            {"name": "Ilse Varga", "kind": "person", "role": "Mayor", "evidence": [4]},
            {"name": "Ilse Varga", "kind": "organisation", "role": "river authority", "evidence": [2]},
        ],
        "places": [{"name": "Port Malden", "evidence": [2]}, {"name": "Port Malden", "evidence": [2]}],
        "dates": [],
        "figures": [],
        "quotes": [],
    }
    with scripted([(200, json.dumps(answer))]) as srv:
        result, (record,) = summarize(files, srv.url)
    assert result.exit_code == 0, result.stderr
    assert record["provenance"]["repeats_dropped"] == ["entities[1]", "places[1]"]
    assert [e["name"] for e in record["summary"]["entities"]] == ["Ilse Varga"]
    paths = {v["path"] for v in record["verification"]["verdicts"]}
    assert "entities[0].role" in paths and not any(p.startswith(("entities[1]", "places[1]")) for p in paths)
