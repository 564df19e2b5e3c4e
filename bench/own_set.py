"""The tool's own output, labelled by hand: how many wrong fields the verifier flags, and how
many right ones.

    python bench/own_set.py summarize     # summarise the documents below with the embedded model
    python bench/own_set.py tasks         # labelling tasks (no verdicts shown) in bench/out/
    python bench/own_set.py eval          # lexical stage vs judged verifier against the labels
    python bench/own_set.py repeats       # wrong fields with and without repeated list items
    python bench/own_set.py store --set holdout bench/out/study/holdout-shipped.jsonl

The documents are 24 SummaC documents of the report half (6 per file, named in DOCS), never
used to tune anything. ``summarize`` runs the tool's defaults (embedded 1.5B on llama-server,
sentence citations, json mode) with the judge off and stores each summary in the model's own
form, evidence as sentence numbers (bench/labels/own/summaries.jsonl), so no article text is
copied here: ``eval`` rebuilds the summaries from ../shared. Every field was labelled by hand
under bench/labels/RULES.md (bench/labels/own/labels.json) before any judged run.

``--set tune`` (for ``eval`` and ``repeats``) reads bench/labels/tune/ instead: the embedded
model's answers (xllamacpp engine, same prompt and schema) on the 25 tuning documents of
bench/schema_study.py, outside this set: 1,314 fields, 529 wrong (578 with places.json), labelled blind under the same
rules (relabels.json: a second labeller's labels of 801 fields, Cohen's kappa 0.96, and a
third's of 163, kappa 0.81). The first twelve documents' answers are stored as the model wrote
them; the other thirteen after repeated list items were dropped (as the tool now ships them).
Use it to design and fit; the own set only measures. Its 122 place names were labelled again
(places.json, laid over labels.json by every command here) under the rule that a listed place
must be a place, which the first labelling form did not show.

``--set holdout`` reads bench/labels/holdout/: a second evaluation set, the embedded model's
answers (xllamacpp, shipped prompt and schema, repeats dropped) on bench/schema_study.py's
HOLDOUT documents, stored with ``store``: 875 fields, 299 wrong, labelled blind before any
verdict on them was seen (relabels.json: a second labeller's 483 fields, Cohen's kappa 0.95).

``eval`` verifies the summaries as the tool ships them (repeated list items dropped; the labels
are found by each kept item's stored path; ``--as-written`` verifies the stored answers as
they are) and prints, for the lexical stage alone and for the judged verifier, overall and per kind:
the share of wrong fields not ``supported``, of right fields ``unsupported`` (``not_found``
counted as unsupported), of ``unsupported`` fields that are wrong, and of all fields
``uncertain``, with 95 % bootstrap intervals (2,000 resamples of articles), and exits 1 when
the judged verifier misses a target: at least 80 % of wrong fields not supported, at most 12 %
of right ones unsupported, at least 60 % of unsupported ones wrong, at most 20 % uncertain.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_eval import DATA
from label_tasks import HIDDEN

from summarizer.core.citing import cited_schema, number_sentences, uncite
from summarizer.core.kinds import Status
from summarizer.core.news import ArticleSummary
from summarizer.files.articles import article_from_text
from summarizer.views.terminal import item_of

HERE = Path(__file__).resolve().parent
OWN = HERE / "labels" / "own"
SETS = {
    "own": OWN,
    "tune": HERE / "labels" / "tune",
    "holdout": HERE / "labels" / "holdout",
    # the evaluation set's documents relabelled blind beside a new version (bench/schema_study.py keep)
    "own-relabel": HERE / "labels" / "own-relabel",
    "own-new": HERE / "labels" / "own-new",
    "own-today": HERE / "labels" / "own-today",  # today's defaults on xllamacpp, every other document
    # prompt version 3's answers (own-new's) labelled again beside version 4's (places, roles of persons)
    "own-v3-round2": HERE / "labels" / "own-v3-round2",
    "own-v4": HERE / "labels" / "own-v4",
    # prompt version 5's answers (a date's event is a sentence giving it): fields the same as
    # version 4's keep own-v4's labels, the others labelled blind (schema_study.py tasks --inherit);
    # anchors.json holds that round's labels of the version 4 fields asked again ("v4:PATH")
    "own-v5": HERE / "labels" / "own-v5",
    # prompt version 6's answers (names chosen among the article's runs of capitalised words):
    # fields the same as version 5's keep own-v5's labels, the others labelled blind;
    # anchors.json holds that round's labels of the version 5 fields asked again ("v5:PATH")
    "own-v6": HERE / "labels" / "own-v6",
    # prompt version 7's answers (a quote that runs on into the next paragraph no longer makes
    # the narration after it a quote): fields the same as version 6's keep own-v6's labels, the
    # others labelled blind; anchors.json holds that round's labels of version 6 fields asked
    # again ("v6:PATH")
    "own-v7": HERE / "labels" / "own-v7",
    # prompt version 8's answers (no place named like an organisation, a team or with an
    # acronym; no phone number's digits as figures): fields the same as version 7's keep
    # own-v7's labels, the others labelled blind; anchors.json holds that round's labels of
    # version 7 fields asked again ("v7:PATH")
    "own-v8": HERE / "labels" / "own-v8",
    # prompt version 9's answers (no place that is only the start of a name written like an
    # organisation's or a team's) to the 8 documents whose choices it changes, beside own-v8's
    # answers to the other 12: fields the same as version 8's keep own-v8's labels, the others
    # labelled blind; anchors.json holds that round's labels of version 8 fields asked again
    # ("v8:PATH")
    "own-v9": HERE / "labels" / "own-v9",
    # prompt version 6's answers (as shipped) on the 25 tuning documents of bench/labels/tune:
    # 825 fields, 142 wrong; 167 fields the same as tune's keep its labels, the others labelled
    # blind (relabels.json: a second labeller's 177, Cohen's kappa 0.94; anchors.json: this
    # round's labels of 52 inherited fields, 51 the same). For fitting, never for measuring.
    "tune-v6": HERE / "labels" / "tune-v6",
    # prompt version 8's answers to the 19 tuning documents whose choices version 8 changes:
    # fields the same as tune-v6's keep its labels, the others labelled blind (relabels.json: a
    # second labeller's 30, Cohen's kappa 0.92; anchors.json: this round's labels of 188
    # inherited fields, 186 the same). For fitting, never for measuring.
    "tune-v8": HERE / "labels" / "tune-v8",
    # prompt version 9's answers to the 8 tuning documents whose choices it changes (no place
    # that is only the start of a name written like an organisation's or a team's): fields the
    # same as tune-v8's keep its labels, the others labelled blind (relabels.json: a second
    # labeller's 41, Cohen's kappa 1.00; anchors.json: this round's labels of 82 inherited
    # fields, 80 the same). rerun-v8.jsonl is version 8 run again on summeval_0 on the same
    # machine, first on a fresh server as version 9's was, with its labels
    # (rerun-v8-labels.json): the stored version 8 answer, drawn after other documents, differs
    # from it from the first sentence on (README, Limits). For fitting, never for measuring.
    "tune-v9": HERE / "labels" / "tune-v9",
    # prompt version 9's answers, the whole prompt evaluated, to 12 further tuning documents
    # (bench/schema_study.py TUNE2), every field labelled blind: a fresh check of the verdicts
    # fitted on the tuning sets above. For fitting and checking designs, never for measuring.
    "tune2-v9": HERE / "labels" / "tune2-v9",
}
# 6 per file: documents of 1,800-4,500 characters whose every claim is in the report half,
# in file order, not among bench/local_speed.py's named documents.
DOCS = [
    f"{f}/{k}"
    for f, keys in {
        "factcc": ["factcc_12", "factcc_17", "factcc_22", "factcc_23", "factcc_26", "factcc_27"],
        "summeval": ["summeval_3", "summeval_6", "summeval_8", "summeval_13", "summeval_17", "summeval_19"],
        "polytope": ["polytope_2", "polytope_10", "polytope_12", "polytope_14", "polytope_17", "polytope_20"],
        "xsumfaith": ["xsumfaith_11", "xsumfaith_17", "xsumfaith_24", "xsumfaith_33", "xsumfaith_36", "xsumfaith_37"],
    }.items()
    for k in keys
]
TARGETS = {"wrong not supported": 0.80, "right unsupported": 0.12, "unsupported wrong": 0.60, "uncertain": 0.20}


def set_labels(folder: Path) -> dict[str, dict[str, Any]]:
    """A set's labels (labels.json), with places.json's later labels of some fields laid over
    them (bench/labels/tune: its place names labelled again under the rule that a listed place
    must be a place)."""
    labels: dict[str, dict[str, Any]] = json.loads((folder / "labels.json").read_text())
    later = folder / "places.json"
    for doc, marks in (json.loads(later.read_text()) if later.exists() else {}).items():
        labels.setdefault(doc, {}).update({k: v for k, v in marks.items() if k != "_notes"})
        labels[doc].setdefault("_notes", {}).update(marks.get("_notes", {}))
    return labels


def document(doc: str) -> str:
    subset, key = doc.split("/")
    return str(json.loads((DATA / f"{subset}.json").read_text())[key]["document"])


def summaries(folder: Path = OWN) -> list[tuple[str, str, ArticleSummary]]:
    """(doc, article text, summary rebuilt with the sentences' text) for every stored answer."""
    out = []
    for line in (folder / "summaries.jsonl").read_text().splitlines():
        row = json.loads(line)
        text = document(row["doc"])
        _, found = number_sentences(text)
        answer = cited_schema(ArticleSummary).model_validate(row["answer"])
        out.append((row["doc"], text, uncite(answer, ArticleSummary, found)))  # type: ignore[misc]
    return out


def as_shipped(summary: ArticleSummary) -> tuple[ArticleSummary, dict[str, str]]:
    """The summary as the tool ships it (repeated list items dropped, summarizer.core.repeats)
    and, for each kept item's path, its path in the stored answer (where the labels are)."""
    import re

    from summarizer.core.repeats import drop_repeats
    from summarizer.core.schema_plan import compile_schema

    kept, dropped = drop_repeats(summary, compile_schema(ArticleSummary))
    gone: dict[str, set[int]] = {}
    for path in dropped:
        m = re.fullmatch(r"(\w+)\[(\d+)\]", path)
        assert m, f"a repeated item below the top level: {path}"
        gone.setdefault(m[1], set()).add(int(m[2]))
    moved = {}
    for name, out in gone.items():
        stayed = [i for i in range(len(getattr(summary, name))) if i not in out]
        moved |= {f"{name}[{j}]": f"{name}[{i}]" for j, i in enumerate(stayed)}
    return kept, moved  # type: ignore[return-value]


def label_path(path: str, moved: dict[str, str]) -> str:
    """A verdict's path in the shipped summary as a path of the stored answer."""
    head, dot, rest = path.partition(".")
    return moved.get(head, head) + dot + rest


def subjects_supported(name: str) -> dict[tuple[str, str], bool]:
    """(document, field path) -> whether the field it describes is ``supported`` by the lexical
    stage, for every describing field of the labelled set ``name``; the subject feature of the
    per-kind calibration (summarizer.core.verify.calibration)."""
    from summarizer.core.verify.walker import verify_summary

    out = {}
    for doc, text, summary in summaries(SETS[name]):
        verdicts = verify_summary(summary, text).verdicts
        # as the judged verifier sees it when it calibrates: before a pair is settled (a figure
        # made uncertain by what it counts was supported then)
        status = {v.path: Status.SUPPORTED if settled_by_pair(v.reason) else v.status for v in verdicts}
        for v in verdicts:
            if v.describes:
                out[(doc, v.path)] = status.get(v.describes) is Status.SUPPORTED
    return out


def settled_by_pair(reason: str | None) -> bool:
    """Whether a verdict's reason says it was made uncertain by its pair (walker.settle_pairs)."""
    from summarizer.core.verify.walker import SETTLED_BY_PAIR

    return (reason or "").startswith(SETTLED_BY_PAIR)


def stored_answer(doc: str, record: Any) -> dict[str, Any]:
    """A record's summary in the model's own form (evidence as sentence numbers), as
    summaries.jsonl stores it: no article text is copied."""
    _, found = number_sentences(document(doc))
    number = {s.text: i for i, s in enumerate(found, 1)}

    def cite(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: [number.get(q, _missing(q)) for q in v] if k == "evidence" else cite(v) for k, v in node.items()}
        return [cite(x) for x in node] if isinstance(node, list) else node

    prov = record["provenance"]
    return {
        "doc": doc,
        "model": prov["model"],
        "prompt_sha256": prov["prompt"]["sha256"],
        "answer": cite(json.loads(json.dumps(record["summary"]))),
    }


def cmd_summarize(args: argparse.Namespace) -> int:
    from summarizer.run.api import open_summarizer

    OWN.mkdir(parents=True, exist_ok=True)
    rows = []
    with open_summarizer(judge=False) as run:
        for doc in DOCS:
            record = run(article_from_text(document(doc), id=doc.replace("/", "-"), source=doc))
            rows.append(stored_answer(doc, record.model_dump(mode="json")))
            print(f"{doc}: {len(record.verification.verdicts)} fields, {record.provenance.seconds:.0f} s", flush=True)
    (OWN / "summaries.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return 0


def cmd_store(args: argparse.Namespace) -> int:
    """Store records made elsewhere (bench/schema_study.py summarize) as a labelled set's answers."""
    folder = SETS[args.set]
    folder.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in args.records.read_text().splitlines()]
    out = [stored_answer(r["article"]["source"], r) for r in rows]
    (folder / "summaries.jsonl").write_text("".join(json.dumps(r) + "\n" for r in out))
    print(f"{len(out)} answers in {folder / 'summaries.jsonl'}")
    return 0


def _missing(quote: str) -> int:
    """The number the model gave for a sentence that does not exist ("(sentence 99: ...)")."""
    return int(quote.split()[1].rstrip(":")) if quote.startswith("(sentence ") else 0


def cmd_tasks(args: argparse.Namespace) -> int:
    from summarizer.core.verify.walker import verify_summary

    tasks = []
    for doc, text, summary in summaries():
        verdicts = [v for v in verify_summary(summary, text).verdicts if v.status is not Status.UNCHECKED]
        items: dict[str, dict[str, str]] = {}
        for v in verdicts:
            items.setdefault(item_of(v.path), {})[v.path.rsplit(".", 1)[-1]] = v.value
        tasks.append(
            {
                "article_id": doc,
                "article": text,
                "fields": [
                    {
                        k: val
                        for k, val in {
                            "path": v.path,
                            "kind": v.kind.value,
                            "value": v.value,
                            "item": items[item_of(v.path)],
                        }.items()
                        if k not in HIDDEN
                    }
                    for v in verdicts
                ],
            }
        )
    out = HERE / "out" / "labeltasks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "own.json").write_text(json.dumps(tasks, indent=1, ensure_ascii=False))
    print(f"{sum(len(t['fields']) for t in tasks)} fields of {len(tasks)} articles in {out / 'own.json'}")
    return 0


Outcome = tuple[str, bool, str]  # article, labelled right, outcome: supported, uncertain or unsupported
STATS = ("wrong not supported", "right unsupported", "unsupported wrong", "uncertain")


def _share(hits: list[bool]) -> float:
    return sum(hits) / len(hits) if hits else float("nan")


def rates(rows: list[Outcome]) -> tuple[float, float, float, float]:
    """The four shares of :data:`STATS` over (doc, right, outcome) rows: wrong fields not
    supported, right fields unsupported, unsupported fields that are wrong, fields uncertain."""
    return (
        _share([o != "supported" for _, r, o in rows if not r]),
        _share([o == "unsupported" for _, r, o in rows if r]),
        _share([not r for _, r, o in rows if o == "unsupported"]),
        _share([o == "uncertain" for _, _, o in rows]),
    )


def bootstrap(rows: list[Outcome], n: int = 2000, seed: int = 7) -> list[tuple[float, float]]:
    """95 % intervals of :func:`rates`, resampling articles ``n`` times."""
    docs = sorted({d for d, _, _ in rows})
    by_doc = {d: [r for r in rows if r[0] == d] for d in docs}
    rng = random.Random(seed)
    draws = [rates([r for d in rng.choices(docs, k=len(docs)) for r in by_doc[d]]) for _ in range(n)]
    out = []
    for i in range(len(STATS)):
        vals = sorted(x[i] for x in draws if x[i] == x[i])
        out.append((vals[int(0.025 * len(vals))], vals[int(0.975 * len(vals)) - 1]) if vals else (math.nan, math.nan))
    return out


def outcome(status: Status) -> str:
    """A verdict's status as one of three outcomes (``not_found`` is unsupported)."""
    return "unsupported" if status in (Status.UNSUPPORTED, Status.NOT_FOUND) else status.value


def print_aucs(fields: list[dict[str, Any]]) -> None:
    """ROC AUC per kind of each score the verdicts carry, for telling right fields (higher)
    from wrong ones: the lexical score, the judge's P(yes) and the combined score."""
    from claims_eval import roc_auc

    kinds = sorted({f["kind"] for f in fields})
    print(f"   {'ROC AUC':<12} {'fields':>6} {'wrong':>5}  {'lexical':>7} {'judge':>7} {'combined':>8}")
    for kind in [*kinds, "all"]:
        rows = [f for f in fields if kind in ("all", f["kind"])]
        labels = [int(f["label"] == "right") for f in rows]
        aucs = []
        for key in ("lexical_score", "judge_score", "score"):
            got = [(f[key], y) for f, y in zip(rows, labels, strict=True) if f[key] is not None]
            aucs.append(roc_auc([g for g, _ in got], [y for _, y in got]) if got else float("nan"))
        print(f"   {kind:<12} {len(rows):>6} {labels.count(0):>5}  {aucs[0]:>7.2f} {aucs[1]:>7.2f} {aucs[2]:>8.2f}")


def cmd_eval(args: argparse.Namespace) -> int:
    import contextlib

    from summarizer.core.verify.walker import verify_summary
    from summarizer.run.api import open_judge
    from summarizer.run.settings import Settings

    folder = SETS[args.set]
    labels = set_labels(folder)
    fields: list[dict[str, Any]] = []
    results: dict[str, list[Outcome]] = {"lexical": [], "judged": []}
    by_kind: dict[str, dict[str, list[Outcome]]] = {"lexical": {}, "judged": {}}
    with contextlib.ExitStack() as stack:
        judge = (
            stack.enter_context(open_judge(Settings(judge_base_url=args.judge_base_url, judge_model=args.judge_model)))
            if args.judge
            else None
        )
        labelled = [(d, t, s) for d, t, s in summaries(folder) if d in labels]
        print(f"{len(labelled)} labelled documents in {folder.relative_to(HERE)}")
        for doc, text, stored in labelled:
            marks = labels[doc]
            summary, moved = (stored, {}) if args.as_written else as_shipped(stored)
            runs = {"lexical": verify_summary(summary, text)}
            if judge is not None:
                runs["judged"] = verify_summary(summary, text, judge=judge.for_article())
            for name, verification in runs.items():
                for v in verification.verdicts:
                    v = v.model_copy(update={"path": label_path(v.path, moved)})
                    if v.path in marks:
                        row = (doc, marks[v.path] == "right", outcome(v.status))
                        results[name].append(row)
                        by_kind[name].setdefault(v.kind.value, []).append(row)
                        if name == "judged" or judge is None:
                            fields.append({"doc": doc, "label": marks[v.path]} | v.model_dump(mode="json"))
    if args.dump:
        args.dump.write_text("".join(json.dumps(f) + "\n" for f in fields))
        print(f"{len(fields)} verdicts with their labels in {args.dump}")
    print_aucs(fields)
    ok = True
    for name, rows in results.items():
        if not rows:
            continue
        point, ci = rates(rows), bootstrap(rows)
        n_wrong = sum(not r for _, r, _ in rows)
        print(f"{name} ({len(rows)} fields, {n_wrong} wrong):")
        for label, p, (lo, hi) in zip(STATS, point, ci, strict=True):
            print(f"   {label:<20} {p:>5.0%} [{lo:.0%}, {hi:.0%}]")
        print(f"   {'kind':<12} {'fields':>6} {'wrong':>5}  " + "  ".join(f"{s:>19}" for s in STATS))
        for kind, kind_rows in sorted(by_kind[name].items()):
            n_w = sum(not r for _, r, _ in kind_rows)
            shares = "  ".join(f"{x:>19.0%}" if x == x else f"{'-':>19}" for x in rates(kind_rows))
            print(f"   {kind:<12} {len(kind_rows):>6} {n_w:>5}  {shares}")
        print(f"   how often each outcome is right ({name}): share of the outcome's fields labelled right")
        print(f"   {'kind':<12} {'supported':>15} {'uncertain':>15} {'unsupported':>15}")
        for kind, kind_rows in [*sorted(by_kind[name].items()), ("all", rows)]:
            cells = []
            for said in ("supported", "uncertain", "unsupported"):
                got = [r for _, r, o in kind_rows if o == said]
                cells.append(f"{sum(got) / len(got):>5.0%} of {len(got):>4}" if got else f"{'-':>15}")
            print(f"   {kind:<12} " + " ".join(f"{c:>15}" for c in cells))
        if name == "judged":
            wrong_ns, right_un, un_wrong, unsure = point
            ok = (
                wrong_ns >= TARGETS["wrong not supported"]
                and right_un <= TARGETS["right unsupported"]
                and un_wrong >= TARGETS["unsupported wrong"]
                and unsure <= TARGETS["uncertain"]
            )
    if results["judged"]:
        print(
            "targets (judged): wrong not supported >= 80 %, right unsupported <= 12 %, unsupported wrong >= 60 %, "
            f"uncertain <= 20 %: {'met' if ok else 'MISSED'}"
        )
    return 0 if ok else 1


Field = tuple[str, str, bool]  # article, group (or kind), labelled right


def report_fields(name: str, rows: list[Field], n: int = 2000, seed: int = 7) -> None:
    """Print the share of wrong fields and right and wrong fields per article, with 95 %
    bootstrap intervals over articles (``n`` resamples), then the same per group."""
    docs = sorted({d for d, _, _ in rows})
    by_doc = {d: [r for r in rows if r[0] == d] for d in docs}

    def stats(sample: list[str]) -> tuple[float, float, float]:
        rs = [r for d in sample for r in by_doc[d]]
        wrong = sum(not ok for *_, ok in rs)
        return (wrong / len(rs), (len(rs) - wrong) / len(sample), wrong / len(sample))

    rng = random.Random(seed)
    boot = [stats(rng.choices(docs, k=len(docs))) for _ in range(n)]
    ordered = [sorted(b[i] for b in boot) for i in range(3)]
    ci = [(o[int(0.025 * n)], o[int(0.975 * n) - 1]) for o in ordered]
    point = stats(docs)
    print(
        f"{name}: {len(docs)} articles, {len(rows)} fields, {sum(not r for *_, r in rows)} wrong = "
        f"{point[0]:.1%} [{ci[0][0]:.1%}, {ci[0][1]:.1%}]; per article right {point[1]:.1f} "
        f"[{ci[1][0]:.1f}, {ci[1][1]:.1f}], wrong {point[2]:.1f} [{ci[2][0]:.1f}, {ci[2][1]:.1f}]"
    )
    for group in sorted({g for _, g, _ in rows}):
        g_rows = [r for r in rows if r[1] == group]
        wrong = sum(not r for *_, r in g_rows)
        print(
            f"   {group:<10} {len(g_rows):>4} fields, wrong {wrong / len(g_rows):>5.1%}, "
            f"right/article {(len(g_rows) - wrong) / len(docs):>5.1f}, wrong/article {wrong / len(docs):>4.1f}"
        )


def cmd_repeats(args: argparse.Namespace) -> int:
    """The labelled fields of the stored answers as written and with repeated list items dropped
    (summarizer.core.repeats): fields, share wrong, right and wrong fields per article, per group,
    with 95 % bootstrap intervals over articles."""
    from summarizer.core.repeats import drop_repeats
    from summarizer.core.schema_plan import compile_schema

    folder = SETS[args.set]
    labels = set_labels(folder)
    plan = compile_schema(ArticleSummary)
    rows: dict[str, list[Field]] = {"as written": [], "repeats dropped": []}
    for doc, _, summary in summaries(folder):
        if doc not in labels:
            continue
        _, dropped = drop_repeats(summary, plan)
        for path, mark in labels[doc].items():
            if path.startswith("_"):  # the labeller's notes
                continue
            row = (doc, path.split("[")[0].split(".")[0], mark == "right")
            rows["as written"].append(row)
            if not any(path.startswith(d + ".") or path == d for d in dropped):
                rows["repeats dropped"].append(row)
    for name, got in rows.items():
        report_fields(name, got)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("summarize")
    sub.add_parser("tasks")
    st = sub.add_parser("store")
    st.add_argument("--set", choices=sorted(SETS), required=True)
    st.add_argument("records", type=Path, help="records of bench/schema_study.py summarize")
    rp = sub.add_parser("repeats")
    rp.add_argument("--set", choices=sorted(SETS), default="own")
    ev = sub.add_parser("eval")
    ev.add_argument("--set", choices=sorted(SETS), default="own")
    ev.add_argument(
        "--as-written", action="store_true", help="verify the stored answers with repeated items (default: as shipped)"
    )
    ev.add_argument("--dump", type=Path, help="write every labelled verdict with its label here (JSON Lines)")
    ev.add_argument("--judge", action="store_true", help="also the judged verifier (embedded model by default)")
    ev.add_argument("--judge-base-url")
    ev.add_argument("--judge-model")
    args = ap.parse_args()
    commands = {
        "summarize": cmd_summarize,
        "tasks": cmd_tasks,
        "store": cmd_store,
        "eval": cmd_eval,
        "repeats": cmd_repeats,
    }
    return commands[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
