"""What the article treats a name as: a person, an organisation or a place. Pure code.

Word overlap cannot tell a country from an organisation, so this looks at how the article
writes the name and what surrounds its mentions, and counts signals for each kind:

- person: a title or honorific just before a mention ("President Donald Trump", "Mr Kim"),
  a pronoun (he, she, his, her) in the words after one, an age ("Smith, 45,"), or a
  personal verb right after it ("Kim said");
- organisation: an organisation word in the name (Ministry, Party, Agency, Bank, Inc ...),
  an acronym (KCNA, NBA), or "its"/"it said" after a mention;
- place: a country or territory (a built-in list), a place word in the name (City, River,
  Province ...), or "in"/"at"/"from" just before a mention.

The stated kind is unsupported (with the signal quoted) when another kind has a strong signal
(a country, a named organisation, a title: weight 1 or more) and at least twice the stated
kind's weight, and also when nothing in the article speaks for the stated kind at all: a
model judge, when one runs, decides those. Weak signals (a pronoun, a preposition) count for
the stated kind but never flag another on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.core.spans import Span
from summarizer.core.verify.casing import POSSESSIVE, cased_as, dotted, needs_case, writes_case
from summarizer.core.verify.prepared import PreparedArticle

__all__ = ["COUNTRIES", "KindSignals", "entity_signals", "is_country", "not_a_place", "organisation_word"]

COUNTRIES = frozenset(
    x.strip().lower()
    for x in """
afghanistan, albania, algeria, andorra, angola, argentina, armenia, australia, austria,
azerbaijan, bahamas, bahrain, bangladesh, barbados, belarus, belgium, belize, benin, bhutan,
bolivia, bosnia, botswana, brazil, brunei, bulgaria, burkina faso, burundi, cambodia, cameroon,
canada, chad, chile, china, colombia, comoros, congo, costa rica, croatia, cuba, cyprus,
czech republic, czechia, denmark, djibouti, dominica, dominican republic, ecuador, egypt,
el salvador, eritrea, estonia, eswatini, ethiopia, fiji, finland, france, gabon, gambia,
georgia, germany, ghana, greece, grenada, guatemala, guinea, guyana, haiti, honduras,
hong kong, hungary, iceland, india, indonesia, iran, iraq, ireland, israel, italy,
ivory coast, jamaica, japan, jordan, kazakhstan, kenya, kiribati, kosovo, kuwait, kyrgyzstan,
laos, latvia, lebanon, lesotho, liberia, libya, liechtenstein, lithuania, luxembourg,
madagascar, malawi, malaysia, maldives, mali, malta, mauritania, mauritius, mexico, micronesia,
moldova, monaco, mongolia, montenegro, morocco, mozambique, myanmar, burma, namibia, nauru,
nepal, netherlands, holland, new zealand, nicaragua, niger, nigeria, north korea, dprk,
north macedonia, norway, oman, pakistan, palau, palestine, panama, papua new guinea, paraguay,
peru, philippines, poland, portugal, qatar, romania, russia, rwanda, samoa, san marino,
saudi arabia, senegal, serbia, seychelles, sierra leone, singapore, slovakia, slovenia,
somalia, south africa, south korea, korea, south sudan, spain, sri lanka, sudan, suriname,
sweden, switzerland, syria, taiwan, tajikistan, tanzania, thailand, togo, tonga, trinidad,
tunisia, turkey, turkmenistan, tuvalu, uganda, ukraine, united arab emirates, uae,
united kingdom, uk, u.k., britain, great britain, england, scotland, wales, northern ireland,
united states, united states of america, us, u.s., usa, u.s.a., america, uruguay, uzbekistan,
vanuatu, vatican, venezuela, vietnam, viet nam, yemen, zambia, zimbabwe, gaza, west bank,
crimea, tibet, greenland, puerto rico, kashmir, catalonia, europe, africa, asia, antarctica,
soviet union, ussr, yugoslavia, czechoslovakia, east germany, west germany
""".split(",")
)
PERSON_TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady president
vice-president chairman chairwoman chair leader premier minister chancellor secretary senator
sen rep representative governor gov mayor king queen prince princess emperor pope judge justice
general gen colonel col captain capt lieutenant officer sergeant detective inspector coach
manager striker defender midfielder goalkeeper player singer actor actress star director
ceo founder spokesman spokeswoman spokesperson professor father mother son daughter wife
husband brother sister uncle aunt rev reverend bishop archbishop ambassador envoy
diplomat chief commander pastor imam rabbi boss""".split()
)
ORGANISATION_WORDS = frozenset(
    """ministry department agency party council committee
commission company corporation corp inc ltd llc plc group bank fund union association
federation league club university college school institute institution foundation trust
court parliament congress senate assembly government administration army navy police force
service services office bureau authority board network news times post journal press
agency television radio tv channel airlines airline airways organisation organization
society church hospital team fc united city rovers holding holdings chemical chemicals food
foods motor motors industries industry systems technologies technology energy logistics
pharmaceuticals media studios labs laboratories partners capital insurance airways
railways""".split()
) - {"city", "united"}
PLACE_WORDS = frozenset(
    """city town village county province state region district island
islands river lake mountain mountains valley bay coast street road avenue square park
airport station hotel palace harbour harbor port peninsula desert sea ocean""".split()
)
_PRONOUNS_PERSON = frozenset("he she his her him himself herself".split())
_PERSON_VERBS = frozenset(
    "said says told added wrote tweeted explained admitted denied insisted argued smiled shook died was".split()
)
_AGE = re.compile(r"^\s*,\s*\d{1,3}\s*,")
_ACRONYM = re.compile(r"^[A-Z][A-Z.&]{1,9}$")
_BRAND = re.compile(r"^(?!Mc|Mac)[A-Z]?[a-z]+[A-Z][A-Za-z]+$")  # VnExpress, YouTube; not McDonald
_WORD = re.compile(r"[A-Za-z][\w'’.-]*")


