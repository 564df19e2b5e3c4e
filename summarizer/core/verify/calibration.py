"""Per-kind calibration of the judged verifier: one score per field and three outcomes. Pure.

For a judged field of kind K, the score is ``sigmoid(w_judge * logit(P(yes)) + w_lexical *
logit(lexical) + w_subject * subject + bias)`` with K's weights, all constrained non-negative (a
more confident Yes, a stronger word match or a supported subject never lowers a score).
``subject`` is 1 when the field describes nothing or the field it describes (a role's name, a
figure's number, an event's date, a speaker's quote) is ``supported``, else 0: what a figure
counts is mostly wrong when the figure is not supported, and an event likewise when its date
is not, whatever the judge says (tuning set: 37 of 52 such counts, 41 of 50 such events). K's
two marks split the score into the three outcomes: ``supported`` at ``supported_at`` or above,
``unsupported`` under ``unsupported_below``, ``uncertain`` between.

The weights and marks in :data:`CALIBRATIONS` were fitted by ``python bench/kind_fit.py
bench/out/phrasings.jsonl --emit`` (after ``python bench/phrasings.py run``) on the tool's own
labelled tuning output (bench/labels/tune: 25 documents outside the evaluation set, each field
labelled blind; the chosen phrasing of :mod:`summarizer.core.verify.phrasing`): a
class-balanced logistic regression per kind, then the marks that leave the fewest fields uncertain
while at most 15 % of the kind's wrong fields score ``supported`` and at most 12 % of its right
ones ``unsupported`` (chosen so that, with the lexical kinds' verdicts, the whole tuning set
meets the targets cross-validated: 82 % of wrong fields not supported, 8 % of right ones
unsupported, 83 % of unsupported ones wrong, 18 % uncertain). Kinds with fewer than 30 right or
30 wrong tuning fields (speakers: 28 and 25) use one fit on every judged field
(:data:`POOLED`).

``check-claims`` keeps its own calibration (:data:`summarizer.core.verify.judge_scoring.JUDGE_WEIGHTS`,
fitted on SummaC claims), since its claims are not the tool's fields.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from summarizer.core.kinds import Kind, Status
from summarizer.core.verify.judge_scoring import logit

__all__ = ["CALIBRATIONS", "POOLED", "Calibration", "calibration_for"]


@dataclass(frozen=True)
class Calibration:
    """One kind's weights and marks.

    ``judge``, ``lexical`` and ``subject`` (all >= 0) weigh the logits of the judge's P(yes) and
    of the lexical score, and whether the described field is supported; ``bias`` is added; the
    score is the sigmoid of the sum, in [0, 1].
    ``unsupported_below <= supported_at``, both in [0, 1].
    """

    judge: float
    lexical: float
    subject: float
    bias: float
    supported_at: float
    unsupported_below: float

    def score(self, p_yes: float, lexical: float, subject: bool = True) -> float:
        """The calibrated score.

        Args:
            p_yes: The judge's P(yes), in [0, 1] (any value when the kind's judge weight is 0).
            lexical: The lexical score, in [0, 1].
            subject: Whether the field it describes is supported (True when it describes none).

        Returns:
            The score in [0, 1].
        """
        z = self.judge * logit(p_yes) + self.lexical * logit(lexical) + self.subject * float(subject) + self.bias
        return 1 / (1 + math.exp(-z)) if z > -60 else 0.0

    def outcome(self, score: float) -> Status:
        """``supported``, ``uncertain`` or ``unsupported`` for a calibrated score in [0, 1]."""
        if score >= self.supported_at:
            return Status.SUPPORTED
        return Status.UNSUPPORTED if score < self.unsupported_below else Status.UNCERTAIN


# Kinds with too few labelled tuning fields to be fitted alone, fitted together.
POOLED = frozenset({Kind.SPEAKER})

# `python bench/kind_fit.py bench/out/phrasings.jsonl --max-wrong-passed 0.15 --max-right-failed 0.12 --emit`
# on bench/labels/tune with the phrasings of summarizer.core.verify.phrasing.CHOSEN.
_POOLED = Calibration(  # every judged field (759, 334 wrong): for speakers (53 fields, 25 wrong)
    judge=0.8300, lexical=0.0772, subject=1.1379, bias=-1.6616, supported_at=0.6096, unsupported_below=0.3692
)
CALIBRATIONS: dict[Kind, Calibration] = {
    # 161 fields, 37 wrong. The judge's P(yes) does not rank the tool's own claims (AUC 0.54),
    # so it gets no weight and claims are not put to it. So no confident No can fail a claim: a
    # low score on its words alone leaves it uncertain. The fit's fail mark, 0.3207, failed
    # claims of which 13 of 35 were right on the tuning set and most were right on the
    # evaluation sets. A claim with a name or number the article lacks still fails on its words.
    Kind.CLAIM: Calibration(
        judge=0.0, lexical=0.4788, subject=0.0, bias=1.8913, supported_at=0.6852, unsupported_below=0.0
    ),
    Kind.ENTITY_KIND: Calibration(  # 180 fields, 61 wrong; one cut: no uncertain band
        judge=3.1727, lexical=0.0, subject=0.5474, bias=-0.9329, supported_at=0.3836, unsupported_below=0.3836
    ),
    Kind.ROLE: Calibration(  # 180 fields, 110 wrong
        judge=0.6546, lexical=0.0802, subject=0.0, bias=-0.6172, supported_at=0.6518, unsupported_below=0.3105
    ),
    Kind.COUNTS: Calibration(  # 90 fields, 49 wrong
        judge=1.0703, lexical=0.0, subject=1.7176, bias=-1.0240, supported_at=0.6756, unsupported_below=0.2851
    ),
    Kind.EVENT: Calibration(  # 95 fields, 52 wrong
        judge=0.7753, lexical=0.1210, subject=2.4355, bias=-1.9171, supported_at=0.6959, unsupported_below=0.2288
    ),
    Kind.SPEAKER: _POOLED,
}


def calibration_for(kind: Kind) -> Calibration:
    """The calibration of a judged kind; the pooled one for a kind not fitted alone."""
    return CALIBRATIONS.get(kind, _POOLED)
