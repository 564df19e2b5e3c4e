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

The weights and marks in :data:`CALIBRATIONS` and :data:`PLACE_NAME` were fitted by
``python bench/kind_fit.py --dump ... --emit`` on four labelled tuning sets of the tool's own
output, 37 documents outside the evaluation sets, every field labelled blind: bench/labels/tune,
tune-v6, tune-v8 and tune2-v9 (prompt versions 2, 6, 8 and 9; 3,075 fields), each verified as
shipped with the judge (``bench/own_set.py eval --judge --dump``). Per kind: a class-balanced
logistic regression, then the marks that leave the fewest fields uncertain while at most 12 %
of the kind's wrong fields score ``supported`` and at most 8 % of its right ones
``unsupported``. Cross-validated by document, with the lexical kinds' verdicts and the pairs
settled (:data:`summarizer.core.verify.registry.SETTLED_WITH`), the four sets come out at
92.0 / 10.8 / 82.5 / 20.2 % (wrong fields not supported / right ones unsupported /
unsupported ones wrong / uncertain; version 2's answers), 81.0 / 5.7 / 67.2 / 18.1 (version
6's), 79.6 / 5.9 / 63.0 / 17.9 (version 8's) and 80.4 / 6.3 / 79.1 / 13.9 (version 9's).

``check-claims`` keeps its own calibration (:data:`summarizer.core.verify.judge_scoring.JUDGE_WEIGHTS`,
fitted on SummaC claims), since its claims are not the tool's fields.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from summarizer.core.kinds import EntityType, Kind, Status
from summarizer.core.verify.judge_scoring import logit

__all__ = ["CALIBRATIONS", "PLACE_NAME", "POOLED", "Calibration", "calibration_for"]


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


# Kinds with too few labelled tuning fields to be fitted alone, fitted together (none now: every
# judged kind has at least 30 right and 30 wrong tuning fields).
POOLED: frozenset[Kind] = frozenset()

# `python bench/kind_fit.py --dump tune=T tune-v6=V tune-v8=E tune2-v9=F --max-wrong-passed 0.12
# --max-right-failed 0.08 --emit`, each file written by `python bench/own_set.py eval --set S
# --judge --dump F` on the four tuning sets of the tool's own output (bench/labels/tune,
# tune-v6, tune-v8, tune2-v9: prompt versions 2, 6, 8 and 9; 3,075 labelled fields, 37
# documents), with the phrasings of summarizer.core.verify.phrasing.CHOSEN. The limits are the
# pair of `kind_fit.py --grid` whose worst set misses the targets by least.
_POOLED = Calibration(  # every judged field but the claims (1,417, 378 wrong): for a kind without its own
    judge=1.4005, lexical=0.0162, subject=1.6717, bias=-2.4780, supported_at=0.6830, unsupported_below=0.2940
)
CALIBRATIONS: dict[Kind, Calibration] = {
    # Judged on their best sentences (judge_scoring.contexts_for): there the judge's P(yes) ranks
    # the tool's own claims (ROC AUC 0.81 on these sets; 0.54 judged on the whole article).
    Kind.CLAIM: Calibration(  # 467 fields, 112 wrong
        judge=0.7068, lexical=0.3121, subject=0.0, bias=-0.0423, supported_at=0.7106, unsupported_below=0.2361
    ),
    Kind.ENTITY_KIND: Calibration(  # 518 fields, 77 wrong
        judge=2.0322, lexical=0.0676, subject=0.5898, bias=-1.4625, supported_at=0.5839, unsupported_below=0.4142
    ),
    Kind.ROLE: Calibration(  # 235 fields, 61 wrong
        judge=0.8760, lexical=0.0674, subject=1.0705, bias=-1.7846, supported_at=0.7053, unsupported_below=0.2982
    ),
    Kind.COUNTS: Calibration(  # 160 fields, 55 wrong
        judge=1.2355, lexical=0.0, subject=1.1380, bias=-1.1643, supported_at=0.6712, unsupported_below=0.3021
    ),
    Kind.EVENT: Calibration(  # 165 fields, 48 wrong
        judge=1.0952, lexical=0.2003, subject=3.4452, bias=-3.5956, supported_at=0.6824, unsupported_below=0.2741
    ),
    Kind.SPEAKER: Calibration(  # 115 fields, 47 wrong
        judge=3.8391, lexical=0.3275, subject=1.8688, bias=-8.3683, supported_at=0.6244, unsupported_below=0.3707
    ),
}
# A name whose field fixes it as a place (the news schema's places), asked whether it names a
# place: 224 tuning names, 90 wrong (real names of the wrong kind: clubs, networks, auction
# houses, races). Names fixed as persons or organisations use the entity-kind calibration.
PLACE_NAME = Calibration(
    judge=2.1600, lexical=0.0, subject=0.0, bias=-1.2531, supported_at=0.7199, unsupported_below=0.3699
)


def calibration_for(kind: Kind, names: EntityType | None = None) -> Calibration:
    """The calibration of a judged kind; the pooled one for a kind not fitted alone.

    Args:
        kind: The judged kind, or :attr:`Kind.ENTITY_KIND` for a name asked what it names.
        names: For such a name, what its field fixes it to name; ``"place"`` has its own
            calibration (:data:`PLACE_NAME`).

    Returns:
        The calibration.
    """
    if kind is Kind.ENTITY_KIND and names == "place":
        return PLACE_NAME
    return CALIBRATIONS.get(kind, _POOLED)