@dataclass
class KindSignals:
    """What the article says a name is: per kind (person, organisation, place) the summed
    signal weight, the first reason in words and up to three spans of the article; and, for a
    capitalised name the article writes only in lower case, how it writes it."""

    scores: dict[str, float]
    reasons: dict[str, str]
    spans: dict[str, list[Span]]
    common_word: str | None = None  # how the article writes a capitalised name it has only in lower case


def _any_case(text: str, name: str) -> list[Span]:
    """Occurrences of the name in any case, hyphens or spaces between its words (an acronym
    also dotted: "U.S." for "US").

    Returns:
        The occurrences as spans of ``text``, in order.
    """
    parts = [w for w in re.split(r"[\s\-]+", name.strip()) if w]
    if not parts:
        return []
    pattern = r"[\s\-]+".join(map(re.escape, parts))
    acronym = dotted(name)
    if acronym:
        pattern += "|" + re.escape(acronym)
    full = re.compile(r"(?<!\w)(?:" + pattern + r")(?!\w)", re.I)
    return [Span(m.start(), m.end(), m.group()) for m in full.finditer(text)][:40]


def _mentions(text: str, name: str) -> list[Span]:
    """Occurrences of the name (any case, once the article writes it as a name at least once:
    see :mod:`summarizer.core.verify.casing`), and of its last word alone, written as in the
    name (how articles repeat a person: "Reyes said").

    Returns:
        Spans of ``text``: the name's occurrences, then up to 20 of its last word alone;
        empty for an empty name.
    """
    parts = [w for w in re.split(r"[\s\-]+", name.strip()) if w]
    if not parts:
        return []
    found = _any_case(text, name)
    if needs_case(name) and writes_case(text) and not any(cased_as(text[s.start : s.end], name) for s in found):
        found = []  # only as a common word ("who" for WHO): no mention of the name at all
    if len(parts) < 2 or len(parts[-1]) < 3:
        return found
    last = re.compile(r"(?<!\w)" + re.escape(parts[-1]) + r"(?!\w)")
    alone = [
        Span(m.start(), m.end(), m.group())
        for m in last.finditer(text)
        if not any(f.start <= m.start() < f.end for f in found)
    ]
    return found + alone[:20]


# organisation words that also name a building one visits: "Eastern High School" in a list of
# places is right, and so is the "Channel of Sicily"
_VENUE_WORDS = frozenset({"school", "university", "college", "hospital", "church", "channel"})


def organisation_word(name: str) -> str | None:
    """The word that makes ``name`` an organisation's, not a place's ("Porthaven Ferry
    Company", "Tokyo metropolitan police"): a word of :data:`ORGANISATION_WORDS` (or its plural)
    that does not also name a building one visits (school, university, college, hospital,
    church, channel).

    On the tuning documents' labelled place names (bench/labels/tune, 122 names, 65 wrong),
    such a word is in 9 wrong ones (a bank, a court, the police, a network, a society, a
    studio) and no right one.

    Returns:
        The word as the name writes it; None when the name has none.
    """
    for word in _WORD.findall(name):
        bare = word.lower().strip(".")
        stem = bare[:-1] if bare.endswith("s") and len(bare) > 3 else bare
        if (bare in ORGANISATION_WORDS or stem in ORGANISATION_WORDS) and not {bare, stem} & _VENUE_WORDS:
            return str(word)
    return None


