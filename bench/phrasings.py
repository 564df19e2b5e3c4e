"""Which statement the judge reads best, per kind, on the tool's own labelled tuning output.

    python bench/phrasings.py run                 # judge the tuning set under every phrasing
    python bench/phrasings.py report              # the table, from bench/out/phrasings.jsonl

``run`` verifies every summary of bench/labels/tune (never the evaluation set) with the judge
(the embedded model unless ``--judge-base-url``), once per phrasing name of
:data:`summarizer.core.verify.phrasing.PHRASINGS` (a kind without that phrasing keeps its
template; every judged kind is put to the judge in its shipped context, claims on their best
sentences), and appends each judged, labelled verdict to bench/out/phrasings.jsonl with its
document, kind, label, lexical score and the judge's P(yes). Scores come from the judge cache
when they are there, so a second run costs nothing.

``report`` prints, per judged kind and phrasing: fields, wrong fields, the ROC AUC of the
judge's P(yes) and of the calibrated score (a non-negative logistic fit on the judge's and the
lexical score's logits and whether the described field is supported, leave-one-document-out,
as bench/kind_fit.py), each with a 95 %
bootstrap interval over documents (2,000 resamples), and the phrasing to keep: the one with
the best cross-validated AUC when it beats the template's by at least :data:`MARGIN`, else the
template. Kinds with fewer than 30 right or 30 wrong fields are still reported;
their intervals say how little they decide.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_eval import roc_auc
from kind_fit import features, fit_nonnegative, group, score
from own_set import SETS, set_labels, subjects_supported, summaries

from summarizer.core.verify.phrasing import PHRASINGS

OUT = Path(__file__).resolve().parent / "out" / "phrasings.jsonl"
NAMES = ("template", "natural", "question")
# A phrasing replaces the template only when its cross-validated AUC is higher by this much:
# a chosen value, smaller gains are well inside the intervals, and a change of phrasing
# invalidates every cached judge score and recorded judge request of that kind.
MARGIN = 0.03


def cmd_run(args: argparse.Namespace) -> int:
    from summarizer.core.kinds import Kind
    from summarizer.core.verify.walker import verify_summary
    from summarizer.run.api import open_judge
    from summarizer.run.settings import Settings

    folder = SETS[args.set]
    labels = set_labels(folder)
    docs = [(d, t, s) for d, t, s in summaries(folder) if d in labels]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        judge = stack.enter_context(
            open_judge(Settings(judge_base_url=args.judge_base_url, judge_model=args.judge_model))
        )
        for name in args.phrasing:
            choice = {k: name for k, v in PHRASINGS.items() if name in v}
            rows = []
            for doc, text, summary in docs:
                verification = verify_summary(
                    summary, text, judge=judge.for_article(), phrasing=choice, ask=PHRASINGS.keys()
                )
                for v in verification.verdicts:
                    # A name asked as its field's entity kind (the places list) is a row of
                    # kind "place", stated as an entity kind is.
                    place = group(v.kind.value, v.entity) == "place"
                    if v.judge_score is not None and (v.kind in PHRASINGS or place) and v.path in labels[doc]:
                        rows.append(
                            {
                                "set": args.set,
                                "phrasing": name if (Kind.ENTITY_KIND if place else v.kind) in choice else "template",
                                "doc": doc,
                                "path": v.path,
                                "kind": group(v.kind.value, v.entity),
                                "label": labels[doc][v.path],
                                "lexical_score": v.lexical_score,
                                "judge_score": v.judge_score,
                                "score": v.score,
                                "statement": v.statement,
                            }
                        )
                print(f"{name}: {doc} done", flush=True)
            with args.out.open("a") as fh:
                fh.writelines(json.dumps(r) + "\n" for r in rows if r["phrasing"] == name)
    return 0


def cv_scores(rows: list[dict[str, Any]]) -> list[float]:
    """Each row's calibrated score from a fit on the other documents' rows."""
    xs = [features(r) for r in rows]
    ys = [int(r["label"] == "right") for r in rows]
    out = [0.0] * len(rows)
    for doc in sorted({r["doc"] for r in rows}):
        train = [i for i, r in enumerate(rows) if r["doc"] != doc]
        beta = fit_nonnegative([xs[i] for i in train], [ys[i] for i in train])
        for i, r in enumerate(rows):
            if r["doc"] == doc:
                out[i] = score(beta, xs[i])
    return out


def auc_ci(rows: list[dict[str, Any]], got: list[float], n: int = 2000, seed: int = 7) -> tuple[float, float, float]:
    """ROC AUC of ``got`` against the labels, with a 95 % bootstrap interval over documents."""
    ys = [int(r["label"] == "right") for r in rows]
    by_doc: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_doc.setdefault(r["doc"], []).append(i)
    docs = sorted(by_doc)
    rng = random.Random(seed)
    stats = []
    for _ in range(n):
        idx = [i for d in rng.choices(docs, k=len(docs)) for i in by_doc[d]]
        if 0 < sum(ys[i] for i in idx) < len(idx):
            stats.append(roc_auc([got[i] for i in idx], [ys[i] for i in idx]))
    stats.sort()
    lo, hi = stats[int(0.025 * len(stats))], stats[int(0.975 * len(stats)) - 1]
    return roc_auc(got, ys), lo, hi


def cmd_report(args: argparse.Namespace) -> int:
    rows = [json.loads(line) for line in args.out.read_text().splitlines()]
    seen: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for r in rows:
        r.setdefault("set", "tune")  # rows written before sets were named
        seen[(r["set"], r["phrasing"], r["doc"], r["path"])] = r  # the last run of a phrasing wins
    ok = {name: subjects_supported(name) for name in {r["set"] for r in seen.values()}}
    rows = [r | {"subject_ok": ok[r["set"]].get((r["doc"], r["path"]), True)} for r in seen.values()]
    head = f"{'kind':<12} {'phrasing':<9} {'fields':>6} {'wrong':>5}"
    print(f"{head}  {'judge AUC [95% CI]':<20} {'fitted AUC* [95% CI]':<20}")
    for kind in sorted({r["kind"] for r in rows}):
        aucs: dict[str, float] = {}
        lines = []
        for name in NAMES:
            got = [r for r in rows if r["kind"] == kind and r["phrasing"] == name]
            if not got:
                continue
            j, jl, jh = auc_ci(got, [r["judge_score"] for r in got])
            c, cl, ch = auc_ci(got, cv_scores(got))
            wrong = sum(r["label"] == "wrong" for r in got)
            lines.append(
                f"{kind:<12} {name:<9} {len(got):>6} {wrong:>5}  "
                f"{j:.2f} [{jl:.2f}, {jh:.2f}]     {c:.2f} [{cl:.2f}, {ch:.2f}]"
            )
            aucs[name] = c
        best = max(aucs, key=lambda n: aucs[n])
        keep = best if aucs[best] >= aucs.get("template", -1.0) + MARGIN else "template"
        print("\n".join(lines) + f"\n{'':<12} keep: {keep}")
    print("* leave-one-document-out fit of logit(P(yes)), logit(lexical) and the subject's support, weights >= 0")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run")
    run.add_argument("--phrasing", nargs="+", choices=NAMES, default=list(NAMES))
    run.add_argument("--set", choices=("tune", "tune-v6"), default="tune", help="a tuning set of bench/own_set.py")
    run.add_argument("--judge-base-url")
    run.add_argument("--judge-model")
    for p in (run, sub.add_parser("report")):
        p.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    return cmd_run(args) if args.cmd == "run" else cmd_report(args)


if __name__ == "__main__":
    sys.exit(main())
