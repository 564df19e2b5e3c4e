"""Batch inputs, streamed: directories, globs, .txt/.md, .html, .jsonl and stdin.

``iter_inputs`` yields an :class:`Article` or an :class:`InputError` per item, lazily, so a
batch over a huge JSONL file or directory holds one article at a time. A bad item (a
malformed JSONL line, a binary file) becomes an error for that item only.
"""

from __future__ import annotations

import glob
import hashlib
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from summarizer.core.errors import InputError
from summarizer.files.articles import TEXT_SUFFIXES, Article, article_from_text, load_article, read_bytes_as_text
from summarizer.files.jsonl import Line, read_jsonl, read_jsonl_lines

__all__ = ["BATCH_SUFFIXES", "Item", "count_inputs", "iter_inputs"]

HTML_SUFFIXES = {".html", ".htm"}
BATCH_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".jsonl"}
Item = Article | InputError


def _html_article(path: Path) -> Article:
    """The article of an HTML file (see :mod:`summarizer.files.html`).

    Returns:
        The article, id the file's stem; which extraction found its text travels with it
        into the record's provenance.
    """
    from summarizer.files.html import extract_article

    page = extract_article(read_bytes_as_text(path.read_bytes(), str(path)), str(path))
    return article_from_text(
        page.text,
        id=path.stem,
        source=str(path),
        title=page.title,
        url=page.url,
        published=page.date,
        extraction=page.method,
    )


def _jsonl_articles(entries: Iterable[Line | InputError], name: str) -> Iterator[Item]:
    for entry in entries:
        if isinstance(entry, InputError):
            yield entry
            continue
        data, item = entry.value, entry.item
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            yield InputError(item, "'text' is missing or empty")
            continue
        bad = [
            k
            for k in ("id", "title", "url", "source", "published")
            if data.get(k) is not None and not isinstance(data[k], str | int)
        ]
        if bad:
            yield InputError(item, f"field(s) {', '.join(bad)} must be strings")
            continue
        ident = str(data.get("id") or f"{Path(name).stem}-{entry.number}")
        try:
            yield article_from_text(
                text,
                id=ident,
                source=data.get("source") or item,
                title=data.get("title"),
                url=data.get("url"),
                published=None if data.get("published") is None else str(data["published"]),
            )
        except InputError as e:
            yield InputError(item, e.reason)


def _file(path: Path) -> Iterator[Item]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _jsonl_articles(read_jsonl(path), str(path))
        elif suffix in HTML_SUFFIXES:
            yield _html_article(path)
        else:
            yield load_article(str(path))
    except InputError as e:
        yield e
    except OSError as e:
        yield InputError(str(path), f"cannot be read: {e.strerror}")


def expand(spec: str) -> Iterator[Path] | InputError:
    """The files ``spec`` names.

    Returns:
        An existing path as written (even with ``[`` in its name); a directory's files with a
        batch suffix, recursively, sorted; or the files matching a glob pattern, sorted. An
        :class:`InputError` (returned, not raised) for an empty directory or a pattern that
        matches nothing.
    """
    p = Path(spec)
    if p.is_dir():
        found = sorted(
            Path(root) / f for root, _, files in os.walk(p) for f in files if Path(f).suffix.lower() in BATCH_SUFFIXES
        )
        if not found:
            return InputError(spec, f"the directory holds no {'/'.join(sorted(BATCH_SUFFIXES))} file")
        return iter(found)
    if p.exists() or not any(c in spec for c in "*?["):
        return iter([p])
    matches = sorted(glob.iglob(spec, recursive=True))
    if not matches:
        return InputError(spec, "no such file, and no file matches it as a pattern")
    return (Path(m) for m in matches if Path(m).is_file())


def iter_inputs(specs: list[str], stdin: IO[bytes] | None = None) -> Iterator[Item]:
    """Yield every article (or error) named by ``specs``, in order, one at a time. Standard
    input (``-``) is JSON Lines when its first line starts with ``{``, else one article."""
    for spec in specs:
        if spec == "-":
            stream = stdin or sys.stdin.buffer
            first = stream.readline()
            if first.lstrip().removeprefix(b"\xef\xbb\xbf").startswith(b"{"):
                yield from _jsonl_articles(read_jsonl_lines(_chain(first, stream), "<stdin>"), "<stdin>")
            else:
                try:
                    text = read_bytes_as_text(first + stream.read(), "<stdin>")
                    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                    yield article_from_text(text, id=f"stdin-{digest[:12]}", source="-")
                except InputError as e:
                    yield InputError("<stdin>", e.reason)
            continue
        expanded = expand(spec)
        if isinstance(expanded, InputError):
            yield expanded
            continue
        for path in expanded:
            yield from _file(path)


def _chain(first: bytes, rest: IO[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def count_inputs(specs: list[str]) -> int | None:
    """How many items the inputs hold, when that is cheap to know (not for stdin)."""
    if "-" in specs:
        return None
    total = 0
    for spec in specs:
        paths = expand(spec)
        if isinstance(paths, InputError):
            total += 1
            continue
        for p in paths:
            if p.suffix.lower() == ".jsonl" and p.is_file():
                with p.open("rb") as f:
                    total += sum(1 for line in f if line.strip())
            else:
                total += 1
    return total
