"""Two versions of the default schema and prompt side by side, labelled blind: which one
writes fewer wrong fields, without saying less.

    python bench/schema_study.py summarize --set tune --label old   # records in bench/out/study/
    python bench/schema_study.py stored --set eval --label old      # the set's labelled answers as records
    python bench/schema_study.py tasks --set tune --labels old,new  # shuffled, neutral, no verdicts
    python bench/schema_study.py stored --set eval --from own-v4 --label v4  # a labelled set's answers
    python bench/schema_study.py tasks --set eval --labels v4,v5 --inherit own-v4
    python bench/schema_study.py score --set tune --labels old,new --answers A.json [B.json]

``--set tune`` is SummaC documents outside the evaluation set (:data:`TUNE`: twelve, three per
file, then thirteen more; 1,800-4,500 characters, in file order, none among bench/own_set.py's
or bench/local_speed.py's named documents): designing happens on them. ``--set eval`` is
bench/own_set.py's documents, used only to measure a design already committed. ``--set holdout``
is a second evaluation set (:data:`HOLDOUT`, apart from both), labelled in bench/labels/holdout. ``summarize``
runs the checkout's defaults on the embedded model with the judge off (the labels never see
a verdict); run it from the checkout whose defaults are meant (``--label`` names the output).

``stored`` writes a labelled set's stored and labelled answers (bench/labels/<set>/) as the
tool ships them (repeated items dropped) in the records' form, so the answers a set was
labelled on can be relabelled beside a new version's, blind.

``tasks`` renders every checked field of every labelled version into one form that does not
show which schema wrote it (kind, value, the other fields of its item under kind names, what a
name names when its list fixes it, the article), shuffles them with a fixed seed and writes
``tasks.json`` plus ``key.json`` (which version and path each task is). Labellers follow
bench/labels/RULES.md and answer ``{task id: "right" | "wrong"}``. With ``--inherit SET``, a
field whose signature (article, path, kind, value and its item's other fields, as the form shows
them) is labelled in bench/own_set.py's ``SET`` keeps that label instead of being asked (when a
new version changes only the grammar of later fields, its answers share the earlier ones), and
a seeded share of the first version's such fields (``--anchors``, a quarter) is asked again
among the tasks, so ``score`` can report the agreement between the two rounds; ``score`` and
``keep`` count the inherited labels.

``keep`` stores a scored relabel as labelled sets bench/own_set.py reads (``--version
old=own-relabel --version choices=own-new``): each version's answers (summaries.jsonl) and its
labels by the stored answer's paths (labels.json, with the labeller's notes; relabels.json, a
second labeller's, with ``--second``), so the verdicts
can be measured on them (``own_set.py eval --set own-new``).

``score`` prints, per version, fields, wrong fields and their share overall and per group
(claims, entities, figures, dates, quotes), right and wrong fields per article, with 95 %
bootstrap intervals over articles (2,000 resamples), and Cohen's kappa on the tasks two
answer files share.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_eval import DATA
from own_set import DOCS as EVAL
from own_set import report_fields

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "study"
TUNE = [
    "factcc/factcc_0", "factcc/factcc_2", "factcc/factcc_5",
    "summeval/summeval_0", "summeval/summeval_4", "summeval/summeval_5",
    "polytope/polytope_0", "polytope/polytope_1", "polytope/polytope_5",
    "xsumfaith/xsumfaith_1", "xsumfaith/xsumfaith_28", "xsumfaith/xsumfaith_34",
    # thirteen more, chosen by the same rule, for the verdicts' tuning set (bench/labels/tune)
    "factcc/factcc_6", "factcc/factcc_29", "factcc/factcc_31", "factcc/factcc_32",
    "summeval/summeval_7", "summeval/summeval_12", "summeval/summeval_14",
    "polytope/polytope_8", "polytope/polytope_9", "polytope/polytope_19",
    "xsumfaith/xsumfaith_43", "xsumfaith/xsumfaith_44", "xsumfaith/xsumfaith_47",
]  # fmt: skip
# A second evaluation set, apart from both: the next five documents per file, in file order, of
# 1,800-4,500 characters whose every SummaC claim is in the report half, none of whose text is
# a document named above, in bench/own_set.py or in bench/local_speed.py.
HOLDOUT = [
    "factcc/factcc_35", "factcc/factcc_37", "factcc/factcc_38", "factcc/factcc_41", "factcc/factcc_49",
    "summeval/summeval_22", "summeval/summeval_24", "summeval/summeval_28", "summeval/summeval_29",
    "summeval/summeval_30", "polytope/polytope_22", "polytope/polytope_26", "polytope/polytope_72",
    "polytope/polytope_111", "polytope/polytope_112", "xsumfaith/xsumfaith_49", "xsumfaith/xsumfaith_51",
    "xsumfaith/xsumfaith_65", "xsumfaith/xsumfaith_79", "xsumfaith/xsumfaith_88",
]  # fmt: skip
# Twelve more tuning documents, chosen by TUNE's rule after every document named above: a fresh
# check of designs made on TUNE before they meet the evaluation set (bench/labels/tune2-v9).
TUNE2 = [
    "factcc/factcc_39", "factcc/factcc_45", "factcc/factcc_46",
    "summeval/summeval_15", "summeval/summeval_18", "summeval/summeval_23",
    "polytope/polytope_21", "polytope/polytope_23", "polytope/polytope_24",
    "xsumfaith/xsumfaith_74", "xsumfaith/xsumfaith_76", "xsumfaith/xsumfaith_82",
]  # fmt: skip
SETS = {"tune": TUNE, "tune2": TUNE2, "eval": EVAL, "holdout": HOLDOUT}
GROUPS = {
    "claim": "claims",
    "name": "entities",
    "entity_kind": "entities",
    "role": "entities",
    "quantity": "figures",
    "counts": "figures",
    "date": "dates",
    "event": "dates",
    "quote": "quotes",
    "speaker": "quotes",
}


def docs(which: str) -> list[str]:
    return SETS[which]


def document(doc: str) -> str:
    subset, key = doc.split("/")
    return str(json.loads((DATA / f"{subset}.json").read_text())[key]["document"])


def records(which: str, label: str) -> list[dict[str, Any]]:
    path = OUT / f"{which}-{label}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def cmd_summarize(args: argparse.Namespace) -> int:
    from summarizer.files.articles import article_from_text
    from summarizer.run.api import open_summarizer

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{args.set}-{args.label}.jsonl"
    done = {json.loads(line)["article"]["id"] for line in path.read_text().splitlines()} if path.exists() else set()
    with open_summarizer(judge=False) as run, path.open("a") as out:
        for doc in docs(args.set):
            if doc.replace("/", "-") in done or (args.only and doc not in args.only.split(",")):
                continue
            record = run(article_from_text(document(doc), id=doc.replace("/", "-"), source=doc))
            out.write(record.model_dump_json() + "\n")
            out.flush()
            print(f"{doc}: {len(record.verification.verdicts)} fields, {record.provenance.seconds:.0f} s", flush=True)
    return 0


def cmd_stored(args: argparse.Namespace) -> int:
    from own_set import SETS as FOLDERS
    from own_set import as_shipped, summaries

    from summarizer.core.verify.walker import verify_summary

    folder = FOLDERS[args.source or ("own" if args.set == "eval" else args.set)]
    labelled = json.loads((folder / "labels.json").read_text())
    path = OUT / f"{args.set}-{args.label}.jsonl"
    OUT.mkdir(parents=True, exist_ok=True)
    with path.open("w") as out:
        for doc, text, summary in summaries(folder):
            if doc not in labelled:
                continue
            shipped, _ = as_shipped(summary)
            verification = verify_summary(shipped, text)
            row = {"article": {"id": doc.replace("/", "-")}, "verification": verification.model_dump(mode="json")}
            out.write(json.dumps(row) + "\n")
    print(f"{path}: the answers of {folder}")
    return 0


def _fields(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The checked fields of a record in the neutral form: kind, value, the item's other fields by kind."""
    verdicts = [v for v in record["verification"]["verdicts"] if v["status"] != "unchecked"]
    items: dict[str, list[dict[str, Any]]] = {}
    for v in verdicts:
        items.setdefault(v["path"].rsplit(".", 1)[0] if "." in v["path"] else v["path"], []).append(v)
    out = []
    for v in verdicts:
        item = items[v["path"].rsplit(".", 1)[0] if "." in v["path"] else v["path"]]
        others = {o["kind"]: o["value"] for o in item if o is not v}
        fixed = _fixed_entity(v["path"])
        if fixed and "entity_kind" not in others:  # a name whose list says what it names (places)
            others["entity_kind"] = fixed
        out.append({"path": v["path"], "kind": v["kind"], "value": v["value"], "with": others})
    return out


