"""Any Pydantic schema: every leaf has a kind and gets a verdict, or the schema is refused.

Summaries here are built at test time from phrases of the example articles (pure verifier
tests: no model call, so no cassette).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import BaseModel, Field
from typer.testing import CliRunner

from summarizer import kinds
from summarizer.cli import app
from summarizer.core.news import ArticleSummary, Claim
from summarizer.core.schema_plan import SchemaError, compile_schema
from summarizer.core.verify.drop import drop_unsupported
from summarizer.core.verify.walker import Policy, verify_summary
from summarizer.files.schema_loader import load_schema
from summarizer.kinds import UNCHECKED, ClaimText, Evidence, FieldKind, Kind, Name, Role, Status
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()
BRIDGE = EXAMPLES[0].read_text(encoding="utf-8")
RULING = (ROOT / "examples" / "schemas" / "court-ruling.txt").read_text(encoding="utf-8")


def sentence(text: str, needle: str) -> str:
    i = text.index(needle)
    a = max(text.rfind(". ", 0, i) + 2, text.rfind("\n", 0, i) + 1)
    return text[a : text.index(".", i) + 1]


def test_a_plain_leaf_is_refused_naming_the_field_and_the_fix() -> None:
    class Mood(BaseModel):
        headline: ClaimText
        mood: str

    with pytest.raises(SchemaError) as e:
        compile_schema(Mood)
    assert "Mood.mood: has no field kind" in str(e.value) and "UNCHECKED" in str(e.value)
    assert "headline" not in str(e.value)


def test_every_problem_is_listed_at_once() -> None:
    class Inner(BaseModel):
        role: Role  # nothing to be the role of
        tags: dict[str, str]

    class Outer(BaseModel):
        items: list[Inner]
        score: float

    with pytest.raises(SchemaError) as e:
        compile_schema(Outer)
    text = str(e.value)
    assert "Outer.items[].role: a role describes one name field" in text
    assert "Outer.items[].tags: its type dict" in text
    assert "Outer.score: has no field kind" in text


def test_a_subclass_with_an_invented_claim_gets_a_verdict_that_is_not_supported() -> None:
    class WithRisks(ArticleSummary):
        risks: list[Claim] = Field(default_factory=list)

    reopened = sentence(BRIDGE, "reopened")
    summary = WithRisks(
        headline=Claim(text="The bridge reopened", evidence=[reopened]),
        summary=Claim(text="The bridge reopened to traffic.", evidence=[reopened]),
        key_points=[],
        entities=[],
        places=[],
        dates=[],
        figures=[],
        quotes=[],
        risks=[Claim(text="The bridge will collapse by 2031, the Atlantis Institute warned.", evidence=[reopened])],
    )
    v = verify_summary(summary, BRIDGE)
    risk = next(x for x in v.verdicts if x.path == "risks[0].text")
    assert risk.status is not Status.SUPPORTED and risk.kind is Kind.CLAIM
    assert v.grounding_rate < 1.0


def test_unchecked_leaves_are_listed_and_kept_out_of_the_rate() -> None:
    class Brief(BaseModel):
        headline: ClaimText
        desk: Annotated[str, UNCHECKED]
        tags: list[Annotated[str, UNCHECKED]]

    v = verify_summary(Brief(headline="The bridge reopened", desk="City", tags=["a", "b"]), BRIDGE)
    unchecked = [x.path for x in v.verdicts if x.status is Status.UNCHECKED]
    assert unchecked == ["desk", "tags[0]", "tags[1]"]
    assert v.unchecked == 3 and v.grounding_rate == 1.0 and v.supported == 1


def test_relations_are_found_by_kind_or_named() -> None:
    class TwoNames(BaseModel):
        judge: Name
        lawyer: Name
        title: Annotated[str, FieldKind(Kind.ROLE, of="judge")]
        evidence: Evidence

    plan = compile_schema(TwoNames)
    assert next(f for f in plan.fields if f.name == "title").subject == "judge"
    ok = TwoNames(judge="Miriam Okonkwo", lawyer="Peter Lindqvist", title="judge", evidence=[])
    v = {x.path: x for x in verify_summary(ok, RULING).verdicts}
    assert v["title"].status is Status.SUPPORTED and v["title"].describes == "judge"
    swapped = ok.model_copy(update={"title": "lawyer"})  # the right words, the wrong person
    assert {x.path: x for x in verify_summary(swapped, RULING).verdicts}["title"].status is not Status.SUPPORTED

    class Ambiguous(BaseModel):
        judge: Name
        lawyer: Name
        title: Role

    with pytest.raises(SchemaError, match=r"Ambiguous.title: a role describes one name field .* found 2"):
        compile_schema(Ambiguous)
    with pytest.raises(ValueError, match="'of' only applies"):
        FieldKind(Kind.CLAIM, of="x")


SCHEMA_FILE = """
from pydantic import BaseModel
from summarizer.kinds import ClaimText

class Good(BaseModel):
    headline: ClaimText

class Bad(BaseModel):
    headline: ClaimText
    mood: str

