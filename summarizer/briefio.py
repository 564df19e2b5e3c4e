"""Read summary records for ``brief``: one bad line is reported and skipped, never fatal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from .errors import InputError
from .records import SummaryRecord

__all__ = ["load_records"]


def load_records(path: Path, on_error: Callable[[str], None]) -> tuple[list[SummaryRecord], int]:
    if not path.is_file():
        raise InputError(str(path), "no such file")
    records: list[SummaryRecord] = []
    bad = 0
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                records.append(SummaryRecord.model_validate(json.loads(line)))
            except json.JSONDecodeError as e:
                on_error(f"{path}:{n}: not JSON ({e.msg})")
                bad += 1
            except ValidationError as e:
                first = e.errors()[0]
                on_error(f"{path}:{n}: not a summary record: {first['msg']} at {'.'.join(map(str, first['loc']))}")
                bad += 1
    return records, bad
