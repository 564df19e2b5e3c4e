"""Briefing across sources: stories, corroborated facts, conflicts. Pure code.

Only *supported* fields enter a briefing (the verifier's verdicts decide), so the briefing's
own text is built from verified facts only. Articles are grouped into stories by the overlap
of their verified names, places and headline words. Within a story:

- facts from different articles that say the same thing merge, and count their sources;
- a fact only one article states is marked ``single_source``;
- conflicts: two articles give different numbers, dates or times for the same thing (same
  unit and overlapping description), or different names for one place or organisation (the
  names share two or more words, neither contains the other);
- a verified name of a place or organisation (two words or more), or a number with a unit,
  that only one summary gives is also looked for in the other articles' own text: a run of
  capitalised words sharing two of the name's words ("Sofitel Legend Metropole Hotel" against
  "Hanoi Metropole Hotel"), unless that article also writes the name in full; a sentence
  with the same unit, a different number and a word of the same description ("since he
  first met Trump 261 days ago" against "to meet again ... in 260 days or so"). Either is a
  conflict whose second side is that article's text, quoted verbatim with its offsets (path
  ``text``). Small models leave such details out of one summary far more often than they
  state them wrongly.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from .checks import HONORIFICS, Status
from .lexical import STOPWORDS, quantities, sentences, stem, words
from .records import SummaryRecord
from .verify import Span

__all__ = ["Briefing", "Conflict", "Fact", "SourceRef", "Story", "build_briefing"]

STORY_SIMILARITY = 0.2
SAME_CLAIM = 0.5
FactKind = Literal["event", "person", "organisation", "place", "quantity", "quote"]
_GENERIC = frozenset("ago about around or so some nearly almost more than less over under".split())


class SourceRef(BaseModel):
    article_id: str
    path: str = Field(description="Field path in that article's summary.")
    value: str
    spans: list[Span] = Field(default_factory=list)


class Fact(BaseModel):
    kind: FactKind
    text: str
    sources: list[SourceRef]
    corroboration: int = Field(description="Distinct articles stating it.")
    single_source: bool


class Conflict(BaseModel):
    kind: Literal["number", "date", "time", "name"]
    topic: str
    sides: list[SourceRef]


class Story(BaseModel):
    id: str
    headline: str
    articles: list[str]
    facts: list[Fact]
    conflicts: list[Conflict]


class Briefing(BaseModel):
    generated_at: str
    articles: int
    stories: list[Story]


def _name_words(text: str) -> frozenset[str]:
    """Lower-cased words, hyphenated ones split, without "the": how names are compared."""
    return frozenset(w for w, _, _ in words(text.replace("-", " ")) if w != "the")


class _Item:
    """One verified field value, ready to compare."""

    def __init__(self, kind: FactKind, text: str, ref: SourceRef, topic: str = "", unit: str = "") -> None:
        self.kind, self.text, self.ref = kind, text, ref
        self.tokens = _name_words(text)
        self.stems = frozenset(stem(w) for w in self.tokens if w not in STOPWORDS)
        self.topic = frozenset(stem(w) for w, _, _ in words(topic) if w not in STOPWORDS | _GENERIC)
        self.unit = stem(unit.lower()) if unit else ""
        self.quantities = frozenset(q for q, _, _ in quantities(text))
        # a person's identifying words: no titles, no initials ("U. S. President Donald Trump"
        # and "US President Donald Trump" are both {donald, trump})
        self.name = frozenset(w for w in self.tokens if len(w) > 2 and w not in HONORIFICS)


def _supported(record: SummaryRecord) -> dict[str, list[Span]]:
    return {v.path: v.spans for v in record.verification.verdicts if v.status is Status.SUPPORTED}


def _items(record: SummaryRecord) -> list[_Item]:
    ok = _supported(record)
    aid = record.article.id
    s = record.summary
    out: list[_Item] = []

    def ref(path: str, value: str) -> SourceRef:
        return SourceRef(article_id=aid, path=path, value=value, spans=ok[path])

    for i, kp in enumerate(s.key_points):
        if (p := f"key_points[{i}].text") in ok:
            out.append(_Item("event", kp.text, ref(p, kp.text)))
    for i, e in enumerate(s.entities):
        if (p := f"entities[{i}].name") in ok:
            out.append(_Item(e.kind, e.name, ref(p, e.name)))
    for i, pl in enumerate(s.places):
        if (p := f"places[{i}].name") in ok:
            out.append(_Item("place", pl.name, ref(p, pl.name)))
    for i, d in enumerate(s.dates):
        if (p := f"dates[{i}].when") in ok:
            unit = next((w for w, _, _ in words(d.when) if stem(w) in _DURATION_UNITS), "")
            out.append(_Item("quantity", d.when, ref(p, f"{d.when}: {d.event}"), d.event, unit))
    for i, f in enumerate(s.figures):
        if (p := f"figures[{i}].value") in ok:
            text = f"{f.value} {f.unit or ''}".strip()
            unit = f.unit or next((w for w, _, _ in words(f.value) if not w.isdigit()), "")
            out.append(_Item("quantity", text, ref(p, f"{text} ({f.counts})"), f.counts, unit))
    for i, q in enumerate(s.quotes):
        if (p := f"quotes[{i}].text") in ok and f"quotes[{i}].speaker" in ok:
            out.append(_Item("quote", q.text, ref(p, f"{q.speaker}: {q.text}")))
    return out


_DURATION_UNITS = frozenset(stem(u) for u in "seconds minutes hours days weeks months years".split())


def _signature(record: SummaryRecord) -> frozenset[str]:
    sig = {stem(w) for it in _items(record) if it.kind in ("person", "organisation", "place")
           for w in it.tokens if w not in STOPWORDS}
    ok = _supported(record)
    for name in ("headline", "summary"):
        if f"{name}.text" in ok:
            sig |= {stem(w) for w, _, _ in words(getattr(record.summary, name).text) if w not in STOPWORDS}
    return frozenset(sig)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _group(records: list[SummaryRecord]) -> list[list[int]]:
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sigs = [_signature(r) for r in records]
    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            if _jaccard(sigs[i], sigs[j]) >= STORY_SIMILARITY:
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(records)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _same(a: _Item, b: _Item) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind == "person":
        x, y = (a.name, b.name) if a.name and b.name else (a.tokens, b.tokens)
        return x <= y or y <= x
    if a.kind in ("place", "organisation", "quote"):
        return a.tokens == b.tokens
    if a.kind == "quantity":
        return a.quantities == b.quantities and _same_topic(a, b)
    return _jaccard(a.stems, b.stems) >= SAME_CLAIM


def _same_topic(a: _Item, b: _Item) -> bool:
    if a.unit and b.unit and a.unit != b.unit:
        return False
    return bool(a.topic & b.topic) or (bool(a.unit) and a.unit == b.unit)


def _conflict(a: _Item, b: _Item) -> Conflict | None:
    if a.ref.article_id == b.ref.article_id or a.kind != b.kind:
        return None
    if a.kind == "quantity" and a.quantities and b.quantities and a.quantities != b.quantities \
            and _same_topic(a, b):
        qs = a.quantities | b.quantities
        kind = "time" if any(q.startswith("time:") for q in qs) else \
            "date" if any(q.startswith(("month:", "weekday:")) for q in qs) else "number"
        topic = " ".join(sorted(a.topic & b.topic)) or a.unit
        return Conflict(kind=kind, topic=topic, sides=[a.ref, b.ref])
    if a.kind in ("place", "organisation") and a.tokens != b.tokens \
            and not (a.tokens <= b.tokens or b.tokens <= a.tokens) and len(a.tokens & b.tokens) >= 2:
        return Conflict(kind="name", topic=" ".join(sorted(a.tokens & b.tokens)), sides=[a.ref, b.ref])
    return None


_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)+")


def _name_in_text(a: _Item, record: SummaryRecord) -> Conflict | None:
    """Another name in ``record``'s article for ``a``'s place or organisation: a run of
    capitalised words sharing two or more of its words, neither holding the other (the rule
    for two summaries). None when the article also writes ``a``'s own name in full."""
    text = record.article.text
    found: Conflict | None = None
    for m in _CAPITALISED_RUN.finditer(text):
        run = _name_words(m.group())
        if a.tokens <= run:
            return None  # the other source uses this name too
        if found is None and len(a.tokens & run) >= 2 and not run <= a.tokens:
            side = SourceRef(article_id=record.article.id, path="text", value=m.group(),
                             spans=[Span(start=m.start(), end=m.end(), text=m.group())])
            found = Conflict(kind="name", topic=" ".join(sorted(a.tokens & run)), sides=[a.ref, side])
    return found


