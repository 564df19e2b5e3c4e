"""Model answers kept after a failure, so that no answer the endpoint sent is lost.

``summarize`` writes the answer of an article that failed after the model answered (a schema
mismatch, a conversion error, ``--on-unsupported fail``, ``--on-uncertain fail``) to ``answers/`` in the cache folder
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
    """Keep a model's answer to a failed article in a file of its own.

    Args:
        article_id: The article's id; the file name keeps its letters, digits, dots and
            hyphens (at most 80 characters).
        raw: The answer as the endpoint sent it.
        directory: Where to write, created if missing (``summarize`` uses ``answers/`` in the
            cache folder).

    Returns:
        The path written: ``DIRECTORY/ID-TIMESTAMP.txt``, the timestamp in UTC to the
        microsecond.

    Raises:
        OSError: The folder cannot be created.
        OutputError: The file cannot be written
            (:class:`~summarizer.files.atomic.OutputError`).
    """
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = re.sub(r"[^\w.-]+", "_", article_id).strip("_")[:80] or "article"
    path = directory / f"{name}-{stamp}.txt"
    write_text_atomic(path, raw)
    return path