def _fixed_entity(path: str) -> str | None:
    """What a name at ``path`` of the news schema names when its field fixes it
    (``FieldKind(entity=...)``: every ``places[i].name`` is a place), else None."""
    import re

    from summarizer.core.news import ArticleSummary
    from summarizer.core.schema_plan import compile_schema

    plan = compile_schema(ArticleSummary)
    for part in re.sub(r"\[\d+\]", "", path).split("."):
        field = next((f for f in plan.fields if f.name == part), None)
        if field is None:
            return None
        if field.model is None:
            return field.marker.entity if field.marker is not None else None
        plan = field.model
    return None


def _signature(article_id: str, f: dict[str, Any]) -> str:
    return json.dumps([article_id, f["path"], f["kind"], f["value"], f["with"]], sort_keys=True)


def labelled_fields(name: str) -> dict[str, tuple[str, str | None]]:
    """The labels of a labelled set (bench/own_set.py's ``name``) by field signature: the
    article, the field's path, kind and value and its item's other fields, as the neutral form
    shows them. A field of another version with the same signature is the same field."""
    from own_set import SETS as FOLDERS
    from own_set import as_shipped, set_labels, summaries

    from summarizer.core.verify.walker import verify_summary

    folder = FOLDERS[name]
    labels = set_labels(folder)
    out: dict[str, tuple[str, str | None]] = {}
    for doc, text, summary in summaries(folder):
        shipped, moved = as_shipped(summary)
        record = {"verification": verify_summary(shipped, text).model_dump(mode="json")}
        marks = labels.get(doc, {})
        for f in _fields(record):
            head, dot, rest = f["path"].partition(".")
            path = moved.get(head, head) + dot + rest
            if path in marks:
                out[_signature(doc.replace("/", "-"), f)] = (marks[path], marks.get("_notes", {}).get(path))
    return out


