"""Fit the claim checker's weights and bias on the tuning half of the SummaC files.

    python bench/claims_tune.py            # fit, print the constants for summarizer/core/verify/claims.py
    python bench/claims_tune.py --folds    # also: fit on one half of the tuning half, score the other

Only the tuning half (even sha256 digests, see bench/claims_eval.py) is read. Weights: the
first feature's weight is fixed at 1 (the scale is free); the others move by coordinate
ascent on the mean ROC AUC over the four subsets, in steps from 2 down to 0.1. Bias: the
linear score with the best mean balanced accuracy. The same values serve every subset.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_eval import SUBSETS, load, roc_auc

from summarizer.core.verify.claims import BIAS, WEIGHTS, claim_features, linear_score
from summarizer.core.verify.prepared import PreparedArticle

Rows = dict[str, list[tuple[dict[str, float], int]]]


def features(half: str) -> Rows:
    out: Rows = {s: [] for s in SUBSETS}
    docs: dict[str, PreparedArticle] = {}
    for r in load(half):
        doc = docs.setdefault(str(r["document"]), PreparedArticle(str(r["document"])))
        out[str(r["subset"])].append((claim_features(doc, str(r["claim"])), int(r["label"])))  # type: ignore[call-overload]
    return out


def mean_auc(rows: Rows, w: dict[str, float]) -> tuple[float, list[float]]:
    aucs = [roc_auc([linear_score(f, w) for f, _ in rows[s]], [y for _, y in rows[s]]) for s in SUBSETS]
    return sum(aucs) / len(aucs), aucs


def bacc_at(rows: Rows, w: dict[str, float], bias: float) -> tuple[float, list[float]]:
    out = []
    for s in SUBSETS:
        pos = [linear_score(f, w) >= bias for f, y in rows[s] if y == 1]
        neg = [linear_score(f, w) < bias for f, y in rows[s] if y == 0]
        out.append((sum(pos) / len(pos) + sum(neg) / len(neg)) / 2)
    return sum(out) / len(out), out


def fit_weights(rows: Rows, keys: list[str]) -> dict[str, float]:
    w = {k: 0.0 for k in keys}
    w[keys[0]] = 1.0
    best, _ = mean_auc(rows, w)
    for step in (2.0, 1.0, 0.5, 0.25, 0.1):
        improved = True
        while improved:
            improved = False
            for k in keys[1:]:
                for d in (step, -step):
                    trial = {**w, k: round(w[k] + d, 3)}
                    m, _ = mean_auc(rows, trial)
                    if m > best + 1e-4:
                        best, w, improved = m, trial, True
    return w


def fit_bias(rows: Rows, w: dict[str, float]) -> float:
    values = sorted({round(linear_score(f, w), 2) for s in SUBSETS for f, _ in rows[s]})
    return max(values, key=lambda b: bacc_at(rows, w, b)[0])


def show(label: str, rows: Rows, w: dict[str, float], bias: float) -> None:
    m, aucs = mean_auc(rows, w)
    b, baccs = bacc_at(rows, w, bias)
    print(
        f"{label}: mean AUC {m:.3f} ({' '.join(f'{a:.3f}' for a in aucs)}); "
        f"mean BAcc {b:.3f} ({' '.join(f'{x:.3f}' for x in baccs)})  [{', '.join(SUBSETS)}]"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", action="store_true")
    args = ap.parse_args()
    rows = features("tune")
    keys = list(WEIGHTS)
    w = fit_weights(rows, keys)
    bias = fit_bias(rows, w)
    print("fitted WEIGHTS =", w, " BIAS =", bias)
    show("fitted, tuning half", rows, w, bias)
    show("committed, tuning half", rows, WEIGHTS, BIAS)
    if args.folds:
        halves = ({s: r[0::2] for s, r in rows.items()}, {s: r[1::2] for s, r in rows.items()})
        for i, (fit_on, test_on) in enumerate((halves, halves[::-1])):
            wf = fit_weights(fit_on, keys)
            show(f"fold {i + 1}, fitted on the other quarter", test_on, wf, fit_bias(fit_on, wf))
    return 0


if __name__ == "__main__":
    sys.exit(main())