# a last word that makes a place's name a team's ("Manchester United", "Charlton Athletic")
_TEAM_WORDS = frozenset({"united", "wanderers", "athletic", "albion", "hotspur", "rangers"})
_UNDOTTED_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]+$")  # CNN, UCI, A&E, HB1; not "D.C."
_PLACE_ACRONYMS = frozenset({"nyc", "la", "dc", "sf", "nsw"})  # places often written so


def not_a_place(name: str, text: str) -> str | None:
    """Why ``name``, listed as a place of ``text``, is named like something else: an
    organisation word (:func:`organisation_word`), a team's last word ("Manchester United"), or
    an undotted acronym that is no country ("CNN", "UCI", "HB1"; "UK", "U.S." and "NYC" are
    places). A word in capitals that ``text`` also writes in lower case after its first letter
    is no acronym: it is shouted, as a dateline is ("HANOI (Reuters) -" ... "in Hanoi"). A
    country on the built-in list is a place whatever its words ("Soviet Union").

    Nor is a place the start of such a name that ``text`` never writes on its own
    (:func:`_only_inside`): "Porthaven Ferry" of "Porthaven Ferry Company", "Manchester" of
    "Manchester United", unless it ends in a place word ("Alder Valley" of "Alder Valley
    Anglers' Association"). Written alone anywhere, in any case, it may be a place: the
    dateline "PORTHAVEN, March 4" keeps "Porthaven".

    On the tuning documents' labelled place names (bench/labels/tune's places.json, tune-v6
    and tune-v8: 276 names, 121 wrong) these hold 23 wrong names and no right one; the starts
    of longer names are 2 of the 23 ("Manchester", and "Universal" of "Universal Studios").

    Returns:
        The reason in words; None when the name may be a place's.
    """
    if is_country(name):
        return None  # "Soviet Union", "United Arab Emirates"
    why = _named_like_no_place(name, text)
    if why is not None:
        return why
    inside = _only_inside(name, text)
    return None if inside is None else f"written only inside {inside[0]!r}, {inside[1]}"


# capitalised words after a mention that lengthen the name ("Porthaven Ferry" + " Company")
_LONGER = re.compile(r"(?:[ \t]+(?:(?:of|for|&)[ \t]+)?[A-Z][\w'’&-]*)+")


def _only_inside(name: str, text: str) -> tuple[str, str] | None:
    """A longer name, named like no place, that holds every mention of ``name`` in ``text``.

    Returns:
        The longer name as the text's last mention writes it ("Manchester United") and why it
        is named like no place (:func:`_named_like_no_place`); None when ``name`` ends in a
        place word (:data:`PLACE_WORDS`), is written alone somewhere (in any case), or is not
        written at all.
    """
    if name.split()[-1].lower() in PLACE_WORDS:
        return None
    found = None
    for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE):
        tail = _LONGER.match(text, m.end())
        if tail is None:
            return None
        whole = POSSESSIVE.sub("", text[m.start() : tail.end()])
        why = None if is_country(whole) else _named_like_no_place(whole, text)
        if why is None:
            return None
        found = (whole, why)
    return found


def _named_like_no_place(name: str, text: str) -> str | None:
    """Why ``name`` is named like no place: see :func:`not_a_place` (its first three rules)."""
    word = organisation_word(name)
    if word is not None:
        return f"named like an organisation ({word!r})"
    words = name.split()
    if len(words) > 1 and words[-1].lower() in _TEAM_WORDS:
        return f"named like a team ({words[-1]!r})"
    bare = name.strip()
    if not _UNDOTTED_ACRONYM.match(bare) or bare.lower() in _PLACE_ACRONYMS:
        return None
    shouted = re.search(rf"(?<!\w){re.escape(bare[0] + bare[1:].lower())}(?!\w)", text)
    return None if shouted else "written as an acronym"


def is_country(name: str) -> bool:
    """Whether ``name`` is on the built-in list of countries and territories.

    Returns:
        True when ``name`` (any case, with or without a leading "the") is in :data:`COUNTRIES`.
    """
    lowered = name.lower().strip()
    return lowered in COUNTRIES or lowered.removeprefix("the ") in COUNTRIES


