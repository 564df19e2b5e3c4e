"""How an article writes a name: with its capitals, or only as a common word. Pure code.

A capitalised or all-capitals name ("Apple", "WHO", "US") needs an occurrence written that
way: the words "apple", "who" and "us" are not it. An occurrence at the start of a sentence,
where any word takes a capital, is weaker evidence than one inside a sentence, unless it
carries more capitals than the first ("WHO", "Saint-Étienne"). Acronyms match their dotted
form ("US" and "U.S."). All this holds only for an article that writes capitals at all: in a
text lower-cased throughout (as some corpora are) case says nothing. In a Title Case line every
long word takes a capital, so there a capital marks no name (see :func:`title_case_lines`).
"""

from __future__ import annotations

import re

from summarizer.core.spans import Span

__all__ = [
    "JOINING_WORDS",
    "POSSESSIVE",
    "TITLE_ABBREVIATIONS",
    "cased_as",
    "dotted",
    "needs_case",
    "sentence_initial",
    "title_case_lines",
    "weak",
    "writes_case",
]

# a possessive ending of a name as written ("Abe's" -> "Abe", "Rangers'" -> "Rangers")
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")

# lower-case words that may join the capitalised words of one name ("Save the Children",
# "Bank of America", "Ludwig van Beethoven", "Osama bin Laden")
JOINING_WORDS = (
    "of",
    "the",
    "de",
    "del",
    "della",
    "da",
    "di",
    "do",
    "dos",
    "van",
    "von",
    "der",
    "den",
    "la",
    "le",
    "al",
    "el",
    "bin",
    "ibn",
    "du",
    "y",
    "and",
)

# abbreviated titles written with a full stop that does not end a sentence ("Gov. Nathan Deal")
TITLE_ABBREVIATIONS = (
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "St",
    "Jr",
    "Sr",
    "Gen",
    "Lt",
    "Col",
    "Sgt",
    "Rep",
    "Sen",
    "Gov",
    "Prof",
    "Capt",
    "Rev",
    "Fr",
)

_OPENERS = " \t\u00a0\"'“‘„‚«»‹›([「『"


_CAPITAL = re.compile(r"[A-Z]")


def writes_case(text: str) -> bool:
    """Whether ``text`` uses capitals as prose does.

    The threshold, one capital in 200 characters, is a chosen value far from both cases: the
    four articles in ``examples/`` have one in 23 to 33, a lower-cased corpus none. Only the
    first 20,000 characters are counted, which bounds the cost on a long text.

    Returns:
        True when at least one of every 200 of its first 20,000 characters is an ASCII capital.
    """
    head = text[:20_000]
    return len(_CAPITAL.findall(head)) * 200 >= len(head)


def needs_case(name: str) -> bool:
    """Whether ``name`` holds a capital: a name the model wrote in lower case is compared without case."""
    return any(c.isupper() for c in name)


def _acronyms(name: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", name) if len(w) >= 2 and w.isupper()]


def dotted(name: str) -> str | None:
    """The dotted form of a short acronym ("US" -> "U.S."), or None for other names."""
    word = name.strip()
    if 2 <= len(word) <= 5 and word.isalpha() and word.isupper():
        return "".join(c + "." for c in word)
    return None


def cased_as(printed: str, name: str) -> bool:
    """Whether ``printed`` (an occurrence found ignoring case) is written like ``name``.

    Returns:
        True when its first letter is a capital wherever the name's is, and every
        all-capitals word of the name (two letters or more) appears in capitals in it, dots
        and spaces aside ("U.S." for "US").
    """
    first = next((c for c in name if c.isalpha()), "")
    if first.isupper() and not next((c for c in printed if c.isalpha()), "").isupper():
        return False
    compact = re.sub(r"[.\s\u00a0]", "", printed)
    return all(a.upper() in compact for a in _acronyms(name))


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, a line or the text."""
    j = start - 1
    while j >= 0 and text[j] in _OPENERS:
        j -= 1
    return j < 0 or text[j] in ".!?\n\r…"


def weak(text: str, start: int, end: int) -> bool:
    """A capitalised occurrence that proves nothing: at a sentence start, no other capital."""
    printed = text[start:end]
    first = next((i for i, c in enumerate(printed) if c.isalpha()), 0)
    return sentence_initial(text, start) and not any(c.isupper() for c in printed[first + 1 :])


_LINE = re.compile(r"[^\n.!?]+")
_LONG = re.compile(r"[^\W\d_]{4,}")


def title_case_lines(text: str) -> list[Span]:
    """The lines or sentences of ``text`` written in Title Case.

    Returns:
        Half-open character offsets ``(start, end)`` of each line or sentence whose words of
        four letters or more, the first one aside, are at least two capitalised and at least
        three in four capitalised.
    """
    out = []
    for m in _LINE.finditer(text):
        long_words = _LONG.findall(m.group())[1:]
        capitals = sum(w[0].isupper() for w in long_words)
        if capitals >= 2 and capitals >= 0.75 * len(long_words):
            out.append(Span(m.start(), m.end(), m.group()))
    return out
