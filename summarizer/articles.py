"""Articles: what goes into a summary and travels with it into every output record.

``Article`` is pure data; the loaders read files and stdin and turn every unusable input into
an :class:`InputError` that names it and says why.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, ConfigDict, Field

from .errors import InputError

__all__ = ["Article", "article_from_text", "load_article", "read_bytes_as_text"]

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
_TITLE_MAX = 200


class Article(BaseModel):
    """One article as the tool saw it. ``text`` is what evidence offsets index into."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable id: the file's stem, or 'stdin-' and a hash prefix.")
    title: str | None = None
    source: str | None = Field(default=None, description="Path, '-' for stdin, or a URL.")
    url: str | None = None
    published: str | None = None
    sha256: str = Field(description="sha256 of the UTF-8 text.")
    text: str


def _looks_like_title(line: str, rest: str) -> bool:
    line = line.strip().lstrip("#").strip()
    return (
        0 < len(line) <= _TITLE_MAX
        and bool(rest.strip())
        and not line.endswith((".", ",", ";", ":"))
        and len(line.split()) <= 25
    )


def article_from_text(text: str, *, id: str, source: str | None = None, title: str | None = None,
                      url: str | None = None, published: str | None = None) -> Article:
    """Normalise newlines and build an Article; the title is guessed from the first line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise InputError(source or id, "the article is empty")
    if title is None:
        first, _, rest = text.lstrip().partition("\n")
        if _looks_like_title(first, rest):
            title = first.strip().lstrip("#").strip()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Article(id=id, title=title, source=source, url=url, published=published,
                   sha256=digest, text=text)


def read_bytes_as_text(data: bytes, item: str) -> str:
    if not data.strip():
        raise InputError(item, "the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(item, "looks like a binary file (it holds NUL bytes); give a .txt or .md article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(item, f"is not UTF-8 text (bad byte at offset {e.start}); "
                               "convert it, e.g. iconv -f latin1 -t utf-8") from e


def _safe_id(stem: str) -> str:
    return re.sub(r"[^\w.-]+", "_", stem).strip("_") or "article"


def load_article(path: str, stdin: BinaryIO | None = None) -> Article:
    """Read one ``.txt``/``.md`` file, or ``-`` for stdin."""
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
        raise InputError(path, f"unsupported file type {p.suffix or '(none)'!r}; "
                               f"give {', '.join(sorted(TEXT_SUFFIXES))} or '-' for stdin")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(path, f"cannot be read: {e.strerror}") from e
    return article_from_text(read_bytes_as_text(data, path), id=_safe_id(p.stem), source=str(p))