def entity_signals(article: PreparedArticle, name: str) -> KindSignals:
    """The signals the article gives for ``name`` being a person, an organisation or a
    place: a weight per kind (see the module docstring), the first reason for each, and up to
    three spans of the article per kind.

    Returns:
        The signals: weights per kind (person, organisation, place), reasons and spans.
    """
    scores = {"person": 0.0, "organisation": 0.0, "place": 0.0}
    reasons: dict[str, str] = {}
    spans: dict[str, list[Span]] = {k: [] for k in scores}
    words = [w.lower().strip(".") for w in _WORD.findall(name)]
    stems = {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words}

    def add(kind: str, weight: float, why: str, span: Span | None = None) -> None:
        scores[kind] += weight
        reasons.setdefault(kind, why)
        if span is not None and len(spans[kind]) < 3:
            spans[kind].append(span)

    if is_country(name):
        add("place", 3.0, f"{name} is a country or territory")
    if stems & ORGANISATION_WORDS:
        add("organisation", 2.0, f"{name} is named like an organisation")
    if any(w in PLACE_WORDS for w in words[1:] or words) and not stems & ORGANISATION_WORDS:
        add("place", 1.5, f"{name} is named like a place")
    if any(w in PERSON_TITLES for w in words[:-1]) and not stems & ORGANISATION_WORDS:
        add("person", 1.0, f"{name} carries a person's title")
    if _ACRONYM.match(name.strip()) and not is_country(name):
        add("organisation", 1.0, f"{name} is an acronym")
    if _BRAND.match(name.strip()):
        add("organisation", 0.5, f"{name} is written like a brand")
    text = article.text
    mentions = _mentions(text, name)
    if not mentions:
        lower = _any_case(text, name)
        if lower:
            return KindSignals(scores, reasons, spans, text[lower[0].start : lower[0].end])
    for m in mentions:
        before = [w.lower().strip(".") for w in _WORD.findall(text[max(0, m.start - 120) : m.start])]
        after_text = text[m.end : m.end + 200]
        after = [w.lower() for w in _WORD.findall(after_text)]
        title = _title_before(text[max(0, m.start - 120) : m.start])
        if title:
            add("person", 1.0, f"the article writes {title!r} before it", m)
        if _AGE.match(after_text):
            add("person", 1.0, "the article gives an age after it", m)
        appositive = _APPOSITIVE.match(after_text)
        if appositive and _is_person_noun(appositive.group(1)):
            add("person", 1.0, f"the article calls it {appositive.group(0).strip(' ,')!r}", m)
        if before[-1:] and before[-1] in ("said", "says", "told", "asked"):
            add("person", 0.5, f"the article writes {before[-1]!r} before it", m)
        if after[:1] and after[0] in _PERSON_VERBS and not text[m.end : m.end + 1].isalnum():
            add("person", 0.5, f"the article writes {name} {after[0]}", m)
        if _PRONOUNS_PERSON & set(after[1:30]):
            add("person", 0.25, "a personal pronoun follows a mention", m)
        org_ref = _THE_ORG.search(after_text.split(".")[0])
        if org_ref:
            add("organisation", 0.5, f"the article goes on to call it {org_ref.group()!r}", m)
        if text[m.start - 1 : m.start] == "(" and text[m.end : m.end + 1] in (")", "/"):
            add("organisation", 0.5, "the article credits it in parentheses", m)
        if after[:1] == ["its"] or after[:2] == ["it", "said"] or after[:3] == ["said", "in", "a"]:
            add("organisation", 0.5, "the article refers to it as an organisation", m)
        if before[-1:] and before[-1] in ("in", "across", "inside", "near"):
            add("place", 0.25, f"the article writes {before[-1]!r} before it", m)
    return KindSignals(scores, reasons, spans)


_APPOSITIVE = re.compile(
    r"^\s*,\s*(?:(?:a|an|the|its|his|her)\s+)?((?:[\w'-]+\s+){0,3}?[\w'-]+)(?=\s*(?:,|\.|\bat\b|\bof\b|\bfor\b|\bin\b|$))"
)
_LINKS = frozenset("of the".split())
_THE_ORG = re.compile(
    r"\b[Tt]he (?:company|firm|group|agency|association|organi[sz]ation|club|party|"
    r"bank|court|government|ministry|council|union|charity|newspaper|broadcaster)\b"
)


def _is_person_noun(phrase: str) -> bool:
    last = phrase.lower().split()[-1]
    return last in PERSON_TITLES or (
        last.endswith(("er", "or", "ist", "ian", "ant", "ent")) and last not in ORGANISATION_WORDS
    )


def _title_before(window: str) -> str | None:
    """A person's title shortly before a mention, across a name or phrase that qualifies it:
    "President Donald Trump", "leader of the Democratic People's Republic of Korea (DPRK) Kim".

    Returns:
        The title in lower case, or None when no title qualifies the mention.
    """
    tokens = re.findall(r"\(?[A-Za-z][\w'’.-]*\)?|[.;:!?(]", window)
    if tokens and (tokens[-1] == "(" or tokens[-1].lower() in _LINKS):
        return None  # "Republic of Korea", "(DPRK": the mention is the object of a phrase
    for tok in reversed(tokens[-12:]):
        if tok in ".;:!?(":
            return None
        word: str = tok.strip("().").lower()
        if word in PERSON_TITLES:
            return word
        if not (tok[0].isupper() or tok.startswith("(") or word in _LINKS):
            return None
    return None
