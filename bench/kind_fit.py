"""Calibration per field kind on the tool's own labelled output, cross-validated by document.

    python bench/own_set.py eval --set tune --judge --dump bench/out/tune-judged.jsonl
    python bench/kind_fit.py bench/out/tune-judged.jsonl

Reads the judged verdicts of the tuning set (bench/labels/tune, never the evaluation set) with
their labels. For each kind the judge is asked about, it fits a logistic regression of "right"
on logit(judge P(yes)) and logit(lexical score) with both weights constrained non-negative (a
more confident Yes or a stronger word match never lowers a score; the best feasible fit over
the active sets), each class weighted equally, and the threshold with the best balanced
accuracy. It prints, per kind: fields, wrong fields, the ROC AUC of the lexical score, the
judge's P(yes) and today's combined score, then the fitted score's AUC and its wrong and right
fields flagged, all leave-one-document-out (each document scored by a fit on the others),
beside today's verdicts' flagged rates; and the weights and threshold fitted on every
document. A kind with fewer than 30 right or 30 wrong fields is fitted pooled with the
others under "pooled" and says so.

Nothing here changes the verifier: it says what a per-kind calibration would do.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_eval import roc_auc
from judge_tune import _solve

from summarizer.core.verify.judge_scoring import logit

JUDGED = ("claim", "entity_kind", "role", "counts", "event", "speaker")
MIN_EACH = 30


def _fit(xs: list[tuple[float, float]], ys: list[int], free: tuple[bool, bool]) -> tuple[list[float], float]:
    """Class-balanced logistic regression by Newton's method on the free features; returns
    ([judge weight, lexical weight, bias], log-likelihood)."""
    n_pos = sum(ys) or 1
    n_neg = (len(ys) - sum(ys)) or 1
    ws = [1 / n_pos if y else 1 / n_neg for y in ys]
    cols = [i for i in range(2) if free[i]] + [2]
    beta = [0.0, 0.0, 0.0]
    for _ in range(60):
        grad = [0.0] * 3
        hess = [[1e-6 if i == k else 0.0 for k in range(3)] for i in range(3)]
        for (a, b), y, w in zip(xs, ys, ws, strict=True):
            x = (a, b, 1.0)
            z = sum(beta[i] * x[i] for i in range(3))
            p = 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))
            for i in cols:
                grad[i] += w * (y - p) * x[i]
                for k in cols:
                    hess[i][k] += w * p * (1 - p) * x[i] * x[k]
        step = _solve([[hess[i][k] for k in cols] for i in cols], [grad[i] for i in cols])
        for i, d in zip(cols, step, strict=True):
            beta[i] += d
        if max(abs(d) for d in step) < 1e-8:
            break
    ll = 0.0
    for (a, b), y, w in zip(xs, ys, ws, strict=True):
        z = beta[0] * a + beta[1] * b + beta[2]
        p = min(1 - 1e-12, max(1e-12, 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))))
        ll += w * (y * math.log(p) + (1 - y) * math.log(1 - p))
    return beta, ll


def fit_nonnegative(xs: list[tuple[float, float]], ys: list[int]) -> list[float]:
    """The best fit whose judge and lexical weights are both >= 0."""
    best: tuple[float, list[float]] | None = None
    for free in ((True, True), (True, False), (False, True), (False, False)):
        beta, ll = _fit(xs, ys, free)
        if beta[0] >= 0 and beta[1] >= 0 and (best is None or ll > best[0]):
            best = (ll, beta)
    assert best is not None
    return best[1]


def score(beta: list[float], x: tuple[float, float]) -> float:
    z = beta[0] * x[0] + beta[1] * x[1] + beta[2]
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


def features(f: dict[str, Any]) -> tuple[float, float]:
    judge = f["judge_score"] if f["judge_score"] is not None else 0.5
    lexical = f["lexical_score"] if f["lexical_score"] is not None else f["score"]
    return (logit(judge), logit(lexical))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump", type=Path, help="own_set.py eval --judge --dump output")
    args = ap.parse_args()
    rows = [json.loads(line) for line in args.dump.read_text().splitlines()]
    rows = [r for r in rows if r["kind"] in JUDGED and r["judge_score"] is not None]
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        n_right = sum(x["label"] == "right" for x in rows if x["kind"] == r["kind"])
        n_wrong = sum(x["label"] == "wrong" for x in rows if x["kind"] == r["kind"])
        groups.setdefault(r["kind"] if min(n_right, n_wrong) >= MIN_EACH else "pooled", []).append(r)
    print(
        f"{'kind':<12} {'fields':>6} {'wrong':>5} | AUC {'lex':>5} {'judge':>5} {'today':>5} {'fit*':>5} | "
        f"flagged wrong/right: today {'':>9} fit* {'':>9} | weights judge lexical bias, threshold"
    )
    for kind, got in sorted(groups.items()):
        ys = [int(r["label"] == "right") for r in got]
        xs = [features(r) for r in got]
        cv: list[float] = [0.0] * len(got)
        cut: list[float] = [0.5] * len(got)
        for doc in sorted({r["doc"] for r in got}):
            train = [i for i, r in enumerate(got) if r["doc"] != doc]
            beta = fit_nonnegative([xs[i] for i in train], [ys[i] for i in train])
            t = threshold([score(beta, xs[i]) for i in train], [ys[i] for i in train])
            for i, r in enumerate(got):
                if r["doc"] == doc:
                    cv[i], cut[i] = score(beta, xs[i]), t
        today_flag = [r["status"] in ("unsupported", "not_found") for r in got]
        fit_flag = [s < t for s, t in zip(cv, cut, strict=True)]

        def rates(flags: list[bool], ys: list[int] = ys) -> str:
            w = [f for f, y in zip(flags, ys, strict=True) if not y]
            r = [f for f, y in zip(flags, ys, strict=True) if y]
            return f"{sum(w) / (len(w) or 1):>4.0%} / {sum(r) / (len(r) or 1):>4.0%}"

        beta = fit_nonnegative(xs, ys)
        t = threshold([score(beta, x) for x in xs], ys)
        aucs = [
            roc_auc([r["lexical_score"] if r["lexical_score"] is not None else r["score"] for r in got], ys),
            roc_auc([r["judge_score"] for r in got], ys),
            roc_auc([r["score"] for r in got], ys),
            roc_auc(cv, ys),
        ]
        kinds = "" if kind != "pooled" else " (" + ", ".join(sorted({r["kind"] for r in got})) + ")"
        print(
            f"{kind:<12} {len(got):>6} {ys.count(0):>5} | AUC {aucs[0]:>5.2f} {aucs[1]:>5.2f} {aucs[2]:>5.2f} "
            f"{aucs[3]:>5.2f} | today {rates(today_flag)}  fit* {rates(fit_flag)} | "
            f"{beta[0]:.3f} {beta[1]:.3f} {beta[2]:.3f}, {t:.3f}{kinds}"
        )
    print("* leave-one-document-out: each document scored by a fit on the others")
    return 0


if __name__ == "__main__":
    sys.exit(main())
