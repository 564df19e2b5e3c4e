"""A batch's output folder: append-only JSON Lines that survive ``kill -9``, its lock, and
the index of what is done.

Each record is written with a single ``write(2)`` on an ``O_APPEND`` descriptor, so a line is
either wholly in the file or not at all, whatever signal hits the process. A write that fails
part-way (a full disk) is cut back before the error is raised, so no torn line stays behind;
on open, a last line without its newline (a crash of the machine can leave one) is cut off,
never parsed into a half record.

One batch at a time per folder: :class:`FolderLock` holds an exclusive ``flock`` on
``.summarizer.lock`` (it records the holder's PID), and a second run fails at once.

Resume: :class:`DoneIndex` reads ``summaries.jsonl`` once: which (resume key, article id)
pairs are done, which article ids name which texts, and where the first record of each key
starts (a duplicate text under a new id copies it without a model call).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.files.atomic import OutputError, describe_os_error
from summarizer.files.jsonl import Line, read_jsonl

__all__ = ["DoneIndex", "FolderLock", "JsonlAppender", "done_keys", "repair_tail"]


def repair_tail(path: Path) -> int:
    """Cut a trailing partial line (one without its newline) off ``path``; return how many bytes were cut."""
    if not path.exists():
        return 0
    with path.open("rb+") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size == 0:
            return 0
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return 0
        block = 1 << 16
        pos = size
        while pos > 0:
            start = max(0, pos - block)
            f.seek(start)
            chunk = f.read(pos - start)
            nl = chunk.rfind(b"\n")
            if nl != -1:
                keep = start + nl + 1
                f.truncate(keep)
                return size - keep
            pos = start
        f.truncate(0)
        return size


def done_keys(path: Path) -> set[str]:
    """Resume keys of the records already in a summaries file (streamed, never loaded whole).

    Returns:
        The ``key`` of every line that parses as an object with a string key; an empty set
        when ``path`` does not exist. A line that does not parse holds no finished record.
    """
    if not path.exists():
        return set()
    return {e.value["key"] for e in read_jsonl(path) if isinstance(e, Line) and isinstance(e.value.get("key"), str)}


class JsonlAppender:
    """One line per ``write`` call, flushed to the OS at once."""

    def __init__(self, path: Path) -> None:
        """Open ``path`` for appending (created with its folder if missing, a torn last line cut).

        Raises:
            OutputError: The file or its folder cannot be created or opened for writing.
        """
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            repair_tail(path)
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as e:
            raise OutputError(path, f"cannot be opened for writing: {describe_os_error(e)}") from e

    def write(self, obj: Any) -> int:
        """Append one line, safe across threads.

        Args:
            obj: A string written as it is, or any value written as compact JSON (UTF-8, not
                ASCII-escaped); a newline is added.

        Returns:
            The byte offset the line starts at.

        Raises:
            OutputError: The write failed (a full disk); the file was cut back to where the
                line began, so no torn line stays.
        """
        data = (obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)) + "\n"
        raw = data.encode("utf-8")
        with self._lock:
            start = os.lseek(self._fd, 0, os.SEEK_END)
            try:
                written = os.write(self._fd, raw)
                while written < len(raw):  # regular files do not write short, but never assume it
                    written += os.write(self._fd, raw[written:])
            except OSError as e:
                with contextlib.suppress(OSError):
                    os.ftruncate(self._fd, start)
                raise OutputError(
                    self.path,
                    f"cannot write: {describe_os_error(e)}; what was "
                    "written before is kept, and a re-run resumes from it",
                ) from e
        return start

    def close(self) -> None:
        """Close the file; every line written is with the OS already."""
        os.close(self._fd)

    def __enter__(self) -> JsonlAppender:
        """The appender itself."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the file, whatever ended the block."""
        self.close()


class FolderLock:
    """An exclusive lock on an output folder for one batch (same host: ``flock``)."""

    NAME = ".summarizer.lock"

    def __init__(self, folder: Path) -> None:
        """A lock on ``folder`` (the file ``.summarizer.lock`` in it); taken on ``with``."""
        self.path = folder / self.NAME
        self._fd: int | None = None

    def __enter__(self) -> FolderLock:
        """Take the lock at once and write this process's PID into the lock file.

        Returns:
            The lock itself.

        Raises:
            OutputError: The folder cannot be written, or another batch holds the lock (the
                message names its PID).
        """
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise OutputError(self.path.parent, f"cannot be written: {describe_os_error(e)}") from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise OutputError(
                self.path.parent,
                f"another batch is writing into this folder "
                f"({holder}); wait for it to finish or choose another --outdir",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        """Empty the lock file and release the lock."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing releases the flock
            self._fd = None


@dataclass
class DoneIndex:
    """What ``summaries.jsonl`` already holds."""

    pairs: set[tuple[str, str]] = field(default_factory=set)  # (resume key, article id)
    first_offset: dict[str, int] = field(default_factory=dict)  # resume key -> its first record
    first_id: dict[str, str] = field(default_factory=dict)  # resume key -> that record's article id
    texts: dict[str, str] = field(default_factory=dict)  # article id -> sha256 of its text
    records: int = 0

    @classmethod
    def read(cls, path: Path) -> DoneIndex:
        """Index ``path`` in one pass, one line at a time; lines that are not finished records are skipped.

        Returns:
            The index; empty when ``path`` does not exist.
        """
        index = cls()
        if not path.exists():
            return index
        with path.open("rb") as f:
            offset = 0
            for raw in f:
                start, offset = offset, offset + len(raw)
                try:
                    rec = json.loads(raw)
                    key, article = rec["key"], rec["article"]
                    aid, sha = str(article["id"]), str(article["sha256"])
                except (ValueError, KeyError, TypeError):
                    continue  # not a finished record
                index.add(key, aid, sha, start)
        return index

    def add(self, key: str, article_id: str, sha256: str, offset: int) -> None:
        """Count one record: its resume key, article id, text sha256 (hex) and byte offset in the file."""
        self.records += 1
        self.pairs.add((key, article_id))
        self.texts.setdefault(article_id, sha256)
        if key not in self.first_offset:
            self.first_offset[key], self.first_id[key] = offset, article_id
