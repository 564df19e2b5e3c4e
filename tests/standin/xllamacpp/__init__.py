"""``xllamacpp`` stand-in for the lifecycle tests: the launcher's child imports it first.

It has the surface :mod:`summarizer.engine.launcher` uses (``CommonParams`` with nested
parameter groups, ``Server`` with ``listening_address`` and ``handle_metrics``,
``get_system_info``). Like the real server it listens on the given host and port, refuses
requests without one of ``api_keys``, answers GET /v1/models and /health, and holds POST
requests open (a model that hangs). It writes its PID to $STANDIN_PIDFILE; with
STANDIN_CRASH=segv it dies of SIGSEGV while loading, as a bad native build does; with
STANDIN_FAIL set it fails to load, as the real one does on a bad model file; it exits if
an ``LLAMA_ARG_*`` variable reaches it.
"""

import http.server
import json
import os
import signal
import threading
import time
from types import SimpleNamespace


class CommonParams:
    def __init__(self):
        self.model = SimpleNamespace(path="")
        self.cpuparams = SimpleNamespace(n_threads=-1)
        self.cpuparams_batch = SimpleNamespace(n_threads=-1)
        self.hostnames = ["127.0.0.1"]
        self.port = 0
        self.api_keys = []
        self.model_alias = set()
        self.offline = False


def get_system_info():
    return "n_threads = 2 (n_threads_batch = 2) / 2 | CPU : SSE3 = 1 | AVX2 = 1 | AVX512 = 0 | "


class Server:
    def __init__(self, params):
        if os.environ.get("STANDIN_PIDFILE"):
            with open(os.environ["STANDIN_PIDFILE"], "w") as f:
                f.write(str(os.getpid()))
        if os.environ.get("STANDIN_CRASH") == "segv":
            os.kill(os.getpid(), signal.SIGSEGV)
        if any(k.startswith("LLAMA_ARG_") for k in os.environ):
            raise SystemExit("stand-in: LLAMA_ARG_* leaked into the server's environment")
        if os.environ.get("STANDIN_FAIL") or not os.path.exists(params.model.path):
            raise RuntimeError("Failed to init server, please check the input params.")
        keys, alias = list(params.api_keys), next(iter(params.model_alias), "standin")

        class Handler(http.server.BaseHTTPRequestHandler):
            def _authorised(self):
                if keys and self.headers.get("Authorization") not in [f"Bearer {k}" for k in keys]:
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return False
                return True

            def do_GET(self):
                if not self._authorised():
                    return
                body = json.dumps({"object": "list", "data": [{"id": alias, "object": "model"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                if self._authorised():
                    time.sleep(3600)

            def log_message(self, *a):
                pass

        self._httpd = http.server.ThreadingHTTPServer((params.hostnames[0], params.port), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        host, port = self._httpd.server_address[:2]
        self.listening_address = f"http://{host}:{port}"

    def handle_metrics(self):
        return ""

    def __del__(self):
        self._httpd.shutdown()
