"""Fit the judged verifier's calibration on the tuning half of the SummaC files.

    python bench/judge_tune.py                # judge the tuning half (cached), fit, print constants
    python bench/judge_tune.py --judge-base-url URL --judge-model M   # another judge endpoint

Only the tuning half (even sha256 digests, see bench/claims_eval.py) is read. Every claim is
judged through the real CLI (``summarizer check-claims --judge on``; scores are cached on disk,
so a re-run costs nothing), which also gives each claim's lexical score. The fit:

- a logistic regression of the label on logit(judge P(yes)) and logit(lexical score), every
  subset weighted equally and each class within a subset weighted equally (so no subset's size
  or label balance steers it; no feature identifies the subset);
- then the threshold on the combined score with the best mean balanced accuracy over the
  four subsets.

It prints the values for ``JUDGE_WEIGHTS`` and ``JUDGE_THRESHOLD`` in summarizer/core/verify/judge_scoring.py,
and the tuning-half figures of the judge alone, the lexical score alone and the combination.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_eval import SUBSETS, load, metrics, run_checker, sample

from summarizer.core.verify.judge_scoring import combine, logit

Row = tuple[float, float, int, str]  # judge p, lexical score, label, subset


def fit(rows: list[Row], iterations: int = 50) -> dict[str, float]:
    """Class- and subset-balanced logistic regression by Newton's method (3 parameters)."""
    counts: dict[tuple[str, int], int] = {}
    for _, _, y, s in rows:
        counts[(s, y)] = counts.get((s, y), 0) + 1
    xs = [(logit(j), logit(lex), 1.0) for j, lex, _, _ in rows]
    ws = [1.0 / counts[(s, y)] for _, _, y, s in rows]
    ys = [y for _, _, y, _ in rows]
    beta = [1.0, 0.0, 0.0]
    for _ in range(iterations):
        grad = [0.0, 0.0, 0.0]
        hess = [[1e-6 if i == k else 0.0 for k in range(3)] for i in range(3)]
        for x, w, y in zip(xs, ws, ys, strict=True):
            z = sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))
            for i in range(3):
                grad[i] += w * (y - p) * x[i]
                for k in range(3):
                    hess[i][k] += w * p * (1 - p) * x[i] * x[k]
        step = _solve(hess, grad)
        beta = [b + d for b, d in zip(beta, step, strict=True)]
        if max(abs(d) for d in step) < 1e-7:
            break
    return {"judge": beta[0], "lexical": beta[1], "bias": beta[2]}


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination for the 3x3 Newton step."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[pivot] = m[pivot], m[c]
        for r in range(n):
            if r != c and m[c][c]:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def best_threshold(rows: list[Row], weights: dict[str, float]) -> tuple[float, float]:
    scored = [(combine(j, lex, weights), y, s) for j, lex, y, s in rows]
    best = (0.5, -1.0)
    for t in sorted({round(x, 3) for x, _, _ in scored}):
        baccs = []
        for subset in SUBSETS:
            sub = [(x, y) for x, y, s in scored if s == subset]
            m = metrics([x for x, _ in sub], [x >= t for x, _ in sub], [y for _, y in sub])
            baccs.append(m["bacc"])
        mean = sum(baccs) / len(baccs)
        if mean > best[1]:
            best = (t, mean)
    return best


def report(rows: list[Row], name: str, score: list[float], threshold: float) -> None:
    aucs, baccs = [], []
    line = f"{name:<12}"
    for subset in SUBSETS:
        idx = [i for i, r in enumerate(rows) if r[3] == subset]
        m = metrics([score[i] for i in idx], [score[i] >= threshold for i in idx], [rows[i][2] for i in idx])
        aucs.append(m["auc"])
        baccs.append(m["bacc"])
        line += f"  {subset[:8]:<8} {m['auc']:.3f}/{m['bacc']:.3f}"
    print(f"{line}  mean {sum(aucs) / 4:.3f}/{sum(baccs) / 4:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--judge-base-url")
    ap.add_argument("--judge-model")
    ap.add_argument("--per-subset", type=int, help="at most N claims per subset (fixed sample by id hash)")
    args = ap.parse_args()
    claims = sample(load("tune"), args.per_subset)
    extra = ["--judge", "on"]
    if args.judge_base_url:
        extra += ["--judge-base-url", args.judge_base_url]
    if args.judge_model:
        extra += ["--judge-model", args.judge_model]
    results = run_checker(claims, extra)
    rows: list[Row] = [
        (
            float(results[r["id"]]["judge_score"]),
            float(results[r["id"]]["lexical_score"]),
            int(r["label"]),
            str(r["subset"]),
        )
        for r in claims
    ]  # type: ignore[call-overload]
    weights = fit(rows)
    threshold, _ = best_threshold(rows, weights)
    print(f"tuning half: {len(rows)} claims; AUC/BAcc per subset (threshold {threshold:.3f})")
    report(rows, "judge", [j for j, _, _, _ in rows], best_threshold(rows, {"judge": 1, "lexical": 0, "bias": 0})[0])
    report(rows, "lexical", [lex for _, lex, _, _ in rows], 0.5)
    report(rows, "combined", [combine(j, lex, weights) for j, lex, _, _ in rows], threshold)
    print("\nfor summarizer/core/verify/judge_scoring.py:")
    print("JUDGE_WEIGHTS = " + json.dumps({k: round(v, 4) for k, v in weights.items()}))
    print(f"JUDGE_THRESHOLD = {threshold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
