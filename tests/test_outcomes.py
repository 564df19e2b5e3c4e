"""Three outcomes: supported, unsupported and uncertain, per-kind calibration, and the
``--on-uncertain`` policy. The judge here is a stub with fixed answers (the calibration's
arithmetic, not a model, is under test); the CLI runs against the scripted endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from summarizer.core.kinds import Kind, Status
from summarizer.core.verify.calibration import CALIBRATIONS, PLACE_NAME, POOLED, calibration_for
from summarizer.core.verify.judge_scoring import JudgeScore
from summarizer.core.verify.phrasing import CHOSEN, JUDGED, PHRASINGS
from summarizer.core.verify.registry import REGISTRY
from summarizer.core.verify.walker import Verdict, verify_summary
from summarizer.kinds import ClaimText, Counts, Event, Evidence, Name, PlaceName, Quantity, Role, When
from tests.scripted import scripted
from tests.test_answers_as_they_come import cli

TEXT = (
    "Flood barrier approved in Port Malden\n\n"
    "Engineers said the new flood barrier would cost 48 million dollars. "
    "The river authority in Port Malden approved it on Tuesday after a long debate. "
    "Council member Tomas Reyl said he voted against the plan. "
    "Work on the foundations is due to start in the spring. "
    "The barrier will close the estuary during storm surges. "
    "Residents of the lower town have waited a decade for it. "
    "Mayor Ilse Varga called the vote a turning point for the town.\n"
)


class Person(BaseModel):
    name: Name
    role: Role
    evidence: Evidence


class People(BaseModel):
    people: list[Person]


class Stub:
    """A judge whose P(yes) is fixed per statement (default 0.5)."""

    model = "stub"

    def __init__(self, answers: dict[str, float]) -> None:
        self.answers = answers
        self.asked: list[str] = []
        self.contexts: list[str] = []

    def score(self, items: list[tuple[str, str]]) -> list[JudgeScore]:
        self.asked += [s for _, s in items]
        self.contexts += [c for c, _ in items]
        out = []
        for _, statement in items:
            p = next((v for k, v in self.answers.items() if k in statement), 0.5)
            out.append(JudgeScore(p, self.model, "Yes" if p >= 0.5 else "No", from_logprobs=True))
        return out


def test_every_judged_kind_has_a_monotone_calibration_with_ordered_marks() -> None:
    assert set(CALIBRATIONS) | POOLED >= JUDGED
    assert calibration_for(Kind.ENTITY_KIND, "place") is PLACE_NAME
    assert calibration_for(Kind.ENTITY_KIND, "person") is calibration_for(Kind.ENTITY_KIND)
    for kind, cal in [*((k, calibration_for(k)) for k in JUDGED), ("place name", PLACE_NAME)]:
        assert cal.judge >= 0 and cal.lexical >= 0 and cal.subject >= 0, kind
        assert 0 <= cal.unsupported_below <= cal.supported_at <= 1, kind
        grid = [i / 10 for i in range(11)]
        for lex in grid:  # a more confident Yes never lowers the score, nor a stronger word match
            scores = [cal.score(p, lex) for p in grid]
            assert scores == sorted(scores), kind
        for p in grid:
            scores = [cal.score(p, lex) for lex in grid]
            assert scores == sorted(scores), kind
            assert cal.score(p, 0.5, subject=False) <= cal.score(p, 0.5, subject=True)
        assert cal.outcome(cal.supported_at) is Status.SUPPORTED
        below = max(0.0, cal.unsupported_below - 1e-6)
        if cal.unsupported_below > 0:
            assert cal.outcome(below) is Status.UNSUPPORTED
        else:  # no score fails: the lowest is uncertain, or supported when no score is unsettled
            assert cal.outcome(0.0) is (Status.SUPPORTED if cal.supported_at == 0 else Status.UNCERTAIN)
    # A claim is put to the judge (on its best sentences), and its confident No fails it.
    assert calibration_for(Kind.CLAIM).judge > 0 and calibration_for(Kind.CLAIM).outcome(0.0) is Status.UNSUPPORTED


def roles(judge: Stub) -> dict[str, tuple[Status, str]]:
    summary = People(
        people=[
            Person(name="Ilse Varga", role="Mayor", evidence=[]),
            Person(name="Ilse Varga", role="engineer", evidence=[]),
        ]
    )
    v = verify_summary(summary, TEXT, judge=judge)
    return {x.path: (x.status, x.reason or "") for x in v.verdicts if x.kind is Kind.ROLE}


def test_the_judges_answer_decides_between_three_outcomes() -> None:
    cal = calibration_for(Kind.ROLE)
    assert cal.unsupported_below < cal.supported_at  # roles have a band of uncertain scores
    got = roles(Stub({"engineer": 0.0001, "Mayor": 0.9999}))
    assert got["people[0].role"][0] is Status.SUPPORTED
    status, reason = got["people[1].role"]
    assert status is Status.UNSUPPORTED and "judge No (P(yes) 0.00)" in reason and "under the role fail mark" in reason
    # An answer whose calibrated score lands between the marks is uncertain, and says so.
    alone = verify_summary(People(people=[Person(name="Ilse Varga", role="engineer", evidence=[])]), TEXT)
    lexical = next(x.lexical_score for x in alone.verdicts if x.kind is Kind.ROLE)
    assert lexical is not None
    middle = [p / 1000 for p in range(1, 1000) if cal.outcome(cal.score(p / 1000, lexical)) is Status.UNCERTAIN]
    assert middle
    status, reason = roles(Stub({"engineer": middle[len(middle) // 2], "Mayor": 0.9999}))["people[1].role"]
    assert status is Status.UNCERTAIN and "between the role marks" in reason and "P(yes)" in reason


def test_only_kinds_whose_calibration_weighs_the_judge_are_put_to_it() -> None:
    class Story(BaseModel):
        headline: ClaimText
        people: list[Person]

    stub = Stub({})
    people = [Person(name="Ilse Varga", role="Mayor", evidence=[])]
    v = verify_summary(Story(headline="The river authority approved a flood barrier.", people=people), TEXT, judge=stub)
    asked = {x.kind for x in v.verdicts if x.statement is not None}
    for kind in (Kind.CLAIM, Kind.ROLE):
        assert (kind in asked) == (calibration_for(kind).judge > 0), kind
    assert v.judged == len(stub.asked) == sum(x.statement is not None for x in v.verdicts)
    # A claim is judged on its best sentences, not on the whole article; its score and outcome
    # are the claim calibration's, from the judge's P(yes) and its words.
    headline = next(x for x in v.verdicts if x.kind is Kind.CLAIM)
    context = stub.contexts[stub.asked.index(headline.statement or "")]
    assert "river authority in Port Malden approved it" in context and "Mayor Ilse Varga" not in context
    cal = calibration_for(Kind.CLAIM)
    assert headline.lexical_score is not None and headline.judge_score == 0.5
    assert headline.score == pytest.approx(cal.score(0.5, headline.lexical_score), abs=2e-3)
    assert headline.status is cal.outcome(cal.score(0.5, headline.lexical_score))
    # A confident No fails it; a confident Yes passes it.
    for p, status in ((0.01, Status.UNSUPPORTED), (0.99, Status.SUPPORTED)):
        judged = verify_summary(Story(headline=headline.value, people=people), TEXT, judge=Stub({"flood": p}))
        got = next(x for x in judged.verdicts if x.kind is Kind.CLAIM)
        assert got.judge_score == p and got.status is status, got.reason


def test_every_judged_kind_has_a_phrasing_and_a_calibration() -> None:
    judged = {kind for kind, spec in REGISTRY.items() if spec.judged}
    assert judged == set(PHRASINGS) == JUDGED
    assert judged <= set(CALIBRATIONS) | POOLED
    for kind in judged:
        assert CHOSEN[kind] in PHRASINGS[kind]


class Figure(BaseModel):
    value: Quantity
    counts: Counts


class Figures(BaseModel):
    figures: list[Figure]


def test_what_a_figure_counts_scores_lower_when_its_figure_is_not_supported() -> None:
    # Same judge answer for both; only the figure's own verdict differs.
    figures = Figures(
        figures=[Figure(value="48 million dollars", counts="cost"), Figure(value="49 million dollars", counts="cost")]
    )
    v = verify_summary(figures, TEXT, judge=Stub({"": 0.8}))
    status = {x.path: x for x in v.verdicts}
    assert status["figures[0].value"].status is Status.SUPPORTED
    assert status["figures[1].value"].status is not Status.SUPPORTED
    right, wrong = status["figures[0].counts"], status["figures[1].counts"]
    assert right.judge_score == wrong.judge_score == 0.8
    assert calibration_for(Kind.COUNTS).subject > 0 and wrong.score < right.score
    assert "what it describes (figures[1].value) is" in (wrong.reason or "")


def test_with_the_judge_off_what_the_words_cannot_settle_is_uncertain() -> None:
    v = verify_summary(People(people=[Person(name="Ilse Varga", role="engineer", evidence=[])]), TEXT)
    (role,) = [x for x in v.verdicts if x.kind is Kind.ROLE]
    assert role.status is Status.UNCERTAIN and role.judge_score is None
    assert v.uncertain == 1 and v.grounding_rate == 0.5  # the name is supported, the role is not
    # A name the article lacks is still unsupported: that the words can settle.
    v = verify_summary(People(people=[Person(name="Bartholomew Quimbyson", role="Mayor", evidence=[])]), TEXT)
    assert next(x for x in v.verdicts if x.kind is Kind.NAME).status is Status.NOT_FOUND


class DateMention(BaseModel):
    when: When
    event: Event


class Dates(BaseModel):
    dates: list[DateMention]


def test_a_date_is_unsettled_when_its_event_is_not_supported() -> None:
    # Both dates are in the article; only the first is given for its event.
    dates = Dates(
        dates=[
            DateMention(when="Tuesday", event="The river authority approved the flood barrier."),
            DateMention(when="Tuesday", event="Work on the foundations started."),
        ]
    )
    v = verify_summary(dates, TEXT, judge=Stub({"approved": 0.99, "foundations": 0.01}))
    got = {x.path: x for x in v.verdicts}
    assert got["dates[0].event"].status is Status.SUPPORTED and got["dates[0].when"].status is Status.SUPPORTED
    assert got["dates[1].event"].status is Status.UNSUPPORTED
    when = got["dates[1].when"]
    assert when.status is Status.UNCERTAIN and when.spans  # the article has it: its spans stay
    assert when.reason == (
        "the article has it, but its event (dates[1].event) is unsupported: the article may not give it for that event"
    )
    assert (v.supported, v.uncertain, v.unsupported) == (2, 1, 1)


class Places(BaseModel):
    places: list[PlaceName]


def test_a_name_the_schema_says_is_a_place_is_judged_as_one() -> None:
    # "Ilse Varga" is in the article, so only the judge can tell that she is no place.
    stub = Stub({"Ilse Varga is the name of a place": 0.03, "Port Malden is the name of a place": 0.95})
    v = verify_summary(Places(places=["Port Malden", "Ilse Varga", "Oslo"]), TEXT, judge=stub)
    got = {x.value: x for x in v.verdicts}
    assert got["Port Malden"].status is Status.SUPPORTED and got["Port Malden"].entity == "place"
    wrong = got["Ilse Varga"]
    assert wrong.status is Status.UNSUPPORTED and wrong.judge_score == 0.03
    assert wrong.reason and wrong.reason.startswith("is it a place? judge No (P(yes) 0.03)")
    # Place names have their own calibration (PLACE_NAME), which the reason names.
    assert f"under the place name fail mark {PLACE_NAME.unsupported_below}" in wrong.reason
    # A middling answer is not settled either way.
    middle = verify_summary(Places(places=["Ilse Varga"]), TEXT, judge=Stub({"Ilse Varga": 0.68}))
    assert middle.verdicts[0].status is Status.UNCERTAIN
    assert PLACE_NAME.outcome(PLACE_NAME.score(0.68, 1.0)) is Status.UNCERTAIN
    assert wrong.statement == "In the article, Ilse Varga is the name of a place."
    # A name the article lacks fails on its words; the judge is not asked about it.
    assert got["Oslo"].status is Status.NOT_FOUND and got["Oslo"].statement is None
    assert stub.asked == ["In the article, Port Malden is the name of a place.", wrong.statement]
    assert v.judged == 2
    # Names whose kind the schema leaves open are not asked about; with the judge off, a found
    # place name is supported on its words.
    assert not [
        x
        for x in verify_summary(
            People(people=[Person(name="Ilse Varga", role="Mayor", evidence=[])]), TEXT, judge=Stub({})
        ).verdicts
        if x.kind is Kind.NAME and x.statement
    ]
    assert verify_summary(Places(places=["Ilse Varga"]), TEXT).verdicts[0].status is Status.SUPPORTED


ANSWER = {
    "headline": {"text": "Port Malden approves a flood barrier", "evidence": [2]},
    "summary": {"text": "The river authority approved a new flood barrier on Tuesday.", "evidence": [2]},
    "key_points": [],
    "entities": [
        {"name": "Ilse Varga", "kind": "person", "role": "Mayor", "evidence": [8]},
        {"name": "Tomas Reyl", "kind": "person", "role": "harbourmaster", "evidence": [3]},
    ],
    "places": [],
    "dates": [],
    "figures": [],
    "quotes": [],
}


@pytest.fixture
def files(isolated_env: Path) -> Path:
    (isolated_env / "flood.txt").write_text(TEXT)
    return isolated_env


@pytest.mark.parametrize("policy", ["flag", "drop", "fail"])
def test_on_uncertain_flags_drops_or_fails(files: Path, policy: str) -> None:
    out = files / "out.jsonl"
    with scripted([(200, json.dumps(ANSWER))]) as srv:
        result = cli(srv.url, "summarize", str(files / "flood.txt"), "-o", str(out), "--on-uncertain", policy)
    records = [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []
    if policy == "fail":
        assert result.exit_code == 1 and records == []
        assert "flood.txt: 1 uncertain field(s): entities[1].role" in result.stderr, result.stderr
        return
    assert result.exit_code == 0, result.stderr
    (record,) = records
    v = record["verification"]
    assert record["provenance"]["uncertain_policy"] == policy
    names = [e["name"] for e in record["summary"]["entities"]]
    if policy == "flag":
        assert names == ["Ilse Varga", "Tomas Reyl"] and v["uncertain"] == 1
        assert next(x for x in v["verdicts"] if x["path"] == "entities[1].role")["status"] == "uncertain"
    else:
        assert names == ["Ilse Varga"] and v["uncertain"] == 0
        assert [d["path"] for d in v["dropped"] if d["status"] == "uncertain"] == ["entities[1].role"]


def test_batch_report_counts_each_outcome(files: Path) -> None:
    with scripted([(200, json.dumps(ANSWER))]) as srv:
        result = cli(srv.url, "batch", str(files / "flood.txt"), "-o", str(files / "out"))
    assert result.exit_code == 0, result.stderr
    report = json.loads((files / "out" / "report.json").read_text())["last_run"]
    (line,) = (files / "out" / "summaries.jsonl").read_text().splitlines()
    v = json.loads(line)["verification"]
    assert report["uncertain"] == v["uncertain"] == 1
    assert report["supported"] == v["supported"] and report["unsupported"] == v["unsupported"]


# -- a kind of thing is not a role -------------------------------------------------------------

ORGS = (
    "The river authority hired Delta Works, a Dutch company, and the Malden Rovers football club "
    "lent its ground. Anna Berg, head of the agency, and the team captain Lars Moe spoke; so did "
    "police officer Jan Vik and the club chairman Ole Dahl. The town of Port Malden paid."
)


def role_verdict(name: str, role: str, judge: Stub | None) -> Verdict:
    people = People(people=[Person(name=name, role=role, evidence=[])])
    (v,) = [v for v in verify_summary(people, ORGS, judge=judge).verdicts if v.path == "people[0].role"]
    return v


@pytest.mark.parametrize(
    ("name", "role", "noun"),
    [
        ("Delta Works", "company", "company"),
        ("Malden Rovers", "football club", "club"),
        ("Port Malden", "location", "location"),
        ("Port Malden", "Town", "town"),
        ("Delta Works", "Dutch company", "company"),
        ("Malden Rovers", "Bridge", "bridge"),
    ],
)
def test_a_kind_of_thing_is_not_a_role_whatever_the_judge_says(name: str, role: str, noun: str) -> None:
    judge = Stub({"": 0.9999})
    v = role_verdict(name, role, judge)
    assert v.status is Status.UNSUPPORTED and v.reason == f"a kind of thing, not a role: {noun!r}", v.reason
    assert not any(role in s for s in judge.asked)  # no judge can overturn it


@pytest.mark.parametrize(
    ("name", "role"),
    [("Anna Berg", "head of the agency"), ("Lars Moe", "team captain"), ("Jan Vik", "police officer"),
     ("Ole Dahl", "club chairman")],
)  # fmt: skip
def test_roles_that_mention_a_kind_of_thing_are_roles(name: str, role: str) -> None:
    v = role_verdict(name, role, None)
    assert v.status is Status.SUPPORTED, v.reason


def test_a_claim_neither_its_words_nor_the_judge_settle_is_uncertain_and_says_why() -> None:
    class Story(BaseModel):
        headline: ClaimText

    # Words of the article, but not a sentence it states: a judge's Yes at 0.95 does not settle
    # it (at 0.5 it would fail).
    v = verify_summary(
        Story(headline="Residents debate the estuary town spring"), TEXT, judge=Stub({"Residents": 0.95})
    )
    (headline,) = v.verdicts
    cal = calibration_for(Kind.CLAIM)
    assert headline.status is Status.UNCERTAIN and headline.statement == headline.value
    between = f"between the claim marks {cal.unsupported_below} and {cal.supported_at}: not settled"
    assert "judge Yes (P(yes) 0.95)" in (headline.reason or "") and between in (headline.reason or "")


@pytest.mark.parametrize(
    ("text", "name", "why"),
    [
        (
            "The Porthaven Ferry Company added boats.",
            "Porthaven Ferry Company",
            "named like an organisation ('Company')",
        ),
        (
            "Officers of the Tokyo Metropolitan Police came.",
            "Tokyo Metropolitan Police",
            "named like an organisation ('Police')",
        ),
        ("Shares of Malden Holdings Ltd. rose.", "Malden Holdings Ltd.", "named like an organisation ('Holdings')"),
        ("The Handel and Haydn Society sang.", "Handel and Haydn Society", "named like an organisation ('Society')"),
        ("Sky News reported it first.", "Sky News", "named like an organisation ('News')"),
        ("Manchester United won at home.", "Manchester United", "named like a team ('United')"),
        ("Charlton Athletic lost.", "Charlton Athletic", "named like a team ('Athletic')"),
        ("CNN reported it first.", "CNN", "written as an acronym"),
        ("The UCI banned him.", "UCI", "written as an acronym"),
        (
            "The Porthaven Ferry Company added boats.",
            "Porthaven Ferry",
            "written only inside 'Porthaven Ferry Company', named like an organisation ('Company')",
        ),
        (
            "Manchester United's fans sang. Manchester United won.",
            "Manchester",
            "written only inside 'Manchester United', named like a team ('United')",
        ),
    ],
)
def test_a_place_named_like_an_organisation_a_team_or_an_acronym_is_unsupported_without_asking(
    text: str, name: str, why: str
) -> None:
    stub = Stub({})
    v = verify_summary(Places(places=[name]), text, judge=stub)
    verdict = v.verdicts[0]
    assert verdict.status is Status.UNSUPPORTED and stub.asked == []
    assert verdict.reason == f"{name} is {why}, not a place"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Pupils at Eastern High School ate first.", "Eastern High School"),  # a building one visits
        ("The boat crossed the Channel of Sicily.", "Channel of Sicily"),
        ("The Port Malden harbour reopened.", "Port Malden"),
        ("Fans in Manchester cheered.", "Manchester"),  # a team's city
        ("Flights to NYC resumed.", "NYC"),  # an acronym that names a place
        ("HANOI (Reuters) - Talks in Hanoi ended.", "HANOI"),  # a dateline, shouted
        ("PORTHAVEN, May 2 -- The Porthaven Ferry Company added boats.", "Porthaven"),  # written alone too
        ("The Alder Valley Anglers' Association sued.", "Alder Valley"),  # ends in a place word
    ],
)
def test_a_place_with_no_organisation_word_is_asked_about(text: str, name: str) -> None:
    stub = Stub({f"{name} is the name of a place": 0.9})
    v = verify_summary(Places(places=[name]), text, judge=stub)
    assert v.verdicts[0].status is Status.SUPPORTED and stub.asked == [
        f"In the article, {name} is the name of a place."
    ]
