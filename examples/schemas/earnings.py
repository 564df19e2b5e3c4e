"""An earnings-report summary: the company, its figures with what each counts, guidance,
executives and quotes. Run it with::

    summarizer summarize --schema examples/schemas/earnings.py:EarningsReport examples/schemas/earnings-report.txt
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from summarizer.kinds import (
    UNCHECKED,
    ClaimText,
    Counts,
    Evidence,
    OrganisationName,
    PersonName,
    Quantity,
    QuoteText,
    Role,
    Speaker,
    Unit,
    When,
)

QUOTED = "Copied word for word from the article."


class Result(BaseModel):
    value: Quantity = Field(description="The number exactly as written, e.g. '42.6 million'.")
    unit: Unit | None = Field(description="Unit or currency, e.g. 'dollars', 'percent', 'tonnes', else null.")
    counts: Counts = Field(description="What it measures, e.g. 'third-quarter net profit'.")
    evidence: Evidence = Field(max_length=2, description=QUOTED)


class Guidance(BaseModel):
    statement: ClaimText = Field(description="What the company expects or plans, in your own words.")
    evidence: Evidence = Field(max_length=2, description=QUOTED)


class Executive(BaseModel):
    name: PersonName = Field(description="Full name as written in the article.")
    role: Role = Field(description="Their title as the article states it.")
    evidence: Evidence = Field(max_length=2, description=QUOTED)


class Quote(BaseModel):
    speaker: Speaker = Field(description="Who said it, as named in the article.")
    text: QuoteText = Field(description="The quoted words, copied exactly, without quote marks.")


class EarningsReport(BaseModel):
    """Summary of a company's earnings report."""

    company: OrganisationName = Field(description="The company reporting, as named in the article.")
    headline: ClaimText = Field(description="A factual headline of at most 15 words.")
    period: When = Field(description="The period reported, as written, e.g. 'the third quarter'.")
    results: list[Result] = Field(max_length=6, description="Reported figures: profit, revenue, volumes.")
    guidance: list[Guidance] = Field(max_length=3, description="Forecasts and plans.")
    executives: list[Executive] = Field(max_length=4)
    quotes: list[Quote] = Field(max_length=3, description="Direct quotes that appear in quote marks.")
    sector: Annotated[str, UNCHECKED] = Field(description="The industry, in one or two words.")
