"""A local OpenAI-compatible server for the batch benchmarks (never for tests of model output).

    python bench/fake_openai.py --port 8099 [--delay 1.0] [--faults 0.3] [--hang 30]

POST /v1/chat/completions answers, after ``--delay`` seconds, a valid ArticleSummary in JSON
mode whose fields quote the request's own article (its first sentences), so the real
verifier has real work. With ``--faults F``, that share of calls instead answers 429 (with
Retry-After: 1), 500, or hangs for ``--hang`` seconds, a third each, decided by a seeded
random generator so runs are repeatable. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE = re.compile(r"<article>\n(.*)\n</article>", re.S)
SENTENCE = re.compile(r"[^.!?\n]{20,300}[.!?]")


def summary_for(article: str) -> dict:
    sentences = [s.strip() for s in SENTENCE.findall(article)][:4] or [article.strip()[:200]]
    first = sentences[0]
    words = first.split()
    points = [{"text": s, "evidence": [s]} for s in sentences[1:4]]
    return {
        "headline": {"text": " ".join(words[:10]), "evidence": [first]},
        "summary": {"text": first, "evidence": [first]},
        "key_points": points,
        "entities": [], "places": [], "dates": [], "figures": [], "quotes": [],
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; no 40 ms ACK wait
    server: FakeServer

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, code: int, body: dict, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        self._send(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        request = json.loads(self.rfile.read(length))
        fault = self.server.draw()
        if fault == "hang":
            time.sleep(self.server.hang)
            return
        time.sleep(self.server.delay)
        if fault == "429":
            self._send(429, {"error": {"message": "rate limited"}}, {"Retry-After": "1"})
            return
        if fault == "500":
            self._send(500, {"error": {"message": "internal error"}})
            return
        user = next(m["content"] for m in request["messages"] if m["role"] == "user")
        match = ARTICLE.search(user)
        content = json.dumps(summary_for(match.group(1) if match else user))
        self._send(200, {
            "id": "fake", "object": "chat.completion", "created": int(time.time()), "model": request.get("model", "fake"),
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": len(user) // 4, "completion_tokens": len(content) // 4,
                      "total_tokens": (len(user) + len(content)) // 4},
        })


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, port: int, delay: float, faults: float, hang: float, seed: int = 1) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.delay, self.faults, self.hang = delay, faults, hang
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that timed out or was killed closes its socket: expected here, not news."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def draw(self) -> str | None:
        with self._lock:
            if self._rng.random() >= self.faults:
                return None
            return self._rng.choice(["429", "500", "hang"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--delay", type=float, default=1.0)
    ap.add_argument("--faults", type=float, default=0.0)
    ap.add_argument("--hang", type=float, default=30.0)
    args = ap.parse_args()
    server = FakeServer(args.port, args.delay, args.faults, args.hang)
    print(f"listening on 127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
