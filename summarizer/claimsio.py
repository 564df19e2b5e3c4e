"""``check-claims``: stream ``{id, document, claim}`` lines to ``{id, score, supported,
spans, reasons}`` lines. Reads only ``document`` and ``claim``; the id is echoed, never used.
A bad line gets an error line (and a message on stderr); the others go on."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .claims import Document, score_claim
from .errors import InputError
from .jsonl import LineError, read_jsonl

__all__ = ["run_check_claims"]


def run_check_claims(source: Path, out: TextIO, on_error: Callable[[str], None]) -> int:
    """Score every line of ``source`` (``-`` for stdin); return how many lines were bad."""
    bad = 0
    last_doc: Document | None = None
    entries = read_jsonl(sys.stdin.buffer, "<stdin>") if str(source) == "-" else read_jsonl(source)
    for entry in entries:
        if isinstance(entry, LineError):
            error: str | None = entry.reason
            item_id, n, item = None, entry.number, entry.item
        elif isinstance(entry, InputError):  # the whole file (binary)
            raise entry
        else:
            item_id, n, item = entry.value.get("id"), entry.number, entry.item
            document, claim = entry.value.get("document"), entry.value.get("claim")
            error = None if isinstance(document, str) and isinstance(claim, str) else \
                "'document' and 'claim' must both be strings"
        if error is not None:
            bad += 1
            on_error(f"{item}: {error}")
            out.write(json.dumps({"id": item_id, "line": n, "error": f"line {n}: {error}"}) + "\n")
            continue
        assert isinstance(document, str) and isinstance(claim, str)
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
