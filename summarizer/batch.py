"""``summarizer batch``: many articles, bounded concurrency, resumable, nothing lost.

Articles stream in from :mod:`summarizer.sources`; at most ``concurrency`` are in flight and
at most twice that are read ahead, so memory stays flat whatever the input size. Each result
is appended to ``summaries.jsonl`` (one ``write`` per line) and each failure to
``errors.jsonl`` with its reason and attempt counts; the batch goes on. A re-run skips
articles whose resume key (content, prompt, model) is already in ``summaries.jsonl``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .articles import Article
from .errors import InputError, SummarizerError
from .pipeline import Summarizer
from .records import SummaryRecord
from .sources import Item
from .outputs import write_text_atomic
from .store import JsonlAppender, done_keys

__all__ = ["BatchReport", "run_batch"]


@dataclass
class BatchReport:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    grounding_sum: float = 0.0
    started: float = field(default_factory=time.perf_counter)
    wall_seconds: float = 0.0

    @property
    def grounding_rate(self) -> float | None:
        return round(self.grounding_sum / self.done, 4) if self.done else None

    def as_dict(self) -> dict[str, Any]:
        return {"done": self.done, "failed": self.failed, "skipped": self.skipped,
                "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "wall_seconds": round(self.wall_seconds, 2), "grounding_rate": self.grounding_rate}


def _error_line(item: str, article_id: str | None, exc: BaseException) -> dict[str, Any]:
    counted = exc if isinstance(exc, SummarizerError) else None
    return {
        "id": article_id,
        "item": item,
        "kind": type(exc).__name__,
        "reason": str(exc),
        "transport_retries": counted.transport_retries if counted else None,
        "attempts": counted.attempts if counted else None,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def run_batch(
    items: Iterable[Item],
    outdir: Path,
    summarizer: Summarizer,
    *,
    concurrency: int = 1,
    on_progress: Callable[[BatchReport, str | None], None] | None = None,
) -> BatchReport:
    """Summarise every item into ``outdir``; return the counts."""
    outdir.mkdir(parents=True, exist_ok=True)
    if concurrency > 1:
        # Many threads mostly waiting on sockets, a few verifying: with the default 5 ms GIL
        # switch interval each socket wake-up can queue behind a verifying thread (the convoy
        # effect), adding tens of ms to every call. 1 ms keeps in-flight calls moving.
        sys.setswitchinterval(0.001)
    summaries_path, errors_path = outdir / "summaries.jsonl", outdir / "errors.jsonl"
    report = BatchReport()
    with JsonlAppender(summaries_path) as summaries, JsonlAppender(errors_path) as errors:
        seen = done_keys(summaries_path)  # after the appender cut any torn tail

        def record_done(record: SummaryRecord) -> None:
            summaries.write(record.model_dump_json())
            report.done += 1
            report.prompt_tokens += record.provenance.usage.prompt_tokens
            report.completion_tokens += record.provenance.usage.completion_tokens
            report.grounding_sum += record.verification.grounding_rate

        def record_failed(item: str, article_id: str | None, exc: BaseException) -> None:
            errors.write(_error_line(item, article_id, exc))
            report.failed += 1

        def finish(fut: Future[SummaryRecord], article: Article) -> None:
            item = article.source or article.id
            failure = None
            try:
                record_done(fut.result())
            except Exception as e:  # SummarizerError, or a bug: neither may lose the rest of the batch
                record_failed(item, article.id, e)
                failure = f"article {article.id} ({item}): {e}" if item != article.id else str(e)
            if on_progress:
                on_progress(report, failure)

        in_flight: dict[Future[SummaryRecord], Article] = {}
        with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="summarize") as pool:
            for entry in items:
                if isinstance(entry, InputError):
                    record_failed(entry.item, None, entry)
                    if on_progress:
                        on_progress(report, str(entry))
                    continue
                key = summarizer.key(entry)
                if key in seen:
                    report.skipped += 1
                    if on_progress:
                        on_progress(report, None)
                    continue
                seen.add(key)  # a duplicate later in the same input is skipped too
                try:
                    summarizer.check_input(entry)
                except InputError as e:
                    record_failed(e.item, entry.id, e)
                    if on_progress:
                        on_progress(report, f"article {entry.id}: {e}")
                    continue
                in_flight[pool.submit(summarizer, entry)] = entry
                while len(in_flight) >= 2 * max(1, concurrency):
                    finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        finish(fut, in_flight.pop(fut))
            while in_flight:
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for fut in finished:
                    finish(fut, in_flight.pop(fut))
    report.wall_seconds = time.perf_counter() - report.started
    write_text_atomic(outdir / "report.json", json.dumps(report.as_dict(), indent=2) + "\n")
    return report