def _in_text(a: _Item, record: SummaryRecord) -> Conflict | None:
    """A conflict between ``a`` and the text of ``record``'s article: a place or organisation
    named otherwise, or a sentence giving another number of ``a``'s unit for ``a``'s topic."""
    if a.kind in ("place", "organisation") and len(a.tokens) >= 2:
        return _name_in_text(a, record)
    if a.kind != "quantity" or not a.unit or not a.quantities or not a.topic:
        return None
    text = record.article.text
    best: tuple[int, Conflict | None] = (0, None)
    for sent in sentences(text):
        shared = a.topic & {stem(w) for w, _, _ in words(sent.text)}
        for q, qs, qe in quantities(sent.text):
            after = words(sent.text[qe:qe + 40])
            # "260 days", not "a two-day summit" (a compound modifier describes something else)
            if not after or stem(after[0][0]) != a.unit or "-" in sent.text[qe:qe + after[0][1]]:
                continue
            if q in a.quantities:
                return None  # the other source gives the same number somewhere: agreement
            if len(shared) <= best[0]:
                continue
            start, end = sent.start + qs, sent.start + qe + after[0][2]
            side = SourceRef(article_id=record.article.id, path="text", value=sent.text,
                             spans=[Span(start=start, end=end, text=text[start:end])])
            best = (len(shared), Conflict(kind="number", topic=" ".join(sorted(shared)), sides=[a.ref, side]))
    return best[1]


