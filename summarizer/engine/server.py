"""The embedded model: a local OpenAI-compatible server on 127.0.0.1, used over HTTP.

Three engines (``--local-engine``), each a child process:

- ``xllamacpp`` (default): llama.cpp's own C++ server from the prebuilt xllamacpp wheel,
  nothing to compile, run by :mod:`summarizer.engine.launcher`. It serves several sequences
  at once (``slots``, each with the full context), constrains decoding to a grammar, caches
  prompt prefixes per slot, and returns logprobs without keeping every position's logits.
- ``llama-server``: the same server built from the pinned llama.cpp source
  (:mod:`summarizer.engine.build`; needs a C++ compiler and cmake), or any llama-server
  binary of your own (``llama_server``: ``SUMMARIZER_LLAMA_SERVER``; a GPU build, say).
- ``llama-cpp-python``: its Python server (``python -m llama_cpp.server``), one request at a
  time, no logprobs (they would need ``logits_all``, twice the memory).

The server is a child process that is always stopped: on normal exit and on errors (context
manager), on Ctrl-C (KeyboardInterrupt unwinds through it), on SIGTERM (turned into
SystemExit), and on Linux it also dies with its parent after SIGKILL, through a parent-death
signal set in the child before exec. It listens on loopback only, with a random API key for
the run (a web page in a local browser cannot use it), and gets an environment without
``LLAMA_*`` variables (:func:`summarizer.engine.launcher.child_environment`), so a user's
shell cannot switch on server features such as its built-in tools.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from enum import StrEnum
from pathlib import Path
from types import TracebackType

from summarizer.core.errors import ConfigError, LocalServerError
from summarizer.core.redact import remember
from summarizer.engine.launcher import child_environment
from summarizer.engine.weights import model_for

__all__ = [
    "DEFAULT_CONTEXT",
    "DEFAULT_ENGINE",
    "DEFAULT_SLOTS",
    "LLAMA_CPP_SERVERS",
    "EmbeddedServer",
    "Engine",
    "smoke_test",
]

DEFAULT_CONTEXT = 8192  # tokens per slot: a chosen value, room for a long article, its prompt and the answer
# Requests decoded at once. Measured with bench/local_speed.py on the 8 SummaC documents
# (README, benchmarks): llama-server json, serial 6/8 valid at 43.9 articles/hour, 2 slots 7/8 at
# 52.5, 4 slots 6/8 at 44.4.
DEFAULT_SLOTS = 2
# Seconds a starting server has to answer /v1/models: a chosen value, long enough to load a
# 1 GB model on a slow disk, short enough that a hung start fails within minutes.
START_TIMEOUT = 180.0
LLAMA_CPP_PYTHON_FLAGS = (
    "-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON "
    "-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
)
_PR_SET_PDEATHSIG = 1


class Engine(StrEnum):
    """The embedded engines; :data:`DEFAULT_ENGINE` is the one that needs no compiler."""

    XLLAMACPP = "xllamacpp"
    LLAMA_SERVER = "llama-server"
    LLAMA_CPP_PYTHON = "llama-cpp-python"


DEFAULT_ENGINE = Engine.XLLAMACPP
LLAMA_CPP_SERVERS = (Engine.XLLAMACPP, Engine.LLAMA_SERVER)  # llama.cpp's server: grammar, logprobs, slots


def _rebuild_hint(engine: Engine, cache_dir: Path) -> str:
    if engine is Engine.XLLAMACPP:
        return (
            "the xllamacpp engine crashed (SIGSEGV) on this CPU. Use the engine built from source "
            "instead: pip install -e '.[llama-server]' and pass --local-engine llama-server"
        )
    if engine is Engine.LLAMA_CPP_PYTHON:
        return (
            "the llama-cpp-python build crashes on this CPU (SIGSEGV; llama.cpp's AMX kernels "
            "on virtualised Xeons). Rebuild it without AMX and without pip's wheel cache:\n"
            f'  CMAKE_ARGS="{LLAMA_CPP_PYTHON_FLAGS}" pip install --force-reinstall --no-deps '
            "--no-cache-dir 'llama-cpp-python[server]==0.3.36'"
        )
    from summarizer.engine.build import server_dir

    return (
        f"llama-server crashed (SIGSEGV). Delete {server_dir(cache_dir)} and run `summarizer "
        "local-check` to rebuild it, or point SUMMARIZER_LLAMA_SERVER at a llama-server "
        "built with -DGGML_NATIVE=OFF and the AMX kernels off"
    )


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    os.setpgrp()  # Ctrl-C in a terminal goes to us; we stop the server ourselves


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _require_xllamacpp() -> None:
    import importlib.util

    if importlib.util.find_spec("xllamacpp") is None:  # found, not loaded: the child loads it
        raise ConfigError(
            "the embedded engine needs xllamacpp, which is not installed; install the embedded "
            "model with the README's first command (pip install -e '.[local]'), or point the tool "
            "at a server: --base-url / OPENAI_BASE_URL"
        )


def _require_llama_cpp_python() -> None:
    try:
        import llama_cpp
        import llama_cpp.server  # noqa: F401
    except ImportError as e:
        raise ConfigError(
            f"--local-engine llama-cpp-python needs llama-cpp-python ({e.name} is "
            f'missing); install it with CMAKE_ARGS="{LLAMA_CPP_PYTHON_FLAGS}" pip '
            "install --no-cache-dir 'llama-cpp-python[server]==0.3.36'"
        ) from e


def llama_server_binary(override: Path | None, cache_dir: Path, say: object = None) -> Path:
    """The llama-server binary to run.

    Args:
        override: A binary of the user's own (``SUMMARIZER_LLAMA_SERVER``), or ``None``.
        cache_dir: The cache folder holding the build from the pinned llama.cpp source.
        say: Called with each progress line when the build is made now; when not callable,
            the lines go to stderr.

    Returns:
        ``override`` when set, else the cached build's binary (built now if missing).

    Raises:
        ConfigError: ``override`` is not an executable file; also as
            :func:`summarizer.engine.build.build_server` raises.
    """
    if override:
        if not (override.is_file() and os.access(override, os.X_OK)):
            raise ConfigError(f"SUMMARIZER_LLAMA_SERVER={override}: not an executable file")
        return override
    from summarizer.engine.build import build_server

    return build_server(cache_dir, say=say if callable(say) else (lambda m: print(m, file=sys.stderr))).binary


def _crash_message(engine: Engine, code: int | None, log_tail: str, cache_dir: Path) -> str:
    if code == -signal.SIGSEGV or code == 128 + signal.SIGSEGV:
        return _rebuild_hint(engine, cache_dir)
    return f"the embedded server ({engine.value}) exited with code {code}. Its last output:\n{log_tail}"


class EmbeddedServer:
    """``with EmbeddedServer(cache_dir=...) as srv: srv.base_url, srv.alias, srv.api_key``.

    ``model``: ``default`` (None), ``small`` or a GGUF path; ``context``: tokens per slot;
    ``slots``: requests decoded at once (1 on llama-cpp-python); ``threads``: CPU threads
    (default: all); ``port`` on 127.0.0.1 (default: a free one); ``cache_dir``: the cache
    folder (weights, builds); ``llama_server``: a llama-server binary to run instead of the
    cached build. Raises :class:`ConfigError` for an unknown engine or fewer than 1 slot of
    512 tokens; starting raises :class:`LocalServerError` when the server dies or does not
    answer within ``START_TIMEOUT`` seconds."""

    def __init__(
        self,
        model: str | None = None,
        *,
        context: int = DEFAULT_CONTEXT,
        slots: int = DEFAULT_SLOTS,
        engine: Engine | str = DEFAULT_ENGINE,
        threads: int | None = None,
        port: int | None = None,
        cache_dir: Path,
        llama_server: Path | None = None,
    ) -> None:
        """Set the server up without starting it (:meth:`start` or ``with`` starts it).

        Args:
            model: ``None``/``default``, ``small`` or a GGUF path.
            context: Tokens per slot, at least 512.
            slots: Requests decoded at once, at least 1 (always 1 on llama-cpp-python).
            engine: An :class:`Engine` or its name.
            threads: CPU threads; ``None`` for all.
            port: Port on 127.0.0.1; ``None`` for a free one.
            cache_dir: The cache folder (weights, builds).
            llama_server: A llama-server binary to run instead of the cached build.

        Raises:
            ConfigError: ``engine`` names no engine, or fewer than 1 slot or 512 tokens.
        """
        try:
            self.engine = Engine(engine)
        except ValueError as e:
            raise ConfigError(
                f"unknown --local-engine {engine!r}; choose " + " or ".join(x.value for x in Engine)
            ) from e
        if self.engine is Engine.LLAMA_CPP_PYTHON and slots != 1:
            slots = 1  # its server decodes one request at a time
        if slots < 1 or context < 512:
            raise ConfigError(
                f"embedded server: {slots} slot(s) of {context} tokens; need at least 1 slot of 512 tokens"
            )
        self.model_choice = model
        self.cache_dir = cache_dir
        self.llama_server = llama_server
        self.context = context  # per slot
        self.slots = slots
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.port = port or _free_port()
        self.api_key = secrets.token_urlsafe(24) if self.engine in LLAMA_CPP_SERVERS else "none"
        remember(self.api_key)
        self.alias = ""
        self.model_path: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.start_seconds = 0.0
        # open for the server's whole life; closed and removed in stop()
        self._log = tempfile.NamedTemporaryFile(prefix="summarizer-server-", suffix=".log", delete=False)  # noqa: SIM115

    @property
    def base_url(self) -> str:
        """The server's OpenAI-compatible API root, ``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def logprobs(self) -> bool:
        """Whether chat completions can return ``logprobs``/``top_logprobs``."""
        return self.engine in LLAMA_CPP_SERVERS

    def _command(self) -> list[str]:
        assert self.model_path is not None
        if self.engine is Engine.LLAMA_CPP_PYTHON:
            _require_llama_cpp_python()
            return [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(self.model_path),
                "--model_alias",
                self.alias,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--n_ctx",
                str(self.context),
                "--n_threads",
                str(self.threads),
                "--n_threads_batch",
                str(self.threads),
                # the server keeps logits for every context position by default: n_ctx x
                # vocab floats (8,192 x 151,936 x 4 bytes = 5 GB for Qwen)
                "--logits_all",
                "false",
            ]
        t = str(self.threads)
        if self.engine is Engine.XLLAMACPP:
            _require_xllamacpp()
            return [
                sys.executable,
                "-P",  # run as a file with nothing of its folder on sys.path: no import of the package
                str(Path(__file__).with_name("launcher.py")),
                "--model",
                str(self.model_path),
                "--alias",
                self.alias,
                "--port",
                str(self.port),
                "--ctx",
                str(self.context * self.slots),
                "--parallel",
                str(self.slots),
                "--threads",
                t,
            ]
        return [
            str(llama_server_binary(self.llama_server, self.cache_dir)),
            "--model",
            str(self.model_path),
            "--alias",
            self.alias,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            # every slot gets the full context: the KV cache is split evenly between slots
            "--ctx-size",
            str(self.context * self.slots),
            "--parallel",
            str(self.slots),
            "--no-kv-unified",
            "--threads",
            t,
            "--threads-batch",
            t,
            # no host-memory prompt cache (up to 8 GiB by default, it grew the server by
            # 0.6 GB over ten articles); each slot still reuses its own prompt prefix
            "--cache-ram",
            "0",
            "--no-ui",
            "--offline",
            "--fit",
            "off",
            "--no-slots",
            "--jinja",
        ]

    def start(self) -> EmbeddedServer:
        """Start the server and wait until it answers; sets :attr:`start_seconds` (seconds).

        Returns:
            This server, started.

        Raises:
            ConfigError: The model or the engine is not installed (as
                :func:`~summarizer.engine.weights.model_for` raises).
            LocalServerError: The server exits before it answers (a SIGSEGV with the rebuild
                hint), or does not answer within :data:`START_TIMEOUT` seconds.
        """
        self.model_path, self.alias = model_for(self.model_choice, self.cache_dir)
        cmd = self._command()
        started = time.perf_counter()
        self.process = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
            env=child_environment(self.api_key),
        )
        self._wait_ready(started)
        self.start_seconds = time.perf_counter() - started
        return self

    def peak_rss_mb(self) -> float | None:
        """The server process's peak resident memory so far (Linux), in MB."""
        if self.process is None:
            return None
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        return int(status.split("VmHWM:")[1].split()[0]) / 1024

    def cpu_features(self) -> list[str]:
        """The CPU features llama.cpp's kernels use, from its start-up log.

        Returns:
            Names such as ``AVX2`` or ``AVX512`` from the ``system_info`` line; empty when the
            engine logs none or the log cannot be read.
        """
        try:
            log = Path(self._log.name).read_text(errors="replace")
        except OSError:
            return []
        for line in log.splitlines():
            if "system_info:" in line:
                parts = line.split("system_info:", 1)[1].split("|")
                return [m.split("=")[0].split(":")[-1].strip() for m in parts if m.strip().endswith("= 1")]
        return []

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
                raise LocalServerError(_crash_message(self.engine, code, self._log_tail(), self.cache_dir))
            try:
                request = urllib.request.Request(
                    self.base_url + "/models", headers={"Authorization": f"Bearer {self.api_key}"}
                )
                with urllib.request.urlopen(request, timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        self.stop()
        raise LocalServerError(
            f"the embedded server did not answer within {START_TIMEOUT:.0f} s; its last output:\n{self._log_tail()}"
        )

    def check_alive(self) -> None:
        """Check that the server process is still running (a server not started passes).

        Raises:
            LocalServerError: The server has exited; on SIGSEGV the message is the rebuild hint.
        """
        if self.process is not None and self.process.poll() is not None:
            raise LocalServerError(
                _crash_message(self.engine, self.process.returncode, self._log_tail(), self.cache_dir)
            )

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 seconds) and remove its log; safe to call twice."""
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
        """Start the server as :meth:`start` does (stopping it again if starting fails)."""
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        """Stop the server, whatever ended the block; exceptions propagate."""
        self.stop()


def smoke_test(
    model: str | None = "small",
    engine: Engine | str = DEFAULT_ENGINE,
    *,
    cache_dir: Path,
    llama_server: Path | None = None,
) -> str:
    """Start the engine (building llama-server first if needed) and generate one token over HTTP.

    Args:
        model: ``None``/``default``, ``small`` or a GGUF path; served with one slot of 512 tokens.
        engine: An :class:`Engine` or its name.
        cache_dir: As for :class:`EmbeddedServer`.
        llama_server: As for :class:`EmbeddedServer`.

    Returns:
        A line saying what it did: the engine, the token, and where the engine has them, that
        logprobs came back, the seconds it took to start and the CPU kernels it uses.

    Raises:
        ConfigError: As :class:`EmbeddedServer` and its :meth:`~EmbeddedServer.start` raise.
        LocalServerError: The server does not start, crashes (the rebuild hint), does not
            answer the one-token request within 300 seconds, or answers without logprobs.
    """
    import json

    with EmbeddedServer(
        model, context=512, slots=1, engine=engine, cache_dir=cache_dir, llama_server=llama_server
    ) as srv:
        body: dict[str, object] = {
            "model": srv.alias,
            "max_tokens": 1,
            "temperature": 0,
            "messages": [{"role": "user", "content": "Say yes."}],
        }
        if srv.logprobs:
            body.update(logprobs=True, top_logprobs=2)
        request = urllib.request.Request(
            srv.base_url + "/chat/completions",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {srv.api_key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=300) as r:
                answer = json.loads(r.read())
        except (urllib.error.URLError, OSError, ValueError) as e:
            srv.check_alive()
            raise LocalServerError(
                f"the embedded server ({srv.engine.value}) did not answer a one-token request: {e}"
            ) from e
        choice = answer["choices"][0]
        token = choice["message"]["content"]
        if not srv.logprobs:
            return f"{srv.engine.value} generated {token!r}"
        top = choice.get("logprobs", {}).get("content", [{}])[0].get("top_logprobs", [])
        if not top:
            raise LocalServerError(f"{srv.engine.value} answered without logprobs")
        cpu = ", ".join(srv.cpu_features()) or "not reported"
        return (
            f"{srv.engine.value} generated {token!r} with logprobs ({srv.start_seconds:.1f} s to start; "
            f"CPU kernels: {cpu})"
        )
