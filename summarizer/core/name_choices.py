"""The names an article offers a summary: its runs of capitalised words, as written. Pure code.

Asked for entities and places, the embedded 1.5B also listed things the article names with
no name: "Migrants", "smugglers", "stadium", "Japanese court", "Japanese law" (on the tuning
documents that write capitals, bench/labels/tune: 31 of the 69 wrong entity and place names
are no run of the article's capitalised words). A name is written with capitals:
:func:`name_choices` lists the article's runs of capitalised words, so a decoder constrained by
the schema (:func:`summarizer.core.narrowing.narrow_schema`) can write only a name the article
writes.

A run is a sequence of capitalised words on one line ("Prime Minister Shinzo Abe", "U.S."),
which may hold joining words inside ("Save the Children", "Bank of America"; not "and", which
mostly joins two names). Every part of a run that starts and ends with a capitalised word is
offered ("Shinzo Abe", "Abe"), without a possessive ending ("Abe's" gives "Abe"), except a
part that "for" or "the" cuts off: of "International Organization for Migration", neither
"Migration" nor "International Organization" names anything (the model wrote "Migration" as
an organisation).

A capital that only opens a sentence or a quotation ("Migrants drowned ...") says little: such
a word starts a run only when the article also writes it with a capital inside a sentence, or
when it is no common word (the article never writes it in lower case, and it is no stopword)
and a capitalised word follows it ("Dirk Hoogstra said"). So a name the article writes only
once, alone, at the start of a sentence is not offered ("Jordan ended its search"): taking
every such word would offer "Engineers", "Teachers" and "Photos" on the README's examples.
In a headline in Title Case (a line of its own without a full stop) every long word takes a
capital, so there a word counts only when the article writes it capitalised elsewhere too. An
article that writes no capitals (some corpora are lower-cased throughout) offers no choice:
:func:`name_choices` returns None and names stay free.

A name the article gives a person or a team is no place. Asked for places after its
entities, the model copied persons into the list ("LeVar Burton", "Barack Obama"), and teams
("Blackpool", "Arsenal"): 11 and 13 of the 47 wrong place names on the tuning documents.
:func:`place_choices` leaves out a name the article credits with a quotation
(:func:`~summarizer.core.verify.attribution.credited`); a person's name (two or three
capitalised words) whose last word the article writes more often than the whole name, as it
does a surname ("Mark Wolper" ... "Wolper said"), its given names and the same name after a
title ("U.S. Secretary of State Mike Pompeo"); and a name written before a member's title
("Arsenal manager", "Blackpool goalkeeper"; not "president", which a country has too). A name
ending in a kind of place or institution ("Prince George's County", "Cambridge University"), or
whose given names hold an acronym ("U.S. President"), is no person's. Nor is a place a name
written like an organisation's ("Japanese government", "Tokyo Metropolitan Police"), a team's
("Manchester United") or as an acronym that names no country ("CNN", "UCI"), nor the start of
such a name that the article never writes alone ("Porthaven Ferry" of "Porthaven Ferry
Company"): 23 of the 121 wrong place names on the tuning documents (bench/labels/tune, tune-v6
and tune-v8), and no right one.

Measured on the tuning documents' labelled names (bench/name_choices.py; answers written
without the choices): of entity names, 101 of 111 right ones are still offered and 21 of 22
wrong ones are not; of place names, 39 of 46 right ones are still offered and 29 of 47 wrong
ones are not. The right ones left out are mostly longer forms of names still offered
("Louisville, Kentucky", "Xinjiang region", "England team") or names the article never writes
in full ("Christopher Hogwood" for its "Hogwood").
"""

from __future__ import annotations

import re
from collections import Counter

from summarizer.core.verify.attribution import credited
from summarizer.core.verify.casing import (
    JOINING_WORDS,
    POSSESSIVE,
    TITLE_ABBREVIATIONS,
    sentence_initial,
    title_case_lines,
    writes_case,
)
from summarizer.core.verify.dates import MONTHS, WEEKDAYS
from summarizer.core.verify.entity_signals import not_a_place
from summarizer.core.verify.quotes import quotations
from summarizer.core.verify.text import STOPWORDS

__all__ = ["name_choices", "place_choices"]

_MOST_WORDS = 8  # a longer run is a headline or a list, not one name
_WORD = re.compile(
    "(?:" + "|".join(TITLE_ABBREVIATIONS) + r")\.(?=[ \t]+[A-ZÀ-ÖØ-Þ])|"
    r"(?:[^\W\d_]\.){2,}|[A-ZÀ-ÖØ-Þ]\.(?=[ \t]+[A-ZÀ-ÖØ-Þ])|[^\W_][\w\u0300-\u036f'’&-]*"
)
_GAP = re.compile(r"[ \t\u00a0]+")
# capitalised words that are not names on their own: pronouns, titles, calendar words
_NOT_ALONE = frozenset(
    {"i", "mr", "mrs", "ms", "dr", "st", "he", "she", "it", "we", "they", "you", "the", "a", "an", "this", "that"}
    | set(WEEKDAYS)
    | (set(MONTHS) - {"may"})  # "May" may be a name ("Theresa May")
    | {t.lower() for t in TITLE_ABBREVIATIONS}
)
_TITLES = frozenset(t + "." for t in TITLE_ABBREVIATIONS)
_AFTER_ABBREVIATION = re.compile(r"(?:\b(?:" + "|".join(TITLE_ABBREVIATIONS) + r")\.|(?<![\w.])(?:[A-Z]\.)+)[ \t]+$")
# words that may join the capitalised words of one name: those of a person's name and "for"
# ("International Organization for Migration"), but not "and", which mostly joins two names
# ("Trey Moses and Ellie Meredith"); a part cut off at "for" or "the" names nothing ("Oscar"
# of "Oscar for Best Picture", "Children" of "Save the Children"), one after "of" may
# ("Sicily" of "Channel of Sicily")
_JOINS = frozenset({*JOINING_WORDS, "for"} - {"and"})
_CUTTING = frozenset({"for", "the"})


def _cut(words: list[str], ends: list[int], i: int, j: int) -> bool:
    """Whether a part of a run is cut off from the rest at a word of ``_CUTTING``.

    Returns:
        True when ``words[i : j + 1]``, a part of a run whose capitalised words are at
        ``ends``, is not the whole run and has such a word just before or after it.
    """
    if i == ends[0] and j == ends[-1]:
        return False
    return (i > ends[0] and words[i - 1].lower() in _CUTTING) or (j < ends[-1] and words[j + 1].lower() in _CUTTING)


def _capitalised(word: str) -> bool:
    """Whether ``word`` is written as a name is.

    Returns:
        True for a capital first ("Abe", "U.S.") or inside ("al-Qaeda", "eBay").
    """
    return word[0].isupper() or any(c.isupper() for c in word[1:])


def _runs(text: str) -> list[list[tuple[str, int]]]:
    """The article's runs: each a list of (word, start offset), joined by spaces on one line."""
    found = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    # a headline: a Title Case line of its own, no full stop (a sentence dense with names is no headline)
    titled = [
        s
        for s in title_case_lines(text)
        if text[s.start - 1 : s.start] in ("", "\n") and text[s.end : s.end + 1] in ("", "\n")
    ]

    def opens(a: int) -> bool:  # a sentence, a line, a quotation, or a dateline's "(CNN)"
        if _AFTER_ABBREVIATION.search(text, max(0, a - 12), a):
            return False  # "Gov. Nathan Deal", "the U.S. State Department", "David L. Wolper"
        return sentence_initial(text, a) or text[a - 1 : a] == ")"

    def in_title(a: int) -> bool:
        return any(s.start <= a < s.end for s in titled)

    lower = {w for w, _, _ in found if w.islower()}
    inside = {POSSESSIVE.sub("", w) for w, a, _ in found if _capitalised(w) and not opens(a) and not in_title(a)}

    def named(i: int, started: bool) -> bool:
        """Whether the capitalised word ``found[i]`` is (part of) a name."""
        word, a, _ = found[i]
        bare = POSSESSIVE.sub("", word)
        if bare.lower() in STOPWORDS and not (len(bare) > 1 and bare.isupper()):  # "US", "WHO" are names
            return False  # "The Italian Coast Guard": "Italian Coast Guard"; "the U.S. The ..."
        if bare in inside:
            return True
        if in_title(a):
            return False
        if not opens(a) or (word in _TITLES and not started):
            return True  # inside a sentence, or an abbreviated title ("Gov. Nathan Deal")
        common = bare.lower() in lower or bare.lower().rstrip(".") in _NOT_ALONE
        follows = i + 1 < len(found) and _capitalised(found[i + 1][0])
        return not common and follows and not started

    runs: list[list[tuple[str, int]]] = []
    run: list[tuple[str, int]] = []
    last_end = -1
    for i, (word, a, b) in enumerate(found):
        if run and not (last_end >= 0 and _GAP.fullmatch(text[last_end:a])):
            runs.append(run)
            run = []
        if (_capitalised(word) and named(i, bool(run))) or (run and word.lower() in _JOINS):
            run.append((word, a))
            last_end = b
            continue
        if run:
            runs.append(run)
        run = []
        last_end = -1
    if run:
        runs.append(run)
    return runs


