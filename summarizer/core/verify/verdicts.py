"""What the verifier finds: one verdict per leaf, the verification of a summary, the policies
for failing and unsettled fields, and how a leaf's value reads in a verdict. Pure code."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from summarizer.core.kinds import EntityType, EvidenceState, Kind, Status
from summarizer.core.spans import Span
from summarizer.core.wire import undescribed

__all__ = ["Policy", "UncertainPolicy", "Verdict", "Verification", "leaf_text"]


class Policy(enum.StrEnum):
    """What ``summarize`` does with fields the article does not support."""

    FLAG = "flag"  # keep them, with their verdicts
    DROP = "drop"  # remove the smallest list item holding one; flag those outside any list
    REASK = "reask"  # send the verifier's reasons back to the model
    FAIL = "fail"  # make the article an error


class UncertainPolicy(enum.StrEnum):
    """What ``summarize`` does with fields neither the words nor the judge settle (``uncertain``)."""

    FLAG = "flag"  # keep them, with their verdicts (the default)
    DROP = "drop"  # remove the smallest list item holding one; flag those outside any list
    FAIL = "fail"  # make the article an error


class Verdict(BaseModel):
    """The verifier's finding on one leaf of a summary.

    ``status`` is ``supported``, ``unsupported``, ``not_found``, ``uncertain`` or ``unchecked``; ``score``,
    ``lexical_score`` and ``judge_score`` are in [0, 1] (``judge_score`` is the judge's P(yes),
    None when not judged); ``spans`` are the article's supporting passages with half-open
    character offsets into the record's article text. The docstring is kept out of the
    published record schema.
    """

    model_config = ConfigDict(json_schema_extra=undescribed)

    path: str = Field(description="Field path, e.g. key_points[2].text")
    kind: Kind
    value: str
    describes: str | None = Field(
        default=None,
        description="Path of the leaf this one describes (a role's name, a speaker's quote, what a figure counts).",
    )
    entity: EntityType | None = Field(
        default=None, description="For names: what the name names, from the schema or the entity's kind field."
    )
    status: Status
    reason: str | None = None
    evidence: EvidenceState
    score: float = Field(
        description="The verdict's score in [0, 1]: the kind's calibrated score when calibrated, "
        "else the lexical score."
    )
    lexical_score: float | None = Field(default=None, description="The lexical stage's score.")
    judge_score: float | None = Field(default=None, description="The judge's P(yes) about the statement.")
    judge_model: str | None = None
    statement: str | None = Field(default=None, description="What the judge was asked about.")
    spans: list[Span] = Field(default_factory=list)


class Verification(BaseModel):
    """Every verdict on one summary, with the counts.

    ``grounding_rate`` (in [0, 1]) is supported verdicts over the checked ones (``unchecked``
    leaves left out; ``uncertain`` ones counted as checked and not supported); ``dropped``
    holds the verdicts of items removed by ``--on-unsupported drop`` or ``--on-uncertain
    drop``. The docstring is kept out of the published record schema.
    """

    model_config = ConfigDict(json_schema_extra=undescribed)

    grounding_rate: float = Field(description="Share of checked verdicts that are supported.")
    supported: int
    unsupported: int
    not_found: int
    uncertain: int = Field(default=0, description="Verdicts neither the words nor the judge settle.")
    unchecked: int = Field(default=0, description="Leaves marked unchecked (not in the rate).")
    judged: int = Field(default=0, description="Verdicts a model judge scored.")
    verdicts: list[Verdict]
    dropped: list[Verdict] = Field(
        default_factory=list,
        description="The verdicts that made --on-unsupported drop or --on-uncertain drop remove "
        "their items (original paths).",
    )

    def failing(self) -> list[Verdict]:
        """The verdicts that fail: ``unsupported`` and ``not_found``, in the order of ``verdicts``."""
        return [v for v in self.verdicts if v.status in (Status.UNSUPPORTED, Status.NOT_FOUND)]

    def uncertain_verdicts(self) -> list[Verdict]:
        """The ``uncertain`` verdicts, in the order of ``verdicts``."""
        return [v for v in self.verdicts if v.status is Status.UNCERTAIN]


def leaf_text(value: Any) -> str:
    """How a leaf's value reads in a verdict and is matched against the article."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return f"{value:%B} {value.day}, {value.year} {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%B} {value.day}, {value.year}"
    return str(value)
