"""``python -m llama_cpp.server`` stand-in: see ``llama_cpp/__init__.py`` for why.

Writes its PID to $STANDIN_PIDFILE, answers GET /v1/models, and holds POST requests open.
With STANDIN_CRASH=segv it dies of SIGSEGV at start-up, as a bad native build does.
"""

import argparse
import http.server
import json
import os
import signal
import time

parser = argparse.ArgumentParser()
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--model_alias", default="standin")
args, _ = parser.parse_known_args()

if os.environ.get("STANDIN_PIDFILE"):
    with open(os.environ["STANDIN_PIDFILE"], "w") as f:
        f.write(str(os.getpid()))
if os.environ.get("STANDIN_CRASH") == "segv":
    os.kill(os.getpid(), signal.SIGSEGV)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"object": "list", "data": [{"id": args.model_alias, "object": "model"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        time.sleep(3600)

    def log_message(self, *a):
        pass


http.server.ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()
