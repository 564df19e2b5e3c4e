"""Generation bounds for user schemas (shown, overridable, absent from the default schema's
requests); stored records read whatever their lengths; ``verify --source`` normalised as a
loaded article is. Texts are invented here; the endpoint is a scripted server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import jsonschema
import pytest
from pydantic import BaseModel, Field
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.core.bounds import EVIDENCE_ITEMS, LIST_ITEMS, STRING_BOUNDS, bounded, relaxed
from summarizer.core.kinds import Kind
from summarizer.core.news import ArticleSummary
from summarizer.kinds import ClaimText, Evidence, Name, Quantity, Role
from tests.conftest import ROOT
from tests.scripted import scripted
from tests.test_answers_as_they_come import ARTICLE, cli, files  # noqa: F401 - the fixture

runner = CliRunner()


class Person(BaseModel):
    name: Name
    role: Role | None = None
    evidence: Evidence


class Brief(BaseModel):
    headline: ClaimText = Field(max_length=80)  # the user's own bound wins
    points: list[ClaimText]
    people: list[Person]
    cost: Quantity
    evidence: Evidence = Field(max_length=1)
    tags: list[Annotated[ClaimText, Field(max_length=30)]]


def test_every_kind_gets_a_default_bound_unless_the_schema_gives_its_own() -> None:
    schema = bounded(Brief).model_json_schema()
    props, person = schema["properties"], schema["$defs"]["Person"]["properties"]
    assert props["headline"]["maxLength"] == 80
    assert (
        props["points"]["maxItems"] == LIST_ITEMS and props["points"]["items"]["maxLength"] == STRING_BOUNDS[Kind.CLAIM]
    )
    assert props["people"]["maxItems"] == LIST_ITEMS
    assert props["cost"]["maxLength"] == STRING_BOUNDS[Kind.QUANTITY]
    assert props["evidence"]["maxItems"] == 1
    assert props["tags"]["items"]["maxLength"] == 30 and props["tags"]["maxItems"] == LIST_ITEMS
    assert person["evidence"]["maxItems"] == EVIDENCE_ITEMS == 3
    assert person["name"]["maxLength"] == STRING_BOUNDS[Kind.NAME]
    assert person["role"]["anyOf"][0]["maxLength"] == STRING_BOUNDS[Kind.ROLE]
    unbounded = json.dumps(Brief.model_json_schema()).replace('"maxLength": 80', "").replace('"maxLength": 30', "")
    assert "maxLength" not in unbounded


def test_the_default_schema_is_shown_as_it_always_was() -> None:
    assert bounded(ArticleSummary) is ArticleSummary
    recorded = json.loads((ROOT / "schemas" / "summary.schema.json").read_text())
    recorded.pop("$schema")
    assert recorded == ArticleSummary.model_json_schema(mode="serialization")


def test_schemas_shows_the_bounds(tmp_path: Path) -> None:
    (tmp_path / "brief.py").write_text(
        "from pydantic import BaseModel\n"
        "from summarizer.kinds import ClaimText, EntityKind, Evidence, Name, PersonRole\n\n\n"
        "class Who(BaseModel):\n    name: Name\n    kind: EntityKind\n"
        "    role: PersonRole | None\n    evidence: Evidence\n\n\n"
        "class Short(BaseModel):\n    points: list[ClaimText]\n    people: list[Who]\n"
    )
    result = runner.invoke(app, ["schemas", "--schema", f"{tmp_path / 'brief.py'}:Short"])
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    fields = {f["path"]: f for f in shown["fields"]}
    assert fields["points[]"] == {"path": "points[]", "kind": "claim", "max_items": 10, "max_length": 400}
    assert fields["people[].evidence[]"]["max_items"] == 3 and fields["people[]"]["max_items"] == 10
    assert fields["people[].role"] == {
        "path": "people[].role",
        "kind": "role",
        "describes": "name",
        "entity": "person",
        "max_length": 120,
    }
    assert shown["json_schema"]["$defs"]["Who"]["properties"]["evidence"]["maxItems"] == 3


def test_a_user_schemas_request_carries_the_bounds(files: Path) -> None:  # noqa: F811
    answer = {
        "headLine": "The river authority in Port Malden approved a new flood barrier",
        "place": "Port Malden",
        "people": [],
        "evidence": [2],
    }
    with scripted([(200, json.dumps(answer))]) as srv:
        result = cli(srv.url, "summarize", str(files / "flood.txt"), "--schema", f"{files / 'note.py'}:Note")
        shown = srv.requests[0]["response_format"]["schema"]
    assert result.exit_code == 0, result.stderr
    assert shown["properties"]["evidence"]["maxItems"] == 3
    assert shown["properties"]["people"]["maxItems"] == 10
    assert shown["properties"]["headLine"]["maxLength"] == 400


# -- kind 6: records made under other bounds are read -----------------------------------------

DEFAULT_ANSWER = {
    "headline": {"text": "Port Malden approves a flood barrier", "evidence": [2]},
    "summary": {"text": "The river authority in Port Malden approved a new flood barrier on Tuesday.", "evidence": [2]},
    "key_points": [{"text": "Engineers said the barrier would cost 48 million dollars.", "evidence": [3]}],
    "entities": [],
    "places": [],
    "dates": [],
    "figures": [],
    "quotes": [],
}


@pytest.fixture
def record(files: Path) -> dict[str, Any]:  # noqa: F811
    with scripted([(200, json.dumps(DEFAULT_ANSWER))]) as srv:
        result = cli(srv.url, "summarize", str(files / "flood.txt"), "-o", str(files / "r.jsonl"))
    assert result.exit_code == 0, result.stderr
    rec: dict[str, Any] = json.loads((files / "r.jsonl").read_text())
    return rec


def test_verify_and_brief_read_records_whatever_their_lengths(files: Path, record: dict[str, Any]) -> None:  # noqa: F811
    long = "The river authority in Port Malden approved a new flood barrier on Tuesday. " * 8
    record["summary"]["summary"]["text"] = long.strip()
    record["summary"]["key_points"] = [dict(record["summary"]["key_points"][0]) for _ in range(9)]
    record["summary"]["headline"]["evidence"] = [
        "The river authority in Port Malden approved a new flood barrier on Tuesday."
    ] * 4
    with pytest.raises(ValueError, match="at most"):
        ArticleSummary.model_validate(record["summary"])
    old = files / "old.jsonl"
    old.write_text(json.dumps(record) + "\n")
    result = runner.invoke(app, ["verify", str(old)])
    assert result.exit_code == 0, result.stderr
    (again,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert again["summary"]["summary"]["text"] == long.strip() and len(again["summary"]["key_points"]) == 9
    brief = runner.invoke(app, ["brief", str(old), "-o", str(files / "b.json")])
    assert brief.exit_code == 0, brief.stderr
    assert relaxed(ArticleSummary).model_validate(record["summary"])


def test_a_record_of_another_shape_is_still_refused(files: Path, record: dict[str, Any]) -> None:  # noqa: F811
    record["summary"]["key_points"] = "one long point"
    (files / "bad.jsonl").write_text(json.dumps(record) + "\n")
    result = runner.invoke(app, ["verify", str(files / "bad.jsonl")])
    assert result.exit_code == 1 and "not a ArticleSummary summary" in result.stderr


# -- kind 7: the record's article is the text its spans index -----------------------------------


@pytest.mark.parametrize(
    "variant",
    [lambda t: t.replace("\n", "\r\n"), lambda t: "\ufeff" + t.replace("\n", "\r"), lambda t: t],
    ids=["crlf", "bom-cr", "same"],
)
def test_verify_source_is_normalised_and_becomes_the_records_article(
    files: Path,  # noqa: F811
    record: dict[str, Any],
    variant: Any,
) -> None:
    (files / "r.json").write_text(json.dumps(record))
    (files / "copy.txt").write_bytes(variant(ARTICLE).encode("utf-8"))
    result = runner.invoke(app, ["verify", str(files / "r.json"), "--source", str(files / "copy.txt")])
    assert result.exit_code == 0, result.stderr
    (out,) = [json.loads(x) for x in result.stdout.splitlines()]
    text = out["article"]["text"]
    assert "\r" not in text and not text.startswith("\ufeff") and text == ARTICLE
    spans = [s for v in out["verification"]["verdicts"] for s in v["spans"]]
    assert spans and all(text[s["start"] : s["end"]] == s["text"] for s in spans)
    assert out["key"] == record["key"] and out["article"]["sha256"] == record["article"]["sha256"]


def test_a_stored_text_that_differs_is_replaced_with_what_the_spans_index(files: Path, record: dict[str, Any]) -> None:  # noqa: F811
    record["article"]["text"] = record["article"]["text"].replace("\n", "\r\n")
    (files / "r.json").write_text(json.dumps(record))
    result = runner.invoke(app, ["verify", str(files / "r.json")])
    (out,) = [json.loads(x) for x in result.stdout.splitlines()]
    text = out["article"]["text"]
    assert text == ARTICLE and out["article"]["sha256"] == record["article"]["sha256"] and out["key"] == record["key"]
    spans = [s for v in out["verification"]["verdicts"] for s in v["spans"]]
    assert spans and all(text[s["start"] : s["end"]] == s["text"] for s in spans)
    jsonschema.validate(out, json.loads((ROOT / "schemas" / "record.schema.json").read_text()))
