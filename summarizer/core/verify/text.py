"""Lexical building blocks for the checks: words, sentences, numbers, dates.

Pure code, no state. Everything here works on the *original* text and returns offsets into
it, so callers can turn findings into spans.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

__all__ = [
    "STOPWORDS",
    "Sentence",
    "content_words",
    "quantities",
    "sentences",
    "stem",
    "tokens",
    "words",
]

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not of off on once only or other
    our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your yours yourself
    yourselves said says say told tell according s t d ll m re ve one us""".split()
)
NEGATIONS = frozenset("no not never none nobody nothing neither nor without n't cannot".split())

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\S)")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|St|Jr|Sr|Inc|Ltd|Co|Corp|vs|No|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|a\.m|p\.m)|\b[A-Z])\.$"
)


def words(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased word tokens with their offsets."""
    return [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)]


def tokens(text: str) -> list[str]:
    """The same tokens as :func:`words`, without offsets: a single pass for hot paths."""
    return _WORD.findall(text.lower().replace("’", "'"))


# British and American spellings of words news copy uses often; outlets and models differ.
_SPELLING = {
    "programme": "program",
    "programmes": "programs",
    "centre": "center",
    "centres": "centers",
    "theatre": "theater",
    "metre": "meter",
    "metres": "meters",
    "litre": "liter",
    "litres": "liters",
    "defence": "defense",
    "licence": "license",
    "offence": "offense",
    "colour": "color",
    "favour": "favor",
    "honour": "honor",
    "labour": "labor",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "behaviour": "behavior",
    "travelled": "traveled",
    "cancelled": "canceled",
    "jewellery": "jewelry",
    "tonne": "ton",
    "tonnes": "tons",
}


_BRITISH = (("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"), ("ise", "ize"))
_BRITISH_ENDINGS = tuple(b for b, _ in _BRITISH)
_SUFFIXES = (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def stem(word: str) -> str:
    """A light, deterministic stem: enough to match plurals and simple inflections.
    Applied until it stops changing, so "meetings" and "meeting" share a stem."""
    w = word.lower().replace("’", "'")
    w = _SPELLING.get(w, w)
    if w[-1:] not in ("s", "g", "d", "e", "n"):  # no rule below can apply
        return w
    if w.endswith(_BRITISH_ENDINGS):
        for british, american in _BRITISH:
            if w.endswith(british) and len(w) - len(british) >= 3:
                w = w[: -len(british)] + american
                break
    if w[-1:] not in ("s", "g", "d"):
        return w
    if w.endswith("'s"):
        w = w[:-2]
    for _ in range(2):
        before = w
        for suffix, keep in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
                w = w[: -len(suffix)] + keep
                break
        if w == before:
            break
    return w


def content_words(text: str) -> list[str]:
    """Stemmed words that carry content (no stopwords, no bare punctuation)."""
    return [stem(w) for w, _, _ in words(text) if w not in STOPWORDS and not w.isdigit()]


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split into sentences with offsets; newlines end sentences, abbreviations do not."""
    out: list[Sentence] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.group().strip() == "" and _ABBREV.search(text[max(pos, m.start() - 6) : m.start()]):
            continue
        _append(out, text, pos, m.start())
        pos = m.end()
    _append(out, text, pos, len(text))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    if chunk:
        out.append(Sentence(start + lead, start + lead + len(chunk), chunk))


# -- numbers, dates, times -------------------------------------------------------------------

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "half": 0.5,
}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_MONTHS = {
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
_WEEKDAYS = {
    d: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for d in names
}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_TIME = re.compile(r"\b(\d{1,2})[:.](\d{2})\s*([ap])\.?\s?m\b\.?|\b(\d{1,2}):(\d{2})\b", re.I)
_NUM = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(thousand|million|billion|trillion|bn|m)\b)?", re.I
)


def _fmt(value: float) -> str:
    return f"{value:.6g}" if value != int(value) else str(int(value))


