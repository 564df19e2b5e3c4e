"""Numbers in text, as quantity tokens. Pure code (no I/O).

- Figures: ``"1,000"`` -> ``"1000"``, ``"0.50"`` -> ``"0.5"``; scale words and suffixes multiply
  ("4.3 million", "$4.3m", "800k", "2bn", "1.2 tn" -> ``"4300000"`` ...). A bare "m" after a
  number without a currency sign may be millions or metres: ``"4.3m"`` gives ``"4.3|4300000"``
  (either reading).
- Signs: a hyphen-minus or U+2212 written straight before the digits, and not after a letter
  or digit, is a minus: ``"-2.4"`` and ``"\u2212 2.4"`` (no space) give ``"-2.4"``; "737-800", "2-4",
  "COVID-19" and "1990-91" hold no negative number. An unsigned figure right after a word of
  decline ("fell 2.4%", "down by 3") gives ``"2.4|-2.4"``: the article states the fall.
- Words: runs of number words are read by ``text2num`` ("three hundred and five" -> ``"305"``,
  "twenty-one" -> ``"21"``), with a small table for what it does not read (ordinals, "dozen",
  "half"); "one", "first" and "second" count only before a scale word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from text_to_num import text2num

from summarizer.core.spans import Token

__all__ = ["SCALES", "UNITS", "figures", "fmt", "word_number"]

UNITS: dict[str, float] = {
    **{w: float(i) for i, w in enumerate("zero one two three four five six seven eight nine ten".split())},
    **{w: float(i + 11) for i, w in enumerate("eleven twelve thirteen fourteen fifteen sixteen".split())},
    **{w: float(i + 17) for i, w in enumerate("seventeen eighteen nineteen".split())},
    **{w: float(10 * (i + 2)) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())},
    "hundred": 100.0,
    "dozen": 12.0,
    **{
        w: float(i + 1)
        for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split())
    },
    "half": 0.5,
}
SCALES: dict[str, int] = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
_CURRENCY = ("$", "£", "€", "¥", "₹")
_NUM = re.compile(
    r"(?<![\w.])([-\u2212](?=\d))?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
    r"(?:(k|m|mn|bn|b|tn)\b|\s?(thousand|million|billion|trillion|mln|bln|mn|bn|tn|m)\b)?",
    re.I,
)
_FALL = frozenset(
    """fell fall falls falling dropped drop drops declined decline declines decreased decrease decreases
    down lost lose loses shrank shrunk shrinks contracted slumped plunged tumbled sank slid slipped dipped
    minus negative""".split()
)
_FILLERS = frozenset("by about around roughly nearly almost some just over".split())


def _after_fall(before: str) -> bool:
    """Whether ``before`` ends with a word of decline, perhaps then "by", "about" or a currency sign."""
    tail = before.lower().split()[-3:]
    if tail and tail[-1] in _CURRENCY:
        tail.pop()
    if tail and tail[-1] in _FILLERS:
        tail.pop()
    return bool(tail) and tail[-1] in _FALL


def fmt(value: Decimal) -> str:
    """Canonical text of a number, the form tokens are compared in.

    Returns:
        An integer without a point (``"1000"``), any other number to 6 significant digits
        (``"0.5"``, ``"4.3"``).
    """
    if value == value.to_integral_value():
        return str(int(value))
    return f"{float(value):.6g}"


def figures(text: str, covered: Sequence[Token]) -> list[Token]:
    """Numbers written in figures, as quantity tokens.

    Args:
        text: The text to read.
        covered: Half-open character ranges already read as something else (dates, times);
            a number starting inside one is skipped.

    Returns:
        ``(token, start, end)`` per number, in text order: the token as in the module
        docstring (``"4.3|4300000"``), ``start:end`` half-open character offsets into ``text``
        (the scale word or suffix included when it changes the value).
    """
    found = []
    for m in _NUM.finditer(text):
        if covered and any(a <= m.start() < b for _, a, b in covered):
            continue
        if not (m.group(1) or m.group(3) or m.group(4) or m.group(5)) and not _after_fall(
            text[max(0, m.start() - 30) : m.start()]
        ):
            found.append(Token(str(int(m.group(2).replace(",", ""))), m.start(), m.end()))  # the common case
            continue
        value = Decimal(m.group(2).replace(",", "") + ("." + m.group(3) if m.group(3) else ""))
        suffix, word = (m.group(4) or "").lower(), (m.group(5) or "").lower()
        currency = text[max(0, m.start() - 1) : m.start()] in _CURRENCY
        readings: list[Decimal] = []
        if word and (word != "m" or currency):
            readings = [value * SCALES[word]]
        elif suffix == "m" and not currency:
            readings = [value, value * SCALES["m"]]
        elif suffix and (suffix != "b" or currency):
            readings = [value * SCALES[suffix]]
        else:
            readings = [value]
        end = m.end() if len(readings) > 1 or readings[0] != value else m.end(3) if m.group(3) else m.end(2)
        if m.group(1):
            token = "|".join("-" + fmt(v) for v in readings)
        elif _after_fall(text[max(0, m.start() - 30) : m.start()]):
            token = "|".join(x for v in readings for x in (fmt(v), "-" + fmt(v)))
        else:
            token = "|".join(fmt(v) for v in readings)
        found.append(Token(token, m.start(), end))
    return found


@lru_cache(maxsize=4096)
def word_number(run: str) -> Decimal | None:
    """The value of a run of number words ("three hundred and five" -> 305).

    Returns:
        The value, or None when ``text2num`` does not read the run. Cached (4,096 runs).
    """
    try:
        return Decimal(text2num(run.lower(), "en"))
    except ValueError:
        return None
