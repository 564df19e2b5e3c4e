"""Whom an article credits with a quotation, when it names them right beside it. Pure code.

News style attributes a quotation in a few fixed shapes: after it (``"...," said Mark
Dlamini.``, ``"...," Dlamini said.``, ``"...," according to Dlamini.``) or just before it
(``Dlamini said: "..."``); a quotation with no attribution of its own continues the speaker
of the sentence or paragraph before (``"...," Dlamini said. "..."``). :func:`credited` reads
those shapes only, and only with a name (a run of capitalised words): a pronoun (``he
said``), a description (``the mayor said``, ``the 66-year-old Frenchman added``), a
possessive (``Dlamini's spokesman said``) or a listener (``she told CNN``) names no speaker,
and then it says nothing. A speaker that shares no word with the name it finds is one the
article does not credit with those words. bench/attribution.py measures how often the name
read is the one the article credits: 78 of 80 on a sample of quotations from the SummaC
documents (outside the evaluation set), labelled by hand; its two misreads ("Another said",
"an officer at Mencap says") were then ruled out.

A bare surname (``"...," Cox said.``) stands for one person even when the article names two
with that surname: :func:`referent` says which one, by the convention that the article calls
the other one by the given name alone ("Haleigh", the child; "Janea Cox" is always "Cox").
"""

from __future__ import annotations

import re

from summarizer.core.spans import Span
from summarizer.core.verify.casing import JOINING_WORDS, TITLE_ABBREVIATIONS
from summarizer.core.verify.dates import MONTHS, WEEKDAYS
from summarizer.core.verify.quotes import quotations
from summarizer.core.verify.text import STOPWORDS

__all__ = ["credited", "referent"]

# verbs of saying whose subject is the speaker; after them the name is the speaker too, except
# for verbs whose object is the listener ("told CNN", "asked reporters")
_SAYS = (
    "said|says|added|adds|wrote|writes|explained|explains|continued|recalled|recalls|insisted|"
    "noted|notes|warned|warns|stated|states|declared|replied|replies|responded|argued|argues|"
    "acknowledged|admitted|conceded|concluded|remarked|tweeted|posted|announced|joked|quipped"
)
_LISTENER = "told|tells|asked|asks"
_JOIN = "(?:" + "|".join(JOINING_WORDS) + ")"
_ABBREVIATION = "(?:" + "|".join(TITLE_ABBREVIATIONS) + r")\."
# a capitalised word; a full stop ends it unless it is an initial or an abbreviation ("Falcao.
# Souness said" is two sentences); words of a name are on one line
_CAP = rf"(?:{_ABBREVIATION}|[A-ZÀ-ÖØ-Þ]\.|[A-ZÀ-ÖØ-Þ](?:[\w'’\-]|\.(?=\w))*)"
_NAME = rf"{_CAP}(?:[ \t]+(?:{_JOIN}[ \t]+)*{_CAP})*"
# a name after the verb ends at punctuation, a line's end or a word that opens a phrase of
# time, place or manner; otherwise it is a modifier ("said CNN severe weather expert Chad Myers")
_ENDS = (
    r"(?=[ \t]*[,.;:!?)\n]|[ \t]+(?:on|in|at|from|during|after|before|who|whose|when|while|as|to|with|"
    r"about|last|this|yesterday|today|earlier|later|of)\b)"
)
_AFTER = re.compile(
    rf"(?:[ \t\"'”’»«›‹,;:!?\-\u2013\u2014]*)(?:(?:{_SAYS})[ \t]+(?P<a>{_NAME}){_ENDS}"
    rf"|according[ \t]+to[ \t]+(?P<b>{_NAME}){_ENDS}|(?P<c>{_NAME})[ \t]+(?:{_SAYS}|{_LISTENER})\b)"
)
# before it: "Dlamini said:", "Dlamini said the plan", "said Dlamini," (not "said Charleston",
# whose quotation is what Charleston did)
_BEFORE = re.compile(
    rf"(?:(?P<a>{_NAME})[ \t]+(?:{_SAYS}|{_LISTENER})(?:[ \t]+[a-z][\w'’]*){{0,3}}[ \t]*[:,.]?"
    rf"|(?:{_SAYS})[ \t]+(?P<b>{_NAME})[ \t]*[:,.])\s*[\"'“‘„«»‹›`]*$"
)
# any attribution after a quotation, named or not ("...," said an embassy spokesperson)
_ANY_AFTER = re.compile(rf"[ \t\"'”’»«›‹,;:!?\-\u2013\u2014]*(?:[\w'’.\-]+[ \t]+){{0,5}}(?:{_SAYS}|{_LISTENER})\b")
# words that make the name after them a description or part of one ("the Frenchman", "an
# officer at Mencap")
_DETERMINERS = frozenset(
    {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "at", "of", "for", "from"}
)
_NOT_NAMES = frozenset(
    {"he", "she", "they", "we", "i", "it", "you", "this", "that", "there", "another", "others", "one", "some"}
    | {"many", "both", "each", "all", "later", "then", "now", *MONTHS, *WEEKDAYS}
)


