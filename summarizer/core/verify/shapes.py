"""Values of the wrong shape for their kind, in English: a description, a date or a nationality
given as a name, a kind of thing given as a role. Pure code; the kind checks of
:mod:`summarizer.core.verify.registry` use these. The word lists were drawn from the tuning set
of the tool's own labelled output (bench/labels/tune).
"""

from __future__ import annotations

import re

from summarizer.core.verify.dates import MONTHS, WEEKDAYS
from summarizer.core.verify.entity_signals import ORGANISATION_WORDS, PLACE_WORDS
from summarizer.core.verify.prepared import PreparedArticle

__all__ = [
    "a_people",
    "common_words",
    "event_word",
    "kind_noun",
    "no_entity_event",
    "only_a_date",
    "only_a_nationality",
]

# Lower-case words a name may hold ("Bank of England", "Leonardo da Vinci", "al-Assad").
_PARTICLES = frozenset(
    "a al af an and at av bin bint da das de degli dei del della den der des di do dos du e el for ibn in la las le "
    "lo los of on sans ten ter the to van vom von y zu zum & without".split()
)


_HYPHENED = re.compile(r"[A-Z][\w.]*(?:-[a-z]+)*-([a-z]{3,})")


def common_words(article: PreparedArticle, name: str) -> list[str]:
    """The words of ``name`` that are all lower case, no particle, and never written with a
    capital in the article; in an article that writes capitals, of a hyphened word that starts
    with one, its last part ("made" of "US-made", "backed" of "Kremlin-backed"; not "Hay-on-Wye"
    or "al-Assad").

    Returns:
        Those words in order: ["midfielder"] for "Tottenham midfielder", ["anxiety"], ["made"]
        for "US-made" (tuning sets: listed as an organisation and a place, wrong both times).
    """
    found = []
    for token in name.split():
        # in an article without capitals, the casing of a hyphened word is the model's own
        hyphened = _HYPHENED.fullmatch(token) if article.writes_case else None
        word = hyphened.group(1) if hyphened else token
        if (
            re.fullmatch(r"[a-z][a-z'’-]*", word)
            and word not in _PARTICLES
            and word[0].upper() + word[1:] not in article.capitalised
        ):
            found.append(word)
    return found


_CALENDAR = frozenset(MONTHS) | frozenset(WEEKDAYS)
_RANGE = frozenset({"to", "until", "till", "through", "from", "and"})
_DATE_WORDS = _CALENDAR | _RANGE | {"of", "the"}


def only_a_date(name: str) -> bool:
    """Whether ``name`` is a number or a date and nothing else.

    Returns:
        True for "2009", "October 2012", "May 4", "May to November"; False for "May" or "June"
        alone (a month's name is a person's too) and for "Apollo 11".
    """
    tokens = re.findall(r"[^\W_]+", name.casefold())
    dated = any(t.isdigit() for t in tokens) or (
        sum(t in _CALENDAR for t in tokens) >= 2 and any(t in _RANGE for t in tokens)
    )
    return (
        bool(tokens)
        and dated
        and all(t.isdigit() or re.fullmatch(r"\d+(st|nd|rd|th)", t) or t in _DATE_WORDS for t in tokens)
    )


# Adjectives of nationality, which the model gives as names ("French" as a person, "Japanese"
# as a place). Not the plural nouns of peoples ("Iraqis", "Yazidis"): they name a group, and
# the labels count such names right (the group's kind, a person, is what is wrong).
_NATIONALITIES = frozenset(
    "Afghan African Albanian Algerian American Argentine Argentinian Armenian Asian Australian "
    "Austrian Azerbaijani Bahraini Bangladeshi Belarusian Belgian Bolivian Bosnian Brazilian British "
    "Bulgarian Burmese Cambodian Cameroonian Canadian Chilean Chinese Colombian Congolese Croatian "
    "Cuban Cypriot Czech Danish Dutch Ecuadorian Egyptian Emirati English Eritrean Estonian Ethiopian "
    "European Filipino Finnish French Georgian German Ghanaian Greek Guatemalan Haitian Honduran "
    "Hungarian Icelandic Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian Jamaican "
    "Japanese Jordanian Kazakh Kenyan Korean Kurdish Kuwaiti Latvian Lebanese Libyan "
    "Lithuanian Malaysian Malian Maltese Mexican Moldovan Mongolian Moroccan Nepalese Nigerian "
    "Norwegian Pakistani Palestinian Panamanian Paraguayan Persian Peruvian Polish Portuguese Qatari "
    "Romanian Russian Rwandan Saudi Scottish Senegalese Serbian Sicilian Singaporean Slovak Slovenian "
    "Somali Spanish Sudanese Swedish Swiss Syrian Taiwanese Tanzanian Thai Tunisian Turkish Ugandan "
    "Ukrainian Uruguayan Uzbek Venezuelan Vietnamese Welsh Yemeni Zambian Zimbabwean".split()
)


