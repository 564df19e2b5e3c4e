"""User schemas end to end (the two examples, the README's), replayed from cassettes recorded
against the embedded model; and the mutation test on those real recorded summaries: every
leaf in turn set to something the article does not say, and its verdict must not be
``supported`` (word-overlap stage only: it must hold without a judge)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.core.news import ArticleSummary
from summarizer.core.records import SummaryRecord
from summarizer.core.schema_plan import ModelPlan, compile_schema
from summarizer.core.verify.walker import verify_summary
from summarizer.files.schema_loader import load_schema
from summarizer.kinds import Kind, Status
from summarizer.views.terminal import render_record
from tests.conftest import EXAMPLES, ROOT, endpoint_args

runner = CliRunner()
EARNINGS = (f"{ROOT}/examples/schemas/earnings.py:EarningsReport", ROOT / "examples/schemas/earnings-report.txt")
RULING = (f"{ROOT}/examples/schemas/ruling.py:CourtRuling", ROOT / "examples/schemas/court-ruling.txt")

# What no article here says, by kind. A Literal leaf (an entity's kind) gets another allowed value.
INVENTED: dict[Kind, str] = {
    Kind.CLAIM: "The Zanzibar Falcons won the 1871 kite championship in Ulaanbaatar.",
    Kind.NAME: "Bartholomew Quimbyson",
    Kind.ROLE: "harbourmaster of Atlantis",
    Kind.QUANTITY: "9137",
    Kind.UNIT: "furlongs",
    Kind.COUNTS: "zebra crossings painted purple",
    Kind.DATE: "March 3, 1871",
    Kind.EVENT: "the Zanzibar kite championship ended",
    Kind.QUOTE: "We will paint every zebra crossing in Ulaanbaatar purple.",
    Kind.SPEAKER: "Bartholomew Quimbyson",
}
OTHER_KIND = {"person": "organisation", "organisation": "person", "place": "person"}


def summarize(args: list[str], endpoint: dict[str, str], tmp: Path) -> tuple[int, list[dict[str, Any]], str]:
    out = tmp / "out.jsonl"
    result = runner.invoke(app, ["summarize", *args, "-o", str(out), *endpoint_args(endpoint)])
    records = [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []
    return result.exit_code, records, result.stderr


def leaves(plan: ModelPlan, data: dict[str, Any], prefix: str = "") -> list[tuple[str, Kind, str | None]]:
    """(path, kind, path of the verdict that judges it) of every leaf set in ``data``."""
    out: list[tuple[str, Kind, str | None]] = []
    for f in plan.fields:
        value = data.get(f.name)
        if value is None:
            continue
        path = f"{prefix}{f.name}"
        if f.model is not None:
            for i, item in enumerate(value if f.many else [value]):
                out += leaves(f.model, item, f"{path}[{i}]." if f.many else f"{path}.")
        elif f.kind not in (Kind.EVIDENCE, Kind.UNCHECKED):
            assert f.kind is not None
            for i in range(len(value)) if f.many else [None]:
                leaf = path if i is None else f"{path}[{i}]"
                judged = f"{prefix}{f.subject}" if f.kind is Kind.UNIT else leaf
                out.append((leaf, f.kind, judged))
    return out


def set_leaf(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node: Any = data
    steps = [(m.group(1), m.group(2)) for m in re.finditer(r"(\w+)(?:\[(\d+)\])?", path)]
    for name, idx in steps[:-1]:
        node = node[name] if idx is None else node[name][int(idx)]
    name, idx = steps[-1]
    if idx is None:
        node[name] = value
    else:
        node[name][int(idx)] = value
    return data


def get_leaf(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for m in re.finditer(r"(\w+)(?:\[(\d+)\])?", path):
        node = node[m.group(1)] if m.group(2) is None else node[m.group(1)][int(m.group(2))]
    return node


def mutations_hold(record: dict[str, Any], schema: type) -> int:
    """Set each leaf of the recorded summary to an invented value; its verdict must fail."""
    text, data = record["article"]["text"], record["summary"]
    tried = 0
    for path, kind, judged in leaves(compile_schema(schema), data):
        value = OTHER_KIND[get_leaf(data, path)] if kind is Kind.ENTITY_KIND else INVENTED[kind]
        summary = schema.model_validate(set_leaf(data, path, value))
        verdict = next(v for v in verify_summary(summary, text).verdicts if v.path == judged)
        assert verdict.status is not Status.SUPPORTED, (path, value, verdict)
        tried += 1
    return tried


@pytest.mark.vcr
@pytest.mark.parametrize(("spec", "article"), [EARNINGS, RULING], ids=["earnings", "ruling"])
def test_example_schema_end_to_end(spec: str, article: Path, llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    code, records, stderr = summarize(["--schema", spec, str(article)], llm_endpoint, isolated_env)
    assert code == 0, stderr
    (record,) = records
    schema = load_schema(spec)
    assert record["summary_schema"]["name"] == schema.__name__
    paths = {v["path"] for v in record["verification"]["verdicts"]}
    for path, kind, judged in leaves(compile_schema(schema), record["summary"]):
        assert judged in paths, f"{path} ({kind.value}) has no verdict"
    if schema.__name__ == "EarningsReport":
        assert any(v["path"] == "sector" and v["status"] == "unchecked" for v in record["verification"]["verdicts"])
    panel = render_record(SummaryRecord.model_validate(record))
    assert schema.__name__ in str(panel.renderable)
    judged = [v for v in record["verification"]["verdicts"] if v["judge_score"] is not None]
    assert judged and all(v["lexical_score"] is not None and v["judge_model"] for v in judged)
    assert f"judge {judged[0]['judge_score']:.2f}" in str(panel.renderable)  # both scores on screen
    assert mutations_hold(record, schema) >= 8


@pytest.mark.vcr
def test_mutations_of_a_default_schema_summary_are_caught(llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    code, records, stderr = summarize([str(EXAMPLES[0]), "--judge", "off"], llm_endpoint, isolated_env)
    assert code == 0, stderr
    assert mutations_hold(records[0], ArticleSummary) >= 15


@pytest.mark.vcr
def test_the_readme_schema_runs_as_written(llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Your own schema", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    (isolated_env / "my_schema.py").write_text(block)
    spec = f"{isolated_env}/my_schema.py:Brief"
    code, records, stderr = summarize(
        ["--schema", spec, str(EXAMPLES[0]), "--judge", "off"], llm_endpoint, isolated_env
    )
    assert code == 0, stderr
    (record,) = records
    paths = {v["path"] for v in record["verification"]["verdicts"]}
    for path, _, judged in leaves(compile_schema(load_schema(spec)), record["summary"]):
        assert judged in paths, path


# A ruling that gives no date: the schema's required ``date`` has nothing to be chosen from, so
# the model's date is not the article's and fails (decoding is narrowed only where the article
# offers values: summarizer.core.choices).
UNDATED_RULING = (
    "The High Court ruled that Marlow Freight must pay 2.1 million pounds to the family of a "
    "driver who was injured at its depot in Kestrel. Judge Amara Osei said the company had "
    'ignored repeated safety warnings. "The company knew of the danger and did nothing about '
    "it,\" she said. Marlow Freight's lawyer, Tom Reyes, said the firm would study the ruling. "
    "The court also ordered the company to pay the family's legal costs of 140,000 pounds.\n"
)


@pytest.mark.vcr
def test_fail_and_reask_work_for_a_user_schema(llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    spec = RULING[0]
    article = isolated_env / "undated-ruling.txt"
    article.write_text(UNDATED_RULING)
    code, records, stderr = summarize(
        ["--schema", spec, str(article), "--on-unsupported", "fail", "--judge", "off"], llm_endpoint, isolated_env
    )
    assert code == 1 and records == []
    assert re.search(rf"{re.escape(str(article))}: \d+ unsupported field\(s\): \w+", stderr), stderr
    code, records, stderr = summarize(
        ["--schema", spec, str(article), "--on-unsupported", "reask", "--max-reasks", "1", "--judge", "off"],
        llm_endpoint,
        isolated_env,
    )
    assert code == 0, stderr
    (record,) = records
    assert record["provenance"]["attempts"] == 2
    assert "not supported by the article" in record["provenance"]["reask_reasons"][0]


@pytest.mark.vcr
def test_batch_and_brief_with_a_user_schema(llm_endpoint: dict[str, str], isolated_env: Path) -> None:
    spec, article = RULING
    out = isolated_env / "out"
    result = runner.invoke(
        app, ["batch", str(article), "-o", str(out), "--schema", spec, "--judge", "off", *endpoint_args(llm_endpoint)]
    )
    assert result.exit_code == 0, result.stderr
    briefing, html = isolated_env / "b.json", isolated_env / "r.html"
    result = runner.invoke(app, ["brief", str(out / "summaries.jsonl"), "-o", str(briefing), "--html", str(html)])
    assert result.exit_code == 0, result.stderr
    (story,) = json.loads(briefing.read_text())["stories"]
    kinds = {f["kind"] for f in story["facts"]}
    assert {"claim", "organisation"} <= kinds, kinds  # the ruling's decision and its court
    record = json.loads((out / "summaries.jsonl").read_text().splitlines()[0])
    page = html.read_text()
    assert "CourtRuling" in page and "<mark" in page
    for v in record["verification"]["verdicts"]:
        assert f"<code>{v['path']}</code>" in page
