"""Briefings across sources, from summaries built at test time out of phrases located in the
articles (so the seed conflicts are tested whatever a model would extract)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from summarizer.core.briefing import build_briefing
from summarizer.core.news import ArticleSummary
from summarizer.core.records import PromptInfo, Provenance, SummaryRecord, TokenUsage
from summarizer.core.schema_plan import schema_info
from summarizer.core.verify.walker import verify_summary
from summarizer.files.articles import article_from_text, load_article
from summarizer.views.html import render_html
from tests.conftest import EXAMPLES, ROOT, SEEDS

BRIEFING_SCHEMA = json.loads((ROOT / "schemas" / "briefing.schema.json").read_text())


def phrase(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def sentence(text: str, needle: str) -> str:
    i = text.index(needle)
    a = max(text.rfind(". ", 0, i) + 2, text.rfind("\n", 0, i) + 1)
    b = min(x for x in (text.find(". ", i), text.find("\n", i), len(text)) if x != -1)
    return text[a:b]


def record(article, summary: dict) -> SummaryRecord:
    return record_of(article, ArticleSummary.model_validate(summary))


def record_of(article, s) -> SummaryRecord:
    """A record of any schema's summary ``s``, verified (no model: built at test time)."""
    prov = Provenance(
        prompt=PromptInfo(name="test", version="0", sha256="0" * 64),
        model="built-in-test",
        endpoint="none",
        endpoint_kind="test",
        mode="none",
        usage=TokenUsage.of(),
        seconds=0,
        attempts=0,
        transport_retries=0,
        policy="flag",
        created_at="2026-01-01T00:00:00+00:00",
        summarizer_version="test",
    )
    return SummaryRecord(
        key=article.sha256,
        article=article,
        summary_schema=schema_info(type(s)),
        summary=s.model_dump(mode="json"),
        verification=verify_summary(s, article.text),
        provenance=prov,
    )


def claim(text: str, evidence: str) -> dict:
    return {"text": text, "evidence": [evidence]}


def bridge_summary(bad_evidence: str) -> dict:
    """A supported headline and summary ("The bridge opened on Monday") and one unsupported
    key point whose evidence is ``bad_evidence``: one green and one red span in the report."""
    return {
        "headline": claim("The bridge opened", "The bridge opened on Monday"),
        "summary": claim("The bridge opened on Monday.", "The bridge opened on Monday"),
        "key_points": [claim("A tunnel closed on Friday.", bad_evidence)],
        "entities": [],
        "places": [],
        "dates": [],
        "figures": [],
        "quotes": [],
    }


def seed_records() -> list[SummaryRecord]:
    xin, vne = (load_article(str(p)) for p in SEEDS)
    x, v = xin.text, vne.text
    days_x, days_v = phrase(x, "260", "so"), phrase(v, "261", "ago")
    hotel_x, hotel_v = phrase(x, "Sofitel", "Hotel"), phrase(v, "Hanoi Metropole", "Hotel")
    common = {"entities": [], "dates": [], "quotes": []}
    rx = record(
        xin,
        {
            **common,
            "headline": claim(
                "Kim and Trump meet in Hanoi for second summit", sentence(x, "Kim and Trump met Wednesday")
            ),
            "summary": claim("Kim Jong Un and Donald Trump met in Hanoi.", sentence(x, "Kim and Trump met Wednesday")),
            "key_points": [claim("Kim and Trump shook hands at the hotel.", sentence(x, "Kim and Trump shook hands"))],
            "places": [
                {"name": hotel_x, "evidence": [sentence(x, hotel_x)]},
                {"name": "Hanoi", "evidence": [sentence(x, "Kim and Trump met Wednesday")]},
            ],
            "figures": [
                {
                    "value": "260",
                    "unit": "days",
                    "counts": "days since the first meeting",
                    "evidence": [sentence(x, days_x)],
                }
            ],
            "entities": [{"name": "Donald Trump", "kind": "person", "role": None, "evidence": []}],
        },
    )
    rv = record(
        vne,
        {
            **common,
            "headline": claim(
                "Trump and Kim begin second summit in Hanoi", sentence(v, "were the picture of geniality")
            ),
            "summary": claim(
                "Donald Trump and Kim Jong-un began their second summit in Hanoi.",
                sentence(v, "were the picture of geniality"),
            ),
            "key_points": [claim("Trump and Kim shook hands at the hotel.", sentence(v, "They shook hands"))],
            "places": [
                {"name": hotel_v, "evidence": [sentence(v, "They shook hands")]},
                {"name": "Hanoi", "evidence": [sentence(v, "second summit in Hanoi")]},
            ],
            "figures": [
                {
                    "value": "261",
                    "unit": "days",
                    "counts": "days since the first meeting",
                    "evidence": [sentence(v, days_v)],
                }
            ],
            "entities": [{"name": "Donald Trump", "kind": "person", "role": None, "evidence": []}],
        },
    )
    return [rx, rv]


