"""Build llama.cpp's own ``llama-server`` for the embedded model, once per source and flags.

The source is the llama.cpp tree inside the llama-cpp-python sdist on the package registry
(pinned by version and sha256), so nothing is downloaded from outside the registries. Only
the ``llama-server`` target is built, statically, with the flags that keep llama.cpp off its
AMX kernels (they crash on the first token on virtualised Xeons) and without the web UI (its
build would try to download prebuilt assets) or TLS. The binary lands in
``<cache>/engines/llama-server-<version>-<flags hash>/`` beside a stamp with its sha256; a
file lock makes a second process wait for a build in progress instead of starting another.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from summarizer.core.errors import ConfigError, LocalServerError

__all__ = ["BUILD_FLAGS", "SOURCE", "EngineBuild", "build_server", "built_server", "server_dir"]


@dataclass(frozen=True)
class SourcePin:
    """A source distribution on the package index, pinned by version and sha256 (hex)."""

    package: str
    version: str
    sha256: str
    subdir: str  # the llama.cpp tree inside the sdist


SOURCE = SourcePin(
    "llama-cpp-python",
    "0.3.36",
    "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e",
    "llama_cpp_python-0.3.36/vendor/llama.cpp",
)
BUILD_FLAGS = (
    "-DCMAKE_BUILD_TYPE=Release",
    "-DBUILD_SHARED_LIBS=OFF",
    "-DGGML_NATIVE=OFF",
    "-DGGML_AVX2=ON",
    "-DGGML_FMA=ON",
    "-DGGML_F16C=ON",
    "-DGGML_AVX512=OFF",
    "-DGGML_AMX_TILE=OFF",
    "-DGGML_AMX_INT8=OFF",
    "-DGGML_AMX_BF16=OFF",
    "-DLLAMA_BUILD_UI=OFF",
    "-DLLAMA_USE_PREBUILT_UI=OFF",  # no web UI, no asset download
    "-DLLAMA_OPENSSL=OFF",  # loopback HTTP only
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
)
TARGET = "llama-server"


def _flags_digest() -> str:
    return hashlib.sha256("\n".join((SOURCE.sha256, *BUILD_FLAGS)).encode()).hexdigest()[:12]


def server_dir(cache_dir: Path) -> Path:
    """``CACHE_DIR/engines/llama-server-<version>-<12 hex digits of the source and flags' sha256>``."""
    return cache_dir / "engines" / f"{TARGET}-{SOURCE.version}-{_flags_digest()}"


@dataclass(frozen=True)
class EngineBuild:
    """The ``llama-server`` binary to run, and whether this call built it (and in how many seconds)."""

    binary: Path
    seconds: float  # how long the build took (0 when it was already built)
    built_now: bool


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def built_server(cache_dir: Path) -> Path | None:
    """The binary cached in ``cache_dir`` if its stamp matches it, else None."""
    directory = server_dir(cache_dir)
    binary, stamp = directory / TARGET, directory / "build.json"
    try:
        data = json.loads(stamp.read_text())
        st = binary.stat()
    except (OSError, ValueError):
        return None
    moved = data.get("size") != st.st_size or data.get("mtime_ns") != st.st_mtime_ns
    if moved and data.get("sha256") != _sha256(binary):
        return None
    return binary


@contextlib.contextmanager
def _build_lock(directory: Path, say: Callable[[str], None]) -> Iterator[None]:
    directory.parent.mkdir(parents=True, exist_ok=True)
    path = directory.parent / f"{directory.name}.lock"
    with open(path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            say(f"waiting for {holder}, which is building {TARGET} into {directory}")
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}")
        lock.flush()
        try:
            yield
        finally:
            lock.seek(0)
            lock.truncate()
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run(cmd: list[str], cwd: Path, log: Path, what: str) -> None:
    with log.open("ab") as out:
        out.write(f"$ {' '.join(cmd)}\n".encode())
        out.flush()
        proc = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        raise LocalServerError(
            f"building {TARGET} failed while {what} (exit {proc.returncode}); full log: {log}\n{tail}"
        )


