"""Briefing across sources: stories, corroborated facts, conflicts, for any schema. Pure code.

Built from the verdicts alone, by field kind, so summaries made with any schema (and with
different schemas) can be briefed together; facts are compared only where their kinds
match. Only *supported* leaves become facts:

- claims (kind ``claim``); names of persons, organisations and places (``name`` leaves, typed
  by the schema or by the entity-kind field beside them); quantities and dates with what they
  count or what happened then (``quantity``/``counts``, ``date``/``event``); quotes whose
  speaker is also supported (``quote``/``speaker``).

Articles are grouped into stories by the overlap of their names and top-level claims (those
outside lists: a headline, a summary). Within a story:

- facts from different articles that say the same thing merge, and count their sources (one
  text under two ids counts once: see ``duplicate_of``);
- conflicts: two articles give different numbers, dates or times for the same thing (same
  unit and overlapping description), or different names for one place or organisation (the
  names share two or more words, neither contains the other);
- a name of a place or organisation (two words or more), or a number with a unit, that only
  one summary gives is also looked for in the other articles' own text (a run of capitalised
  words sharing two of its words, unless that article also writes the name in full; a
  sentence with the same unit, a different number and a word of the same description);
- the venues and places each article's own text names (capitalised runs ending in a place
  word: "Sofitel Legend Metropole Hotel") are compared across the story's articles the same
  way, whatever the summaries kept, since small models leave such details out; so are the
  numbers with a unit of their texts ("260 days" against "261 days"): same unit, different
  number, sentences sharing two described words, one of them not a name ("obstacles"), and
  neither article giving the other's number with that unit.

A conflict's side from an article's text has path ``text`` and quotes it with offsets.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from summarizer.core.kinds import Kind, Status
from summarizer.core.records import SummaryRecord
from summarizer.core.spans import Span
from summarizer.core.verify.checks import HONORIFICS
from summarizer.core.verify.entity_signals import PLACE_WORDS
from summarizer.core.verify.text import STOPWORDS, quantities, sentences, stem, words
from summarizer.core.verify.walker import Verdict

__all__ = ["Briefing", "Conflict", "Fact", "FactKind", "SourceRef", "Story", "build_briefing"]

# Jaccard similarities, chosen and not fitted: two articles whose signatures (the stems of
# their supported names and top-level claims) reach STORY_SIMILARITY are one story; two claims
# whose word stems reach SAME_CLAIM are one fact. A lower story threshold merges stories that
# share a few names, a higher one splits the reports of one event; a lower claim threshold
# merges different claims about the same people.
STORY_SIMILARITY = 0.2
SAME_CLAIM = 0.5
_GENERIC = frozenset("ago about around or so some nearly almost more than less over under".split())
_DURATION_UNITS = frozenset(stem(u) for u in "seconds minutes hours days weeks months years".split())


class FactKind(StrEnum):
    """What a fact states: a claim, a name (of a person, an organisation, a place, or untyped),
    a quantity (a number, date, time or duration with what it describes), or a quote."""

    CLAIM = "claim"
    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    NAME = "name"  # a name whose schema does not say what it names
    QUANTITY = "quantity"  # numbers, dates, times and durations, with what they describe
    QUOTE = "quote"


class ConflictKind(StrEnum):
    """What two sources disagree on: a number, a date, a clock time, or the name of one place or
    organisation."""

    NUMBER = "number"
    DATE = "date"
    TIME = "time"
    NAME = "name"


class SourceRef(BaseModel):
    """One article's side of a fact or a conflict: the value as shown (a quantity with what it
    describes, a quote with its speaker) and its spans, half-open character offsets into that
    article's text."""

    article_id: str
    path: str = Field(description="Field path in that article's summary, or 'text' for its article text.")
    value: str
    spans: list[Span] = Field(default_factory=list)


class Fact(BaseModel):
    """A statement supported in the story's articles, merged across the articles that say the
    same thing; ``single_source`` is true when one article text states it."""

    kind: FactKind
    text: str
    sources: list[SourceRef]
    corroboration: int = Field(description="Distinct article texts stating it.")
    single_source: bool


class Conflict(BaseModel):
    """Two sources that disagree about one thing. ``topic`` holds what the sides share: the
    words of two names, or the described word stems (else the unit) of two quantities."""

    kind: ConflictKind
    topic: str
    sides: list[SourceRef]


