"""The tool's cache folder and the judge's score cache in it.

The folder is ``$SUMMARIZER_CACHE_DIR``, else ``$XDG_CACHE_HOME/summarizer``, else
``~/.cache/summarizer``. It holds the embedded model's joined weights (``models/``), the engine
builds (``engines/``), the GGUF hash index and ``judge-cache.sqlite3``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from summarizer.core.verify.judge_scoring import JudgeScore

__all__ = ["JudgeCache", "cache_dir"]


def cache_dir() -> Path:
    """The cache folder, created if missing."""
    base = os.environ.get("SUMMARIZER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "summarizer"
    )
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


class JudgeCache:
    """Scores by key, in SQLite (safe across threads and processes)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_dir() / "judge-cache.sqlite3"
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        with self._lock, self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, p_yes REAL, "
                "answer TEXT, from_logprobs INTEGER, model TEXT)"
            )

    def get(self, key: str) -> JudgeScore | None:
        with self._lock:
            row = self._db.execute(
                "SELECT p_yes, answer, from_logprobs, model FROM scores WHERE key = ?", (key,)
            ).fetchone()
        return JudgeScore(row[0], row[3], row[1], bool(row[2]), cached=True) if row else None

    def put(self, key: str, s: JudgeScore) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?, ?)",
                (key, s.p_yes, s.answer, int(s.from_logprobs), s.model),
            )

    def close(self) -> None:
        self._db.close()
