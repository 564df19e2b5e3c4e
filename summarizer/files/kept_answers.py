"""Model answers kept after a failure, so that no answer the endpoint sent is lost.

``summarize`` writes the answer of an article that failed after the model answered (a schema
mismatch, a conversion error, ``--on-unsupported fail``) to ``answers/`` in the cache folder
(:attr:`summarizer.run.settings.Settings.cache_dir`) and names the file in the error message;
``batch`` keeps it in ``errors.jsonl`` instead.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from summarizer.files.atomic import write_text_atomic

__all__ = ["keep_answer"]


def keep_answer(article_id: str, raw: str, directory: Path) -> Path:
    """Write ``raw`` (the answer as sent) to ``DIRECTORY/ID-TIMESTAMP.txt`` and return the
    path; ``directory`` (``answers/`` in the cache folder for ``summarize``) is created if
    missing. Raises ``OSError`` or :class:`~summarizer.files.atomic.OutputError` when it
    cannot be written."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = re.sub(r"[^\w.-]+", "_", article_id).strip("_")[:80] or "article"
    path = directory / f"{name}-{stamp}.txt"
    write_text_atomic(path, raw)
    return path
