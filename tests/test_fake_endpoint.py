"""The benchmarks' fake endpoint answers any schema, in json and tools modes, through the real
CLI. It is not a model (its answers quote the article mechanically), so these tests use no
cassette: they check the harness the benchmarks rely on, and the CLI's plumbing for user
schemas, not model output."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.fake_openai import FakeServer
from summarizer.cli import app
from summarizer.kinds import Status
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()
SCHEMAS = [
    (None, EXAMPLES[0]),
    (f"{ROOT}/examples/schemas/earnings.py:EarningsReport", ROOT / "examples/schemas/earnings-report.txt"),
    (f"{ROOT}/examples/schemas/ruling.py:CourtRuling", ROOT / "examples/schemas/court-ruling.txt"),
]


@pytest.fixture(scope="module")
def fake() -> Iterator[str]:
    server = FakeServer(0, delay=0.0, faults=0.0, hang=0.0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("mode", ["json", "tools", "md_json"])
@pytest.mark.parametrize(("schema", "article"), SCHEMAS, ids=["default", "earnings", "ruling"])
def test_any_schema_round_trips(fake: str, tmp_path: Path, mode: str, schema: str | None, article: Path) -> None:
    out = tmp_path / "out.jsonl"
    args = ["summarize", str(article), "-o", str(out), "--base-url", fake, "--model", "fake", "--mode", mode]
    result = runner.invoke(app, [*args, *(["--schema", schema] if schema else [])])
    assert result.exit_code == 0, result.stderr
    (record,) = [json.loads(x) for x in out.read_text().splitlines()]
    expected = schema.rsplit(":", 1)[1] if schema else "ArticleSummary"
    assert record["summary_schema"]["name"] == expected
    statuses = {v["status"] for v in record["verification"]["verdicts"]}
    assert Status.SUPPORTED.value in statuses
    text = record["article"]["text"]
    for v in record["verification"]["verdicts"]:
        for s in v["spans"]:
            assert text[s["start"] : s["end"]] == s["text"]
