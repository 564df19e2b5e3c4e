"""Read summary records for ``brief``: one bad line is reported and skipped, never fatal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from summarizer.core.errors import InputError
from summarizer.core.records import SummaryRecord
from summarizer.files.jsonl import LineError, read_jsonl

__all__ = ["load_records"]


def load_records(path: Path, on_error: Callable[[str], None]) -> tuple[list[SummaryRecord], int]:
    """Read the summary records of a JSON Lines file, skipping bad lines.

    Args:
        path: A ``summaries.jsonl`` file.
        on_error: Called with a message (``file:line: reason``) for each bad line.

    Returns:
        Every valid record in file order, and the number of bad lines.

    Raises:
        InputError: ``path`` does not exist, is a directory, or is a binary file.
    """
    records: list[SummaryRecord] = []
    bad = 0
    for entry in read_jsonl(path):
        if isinstance(entry, LineError):
            on_error(str(entry))
            bad += 1
            continue
        if isinstance(entry, InputError):  # the whole file (binary)
            raise entry
        try:
            records.append(SummaryRecord.model_validate(entry.value))
        except ValidationError as e:
            first = e.errors()[0]
            on_error(f"{entry.item}: not a summary record: {first['msg']} at {'.'.join(map(str, first['loc']))}")
            bad += 1
    return records, bad
