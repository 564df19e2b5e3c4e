"""The xllamacpp engine's child process: llama.cpp's server, prebuilt, on 127.0.0.1.

    python -P summarizer/engine/launcher.py --model M.gguf --alias A --port P --ctx N --parallel S --threads T

It is run as a file and imports nothing of the package, so the child holds the engine alone.
:func:`child_environment` is the environment every engine's child process is started with.

xllamacpp (a prebuilt abi3 wheel of llama.cpp) runs llama.cpp's own C++ HTTP server inside
the Python process that creates it. That process is this one, never the CLI's: a crash in
native code (a segfault) kills this child, and :class:`summarizer.engine.server.EmbeddedServer`
reports it with the log's last lines instead of dying with it.

The API key comes from ``$LLAMA_API_KEY`` (not the command line, which ``ps`` shows). The
server is set up as :mod:`summarizer.engine.server` sets up ``llama-server``: ``--ctx`` tokens
split evenly between ``--parallel`` slots (no unified KV cache), no host-memory prompt cache,
no web UI, no ``/slots`` endpoint, Jinja chat templates. The first line of the log is
llama.cpp's system info (the CPU features its kernels use).

Stopping: SIGTERM or SIGINT ends the wait, then the server is destroyed. Two traps of the
library are handled: the server is not stopped before its loop has answered one request (a
stop in that gap hangs), and a stop that waits on a client still connected is ended by
SIGALRM after ``--stop-timeout`` seconds (the destructor holds the GIL, so no Python thread
could end it). Exit codes: 0 stopped, 2 could not start, -14 (SIGALRM) forced stop.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from types import FrameType
from typing import Any

__all__ = ["child_environment", "main", "server_params"]


def child_environment(api_key: str) -> dict[str, str]:
    """This process's environment for an engine's child: without ``LLAMA_*`` and ``HF_*``
    variables (a user's shell cannot switch on server features or hub downloads), with
    ``LLAMA_API_KEY`` set to ``api_key`` (read by the server, kept off the command line that
    ``ps`` shows).

    Returns:
        A new mapping of variable names to values; ``os.environ`` is unchanged.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLAMA_", "HF_"))}
    env["LLAMA_API_KEY"] = api_key
    return env


def server_params(xlc: Any, args: argparse.Namespace, api_key: str) -> Any:
    """xllamacpp ``CommonParams`` for ``args``: a loopback server, like the llama-server command."""
    p = xlc.CommonParams()
    p.model.path = args.model
    p.hostnames = ["127.0.0.1"]
    p.port = args.port
    p.model_alias = {args.alias}
    p.n_ctx = args.ctx  # total; every slot gets ctx / parallel
    p.n_parallel = args.parallel
    p.kv_unified = False
    p.cache_ram_mib = 0  # no host-memory prompt cache; each slot still reuses its own prefix
    p.cache_idle_slots = False
    p.cpuparams.n_threads = args.threads
    p.cpuparams_batch.n_threads = args.threads
    p.ui = False
    p.endpoint_slots = False
    p.endpoint_metrics = True  # handle_metrics() is the barrier before a safe stop
    p.use_jinja = True
    p.fit_params = False
    p.offline = True  # never fetch a model or template from a hub
    p.verbosity = 2  # errors and warnings
    if api_key:
        p.api_keys = [api_key]
    return p


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="launcher.py", description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="GGUF file")
    ap.add_argument("--alias", required=True, help="the model id the server reports")
    ap.add_argument("--port", type=int, required=True, help="TCP port on 127.0.0.1")
    ap.add_argument("--ctx", type=int, required=True, help="context tokens, all slots together")
    ap.add_argument("--parallel", type=int, default=1, help="slots (sequences decoded at once)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="CPU threads")
    ap.add_argument("--stop-timeout", type=int, default=5, help="seconds before a stuck stop is forced")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run the server until SIGTERM or SIGINT; the exit code says how it ended (see above)."""
    args = _parser().parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    import xllamacpp as xlc

    print(f"system_info: {xlc.get_system_info()}", file=sys.stderr, flush=True)
    try:
        server = xlc.Server(server_params(xlc, args, os.environ.get("LLAMA_API_KEY", "")))
    except Exception as e:  # the library says only "failed to init"; its log above says why
        print(f"xllamacpp could not start the server: {e}", file=sys.stderr, flush=True)
        return 2
    server.handle_metrics()
    print(f"listening on {server.listening_address}", file=sys.stderr, flush=True)
    while not stop.wait(1.0):
        pass
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(args.stop_timeout)
    del server
    signal.alarm(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
