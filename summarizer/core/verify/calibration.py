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
``python bench/kind_fit.py --dump ... --emit`` on two labelled tuning sets of the tool's own
output, 25 documents outside the evaluation sets, every field labelled blind: bench/labels/tune
(prompt version 2's answers, 1,172 fields as shipped) and bench/labels/tune-v6 (version 6's,
825 fields), each verified as shipped with the judge (``bench/own_set.py eval --judge --dump``).
Per kind: a class-balanced logistic regression, then the marks that leave the fewest fields
uncertain while at most 12 % of the kind's wrong fields score ``supported`` and at most 15 % of
its right ones ``unsupported``. Cross-validated by document, with the lexical kinds' verdicts
and the pairs settled (:data:`summarizer.core.verify.registry.SETTLED_WITH`), version 6's
tuning answers come out at 80 % of wrong fields not supported, 5 % of right ones unsupported,
65 % of unsupported ones wrong and 19 % uncertain; version 2's at 91 %, 11 %, 82 % and 19 %.
Claims keep the calibration fitted on version 2's answers (the judge is not asked about them).

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
# judged kind has at least 30 right and 30 wrong tuning fields; claims are not judged).
POOLED: frozenset[Kind] = frozenset()

# `python bench/kind_fit.py --dump tune=T tune-v6=V --max-wrong-passed 0.12 --max-right-failed 0.15
# --emit`, T and V written by `python bench/own_set.py eval --set S --judge --dump F` on
# bench/labels/tune (prompt version 2's answers) and bench/labels/tune-v6 (version 6's), with the
# phrasings of summarizer.core.verify.phrasing.CHOSEN.
_POOLED = Calibration(  # every judged field (935, 294 wrong): for a judged kind without its own
    judge=1.3426, lexical=0.0120, subject=1.7316, bias=-2.3564, supported_at=0.6609, unsupported_below=0.4259
)
CALIBRATIONS: dict[Kind, Calibration] = {
    # bench/labels/tune, 161 fields, 37 wrong (fitted on version 2's answers alone, not refitted).
    # The judge's P(yes) does not rank the tool's own claims (AUC 0.54), so it gets no weight and
    # claims are not put to it. So no confident No can fail a claim: a low score on its words
    # alone leaves it uncertain. The fit's fail mark, 0.3207, failed claims of which 13 of 35
    # were right on the tuning set and most were right on the evaluation sets. A claim with a
    # name or number the article lacks still fails on its words.
    Kind.CLAIM: Calibration(
        judge=0.0, lexical=0.4788, subject=0.0, bias=1.8913, supported_at=0.6852, unsupported_below=0.0
    ),
    Kind.ENTITY_KIND: Calibration(  # 313 fields, 60 wrong; one cut: no uncertain band
        judge=2.3589, lexical=0.0236, subject=0.7155, bias=-1.1293, supported_at=0.5155, unsupported_below=0.5155
    ),
    Kind.ROLE: Calibration(  # 165 fields, 46 wrong
        judge=0.9175, lexical=0.0622, subject=1.0110, bias=-1.6421, supported_at=0.6982, unsupported_below=0.4004
    ),
    Kind.COUNTS: Calibration(  # 112 fields, 45 wrong
        judge=1.1989, lexical=0.0, subject=1.3135, bias=-1.1831, supported_at=0.6806, unsupported_below=0.3769
    ),
    Kind.EVENT: Calibration(  # 118 fields, 48 wrong
        judge=1.0207, lexical=0.1168, subject=3.0691, bias=-3.1304, supported_at=0.7009, unsupported_below=0.5936
    ),
    Kind.SPEAKER: Calibration(  # 82 fields, 33 wrong
        judge=2.6334, lexical=0.2059, subject=1.4881, bias=-5.7398, supported_at=0.8242, unsupported_below=0.5410
    ),
}
# A name whose field fixes it as a place (the news schema's places), asked whether it names a
# place: 145 tuning names, 62 wrong (real names of the wrong kind: clubs, networks, auction
# houses, races). Names fixed as persons or organisations use the entity-kind calibration.
PLACE_NAME = Calibration(
    judge=2.3294, lexical=0.0, subject=0.0, bias=-1.4567, supported_at=0.6533, unsupported_below=0.4984
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