def cmd_tasks(args: argparse.Namespace) -> int:
    tasks, key = [], {}
    known = labelled_fields(args.inherit) if args.inherit else {}
    rng = random.Random(args.seed)
    inherited = 0
    versions = args.labels.split(",")
    for label in versions:
        for rec in records(args.set, label):
            for f in _fields(rec):
                key_row = {"version": label, "article_id": rec["article"]["id"], "path": f["path"], "kind": f["kind"]}
                old = known.get(_signature(rec["article"]["id"], f))
                if old is not None:
                    key_row |= {"inherited": old[0], "note": old[1]}
                    inherited += 1
                    # asked again: a share of the first version's (a later version's copy of
                    # a field is the same field)
                    if label != versions[0] or rng.random() >= args.anchors:
                        key[f"i{inherited:04d}"] = key_row
                        continue
                tasks.append(
                    {"article_id": rec["article"]["id"], "kind": f["kind"], "value": f["value"], "with": f["with"]}
                )
                tasks[-1]["_key"] = key_row
    rng.shuffle(tasks)
    for i, t in enumerate(tasks, 1):
        key[f"t{i:04d}"] = t.pop("_key")
        t["id"] = f"t{i:04d}"
    OUT.mkdir(parents=True, exist_ok=True)
    articles = {d.replace("/", "-"): document(d) for d in docs(args.set)}
    (OUT / f"{args.set}-tasks.json").write_text(
        json.dumps({"articles": articles, "tasks": tasks}, indent=1, ensure_ascii=False)
    )
    (OUT / f"{args.set}-key.json").write_text(json.dumps(key, indent=1))
    anchors = sum("inherited" in k for t, k in key.items() if t.startswith("t"))
    print(f"{len(tasks)} tasks over {len(articles)} articles in {OUT / f'{args.set}-tasks.json'}", end="")
    print(f"; {inherited} fields labelled in {args.inherit}, {anchors} of them asked again" if known else "")
    return 0


def cmd_keep(args: argparse.Namespace) -> int:
    from own_set import SETS as FOLDERS
    from own_set import as_shipped, stored_answer, summaries

    key = json.loads((OUT / f"{args.set}-key.json").read_text())
    answers = json.loads(Path(args.answers).read_text())
    notes = json.loads(Path(args.notes).read_text()) if args.notes else {}
    answers |= {t: k["inherited"] for t, k in key.items() if "inherited" in k}
    notes |= {t: k["note"] for t, k in key.items() if k.get("note")}
    second = json.loads(Path(args.second).read_text()) if args.second else {}
    for pair in args.version:
        label, name = pair.split("=")
        folder = FOLDERS[name]
        folder.mkdir(parents=True, exist_ok=True)
        if label == "old":  # the set's own stored answers; labels go to their paths as stored
            source = FOLDERS["own" if args.set == "eval" else args.set]
            rows = [json.loads(line) for line in (source / "summaries.jsonl").read_text().splitlines()]
            moved = {d.replace("/", "-"): as_shipped(s)[1] for d, _, s in summaries(source)}
        else:
            rows = [stored_answer(r["article"]["source"], r) for r in records(args.set, label)]
            moved = {}
        labels: dict[str, dict[str, Any]] = {}
        again: dict[str, dict[str, str]] = {}
        for t, k in key.items():
            if k["version"] != label or t not in answers:
                continue
            doc = next((r["doc"] for r in rows if r["doc"].replace("/", "-") == k["article_id"]), None)
            if doc is None:
                continue  # a document this version did not summarise again (its answer is kept elsewhere)
            head, dot, rest = k["path"].partition(".")
            path = moved.get(k["article_id"], {}).get(head, head) + dot + rest
            marks = labels.setdefault(doc, {"_notes": {}})
            marks[path] = answers[t]
            if t in notes:
                marks["_notes"][path] = notes[t]
            if t in second:
                again.setdefault(doc, {})[path] = second[t]
        if again:
            (folder / "relabels.json").write_text(json.dumps(again, indent=1, ensure_ascii=False))
        kept = [r for r in rows if r["doc"] in labels]
        (folder / "summaries.jsonl").write_text("".join(json.dumps(r) + "\n" for r in kept))
        (folder / "labels.json").write_text(json.dumps(labels, indent=1, ensure_ascii=False))
        print(f"{label}: {sum(len(m) - 1 for m in labels.values())} labels on {len(kept)} answers in {folder}")
    return 0


