"""``check-claims``: stream ``{id, document, claim}`` lines to ``{id, score, supported,
spans, reasons}`` lines. Reads only ``document`` and ``claim``; the id is echoed, never used.
``score`` is in [0, 1] (4 decimals); ``spans`` are ``[start, end]`` pairs, half-open
character offsets into ``document``. A bad line gets an error line (and a message on
stderr); the others go on. With a judge, ``score`` and ``supported`` are the calibrated
combination, and ``lexical_score``, ``judge_score`` and ``judge_model`` are added."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from summarizer.core.errors import InputError
from summarizer.core.verify.claims import score_claim
from summarizer.core.verify.judge_scoring import JUDGE_THRESHOLD, JudgeScore, combine, contexts_for
from summarizer.core.verify.prepared import PreparedArticle
from summarizer.files.jsonl import LineError, read_jsonl
from summarizer.llm.judge_client import JudgeTally

if TYPE_CHECKING:
    from summarizer.llm.judge_client import JudgeClient

__all__ = ["run_check_claims"]


def _result(doc: PreparedArticle, claim: str, judged: JudgeScore | None) -> dict[str, Any]:
    lexical = score_claim(doc, claim)
    out: dict[str, Any] = {
        "score": round(lexical.score, 4),
        "supported": lexical.supported,
        "spans": [[s.start, s.end] for s in lexical.spans],
        "reasons": lexical.reasons,
    }
    if judged is not None:
        combined = combine(judged.p_yes, lexical.score)
        out.update(
            score=round(combined, 4),
            supported=combined >= JUDGE_THRESHOLD,
            lexical_score=round(lexical.score, 4),
            judge_score=round(judged.p_yes, 4),
            judge_model=judged.model,
        )
    return out


def run_check_claims(
    source: Path, out: TextIO, on_error: Callable[[str], None], judge: JudgeClient | None = None, chunk: int = 16
) -> tuple[int, JudgeTally]:
    """Score every claim line of ``source``, writing one result line per input line, in order.

    Args:
        source: A JSON Lines file of ``{id, document, claim}``, or ``-`` for standard input.
        out: Where result lines go (flushed after each chunk).
        on_error: Called with a message for each bad line (which also gets an error line).
        judge: The model judge; without it the lexical score alone decides.
        chunk: With a judge, claims judged at once (in parallel).

    Returns:
        How many lines were bad, and what judging cost.

    Raises:
        InputError: ``source`` is missing, a directory or a binary file.
    """
    bad = 0
    total = JudgeTally()
    docs: dict[str, PreparedArticle] = {}  # claims often share a document
    entries = read_jsonl(sys.stdin.buffer, "<stdin>") if str(source) == "-" else read_jsonl(source)
    pending: list[tuple[Any, int, str | None, str, str]] = []  # id, line, error, document, claim

    def flush() -> None:
        good = [(p[3], p[4]) for p in pending if p[2] is None]
        scores: Iterator[JudgeScore] = iter([])
        if judge and good:
            run = judge.for_article()
            scores = iter(run.score([(contexts_for(_doc(d), [c])[0], c) for d, c in good]))
            total.add(run.tally)
        for item_id, n, error, document, claim in pending:
            if error is not None:
                out.write(json.dumps({"id": item_id, "line": n, "error": f"line {n}: {error}"}) + "\n")
            else:
                out.write(
                    json.dumps({"id": item_id, **_result(_doc(document), claim, next(scores) if judge else None)})
                    + "\n"
                )
        out.flush()
        pending.clear()

    def _doc(text: str) -> PreparedArticle:
        if text not in docs:
            if len(docs) > 64:
                docs.clear()
            docs[text] = PreparedArticle(text)
        return docs[text]

    for entry in entries:
        if isinstance(entry, LineError):
            bad += 1
            on_error(str(entry))
            pending.append((None, entry.number, entry.reason, "", ""))
        elif isinstance(entry, InputError):  # the whole file (binary)
            raise entry
        else:
            document, claim = entry.value.get("document"), entry.value.get("claim")
            if isinstance(document, str) and isinstance(claim, str):
                pending.append((entry.value.get("id"), entry.number, None, document, claim))
            else:
                bad += 1
                reason = "'document' and 'claim' must both be strings"
                on_error(f"{entry.item}: {reason}")
                pending.append((entry.value.get("id"), entry.number, reason, "", ""))
        if len(pending) >= (chunk if judge else 1):
            flush()
    flush()
    return bad, total
