"""Dates and times in text, as quantity tokens. Pure code (no I/O).

Tokens (see :mod:`summarizer.core.verify.quantities` for how alternatives are written):

- a month name or abbreviation ("February", "Feb.", "Sept") gives ``"month:2"``; a weekday
  ("Thursday", "Thu", "Thurs.") gives ``"weekday:3"`` (Monday is 0);
- a time ("6:30 p.m.", "18:30") gives ``"time:18:30"``;
- a whole date gives ``"date:2020-11-10|10&month:11&2020"``: the date itself, or else its day,
  month and year found anywhere (an article may write them apart). Whole dates are the
  numeric forms (ISO "2020-11-10", dotted day-first "10.11.2020", slashed "10/11/2020") and
  day, month name and year written together ("10 November 2020", "Nov. 10, 2020").

A slashed date valid in both readings ("03/04/2020": 3 April or March 4) gives both dates and
its year, never the separate days and months, so a wrong day or month is never supported.
Numeric candidates are read by ``dateparser`` (each distinct string once, cached); a reading is
kept only when its day, month and year are the fields as written.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import pairwise

import dateparser

from summarizer.core.spans import Token

__all__ = ["MONTHS", "TIME_WORDS", "WEEKDAYS", "date_token", "join_dates", "numeric_dates", "times"]

MONTHS: dict[str, int] = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
WEEKDAYS: dict[str, int] = {
    d: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed", "weds"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for d in names
}

# yyyy-mm-dd; d.m.yyyy (day first); a/b/yyyy or a/b/yy (either reading)
_NUMERIC_DATE = re.compile(
    r"(?<![\w.,/-])(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}))"
    r"(?!\w|[./-]\d)"
)
_DATE_HINT = re.compile(r"\d[-./]\d{1,2}[-./]\d")  # a cheap scan first: most texts hold no such date
_TIME = re.compile(r"\b(\d{1,2})[:.](\d{2})\s*([ap])\.?\s?m\b\.?|\b(\d{1,2}):(\d{2})\b", re.I)
_ORDERS = {"iso": ("YMD",), "dotted": ("DMY",), "slashed": ("DMY", "MDY")}


def date_token(dates: list[tuple[int, int, int]]) -> str:
    """The token of a date read one or more ways.

    Args:
        dates: The readings, as (year, month, day).

    Returns:
        For one reading, the date or its three parts: ``[(2020, 11, 10)]`` ->
        ``"date:2020-11-10|10&month:11&2020"``; for two, either date: ``"date:...|date:..."``.
    """
    if len(dates) == 1:
        y, m, d = dates[0]
        return f"date:{y}-{m}-{d}|{d}&month:{m}&{y}"
    return "|".join(f"date:{y}-{m}-{d}" for y, m, d in dates)


@lru_cache(maxsize=4096)
def _readings(candidate: str, shape: str) -> tuple[tuple[int, int, int], ...]:
    """The valid (year, month, day) readings of a numeric date, in the orders its shape allows."""
    fields = [int(x) for x in re.split(r"[./-]", candidate)]
    out: list[tuple[int, int, int]] = []
    for order in _ORDERS[shape]:
        parsed = dateparser.parse(candidate, languages=["en"], settings={"DATE_ORDER": order, "STRICT_PARSING": True})
        if parsed is None:
            continue
        want = dict(zip(order, fields, strict=True))
        if parsed.day == want["D"] and parsed.month == want["M"] and parsed.year % 100 == want["Y"] % 100:
            reading = (parsed.year, parsed.month, parsed.day)
            if reading not in out:
                out.append(reading)
    return tuple(out)


def numeric_dates(text: str) -> list[Token]:
    """Whole dates written in figures ("2020-11-10", "10.11.2020", "10/11/2020").

    Returns:
        ``(token, start, end)`` per date in text order, ``start:end`` half-open character
        offsets of the whole date in ``text``; a date with two readings also gives its year
        as a token of its own, with the same offsets.
    """
    found: list[Token] = []
    end = 0
    for hint in _DATE_HINT.finditer(text):
        at = max(end, hint.start() - 3)
        m = _NUMERIC_DATE.search(text, at, hint.end() + 8)
        if m is None or m.start() > hint.start():
            continue
        end = m.end()
        shape = "iso" if m.group(1) else "dotted" if m.group(4) else "slashed"
        readings = _readings(m.group(), shape)
        if not readings:
            continue
        found.append(Token(date_token(list(readings)), m.start(), m.end()))
        if len(readings) > 1:
            found.append(Token(str(readings[0][0]), m.start(), m.end()))
    return found


def times(text: str) -> list[Token]:
    """Clock times as ``(token, start, end)``: ``"6:30 p.m."`` and ``"18:30"`` both give ``"time:18:30"``."""
    found = []
    for m in _TIME.finditer(text):
        if m.group(1):
            hour, minute, ampm = int(m.group(1)), int(m.group(2)), m.group(3).lower()
            hour = hour % 12 + (12 if ampm == "p" else 0)
        else:
            hour, minute = int(m.group(4)), int(m.group(5))
        found.append(Token(f"time:{hour}:{minute:02d}", m.start(), m.end()))
    return found


_GAP = re.compile(r"^(?:st|nd|rd|th)?\.?,?\s+(?:of\s+)?$", re.I)


def _day(token: str) -> int | None:
    return int(token) if token.isdigit() and 1 <= int(token) <= 31 else None


def join_dates(text: str, found: list[Token]) -> list[Token]:
    """Day, month and year tokens written together ("10 November 2020", "Nov. 10, 2020") as one
    whole-date token.

    Args:
        text: The text the tokens were read from.
        found: ``(token, start, end)`` tokens of ``text``, sorted by ``start``.

    Returns:
        ``found`` with each such run of three replaced by one token spanning all three
        (half-open character offsets); a day that is not valid for its month stays apart.
    """
    out: list[Token] = []
    i = 0
    while i < len(found):
        trio = found[i : i + 3]
        joined: Token | None = None
        month: int | None = None
        day: int | None = None
        if len(trio) == 3 and all(_GAP.match(text[a.end : b.start]) for a, b in pairwise(trio)):
            (t1, _, _), (t2, _, _), (t3, _, _) = trio
            if t1.startswith("month:") and _day(t2):
                month, day = int(t1[6:]), _day(t2)
            elif t2.startswith("month:") and _day(t1):
                month, day = int(t2[6:]), _day(t1)
            if month and day and t3.isdigit() and len(t3) == 4:
                try:
                    dt.date(int(t3), month, day)
                    joined = Token(date_token([(int(t3), month, day)]), trio[0].start, trio[2].end)
                except ValueError:
                    joined = None
        if joined:
            out.append(joined)
            i += 3
        else:
            out.append(found[i])
            i += 1
    return out


# English words that make a phrase a date, time or duration without a number, weekday or month
# ("every day", "months later", "last season", "Tuesday night" has its weekday already).
TIME_WORDS = frozenset(
    """day days daily week weeks weekly weekend weekends month months monthly year years yearly
    annual annually decade decades century centuries hour hours minute minutes morning mornings
    afternoon afternoons evening evenings night nights tonight today yesterday tomorrow noon
    midnight dawn dusk overnight ago later earlier recently soon now currently meanwhile since
    season seasons spring summer autumn fall winter quarter quarters term terms era period
    periods christmas easter ramadan eid diwali hanukkah thanksgiving holiday holidays""".split()
)
