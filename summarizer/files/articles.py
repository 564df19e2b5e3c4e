"""Loading articles from files and stdin.

Every unusable input becomes an :class:`InputError` that names it and says why. The
``Article`` model itself is pure data and lives in :mod:`summarizer.core.records`.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import BinaryIO

from summarizer.core.errors import InputError
from summarizer.core.records import Article, article_from_text

__all__ = ["Article", "article_from_text", "load_article", "read_bytes_as_text"]

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}


def read_bytes_as_text(data: bytes, item: str) -> str:
    """Decode an article's bytes as UTF-8 text.

    Args:
        data: The file's bytes.
        item: The input's name, for the error.

    Returns:
        The text, as decoded (no normalisation: character offsets refer to it).

    Raises:
        InputError: The data is empty or whitespace, holds a NUL byte in its first 8192 bytes
            (a binary file), or is not UTF-8.
    """
    if not data.strip():
        raise InputError(item, "the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(item, "looks like a binary file (it holds NUL bytes); give a .txt or .md article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            item, f"is not UTF-8 text (bad byte at offset {e.start}); convert it, e.g. iconv -f latin1 -t utf-8"
        ) from e


def _safe_id(stem: str) -> str:
    return re.sub(r"[^\w.-]+", "_", stem).strip("_") or "article"


def load_article(path: str, stdin: BinaryIO | None = None) -> Article:
    """Read one ``.txt``/``.md`` file, or ``-`` for stdin.

    Args:
        path: The file's path (``.txt``, ``.md``, ``.text``, ``.markdown``), or ``-``.
        stdin: Read for ``-``; default the process's standard input.

    Returns:
        The article; its id is the file's stem made safe (runs of other characters than
        letters, digits, ``.`` and ``-`` become ``_``), or ``stdin-`` and the first 12 hex
        digits of the text's SHA-256 for stdin.

    Raises:
        InputError: The file is missing, a directory, of another type or unreadable, or its
            bytes are not usable text (see :func:`read_bytes_as_text`).
    """
    if path == "-":
        data = (stdin or sys.stdin.buffer).read()
        text = read_bytes_as_text(data, "<stdin>")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return article_from_text(text, id=f"stdin-{digest[:12]}", source="-")
    p = Path(path)
    if not p.exists():
        raise InputError(path, "no such file")
    if p.is_dir():
        raise InputError(path, "is a directory; pass the article files (e.g. DIR/*.txt)")
    if p.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(
            path,
            f"unsupported file type {p.suffix or '(none)'!r}; give {', '.join(sorted(TEXT_SUFFIXES))} or '-' for stdin",
        )
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(path, f"cannot be read: {e.strerror}") from e
    return article_from_text(read_bytes_as_text(data, path), id=_safe_id(p.stem), source=str(p))