class Story(BaseModel):
    """Articles about one event. ``id``: 12 hex digits of a sha256 over its article texts (the
    same texts give the same id); ``headline``: the first supported top-level claim of its
    best-grounded article; ``facts``: most corroborated first."""

    id: str
    headline: str
    articles: list[str]
    facts: list[Fact]
    conflicts: list[Conflict]


class Briefing(BaseModel):
    """Every story across a set of summary records. ``generated_at``: ISO 8601 in UTC, to the
    second; ``stories``: the story with most articles first."""

    generated_at: str
    articles: int = Field(description="Distinct article texts (the same text under two ids counts once).")
    stories: list[Story]


def _name_words(text: str) -> frozenset[str]:
    """Lower-cased words, hyphenated ones split, without "the": how names are compared."""
    return frozenset(w for w, _, _ in words(text.replace("-", " ")) if w != "the")


class _Item:
    """One verified fact of one article, ready to compare."""

    def __init__(self, kind: FactKind, text: str, ref: SourceRef, source: str, topic: str = "", unit: str = "") -> None:
        self.kind, self.text, self.ref, self.source = kind, text, ref, source
        self.tokens = _name_words(text)
        self.stems = frozenset(stem(w) for w in self.tokens if w not in STOPWORDS)
        self.topic = frozenset(stem(w) for w, _, _ in words(topic) if w not in STOPWORDS | _GENERIC)
        self.unit = stem(unit.lower()) if unit else ""
        self.quantities = frozenset(q for q, _, _ in quantities(text))
        # a person's identifying words: no titles, no initials ("U. S. President Donald Trump"
        # and "US President Donald Trump" are both {donald, trump})
        self.name = frozenset(w for w in self.tokens if len(w) > 2 and w not in HONORIFICS)


_NAME_KINDS = {"person": FactKind.PERSON, "organisation": FactKind.ORGANISATION, "place": FactKind.PLACE}


def _unit_of(value: str) -> str:
    """A quantity's unit: its first word that is not a number ("261 days" -> "days")."""
    return next((w for w, _, _ in words(value) if not w.isdigit() and not quantities(w)), "")


def _items(record: SummaryRecord, source: str) -> list[_Item]:
    ok = {v.path: v for v in record.verification.verdicts if v.status is Status.SUPPORTED}
    described: dict[str, Verdict] = {v.describes: v for v in ok.values() if v.describes}
    aid = record.article.id

    def ref(v: Verdict, value: str | None = None) -> SourceRef:
        return SourceRef(article_id=aid, path=v.path, value=value or v.value, spans=v.spans)

    out: list[_Item] = []
    for v in ok.values():
        if v.kind is Kind.CLAIM:
            out.append(_Item(FactKind.CLAIM, v.value, ref(v), source))
        elif v.kind is Kind.NAME:
            out.append(_Item(_NAME_KINDS.get(v.entity or "", FactKind.NAME), v.value, ref(v), source))
        elif v.kind in (Kind.QUANTITY, Kind.DATE):
            about = described.get(v.path)
            topic = about.value if about else ""
            unit = _unit_of(v.value)
            if v.kind is Kind.DATE and stem(unit) not in _DURATION_UNITS:
                unit = ""
            shown = (
                f"{v.value} ({topic})"
                if v.kind is Kind.QUANTITY and topic
                else f"{v.value}: {topic}"
                if topic
                else v.value
            )
            out.append(_Item(FactKind.QUANTITY, v.value, ref(v, shown), source, topic, unit))
        elif v.kind is Kind.QUOTE and (speaker := described.get(v.path)) is not None:
            out.append(_Item(FactKind.QUOTE, v.value, ref(v, f"{speaker.value}: {v.value}"), source))
    return out


