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

__all__ = ["common_words", "kind_noun", "only_a_date", "only_a_nationality"]

# Lower-case words a name may hold ("Bank of England", "Leonardo da Vinci", "al-Assad").
_PARTICLES = frozenset(
    "a al af an and at av bin bint da das de degli dei del della den der des di do dos du e el for ibn in la las le "
    "lo los of on sans ten ter the to van vom von y zu zum & without".split()
)


def common_words(article: PreparedArticle, name: str) -> list[str]:
    """The words of ``name`` that are all lower case, no particle, and never written with a
    capital in the article.

    Returns:
        Those words in order: ["midfielder"] for "Tottenham midfielder", ["anxiety"].
    """
    return [
        word
        for word in name.split()
        if re.fullmatch(r"[a-z][a-z'’-]*", word)
        and word not in _PARTICLES
        and word[0].upper() + word[1:] not in article.capitalised
    ]


_DATE_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS) | {"of", "the"}


def only_a_date(name: str) -> bool:
    """Whether ``name`` is a number or a date and nothing else: "2009", "October 2012", "May 4"."""
    tokens = re.findall(r"[^\W_]+", name.casefold())
    return (
        bool(tokens)
        and any(t.isdigit() for t in tokens)
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


# Nouns that say what kind of thing an entity is, not what part it plays: "company", "team",
# "city", "location", "bridge", "film" (entity_signals' organisation and place words, and these).
_KIND_NOUNS = (
    ORGANISATION_WORDS
    | PLACE_WORDS
    | frozenset(
        "city location country nation venue place area site bridge building tower stadium arena museum "
        "tunnel dam plant factory film movie book song album bill law condition disease illness "
        "population family people government".split()
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
