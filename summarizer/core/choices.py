"""What an article lets a summary quote, date and count: its own quotations, date expressions
and numbers, as written, and a JSON Schema narrowed to them. Pure code.

A small model fills every list it is given. Asked for dates, figures and quotes in an article
that has few or none, the embedded 1.5B wrote dates the article never gives ("2023-04-10",
six times), sentences as dates, names as figures and narration as quotes: on the tuning
documents (bench/labels/tune, 25 SummaC articles, labelled by hand) 61 of 96 dates, 45 of 90
figure values and 25 of 53 quotes were wrong, most of them values that are not in the article
at all. A grammar can say what the article holds: :func:`narrow_schema` turns each quote,
date and quantity field into a choice among the article's own strings (an ``enum``) and caps
each list of them at what the article offers, so a decoder constrained by the schema
(llama.cpp's grammar, any server that honours ``enum``) can write only what is there. Which
item a value is paired with, and what it is said to count or mark, stay the model's to get
right, and the verifier's to check, with one exception: an event is the article's sentence that
gives its date (see below).

- Quotations: every passage inside quotation marks (:func:`~summarizer.core.verify.quotes.quotations`)
  of at least three words, whole, and each run of its sentences; without a trailing comma or
  semicolon, with and without a full stop.
- Dates: weekdays (with "morning", "night" ...), month names with their day and year, years,
  decades, numeric dates, clock times, and phrases of time ("last week", "two years ago",
  "months later", "every day", "yesterday").
- Figures: numbers in digits as written ("8,480", "4.8"), with a currency sign before them
  ("$137,000") and a scale word after them ("2 million"), and runs of number words ("six",
  "twenty-one"); the numbers inside a date expression are dates, not figures (a year never is
  a figure).
- Events: a date and its event are chosen together. The object holding them becomes one
  ``anyOf`` branch per distinct date, whose event is a sentence of the article holding that
  date (or, when the sentence is over the event's length bound, its longest runs of clauses
  around the date that fit). On the tuning documents, 42 of the 96 dates the model wrote
  were in the article, and 9 of their events were wrong, 6 of them things the article does
  not date then (the cesium "suspected" on the Wednesday a drone was found); of the 33 right
  events, 29 are stated by a sentence that gives the date.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from summarizer.core.kinds import Kind
from summarizer.core.schema_plan import ModelPlan
from summarizer.core.verify.dates import MONTHS, WEEKDAYS, numeric_dates, times
from summarizer.core.verify.numbers import UNITS
from summarizer.core.verify.quotes import quotations
from summarizer.core.verify.text import sentences

__all__ = ["ArticleChoices", "DateEvents", "article_choices", "narrow_schema"]

_MIN_QUOTE_WORDS = 3
_CLAUSE_END = re.compile(r"\s*[,;:]\s")
_MIN_EVENT_WORDS = 4
_WORDS_OF = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class DateEvents:
    """One distinct date of an article and the sentences that give it.

    ``spellings``: the date's values as :attr:`ArticleChoices.dates` offers them.
    ``sentences``: each sentence holding the date, as written, with the half-open character
    offsets of the date inside it, in text order.
    """

    spellings: tuple[str, ...]
    sentences: tuple[tuple[str, int, int], ...]

    def events(self, bound: int | None) -> tuple[str, ...]:
        """The events this date may be paired with: its sentences that have at least four
        words besides the date, whole when they are at most ``bound`` characters long, else
        each longest run of their clauses (cut at a comma, semicolon or colon) that holds the
        date and fits.

        Returns:
            The events, in text order, without repeats.
        """
        out: list[str] = []
        for text, a, b in self.sentences:
            if len(_WORDS_OF.findall(text[:a] + text[b:])) < _MIN_EVENT_WORDS:
                continue  # a dateline ("February 27, 2019 | 07:56 am PT") states no event
            if bound is None or len(text) <= bound:
                out.append(text)
                continue
            cuts = [(m.start(), m.end()) for m in _CLAUSE_END.finditer(text)]
            starts = [0, *(e for _, e in cuts if e <= a)]
            ends = [*(c for c, _ in cuts if c >= b), len(text)]
            for start in starts:
                fit = [end for end in ends if end - start <= bound]
                if fit:
                    out.append(text[start : max(fit)])
        return _unique(out)


@dataclass(frozen=True)
class ArticleChoices:
    """The strings an article offers, per narrowed kind, and how many distinct things they name.

    ``quotes``, ``dates``, ``figures``: the values a field of that kind may take, as written in
    the article, in text order, without repeats. ``*_count``: how many items a list of them
    may hold at most (the quotations' sentences, the distinct date expressions, the distinct
    numbers), so one quotation is not split into as many items as it has sub-runs.
    ``date_events``: each distinct date with the sentences that give it, in text order.
    """

    quotes: tuple[str, ...]
    dates: tuple[str, ...]
    figures: tuple[str, ...]
    quote_count: int
    date_count: int
    figure_count: int
    date_events: tuple[DateEvents, ...] = ()

    def of(self, kind: Kind) -> tuple[tuple[str, ...], int] | None:
        """The values and the item cap for a field of ``kind``; None for a kind not narrowed."""
        if kind is Kind.QUOTE:
            return self.quotes, self.quote_count
        if kind is Kind.DATE:
            return self.dates, self.date_count
        if kind is Kind.QUANTITY:
            return self.figures, self.figure_count
        return None


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


# -- quotes ------------------------------------------------------------------------------------
def _quote_choices(text: str) -> tuple[tuple[str, ...], int]:
    out: list[str] = []
    pieces: set[str] = set()
    for q in quotations(text):
        if len(q.text.split()) < _MIN_QUOTE_WORDS:
            continue
        spans = sentences(q.text)
        pieces |= {s.text for s in spans}
        for i, first in enumerate(spans):
            for last in spans[i:]:
                run = q.text[first.start : last.end]
                stem = run.rstrip(",;:. ")
                out += [run, stem, stem + "."] if run.endswith(".") else [stem]
            # a sentence cut short at a comma or semicolon ("He was a great ambassador for music")
            out += [first.text[: m.start()] for m in _CLAUSE_END.finditer(first.text)]
    keep = [v for v in out if len(v.split()) >= _MIN_QUOTE_WORDS]
    return _unique([w for v in keep for w in (v, v[0].upper() + v[1:])]), len(pieces)


# -- dates -------------------------------------------------------------------------------------
_MONTH = "|".join(sorted((m for m in MONTHS if len(m) > 3 and m != "may"), key=len, reverse=True))
_MONTH_ABBR = "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
_WEEKDAY = "|".join(sorted((w for w in WEEKDAYS if len(w) > 4), key=len, reverse=True))
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_UNIT = r"(?:second|minute|hour|day|week|weekend|fortnight|month|year|decade|century|season|term)s?"
_PART = r"(?:morning|afternoon|evening|night)"
_NUMBER_WORD = (
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundreds|thousands|few|several|many|some|\d+(?:\.\d+)?)"
)
_ANY_MONTH = rf"(?:{_MONTH}|(?:{_MONTH_ABBR})\.?(?=\s*\d)|May(?=\s*\d)|(?-i:May))"
_CALENDAR = 6  # the first six patterns name a point in the calendar; the rest are spans of time
_DATE_PATTERNS = [
    rf"{_DAY}\s+(?:of\s+)?{_ANY_MONTH}(?:,?\s+{_YEAR})?",
    rf"{_ANY_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?(?!\d)",
    rf"(?:(?:early|mid|late)[- ])?{_ANY_MONTH}(?:,?\s+{_YEAR})?",
    rf"(?:(?:last|next|this|on|every|early|late)\s+)?(?:{_WEEKDAY})(?:\s+{_PART})?",
    r"(?:the\s+)?(?:1[5-9]|20)\d0s",
    rf"{_YEAR}(?:[-/]\d{{2}})?(?!\d|[,.]\d|\s*%)",
    rf"(?:(?:last|next|this|every|each|past|previous|coming|following|same|that|earlier|later)\s+)"
    rf"(?:{_UNIT}|{_PART}|spring|summer|autumn|winter)",
    rf"(?:(?:earlier|later)\s+this\s+{_UNIT})",
    rf"(?:(?:the\s+)?(?:past|last|next|first)\s+)?{_NUMBER_WORD}(?:[- ]{_UNIT})"
    r"(?:\s+(?:ago|later|earlier|before|after))?",
    rf"{_UNIT}\s+(?:ago|later|earlier)",
    r"today|yesterday|tomorrow|tonight|overnight|last\s+night",
]
_DATE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in _DATE_PATTERNS) + r")(?![\w])", re.I)
_CALENDAR_DATE = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in _DATE_PATTERNS[:_CALENDAR]) + r")(?![\w])", re.I
)
_LEAD = re.compile(r"^(?:on|the|every|each|early|late|mid)[- ]+", re.I)
_NAMED = re.compile(r"\b(?:" + "|".join(sorted((*MONTHS, *WEEKDAYS), key=len, reverse=True)) + r")\b", re.I)


def _date_spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    spans += [(t.start, t.end) for t in (*numeric_dates(text), *times(text))]
    return sorted(set(spans))


def _cased(phrase: str) -> list[str]:
    """The spellings of a date phrase a model may write (it writes "Wednesday" for "wednesday").

    Returns:
        ``phrase`` as written, with its first letter in the other case, and with its month and
        weekday names capitalised.
    """
    named = _NAMED.sub(lambda m: m.group().capitalize(), phrase)
    return [phrase, phrase[0].swapcase() + phrase[1:], named]


def _date_choices(text: str, spans: list[tuple[int, int]]) -> tuple[tuple[str, ...], int, tuple[DateEvents, ...]]:
    out: list[str] = []
    by_date: dict[str, tuple[list[str], list[tuple[str, int, int]]]] = {}
    found = sentences(text)
    for a, b in spans:
        phrase = text[a:b]
        bare = _LEAD.sub("", phrase)
        if phrase.lower().startswith("on "):  # "on Monday": the date is "Monday"
            phrase = bare
        spellings = [*_cased(phrase), *_cased(bare)]
        out += spellings
        named, held = by_date.setdefault(bare.lower(), ([], []))
        named += spellings
        held += [(s.text, a - s.start, b - s.start) for s in found if s.start <= a and b <= s.end]
    paired = tuple(DateEvents(_unique(named), tuple(dict.fromkeys(held))) for named, held in by_date.values())
    return _unique(out), len(by_date), paired


# -- figures -----------------------------------------------------------------------------------
_SCALE = r"(?:thousand|million|billion|trillion|bn|m|k)"
_DIGITS = re.compile(rf"(?<![\w.,])([$£€¥₹]\s?)?(\d{{1,3}}(?:,\d{{3}})+|\d+)(\.\d+)?(\s?{_SCALE}\b)?", re.I)
_WORDS = sorted(
    (w for w, v in UNITS.items() if v >= 2 and v == int(v) and not w.endswith(("st", "nd", "rd", "th"))),
    key=len,
    reverse=True,
)
_WORD = rf"(?:{'|'.join(_WORDS)})(?:-(?:{'|'.join(_WORDS)}|one))?"
_WORD_RUN = re.compile(
    rf"(?<![\w-])(?:{_WORD}|one(?=[\s-]+(?:hundred|thousand|million|billion|trillion)))"
    rf"(?:[\s-]+(?:and[\s-]+)?(?:{_WORD}|thousand|million|billion|trillion))*(?![\w-])",
    re.I,
)


def _figure_choices(text: str, dates: list[tuple[int, int]]) -> tuple[tuple[str, ...], int]:
    def in_date(i: int) -> bool:
        return any(a <= i < b for a, b in dates)

    out: list[str] = []
    distinct: set[str] = set()
    for m in _DIGITS.finditer(text):
        if in_date(m.start(2)):
            continue
        core = m.group(2) + (m.group(3) or "")
        with_scale = core + (m.group(4) or "")
        out += [core, with_scale, (m.group(1) or "") + with_scale]
        distinct.add(with_scale.lower())
    for m in _WORD_RUN.finditer(text):
        if not in_date(m.start()):
            out.append(m.group())
            distinct.add(m.group().lower())
    return _unique(out), len(distinct)


def article_choices(text: str) -> ArticleChoices:
    """The quotations, date expressions and numbers of ``text``, as written (see the module docstring).

    Returns:
        The choices, each kind's values in text order without repeats.
    """
    quotes, quote_count = _quote_choices(text)
    dates, date_count, date_events = _date_choices(text, _date_spans(text, _DATE))
    figures, figure_count = _figure_choices(text, _date_spans(text, _CALENDAR_DATE))
    return ArticleChoices(quotes, dates, figures, quote_count, date_count, figure_count, date_events)


# -- the schema --------------------------------------------------------------------------------
def _branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    return list(node["anyOf"]) if "anyOf" in node else [node]


def _narrow_leaf(node: dict[str, Any], values: tuple[str, ...]) -> bool:
    """Make the string branch of ``node`` an ``enum`` of the values that fit its length bound.

    Returns:
        Whether the leaf can still take a value (a string choice, or null).
    """
    nullable = any(b.get("type") == "null" for b in _branches(node))
    for branch in _branches(node):
        if branch.get("type") == "string" and not branch.get("format"):
            bound = branch.get("maxLength")
            fit = [v for v in values if bound is None or len(v) <= int(bound)]
            for key in ("type", "maxLength", "minLength", "pattern"):
                branch.pop(key, None)
            branch["enum"] = fit
            if not fit and "anyOf" in node:
                node["anyOf"] = [b for b in node["anyOf"] if b is not branch]
            return bool(fit) or nullable
        if "enum" in branch:
            return bool(branch["enum"]) or nullable
    return True


def _split_roles(obj: dict[str, Any], model: ModelPlan) -> None:
    """Let a role marked for one entity kind (``FieldKind(Kind.ROLE, entity=...)``) be written
    only beside that kind: ``obj`` becomes ``anyOf`` two objects, one whose kind field is that
    kind and one whose kind field is any other and whose role is null. Left as it is when the
    role is not nullable, or the kind field is no ``enum`` holding that kind and another.
    """
    props: dict[str, Any] = obj.get("properties", {})
    kind = next((f for f in model.fields if f.kind is Kind.ENTITY_KIND and not f.many), None)
    if kind is None or "enum" not in props.get(kind.name, {}):
        return
    for f in model.fields:
        entity = f.marker.entity if f.kind is Kind.ROLE and f.marker is not None else None
        role = props.get(f.name)
        if entity is None or f.many or role is None or not any(b.get("type") == "null" for b in _branches(role)):
            continue
        values = list(props[kind.name]["enum"])
        others = [v for v in values if v != entity]
        if entity not in values or not others:
            continue
        alone, rest = copy.deepcopy(obj), copy.deepcopy(obj)
        alone["properties"][kind.name]["enum"] = [entity]
        rest["properties"][kind.name]["enum"] = others
        rest["properties"][f.name] = {"type": "null"}
        obj.clear()
        obj["anyOf"] = [alone, rest]
        return


def _enum(node: dict[str, Any]) -> list[Any]:
    return next((list(b["enum"]) for b in _branches(node) if "enum" in b), [])


def _bound(node: dict[str, Any]) -> int | None:
    found = [int(b["maxLength"]) for b in _branches(node) if b.get("type") == "string" and "maxLength" in b]
    return found[0] if found else None


def _pair_events(obj: dict[str, Any], model: ModelPlan, choices: ArticleChoices) -> None:
    """Let a date (already narrowed to the article's) be paired only with an event the article
    gives it: ``obj`` becomes ``anyOf`` one object per distinct date, whose date field (the
    event's subject) takes that date's spellings and whose event field one of
    :meth:`DateEvents.events`. Left as it is unless ``obj`` has exactly one event field, not a
    list, and some date has an event that fits the event's length bound.
    """
    props: dict[str, Any] = obj.get("properties", {})
    found_events = [f for f in model.fields if f.kind is Kind.EVENT and f.name in props]
    if len(found_events) != 1 or found_events[0].many or found_events[0].subject not in props:
        return
    event = found_events[0]
    date = next(f for f in model.fields if f.name == event.subject)
    offered = set(_enum(props[date.name]))
    bound = _bound(props[event.name])
    pairs: list[dict[str, Any]] = []
    for found in choices.date_events:
        spellings = tuple(v for v in found.spellings if v in offered)
        events = found.events(bound)
        if not spellings or not events:
            continue
        pair = copy.deepcopy(obj)
        for branch in _branches(pair["properties"][date.name]):
            if "enum" in branch:
                branch["enum"] = list(spellings)
        _narrow_leaf(pair["properties"][event.name], events)
        pairs.append(pair)
    if pairs:
        obj.clear()
        obj["anyOf"] = pairs


def narrow_schema(schema: dict[str, Any], plan: ModelPlan, choices: ArticleChoices) -> dict[str, Any]:
    """``schema`` with every quote, date and quantity string field limited to ``choices``.

    Each such field becomes an ``enum`` of the article's values (those within its
    ``maxLength``); a list whose items hold one is capped at the number of distinct things the
    article offers of that kind (``maxItems``). Every part is narrowed only where the schema
    still admits an instance: a field with no value to take only inside a list (then capped at
    0 items) or when it may be null, and a list never below its ``minItems`` (a part that would
    break either stays as it was). Fields that are not plain strings (numbers, dates with a
    ``format``) are left as they are. In a nested object whose role is marked for one entity
    kind (``FieldKind(Kind.ROLE, entity="person")``), the role may be written only beside that
    kind: any other kind takes a null role. In a nested object with one date and one event
    field, the event is a sentence of the article that gives the date chosen
    (:meth:`DateEvents.events`).

    Args:
        schema: The JSON Schema Pydantic emits for the class ``plan`` was compiled from (or for
            a class with the same field names, such as the cited form the model is asked for).
        plan: The compiled plan, which says each field's kind.
        choices: What the article offers (:func:`article_choices`).

    Returns:
        A new schema; ``schema`` is not changed.
    """
    out = copy.deepcopy(schema)
    defs: dict[str, Any] = out.get("$defs", {})

    def target(node: dict[str, Any]) -> dict[str, Any]:
        for branch in _branches(node):
            inner = branch["allOf"][0] if "allOf" in branch and len(branch["allOf"]) == 1 else branch
            if "$ref" in inner:
                return defs[str(inner["$ref"]).rsplit("/", 1)[-1]]  # type: ignore[no-any-return]
            if inner.get("type") == "object":
                return inner
        return node

    def items(node: dict[str, Any]) -> dict[str, Any] | None:
        for branch in _branches(node):
            if branch.get("type") == "array":
                return branch
        return None

    def cap(array: dict[str, Any], most: int) -> bool:
        """Cap ``array`` at ``most`` items; False (nothing capped) when its minimum is more."""
        if int(array.get("minItems", 0)) > most:
            return False
        array["maxItems"] = min(int(array.get("maxItems", most)), most)
        return True

    def walk(obj: dict[str, Any], model: ModelPlan, listed: bool) -> int | None:
        """Narrow ``obj``'s fields; the most items a list of ``obj`` may then hold (None: no cap)."""
        props: dict[str, Any] = obj.get("properties", {})
        most: int | None = None
        for f in model.fields:
            node = props.get(f.name)
            if node is None:
                continue
            if f.model is not None:
                array = items(node) if f.many else None
                nested = target(array["items"] if array else node)
                kept = copy.deepcopy(nested)
                inner = walk(nested, f.model, listed or array is not None)
                fits = inner is None or (cap(array, inner) if array is not None else inner > 0)
                if not fits:  # no instance would be left: this part stays as it was
                    nested.clear()
                    nested.update(kept)
                _split_roles(nested, f.model)
                _pair_events(nested, f.model, choices)
                continue
            found = choices.of(f.kind) if f.kind is not None else None
            if found is None:
                continue
            values, count = found
            array = items(node) if f.many else None
            if array is not None:
                if cap(array, min(count, len(values))):
                    _narrow_leaf(array["items"], values)
            elif values or listed or any(b.get("type") == "null" for b in _branches(node)):
                takes = _narrow_leaf(node, values)
                most = 0 if not takes else count if most is None else min(count, most)
        return most

    walk(out, plan, False)
    return out
