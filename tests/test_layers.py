"""The layers hold: the core's third-party allow-list, and the public import paths.

The package-to-package rules (cli -> run -> llm | engine | files | views -> core) and the
core's forbidden libraries are import-linter contracts in ``pyproject.toml``, run by
``lint-imports`` in ``.ci/run``. What a forbidden contract cannot say is an allow-list: the
only third-party packages the core may import at all.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CORE = ROOT / "summarizer" / "core"
# dateparser reads numeric dates, text_to_num (text2num) numbers in words: both pure parsers.
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core", "rapidfuzz", "dateparser", "text_to_num"}


def imported_tops(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


CORE_FILES = sorted(CORE.rglob("*.py"))


def test_the_core_is_found() -> None:
    assert len(CORE_FILES) >= 15 and (CORE / "verify" / "walker.py") in CORE_FILES


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_imports_only_the_standard_library_and_its_allowed_packages(path: Path) -> None:
    third_party = imported_tops(path) - set(sys.stdlib_module_names) - {"summarizer", "__future__"}
    assert third_party <= ALLOWED_THIRD_PARTY, f"{path.name} imports {sorted(third_party - ALLOWED_THIRD_PARTY)}"


def test_a_forbidden_import_in_the_core_is_caught(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import httpx\nfrom openai import OpenAI\nfrom summarizer.core import kinds\n")
    assert imported_tops(bad) - set(sys.stdlib_module_names) - {"summarizer"} == {"httpx", "openai"}


def test_public_paths_stay_importable() -> None:
    import summarizer

    for name in summarizer.__all__:
        assert hasattr(summarizer, name), name
    kinds = importlib.import_module("summarizer.kinds")
    for name in ("ClaimText", "Counts", "Evidence", "Name", "Quantity", "Role", "UNCHECKED", "Kind", "Status"):
        assert hasattr(kinds, name), name
    raystage = importlib.import_module("summarizer.raystage")
    for name in ("SummarizeBatch", "record_from_row", "stage_options", "OUTPUT_SCHEMA"):
        assert hasattr(raystage, name), name