def quantities(text: str) -> list[tuple[str, int, int]]:
    """Canonical quantity tokens with offsets: ``"261"``, ``"0.5"``, ``"2000000"``,
    ``"month:2"``, ``"weekday:2"``, ``"time:18:30"``. Written-out numbers count too
    ("eight months" -> ``"8"``), so the two ways an outlet may write a number compare equal.
    Four-digit years stay numbers, so "2019" against "2018" is a mismatch. An ISO date
    ("2019-02-27") gives the tokens of "Feb. 27, 2019"."""
    found: list[tuple[str, int, int]] = []
    covered: list[tuple[int, int]] = []
    for m in _ISO_DATE.finditer(text):
        year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            found += [
                (year, m.start(1), m.end(1)),
                (f"month:{month}", m.start(2), m.end(2)),
                (str(day), m.start(3), m.end(3)),
            ]
            covered.append((m.start(), m.end()))
    for m in _TIME.finditer(text):
        if m.group(1):
            hour, minute, ampm = int(m.group(1)), int(m.group(2)), m.group(3).lower()
            hour = hour % 12 + (12 if ampm == "p" else 0)
        else:
            hour, minute = int(m.group(4)), int(m.group(5))
        found.append((f"time:{hour}:{minute:02d}", m.start(), m.end()))
        covered.append((m.start(), m.end()))
    for m in _NUM.finditer(text):
        if any(a <= m.start() < b for a, b in covered):
            continue
        value = float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        scale = m.group(3)
        if scale:
            if scale.lower() == "m" and text[m.start() - 1 : m.start()] not in ("$", "£", "€"):
                scale = None
            value *= _SCALE[scale.lower()] if scale else 1
        found.append((_fmt(value), m.start(), m.end()))
    present = _CANDIDATES.intersection(_LETTERS.findall(text.lower()))  # one C-speed pass
    tokens = (
        [(w, m.start(), m.end()) for m in _only(present).finditer(text) if (w := m.group().lower()) in present]
        if present
        else []
    )
    i = 0
    while i < len(tokens):
        w, s, e = tokens[i]
        base = w.rstrip("s") if w.endswith("s") and w[:-1] in _UNITS else w
        if w in _MONTHS and (w != "may" or text[s].isupper()) and (w not in ("mar", "sun") or text[s].isupper()):
            found.append((f"month:{_MONTHS[w]}", s, e))
        elif w in _WEEKDAYS and (len(w) > 3 or text[s].isupper()):
            found.append((f"weekday:{_WEEKDAYS[w]}", s, e))
        elif (base in _UNITS and base not in ("one", "first", "second")) or (
            base in ("one", "first", "second") and _next_is_scale_or_unit(tokens, i)
        ):
            value = float(_UNITS[base])
            j = i + 1
            while (
                j < len(tokens)
                and (tokens[j][0] in _UNITS or tokens[j][0] in _SCALE)
                and not text[tokens[j - 1][2] : tokens[j][1]].strip(" -")
            ):
                nxt = tokens[j][0]
                if nxt in _SCALE and nxt != "m":
                    value *= _SCALE[nxt]
                elif nxt == "hundred":
                    value *= 100
                elif nxt in _UNITS and _UNITS[nxt] < 10 and value >= 20 and value % 10 == 0:
                    value += _UNITS[nxt]
                else:
                    break
                e = tokens[j][2]
                j += 1
            found.append((_fmt(value), s, e))
            i = j
            continue
        i += 1
    found.sort(key=lambda t: t[1])
    return found


def _next_is_scale_or_unit(tokens: list[tuple[str, int, int]], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1][0] in _SCALE and tokens[i + 1][0] != "m"


# Only the words quantities() looks at (number words, plurals, scales, months, weekdays):
# a set lookup per alphabetic run is far cheaper than a regex alternation over all of them.
_ALPHA = re.compile(r"(?<![^\W\d_])[A-Za-z]+(?![^\W\d_])")
_LETTERS = re.compile(r"[a-z]+")


def _only(present: AbstractSet[str]) -> re.Pattern[str]:
    """_ALPHA restricted to the given words: the regex engine skips every other word."""
    alts = "|".join(sorted(present, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alts})(?![^\W\d_])", re.I)


_CANDIDATES = frozenset({*_UNITS, *(u + "s" for u in _UNITS), *(k for k in _SCALE if k != "m"), *_MONTHS, *_WEEKDAYS})