NOT_A_MODEL = 3
"""


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{d}/schema.py:Bad", "Bad.mood: has no field kind"),
        ("{d}/schema.py:Missing", "has no Missing"),
        ("{d}/schema.py:NOT_A_MODEL", "NOT_A_MODEL is not a Pydantic model class (it is int)"),
        ("{d}/absent.py:Good", "no such file"),
        ("{d}/broken.py:Good", "importing {d}/broken.py failed at line 2: NameError"),
        ("no_such_module_xyz:Good", "cannot import module no_such_module_xyz"),
        ("Good", "write module:Class or path/to/file.py:Class"),
    ],
)
def test_schema_errors_exit_2_before_any_call(tmp_path: Path, spec: str, message: str) -> None:
    (tmp_path / "schema.py").write_text(SCHEMA_FILE)
    (tmp_path / "broken.py").write_text("x = 1\nundefined_name\n")
    spec, message = spec.format(d=tmp_path), message.format(d=tmp_path)
    for command in (
        ["summarize", str(EXAMPLES[0])],
        ["verify", str(EXAMPLES[0])],
        ["schemas"],
        ["batch", str(EXAMPLES[0]), "-o", str(tmp_path / "out")],
    ):
        result = runner.invoke(
            app,
            [*command, "--schema", spec, "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]
            if command[0] in ("summarize", "batch")
            else [*command, "--schema", spec],
        )
        assert result.exit_code == 2, (command, result.stderr)
        assert message in result.stderr, (command, result.stderr)


def test_load_schema_by_module_and_file() -> None:
    assert load_schema(None) is ArticleSummary
    assert load_schema("summarizer.core.news:ArticleSummary") is ArticleSummary
    cls = load_schema(str(ROOT / "examples/schemas/ruling.py") + ":CourtRuling")
    assert cls.__name__ == "CourtRuling" and compile_schema(cls)


def test_the_vocabulary_is_public_and_small() -> None:
    assert {k.value for k in Kind} == {
        "claim",
        "name",
        "entity_kind",
        "role",
        "quantity",
        "unit",
        "counts",
        "date",
        "event",
        "quote",
        "speaker",
        "evidence",
        "unchecked",
    }
    for alias in (
        "ClaimText",
        "Name",
        "PersonName",
        "OrganisationName",
        "PlaceName",
        "EntityKind",
        "Role",
        "Quantity",
        "Unit",
        "Counts",
        "When",
        "Event",
        "QuoteText",
        "Speaker",
        "Evidence",
        "UNCHECKED",
    ):
        assert alias in kinds.__all__


def ruling_summary(**changes: object) -> BaseModel:
    cls = load_schema(str(ROOT / "examples/schemas/ruling.py") + ":CourtRuling")
    costs = sentence(RULING, "250,000 euros in legal costs")
    data = {
        "court": "Westreach Court of Appeal",
        "date": "March 4",
        "decision": {
            "text": "The court upheld the clean-up order against Marlow Chemicals.",
            "evidence": [sentence(RULING, "upheld a ruling")],
        },
        "parties": [
            {
                "name": "Ruth Abernathy",
                "kind": "person",
                "role": "the association's chair",
                "evidence": [sentence(RULING, "The association's chair")],
            },
            {
                "name": "Peter Lindqvist",
                "kind": "person",
                "role": "lawyer",
                "evidence": [sentence(RULING, "Marlow's lawyer")],
            },
        ],
        "awards": [{"amount": "250,000", "unit": "euros", "counts": "legal costs", "evidence": [costs]}],
        "quotes": [],
        "next_step": None,
    }
    data.update(changes)
    return cls.model_validate(data)


def test_drop_removes_the_smallest_list_item_and_flags_what_no_list_holds() -> None:
    bad_party = {"name": "Quentin Marsh", "kind": "person", "role": "witness", "evidence": []}
    summary = ruling_summary(court="Supreme Court of Atlantis", parties=[*ruling_summary().parties, bad_party])  # type: ignore[attr-defined]
    kept, v = drop_unsupported(summary, RULING)
    assert [p.name for p in kept.parties] == ["Ruth Abernathy", "Peter Lindqvist"]  # type: ignore[attr-defined]
    assert {d.path for d in v.dropped} >= {"parties[2].name"}
    court = next(x for x in v.verdicts if x.path == "court")
    assert court.status is not Status.SUPPORTED and "kept and flagged: not inside a list item" in court.reason
    assert all(
        x.path.startswith(("parties[0]", "parties[1]")) or "[" not in x.path or x.path.startswith("awards")
        for x in v.verdicts
    )


def test_policies_reach_every_schema_through_the_cli(tmp_path: Path) -> None:
    result = runner.invoke(app, ["summarize", str(EXAMPLES[0]), "--on-unsupported", "ignore"])
    assert result.exit_code == 2 and "ignore" in result.stderr
    assert [p.value for p in Policy] == ["flag", "drop", "reask", "fail"]


def test_readme_schema_compiles_as_written() -> None:
    """The 'Your own schema' example of the README is a working schema file."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Your own schema", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    assert len(block.strip().splitlines()) <= 15
    namespace: dict[str, object] = {}
    exec(compile(textwrap.dedent(block), "README.md", "exec", dont_inherit=True), namespace)
    compile_schema(namespace["Brief"])  # type: ignore[arg-type]
