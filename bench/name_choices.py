"""How the names an article offers (summarizer.core.name_choices) sort the labelled names of the
tuning set: of the entity and place names the model wrote there, how many right ones a
constrained decoder could still write, and how many wrong ones it could not.

    python bench/name_choices.py [--set tune] [--list]

The tuning set's answers were written without the constraint (prompt version 2), so this
counts what the choices would have let through, not what the model writes under them (it
then picks another name). Documents the model saw in lower case offer no choice and are
counted apart. Never run it on the evaluation set while designing (bench/labels/RULES.md).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from own_set import SETS, document, set_labels

from summarizer.core.name_choices import name_choices, place_choices


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default="tune", choices=["tune"])
    parser.add_argument("--list", action="store_true", help="print each name the choices get wrong")
    args = parser.parse_args()
    folder = SETS[args.set]
    labels = set_labels(folder)
    counts: Counter[tuple[str, str, bool]] = Counter()
    lower = 0
    for line in (folder / "summaries.jsonl").read_text().splitlines():
        row = json.loads(line)
        text = document(row["doc"])
        found = name_choices(text)
        if found is None:
            lower += 1
            continue
        offered = {"entities": set(found[0]), "places": set(place_choices(text, found[0]))}
        marks = labels.get(row["doc"], {})
        for listed, allowed in offered.items():
            for i, item in enumerate(row["answer"].get(listed, [])):
                label = marks.get(f"{listed}[{i}].name")
                if label is None:
                    continue
                kept = item["name"] in allowed
                counts[(listed, label, kept)] += 1
                if args.list and kept != (label == "right"):
                    note = marks.get("_notes", {}).get(f"{listed}[{i}].name", "")
                    how = "offered" if kept else "left out"
                    print(f"  {row['doc']} {listed} {label} {how}: {item['name']!r} {note}")
    print(f"{args.set}: {lower} documents in lower case (no choice, not counted)")
    for listed in ("entities", "places"):
        right = counts[(listed, "right", True)] + counts[(listed, "right", False)]
        wrong = counts[(listed, "wrong", True)] + counts[(listed, "wrong", False)]
        print(
            f"{listed}.name: right still offered {counts[(listed, 'right', True)]}/{right}, "
            f"wrong left out {counts[(listed, 'wrong', False)]}/{wrong}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
