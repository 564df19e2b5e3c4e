"""``summarizer batch``: many articles, bounded concurrency, resumable, nothing lost.

Articles stream in from :mod:`summarizer.files.inputs`; at most ``concurrency`` are in flight and
at most twice that are read ahead, so memory stays flat whatever the input size. Each result
is appended to ``summaries.jsonl`` (one ``write`` per line) and each failure to
``errors.jsonl`` with its reason and attempt counts; the batch goes on. The folder is locked
for the run. A re-run skips every (resume key, article id) already done; afterwards every
input article is in exactly one of the two files (``errors.jsonl`` is rewritten without the
failures that later succeeded, atomically), and ``report.json`` holds the last run's counts
and the totals over all runs.

Ids and texts: an id already used for a different text is an error naming both texts; the
same text under a new id gets a copy of the first record (``duplicate_of`` names it) with no
model call.

Ctrl-C or SIGTERM: every call in flight is aborted (its connection closed), finished results
are written, unfinished articles are simply left for the next run, ``report.json`` says the
run was interrupted, and the exception goes on to the caller.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from summarizer.core.errors import InputError, Interrupted, SummarizerError
from summarizer.core.records import SummaryRecord
from summarizer.core.redact import redact
from summarizer.files.articles import Article
from summarizer.files.atomic import OutputError, write_text_atomic
from summarizer.files.batch_folder import DoneIndex, FolderLock, JsonlAppender
from summarizer.files.inputs import Item
from summarizer.files.jsonl import Line, read_jsonl
from summarizer.run.article_summarizer import ArticleSummarizer

__all__ = ["BatchReport", "error_line", "run_batch", "settle"]

DRAIN_SECONDS = 3.0  # after an interruption, how long finished calls get to be recorded


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class BatchReport:
    """What one batch run did, written to ``report.json`` as ``last_run`` (see :meth:`as_dict`).

    Counts are of articles: ``done`` summarised and recorded, ``failed`` written to
    ``errors.jsonl``, ``skipped`` already in the folder under the same key and id (or in flight),
    ``duplicates`` the same text under another id, copied from its first record at no model
    cost. Token counts are the endpoint's usage figures, summed (the summariser's and the
    judge's apart). ``supported``, ``uncertain``, ``unsupported``, ``not_found`` and
    ``unchecked`` are verdicts, summed over the done records. ``grounding_sum`` adds up the
    done records' grounding rates. ``started_at``
    is an ISO 8601 UTC time to the second; ``started`` a ``time.perf_counter`` reading;
    ``wall_seconds`` the run's duration in seconds, set when it ends.
    """

    done: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    judge_prompt_tokens: int = 0
    judge_completion_tokens: int = 0
    supported: int = 0
    uncertain: int = 0
    unsupported: int = 0
    not_found: int = 0
    unchecked: int = 0
    grounding_sum: float = 0.0
    interrupted: bool = False
    started_at: str = field(default_factory=_now)
    started: float = field(default_factory=time.perf_counter)
    wall_seconds: float = 0.0

    @property
    def grounding_rate(self) -> float | None:
        """The mean grounding rate of the done records, in [0, 1] to 4 places; ``None`` when none is done."""
        return round(self.grounding_sum / self.done, 4) if self.done else None

    def as_dict(self) -> dict[str, Any]:
        """The report as ``report.json`` holds it: the fields without ``started`` and
        ``grounding_sum``, ``wall_seconds`` to 2 places, and ``grounding_rate``.

        Returns:
            A JSON-ready dict.
        """
        out = {k: v for k, v in asdict(self).items() if k not in ("started", "grounding_sum")}
        out["wall_seconds"] = round(self.wall_seconds, 2)
        out["grounding_rate"] = self.grounding_rate
        return out


def error_line(item: str, article: Article | None, exc: BaseException) -> dict[str, Any]:
    """One ``errors.jsonl`` line for a failed item.

    Args:
        item: The input's name (its path or id).
        article: The article, when it was read.
        exc: The failure; a :class:`SummarizerError` also gives its retry counts and raw answer.

    Returns:
        The item, its id and sha256 when known, the error kind, its reason (keys redacted),
        transport retries and attempts, the time (ISO 8601 UTC), and ``raw_answer`` (the
        model's answer as sent) when the failure came after one.
    """
    counted = exc if isinstance(exc, SummarizerError) else None
    return {
        "id": article.id if article else None,
        "item": item,
        "sha256": article.sha256 if article else None,
        "kind": type(exc).__name__,
        "reason": redact(str(exc)),
        "transport_retries": counted.transport_retries if counted else None,
        "attempts": counted.attempts if counted else None,
        "at": _now(),
        **({"raw_answer": counted.raw_answer} if counted and counted.raw_answer is not None else {}),
    }


class _Run:
    """One batch run over an open output folder."""

    def __init__(
        self,
        outdir: Path,
        summarizer: ArticleSummarizer,
        summaries: JsonlAppender,
        errors: JsonlAppender,
        on_progress: Callable[[BatchReport, str | None], None] | None,
    ) -> None:
        self.outdir, self.summarizer = outdir, summarizer
        self.summaries, self.errors = summaries, errors
        self.on_progress = on_progress
        self.report = BatchReport()
        self.index = DoneIndex.read(summaries.path)
        self.waiting: dict[str, list[Article]] = {}  # resume key in flight -> duplicates waiting on it
        self.in_flight: dict[Future[SummaryRecord], Article] = {}

    def tick(self, failure: str | None = None) -> None:
        if self.on_progress:
            self.on_progress(self.report, failure)

    def record_done(self, record: SummaryRecord) -> None:
        offset = self.summaries.write(record.model_dump_json())
        self.index.add(record.key, record.article.id, record.article.sha256, offset)
        r, p = self.report, record.provenance
        r.done += 1
        r.prompt_tokens += p.usage.prompt_tokens
        r.completion_tokens += p.usage.completion_tokens
        if p.judge is not None:
            r.judge_prompt_tokens += p.judge.usage.prompt_tokens
            r.judge_completion_tokens += p.judge.usage.completion_tokens
        v = record.verification
        r.supported += v.supported
        r.uncertain += v.uncertain
        r.unsupported += v.unsupported
        r.not_found += v.not_found
        r.unchecked += v.unchecked
        r.grounding_sum += v.grounding_rate

    def record_failed(self, item: str, article: Article | None, exc: BaseException) -> None:
        self.errors.write(error_line(item, article, exc))
        self.report.failed += 1
        label = f"article {article.id} ({item})" if article and item != article.id else item
        self.tick(f"{label}: {getattr(exc, 'reason', None) or exc}" if article else str(exc))

    def copy_of(self, key: str, article: Article) -> None:
        """The same text under a new id: the first record, re-labelled, no model call."""
        with self.summaries.path.open("rb") as f:
            f.seek(self.index.first_offset[key])
            original = json.loads(f.readline())
        prov = original["provenance"]
        prov.update(
            usage={"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            seconds=0.0,
            attempts=0,
            transport_retries=0,
            judge=None,
            created_at=_now(),
        )
        original.update(article=article.model_dump(), duplicate_of=self.index.first_id[key])
        record = SummaryRecord.model_validate(original)
        self.record_done(record)
        self.report.duplicates += 1
        self.tick()

    def admit(self, article: Article) -> bool:
        """Whether to summarise ``article``; otherwise it was skipped, refused or copied."""
        key = self.summarizer.key(article)
        known = self.index.texts.get(article.id)
        in_run = next((a for a in self.in_flight.values() if a.id == article.id), None)
        if (key, article.id) in self.index.pairs or (in_run is not None and in_run.sha256 == article.sha256):
            self.report.skipped += 1
            self.tick()
            return False
        other = known if known is not None else (in_run.sha256 if in_run is not None else None)
        if other is not None and other != article.sha256:
            self.record_failed(
                article.source or article.id,
                article,
                InputError(
                    article.source or article.id,
                    f"id {article.id!r} already names another text (sha256 {other[:12]}...); this text "
                    f"(sha256 {article.sha256[:12]}...) was not summarised: give each article its own id",
                ),
            )
            return False
        if key in self.index.first_offset:
            self.copy_of(key, article)
            return False
        if key in self.waiting:
            self.waiting[key].append(article)
            return False
        try:
            self.summarizer.check_input(article)
        except InputError as e:
            self.record_failed(e.item, article, e)
            return False
        self.waiting[key] = []
        return True

    def finish(self, fut: Future[SummaryRecord], article: Article) -> None:
        key = self.summarizer.key(article)
        dupes = self.waiting.pop(key, [])
        try:
            record = fut.result()
        except Interrupted:
            return  # not a failure: the next run does it
        except Exception as e:  # SummarizerError, or a bug: neither may lose the rest of the batch
            self.record_failed(article.source or article.id, article, e)
            for d in dupes:
                self.record_failed(
                    d.source or d.id,
                    d,
                    InputError(d.source or d.id, f"same text as article {article.id}, which failed: {e}"),
                )
            return
        self.record_done(record)
        self.tick()
        for d in dupes:
            self.copy_of(key, d)


def run_batch(
    items: Iterable[Item],
    outdir: Path,
    summarizer: ArticleSummarizer,
    *,
    concurrency: int = 1,
    on_progress: Callable[[BatchReport, str | None], None] | None = None,
) -> BatchReport:
    """Summarise every item into ``outdir`` (``summaries.jsonl``, ``errors.jsonl``, ``report.json``).

    An article already in the folder is skipped, so an interrupted run resumes; a failing
    article is written to ``errors.jsonl`` and the run goes on.

    Args:
        items: Articles, or the :class:`InputError` of an input that could not be read.
        outdir: The output folder, created if missing; locked for the run.
        summarizer: Summarises one article.
        concurrency: Articles in flight at once (at least 1).
        on_progress: Called after each article with the report so far and, for a failure, a
            one-line message (else ``None``).

    Returns:
        The counts, also written to ``report.json``.

    Raises:
        OutputError: ``outdir`` is a file or cannot be created.
        KeyboardInterrupt: Re-raised after the calls in flight are cancelled and those
            finished within ``DRAIN_SECONDS`` (3 s) are recorded; ``report.json`` says
            ``interrupted``.
        SystemExit: As ``KeyboardInterrupt``.
    """
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(
            outdir, "is a file; --outdir needs a folder (it will hold summaries.jsonl, errors.jsonl and report.json)"
        )
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(outdir, f"cannot be created: {e.strerror}") from e
    if concurrency > 1:
        # Many threads mostly waiting on sockets, a few verifying: with the default 5 ms GIL
        # switch interval each socket wake-up can queue behind a verifying thread (the convoy
        # effect), adding tens of ms to every call. 1 ms keeps in-flight calls moving.
        sys.setswitchinterval(0.001)
    with (
        FolderLock(outdir),
        JsonlAppender(outdir / "summaries.jsonl") as summaries,
        JsonlAppender(outdir / "errors.jsonl") as errors,
    ):
        run = _Run(outdir, summarizer, summaries, errors, on_progress)
        pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="summarize")
        try:
            for entry in items:
                if isinstance(entry, InputError):
                    run.record_failed(entry.item, None, entry)
                    continue
                if run.admit(entry):
                    run.in_flight[pool.submit(summarizer, entry)] = entry
                while len(run.in_flight) >= 2 * max(1, concurrency):
                    _collect(run, wait(run.in_flight, return_when=FIRST_COMPLETED)[0])
            while run.in_flight:
                _collect(run, wait(run.in_flight, return_when=FIRST_COMPLETED)[0])
        except (KeyboardInterrupt, SystemExit):
            run.report.interrupted = True
            summarizer.cancel()  # aborts every call in flight; they end within a second
            _collect(run, wait(run.in_flight, timeout=DRAIN_SECONDS)[0])
            raise
        finally:
            pool.shutdown(wait=not run.report.interrupted, cancel_futures=True)
            run.report.wall_seconds = time.perf_counter() - run.report.started
            _settle(outdir, run)
    return run.report


def _collect(run: _Run, finished: Iterable[Future[SummaryRecord]]) -> None:
    for fut in list(finished):
        run.finish(fut, run.in_flight.pop(fut))


def _settle(outdir: Path, run: _Run) -> None:
    settle(
        outdir,
        [],
        lambda err: run.index.texts.get(str(err["id"])) == err.get("sha256"),
        run.index.records,
        run.report.as_dict(),
    )


def settle(
    outdir: Path,
    new_errors: list[dict[str, Any]],
    succeeded: Callable[[dict[str, Any]], bool],
    records: int,
    last: dict[str, Any],
) -> None:
    """Rewrite ``errors.jsonl`` and ``report.json`` at the end of a run, both replaced atomically.

    ``errors.jsonl`` keeps one line per item (the latest), without failures that later
    succeeded; ``report.json`` holds ``last`` (this run, with ``finished_at``) and the totals
    over all runs (runs, records, errors and the four token counts). Shared by the local and
    the Ray engines.

    Args:
        outdir: The output folder.
        new_errors: This run's error lines not yet in ``errors.jsonl`` (see :func:`error_line`).
        succeeded: Whether an error line's article has since been recorded.
        records: Lines in ``summaries.jsonl``.
        last: This run's report (:meth:`BatchReport.as_dict`).
    """
    latest: dict[str, dict[str, Any]] = {}
    path = outdir / "errors.jsonl"
    old = [e.value for e in read_jsonl(path) if isinstance(e, Line)] if path.exists() else []
    for err in [*old, *new_errors]:
        if err.get("id") is not None and succeeded(err):
            continue
        latest[f"{err.get('id')}\x1f{err.get('item')}"] = err
    write_text_atomic(path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in latest.values()))
    last = {**last, "finished_at": _now()}
    try:
        previous = json.loads((outdir / "report.json").read_text(encoding="utf-8")).get("totals", {})
    except (OSError, ValueError, AttributeError):
        previous = {}
    totals = {"runs": int(previous.get("runs", 0)) + 1, "records": records, "errors": len(latest)}
    for k in ("prompt_tokens", "completion_tokens", "judge_prompt_tokens", "judge_completion_tokens"):
        totals[k] = int(previous.get(k, 0)) + int(last[k])
    write_text_atomic(outdir / "report.json", json.dumps({"last_run": last, "totals": totals}, indent=2) + "\n")
