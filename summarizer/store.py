"""Append-only JSON Lines files that survive ``kill -9``, and the resume index.

Each record is written with a single ``write(2)`` on an ``O_APPEND`` descriptor, so a line is
either wholly in the file or not at all, whatever signal hits the process. On start, a last
line without its newline (a crash of the machine, not of the process, can leave one) is cut
off, never parsed into a half record.

Resume key: sha256 of the article text, the prompt's sha256 and the model identity (model
name and instructor mode). A re-run skips an article whose key is already in
``summaries.jsonl``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .jsonl import Line, read_jsonl

__all__ = ["JsonlAppender", "done_keys", "repair_tail"]


def repair_tail(path: Path) -> int:
    """Cut a trailing partial line; return how many bytes were cut."""
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
    A line that does not parse holds no finished record."""
    if not path.exists():
        return set()
    return {e.value["key"] for e in read_jsonl(path)
            if isinstance(e, Line) and isinstance(e.value.get("key"), str)}


class JsonlAppender:
    """One line per ``write`` call, flushed to the OS at once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        repair_tail(path)
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, obj: Any) -> None:
        data = (obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)) + "\n"
        raw = data.encode("utf-8")
        written = os.write(self._fd, raw)
        while written < len(raw):  # regular files do not write short, but never assume it
            written += os.write(self._fd, raw[written:])

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