def name_choices(text: str) -> tuple[tuple[str, ...], int] | None:
    """The names ``text`` offers (see the module docstring) and how many distinct runs hold them.

    Returns:
        The names as written, in text order without repeats, and the number of distinct
        runs; None when the article writes no capitals (case says nothing there).
    """
    if not writes_case(text):
        return None
    out: list[str] = []
    whole: set[str] = set()
    for run in _runs(text):
        words = [w for w, _ in run]
        ends = [i for i, w in enumerate(words) if _capitalised(w)]

        for i in ends:
            for j in ends:
                if i <= j < i + _MOST_WORDS and not _cut(words, ends, i, j):
                    parts = [*words[i:j], POSSESSIVE.sub("", words[j])]
                    if (j == i and parts[0].lower().rstrip(".") in _NOT_ALONE) or words[j] in _TITLES:
                        continue  # "Gov." or "Mr" on its own, or a run ending in a title
                    name = text[run[i][1] : run[j][1] + len(words[j])]
                    name = name[: len(name) - len(words[j])] + parts[-1]
                    out.append(name)
        kept = [w for w in words if w.lower().rstrip(".") not in _NOT_ALONE]
        if kept:
            whole.add(" ".join(kept).lower())
    return tuple(dict.fromkeys(out)), len(whole)


# the last words of a place's or an institution's name, which a person's name does not end in
# ("Prince George's County", "Cambridge University")
_NOT_SURNAME = frozenset(
    """street road avenue lane square park gardens county city town village district region province state
    republic kingdom river lake sea ocean bay beach coast island islands mountain mountains mount hill hills
    valley springs bridge harbour harbor port airport station stadium hall house palace castle church
    cathedral hospital school museum centre center camp university college institute academy society
    festival council party group company association foundation trust union league""".title().split()
)
_WORDS_OF = re.compile(r"(?<![\w-])\w[\w'’.&-]*(?![\w-])")


def _surnamed(text: str, name: str, counts: Counter[str]) -> bool:
    """Whether ``name`` is written like a person's name whose surname stands alone too.

    Returns:
        True when ``name`` (two or three capitalised words) ends in a word ``text`` writes more
        often than the name (``counts``: how often it writes each word, see :func:`place_choices`).
    """
    words = name.split()
    if not 2 <= len(words) <= 3 or words[-1] in _NOT_SURNAME:
        return False
    if any(not w[0].isupper() for w in words) or any(
        w.isupper() or ("." in w and w not in _TITLES) for w in words[:-1]
    ):
        return False  # a person's name: capitalised words, no "of", no given name "U.S." ("U.S. President")
    last = counts[words[-1]] if words[-1].endswith(".") else counts[words[-1] + "?"]
    if last < 2:
        return False  # written once: not more often than the name
    return last > len(re.findall(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text))


# a word after a name that makes it a team or employer ("Arsenal manager Arsene Wenger",
# "Blackpool striker", "Fine Gael spokesman"); not "president", a country's too ("the U.S. president")
_MEMBER_TITLE = (
    r"(?:manager|boss|coach|striker|midfielder|defender|goalkeeper|forward|winger|captain|full-back|centre-back|"
    r"fly-half|scrum-half|prop|lock|flanker|hooker|chairman|owner|player|players|spokesman|spokeswoman|"
    r"spokesperson|chief executive|executive|director)\b"
)
_MEMBER = re.compile(r"(?:'s|’s)?[ \t]+" + _MEMBER_TITLE)
_MEMBER_HEAD = re.compile(r"(?<![\w'’-])([\w.-]+)(?:'s|’s)?[ \t]+" + _MEMBER_TITLE)


def _member_of(text: str, name: str, heads: set[str]) -> bool:
    """Whether ``text`` writes ``name`` before a member's title ("Arsenal manager").

    Returns:
        True when it does; ``heads``, the words written just before such a title, is checked
        first (most names are none of them).
    """
    if POSSESSIVE.sub("", name.split()[-1]) not in heads:
        return False
    return any(_MEMBER.match(text, m.end()) for m in re.finditer(rf"(?<![\w-]){re.escape(name)}", text))


def place_choices(text: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """Of ``names`` (:func:`name_choices`), those the article does not give a person or a team
    (see the module docstring), nor the given names of such a person ("James" of "James
    Tumblin"), nor those named like no place
    (:func:`~summarizer.core.verify.entity_signals.not_a_place`).

    Returns:
        The names kept, in the order given.
    """
    speakers = {found.split()[-1] for q in quotations(text) if (found := credited(text, q))}
    # each word as written ("A.") and, without a full stop after it, as a word ("Wolper?" counts
    # "Wolper" and "Wolper." at a sentence's end)
    written = [m.group() for m in _WORDS_OF.finditer(text)]
    counts = Counter(POSSESSIVE.sub("", w) for w in written)
    counts.update(POSSESSIVE.sub("", w.removesuffix(".")) + "?" for w in written)
    heads = {m.group(1) for m in _MEMBER_HEAD.finditer(text)}
    surnamed = [n.split() for n in names if _surnamed(text, n, counts)]
    ruled = {n for n in names if n.split()[-1] in speakers or _member_of(text, n, heads) or not_a_place(n, text)}
    given = {" ".join(words[:i]) for words in surnamed for i in range(1, len(words))}

    def personal(words: list[str]) -> bool:  # or after a title: "U.S. Secretary of State Mike Pompeo"
        return any(words[len(words) - len(whole) :] == whole for whole in surnamed)

    return tuple(n for n in names if n not in ruled and n not in given and not personal(n.split()))
