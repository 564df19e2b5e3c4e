"""The verifier over whole summaries, its policies, and the verify / check-claims commands.

Summaries here are built at test time from phrases located in the seed articles, with
deliberate errors, so each verdict is known in advance.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from summarizer import verify
from summarizer.cli import app
from summarizer.core.news import ArticleSummary
from summarizer.core.verify.drop import FAILING, drop_unsupported
from summarizer.kinds import Status
from tests.conftest import SEEDS

XINHUA = SEEDS[0].read_text(encoding="utf-8")
VNEXPRESS = SEEDS[1].read_text(encoding="utf-8")
runner = CliRunner()


def phrase(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def summary_of_xinhua() -> ArticleSummary:
    met = phrase(XINHUA, "Kim and Trump met Wednesday night", "Korean Peninsula")
    hotel = phrase(XINHUA, "Kim and Trump shook hands", "Hotel in Hanoi")
    overcame = phrase(XINHUA, "they overcame the obstacles", "or so")
    return ArticleSummary.model_validate(
        {
            "headline": {"text": "Kim and Trump meet in Hanoi for second summit", "evidence": [met]},
            "summary": {
                "text": "Kim Jong Un and Donald Trump met in Hanoi for their second summit.",
                "evidence": [met, hotel],
            },
            "key_points": [
                {"text": "The leaders shook hands at the Sofitel Legend Metropole Hotel.", "evidence": [hotel]},
                {"text": "The leaders signed a trade deal worth 5 billion dollars.", "evidence": [met]},
            ],
            "entities": [
                {"name": "Ri Yong Ho", "kind": "person", "role": "foreign minister", "evidence": []},
                {"name": "Mike Pompeo", "kind": "person", "role": "defence secretary", "evidence": []},
            ],
            "places": [{"name": "Hanoi", "evidence": [met]}],
            "dates": [],
            "figures": [{"value": "261", "unit": "days", "counts": "days since Singapore", "evidence": [overcame]}],
            "quotes": [
                {"speaker": "Trump", "text": "equal or greater"},
                {"speaker": "Kim", "text": "a complete failure of diplomacy"},
            ],
        }
    )


def test_every_field_gets_a_verdict_and_the_errors_are_caught() -> None:
    v = verify(summary_of_xinhua(), XINHUA)
    status = {x.path: x.status for x in v.verdicts}
    assert status["headline.text"] is Status.SUPPORTED
    assert status["key_points[0].text"] is Status.SUPPORTED
    assert status["key_points[1].text"] is Status.UNSUPPORTED
    assert status["entities[0].role"] is Status.SUPPORTED
    # Not stated near the name: only a judge could settle it, and none was asked.
    assert status["entities[1].role"] is Status.UNCERTAIN
    role = next(x for x in v.verdicts if x.path == "entities[1].role")
    assert role.reason is not None and "near" in role.reason
    assert status["figures[0].value"] is Status.UNSUPPORTED  # the article says 260 days or so
    assert status["quotes[0].text"] is Status.SUPPORTED
    assert status["quotes[1].text"] is Status.NOT_FOUND
    assert role in v.uncertain_verdicts() and role not in v.failing()
    # Uncertain fields are checked and not supported: they count against the rate.
    assert v.grounding_rate == round(v.supported / len(v.verdicts), 4)
    for verdict in v.verdicts:
        for span in verdict.spans:
            assert XINHUA[span.start : span.end] == span.text


def test_drop_removes_failing_items_keeps_required_fields_and_says_what_went() -> None:
    kept, v = drop_unsupported(summary_of_xinhua(), XINHUA)
    assert [k.text for k in kept.key_points] == ["The leaders shook hands at the Sofitel Legend Metropole Hotel."]
    # The uncertain role stays (flagged) unless uncertain items are dropped too.
    assert [e.name for e in kept.entities] == ["Ri Yong Ho", "Mike Pompeo"] and kept.figures == []
    assert {d.path for d in v.dropped} >= {"key_points[1].text", "figures[0].value"}
    assert {x.status for x in v.verdicts} == {Status.SUPPORTED, Status.UNCERTAIN}
    kept, v = drop_unsupported(summary_of_xinhua(), XINHUA, statuses=FAILING | {Status.UNCERTAIN})
    assert [e.name for e in kept.entities] == ["Ri Yong Ho"]
    assert "entities[1].role" in {d.path for d in v.dropped}
    assert all(x.status is Status.SUPPORTED for x in v.verdicts)


def test_verify_command_rechecks_records_and_honours_source(tmp_path: Path) -> None:
    summary = summary_of_xinhua().model_dump()
    record = {"article": {"id": "x", "text": XINHUA}, "summary": summary}
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(record) + "\n" + "{not json\n")
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 1 and f"{path}:2: not JSON" in result.stderr
    (line,) = result.stdout.splitlines()
    counts = json.loads(line)["verification"]
    assert counts["unsupported"] >= 2 and counts["not_found"] >= 1 and counts["uncertain"] >= 1
    single = tmp_path / "one.json"
    single.write_text(json.dumps(summary))
    other = runner.invoke(app, ["verify", str(single), "--source", str(SEEDS[1])])
    assert other.exit_code == 0
    verdicts = {v["path"]: v["status"] for v in json.loads(other.stdout)["verification"]["verdicts"]}
    assert verdicts["key_points[0].text"] != "supported"  # VnExpress names the hotel differently
    no_text = runner.invoke(app, ["verify", str(single)])
    assert no_text.exit_code == 1 and "pass --source" in no_text.stderr


def test_check_claims_streams_and_reports_bad_lines(tmp_path: Path) -> None:
    good = phrase(VNEXPRESS, "The two leaders spoke privately", "dinner")
    lines = [
        {"id": "a", "document": VNEXPRESS, "claim": good},
        {"id": "b", "document": VNEXPRESS, "claim": "Kim met Trump 300 days after their first summit."},
        "not json",
        {"id": "d", "document": VNEXPRESS},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["check-claims", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{src}:3: not JSON" in result.stderr and f"{src}:4: 'document' and 'claim'" in result.stderr
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r.get("id") for r in rows] == ["a", "b", None, "d"]
    a, b = rows[0], rows[1]
    assert a["supported"] and not b["supported"] and 0 <= b["score"] < a["score"] <= 1
    start, end = a["spans"][0]
    assert good in VNEXPRESS[start:end]
    assert any("300" in r for r in b["reasons"])
    assert "error" in rows[2] and "error" in rows[3]


def test_check_claims_ignores_the_id() -> None:
    from summarizer.core.verify.claims import score_claim

    claim = phrase(XINHUA, "The two leaders stood around", "photo opportunity")
    assert score_claim(XINHUA, claim).score == score_claim(XINHUA + "", claim).score


def test_claim_score_sees_the_weakest_sentence_and_repetition() -> None:
    from summarizer.core.verify.claims import score_claim

    one = phrase(XINHUA, "The two leaders stood around", "photo opportunity")
    two = phrase(VNEXPRESS, "The two leaders spoke privately", "dinner")
    copied = score_claim(XINHUA + "\n" + VNEXPRESS, f"{one}. {two}.")
    invented = score_claim(XINHUA + "\n" + VNEXPRESS, f"{one}. Observers in the harbour cheered loudly at noon.")
    looping = score_claim(XINHUA + "\n" + VNEXPRESS, f"{one}. {one}. {one}.")
    assert copied.supported and copied.features["bigram_min"] == 1.0
    assert not invented.supported and invented.features["bigram_min"] < 0.2
    assert looping.features["repeat"] > 0.5 and looping.score < copied.score
    assert any("repeats itself" in r for r in looping.reasons)
