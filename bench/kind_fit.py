"""Calibration per field kind on the tool's own labelled output, cross-validated by document.

    python bench/own_set.py eval --set tune --judge --dump /tmp/tune.jsonl      # the shipped verification
    python bench/own_set.py eval --set tune-v6 --judge --dump /tmp/tune-v6.jsonl   # likewise tune-v8, tune2-v9
    python bench/kind_fit.py --dump tune=/tmp/tune.jsonl tune-v6=/tmp/tune-v6.jsonl \
        tune-v8=/tmp/tune-v8.jsonl tune2-v9=/tmp/tune2-v9.jsonl --max-wrong-passed 0.12 --max-right-failed 0.08 --emit
    python bench/kind_fit.py bench/out/phrasings.jsonl --sets tune   # rows of bench/phrasings.py run

Reads the judged verdicts of labelled tuning sets (bench/labels/tune, tune-v6, tune-v8 and
tune2-v9, never an evaluation set) with their labels: with ``--dump``, each set's verification as
the tool ships it (each kind under its chosen phrasing, judged in its shipped context, a claim on
its best sentences; fields the lexical stage fails hard are never judged and are left out); else the rows
of ``bench/phrasings.py run`` under each kind's chosen phrasing (summarizer.core.verify.phrasing.CHOSEN,
or ``--phrasing kind=name``). Names in the list of places, asked whether they name a place, are
a group of their own ("place"). For each group it fits a class-balanced logistic
regression of "right" on logit(judge P(yes)), logit(lexical score) and whether the field it
describes is supported (before any pair is settled, as the verifier calibrates), every weight
constrained non-negative (a more confident Yes, a stronger
word match or a supported subject never lowers a score; the best feasible fit over the sets of
free weights), then two marks: the pair that leaves the fewest fields between them while at
most ``--max-wrong-passed`` of the kind's wrong fields score at or above the upper mark and at
most ``--max-right-failed`` of its right ones below the lower. Kinds with fewer than 30 right
or 30 wrong fields use the fit on every judged field ("pooled"). Every version of a document
is held out together.

It prints per kind: fields, wrong fields, the ROC AUC of the lexical score, of P(yes) and of
the fitted score, and the share of wrong fields supported, right fields unsupported,
unsupported fields wrong and fields uncertain, all leave-one-document-out (each document scored
and split by a fit and marks from the others); the weights and marks fitted on every document;
then the same four shares over every labelled field of each set and of all of them (the judged
kinds' cross-validated outcomes, the other kinds' lexical or, with ``--dump``, shipped ones; a
date or a figure's number settled again with its refitted event or count, ``--settle``), with
bootstrap intervals. ``--emit`` prints the calibrations for summarizer/core/verify/calibration.py;
``--outcomes`` writes each judged field's cross-validated outcome. ``--grid`` instead prints,
for each pair of limits on a grid (wrong passed 0.08-0.15, right failed 0.05-0.15), the four
shares on each set and on all of them, cross-validated, a star on each share that misses the
#25 target (own_set.TARGETS), and exits 1 when no pair meets every target on every set.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_eval import roc_auc
from judge_tune import _solve

from summarizer.core.verify.judge_scoring import logit

JUDGED = ("claim", "entity_kind", "role", "counts", "event", "speaker", "place")
MIN_EACH = 30


def _fit(xs: list[tuple[float, ...]], ys: list[int], free: tuple[bool, ...]) -> tuple[list[float], float]:
    """Class-balanced logistic regression by Newton's method on the free features (the bias is
    always free); returns (weights with the bias last, log-likelihood)."""
    k = len(free)
    n_pos = sum(ys) or 1
    n_neg = (len(ys) - sum(ys)) or 1
    ws = [1 / n_pos if y else 1 / n_neg for y in ys]
    cols = [i for i in range(k) if free[i]] + [k]
    beta = [0.0] * (k + 1)

    def z_of(x: tuple[float, ...]) -> float:
        return max(-60.0, min(60.0, sum(beta[i] * x[i] for i in range(k)) + beta[k]))

    for _ in range(60):
        grad = [0.0] * (k + 1)
        hess = [[1e-6 if i == j else 0.0 for j in range(k + 1)] for i in range(k + 1)]
        for x, y, w in zip(xs, ys, ws, strict=True):
            xx = (*x, 1.0)
            p = 1 / (1 + math.exp(-z_of(x)))
            for i in cols:
                grad[i] += w * (y - p) * xx[i]
                for j in cols:
                    hess[i][j] += w * p * (1 - p) * xx[i] * xx[j]
        step = _solve([[hess[i][j] for j in cols] for i in cols], [grad[i] for i in cols])
        for i, d in zip(cols, step, strict=True):
            beta[i] += d
        if max(abs(d) for d in step) < 1e-8:
            break
    ll = 0.0
    for x, y, w in zip(xs, ys, ws, strict=True):
        p = min(1 - 1e-12, max(1e-12, 1 / (1 + math.exp(-z_of(x)))))
        ll += w * (y * math.log(p) + (1 - y) * math.log(1 - p))
    return beta, ll


def fit_nonnegative(xs: list[tuple[float, ...]], ys: list[int]) -> list[float]:
    """The best fit whose feature weights are all >= 0 (over every set of free features)."""
    k = len(xs[0])
    best: tuple[float, list[float]] | None = None
    for free in itertools.product((True, False), repeat=k):
        beta, ll = _fit(xs, ys, free)
        if all(b >= 0 for b in beta[:k]) and (best is None or ll > best[0]):
            best = (ll, beta)
    assert best is not None
    return best[1]


def score(beta: list[float], x: tuple[float, ...]) -> float:
    z = sum(b * v for b, v in zip(beta, x, strict=False)) + beta[-1]
    return 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))


def threshold(scores: list[float], ys: list[int]) -> float:
    """The cut with the best balanced accuracy (a field passes at the cut or above)."""
    best = (0.5, -1.0)
    for t in sorted(set(scores)):
        tp = sum(s >= t and y for s, y in zip(scores, ys, strict=True)) / (sum(ys) or 1)
        tn = sum(s < t and not y for s, y in zip(scores, ys, strict=True)) / ((len(ys) - sum(ys)) or 1)
        if (tp + tn) / 2 > best[1]:
            best = (t, (tp + tn) / 2)
    return best[0]


def features(f: dict[str, Any]) -> tuple[float, float, float]:
    """logit(judge P(yes)), logit(lexical score), and 1.0 when the described field is supported."""
    judge = f["judge_score"] if f["judge_score"] is not None else 0.5
    lexical = f["lexical_score"] if f["lexical_score"] is not None else f["score"]
    return (logit(judge), logit(lexical), 1.0 if f.get("subject_ok", True) else 0.0)


def marks(scores: list[float], ys: list[int], max_wrong_passed: float, max_right_failed: float) -> tuple[float, float]:
    """(unsupported_below, supported_at): the pair leaving the fewest fields between them while
    at most ``max_wrong_passed`` of the wrong fields score at or above ``supported_at`` and at
    most ``max_right_failed`` of the right ones below ``unsupported_below``. When one cut meets
    both, the two marks are that cut (the feasible one with the best balanced accuracy)."""
    wrong = sorted(s for s, y in zip(scores, ys, strict=True) if not y)
    right = sorted(s for s, y in zip(scores, ys, strict=True) if y)
    cuts = sorted({0.0, 1.0, *scores})

    def wrong_passed(t: float) -> float:
        return sum(s >= t for s in wrong) / (len(wrong) or 1)

    def right_failed(t: float) -> float:
        return sum(s < t for s in right) / (len(right) or 1)

    hi = min((t for t in cuts if wrong_passed(t) <= max_wrong_passed), default=1.0)
    lo = max((t for t in cuts if right_failed(t) <= max_right_failed), default=0.0)
    if lo >= hi:
        both = [t for t in cuts if hi <= t <= lo]
        best = max(both, key=lambda t: (1 - wrong_passed(t)) + (1 - right_failed(t)))
        return best, best
    return lo, hi


def outcome(s: float, lo: float, hi: float) -> str:
    return "supported" if s >= hi else ("unsupported" if s < lo else "uncertain")


def put_to_the_judge(name: str) -> set[tuple[str, str]]:
    """(document, path) of every field of the labelled set ``name`` that today's lexical stage
    leaves to the judge: a field it fails hard (an absent name, a kind of thing given as a
    role) is final and is neither judged nor calibrated."""
    from own_set import SETS, summaries

    from summarizer.core.kinds import Kind
    from summarizer.core.verify.judge_scoring import JudgeScore
    from summarizer.core.verify.walker import verify_summary

    class Half:
        model = "half"

        def score(self, items: list[tuple[str, str]]) -> list[JudgeScore]:
            return [JudgeScore(0.5, self.model, "Yes", from_logprobs=True) for _ in items]

    out = set()
    for doc, text, summary in summaries(SETS[name]):
        asked = verify_summary(summary, text, judge=Half(), ask=[Kind(k) for k in JUDGED if k != "place"])
        out |= {(doc, v.path) for v in asked.verdicts if v.judge_score is not None}
    return out


def load(path: Path, chosen: dict[str, str], sets: list[str]) -> list[dict[str, Any]]:
    """The judged, labelled rows of ``bench/phrasings.py run`` for the labelled sets ``sets``
    under each kind's chosen phrasing (a place name's: the entity kind's) that today's lexical
    stage still leaves to the judge, each with ``subject_ok``: whether the field it describes
    is supported (lexical verdicts)."""
    from own_set import subjects_supported

    ok = {name: subjects_supported(name) for name in sets}
    judged = {name: put_to_the_judge(name) for name in sets}
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for line in path.read_text().splitlines():
        r = json.loads(line)
        r.setdefault("set", "tune")  # rows written before sets were named
        stated_as = "entity_kind" if r["kind"] == "place" else r["kind"]
        if (
            r["set"] in sets
            and r["kind"] in JUDGED
            and r["phrasing"] == chosen.get(stated_as, "template")
            and r["judge_score"] is not None
            and (r["doc"], r["path"]) in judged[r["set"]]
        ):
            subject = ok[r["set"]].get((r["doc"], r["path"]), True)
            rows[(r["set"], r["doc"], r["path"])] = r | {"subject_ok": subject}
    return list(rows.values())


def group(kind: str, entity: str | None) -> str:
    """The fit group of a verdict: its kind, or "place" for a name its field fixes as a place."""
    return "place" if kind == "name" and entity == "place" else kind


def load_dumps(dumps: list[str]) -> list[dict[str, Any]]:
    """The judged, labelled verdicts of ``bench/own_set.py eval --set SET --judge --dump FILE``
    (the shipped verification: each kind under its chosen phrasing, judged in the shipped
    contexts) for each ``SET=FILE``, as rows of ``load``: a name the judge was asked about
    as a place is of kind ``place``; a field without a judge score (failed hard by the lexical
    stage) is left out."""
    from own_set import subjects_supported

    rows = []
    for pair in dumps:
        name, _, file = pair.partition("=")
        ok = subjects_supported(name)
        for line in Path(file).read_text().splitlines():
            v = json.loads(line)
            kind = group(v["kind"], v.get("entity"))
            if kind in JUDGED and v.get("judge_score") is not None:
                rows.append(
                    {
                        "set": name,
                        "doc": v["doc"],
                        "path": v["path"],
                        "kind": kind,
                        "label": v["label"],
                        "lexical_score": v["lexical_score"],
                        "judge_score": v["judge_score"],
                        "score": v["score"],
                        "subject_ok": ok.get((v["doc"], v["path"]), True),
                    }
                )
    return rows


def overall(
    judged: dict[tuple[str, str, str], str],
    sets: list[str],
    dumps: list[str] = (),
    settled: dict[str, str] | None = None,
    show: bool = True,
) -> dict[str, list[tuple[str, bool, str]]]:
    """Every labelled field of the sets: the judged kinds' cross-validated outcomes, the other
    fields' lexical ones (with ``dumps``, ``SET=FILE`` of ``own_set.py eval --judge --dump``:
    their shipped judged ones); with ``show``, the four shares of own_set.STATS, overall and
    per kind, with 95 % bootstrap intervals over documents, for each set and (for several) all
    of them.

    Returns:
        Per set, its (document, right, outcome) rows.
    """
    from own_set import SETS, STATS, bootstrap, outcome, rates, set_labels, settled_by_pair, summaries

    from summarizer.core.kinds import Status
    from summarizer.core.verify.registry import SETTLED_WITH
    from summarizer.core.verify.walker import verify_summary

    pairs = settled if settled is not None else {k.value: v.value for k, v in SETTLED_WITH.items()}
    shipped: dict[str, list[tuple[str, str, str, str, bool]]] = {}  # set: (doc, path, kind, status, right)
    for pair in dumps:
        name, _, file = pair.partition("=")
        verdicts = [json.loads(line) for line in Path(file).read_text().splitlines()]
        now = {(v["doc"], v["path"]): judged.get((name, v["doc"], v["path"]), v["status"]) for v in verdicts}
        unsettled = {
            (v["doc"], v["describes"], v["kind"])
            for v in verdicts
            if v.get("describes") and now[(v["doc"], v["path"])] not in ("supported", "unchecked")
        }
        for v in verdicts:
            kind = group(v["kind"], v.get("entity"))
            status = now[(v["doc"], v["path"])]
            if status == "uncertain" and settled_by_pair(v.get("reason")):
                status = "supported"  # made uncertain by its pair's shipped outcome: settled again below
            if status == "supported" and v["kind"] in pairs and (v["doc"], v["path"], pairs[v["kind"]]) in unsettled:
                status = "uncertain"
            judged[(name, v["doc"], v["path"])] = status
            shipped.setdefault(name, []).append((v["doc"], v["path"], kind, status, v["label"] == "right"))
    every: list[tuple[str, bool, str]] = []
    per_set: dict[str, list[tuple[str, bool, str]]] = {}
    for name in sets:
        fields = shipped.get(name)
        if fields is None:
            labels = set_labels(SETS[name])
            fields = [
                (doc, v.path, group(v.kind.value, v.entity), v.status.value, labels[doc][v.path] == "right")
                for doc, text, summary in summaries(SETS[name])
                for v in verify_summary(summary, text).verdicts
                if v.path in labels.get(doc, {})
            ]  # fmt: skip
        rows: list[tuple[str, bool, str]] = []
        by_kind: dict[str, list[tuple[str, bool, str]]] = {}
        for doc, path, kind, status, right in fields:
            row = (doc, right, judged.get((name, doc, path)) or outcome(Status(status)))
            rows.append(row)
            by_kind.setdefault(kind, []).append(row)
        every += rows
        per_set[name] = rows
        if not show:
            continue
        _shares(f"{name} ({len(rows)} fields; judged kinds cross-validated):", rows, STATS, rates, bootstrap)
        for kind, got in sorted(by_kind.items()):
            print(f"   {kind:<12} {len(got):>5} " + "  ".join(f"{x:>5.0%}" if x == x else "    -" for x in rates(got)))
    if len(sets) > 1 and show:
        _shares(f"all {len(sets)} sets ({len(every)} fields):", every, STATS, rates, bootstrap)
    return per_set


def _shares(title: str, rows: list[tuple[str, bool, str]], stats: Any, rates: Any, bootstrap: Any) -> None:
    print(title)
    for name, p, (lo, hi) in zip(stats, rates(rows), bootstrap(rows), strict=True):
        print(f"   {name:<20} {p:>5.0%} [{lo:.0%}, {hi:.0%}]")


def cross_validate(
    groups: dict[str, list[dict[str, Any]]], small: list[str], limits: tuple[float, float], show: bool = True
) -> tuple[dict[tuple[str, str, str], str], dict[str, tuple[list[float], float, float, int, int]]]:
    """Per fit group, leave-one-document-out: each document's fields scored and split by a fit and
    marks (at most ``limits`` = (wrong passed, right failed) of the group's tuning fields) from
    the other documents; with ``show``, one line per group (AUCs, cross-validated shares, the
    weights and marks fitted on every document).

    Returns:
        Each judged field's cross-validated outcome by (set, document, path), and per group the
        fit on every document: (weights with the bias last, lower mark, upper mark, fields, wrong).
    """
    emitted: dict[str, tuple[list[float], float, float, int, int]] = {}
    cv_outcome: dict[tuple[str, str, str], str] = {}
    for kind, got in groups.items():
        ys = [int(r["label"] == "right") for r in got]
        xs = [features(r) for r in got]
        cv: list[float] = [0.0] * len(got)
        said: list[str] = [""] * len(got)
        for doc in sorted({r["doc"] for r in got}):
            train = [i for i, r in enumerate(got) if r["doc"] != doc]
            beta = fit_nonnegative([xs[i] for i in train], [ys[i] for i in train])
            lo, hi = marks([score(beta, xs[i]) for i in train], [ys[i] for i in train], *limits)
            for i, r in enumerate(got):
                if r["doc"] == doc:
                    cv[i] = score(beta, xs[i])
                    said[i] = outcome(cv[i], lo, hi)
        beta = fit_nonnegative(xs, ys)
        lo, hi = marks([score(beta, x) for x in xs], ys, *limits)
        wrong = [o for o, y in zip(said, ys, strict=True) if not y]
        right = [o for o, y in zip(said, ys, strict=True) if y]
        unsup = [y for o, y in zip(said, ys, strict=True) if o == "unsupported"]
        cv_rates = (
            wrong.count("supported") / (len(wrong) or 1),
            right.count("unsupported") / (len(right) or 1),
            (len(unsup) - sum(unsup)) / len(unsup) if unsup else float("nan"),
            said.count("uncertain") / len(said),
        )
        aucs = (
            roc_auc([r["lexical_score"] for r in got], ys),
            roc_auc([r["judge_score"] for r in got], ys),
            roc_auc(cv, ys),
        )
        if show:
            print(
                f"{kind:<12} {len(got):>6} {ys.count(0):>5} | AUC {aucs[0]:>5.2f} {aucs[1]:>5.2f} {aucs[2]:>5.2f} | "
                + ", ".join(f"{x:>4.0%}" for x in cv_rates)
                + f" | {beta[0]:.3f} {beta[1]:.3f} {beta[2]:.3f} {beta[3]:.3f}; {lo:.3f} {hi:.3f}"
            )
        emitted[kind] = (beta, lo, hi, len(got), ys.count(0))
        for r, o in zip(got, said, strict=True):
            if kind == r["kind"] or (kind == "pooled" and r["kind"] in small):
                cv_outcome[(r["set"], r["doc"], r["path"])] = o
    return cv_outcome, emitted


GRID_WRONG_PASSED = (0.08, 0.10, 0.12, 0.15)
GRID_RIGHT_FAILED = (0.05, 0.08, 0.10, 0.15)


def grid(
    groups: dict[str, list[dict[str, Any]]],
    small: list[str],
    sets: list[str],
    dumps: list[str],
    settled: dict[str, str] | None,
) -> int:
    """For each pair of per-kind limits on the grid, the four shares of own_set.STATS on each
    set and on all of them, every judged field cross-validated by document: where the targets
    of own_set.TARGETS trade against each other. A share that misses its target is starred.

    Returns:
        0 when some pair meets every target on every set, else 1.
    """
    from own_set import STATS, TARGETS, rates

    names = [*sets, "all"] if len(sets) > 1 else sets
    print("limits (wrong passed, right failed) | per set: " + " / ".join(STATS) + "; * misses its target")
    print(f"{'':<12} " + " ".join(f"{n:>22}" for n in names))
    any_met = False
    for limits in itertools.product(GRID_WRONG_PASSED, GRID_RIGHT_FAILED):
        judged, _ = cross_validate(groups, small, limits, show=False)
        per_set = overall(judged, sets, dumps, settled, show=False)
        if len(sets) > 1:
            per_set["all"] = [row for name in sets for row in per_set[name]]
        cells, met = [], True
        for name in names:
            parts = []
            for stat, x in zip(STATS, rates(per_set[name]), strict=True):
                ok = x <= TARGETS[stat] if stat in ("right unsupported", "uncertain") else x >= TARGETS[stat]
                met &= ok or name == "all"
                parts.append(f"{x * 100:.0f}{'' if ok else '*'}")
            cells.append("/".join(parts))
        any_met |= met
        print(f"{limits[0]:.2f}, {limits[1]:.2f}   " + " ".join(f"{c:>22}" for c in cells))
    return 0 if any_met else 1


def fit_groups(rows: list[dict[str, Any]]) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """The fit groups of judged rows: each kind with at least MIN_EACH right and MIN_EACH wrong
    fields alone, and "pooled" (every judged field but the claims, which are judged on their
    best sentences, not the article: the calibration of the kinds too small to fit alone).

    Returns:
        The groups by name, and the kinds too small to fit alone.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    small = []
    for kind in JUDGED:
        got = [r for r in rows if r["kind"] == kind]
        n_right = sum(r["label"] == "right" for r in got)
        if min(n_right, len(got) - n_right) >= MIN_EACH:
            groups[kind] = got
        else:
            small.append(kind)
    groups["pooled"] = [r for r in rows if r["kind"] != "claim"]
    return groups, small


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", type=Path, nargs="?", help="bench/phrasings.py run output (bench/out/phrasings.jsonl)")
    ap.add_argument("--dump", nargs="+", default=[], help="SET=FILE: own_set.py eval --judge --dump output instead")
    ap.add_argument("--phrasing", nargs="*", default=[], help="kind=name; default: the verifier's chosen phrasings")
    ap.add_argument("--max-wrong-passed", type=float, default=0.20)
    ap.add_argument("--max-right-failed", type=float, default=0.08)
    ap.add_argument("--sets", nargs="+", default=["tune"], help="labelled tuning sets of bench/own_set.py to fit on")
    ap.add_argument("--settle", nargs="*", help="KIND=PAIRED settled with its pair (default: the verifier's)")
    ap.add_argument("--outcomes", type=Path, help="write each judged field's cross-validated outcome here (JSON)")
    ap.add_argument("--emit", action="store_true", help="print CALIBRATIONS for summarizer/core/verify/calibration.py")
    ap.add_argument(
        "--grid",
        action="store_true",
        help="instead: the cross-validated shares per set for each pair of limits on a grid",
    )
    args = ap.parse_args()
    from summarizer.core.verify.phrasing import CHOSEN

    chosen = {k.value: v for k, v in CHOSEN.items()} | dict(p.split("=", 1) for p in args.phrasing)
    rows = load(args.rows, chosen, args.sets) if args.rows else load_dumps(args.dump)
    if args.dump:
        args.sets = [pair.partition("=")[0] for pair in args.dump]
    groups, small = fit_groups(rows)
    settled = dict(p.split("=", 1) for p in args.settle) if args.settle is not None else None
    if args.grid:
        return grid(groups, small, args.sets, args.dump, settled)
    limits = (args.max_wrong_passed, args.max_right_failed)
    print(f"phrasings: {chosen}; fitted alone: {sorted(k for k in groups if k != 'pooled')}; pooled: {small}")
    print(
        f"{'group':<12} {'fields':>6} {'wrong':>5} | AUC {'lex':>5} {'judge':>5} {'fit*':>5} | "
        "CV*: wrong supported, right unsupported, unsupported wrong, uncertain | "
        "weights judge lexical subject bias; marks"
    )
    cv_outcome, emitted = cross_validate(groups, small, limits)
    print("* leave-one-document-out: each document scored and split by a fit and marks from the others")
    overall(cv_outcome, args.sets, args.dump, settled)
    if args.outcomes:
        args.outcomes.write_text(json.dumps([[*k, o] for k, o in sorted(cv_outcome.items())]))
    if args.emit:
        for kind, (beta, lo, hi, n, w) in emitted.items():
            print(
                f"    {kind}: Calibration(judge={beta[0]:.4f}, lexical={beta[1]:.4f}, subject={beta[2]:.4f}, "
                f"bias={beta[3]:.4f}, "
                f"supported_at={hi:.4f}, unsupported_below={lo:.4f}),  # {n} fields, {w} wrong"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