def kappa(a: dict[str, str], b: dict[str, str]) -> tuple[float, int]:
    shared = sorted(set(a) & set(b))
    if not shared:
        return float("nan"), 0
    agree = sum(a[t] == b[t] for t in shared) / len(shared)
    pa = sum(a[t] == "right" for t in shared) / len(shared)
    pb = sum(b[t] == "right" for t in shared) / len(shared)
    chance = pa * pb + (1 - pa) * (1 - pb)
    return ((agree - chance) / (1 - chance) if chance < 1 else 1.0), len(shared)


def cmd_score(args: argparse.Namespace) -> int:
    key = json.loads((OUT / f"{args.set}-key.json").read_text())
    answers = [json.loads(Path(p).read_text()) for p in args.answers]
    first = answers[0]
    for extra in answers[1:]:
        k, n = kappa(first, extra)
        same = sum(first[t] == extra[t] for t in set(first) & set(extra))
        print(f"Cohen's kappa {k:.2f} on {n} tasks labelled twice ({same} agree)")
    anchors = {t: k["inherited"] for t, k in key.items() if "inherited" in k and t in first}
    if anchors:
        k, n = kappa(anchors, first)
        same = sum(first[t] == anchors[t] for t in anchors)
        print(f"Cohen's kappa {k:.2f} between the inherited labels and this round's on {n} fields ({same} agree)")
    first = {**first, **{t: k["inherited"] for t, k in key.items() if "inherited" in k}}
    missing = [t for t in key if t not in first]
    if missing:
        print(f"{len(missing)} of {len(key)} tasks unlabelled (not counted), e.g. {missing[:3]}")
    for label in args.labels.split(","):
        rows = [
            (r["article_id"], GROUPS.get(r["kind"], r["kind"]), first[t] == "right")
            for t, r in key.items()
            if r["version"] == label and t in first
        ]
        report_fields(label, rows)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("summarize")
    s.add_argument("--set", choices=sorted(SETS), required=True)
    s.add_argument("--label", required=True)
    s.add_argument("--only", help="these documents only (comma-separated, as in TUNE)")
    st = sub.add_parser("stored")
    st.add_argument("--set", choices=sorted(SETS), required=True)
    st.add_argument("--label", required=True)
    st.add_argument("--from", dest="source", help="a labelled set of bench/own_set.py other than --set's own")
    t = sub.add_parser("tasks")
    t.add_argument("--set", choices=sorted(SETS), required=True)
    t.add_argument("--labels", required=True, help="versions, comma-separated")
    t.add_argument("--seed", type=int, default=7)
    t.add_argument("--inherit", help="a labelled set whose labels fields with the same signature keep")
    t.add_argument("--anchors", type=float, default=0.25, help="share of the first version's kept labels asked again")
    k = sub.add_parser("keep")
    k.add_argument("--set", choices=sorted(SETS), required=True)
    k.add_argument("--answers", required=True, help="the labels: {task id: right | wrong}")
    k.add_argument("--notes", help="the labellers' notes: {task id: '[tag] why'}")
    k.add_argument("--second", help="a second labeller's labels of some tasks, kept as relabels.json")
    k.add_argument("--version", action="append", required=True, help="LABEL=SET of bench/own_set.py")
    c = sub.add_parser("score")
    c.add_argument("--set", choices=sorted(SETS), required=True)
    c.add_argument("--labels", required=True)
    c.add_argument("--answers", nargs="+", required=True, help="labels; a second file gives kappa on shared tasks")
    args = ap.parse_args()
    commands = {"summarize": cmd_summarize, "stored": cmd_stored, "keep": cmd_keep, "tasks": cmd_tasks}
    return {**commands, "score": cmd_score}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
