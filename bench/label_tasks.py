"""Turn records into labelling tasks for bench/labels/RULES.md: each article's text and every
checked field with its item's other fields, and never the verifier's verdict.

    python bench/label_tasks.py bench/out/variants/sentences.jsonl -o bench/out/labeltasks/sentences.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from summarizer.views.terminal import item_of

HIDDEN = ("status", "reason", "score", "evidence", "spans", "lexical_score", "judge_score", "judge_model", "statement")


def tasks(path: Path) -> list[dict[str, object]]:
    out = []
    for line in path.read_text().splitlines():
        rec = json.loads(line)
        verdicts = [v for v in rec["verification"]["verdicts"] if v["status"] != "unchecked"]
        items: dict[str, dict[str, str]] = {}
        for v in verdicts:
            items.setdefault(item_of(v["path"]), {})[v["path"].rsplit(".", 1)[-1]] = v["value"]
        out.append(
            {
                "article_id": rec["article"]["id"],
                "article": rec["article"]["text"],
                "fields": [
                    {"path": v["path"], "kind": v["kind"], "value": v["value"], "item": items[item_of(v["path"])]}
                    for v in verdicts
                ],
            }
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("records", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()
    args.output.write_text(json.dumps(tasks(args.records), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
