"""Verify a summary of any schema against its article: one verdict per checked leaf.

Pure code. The schema's plan (:mod:`summarizer.core.schema_plan`) says each leaf's kind. The walker goes
through the summary model by model: an item's evidence quotes are aligned first (in order, so
repeated mentions land on distinct occurrences), then its leaves are checked by kind through
the registry (:mod:`summarizer.core.verify.registry`), primary kinds before the kinds that describe them
(a name before its role, a quote before its speaker). Leaves marked unchecked are listed with
status ``unchecked`` and kept out of the grounding rate. The result keeps each value beside
its verdict, with character offsets into the original text.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pydantic import BaseModel

from summarizer.core.kinds import SUBJECT, SUPPORTING, EntityType, Kind, Status
from summarizer.core.schema_plan import FieldPlan, ModelPlan, compile_schema
from summarizer.core.spans import Span
from summarizer.core.verify.align import Alignment, align
from summarizer.core.verify.calibration import calibration_for
from summarizer.core.verify.checks import Check
from summarizer.core.verify.claims import score_claim
from summarizer.core.verify.entity_signals import is_country, not_a_place
from summarizer.core.verify.judge_scoring import Judge, JudgeScore, contexts_for
from summarizer.core.verify.phrasing import statement
from summarizer.core.verify.prepared import PreparedArticle
from summarizer.core.verify.registry import REGISTRY, SETTLED_WITH, WITH_ARTICLE, Leaf, Related
from summarizer.core.verify.shapes import no_entity_event
from summarizer.core.verify.verdicts import Policy, UncertainPolicy, Verdict, Verification, leaf_text

__all__ = ["SETTLED_BY_PAIR", "Policy", "UncertainPolicy", "Verdict", "Verification", "leaf_text", "verify_summary"]


# How the reason of a leaf made uncertain by its pair begins, and how it names what the pair
# says the leaf is for (:meth:`_Walker.settle_pairs`).
SETTLED_BY_PAIR = "the article has it, but its"
_FOR_THAT = {Kind.EVENT: "that event", Kind.COUNTS: "what it is said to count"}

_ENTITIES: dict[str, EntityType] = {
    "person": "person",
    "organisation": "organisation",
    "organization": "organisation",
    "place": "place",
}
_NO_UNIT = frozenset({"", "none", "null", "n/a", "na", "-"})


class _Walker:
    def __init__(
        self, article: PreparedArticle, phrasing: Mapping[Kind, str] | None = None, ask: Collection[Kind] = ()
    ) -> None:
        self.article = article
        self.phrasing = phrasing
        self.ask = frozenset(ask)
        self.taken: set[Span] = set()  # occurrences quotes have claimed, in the order asked
        self.verdicts: list[Verdict] = []
        # verdict index, statement, lexical check, and the kind whose calibration scores it
        self.to_judge: list[tuple[int, str, Check, Kind]] = []

    def add(
        self,
        path: str,
        kind: Kind,
        value: str,
        check: Check,
        describes: str | None = None,
        entity: EntityType | None = None,
    ) -> None:
        self.verdicts.append(
            Verdict(
                path=path,
                kind=kind,
                value=value,
                describes=describes,
                entity=entity,
                status=check.status,
                reason=check.reason,
                evidence=check.evidence,
                score=round(check.score, 3),
                lexical_score=round(check.score, 3),
                spans=list(check.spans),
            )
        )

    def judge(self, judge: Judge) -> int:
        """Turn each collected leaf into a calibrated verdict with one of three outcomes
        (:mod:`summarizer.core.verify.calibration`), asking ``judge`` about the leaves whose
        kind's calibration gives the judge weight.

        Returns:
            How many leaves the judge was asked about.
        """
        asking = [
            (i, q, kind) for i, q, _, kind in self.to_judge if calibration_for(kind).judge > 0 or kind in self.ask
        ]
        said = [q for _, q, _ in asking]
        contexts = contexts_for(self.article, said, [kind is Kind.CLAIM for _, _, kind in asking])
        scores = judge.score(list(zip(contexts, said, strict=True))) if asking else []
        answers = {i: (q, js) for (i, q, _), js in zip(asking, scores, strict=True)}
        status = {v.path: v.status for v in self.verdicts}  # the described fields are never judged
        for i, _, check, kind in self.to_judge:
            v = self.verdicts[i]
            subject = status.get(v.describes) if v.describes else None
            self.verdicts[i] = self._calibrated(v, check, answers.get(i), subject, kind)
        return len(asking)

    def _calibrated(
        self, v: Verdict, check: Check, answer: tuple[str, JudgeScore] | None, subject: Status | None, as_kind: Kind
    ) -> Verdict:
        lexical = score_claim(self.article, v.value).score if v.kind in (Kind.CLAIM, Kind.EVENT) else check.score
        fixed = v.entity if v.kind is not as_kind else None  # a name whose schema fixes what it names
        cal = calibration_for(as_kind, fixed)
        js = answer[1] if answer else None
        combined = cal.score(js.p_yes if js else 0.5, lexical, subject in (None, Status.SUPPORTED))
        status = cal.outcome(combined)
        said = f"judge {js.answer.strip() or '?'} (P(yes) {js.p_yes:.2f})" if js else f"word overlap {lexical:.2f}"
        if fixed is not None:
            said = f"is it {WITH_ARTICLE[fixed]}? {said}"
        words = f"lexical: {check.reason}" if check.reason else "its words are in the article"
        if subject not in (None, Status.SUPPORTED) and v.describes:
            words += f"; what it describes ({v.describes}) is {subject.value}"
        kind = "place name" if fixed == "place" else as_kind.value.replace("_", " ")
        if status is Status.SUPPORTED:
            reason = (
                check.reason
                if check.status is Status.SUPPORTED
                else f"{said}, score {combined:.2f} at or above the {kind} pass mark {cal.supported_at}; {words}"
            )
        elif status is Status.UNSUPPORTED:
            reason = f"{said}, score {combined:.2f} under the {kind} fail mark {cal.unsupported_below}; {words}"
        elif cal.unsupported_below > 0:
            reason = (
                f"{said}, score {combined:.2f} between the {kind} marks "
                f"{cal.unsupported_below} and {cal.supported_at}: not settled; {words}"
            )
        else:  # a kind whose calibration has no fail mark: no score fails it
            reason = f"{said}, score {combined:.2f} under the {kind} pass mark {cal.supported_at}: not settled; {words}"
        if js is not None and not js.from_logprobs:
            note = f"judged without logprobs: a fixed score for its {js.answer.strip() or 'answer'}"
            reason = f"{reason}; {note}" if reason else note
        update: dict[str, Any] = {
            "status": status,
            "reason": reason,
            "score": round(combined, 3),
            "lexical_score": round(lexical, 3),
        }
        if answer is not None and js is not None:
            update |= {"judge_score": round(js.p_yes, 4), "judge_model": js.model, "statement": answer[0]}
        return v.model_copy(update=update)

    def unjudged(self) -> None:
        """With the judge off: a judged kind's soft lexical failure (words not found near
        enough, not a missing name, number or quote) is ``uncertain``, since the words alone do
        not settle it; its reason stays the lexical stage's. Nothing is calibrated."""
        for i, _, check, _ in self.to_judge:
            if check.status is Status.UNSUPPORTED:
                self.verdicts[i] = self.verdicts[i].model_copy(update={"status": Status.UNCERTAIN})

    def settle_pairs(self) -> None:
        """A supported leaf of a kind in :data:`SETTLED_WITH` (a date, a figure's number) whose
        describing leaf of the paired kind (its event, what it counts) is not supported becomes
        ``uncertain``, with the reason."""
        paired = {
            v.describes: v
            for v in self.verdicts
            if v.describes and v.status not in (Status.SUPPORTED, Status.UNCHECKED)
        }
        for i, v in enumerate(self.verdicts):
            other = paired.get(v.path)
            if v.status is Status.SUPPORTED and other is not None and SETTLED_WITH.get(v.kind) is other.kind:
                reason = (
                    f"{SETTLED_BY_PAIR} {other.kind.value} ({other.path}) is {other.status.value}: "
                    f"the article may not give it for {_FOR_THAT.get(other.kind, 'that')}"
                )
                self.verdicts[i] = v.model_copy(update={"status": Status.UNCERTAIN, "reason": reason})

    def model(self, obj: BaseModel, plan: ModelPlan, prefix: str) -> None:
        quotes = [q for f in plan.by_kind(Kind.EVIDENCE) for q in (getattr(obj, f.name) or [])]
        evidence = [align(self.article, q, self.taken) for q in quotes if isinstance(q, str) and q.strip()]
        done: dict[str, Related] = {}
        for f in plan.fields:
            value = getattr(obj, f.name)
            if value is None or f.kind in SUPPORTING:
                continue
            path = f"{prefix}{f.name}"
            if f.model is not None:
                items = value if f.many else [value]
                for i, item in enumerate(items):
                    self.model(item, f.model, f"{path}[{i}]." if f.many else f"{path}.")
                continue
            assert f.kind is not None
            values = list(value) if f.many else [value]
            for i, v in enumerate(values):
                leaf_path = f"{path}[{i}]" if f.many else path
                self.leaf(obj, plan, f, leaf_path, leaf_text(v), evidence, done)

    def leaf(
        self,
        obj: BaseModel,
        plan: ModelPlan,
        f: FieldPlan,
        path: str,
        value: str,
        evidence: list[Alignment],
        done: dict[str, Related],
    ) -> None:
        assert f.kind is not None
        if f.kind is Kind.UNCHECKED:
            self.add(path, f.kind, value, Check(Status.UNCHECKED, "marked unchecked in the schema", score=0.0))
            return
        related: dict[Kind, Related] = {}
        describes = f"{path.rsplit('.', 1)[0]}.{f.subject}" if f.subject and "." in path else f.subject
        if f.subject is not None:
            subject = done.get(f.subject)
            if subject is None:
                self.add(
                    path,
                    f.kind,
                    value,
                    Check(
                        Status.NOT_FOUND, f"the {SUBJECT[f.kind].value} it describes ({f.subject}) is empty", score=0.0
                    ),
                    describes,
                )
                return
            related[SUBJECT[f.kind]] = subject
        for unit in plan.by_kind(Kind.UNIT) if f.kind is Kind.QUANTITY else []:
            text = leaf_text(getattr(obj, unit.name) or "").strip()
            if text.lower() not in _NO_UNIT:
                related[Kind.UNIT] = Related(text)
        leaf = Leaf(path, f.kind, value, related)
        spec = REGISTRY[f.kind]
        check = spec.check(leaf, evidence, self.article, self.taken)
        if f.kind is Kind.NAME and check.status is Status.SUPPORTED and self.article.english:
            check = _no_event(value, check, bool((f.marker and f.marker.entity) or plan.by_kind(Kind.ENTITY_KIND)))
        if spec.judged and not check.hard:
            self.to_judge.append((len(self.verdicts), statement(leaf, self.phrasing), check, f.kind))
        elif (
            f.kind is Kind.NAME
            and f.marker is not None
            and f.marker.entity
            and check.status is Status.SUPPORTED
            and not (f.marker.entity == "place" and is_country(value))
        ):
            # The schema fixes what the name names (a list of places): the article has the name,
            # and the judge is asked what it names as an entity's kind field would be (a country
            # on the built-in list is a place without asking: the 1.5B judge gave Singapore 0.40).
            # A place named like an organisation, a team or with an acronym is none, without
            # asking: the judge passed "Porthaven Ferry Company" as a place (0.72).
            why = not_a_place(value, self.article.text) if f.marker.entity == "place" else None
            if why is not None:
                check = Check(
                    Status.UNSUPPORTED,
                    f"{value} is {why}, not a place",
                    check.spans,
                    0.2,
                    check.evidence,
                    hard=True,
                )
            else:
                kind = Leaf(path, Kind.ENTITY_KIND, f.marker.entity, {Kind.NAME: Related(value, check)})
                self.to_judge.append((len(self.verdicts), statement(kind, self.phrasing), check, Kind.ENTITY_KIND))
        shown = value
        if Kind.UNIT in related and related[Kind.UNIT].value.lower() not in value.lower():
            shown = f"{value} {related[Kind.UNIT].value}"
        self.add(path, f.kind, shown, check, describes, _entity(obj, plan, f) if f.kind is Kind.NAME else None)
        if not f.many:
            done[f.name] = Related(shown, check)


