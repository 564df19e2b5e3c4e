"""The pure core never imports the network, the file system helpers, the CLI or the edges."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

CORE = [
    "schema",
    "redact",
    "gbnf",
    "citing",
    "kinds",
    "plan",
    "registry",
    "entitykind",
    "judging",
    "align",
    "lexical",
    "claims",
    "checks",
    "verify",
    "briefing",
    "records",
    "errors",
]
ALLOWED_THIRD_PARTY = {"pydantic", "rapidfuzz"}
FORBIDDEN_STDLIB = {"os", "sys", "pathlib", "io", "socket", "subprocess", "urllib", "http", "shutil", "tempfile"}


def imports(module: str) -> set[str]:
    tree = ast.parse((ROOT / "summarizer" / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(("." * node.level) + (node.module or ""))
    return found


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_only_core_and_pure_libraries(module: str) -> None:
    for name in imports(module):
        if name.startswith("."):
            assert name.lstrip(".").split(".")[0] in CORE, f"{module} imports the edge module {name}"
            continue
        top = name.split(".")[0]
        assert top not in FORBIDDEN_STDLIB, f"{module} imports {name}"
        assert top in ALLOWED_THIRD_PARTY or top in __import__("sys").stdlib_module_names, (
            f"{module} imports third-party {name}"
        )
