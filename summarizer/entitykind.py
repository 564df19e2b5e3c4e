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

The stated kind is unsupported (with the signal quoted) only when another kind has a strong
signal (a country, a named organisation, a title: weight 1 or more) and at least twice the
stated kind's weight; weak signals (a pronoun, a preposition) never flag on their own.
Otherwise it is supported, at a low score and saying so when nothing in the article speaks
for the stated kind: the model judge decides those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .align import Aligner, CharSpan

__all__ = ["COUNTRIES", "KindSignals", "entity_signals"]

COUNTRIES = frozenset(x.strip().lower() for x in """
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
nepal, netherlands, holland, new zealand, nicaragua, niger, nigeria, north korea,
north macedonia, norway, oman, pakistan, palau, palestine, panama, papua new guinea, paraguay,
peru, philippines, poland, portugal, qatar, romania, russia, rwanda, samoa, san marino,
saudi arabia, senegal, serbia, seychelles, sierra leone, singapore, slovakia, slovenia,
somalia, south africa, south korea, korea, south sudan, spain, sri lanka, sudan, suriname,
sweden, switzerland, syria, taiwan, tajikistan, tanzania, thailand, togo, tonga, trinidad,
tunisia, turkey, turkmenistan, tuvalu, uganda, ukraine, united arab emirates, uae,
united kingdom, uk, u.k., britain, great britain, england, scotland, wales, northern ireland,
united states, united states of america, us, u.s., usa, u.s.a., america, uruguay, uzbekistan,
vanuatu, vatican, venezuela, vietnam, viet nam, yemen, zambia, zimbabwe, gaza, west bank,
crimea, tibet, greenland, puerto rico, kashmir, catalonia, europe, africa, asia, antarctica
""".split(","))
PERSON_TITLES = frozenset("""mr mrs ms miss dr prof sir dame lord lady president
vice-president chairman chairwoman chair leader premier minister chancellor secretary senator
sen rep representative governor gov mayor king queen prince princess emperor pope judge justice
general gen colonel col captain capt lieutenant officer sergeant detective inspector coach
manager striker defender midfielder goalkeeper player singer actor actress star director
ceo founder spokesman spokeswoman spokesperson professor father mother son daughter wife
husband brother sister uncle aunt rev reverend bishop archbishop ambassador envoy
diplomat chief commander pastor imam rabbi boss""".split())
ORGANISATION_WORDS = frozenset("""ministry department agency party council committee
commission company corporation corp inc ltd llc plc group bank fund union association
federation league club university college school institute institution foundation trust
court parliament congress senate assembly government administration army navy police force
service services office bureau authority board network news times post journal press
agency television radio tv channel airlines airline airways organisation organization
society church hospital team fc united city rovers""".split()) - {"city", "united"}
PLACE_WORDS = frozenset("""city town village county province state region district island
islands river lake mountain mountains valley bay coast street road avenue square park
airport station hotel palace harbour harbor port peninsula desert sea ocean""".split())
_PRONOUNS_PERSON = frozenset("he she his her him himself herself".split())
_PERSON_VERBS = frozenset("said says told added wrote tweeted explained admitted denied "
                          "insisted argued smiled shook died was".split())
_AGE = re.compile(r"^\s*,\s*\d{1,3}\s*,")
_ACRONYM = re.compile(r"^[A-Z][A-Z.&]{1,9}$")
_WORD = re.compile(r"[A-Za-z][\w'’.-]*")


@dataclass
class KindSignals:
    scores: dict[str, float]
    reasons: dict[str, str]
    spans: dict[str, list[CharSpan]]


def _mentions(text: str, name: str) -> list[CharSpan]:
    """Occurrences of the name (any case, hyphens or spaces between its words), else of its
    last word written capitalised (how articles repeat a person: "Kim", "Trump")."""
    parts = [w for w in re.split(r"[\s\-]+", name.strip()) if w]
    if not parts:
        return []
    full = re.compile(r"(?<!\w)" + r"[\s\-]+".join(map(re.escape, parts)) + r"(?!\w)", re.I)
    found = [CharSpan(m.start(), m.end()) for m in full.finditer(text)][:40]
    if found or len(parts[-1]) < 3:
        return found
    last = re.compile(r"(?<!\w)" + re.escape(parts[-1]) + r"(?!\w)")
    return [CharSpan(m.start(), m.end()) for m in last.finditer(text)][:40]


def entity_signals(aligner: Aligner, name: str) -> KindSignals:
    scores = {"person": 0.0, "organisation": 0.0, "place": 0.0}
    reasons: dict[str, str] = {}
    spans: dict[str, list[CharSpan]] = {k: [] for k in scores}
    words = [w.lower().strip(".") for w in _WORD.findall(name)]
    stems = {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words}

    def add(kind: str, weight: float, why: str, span: CharSpan | None = None) -> None:
        scores[kind] += weight
        reasons.setdefault(kind, why)
        if span is not None and len(spans[kind]) < 3:
            spans[kind].append(span)

    lowered = name.lower().strip()
    if lowered in COUNTRIES or lowered.removeprefix("the ") in COUNTRIES:
        add("place", 3.0, f"{name} is a country or territory")
    if stems & ORGANISATION_WORDS:
        add("organisation", 2.0, f"{name} is named like an organisation")
    if any(w in PLACE_WORDS for w in words[1:] or words) and not stems & ORGANISATION_WORDS:
        add("place", 1.5, f"{name} is named like a place")
    if any(w in PERSON_TITLES for w in words[:-1]) and not stems & ORGANISATION_WORDS:
        add("person", 1.0, f"{name} carries a person's title")
    if _ACRONYM.match(name.strip()) and lowered not in COUNTRIES:
        add("organisation", 1.0, f"{name} is an acronym")
    text = aligner.text
    for m in _mentions(text, name):
        before = [w.lower().strip(".") for w in _WORD.findall(text[max(0, m.start - 40):m.start])][-2:]
        after_text = text[m.end:m.end + 80]
        after = [w.lower() for w in _WORD.findall(after_text)][:8]
        if before and (before[-1] in PERSON_TITLES or (len(before) == 2 and before[0] in PERSON_TITLES
                                                       and before[1] in PERSON_TITLES)):
            add("person", 1.0, f"the article writes {before[-1]!r} before it", m)
        if before and before[-1] in ("said", "says", "told", "asked"):
            add("person", 0.5, f"the article writes {before[-1]!r} before it", m)
        if _AGE.match(after_text):
            add("person", 1.0, "the article gives an age after it", m)
        if after[:1] and after[0] in _PERSON_VERBS and not text[m.end:m.end + 1].isalnum():
            add("person", 0.5, f"the article writes {name} {after[0]}", m)
        if _PRONOUNS_PERSON & set(after[1:]):
            add("person", 0.25, "a personal pronoun follows a mention", m)
        if after[:1] == ["its"] or after[:2] == ["it", "said"]:
            add("organisation", 0.5, "the article refers to it as 'it'", m)
        if before and before[-1] in ("in", "across", "inside"):
            add("place", 0.25, f"the article writes {before[-1]!r} before it", m)
    return KindSignals(scores, reasons, spans)