def _story(records: list[SummaryRecord]) -> Story:
    items = [it for r in records for it in _items(r)]
    facts: list[tuple[_Item, list[_Item]]] = []
    for it in items:
        for head, members in facts:
            if _same(head, it):
                members.append(it)
                break
        else:
            facts.append((it, [it]))
    conflicts: list[Conflict] = []
    seen: set[tuple[str, str]] = set()
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            c = _conflict(a, b)
            pair = tuple(sorted((f"{a.ref.article_id}/{a.ref.path}", f"{b.ref.article_id}/{b.ref.path}")))
            if c and pair not in seen:
                seen.add(pair)  # type: ignore[arg-type]
                conflicts.append(c)
    for head, members in facts:  # one-summary names and numbers against the other articles' text
        if len({m.ref.article_id for m in members}) == 1 and not any(
                head.ref in c.sides for c in conflicts):
            for r in records:
                if r.article.id != head.ref.article_id and (c := _in_text(head, r)):
                    conflicts.append(c)
    out_facts = []
    for head, members in facts:
        n = len({m.ref.article_id for m in members})
        out_facts.append(Fact(kind=head.kind, text=head.ref.value, sources=[m.ref for m in members],
                              corroboration=n, single_source=n == 1))
    out_facts.sort(key=lambda f: (-f.corroboration, f.kind))
    best = max(records, key=lambda r: r.verification.grounding_rate)
    ok = _supported(best)
    headline = best.summary.headline.text if "headline.text" in ok else (
        next((f.text for f in out_facts if f.kind == "event"), best.article.title or best.article.id))
    ids = [r.article.id for r in records]
    story_id = hashlib.sha256("\n".join(sorted(r.article.sha256 for r in records)).encode()).hexdigest()[:12]
    return Story(id=story_id, headline=headline, articles=ids, facts=out_facts, conflicts=conflicts)


def build_briefing(records: list[SummaryRecord]) -> Briefing:
    stories = [_story([records[i] for i in group]) for group in _group(records)]
    stories.sort(key=lambda s: -len(s.articles))
    return Briefing(generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    articles=len(records), stories=stories)

