"""Quantity tokens: every number, date and time in a text, canonical, with offsets. Pure code.

A token is a string of alternatives separated by ``|``; each alternative is one atom or
several joined by ``&`` that must all be present. ``"4300000"`` is one reading;
``"4.3|4300000"`` is "4.3m" (millions or metres); ``"date:2020-11-10|10&month:11&2020"`` is a
whole date, found as such or as its day, month and year. What an article offers is the set of
all atoms of all its tokens (:func:`atoms`); a value's token holds when any of its
alternatives is offered in full (:func:`holds`). Numbers come from
:mod:`summarizer.core.verify.numbers`, dates and times from :mod:`summarizer.core.verify.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from decimal import Decimal

from summarizer.core.spans import Token
from summarizer.core.verify.dates import MONTHS, TIME_WORDS, WEEKDAYS, join_dates, numeric_dates, times
from summarizer.core.verify.numbers import SCALES, UNITS, figures, fmt, word_number

__all__ = ["atoms", "holds", "quantities", "readings", "says_when"]

_WORD_SCALES = frozenset(k for k in SCALES if len(k) > 3)  # thousand, million, billion, trillion
_CARDINAL = frozenset(w for w in UNITS if not w.endswith(("st", "nd", "rd", "th")) and w != "half") - {"second"}


def readings(token: str) -> list[str]:
    """Every atom a token names: ``"4.3|4300000"`` -> ``["4.3", "4300000"]``, in order."""
    return [a for alt in token.split("|") for a in alt.split("&")]


def atoms(tokens: Iterable[Token]) -> frozenset[str]:
    """What a text offers: every atom of every token."""
    return frozenset(a for t, _, _ in tokens for a in readings(t))


def holds(token: str, offered: AbstractSet[str]) -> bool:
    """Whether any alternative of ``token`` is offered in full."""
    return any(all(a in offered for a in alt.split("&")) for alt in token.split("|"))


def quantities(text: str) -> list[Token]:
    """Every number, date and time in ``text``, as canonical quantity tokens.

    Written-out numbers count too ("eight months" -> ``"8"``), so the two ways an outlet may
    write a number compare equal. Four-digit years stay numbers, so "2019" against "2018" is
    a mismatch.

    Returns:
        ``(token, start, end)`` in text order, ``start:end`` half-open character offsets into
        ``text``. Tokens: ``"261"``, ``"0.5"``, ``"-2.4"``, ``"2000000"``, ``"month:2"``,
        ``"weekday:2"``, ``"time:18:30"``, whole dates (see the module docstring).
    """
    found = numeric_dates(text)
    found += times(text)
    found += figures(text, covered=found)
    present = _CANDIDATES.intersection(_LETTERS.findall(text.lower()))  # one C-speed pass
    if present:
        found += _word_tokens(text, present)
    found.sort(key=lambda t: t.start)
    return join_dates(text, found) if any(t.startswith("month:") for t, _, _ in found) else found


def _word_tokens(text: str, present: AbstractSet[str]) -> list[Token]:
    matches = _only(present).finditer(text)
    tokens = [Token(w, m.start(), m.end()) for m in matches if (w := m.group().lower()) in present]
    found: list[Token] = []
    i = 0
    while i < len(tokens):
        w, s, e = tokens[i]
        base = w[:-1] if w.endswith("s") and w[:-1] in UNITS else w
        if w in MONTHS and (w not in ("may", "mar") or text[s].isupper()):
            found.append(Token(f"month:{MONTHS[w]}", s, e))
        elif w in WEEKDAYS and (len(w) > 3 or text[s].isupper()):
            found.append(Token(f"weekday:{WEEKDAYS[w]}", s, e))
        elif base in UNITS and (base not in ("one", "first", "second") or _scale_next(tokens, i)):
            j, value = _run(text, tokens, i, base)
            found.append(Token(fmt(value), s, tokens[j - 1].end))
            i = j
            continue
        i += 1
    return found


def _joined(text: str, a: Token, b: Token) -> bool:
    return text[a.end : b.start].strip(" -") in ("", "and")


def _run(text: str, tokens: list[Token], i: int, base: str) -> tuple[int, Decimal]:
    """The end index and value of the run of number words starting at ``tokens[i]``."""
    value = Decimal(str(UNITS[base]))
    j = i + 1
    while (
        j < len(tokens)
        and (tokens[j].value in UNITS or tokens[j].value in _WORD_SCALES)
        and _joined(text, tokens[j - 1], tokens[j])
    ):
        nxt = tokens[j].value
        if text[tokens[j - 1].end : tokens[j].start].strip(" -") == "and" and tokens[j - 1].value not in (
            "hundred",
            *_WORD_SCALES,
        ):
            break
        if nxt in _WORD_SCALES:
            value *= SCALES[nxt]
        elif nxt in ("hundred", "dozen"):
            value *= int(UNITS[nxt])
        elif UNITS[nxt] < 10 and 20 <= value < 100 and value % 10 == 0:
            value += Decimal(str(UNITS[nxt]))
        elif nxt in _CARDINAL and UNITS[nxt] < 100 and value >= 100 and value % 100 == 0:
            value += Decimal(int(UNITS[nxt]))
        else:
            break
        j += 1
    if j - i > 1 and base in _CARDINAL:  # a phrase: the library reads it, the table is the fallback
        read = word_number(text[tokens[i].start : tokens[j - 1].end])
        if read is not None:
            value = read
    return j, value


def _scale_next(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].value in _WORD_SCALES


# Only the words quantities() looks at (number words, plurals, scales, months, weekdays):
# a set lookup per alphabetic run is far cheaper than a regex alternation over all of them.
_LETTERS = re.compile(r"[a-z]+")


def _only(present: AbstractSet[str]) -> re.Pattern[str]:
    """The given words as whole words, any case: the regex engine skips every other word."""
    alts = "|".join(sorted(present, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alts})(?![^\W\d_])", re.I)


_CANDIDATES = frozenset({*UNITS, *(u + "s" for u in UNITS), *_WORD_SCALES, *MONTHS, *WEEKDAYS})


def says_when(value: str) -> bool:
    """Whether ``value`` reads as a date, time or duration in English.

    Returns:
        True when it holds a number, a weekday, a month or a time (:func:`quantities`), or
        one of :data:`~summarizer.core.verify.dates.TIME_WORDS`.
    """
    if quantities(value):
        return True
    return any(w.strip("'’") in TIME_WORDS for w in re.findall(r"[a-z'’]+", value.casefold()))
