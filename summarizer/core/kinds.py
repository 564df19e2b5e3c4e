"""The vocabulary of checkable field kinds, and the verdict enums. Pure data.

A summary schema is any Pydantic model whose leaves (strings, numbers, booleans, dates,
enums, Literals) each carry one field kind as ``typing.Annotated`` metadata. The kind says
how the verifier checks the value against the article::

    from typing import Annotated
    from pydantic import BaseModel
    from summarizer.core.kinds import ClaimText, Evidence, Name, Role, UNCHECKED

    class Party(BaseModel):
        name: Name              # in the article, in a form it uses
        role: Role              # stated near a mention of the name beside it
        evidence: Evidence      # quotes copied from the article; they support the fields above

    class Ruling(BaseModel):
        decision: ClaimText
        parties: list[Party]
        docket: Annotated[str, UNCHECKED]   # listed as unchecked, never passed silently

Kinds that describe another field (a role describes a name, a speaker a quote) find that
field among their siblings by kind; ``FieldKind(Kind.ROLE, of="defendant")`` names it when a
model holds more than one. The markers are invisible in the JSON Schema the model sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

__all__ = [
    "CLAIM",
    "COUNTS",
    "DATE",
    "ENTITY_KIND",
    "EVENT",
    "EVIDENCE",
    "NAME",
    "QUANTITY",
    "QUOTE",
    "ROLE",
    "SPEAKER",
    "UNCHECKED",
    "UNIT",
    "ClaimText",
    "Counts",
    "EntityKind",
    "EntityType",
    "Event",
    "Evidence",
    "EvidenceState",
    "FieldKind",
    "Kind",
    "Name",
    "OrganisationName",
    "PersonName",
    "PersonRole",
    "PlaceName",
    "Quantity",
    "QuoteText",
    "Role",
    "Speaker",
    "Status",
    "Unit",
    "When",
]


class Kind(StrEnum):
    """What a leaf states, and so how it is checked."""

    CLAIM = "claim"  # free text: supported by its evidence, else by the article's sentences
    NAME = "name"  # a person, organisation or place, in a form the article uses
    ENTITY_KIND = "entity_kind"  # what the named entity is (person, organisation, place)
    ROLE = "role"  # the role or title of the name beside it, stated near a mention
    QUANTITY = "quantity"  # a number; with a UNIT sibling, the unit is checked with it
    UNIT = "unit"  # the unit of the quantity beside it (checked in the quantity's verdict)
    COUNTS = "counts"  # what the quantity beside it counts, said where the number is
    DATE = "date"  # a date, time or duration
    EVENT = "event"  # what happened at the date beside it
    QUOTE = "quote"  # a direct quote: verbatim and inside quotation marks in the article
    SPEAKER = "speaker"  # who said the quote beside it: named near it
    EVIDENCE = "evidence"  # quotes copied from the article, supporting the model's other fields
    UNCHECKED = "unchecked"  # deliberately not checked: listed with status "unchecked"


# The field a relational kind describes, found among its siblings.
SUBJECT: dict[Kind, Kind] = {
    Kind.ENTITY_KIND: Kind.NAME,
    Kind.ROLE: Kind.NAME,
    Kind.UNIT: Kind.QUANTITY,
    Kind.COUNTS: Kind.QUANTITY,
    Kind.EVENT: Kind.DATE,
    Kind.SPEAKER: Kind.QUOTE,
}
# Kinds with no verdict of their own: evidence serves its model's fields, a unit its quantity.
SUPPORTING = frozenset({Kind.EVIDENCE, Kind.UNIT})

EntityType = Literal["person", "organisation", "place"]


@dataclass(frozen=True)
class FieldKind:
    """The marker: ``Annotated[str, FieldKind(Kind.NAME)]``.

    ``of`` names the sibling field a relational kind describes (only needed when there is
    more than one candidate). ``entity`` on a NAME fixes what it names (person, organisation,
    place) when no ENTITY_KIND sibling says it; on a ROLE, it is the one entity kind that may
    have a role: a decoder constrained by the schema writes null for the others
    (:func:`summarizer.core.narrowing.narrow_schema`).
    """

    kind: Kind
    of: str | None = None
    entity: EntityType | None = None

    def __post_init__(self) -> None:
        """Refuse a marker whose options cannot apply to its kind.

        Raises:
            ValueError: ``of`` on a kind that describes no sibling (only the kinds in
                ``SUBJECT`` do), or ``entity`` on a kind other than ``Kind.NAME`` and
                ``Kind.ROLE``.
        """
        if self.of is not None and self.kind not in SUBJECT:
            raise ValueError(
                f"FieldKind({self.kind.value}): 'of' only applies to " + ", ".join(k.value for k in SUBJECT)
            )
        if self.entity is not None and self.kind not in (Kind.NAME, Kind.ROLE):
            raise ValueError("FieldKind: 'entity' only applies to Kind.NAME and Kind.ROLE")


class Status(StrEnum):
    """A verdict's outcome for one leaf.

    ``supported``: the evidence says the article states the value (its words, or a judge's
    score at or above the kind's pass mark). ``unsupported``: the evidence says the value is
    wrong: what it names is in the article but the value is not what the article says (a
    figure that is no number, a quote the article does not hold as written, a judge's score
    under the kind's fail mark). ``not_found``: an unsupported value whose name, number or
    quote is not in the article at all; it fails exactly as ``unsupported`` does.
    ``uncertain``: neither the words nor the judge settle it (a calibrated score between the
    kind's two marks; words found but not where they should be: a unit not beside its number,
    a quote's words outside quotation marks; with the judge off, a judged kind whose words the
    lexical stage could not find near enough). ``unchecked``: a leaf marked ``UNCHECKED``,
    listed so that it is never passed silently.
    """

    SUPPORTED = "supported"
    UNSUPPORTED = "unsupported"
    NOT_FOUND = "not_found"
    UNCERTAIN = "uncertain"
    UNCHECKED = "unchecked"


class EvidenceState(StrEnum):
    """Where a verdict's evidence quotes stand."""

    VERBATIM = "verbatim"  # every quote found as written (after normalisation)
    FUZZY = "fuzzy"  # found only approximately
    NOT_FOUND = "not_found"  # a quote is not in the article
    NOT_SUPPORTING = "not_supporting"  # found, but the value stands on other passages
    NONE = "none"  # no evidence given


CLAIM = FieldKind(Kind.CLAIM)
NAME = FieldKind(Kind.NAME)
ENTITY_KIND = FieldKind(Kind.ENTITY_KIND)
ROLE = FieldKind(Kind.ROLE)
QUANTITY = FieldKind(Kind.QUANTITY)
UNIT = FieldKind(Kind.UNIT)
COUNTS = FieldKind(Kind.COUNTS)
DATE = FieldKind(Kind.DATE)
EVENT = FieldKind(Kind.EVENT)
QUOTE = FieldKind(Kind.QUOTE)
SPEAKER = FieldKind(Kind.SPEAKER)
EVIDENCE = FieldKind(Kind.EVIDENCE)
UNCHECKED = FieldKind(Kind.UNCHECKED)

ClaimText = Annotated[str, CLAIM]
Name = Annotated[str, NAME]
PersonName = Annotated[str, FieldKind(Kind.NAME, entity="person")]
OrganisationName = Annotated[str, FieldKind(Kind.NAME, entity="organisation")]
PlaceName = Annotated[str, FieldKind(Kind.NAME, entity="place")]
EntityKind = Annotated[EntityType, ENTITY_KIND]
Role = Annotated[str, ROLE]
PersonRole = Annotated[str, FieldKind(Kind.ROLE, entity="person")]
Quantity = Annotated[str, QUANTITY]
Unit = Annotated[str, UNIT]
Counts = Annotated[str, COUNTS]
When = Annotated[str, DATE]
Event = Annotated[str, EVENT]
QuoteText = Annotated[str, QUOTE]
Speaker = Annotated[str, SPEAKER]
Evidence = Annotated[list[str], EVIDENCE]