def _no_event(name: str, check: Check, entity: bool) -> Check:
    """A name's check, refused when the name is named like an event or a competition.

    Tuning sets (bench/labels/tune2-v9): "Fed Cup" and "Australian Open" listed as places,
    "Dubai Open Chess Tournament" as an organisation and a place, every one labelled wrong; the
    judge passed "Fed Cup" as a place (0.64).

    Returns:
        ``check`` itself, or an unsupported check when ``entity`` (the name's item has a kind,
        or its list fixes one) and ``name`` ends in an event's word: the item is no person,
        organisation or place.
    """
    why = no_entity_event(name) if entity else None
    if why is None:
        return check
    return Check(Status.UNSUPPORTED, f"{name} is {why}", check.spans, 0.2, check.evidence, hard=True)


def _entity(obj: BaseModel, plan: ModelPlan, f: FieldPlan) -> EntityType | None:
    """What a name names: fixed by its marker, else said by an entity-kind field beside it."""
    if f.marker is not None and f.marker.entity is not None:
        return f.marker.entity
    for k in plan.by_kind(Kind.ENTITY_KIND):
        if k.subject == f.name:
            value = leaf_text(getattr(obj, k.name) or "").strip().lower()
            return _ENTITIES.get(value)
    return None


def verify_summary(
    summary: BaseModel,
    text: str | PreparedArticle,
    plan: ModelPlan | None = None,
    judge: Judge | None = None,
    phrasing: Mapping[Kind, str] | None = None,
    ask: Collection[Kind] = (),
) -> Verification:
    """Check every leaf of ``summary`` against the article, by word overlap and optionally a judge.

    Args:
        summary: The summary, of any schema the plan accepts.
        text: The article's text, or its prepared form (to share its views between
            verifications).
        plan: The schema's plan; default compiled from the summary's class.
        judge: With one, every leaf of a judged kind that the lexical stage did not fail hard
            is calibrated per kind, and put to the judge when its kind's calibration weighs
            the judge (or its kind is in ``ask``). So is every name the article has whose
            field fixes what it names (``FieldKind(Kind.NAME, entity=...)``, as the news
            schema's places do), asked as an entity's kind is and calibrated as one (a place
            name with its own calibration), except a place on the built-in list of countries.
            Either way, a date the article has is ``uncertain`` when its event is not
            supported, and a figure's number when what it counts is not (:data:`SETTLED_WITH`).
        phrasing: How each judged kind is stated to the judge, by phrasing name
            (:data:`summarizer.core.verify.phrasing.PHRASINGS`); the chosen ones by default.
        ask: Judged kinds to put to the judge even when their calibration gives it no weight
            (to measure it, as ``bench/phrasings.py`` does); their outcome is unchanged.

    Returns:
        The verdicts (spans are half-open character offsets into the text; scores in [0, 1]),
        their counts, how many were judged, and the grounding rate: supported over checked
        verdicts, in [0, 1] to 4 places (1.0 when none is checked).

    Raises:
        SchemaError: ``plan`` is not given and the summary's schema cannot be checked.
    """
    w = _Walker(text if isinstance(text, PreparedArticle) else PreparedArticle(text), phrasing, ask)
    w.model(summary, plan or compile_schema(type(summary)), "")
    if judge is None:
        w.unjudged()
    judged = w.judge(judge) if judge is not None else 0
    w.settle_pairs()
    counts = {s: sum(v.status is s for v in w.verdicts) for s in Status}
    checked = len(w.verdicts) - counts[Status.UNCHECKED]
    return Verification(
        grounding_rate=round(counts[Status.SUPPORTED] / checked, 4) if checked else 1.0,
        supported=counts[Status.SUPPORTED],
        unsupported=counts[Status.UNSUPPORTED],
        not_found=counts[Status.NOT_FOUND],
        uncertain=counts[Status.UNCERTAIN],
        unchecked=counts[Status.UNCHECKED],
        judged=judged,
        verdicts=w.verdicts,
    )
