"""The judge's score cache, ``judge-cache.sqlite3`` in the tool's cache folder.

The folder (:attr:`summarizer.run.settings.Settings.cache_dir`) also holds the embedded
model's joined weights (``models/``), the engine builds (``engines/``), the GGUF hash index
and kept answers (``answers/``).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from summarizer.core.verify.judge_scoring import JudgeScore

__all__ = ["JudgeCache"]


class JudgeCache:
    """Scores by key, in the SQLite file ``path`` (its folder is created if missing; safe
    across threads and processes). Raises :class:`sqlite3.Error` when it cannot be opened."""

    def __init__(self, path: Path) -> None:
        """Open (or create) the cache file and its ``scores`` table.

        Args:
            path: The SQLite file; its folder is created if missing. Another process holding
                the file's write lock is waited for up to 30 seconds (a chosen value: long
                enough for a parallel batch's short writes, short enough to fail rather than
                hang on a stuck holder).

        Raises:
            sqlite3.Error: The file cannot be opened or is not an SQLite database.
        """
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        with self._lock, self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, p_yes REAL, "
                "answer TEXT, from_logprobs INTEGER, model TEXT)"
            )

    def get(self, key: str) -> JudgeScore | None:
        """The score stored under ``key`` (marked ``cached=True``), or ``None`` when there is none."""
        with self._lock:
            row = self._db.execute(
                "SELECT p_yes, answer, from_logprobs, model FROM scores WHERE key = ?", (key,)
            ).fetchone()
        return JudgeScore(row[0], row[3], row[1], bool(row[2]), cached=True) if row else None

    def put(self, key: str, s: JudgeScore) -> None:
        """Store ``s`` under ``key``, replacing any score already there (committed at once).

        Args:
            key: One judgement's key (hex sha256, :meth:`summarizer.llm.judge_client.JudgeClient.key`).
            s: The score: ``p_yes`` in [0, 1], the answer, whether it came from log-probabilities,
                and the judging model.
        """
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?, ?)",
                (key, s.p_yes, s.answer, int(s.from_logprobs), s.model),
            )

    def close(self) -> None:
        """Close the database connection; the cache cannot be used afterwards."""
        self._db.close()
