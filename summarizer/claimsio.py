"""``check-claims``: stream ``{id, document, claim}`` lines to ``{id, score, supported,
spans, reasons}`` lines. Reads only ``document`` and ``claim``; the id is echoed, never used.
A bad line gets an error line (and a message on stderr); the others go on."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TextIO

from .claims import Document, score_claim

__all__ = ["run_check_claims"]


def run_check_claims(lines: Iterable[str], out: TextIO, on_error: Callable[[str], None]) -> int:
    bad = 0
    last_doc: Document | None = None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item_id = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("the line is not a JSON object")
            item_id = item.get("id")
            document, claim = item.get("document"), item.get("claim")
            if not isinstance(document, str) or not isinstance(claim, str):
                raise ValueError("'document' and 'claim' must both be strings")
        except ValueError as e:
            bad += 1
            reason = f"line {n}: {e}"
            on_error(reason)
            out.write(json.dumps({"id": item_id, "line": n, "error": reason}) + "\n")
            continue
        if last_doc is None or last_doc.text != document:  # claims often share a document
            last_doc = Document(document)
        result = score_claim(last_doc, claim)
        out.write(json.dumps({
            "id": item_id,
            "score": round(result.score, 4),
            "supported": result.supported,
            "spans": [[s.start, s.end] for s in result.spans],
            "reasons": result.reasons,
        }) + "\n")
        out.flush()
    return bad
