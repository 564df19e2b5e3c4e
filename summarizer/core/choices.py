"""What an article lets a summary quote, date and count: its own quotations, date expressions
and numbers, as written, and the sentences that give each date. Pure code.

A small model fills every list it is given. Asked for dates, figures and quotes in an article
that has few or none, the embedded 1.5B wrote dates the article never gives ("2023-04-10",
six times), sentences as dates, names as figures and narration as quotes: on the tuning
documents (bench/labels/tune, 25 SummaC articles, labelled by hand) 61 of 96 dates, 45 of 90
figure values and 25 of 53 quotes were wrong, most of them values that are not in the article
at all. A grammar can say what the article holds:
:func:`summarizer.core.narrowing.narrow_schema` turns each quote, date and quantity field into
a choice among the article's own strings (an ``enum``) and caps each list of them at what the
article offers, so a decoder constrained by the schema
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
  a figure), and those of a phone number are none (on the tuning documents the model wrote
  "13 11 14" as the figure 13 with the unit "11 14").
- Events: a date and its event are chosen together. The object holding them becomes (in
  :mod:`~summarizer.core.narrowing`) one ``anyOf`` branch per distinct date, whose event is a
  sentence of the article holding that date (or, when the sentence is over the event's length
  bound, its longest runs of clauses around the date that fit). On the tuning documents, 42
  of the 96 dates the model wrote were in the article, and 9 of their events were wrong, 6 of
  them things the article does not date then (the cesium "suspected" on the Wednesday a drone
  was found); of the 33 right events, 29 are stated by a sentence that gives the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.core.kinds import Kind
from summarizer.core.name_choices import name_choices, place_choices
from summarizer.core.verify.dates import MONTHS, WEEKDAYS, numeric_dates, times
from summarizer.core.verify.numbers import UNITS
from summarizer.core.verify.quotes import quotations
from summarizer.core.verify.text import sentences

__all__ = ["ArticleChoices", "DateEvents", "article_choices"]

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
    ``names``, ``place_names``, ``name_count``: the article's names, those it does not give a
    person, and its distinct runs of capitalised words (:mod:`summarizer.core.name_choices`);
    None when the article writes no capitals.
    """

    quotes: tuple[str, ...]
    dates: tuple[str, ...]
    figures: tuple[str, ...]
    quote_count: int
    date_count: int
    figure_count: int
    date_events: tuple[DateEvents, ...] = ()
    names: tuple[str, ...] | None = None
    place_names: tuple[str, ...] | None = None
    name_count: int = 0

    def of(self, kind: Kind, entity: str | None = None) -> tuple[tuple[str, ...], int] | None:
        """The values and the item cap for a field of ``kind``.

        Returns:
            The values and the cap (a name marked for ``entity`` "place" takes
            :attr:`place_names`); None for a kind not narrowed, and for names in an article
            that writes no capitals.
        """
        if kind is Kind.NAME:
            found = self.place_names if entity == "place" else self.names
            return None if found is None else (found, self.name_count)
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
# an age ("a 13-year-old") is no date: 12 of the 206 date expressions on the tuning documents
_DATE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in _DATE_PATTERNS) + r")(?![\w]|-old\b)", re.I)
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


# a phone number: three or more groups of digits ("13 11 14", "1300 224 636", "1-800-273-8255");
# not a number written with spaces between its thousands ("2 500 000")
_PHONE = re.compile(r"(?<![\w.,+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,5}(?:[ .-]\d{2,5}){2,}(?![\w]|[.,]\d)")
_THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+")


def _phone_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PHONE.finditer(text) if not _THOUSANDS.fullmatch(m.group())]


def _figure_choices(text: str, dates: list[tuple[int, int]]) -> tuple[tuple[str, ...], int]:
    skipped = dates + _phone_spans(text)  # a date's numbers are dates, a phone number's none

    def skip(i: int) -> bool:
        return any(a <= i < b for a, b in skipped)

    out: list[str] = []
    distinct: set[str] = set()
    for m in _DIGITS.finditer(text):
        if skip(m.start(2)):
            continue
        core = m.group(2) + (m.group(3) or "")
        with_scale = core + (m.group(4) or "")
        out += [core, with_scale, (m.group(1) or "") + with_scale]
        distinct.add(with_scale.lower())
    for m in _WORD_RUN.finditer(text):
        if not skip(m.start()):
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
    found = name_choices(text)
    names, name_count = found if found is not None else (None, 0)
    places = place_choices(text, names) if names is not None else None
    return ArticleChoices(
        quotes, dates, figures, quote_count, date_count, figure_count, date_events, names, places, name_count
    )
