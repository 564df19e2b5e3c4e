"""The one JSON Lines reader: articles, summary records, claims and the batch's own files.

Lines are read as bytes and decoded one by one, so a bad byte costs its line, not the file.
Each non-blank line becomes a :class:`Line` (its number and parsed JSON object) or a
:class:`LineError` naming ``file:line`` and the reason: not UTF-8, not JSON, not a JSON
object. A file that looks binary (NUL bytes in its first 8 KB) is one plain
:class:`~summarizer.core.errors.InputError` for the whole file. Memory stays flat: one line at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from summarizer.core.errors import InputError

__all__ = ["Line", "LineError", "read_jsonl", "read_jsonl_lines"]

_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class Line:
    """One parsed line: its 1-based line number, its JSON object, and ``file:line`` for messages."""

    number: int
    value: dict[str, Any]
    item: str  # "file:line", for messages


class LineError(InputError):
    """One bad line; the file's other lines are still read."""

    def __init__(self, name: str, number: int, reason: str) -> None:
        """The item is ``"NAME:NUMBER"``.

        Args:
            name: The file's path, or ``<stdin>``.
            number: The 1-based line number.
            reason: Why the line is unusable.
        """
        self.number = number
        super().__init__(f"{name}:{number}", reason)


def _decode(raw: bytes, name: str, n: int) -> dict[str, Any] | LineError:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return LineError(name, n, f"is not UTF-8 text (bad byte at offset {e.start} of the line)")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        return LineError(name, n, f"not JSON ({e.msg.removesuffix(' at')} at column {e.colno})")
    if not isinstance(value, dict):
        return LineError(name, n, f"not a JSON object (a {type(value).__name__})")
    return value


def read_jsonl_lines(lines: Iterable[bytes], name: str) -> Iterator[Line | InputError]:
    """Parse byte lines already open (a stream); see :func:`read_jsonl`."""
    for n, raw in enumerate(lines, 1):
        if n == 1:
            if b"\x00" in raw[:_SNIFF]:
                yield InputError(name, "looks like a binary file (it holds NUL bytes), not JSON Lines")
                return
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        value = _decode(raw, name, n)
        yield value if isinstance(value, LineError) else Line(n, value, f"{name}:{n}")


def read_jsonl(source: Path | BinaryIO, name: str | None = None) -> Iterator[Line | InputError]:
    """Every JSON object of a JSON Lines file or binary stream, or the error of its line.

    Args:
        source: A path, or a stream open for reading bytes.
        name: What names the source in messages; the path, or ``<stdin>`` for a stream, by default.

    Yields:
        A :class:`Line` per non-blank line that holds a JSON object, a :class:`LineError` per
        other non-blank line, or one :class:`InputError` (and nothing more) for a binary file.

    Raises:
        InputError: ``source`` is a path that does not exist, is a directory or cannot be
            opened; raised on the first ``next()``, before anything is yielded.
    """
    if isinstance(source, Path):
        label = name or str(source)
        if not source.exists():
            raise InputError(label, "no such file")
        if source.is_dir():
            raise InputError(label, "is a directory; give a .jsonl file")
        try:
            f = source.open("rb")
        except OSError as e:
            raise InputError(label, f"cannot be read: {e.strerror}") from e
        with f:
            yield from read_jsonl_lines(f, label)
        return
    yield from read_jsonl_lines(source, name or "<stdin>")