def test_seed_briefing_surfaces_the_two_conflicts() -> None:
    briefing = build_briefing(seed_records())
    jsonschema.validate(json.loads(briefing.model_dump_json()), BRIEFING_SCHEMA)
    (story,) = briefing.stories
    assert sorted(story.articles) == sorted(p.stem for p in SEEDS)
    kinds = {(c.kind, tuple(sorted(s.value.split(" (")[0] for s in c.sides))) for c in story.conflicts}
    assert ("number", ("260 days", "261 days")) in kinds
    names = [c for c in story.conflicts if c.kind == "name"]
    assert len(names) == 1 and {s.value for s in names[0].sides} == {
        "Sofitel Legend Metropole Hotel",
        "Hanoi Metropole Hotel",
    }
    hanoi = next(f for f in story.facts if f.text == "Hanoi")
    assert hanoi.corroboration == 2 and not hanoi.single_source
    for side in names[0].sides + [s for c in story.conflicts for s in c.sides]:
        assert side.spans, "every side points at its evidence in its article"


def test_a_number_one_summary_left_out_is_checked_against_that_article_text() -> None:
    rx, rv = seed_records()
    without = {**rx.summary, "figures": []}  # the 260 days left out of one summary
    briefing = build_briefing([record(rx.article, without), rv])
    (story,) = briefing.stories
    (days,) = [c for c in story.conflicts if c.kind == "number"]
    ours, theirs = days.sides
    assert ours.value.startswith("261 days") and theirs.path == "text"
    (span,) = theirs.spans
    assert rx.article.text[span.start : span.end] == span.text == "260 days"
    assert "two-day" not in theirs.value  # "a two-day summit" is not a count of days
    # a source that also gives the same number is agreement, not conflict
    agrees = record(rx.article.model_copy(update={"text": rx.article.text + "\nThey first met 261 days ago."}), without)
    assert not [c for c in build_briefing([agrees, rv]).stories[0].conflicts if c.kind == "number"]
    jsonschema.validate(json.loads(briefing.model_dump_json()), BRIEFING_SCHEMA)


def test_another_story_forms_its_own_group_with_a_conflict_made_at_test_time() -> None:
    bridge = load_article(str(EXAMPLES[0]))
    cost = phrase(bridge.text, "4.2 million", "euros")
    altered_text = bridge.text.replace(cost, "4.8 million euros")
    altered = article_from_text(altered_text, id="bridge-other-outlet", source="test")

    def bridge_record(article) -> SummaryRecord:
        t = article.text
        money = re.search(r"\d\.\d million euros", t).group()
        return record(
            article,
            {
                "headline": claim("Kestrel Harbour Bridge reopens after repairs", sentence(t, "reopened to traffic")),
                "summary": claim(
                    "The Kestrel Harbour Bridge reopened after six weeks of repairs.",
                    sentence(t, "reopened to traffic"),
                ),
                "key_points": [],
                "entities": [],
                "dates": [],
                "quotes": [],
                "places": [{"name": "Kestrel Harbour Bridge", "evidence": [sentence(t, "reopened to traffic")]}],
                "figures": [
                    {
                        "value": money.split(" million")[0] + " million",
                        "unit": "euros",
                        "counts": "cost of the repairs",
                        "evidence": [sentence(t, money)],
                    }
                ],
            },
        )

    records = [*seed_records(), bridge_record(bridge), bridge_record(altered)]
    briefing = build_briefing(records)
    assert len(briefing.stories) == 2
    bridge_story = next(s for s in briefing.stories if bridge.id in s.articles)
    assert sorted(bridge_story.articles) == sorted([bridge.id, altered.id])
    (conflict,) = bridge_story.conflicts
    assert conflict.kind == "number" and {s.article_id for s in conflict.sides} == {bridge.id, altered.id}


def test_unsupported_fields_never_enter_the_briefing() -> None:
    rx, rv = seed_records()
    broken = {**rx.summary, "places": [*rx.summary["places"], {**rx.summary["places"][0], "name": "Ritz Hotel"}]}
    bad = record(rx.article, broken)
    briefing = build_briefing([bad, rv])
    assert all("Ritz" not in f.text for s in briefing.stories for f in s.facts)


def test_html_escapes_article_text_and_marks_spans(tmp_path: Path) -> None:
    evil = article_from_text(
        "Evil page\n\nThe mayor said <script>document.title='pwned'</script> hello. The bridge opened on Monday.",
        id="evil",
        source="test",
    )
    r = record(evil, bridge_summary(bad_evidence="Evil page"))
    html = render_html(build_briefing([r]), [r])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<mark class="ok" title="headline.text, summary.text">The bridge opened on Monday</mark>' in html
    assert '<mark class="bad" title="key_points[0].text">Evil page</mark>' in html


