"""Lexical building blocks for the checks: words, sentences, stems (numbers and dates are in
:mod:`summarizer.core.verify.quantities`, re-exported here).

Pure code, no state. Everything here works on the *original* text and returns offsets into
it (half-open, in characters): words as :class:`~summarizer.core.spans.Token`, sentences as
:class:`~summarizer.core.spans.Span`. Words compare in NFKC: an article in decomposed
Unicode ("e" plus a combining accent) or with compatibility forms (ligatures, full-width
letters) gives the same words as its composed form, at the original offsets.
"""

from __future__ import annotations

import re
import unicodedata

from summarizer.core.spans import Span, Token
from summarizer.core.verify.dates import MONTHS, WEEKDAYS
from summarizer.core.verify.quantities import quantities

__all__ = [
    "DATE_WORDS",
    "STOPWORDS",
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
# Combining marks (accents written apart from their letter) belong to the word they follow.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
_WORD_MARKED = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}])*(?:['’][^\W_](?:[^\W_]|[{_MARKS}])*)?")
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\S)")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|St|Jr|Sr|Inc|Ltd|Co|Corp|vs|No|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|a\.m|p\.m)|\b[A-Z])\.$"
)


def _composed(text: str) -> bool:
    return text.isascii() or unicodedata.is_normalized("NFC", text)


def _nfkc(word: str) -> str:
    return word if word.isascii() else unicodedata.normalize("NFKC", word)


def words(text: str) -> list[Token]:
    """The words of ``text`` in order: each lower-cased in NFKC (’ written '), with its offsets
    in ``text``. A combining accent belongs to the word it follows.

    Returns:
        One token per word: its normalised form and half-open offsets into ``text``.
    """
    pattern = _WORD if _composed(text) else _WORD_MARKED
    return [Token(_nfkc(m.group().lower()).replace("’", "'"), m.start(), m.end()) for m in pattern.finditer(text)]


def tokens(text: str) -> list[str]:
    """The same tokens as :func:`words`, without offsets: a single pass for hot paths."""
    low = text.lower()
    if not low.isascii():
        low = unicodedata.normalize("NFKC", low)
    return _WORD.findall(low.replace("’", "'"))


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
    # abbreviated months and weekdays ("Feb.", "Sept", "Thu"); not those that are also
    # common words (mar, may, sat, sun, wed, mon)
    **{
        a: full
        for a, full in (
            ("jan", "january"),
            ("feb", "february"),
            ("apr", "april"),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "september"),
            ("sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
            ("tue", "tuesday"),
            ("tues", "tuesday"),
            ("thu", "thursday"),
            ("thur", "thursday"),
            ("thurs", "thursday"),
            ("fri", "friday"),
        )
    },
}
DATE_WORDS = frozenset({*MONTHS, *WEEKDAYS})


_BRITISH = (("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"), ("ise", "ize"))
_BRITISH_ENDINGS = tuple(b for b, _ in _BRITISH)
_SUFFIXES = (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def stem(word: str) -> str:
    """A light, deterministic stem: enough to match plurals and simple inflections.
    Applied until it stops changing, so "meetings" and "meeting" share a stem.

    Returns:
        The stem, lower case.
    """
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


def sentences(text: str) -> list[Span]:
    """The sentences of ``text`` in order, without the spaces around them; newlines end
    sentences, abbreviations ("Mr.", "U.S.", an initial) do not.

    Returns:
        The sentences as spans of ``text`` (half-open offsets), empty ones left out.
    """
    out: list[Span] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.group().strip() == "" and _ABBREV.search(text[max(pos, m.start() - 6) : m.start()]):
            continue
        _append(out, text, pos, m.start())
        pos = m.end()
    _append(out, text, pos, len(text))
    return out


def _append(out: list[Span], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    if chunk:
        out.append(Span(start + lead, start + lead + len(chunk), chunk))