def _name(found: re.Match[str] | None, before: str) -> str | None:
    if found is None:
        return None
    group = next((g for g, v in found.groupdict().items() if v), None)
    if group is None:
        return None
    name = found[group]
    if name.endswith(("'s", "’s", "'", "’")):
        return None  # a possessive: "Dlamini's spokesman said"
    if _DETERMINERS & set(before[: found.start(group)].lower().split()[-2:]):
        return None  # a description: "the 66-year-old Frenchman added"
    kept = [w for w in name.split() if w.lower().strip(".") not in _NOT_NAMES]
    return " ".join(kept).rstrip(".") if kept and kept[0][0].isupper() else None


def credited(text: str, quote: Span) -> str | None:
    """The name ``text`` attributes the quotation holding ``quote`` to, right beside it.

    Args:
        text: The article.
        quote: Where a quoted passage was found (half-open offsets into ``text``); the
            quotation around it is the one whose marks enclose it.

    Returns:
        The name as written (a run of capitalised words, such as "Mark Dlamini" or "Secretary
        of State Mike Pompeo"). It is read after the quotation's closing mark (the whole name
        within 120 characters) unless the quotation ends with a full stop; when nothing is
        attributed there, in the 120 characters before its opening mark. None when ``quote``
        is in no quotation or no name is written there in one of the shapes above.
    """
    around = next((q for q in quotations(text) if q.start <= quote.start and quote.end <= q.end), None)
    if around is None:
        return None
    if not around.text.endswith("."):  # after a full stop, the next sentence is no attribution
        end = min(len(text), around.end + 120)  # a name ends inside the window, or is not read
        after = _name(_AFTER.match(text, around.end, end), text)
        if after is not None or _ANY_AFTER.match(text, around.end, end):
            return after  # an attribution after the quotation is its own, named or not
    window = text[max(0, around.start - 120) : around.start]
    return _name(_BEFORE.search(window), window)


# words written capitalised before a surname that are no given name ("For Cox", "Mrs Cox")
_NOT_GIVEN = STOPWORDS | _DETERMINERS | {t.lower() for t in TITLE_ABBREVIATIONS}


def referent(text: str, name: str) -> str | None:
    """The one person of ``text`` a bare surname stands for, when the article names several
    with that surname.

    Args:
        text: The article.
        name: A name as :func:`credited` reads it.

    Returns:
        "Given Surname", as the article writes it, when ``name`` is one word, the article writes
        it after at least two given names ("Haleigh Cox", "Janea Cox"), and all of them but one
        also stand alone elsewhere in it ("Haleigh"): that one is the person called by the
        surname. None otherwise (a full name, one person with that surname, no way to tell).
    """
    if len(name.split()) != 1:
        return None
    given: dict[str, int] = {}
    for m in re.finditer(rf"\b([A-ZÀ-ÖØ-Þ][\w'’\-]*)[ \t\u00a0]+{re.escape(name)}\b", text):
        word = m.group(1)
        if word.lower() not in _NOT_GIVEN and word not in given:
            alone = re.findall(rf"\b{re.escape(word)}\b(?![ \t\u00a0]+{re.escape(name)}\b)", text)
            given[word] = len(alone)
    never_alone = [g for g, n in given.items() if n == 0]
    return f"{never_alone[0]} {name}" if len(given) >= 2 and len(never_alone) == 1 else None
