"""Whole-file outputs written beside their target and renamed into place.

``summarize -o``, ``brief``, ``--html``, ``report.json`` and a rewritten ``errors.jsonl`` are
whole files: a run that fails, is interrupted or hits a full disk must never leave them empty
or half written. Each is written to a temporary file in the same folder, flushed and synced,
then renamed over the target (atomic on POSIX). A target that is a directory, a folder that
cannot be created or written, and a full disk become :class:`OutputError` naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from summarizer.core.errors import UserError

__all__ = ["OutputError", "atomic_text", "describe_os_error", "write_text_atomic"]


class OutputError(UserError):
    """An output path that cannot be written."""

    def __init__(self, path: Path | str, reason: str) -> None:
        """The message is ``"PATH: REASON"``; ``path`` is kept as a string.

        Args:
            path: The file or folder that cannot be written.
            reason: Why (see :func:`describe_os_error`), and what was kept.
        """
        self.path = str(path)
        super().__init__(f"{path}: {reason}")


def describe_os_error(e: OSError) -> str:
    """Why a file could not be written, in words for a message.

    Returns:
        A short reason for a full disk, a read-only file system, a denied permission, a
        directory in the way or a path through a file; else the system's own message.
    """
    if e.errno == errno.ENOSPC:
        return "no space left on the device"
    if e.errno == errno.EROFS:
        return "the file system is read-only"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e.errno == errno.EISDIR:
        return "is a directory"
    if e.errno == errno.ENOTDIR:
        return "a part of the path is not a directory"
    return e.strerror or str(e)


def _prepare(path: Path) -> None:
    if path.is_dir():
        raise OutputError(path, "is a directory; give a file path")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(path.parent, f"cannot create the folder: {describe_os_error(e)}") from e


@contextlib.contextmanager
def atomic_text(path: Path, *, keep_partial: bool = True) -> Iterator[TextIO]:
    """A text file that replaces ``path`` when the block ends.

    With ``keep_partial`` (a file of records), a run that produced nothing leaves an existing
    ``path`` as it was, and an interrupted or failed run still keeps what it finished. A failed
    write always leaves ``path`` as it was.

    Args:
        path: The target file; its folder is created if missing.
        keep_partial: Keep what was written when the block raises, and keep an existing file
            when nothing was written. Off: the file is replaced only by a block that ends.

    Yields:
        The temporary file, open for UTF-8 text, in ``path``'s folder.

    Raises:
        OutputError: ``path`` is a directory, its folder cannot be created or written, or a
            write, sync or rename fails (a full disk); ``path`` is left as it was.
    """
    _prepare(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise OutputError(path, f"cannot write there: {describe_os_error(e)}") from e
    f = os.fdopen(fd, "w", encoding="utf-8")
    committed = False
    try:
        try:
            yield f
        except OSError as e:  # the write itself failed (full disk): keep the old file
            raise OutputError(path, f"cannot write: {describe_os_error(e)}; it was left as it was") from e
        except BaseException:
            if not (keep_partial and f.tell() > 0):
                raise
            _commit(f, tmp, path)  # an interrupted or failed run keeps what it finished
            committed = True
            raise
        if keep_partial and f.tell() == 0 and path.exists():
            return  # nothing was produced: the existing file stays as it was
        _commit(f, tmp, path)
        committed = True
    finally:
        if not committed:
            with contextlib.suppress(OSError):
                f.close()
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _commit(f: TextIO, tmp: str, path: Path) -> None:
    try:
        f.flush()
        os.fsync(f.fileno())
        f.close()
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(path, f"cannot write: {describe_os_error(e)}; it was left as it was") from e


def write_text_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step, or leave it as it was.

    Raises:
        OutputError: ``path`` cannot be written (see :func:`atomic_text`).
    """
    with atomic_text(path, keep_partial=False) as f:
        f.write(text)
