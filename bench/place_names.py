"""Names in the list of places, judged as places: how often the check is right on the tuning set.

    python bench/place_names.py            # the embedded model as judge (about 7 min on 2 cores)

The news schema's places list fixes what its names name (``PlaceName``), so the verifier asks
the judge whether each listed name the article has is a place, with the entity-kind statement
and the place-name calibration (:mod:`summarizer.core.verify.walker`); a country on the built-in list is a
place without asking. This script puts the same statements to the judge for every place name
of the tuning set's stored answers (bench/labels/tune/summaries.jsonl) and compares the
outcome with bench/labels/tune/places.json: the 122 place names labelled again, blind, under
bench/labels/RULES.md's rule that a listed place must be a place (the tuning set's first
labels did not show that the name came from the list of places). A second labeller's labels
of 41 of them are in places-relabels.json; the script prints Cohen's kappa.

Each statement's context is chosen as in a shipped verification with about 16 other judged
statements per article (the mean on the seeds): the whole article when that is no longer
than their passages, else the statement's best sentences.

Prints the judge's ROC AUC over the names the article has, and per label the outcomes before
(names checked on their words only) and after.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_eval import roc_auc
from own_set import SETS, summaries
from schema_study import kappa

from summarizer.core.kinds import Kind, Status
from summarizer.core.verify.calibration import calibration_for
from summarizer.core.verify.checks import check_name
from summarizer.core.verify.entity_signals import is_country
from summarizer.core.verify.judge_scoring import contexts_for
from summarizer.core.verify.phrasing import statement
from summarizer.core.verify.prepared import PreparedArticle
from summarizer.core.verify.registry import Leaf, Related
from summarizer.run.api import open_judge
from summarizer.run.settings import Settings

TUNE = SETS["tune"]
OTHERS = 16  # other judged statements per article in a shipped verification (seeds: 16.5)


def main() -> int:
    labels = json.loads((TUNE / "places.json").read_text())
    second = json.loads((TUNE / "places-relabels.json").read_text())
    again = {f"{d}|{p}": lab for d, marks in second.items() for p, lab in marks.items()}
    first = {key: labels[key.split("|")[0]][key.split("|")[1]] for key in again}
    agreement, shared = kappa(first, again)
    print(f"second labeller: {shared} names, Cohen's kappa {agreement:.2f}")
    cal = calibration_for(Kind.ENTITY_KIND, "place")
    rows = []
    with open_judge(Settings()) as judge:
        for doc, text, summary in summaries(TUNE):
            article = PreparedArticle(text)
            names = [(f"places[{i}].name", p.name, check_name(article, p.name)) for i, p in enumerate(summary.places)]
            asked = [
                (path, name, check)
                for path, name, check in names
                if check.status is Status.SUPPORTED and not is_country(name)
            ]
            said = [
                statement(Leaf(path, Kind.ENTITY_KIND, "place", {Kind.NAME: Related(name, check)}))
                for path, name, check in asked
            ]
            contexts = contexts_for(article, said + ["-"] * OTHERS)[: len(said)]
            scores = judge.for_article().score(list(zip(contexts, said, strict=True))) if said else []
            p_yes = {path: js.p_yes for (path, _, _), js in zip(asked, scores, strict=True)}
            for path, name, check in names:
                after = check.status
                if path in p_yes:
                    after = cal.outcome(cal.score(p_yes[path], check.score, True))
                rows.append((labels[doc][path] == "right", check.status, after, p_yes.get(path), doc, name))
    judged = [(right, p) for right, _, _, p, _, _ in rows if p is not None]
    print(f"{len(rows)} place names, {sum(not r[0] for r in rows)} wrong; judged {len(judged)}")
    judge_auc = roc_auc([p for _, p in judged], [int(r) for r, _ in judged])
    print(f"ROC AUC of P(yes) over the judged names: {judge_auc:.3f}")
    for right in (True, False):
        mine = [r for r in rows if r[0] is right]
        for when, at in (("words only", 1), ("judged", 2)):
            counts = {s.value: sum(r[at] is s for r in mine) for s in Status if any(r[at] is s for r in mine)}
            print(f"{'right' if right else 'wrong'} ({len(mine)}), {when}: {counts}")
    for right, _, after, p, doc, name in rows:
        if (after is Status.SUPPORTED) is not right:
            shown = f"{p:.2f}" if p is not None else "-"
            print(f"  {'right' if right else 'wrong'} {after.value:11} P(yes) {shown}  {doc}: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
