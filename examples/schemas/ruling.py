"""A court-ruling summary: the court, the decision, the parties and their roles, the sums
awarded with what each is for, and quotes. Run it with::

    summarizer summarize --schema examples/schemas/ruling.py:CourtRuling examples/schemas/court-ruling.txt
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from summarizer.kinds import (
    ClaimText,
    Counts,
    EntityKind,
    Evidence,
    Name,
    OrganisationName,
    Quantity,
    QuoteText,
    Role,
    Speaker,
    Unit,
    When,
)

QUOTED = "Copied word for word from the article."


class Decision(BaseModel):
    text: ClaimText = Field(description="What the court decided, in your own words.")
    evidence: Evidence = Field(max_length=2, description=QUOTED)


class Party(BaseModel):
    name: Name = Field(description="Full name as written in the article.")
    kind: EntityKind
    role: Role = Field(description="Their part in the case as the article states it, e.g. 'lawyer for the company'.")
    evidence: Evidence = Field(max_length=2, description=QUOTED)


class Award(BaseModel):
    amount: Quantity = Field(description="The sum exactly as written, e.g. '3.4 million'.")
    unit: Unit | None = Field(description="Currency or unit, else null.")
    counts: Counts = Field(description="What the sum is for, e.g. 'legal costs'.")
    evidence: Evidence = Field(max_length=2, description=QUOTED)


class Quote(BaseModel):
    speaker: Speaker = Field(description="Who said it, as named in the article.")
    text: QuoteText = Field(description="The quoted words, copied exactly, without quote marks.")


class CourtRuling(BaseModel):
    """Summary of a court ruling."""

    court: OrganisationName = Field(description="The court, as named in the article.")
    date: When = Field(description="When it ruled, as written.")
    decision: Decision
    parties: list[Party] = Field(max_length=6, description="People and organisations in the case.")
    awards: list[Award] = Field(max_length=4, description="Sums the court ordered or changed.")
    quotes: list[Quote] = Field(max_length=3, description="Direct quotes that appear in quote marks.")
    next_step: ClaimText | None = Field(description="What happens next, if the article says, else null.")