def _signature(record: SummaryRecord, items: list[_Item]) -> frozenset[str]:
    sig = {
        stem(w)
        for it in items
        if it.kind in _NAME_KINDS.values() or it.kind is FactKind.NAME
        for w in it.tokens
        if w not in STOPWORDS
    }
    for v in record.verification.verdicts:  # top-level claims: a headline, a summary
        if v.kind is Kind.CLAIM and v.status is Status.SUPPORTED and "[" not in v.path:
            sig |= {stem(w) for w, _, _ in words(v.value) if w not in STOPWORDS}
    return frozenset(sig)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _group(sigs: list[frozenset[str]]) -> list[list[int]]:
    parent = list(range(len(sigs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(sigs)):
        for j in range(i + 1, len(sigs)):
            if _jaccard(sigs[i], sigs[j]) >= STORY_SIMILARITY:
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(sigs)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _same(a: _Item, b: _Item) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind is FactKind.PERSON:
        x, y = (a.name, b.name) if a.name and b.name else (a.tokens, b.tokens)
        return x <= y or y <= x
    if a.kind in (FactKind.PLACE, FactKind.ORGANISATION, FactKind.NAME, FactKind.QUOTE):
        return a.tokens == b.tokens
    if a.kind is FactKind.QUANTITY:
        return a.quantities == b.quantities and _same_topic(a, b)
    return _jaccard(a.stems, b.stems) >= SAME_CLAIM


def _same_topic(a: _Item, b: _Item) -> bool:
    if a.unit and b.unit and a.unit != b.unit:
        return False
    return bool(a.topic & b.topic) or (bool(a.unit) and a.unit == b.unit)


def _conflict(a: _Item, b: _Item) -> Conflict | None:
    if a.source == b.source or a.kind != b.kind:
        return None
    if (
        a.kind is FactKind.QUANTITY
        and a.quantities
        and b.quantities
        and a.quantities != b.quantities
        and _same_topic(a, b)
    ):
        qs = a.quantities | b.quantities
        kind = (
            ConflictKind.TIME
            if any(q.startswith("time:") for q in qs)
            else ConflictKind.DATE
            if any(q.startswith(("month:", "weekday:")) for q in qs)
            else ConflictKind.NUMBER
        )
        topic = " ".join(sorted(a.topic & b.topic)) or a.unit
        return Conflict(kind=kind, topic=topic, sides=[a.ref, b.ref])
    if a.kind in (FactKind.PLACE, FactKind.ORGANISATION) and _names_differ(a.tokens, b.tokens):
        return Conflict(kind=ConflictKind.NAME, topic=" ".join(sorted(a.tokens & b.tokens)), sides=[a.ref, b.ref])
    return None


def _names_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two names for one thing: they share two or more words and neither holds the other."""
    return a != b and not (a <= b or b <= a) and len(a & b) >= 2


_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)+")


def _text_ref(record: SummaryRecord, start: int, end: int, value: str | None = None) -> SourceRef:
    text = record.article.text
    return SourceRef(
        article_id=record.article.id,
        path="text",
        value=value or text[start:end],
        spans=[Span.of(text, start, end)],
    )


def _name_in_text(a: _Item, record: SummaryRecord) -> Conflict | None:
    """Another name in ``record``'s article for ``a``'s place or organisation.

    Returns:
        A conflict between ``a`` and the first capitalised run of that article that shares two
        or more words with it, neither name holding the other; None when there is none, or
        when that article also writes ``a``'s own name in full.
    """
    found: Conflict | None = None
    for m in _CAPITALISED_RUN.finditer(record.article.text):
        run = _name_words(m.group())
        if a.tokens <= run:
            return None  # the other source uses this name too
        if found is None and _names_differ(a.tokens, run):
            found = Conflict(
                kind=ConflictKind.NAME,
                topic=" ".join(sorted(a.tokens & run)),
                sides=[a.ref, _text_ref(record, m.start(), m.end())],
            )
    return found


def _number_in_text(a: _Item, record: SummaryRecord) -> Conflict | None:
    """A sentence of ``record``'s article giving another number of ``a``'s unit for its topic."""
    text = record.article.text
    best: tuple[int, Conflict | None] = (0, None)
    for sent in sentences(text):
        shared = a.topic & {stem(w) for w, _, _ in words(sent.text)}
        for q, qs, qe in quantities(sent.text):
            after = words(sent.text[qe : qe + 40])
            # "260 days", not "a two-day summit" (a compound modifier describes something else)
            if not after or stem(after[0][0]) != a.unit or "-" in sent.text[qe : qe + after[0][1]]:
                continue
            if q in a.quantities:
                return None  # the other source gives the same number somewhere: agreement
            if len(shared) <= best[0]:
                continue
            ref = _text_ref(record, sent.start + qs, sent.start + qe + after[0][2], sent.text)
            best = (len(shared), Conflict(kind=ConflictKind.NUMBER, topic=" ".join(sorted(shared)), sides=[a.ref, ref]))
    return best[1]


def _in_text(a: _Item, record: SummaryRecord) -> Conflict | None:
    if a.kind in (FactKind.PLACE, FactKind.ORGANISATION) and len(a.tokens) >= 2:
        return _name_in_text(a, record)
    if a.kind is FactKind.QUANTITY and a.unit and a.quantities and a.topic:
        return _number_in_text(a, record)
    return None


def _venues(record: SummaryRecord) -> list[tuple[frozenset[str], int, int]]:
    """Named places of the article's own text: capitalised runs ending in a place word."""
    out = []
    for m in _CAPITALISED_RUN.finditer(record.article.text):
        last = words(m.group())[-1][0]
        if last in PLACE_WORDS and len(_name_words(m.group())) >= 2:
            out.append((_name_words(m.group()), m.start(), m.end()))
    return out


def _venue_conflicts(records: list[SummaryRecord], sources: dict[str, str]) -> list[Conflict]:
    """The same venue named differently by two articles' texts (each writes only its own)."""
    found: list[Conflict] = []
    named = [(r, _venues(r)) for r in records]
    for i, (ra, va) in enumerate(named):
        for rb, vb in named[i + 1 :]:
            if sources[ra.article.id] == sources[rb.article.id]:
                continue
            words_a = set().union(*(w for w, _, _ in va)) if va else set()
            words_b = set().union(*(w for w, _, _ in vb)) if vb else set()
            for wa, sa, ea in va:
                for wb, sb, eb in vb:
                    if _names_differ(wa, wb) and not wa <= words_b and not wb <= words_a:
                        found.append(
                            Conflict(
                                kind=ConflictKind.NAME,
                                topic=" ".join(sorted(wa & wb)),
                                sides=[_text_ref(ra, sa, ea), _text_ref(rb, sb, eb)],
                            )
                        )
    unique: dict[tuple[str, ...], Conflict] = {}
    for c in found:
        unique.setdefault(tuple(s.value for s in c.sides), c)
    return list(unique.values())


def _measures(record: SummaryRecord) -> list[tuple[str, str, frozenset[str], frozenset[str], int, int]]:
    """Every number with a unit word after it in the article's own text ("260 days", not "two-day").

    Returns:
        (number token, unit stem, described stems, stems of the described words written in
        lower case, start, end) per mention; ``start:end`` are half-open character offsets
        into the article text, from the number to the end of its unit word.
    """
    out = []
    for sent in sentences(record.article.text):
        described = [(w, stem(w)) for w, _, _ in words(sent.text) if w.lower() not in STOPWORDS | _GENERIC]
        for q, qs, qe in quantities(sent.text):
            after = words(sent.text[qe : qe + 40])
            if not after or quantities(after[0][0]) or "-" in sent.text[qe : qe + after[0][1]]:
                continue
            unit = stem(after[0][0])
            stems = frozenset(s for w, s in described if s != unit and not quantities(w))
            lower = frozenset(s for w, s in described if s != unit and not quantities(w) and w[0].islower())
            out.append((q, unit, stems, lower, sent.start + qs, sent.start + qe + after[0][2]))
    return out


def _number_conflicts(records: list[SummaryRecord], sources: dict[str, str]) -> list[Conflict]:
    """The same measure given differently by two articles' texts.

    Returns:
        For each mention of one article, a conflict with the other article's best-matching
        mention of the same unit (most shared described words, at least two, one of them
        written in lower case), when the numbers differ and neither article also gives the
        other's number with that unit.
    """
    found: list[Conflict] = []
    measured = [(r, _measures(r)) for r in records]
    for i, (ra, ma) in enumerate(measured):
        for rb, mb in measured[i + 1 :]:
            if sources[ra.article.id] == sources[rb.article.id]:
                continue
            for qa, ua, sa, la, a0, a1 in ma:
                if any(q == qa and u == ua for q, u, *_ in mb):
                    continue  # the other article gives this number too
                best = max(
                    (
                        (len(sa & sb), sa & sb, (qb, b0, b1))
                        for qb, ub, sb, lb, b0, b1 in mb
                        if ub == ua
                        and qb != qa
                        and not any(q == qb and u == ub for q, u, *_ in ma)
                        and len(sa & sb) >= 2
                        and la & lb
                    ),
                    default=None,
                    key=lambda x: x[0],
                )
                if best:
                    _, shared, (_, b0, b1) = best
                    found.append(
                        Conflict(
                            kind=ConflictKind.NUMBER,
                            topic=" ".join(sorted(shared)),
                            sides=[_text_ref(ra, a0, a1), _text_ref(rb, b0, b1)],
                        )
                    )
    return found


def _story(records: list[SummaryRecord], sources: dict[str, str]) -> Story:
    items = [it for r in records for it in _items(r, sources[r.article.id])]
    facts: list[tuple[_Item, list[_Item]]] = []
    for it in items:
        for head, members in facts:
            if _same(head, it):
                members.append(it)
                break
        else:
            facts.append((it, [it]))
    conflicts: list[Conflict] = []
    seen: set[tuple[str, ...]] = set()
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            c = _conflict(a, b)
            pair = tuple(sorted((f"{a.ref.article_id}/{a.ref.path}", f"{b.ref.article_id}/{b.ref.path}")))
            if c and pair not in seen:
                seen.add(pair)
                conflicts.append(c)
    for head, members in facts:  # one-source names and numbers against the other articles' text
        if len({m.source for m in members}) == 1 and not any(head.ref in c.sides for c in conflicts):
            for r in records:
                if sources[r.article.id] != head.source and (c := _in_text(head, r)):
                    conflicts.append(c)
    shown = {(s.article_id, s.value) for c in conflicts for s in c.sides}
    conflicts += [
        c
        for c in _venue_conflicts(records, sources)
        if not all((s.article_id, s.value) in shown for s in c.sides)
        and not any(c.topic == d.topic and d.kind is ConflictKind.NAME for d in conflicts)
    ]
    shown = {(s.article_id, s.value) for c in conflicts for s in c.sides}
    numbers = {
        (s.article_id, q)
        for c in conflicts
        if c.kind is ConflictKind.NUMBER
        for s in c.sides
        for q, _, _ in quantities(s.value)
    }
    conflicts += [
        c
        for c in _number_conflicts(records, sources)
        if not all((s.article_id, s.value) in shown for s in c.sides)
        and not all(any((s.article_id, q) in numbers for q, _, _ in quantities(s.value)) for s in c.sides)
    ]
    out_facts = []
    for head, members in facts:
        n = len({m.source for m in members})
        out_facts.append(
            Fact(
                kind=head.kind,
                text=head.ref.value,
                sources=[m.ref for m in members],
                corroboration=n,
                single_source=n == 1,
            )
        )
    out_facts.sort(key=lambda f: (-f.corroboration, f.kind.value))
    best = max(records, key=lambda r: r.verification.grounding_rate)
    top = next(
        (
            v.value
            for v in best.verification.verdicts
            if v.kind is Kind.CLAIM and v.status is Status.SUPPORTED and "[" not in v.path
        ),
        None,
    )
    headline = top or next(
        (f.text for f in out_facts if f.kind is FactKind.CLAIM), best.article.title or best.article.id
    )
    ids = [r.article.id for r in records]
    story_id = hashlib.sha256("\n".join(sorted(r.article.sha256 for r in records)).encode()).hexdigest()[:12]
    return Story(id=story_id, headline=headline, articles=ids, facts=out_facts, conflicts=conflicts)


def build_briefing(records: list[SummaryRecord]) -> Briefing:
    """Stories across ``records``, built from their verdicts alone.

    The same article text under several ids (or summarised twice) is one source: its facts never
    corroborate each other.

    Args:
        records: Summary records, of any schema or several.

    Returns:
        The briefing, stamped with the current time; ``articles`` counts distinct article texts.
    """
    sources = {r.article.id: r.article.sha256 for r in records}
    sigs = [_signature(r, _items(r, sources[r.article.id])) for r in records]
    stories = [_story([records[i] for i in group], sources) for group in _group(sigs)]
    stories.sort(key=lambda s: -len(s.articles))
    return Briefing(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        articles=len(set(sources.values())),
        stories=stories,
    )
