"""The embedded server never outlives the CLI: SIGTERM, Ctrl-C (SIGINT) and SIGKILL.

These tests run the real CLI in a child process with stand-ins for the engines (tests/standin:
the ``xllamacpp`` module, which the real launcher imports; ``llama-server``, reached through
SUMMARIZER_LLAMA_SERVER; and ``python -m llama_cpp.server``; all answer /v1/models and hold
chat requests open) so they check process handling without a native build or a model
download. The xllamacpp and llama-server stand-ins also refuse requests without the run's API
key and exit if an ``LLAMA_ARG_*`` variable reaches them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.processes import popen

STANDIN = ROOT / "tests" / "standin"


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_for(predicate, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def start_cli(tmp_path: Path, engine: str = "xllamacpp", **extra_env: str) -> tuple[subprocess.Popen[bytes], Path]:
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF stand-in")
    pidfile = tmp_path / "server.pid"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_", "LLAMA_"))}
    env.update(
        PYTHONPATH=f"{STANDIN}{os.pathsep}{ROOT}",
        STANDIN_PIDFILE=str(pidfile),
        SUMMARIZER_CACHE_DIR=str(tmp_path / "cache"),
        SUMMARIZER_LLAMA_SERVER=str(STANDIN / "llama-server"),
        LLAMA_ARG_TOOLS="all",
        **extra_env,
    )  # a user's shell must not reach the server
    proc = popen(
        [
            sys.executable,
            "-m",
            "summarizer",
            "summarize",
            str(EXAMPLES[0]),
            "--local-model",
            str(model),
            "--local-engine",
            engine,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    return proc, pidfile


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["xllamacpp", "llama-server"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_server_dies_with_the_cli(tmp_path: Path, sig: signal.Signals, engine: str) -> None:
    proc, pidfile = start_cli(tmp_path, engine)
    try:
        assert wait_for(lambda: pidfile.exists() and pidfile.read_text().strip()), "server never started"
        server = int(pidfile.read_text())
        assert alive(server)
        time.sleep(1.0)  # the CLI is now waiting on its chat request
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        proc.send_signal(sig)
        proc.wait(timeout=30)
        assert wait_for(lambda: not alive(server), 15), f"server {server} outlived the CLI after {sig.name}"
        if sig is not signal.SIGKILL:
            assert proc.returncode != 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["xllamacpp", "llama-server", "llama-cpp-python"])
def test_a_segfaulting_server_explains_the_rebuild(tmp_path: Path, engine: str) -> None:
    proc, _ = start_cli(tmp_path, engine, STANDIN_CRASH="segv")
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    text = stderr.decode()
    assert "SIGSEGV" in text
    if engine == "llama-cpp-python":
        assert "-DGGML_AMX_TILE=OFF" in text and "--no-cache-dir" in text
    elif engine == "xllamacpp":
        assert "--local-engine llama-server" in text
    else:
        assert "summarizer local-check" in text and "SUMMARIZER_LLAMA_SERVER" in text


def test_embedded_mode_follows_the_model_unless_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.engine.weights import preferred_mode
    from summarizer.llm.endpoint import Mode
    from summarizer.run.api import LocalOptions, open_summarizer

    assert (preferred_mode(None), preferred_mode("small")) == ("json", "json")  # xllamacpp
    assert (preferred_mode(None, "llama-server"), preferred_mode("small", "llama-server")) == ("json", "json")
    assert (preferred_mode(None, "llama-cpp-python"), preferred_mode("small", "llama-cpp-python")) == ("tools", "tools")
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF stand-in")
    for var in [k for k in os.environ if k.startswith(("OPENAI_", "SUMMARIZER_"))]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("PYTHONPATH", f"{STANDIN}{os.pathsep}{ROOT}")
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SUMMARIZER_LLAMA_SERVER", str(STANDIN / "llama-server"))
    monkeypatch.syspath_prepend(str(STANDIN))
    with open_summarizer(local=LocalOptions(str(model))) as run:  # xllamacpp: json for every model
        assert run.client.endpoint.mode is Mode.JSON
        assert run.server is not None and run.server.slots == run.client.endpoint.slots == 2
        assert run.client.endpoint.api_key == run.server.api_key != "none"  # the run's own key
    with open_summarizer(local=LocalOptions(str(model)), mode="tools") as run:
        assert run.client.endpoint.mode is Mode.TOOLS
    with open_summarizer(local=LocalOptions(str(model), engine="llama-cpp-python")) as run:
        assert run.client.endpoint.mode is Mode.JSON  # any other GGUF: json
        assert run.server is not None and run.server.slots == 1


def test_the_launcher_sets_up_a_loopback_server_with_the_run_s_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    monkeypatch.syspath_prepend(str(STANDIN))
    import xllamacpp

    from summarizer.engine.launcher import server_params

    args = argparse.Namespace(model="m.gguf", alias="qwen", port=4321, ctx=16384, parallel=2, threads=2)
    p = server_params(xllamacpp, args, "k3y")
    assert (p.hostnames, p.port, p.api_keys, p.model_alias) == (["127.0.0.1"], 4321, ["k3y"], {"qwen"})
    assert (p.n_ctx, p.n_parallel, p.kv_unified, p.cache_ram_mib) == (16384, 2, False, 0)
    assert (p.cpuparams.n_threads, p.cpuparams_batch.n_threads, p.ui, p.endpoint_slots) == (2, 2, False, False)


@pytest.mark.slow
def test_an_engine_that_cannot_load_its_model_is_reported_with_its_log(tmp_path: Path) -> None:
    proc, _ = start_cli(tmp_path, STANDIN_FAIL="1")
    _, stderr = proc.communicate(timeout=60)
    text = stderr.decode()
    assert proc.returncode == 1, text
    assert "exited with code 2" in text and "xllamacpp could not start the server" in text


def test_a_missing_engine_is_named_with_the_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from summarizer.core.errors import ConfigError
    from summarizer.engine.server import EmbeddedServer

    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF stand-in")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with (
        pytest.raises(ConfigError, match=r"needs xllamacpp.*pip install -e '\.\[local\]'"),
        EmbeddedServer(str(model), cache_dir=tmp_path / "cache"),
    ):
        pass
