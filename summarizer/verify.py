"""Verify a summary against its article: one verdict per claim-bearing field.

Pure code. Each item's evidence quotes are aligned first (in order, so repeated mentions land
on distinct occurrences), then each value is checked by its type (:mod:`summarizer.checks`).
The result keeps the value and the verdict side by side, with clickable character offsets.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from .align import Aligner, CharSpan
from .checks import (
    Check,
    Status,
    check_claim,
    check_name,
    check_quantity,
    check_quote,
    check_role,
    check_speaker,
)
from .claims import Document
from .schema import ArticleSummary

__all__ = ["Span", "Verdict", "Verification", "drop_unsupported", "verify_summary"]

Policy = Literal["flag", "drop", "reask", "fail"]
_REQUIRED = ("headline", "summary")


class Span(BaseModel):
    start: int
    end: int
    text: str


class Verdict(BaseModel):
    path: str = Field(description="Field path, e.g. key_points[2].text")
    kind: Literal["claim", "name", "role", "quantity", "quote", "speaker"]
    value: str
    status: Status
    reason: str | None = None
    evidence: str = Field(description="verbatim | fuzzy | not_found | not_supporting | none")
    score: float
    spans: list[Span] = Field(default_factory=list)


class Verification(BaseModel):
    grounding_rate: float = Field(description="Share of verdicts that are supported.")
    supported: int
    unsupported: int
    not_found: int
    verdicts: list[Verdict]
    dropped: list[Verdict] = Field(
        default_factory=list,
        description="Failing verdicts of items removed by --on-unsupported drop (original paths).",
    )

    def failing(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status is not Status.SUPPORTED]


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.aligner = Aligner(text)
        self.doc = Document(text)
        self.taken: set[CharSpan] = set()
        self.verdicts: list[Verdict] = []

    def add(self, path: str, kind: Any, value: str, check: Check) -> None:
        spans = [Span(start=s.start, end=s.end, text=self.text[s.start : s.end]) for s in check.spans]
        self.verdicts.append(Verdict(path=path, kind=kind, value=value, status=check.status,
                                     reason=check.reason, evidence=check.evidence,
                                     score=round(check.score, 3), spans=spans))

    def evidence(self, quotes: list[str]) -> list[Any]:
        return [self.aligner.align(q, self.taken) for q in quotes if q.strip()]


def verify_summary(summary: ArticleSummary, text: str) -> Verification:
    """Check every claim-bearing field of ``summary`` against the article ``text``."""
    w = _Walker(text)
    for name in _REQUIRED:
        claim = getattr(summary, name)
        w.add(f"{name}.text", "claim", claim.text, check_claim(w.doc, claim.text, w.evidence(claim.evidence)))
    for i, kp in enumerate(summary.key_points):
        w.add(f"key_points[{i}].text", "claim", kp.text, check_claim(w.doc, kp.text, w.evidence(kp.evidence)))
    for i, ent in enumerate(summary.entities):
        w.evidence(ent.evidence)
        w.add(f"entities[{i}].name", "name", ent.name, check_name(w.aligner, ent.name))
        if ent.role:
            w.add(f"entities[{i}].role", "role", ent.role, check_role(w.aligner, ent.name, ent.role))
    for i, place in enumerate(summary.places):
        w.evidence(place.evidence)
        w.add(f"places[{i}].name", "name", place.name, check_name(w.aligner, place.name))
    for i, d in enumerate(summary.dates):
        ev = w.evidence(d.evidence)
        w.add(f"dates[{i}].when", "quantity", d.when, check_quantity(w.aligner, d.when, ev, w.doc))
        w.add(f"dates[{i}].event", "claim", d.event, check_claim(w.doc, d.event, ev))
    for i, fig in enumerate(summary.figures):
        ev = w.evidence(fig.evidence)
        value = f"{fig.value} {fig.unit or ''}".strip()
        w.add(f"figures[{i}].value", "quantity", value, check_quantity(w.aligner, fig.value, ev, w.doc))
    for i, q in enumerate(summary.quotes):
        check, aligned = check_quote(w.aligner, q.text, w.taken)
        w.add(f"quotes[{i}].text", "quote", q.text, check)
        w.add(f"quotes[{i}].speaker", "speaker", q.speaker, check_speaker(w.aligner, q.speaker, aligned))
    counts = {s: sum(v.status is s for v in w.verdicts) for s in Status}
    total = len(w.verdicts) or 1
    return Verification(
        grounding_rate=round(counts[Status.SUPPORTED] / total, 4),
        supported=counts[Status.SUPPORTED],
        unsupported=counts[Status.UNSUPPORTED],
        not_found=counts[Status.NOT_FOUND],
        verdicts=w.verdicts,
    )


def _item_of(path: str) -> tuple[str, int] | None:
    """``key_points[2].text`` -> ("key_points", 2); required fields -> None."""
    head = path.split(".", 1)[0]
    if "[" not in head:
        return None
    name, idx = head[:-1].split("[")
    return name, int(idx)


def drop_unsupported(summary: ArticleSummary, text: str) -> tuple[ArticleSummary, Verification]:
    """``--on-unsupported drop``: remove list items with a failing field; required fields stay
    (flagged). The kept summary is verified again, so paths index what is printed, and the
    removed items' verdicts are kept under ``dropped``: nothing vanishes unexplained."""
    first = verify_summary(summary, text)
    doomed: dict[str, set[int]] = {}
    removed: list[Verdict] = []
    for v in first.failing():
        item = _item_of(v.path)
        if item:
            doomed.setdefault(item[0], set()).add(item[1])
            removed.append(v)
    if not doomed:
        return summary, first
    data = summary.model_dump()
    for name, idxs in doomed.items():
        data[name] = [x for i, x in enumerate(data[name]) if i not in idxs]
    kept = ArticleSummary.model_validate(data)
    return kept, verify_summary(kept, text).model_copy(update={"dropped": removed})
