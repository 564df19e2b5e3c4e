"""Batch inputs, streamed: directories, globs, .txt/.md, .html, .jsonl and stdin.

``iter_inputs`` yields an :class:`Article` or an :class:`InputError` per item, lazily, so a
batch over a huge JSONL file or directory holds one article at a time. A bad item (a
malformed JSONL line, a binary file) becomes an error for that item only.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .articles import TEXT_SUFFIXES, Article, article_from_text, load_article, read_bytes_as_text
from .errors import InputError

__all__ = ["BATCH_SUFFIXES", "Item", "iter_inputs"]

HTML_SUFFIXES = {".html", ".htm"}
BATCH_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".jsonl"}
Item = Article | InputError


def _html_article(path: Path) -> Article:
    import trafilatura

    html = read_bytes_as_text(path.read_bytes(), str(path))
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(str(path), "no article text found in the HTML")
    title = getattr(doc, "title", None)
    url = getattr(doc, "url", None)
    stem = path.stem
    return article_from_text(text, id=stem, source=str(path), title=title, url=url,
                             published=getattr(doc, "date", None))


def _jsonl_articles(lines: Iterable[str], name: str) -> Iterator[Item]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item = f"{name}:{n}"
        try:
            data: Any = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(item, f"not JSON ({e.msg} at column {e.colno})")
            continue
        if not isinstance(data, dict):
            yield InputError(item, "not a JSON object")
            continue
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            yield InputError(item, "'text' is missing or empty")
            continue
        bad = [k for k in ("id", "title", "url", "source", "published")
               if data.get(k) is not None and not isinstance(data[k], str | int)]
        if bad:
            yield InputError(item, f"field(s) {', '.join(bad)} must be strings")
            continue
        ident = str(data.get("id") or f"{Path(name).stem}-{n}")
        try:
            yield article_from_text(text, id=ident, source=data.get("source") or item,
                                    title=data.get("title"), url=data.get("url"),
                                    published=None if data.get("published") is None else str(data["published"]))
        except InputError as e:
            yield InputError(item, e.reason)


def _file(path: Path) -> Iterator[Item]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            with path.open(encoding="utf-8", errors="strict") as f:
                try:
                    yield from _jsonl_articles(f, str(path))
                except UnicodeDecodeError as e:
                    yield InputError(str(path), f"is not UTF-8 text ({e.reason}); the lines before it were read")
        elif suffix in HTML_SUFFIXES:
            yield _html_article(path)
        else:
            yield load_article(str(path))
    except InputError as e:
        yield e
    except OSError as e:
        yield InputError(str(path), f"cannot be read: {e.strerror}")


def expand(spec: str) -> Iterator[Path] | InputError:
    if any(c in spec for c in "*?["):
        matches = sorted(glob.iglob(spec, recursive=True))
        if not matches:
            return InputError(spec, "the pattern matches no file")
        return (Path(m) for m in matches if Path(m).is_file())
    p = Path(spec)
    if p.is_dir():
        found = sorted(
            Path(root) / f for root, _, files in os.walk(p) for f in files
            if Path(f).suffix.lower() in BATCH_SUFFIXES
        )
        if not found:
            return InputError(spec, f"the directory holds no {'/'.join(sorted(BATCH_SUFFIXES))} file")
        return iter(found)
    return iter([p])


def iter_inputs(specs: list[str], stdin: IO[str] | None = None) -> Iterator[Item]:
    """Yield every article (or error) named by ``specs``, in order, one at a time."""
    for spec in specs:
        if spec == "-":
            stream = stdin or sys.stdin
            first = stream.readline()
            if first.lstrip().startswith("{"):
                yield from _jsonl_articles(_chain(first, stream), "<stdin>")
            else:
                text = first + stream.read()
                try:
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


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest
