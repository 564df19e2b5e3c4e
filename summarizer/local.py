"""The embedded model: llama-cpp-python's OpenAI-compatible server on 127.0.0.1.

The tool talks to it over HTTP like to any endpoint. The server is a child process that is
always stopped: on normal exit and on errors (context manager), on Ctrl-C (KeyboardInterrupt
unwinds through it), on SIGTERM (turned into SystemExit), and on Linux it also dies with its
parent after SIGKILL, through a parent-death signal set in the child before exec.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType, TracebackType

from .errors import ConfigError, LocalServerError
from .modelfiles import INSTALL_HINT, model_for

__all__ = ["DEFAULT_CONTEXT", "EmbeddedServer", "install_sigterm_handler", "smoke_test"]

DEFAULT_CONTEXT = 8192
START_TIMEOUT = 180.0
REBUILD_HINT = (
    "the llama-cpp-python build crashes on this CPU (SIGSEGV; llama.cpp's AMX kernels on "
    "virtualised Xeons). Rebuild it without AMX and without pip's wheel cache:\n"
    "  CMAKE_ARGS=\"-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON "
    "-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF\" "
    "pip install --force-reinstall --no-deps --no-cache-dir 'llama-cpp-python[server]==0.3.36'"
)
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    os.setpgrp()  # Ctrl-C in a terminal goes to us; we stop the server ourselves


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _require_llama_cpp() -> None:
    try:
        import llama_cpp  # noqa: F401
        import llama_cpp.server  # noqa: F401
    except ImportError as e:
        raise ConfigError(f"the embedded model needs llama-cpp-python ({e.name} is missing); "
                          f"{INSTALL_HINT}") from e


def _crash_message(code: int | None, log_tail: str) -> str:
    if code == -signal.SIGSEGV or code == 128 + signal.SIGSEGV:
        return REBUILD_HINT
    return f"the embedded server exited with code {code}. Its last output:\n{log_tail}"


def install_sigterm_handler() -> None:
    """Turn SIGTERM into SystemExit so context managers (the server's) unwind."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


class EmbeddedServer:
    """``with EmbeddedServer() as srv: srv.base_url, srv.alias``."""

    def __init__(self, model: str | None = None, *, context: int = DEFAULT_CONTEXT,
                 threads: int | None = None, port: int | None = None) -> None:
        self.model_choice = model
        self.context = context
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.port = port or _free_port()
        self.alias = ""
        self.model_path: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.start_seconds = 0.0
        self._log = tempfile.NamedTemporaryFile(prefix="summarizer-server-", suffix=".log", delete=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> EmbeddedServer:
        _require_llama_cpp()
        self.model_path, self.alias = model_for(self.model_choice)
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path),
               "--model_alias", self.alias, "--host", "127.0.0.1", "--port", str(self.port),
               "--n_ctx", str(self.context), "--n_threads", str(self.threads),
               "--n_threads_batch", str(self.threads),
               # the server keeps logits for every context position by default: n_ctx x vocab
               # floats (8,192 x 151,936 x 4 bytes = 5 GB for Qwen); we never read them
               "--logits_all", "false"]
        started = time.perf_counter()
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        self._wait_ready(started)
        self.start_seconds = time.perf_counter() - started
        return self

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(Path(self._log.name).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _wait_ready(self, started: float) -> None:
        assert self.process is not None
        while time.perf_counter() - started < START_TIMEOUT:
            code = self.process.poll()
            if code is not None:
                raise LocalServerError(_crash_message(code, self._log_tail()))
            try:
                with urllib.request.urlopen(self.base_url + "/models", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        self.stop()
        raise LocalServerError(f"the embedded server did not answer within {START_TIMEOUT:.0f} s; "
                               f"its last output:\n{self._log_tail()}")

    def check_alive(self) -> None:
        """Raise LocalServerError (with the rebuild hint on SIGSEGV) if the server died."""
        if self.process is not None and self.process.poll() is not None:
            raise LocalServerError(_crash_message(self.process.returncode, self._log_tail()))

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with contextlib.suppress(OSError):
            self._log.close()
            os.unlink(self._log.name)

    def __enter__(self) -> EmbeddedServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def smoke_test(model: str | None = "small") -> str:
    """Generate one token in a child process; a SIGSEGV there becomes the rebuild hint."""
    _require_llama_cpp()
    path, _ = model_for(model)
    code = ("import llama_cpp,sys; m=llama_cpp.Llama(model_path=sys.argv[1], n_ctx=256, verbose=False);"
            "print(repr(m.create_completion('Hello', max_tokens=1)['choices'][0]['text']))")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          timeout=300)
    if proc.returncode != 0:
        raise LocalServerError(_crash_message(proc.returncode, proc.stderr[-2000:]))
    return proc.stdout.strip()
