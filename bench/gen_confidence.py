"""Does the summarising model's own confidence in a field tell right fields from wrong ones?

    python bench/gen_confidence.py collect --set tune2-v9 --set tune-v8   # about 100 s a document
    python bench/gen_confidence.py score --dump tune2-v9=D1 --dump tune-v8=D2

A new signal for the verifier would cost no judge call: the log-probabilities of the tokens
the model wrote for each field, which a llama.cpp server returns with the summarising answer
(``logprobs``, ``top_logprobs``). ``collect`` summarises a labelled tuning set's documents
again with the checkout's defaults on the embedded model (judge off, one article at a time, so
each answer is the greedy answer its labels were made on), asks for log-probabilities, and keeps
a document only when the new answer equals the labelled one. For every string or number value
of the answer it writes the log-probabilities of the tokens that overlap the value (by byte
offsets in the raw JSON) and of the best other token at each of them, to
``bench/out/gen_confidence/<set>.jsonl``.

``score`` joins those with the set's labels (bench/labels/<set>/labels.json, by the stored
answer's paths) and with an ``own_set.py eval --set S --judge --dump F`` dump of the same set
(the verifier's lexical and judge scores), and prints per kind: fields, wrong fields, and the
ROC AUC of each confidence feature (first token's log-probability, mean and least over the
value's tokens, the first token's margin over the best other), of the judge's P(yes) and of the
lexical score; then, leave one document out, the AUC of the shipped per-kind calibration's
inputs fitted with and without the best feature (non-negative weights, as
bench/kind_fit.py fits). Exit 0: a study prints figures; it sets no target.

Only tuning sets: never run it on an evaluation set (bench/labels/own*) while designing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from own_set import SETS

OUT = Path(__file__).resolve().parent / "out" / "gen_confidence"
TUNING = ("tune", "tune-v6", "tune-v8", "tune-v9", "tune2-v9")


def value_spans(raw: str) -> list[tuple[str, int, int]]:
    """Every string and number value of the JSON text ``raw`` with its path in the stored
    answer's notation (``entities[2].name``) and its [start, end) character offsets, quotes
    excluded. Arrays of numbers (the evidence's sentence numbers) are left out.

    Raises:
        ValueError: ``raw`` is not one JSON object.
    """
    out: list[tuple[str, int, int]] = []

    def skip(i: int) -> int:
        while i < len(raw) and raw[i] in " \t\r\n":
            i += 1
        return i

    def string_end(i: int) -> int:  # i at the opening quote; returns the index after the closing one
        i += 1
        while raw[i] != '"':
            i += 2 if raw[i] == "\\" else 1
        return i + 1

    def after_item(i: int, close: str) -> tuple[int, bool]:  # past the ',' or the closing bracket
        i = skip(i)
        if raw[i] == close:
            return i + 1, True
        if raw[i] != ",":
            raise ValueError(f"expected ',' or '{close}' at {i}")
        return i + 1, False

    def value(i: int, path: str) -> int:
        i = skip(i)
        c = raw[i]
        if c == "{":
            i = skip(i + 1)
            if raw[i] == "}":
                return i + 1
            while True:
                i = skip(i)
                end = string_end(i)
                key = json.loads(raw[i:end])
                i = skip(end)
                if raw[i] != ":":
                    raise ValueError(f"expected ':' at {i}")
                i = value(i + 1, f"{path}.{key}" if path else key)
                i, closed = after_item(i, "}")
                if closed:
                    return i
        if c == "[":
            i, n = skip(i + 1), 0
            if raw[i] == "]":
                return i + 1
            while True:
                i, closed = after_item(value(i, f"{path}[{n}]"), "]")
                n += 1
                if closed:
                    return i
        if c == '"':
            end = string_end(i)
            out.append((path, i + 1, end - 1))
            return end
        end = i
        while end < len(raw) and raw[end] not in ",]} \t\r\n":
            end += 1
        if raw[i:end] not in ("null", "true", "false") and not path.endswith("]"):
            out.append((path, i, end))
        return end

    value(0, "")
    return out


def features(raw: str, tokens: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per value path of ``raw``: ``first`` (the first overlapping token's log-probability),
    ``mean`` and ``least`` over the overlapping tokens, ``margin`` (the first token's
    log-probability minus the best other's; 0 when none came back) and ``tokens``.

    ``tokens``: the answer's ``logprobs.content`` entries (``token``, ``logprob``, ``bytes``,
    ``top_logprobs``), in order; their bytes join to ``raw``'s UTF-8 encoding.

    Raises:
        ValueError: The tokens do not spell ``raw``.
    """
    data = raw.encode()
    starts, at = [], 0
    for t in tokens:
        starts.append(at)
        at += len(bytes(t["bytes"])) if t.get("bytes") is not None else len(t["token"].encode())
    if at != len(data):
        raise ValueError(f"the tokens spell {at} bytes, the answer has {len(data)}")
    out: dict[str, dict[str, float]] = {}
    for path, start, end in value_spans(raw):
        b0, b1 = len(raw[:start].encode()), len(raw[:end].encode())
        idx = [k for k, s in enumerate(starts) if s < b1 and s + max(1, _len(tokens[k])) > b0]
        if not idx:
            continue
        lps = [float(tokens[k]["logprob"]) for k in idx]
        first = tokens[idx[0]]
        others = [float(o["logprob"]) for o in first.get("top_logprobs") or [] if o["token"] != first["token"]]
        out[path] = {
            "first": lps[0],
            "mean": sum(lps) / len(lps),
            "least": min(lps),
            "margin": lps[0] - max(others) if others else 0.0,
            "tokens": float(len(lps)),
        }
    return out


def shipped_paths(feats: dict[str, dict[str, float]], dropped: list[str]) -> dict[str, dict[str, float]]:
    """``feats`` keyed by the answer's paths as the record stores it: the items in ``dropped``
    (repeats, named by their place in the answer as written) gone, and later items of their
    list moved up."""
    gone: dict[str, set[int]] = {}
    for path in dropped:
        head, _, index = path[:-1].rpartition("[")
        gone.setdefault(head, set()).add(int(index))
    out: dict[str, dict[str, float]] = {}
    for path, value in feats.items():
        head, bracket, rest = path.partition("[")
        if not bracket or head not in gone:
            out[path] = value
            continue
        index, _, tail = rest.partition("]")
        i = int(index)
        if i not in gone[head]:
            out[f"{head}[{i - sum(1 for g in gone[head] if g < i)}]{tail}"] = value
    return out


def _len(token: dict[str, Any]) -> int:
    return len(bytes(token["bytes"])) if token.get("bytes") is not None else len(token["token"].encode())


def cmd_collect(args: argparse.Namespace) -> int:
    from own_set import stored_answer
    from schema_study import document

    from summarizer.files.articles import article_from_text
    from summarizer.llm.client import LLMClient
    from summarizer.run.api import open_summarizer

    captured: list[tuple[str, list[dict[str, Any]]]] = []
    original = LLMClient._create_checked

    def with_logprobs(self: LLMClient, **kwargs: Any) -> Any:
        kwargs.update(logprobs=True, top_logprobs=2)
        response = original(self, **kwargs)
        choice = response.choices[0]
        content = choice.logprobs.content if choice.logprobs else None
        captured.append((choice.message.content or "", [c.model_dump() for c in content] if content else []))
        return response

    LLMClient._create_checked = with_logprobs  # type: ignore[method-assign]
    OUT.mkdir(parents=True, exist_ok=True)
    with open_summarizer(judge=False) as run:
        for name in args.set:
            if name not in TUNING:
                raise SystemExit(f"{name}: not a tuning set ({', '.join(TUNING)})")
            path = OUT / f"{name}.jsonl"
            done = {json.loads(line)["doc"] for line in path.read_text().splitlines()} if path.exists() else set()
            stored = [json.loads(line) for line in (SETS[name] / "summaries.jsonl").read_text().splitlines()]
            with path.open("a") as out:
                for row in stored:
                    if row["doc"] in done:
                        continue
                    captured.clear()
                    record = run(
                        article_from_text(document(row["doc"]), id=row["doc"].replace("/", "-"), source=row["doc"])
                    )
                    if not captured or not captured[-1][1]:
                        raise SystemExit(f"{row['doc']}: the answer came back without log-probabilities")
                    raw, tokens = captured[-1]
                    shipped = stored_answer(row["doc"], record.model_dump(mode="json"))["answer"]
                    differ = sorted(
                        k for k in shipped.keys() | row["answer"].keys() if shipped.get(k) != row["answer"].get(k)
                    )
                    try:
                        feats = shipped_paths(features(raw, tokens), record.provenance.repeats_dropped)
                        problem = None
                    except ValueError as e:
                        feats, problem = {}, str(e)
                    out.write(
                        json.dumps(
                            {
                                "doc": row["doc"],
                                "same": not differ,
                                "differ": differ,
                                "problem": problem,
                                "calls": len(captured),
                                "raw": raw,
                                "features": feats,
                            }
                        )
                        + "\n"
                    )
                    out.flush()
                    print(
                        f"{name} {row['doc']}: same answer {not differ}, {len(feats)} values, {problem or 'ok'}",
                        flush=True,
                    )
    return 0


FEATURES = ("first", "mean", "least", "margin")


def _confidence(sets: list[str]) -> dict[tuple[str, str, str], dict[str, float]]:
    """(set, document, path) -> the collected features, for documents whose answer came back the same."""
    out: dict[tuple[str, str, str], dict[str, float]] = {}
    for name in sets:
        for line in (OUT / f"{name}.jsonl").read_text().splitlines():
            row = json.loads(line)
            if row["same"] and not row["problem"]:
                out |= {(name, row["doc"], path): f for path, f in row["features"].items()}
    return out


def _shares(rows: list[tuple[str, bool, str]]) -> str:
    from own_set import rates

    return " / ".join(f"{x:5.1%}" for x in rates(rows))


def cmd_score(args: argparse.Namespace) -> int:
    import kind_fit
    from claims_eval import roc_auc

    sets = [pair.partition("=")[0] for pair in args.dump]
    conf = _confidence(sets)
    docs = {(s, d) for s, d, _ in conf}
    kept_dumps = []
    tmp = OUT / "dumps"
    tmp.mkdir(parents=True, exist_ok=True)
    for pair in args.dump:  # the dumps cut to the documents whose answers came back the same
        name, _, file = pair.partition("=")
        lines = [x for x in Path(file).read_text().splitlines() if (name, json.loads(x)["doc"]) in docs]
        (tmp / f"{name}.jsonl").write_text("".join(x + "\n" for x in lines))
        kept_dumps.append(f"{name}={tmp / f'{name}.jsonl'}")
    rows = kind_fit.load_dumps(kept_dumps)
    missing = [r for r in rows if (r["set"], r["doc"], r["path"]) not in conf]
    rows = [r for r in rows if (r["set"], r["doc"], r["path"]) in conf]
    for r in rows:
        r["gen"] = conf[(r["set"], r["doc"], r["path"])]
    print(
        f"{len(docs)} documents whose answers came back the same; {len(rows)} judged fields "
        f"({len(missing)} without a value of their own, left out)"
    )
    print(f"{'kind':<12} {'fields':>6} {'wrong':>5} | AUC lexical judge | " + " ".join(f"{f:>6}" for f in FEATURES))
    for kind in kind_fit.JUDGED:
        got = [r for r in rows if r["kind"] == kind]
        ys = [int(r["label"] == "right") for r in got]
        if not got or sum(ys) in (0, len(ys)):
            continue
        aucs = [roc_auc([r["gen"][f] for r in got], ys) for f in FEATURES]
        print(
            f"{kind:<12} {len(got):>6} {len(ys) - sum(ys):>5} | "
            f"{roc_auc([r['lexical_score'] for r in got], ys):>11.3f} "
            f"{roc_auc([r['judge_score'] for r in got], ys):>5.3f} | " + " ".join(f"{a:>6.3f}" for a in aucs)
        )

    print("\nevery labelled field with a value of its own, by the verifier's kind (judged or not):")
    every_kind: dict[str, list[tuple[dict[str, float], int, float]]] = {}
    for pair in kept_dumps:
        name, _, file = pair.partition("=")
        for line in Path(file).read_text().splitlines():
            v = json.loads(line)
            f = conf.get((name, v["doc"], v["path"]))
            if f is not None:
                key = kind_fit.group(v["kind"], v.get("entity"))
                every_kind.setdefault(key, []).append((f, int(v["label"] == "right"), v["score"]))
    for kind, got in sorted(every_kind.items()):
        ys = [y for _, y, _ in got]
        if sum(ys) in (0, len(ys)):
            print(f"{kind:<12} {len(got):>6} {len(ys) - sum(ys):>5} | (one label only)")
            continue
        print(
            f"{kind:<12} {len(got):>6} {len(ys) - sum(ys):>5} | score {roc_auc([s for *_, s in got], ys):.3f} | "
            + " ".join(f"{roc_auc([f[k] for f, _, _ in got], ys):>6.3f}" for k in FEATURES)
        )

    base = kind_fit.features
    limits = (args.max_wrong_passed, args.max_right_failed)
    print(
        f"\nleave one document out, limits {limits}: "
        "wrong supported / right unsupported / unsupported wrong / uncertain"
    )
    try:
        _with_each_feature(rows, sets, kept_dumps, limits, kind_fit, roc_auc)
    finally:
        kind_fit.features = base
    return 0


def _with_each_feature(
    rows: list[dict[str, Any]],
    sets: list[str],
    dumps: list[str],
    limits: tuple[float, float],
    kind_fit: Any,
    roc_auc: Any,
) -> None:
    """One line of cross-validated shares per set, and each group's cross-validated AUC, for the
    calibration's inputs alone and with each confidence feature added."""
    base = kind_fit.features
    for extra in (None, *FEATURES):
        if extra is None:
            kind_fit.features = base
        else:
            kind_fit.features = lambda f, e=extra: (*base(f), max(-10.0, f["gen"][e]))  # type: ignore[misc]
        groups, small = kind_fit.fit_groups(rows)
        cv, _ = kind_fit.cross_validate(groups, small, limits, show=False)
        per_set = kind_fit.overall(dict(cv), sets, dumps, None, show=False)
        every = [row for got in per_set.values() for row in got]
        aucs = []
        for kind, got in groups.items():
            ys = [int(r["label"] == "right") for r in got]
            scores = _cv_scores(got, kind_fit)
            aucs.append(f"{kind} {roc_auc(scores, ys):.3f}")
        print(
            f"{extra or 'none':<7} all {_shares(every)} | " + "; ".join(f"{n} {_shares(g)}" for n, g in per_set.items())
        )
        print("        CV AUC " + ", ".join(aucs))


def _cv_scores(got: list[dict[str, Any]], kind_fit: Any) -> list[float]:
    """Leave-one-document-out scores of ``got`` under ``kind_fit.features``."""
    xs = [kind_fit.features(r) for r in got]
    ys = [int(r["label"] == "right") for r in got]
    out = [0.0] * len(got)
    for doc in {r["doc"] for r in got}:
        train = [i for i, r in enumerate(got) if r["doc"] != doc]
        beta = kind_fit.fit_nonnegative([xs[i] for i in train], [ys[i] for i in train])
        for i, r in enumerate(got):
            if r["doc"] == doc:
                out[i] = kind_fit.score(beta, xs[i])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("--set", action="append", required=True)
    c.set_defaults(func=cmd_collect)
    s = sub.add_parser("score")
    s.add_argument(
        "--dump", action="append", required=True, help="SET=FILE of own_set.py eval --set SET --judge --dump"
    )
    s.add_argument("--max-wrong-passed", type=float, default=0.12)
    s.add_argument("--max-right-failed", type=float, default=0.08)
    s.set_defaults(func=cmd_score)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