def only_a_nationality(name: str) -> bool:
    """Whether ``name`` is an adjective of nationality and nothing else.

    Returns:
        True for "French", "the Japanese", "Iranian", "kurdish"; False for "French Open",
        "Japan" or "Iraqis".
    """
    words = name.split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    return len(words) == 1 and words[0][:1].upper() + words[0][1:].lower() in _NATIONALITIES


def a_people(name: str) -> str | None:
    """The nationality whose people ``name`` names in the plural.

    Returns:
        "Iraqi" for "Iraqis", "American" for "African-Americans"; None for anything else
        ("Iraq", "Williams").
    """
    words = name.split()
    if len(words) != 1 or not words[0].endswith("s"):
        return None
    last = words[0].split("-")[-1]
    for single in (last[:-1], last[:-2] if last.endswith("es") else ""):
        if single and single[:1].upper() + single[1:].lower() in _NATIONALITIES:
            return single[:1].upper() + single[1:].lower()
    return None


# The last word of the name of an event or a competition, which no entity kind fits:
# on the tuning sets the model typed "Fed Cup" and "Australian Open" as places and "Georgian
# Chess Championships" as an organisation, and the labels count all of them wrong
# (bench/labels/tune2-v9). Not "Festival" or "League" (organisations, venues).
_EVENT_WORDS = frozenset(
    "Championship Championships Tournament Cup Open Games Olympics Olympiad Paralympics Marathon Prix "
    "Trophy Awards Oscars Expo".split()
)
_EVENT_ALONE = frozenset({"Olympics", "Olympiad", "Paralympics", "Oscars"})  # one alone; not "Cup" alone


def event_word(name: str) -> str | None:
    """The word that makes ``name`` an event's or a competition's.

    Returns:
        "Cup" for "Fed Cup", "Open" for "Australian Open", "Olympics" for "Olympics"; None when
        the last word is no such word, is not capitalised, or is the whole name and names an
        event only with another ("Cup", "Open").
    """
    words = name.split()
    last = words[-1].strip(".,;:") if words else ""
    return last if last in _EVENT_WORDS and (len(words) >= 2 or last in _EVENT_ALONE) else None


def no_entity_event(name: str) -> str | None:
    """Why ``name``, as an entity's, is none, when it is named like an event or a competition.

    Returns:
        "named like an event or competition ('Cup'), not a person, organisation or place" for
        "Fed Cup"; None when :func:`event_word` finds no such word.
    """
    word = event_word(name)
    if word is None:
        return None
    return f"named like an event or competition ({word!r}), not a person, organisation or place"


# Nouns that say what kind of thing an entity is, not what part it plays: "company", "team",
# "city", "location", "bridge", "film" (entity_signals' organisation and place words, and these).
_KIND_NOUNS = (
    ORGANISATION_WORDS
    | PLACE_WORDS
    | frozenset(
        "city location country nation venue place area site bridge building tower stadium arena museum "
        "tunnel dam plant factory film movie book song album bill law condition disease illness "
        "population family people person individual government".split()
    )
)


def kind_noun(role: str) -> str | None:
    """What kind of thing ``role`` names, when that is all it says.

    Returns:
        The last word of a role of one to three words, without "of", that ends in one of
        :data:`_KIND_NOUNS` ("team", "club" for "football club", "group" for "terrorist
        group"); None otherwise ("head of the agency", "team captain", "mayor").
    """
    found = re.findall(r"[a-z][a-z'’-]*", role.casefold())
    return found[-1] if 0 < len(found) <= 3 and "of" not in found and found[-1] in _KIND_NOUNS else None
