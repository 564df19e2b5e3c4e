"""The model-judge stage of verification: what is asked, and how the answer is scored. Pure.

After the lexical checks, every checked leaf of a judged kind (see
:mod:`summarizer.core.verify.registry`) whose lexical check did not fail hard (a name, number, quote
or ordinal the article lacks), and whose kind's calibration gives the judge weight, is put to a
:class:`Judge` as one plain statement
(:mod:`summarizer.core.verify.phrasing`). The judge answers Yes or No about the article; its
score is P(yes) / (P(yes) + P(no)) from the answer token's log-probabilities. A summary
field's score and outcome come from its kind's calibration
(:mod:`summarizer.core.verify.calibration`); ``check-claims`` combines P(yes) and the lexical
score with :func:`combine` and one threshold, fitted on the tuning half of the SummaC files
by ``bench/judge_tune.py``.

Context: a summary's claims are judged on their best :data:`PASSAGES` sentences, always. The
other statements are judged on the whole article when it is at most
:data:`WHOLE_ARTICLE_TOKENS` and they would together prefill more passage tokens than the
article itself (a server's prefix cache serves the article once for all of them); otherwise
on each statement's best :data:`PASSAGES` sentences. On the tool's own claims (bench/labels/tune-v6:
the 139 claims the lexical stage leaves to the judge, 33 wrong) the judge's P(yes) has ROC AUC
0.56 judged on the whole article and 0.84 on the claim's best sentences, the context
``check-claims`` has always used. The core never imports a client: a judge is handed in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from summarizer.core.verify.claims import support
from summarizer.core.verify.prepared import PreparedArticle

__all__ = [
    "JUDGE_THRESHOLD",
    "JUDGE_WEIGHTS",
    "PASSAGES",
    "WHOLE_ARTICLE_TOKENS",
    "Judge",
    "JudgeScore",
    "combine",
    "contexts_for",
    "logit",
    "p_yes",
]

# Sentences a statement is judged against when the article is not sent whole: a chosen value.
# Fewer miss a claim that joins two sentences; more prefill more tokens per statement.
PASSAGES = 3
# The largest article (in estimated tokens) ever sent whole: a chosen value, not measured. It
# caps what one judge call prefills, at the cost of judging a long article on passages even
# when its statements together would prefill more.
WHOLE_ARTICLE_TOKENS = 3000
PASSAGE_TOKENS = 110  # a statement's 3 best sentences, measured on the SummaC documents
# Characters per token of English text under these BPE vocabularies: an estimate, so that no
# tokenizer is loaded (summarizer.run.pipeline uses 3.5 where it must not underestimate).
CHARS_PER_TOKEN = 4.2

# Fitted by `python bench/judge_tune.py --per-subset 60` on the tuning half of the SummaC files
# (60 claims per subset, 51 for SummEval: 231 claims; logistic regression on the two logits,
# then the threshold at the best mean balanced accuracy over the subsets). The lexical weight
# is near zero: on these claims the judge carries the signal. The bias means a judge's Yes
# must be confident (P(yes) above about 0.87) for a field to pass.
JUDGE_WEIGHTS = {"judge": 0.9746, "lexical": -0.0742, "bias": -1.8262}
JUDGE_THRESHOLD = 0.513
# Without log-probabilities (an endpoint that does not return them) the one-word answer maps
# to fixed scores: a Yes is strong but not certain evidence, a No likewise. Chosen values, not
# fitted (every fit had log-probabilities). Through combine(), a Yes at 0.85 stays under
# JUDGE_THRESHOLD unless the lexical score is below about 0.07 (the lexical weight is
# negative), so without log-probabilities a check-claims claim almost never passes; a summary
# field's outcome follows its kind's calibration.
FALLBACK_SCORES = {"yes": 0.85, "no": 0.15}


@dataclass(frozen=True)
class JudgeScore:
    """The judge's answer about one statement.

    ``p_yes`` is P(yes) / (P(yes) + P(no)) in [0, 1], or a fixed :data:`FALLBACK_SCORES` value
    when ``from_logprobs`` is false. ``model`` is the judge's model id, ``answer`` the answer
    token as written; ``cached`` is true when the score came from the score cache.
    """

    p_yes: float  # in [0, 1]
    model: str
    answer: str  # the answer token as the model wrote it
    from_logprobs: bool  # False: a fixed score for a bare Yes/No (the endpoint gave no logprobs)
    cached: bool = False


class Judge(Protocol):
    """Scores statements against their contexts; a client implements it (summarizer.llm.judge_client).

    ``model`` is the judge's model id, recorded with its verdicts.
    """

    model: str

    def score(self, items: list[tuple[str, str]]) -> list[JudgeScore]:
        """Score each statement against its context.

        Args:
            items: (context, statement) pairs: the article or its passages (see
                :func:`contexts_for`), and one plain statement about it.

        Returns:
            One score per item, in the same order.

        Raises:
            EndpointError: A judge over HTTP could not get an answer (its subclasses in
                :mod:`summarizer.core.errors`).
        """
        ...


def logit(p: float, eps: float = 1e-4) -> float:
    """log(p / (1 - p)), with ``p`` first clipped to [eps, 1 - eps] so 0 and 1 stay finite (about ±9.2)."""
    p = min(1 - eps, max(eps, p))
    return math.log(p / (1 - p))


def p_yes(top: list[tuple[str, float]]) -> float | None:
    """The judge's score from the first answer token's top log-probabilities.

    Args:
        top: (token, natural-log probability) pairs; tokens are compared stripped and lower-cased,
            so "Yes", " yes" and "YES" all count as yes.

    Returns:
        P(yes) / (P(yes) + P(no)) in [0, 1]; None when neither answer is among the pairs.
    """
    yes = sum(math.exp(lp) for tok, lp in top if tok.strip().lower() == "yes")
    no = sum(math.exp(lp) for tok, lp in top if tok.strip().lower() == "no")
    return yes / (yes + no) if yes + no > 0 else None


def combine(judge: float, lexical: float, weights: dict[str, float] | None = None) -> float:
    """One calibrated score from the judge's probability and the lexical score.

    ``sigmoid(w_judge * logit(judge) + w_lexical * logit(lexical) + bias)``.

    Args:
        judge: The judge's P(yes), in [0, 1].
        lexical: The lexical check's score, in [0, 1].
        weights: ``judge``, ``lexical`` and ``bias`` weights; :data:`JUDGE_WEIGHTS` when None.

    Returns:
        The score in [0, 1]; a ``check-claims`` claim passes at :data:`JUDGE_THRESHOLD` or more.
    """
    w = JUDGE_WEIGHTS if weights is None else weights
    z = w["judge"] * logit(judge) + w["lexical"] * logit(lexical) + w["bias"]
    return 1 / (1 + math.exp(-z)) if z > -60 else 0.0


def _tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def passages(article: PreparedArticle, statement: str) -> str:
    """The statement's best sentences (at most PASSAGES), in article order, one per line."""
    chosen = support(article, statement).chosen or list(range(min(PASSAGES, len(article.sentences))))
    return "\n".join(article.sentences[i].text for i in chosen[:PASSAGES])


def contexts_for(
    article: PreparedArticle, statements: list[str], on_passages: Sequence[bool] | None = None
) -> list[str]:
    """The context each statement is judged against (see the module docstring).

    Args:
        article: The prepared article.
        statements: The statements, in order.
        on_passages: Per statement, True to judge it on its :func:`passages` whatever the
            article's length (a summary's claims: the judge ranks them on their best sentences,
            not on the whole article); None: no statement is.

    Returns:
        One context per statement, in order: each statement's :func:`passages` where
        ``on_passages`` says so, and for the others the whole article text or each one's
        :func:`passages`, by the rule of the module docstring (counting only those others).
    """
    forced = list(on_passages) if on_passages is not None else [False] * len(statements)
    size = _tokens(article.text)
    whole = size <= WHOLE_ARTICLE_TOKENS and forced.count(False) * PASSAGE_TOKENS >= size
    return [article.text if whole and not f else passages(article, s) for s, f in zip(statements, forced, strict=True)]