def _fetch_source(work: Path, log: Path) -> Path:
    """Download the pinned sdist from the configured package index and check its sha256.

    Returns:
        The llama.cpp tree extracted from it, inside ``work``.

    Raises:
        LocalServerError: pip fails, gives other than one archive, or the archive's sha256 is
            not the pinned one.
    """
    spec = f"{SOURCE.package}=={SOURCE.version}"
    _run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(work), spec],
        work,
        log,
        f"downloading {spec}",
    )
    archives = list(work.glob("*.tar.gz"))
    if len(archives) != 1:
        raise LocalServerError(f"pip download {spec} gave {len(archives)} archives in {work}")
    digest = _sha256(archives[0])
    if digest != SOURCE.sha256:
        raise LocalServerError(
            f"{archives[0].name} has sha256 {digest[:16]}..., expected "
            f"{SOURCE.sha256[:16]}...; the index served another file"
        )
    prefix = SOURCE.subdir + "/"
    with tarfile.open(archives[0]) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(prefix)]
        tar.extractall(work, members=members, filter="data")
    return work / SOURCE.subdir


def _cmake() -> str:
    """cmake from this environment (the [local] extra installs it), else from PATH.

    Returns:
        The path of the cmake executable.

    Raises:
        ConfigError: No cmake, or no C++ compiler (``c++`` or ``g++`` on PATH); the message
            says what to install.
    """
    beside = Path(sys.executable).parent / "cmake"
    found = str(beside) if beside.is_file() else shutil.which("cmake")
    if found is None:
        raise ConfigError(f"building {TARGET} needs cmake: pip install -e '.[local]' (or apt-get install cmake)")
    if shutil.which("c++") is None and shutil.which("g++") is None:
        raise ConfigError(f"building {TARGET} needs a C++ compiler: apt-get install g++")
    return found


def build_server(cache_dir: Path, say: Callable[[str], None] = lambda _: None, jobs: int | None = None) -> EngineBuild:
    """The ``llama-server`` cached in ``cache_dir``, building it first when missing.

    A build takes minutes, once (9.2 minutes on a quiet 2-core machine, 11.4 under load;
    README); a second process waits for a build in progress and reuses its binary.

    Args:
        cache_dir: The cache folder (the binary goes under ``engines/`` in it).
        say: Called with progress messages (what is built, where the log is, how long it took).
        jobs: Parallel compile jobs; the number of CPUs by default.

    Returns:
        The binary, with the build's seconds (0.0 when it was cached) and whether it was built now.

    Raises:
        ConfigError: cmake or a C++ compiler is missing.
        LocalServerError: Downloading, checking, configuring or compiling failed (the message
            holds the log's last lines and the log's path).
    """
    existing = built_server(cache_dir)
    if existing is not None:
        return EngineBuild(existing, 0.0, False)
    directory = server_dir(cache_dir)
    with _build_lock(directory, say):
        existing = built_server(cache_dir)  # built by the process we waited for
        if existing is not None:
            return EngineBuild(existing, 0.0, False)
        cmake = _cmake()
        started = time.perf_counter()
        directory.parent.mkdir(parents=True, exist_ok=True)
        log = directory.parent / f"{directory.name}.build.log"
        log.write_text("")
        say(
            f"building {TARGET} from {SOURCE.package} {SOURCE.version}'s llama.cpp source "
            f"(once; about 5 minutes on 2 cores); log: {log}"
        )
        with tempfile.TemporaryDirectory(prefix="summarizer-build-", dir=directory.parent) as tmp:
            work = Path(tmp)
            source = _fetch_source(work, log)
            build = work / "build"
            _run([cmake, "-S", str(source), "-B", str(build), *BUILD_FLAGS], work, log, "configuring")
            n = str(jobs or os.cpu_count() or 1)
            _run([cmake, "--build", str(build), "--target", TARGET, "-j", n], work, log, "compiling")
            produced = build / "bin" / TARGET
            if not produced.is_file():
                raise LocalServerError(f"the build finished without {produced}; log: {log}")
            staging = work / "out"
            staging.mkdir()
            shutil.copy2(produced, staging / TARGET)
            seconds = time.perf_counter() - started
            st = (staging / TARGET).stat()
            (staging / "build.json").write_text(
                json.dumps(
                    {
                        "source": f"{SOURCE.package}=={SOURCE.version}",
                        "source_sha256": SOURCE.sha256,
                        "flags": list(BUILD_FLAGS),
                        "sha256": _sha256(staging / TARGET),
                        "size": st.st_size,
                        "mtime_ns": st.st_mtime_ns,
                        "seconds": round(seconds, 1),
                    },
                    indent=2,
                )
            )
            if directory.exists():
                shutil.rmtree(directory)
            os.replace(staging, directory)
        say(f"built {TARGET} in {seconds / 60:.1f} min: {directory / TARGET}")
        return EngineBuild(directory / TARGET, seconds, True)