def test_one_person_written_with_titles_and_initials_is_one_fact() -> None:
    rx, rv = seed_records()

    def person(name: str) -> dict:
        return {"name": name, "kind": "person", "role": None, "evidence": []}

    x_trump = {**rx.summary, "entities": [person("U. S. President Donald Trump")]}
    v_trump = {**rv.summary, "entities": [person("US President Donald Trump"), person("Kim Jong-un")]}
    briefing = build_briefing([record(rx.article, x_trump), record(rv.article, v_trump)])
    people = [f for f in briefing.stories[0].facts if f.kind == "person"]
    trump = [f for f in people if "Trump" in f.text]
    assert len(trump) == 1 and trump[0].corroboration == 2
    assert any("Kim" in f.text and f.single_source for f in people)  # a different person stays apart


def test_a_name_one_summary_left_out_is_checked_against_that_article_text() -> None:
    rx, rv = seed_records()
    no_hotel = {**rx.summary, "places": [p for p in rx.summary["places"] if "Hotel" not in p["name"]]}
    story = build_briefing([record(rx.article, no_hotel), rv]).stories[0]
    (names,) = [c for c in story.conflicts if c.kind == "name"]
    ours, theirs = names.sides
    assert ours.value == "Hanoi Metropole Hotel" and theirs.path == "text"
    (span,) = theirs.spans
    assert rx.article.text[span.start : span.end] == "Sofitel Legend Metropole Hotel"
    # a source that writes the same name in full is no conflict
    same = record(
        rx.article.model_copy(update={"text": rx.article.text + "\nGuests left the Hanoi Metropole Hotel."}), no_hotel
    )
    assert not [c for c in build_briefing([same, rv]).stories[0].conflicts if c.kind == "name"]


def test_venues_no_summary_kept_are_compared_between_the_articles_texts() -> None:
    """Neither summary names the hotel (what the embedded model did on the seeds): the two
    texts' own venue names are still set side by side, each quoted from its article."""
    rx, rv = seed_records()
    no_hotel = [
        record(r.article, {**r.summary, "places": [p for p in r.summary["places"] if "Hotel" not in p["name"]]})
        for r in (rx, rv)
    ]
    (story,) = build_briefing(no_hotel).stories
    (names,) = [c for c in story.conflicts if c.kind == "name"]
    assert {s.path for s in names.sides} == {"text"}
    assert {s.value for s in names.sides} == {"Sofitel Legend Metropole Hotel", "Hanoi Metropole Hotel"}
    for side, r in zip(names.sides, no_hotel, strict=True):
        (span,) = side.spans
        assert r.article.text[span.start : span.end] == side.value and side.article_id == r.article.id


def test_numbers_no_summary_kept_are_compared_between_the_articles_texts() -> None:
    """Neither summary gives the days since Singapore (what the embedded model did on the
    seeds): the texts' own "260 days" and "261 days" are set side by side; the other numbers
    with units ("20 minutes", "a two-day summit", "eight months") are not, and a date written
    two ways ("Feb. 27, 2019", "2019-02-27") is no conflict."""
    rx, rv = seed_records()

    def bare(r: SummaryRecord, when: str) -> SummaryRecord:
        dates = [{"when": when, "event": "Kim and Trump met in Hanoi", "evidence": []}]
        return record(r.article, {**r.summary, "figures": [], "dates": dates})

    (story,) = build_briefing([bare(rx, "Feb. 27, 2019"), bare(rv, "2019-02-27")]).stories
    (days,) = [c for c in story.conflicts if c.kind == "number"]
    assert {s.value for s in days.sides} == {"260 days", "261 days"} and {s.path for s in days.sides} == {"text"}
    assert not [c for c in story.conflicts if c.kind == "date"]
    for side in days.sides:
        (span,) = side.spans
        text = rx.article.text if side.article_id == rx.article.id else rv.article.text
        assert text[span.start : span.end] == side.value


def test_the_same_text_under_two_ids_is_one_source() -> None:
    rx, rv = seed_records()
    twin = record(rx.article.model_copy(update={"id": "copy-of-" + rx.article.id}), rx.summary)
    briefing = build_briefing([rx, twin, rv])
    assert briefing.articles == 2
    hanoi = next(f for f in briefing.stories[0].facts if f.text == "Hanoi")
    assert hanoi.corroboration == 2  # rx and its copy count once, rv once
    assert not [
        c for c in briefing.stories[0].conflicts if {s.article_id for s in c.sides} == {rx.article.id, twin.article.id}
    ]
