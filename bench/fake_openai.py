"""A local OpenAI-compatible server for the batch benchmarks (never for tests of model output).

    python bench/fake_openai.py --port 8099 [--delay 1.0] [--faults 0.3] [--hang 30]

POST /v1/chat/completions answers, after ``--delay`` seconds, an instance of whatever JSON
Schema the request carries (a tool's parameters, ``response_format``, or the schema
instructor puts in the system prompt), as a tool call or as content like the request asks;
its strings quote the request's own article (sentences, names, numbers, quotations), so the
real verifier has real work. With ``--faults F``, that share of calls instead answers 429 (with
``Retry-After: --retry-after``), 500, or hangs for ``--hang`` seconds (and notices when the
client closes the connection), a third each, decided by a seeded random generator so runs
are repeatable. ``counts`` tallies requests and connections closed while hanging. Loopback
only.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE = re.compile(r"<article>\n(.*)\n</article>", re.S)
SENTENCE = re.compile(r"[^.!?\n]{20,300}[.!?]")
NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")
NUMBER = re.compile(r"\b\d[\d,.]*\b")
QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]{10,200})[\"\u201d]")


class Quoter:
    """Values quoted from one article, handed out in turn, so the real verifier has real work."""

    def __init__(self, article: str) -> None:
        article = re.sub(r"(?m)^\[\d+\] ", "", article)  # a prompt that numbers sentences
        self.sentences = [s.strip() for s in SENTENCE.findall(article)] or [article.strip()[:200]]
        self.names = NAME.findall(article) or ["Unknown"]
        self.numbers = NUMBER.findall(article) or ["1"]
        self.quotes = QUOTED.findall(article) or self.sentences
        self.turn = 0

    def pick(self, items: list[str]) -> str:
        self.turn += 1
        return items[(self.turn - 1) % len(items)]

    def string(self, name: str) -> str:
        key = name.lower()
        if any(k in key for k in ("name", "speaker", "company", "court", "who")):
            return self.pick(self.names)
        if any(k in key for k in ("value", "amount", "number")):
            return self.pick(self.numbers)
        if key in ("unit", "kind", "sector") or "unit" in key:
            return {"unit": "", "kind": "person"}.get(key, "news")
        if key in ("headline", "title"):
            return " ".join(self.sentences[0].split()[:10])
        if key == "text" or "quote" in key:
            return self.pick(self.quotes)
        return self.pick(self.sentences)


def root_resolve(schema: dict, root: dict) -> dict:
    return root["$defs"][schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema


def instance(schema: dict, root: dict, q: Quoter, name: str = "") -> object:
    """A value that validates against ``schema`` (resolving $ref in ``root``)."""
    if "$ref" in schema:
        return instance(root["$defs"][schema["$ref"].rsplit("/", 1)[-1]], root, q, name)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"] or schema["anyOf"]
        return instance(options[0], root, q, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type", "string")
    if kind == "object":
        return {k: instance(v, root, q, k) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        if "evidence" in name.lower():
            items = root_resolve(schema.get("items") or {}, root)
            return [1 + q.turn % 3] if items.get("type") == "integer" else [q.pick(q.sentences)]
        n = max(schema.get("minItems", 0), min(schema.get("maxItems", 3), 3))
        return [instance(schema.get("items", {}), root, q, name) for _ in range(n)]
    if kind in ("integer", "number"):
        digits = re.sub(r"[^0-9]", "", q.pick(q.numbers)) or "1"
        return int(digits[:9])
    if kind == "boolean":
        return True
    text = q.string(name)
    return text[: schema["maxLength"]].rstrip() if "maxLength" in schema else text


def requested_schema(request: dict) -> tuple[dict, bool]:
    """The JSON Schema the client asked for, and whether it wants a tool call."""
    tools = request.get("tools")
    if tools:
        return tools[0]["function"]["parameters"], True
    fmt = request.get("response_format") or {}
    if isinstance(fmt.get("schema"), dict):
        return fmt["schema"], False
    if isinstance((fmt.get("json_schema") or {}).get("schema"), dict):
        return fmt["json_schema"]["schema"], False
    system = next((m["content"] for m in request["messages"] if m["role"] == "system"), "")
    at = system.find("{", system.find("json_schema:"))
    if "json_schema:" in system and at != -1:
        return json.JSONDecoder().raw_decode(system[at:])[0], False
    return {"type": "object", "properties": {}}, False


def answer_for(request: dict) -> tuple[dict, str]:
    """The assistant message answering ``request``, and its text (for the usage count). A
    one-token question (a judge's) is answered "Yes", without logprobs."""
    if request.get("max_tokens") == 1:
        return {"role": "assistant", "content": "Yes"}, "Yes"
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    match = ARTICLE.search(user)
    schema, tool = requested_schema(request)
    content = json.dumps(instance(schema, schema, Quoter(match.group(1) if match else user)))
    if tool:
        name = request["tools"][0]["function"]["name"]
        call = {"id": "call_fake", "type": "function", "function": {"name": name, "arguments": content}}
        return {"role": "assistant", "content": None, "tool_calls": [call]}, content
    return {"role": "assistant", "content": content}, content


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

    def handle(self) -> None:
        try:
            super().handle()
        finally:  # the client closed the connection (or the server gave up on it)
            self.server.count("connections_closed")

    def _hang(self) -> None:
        """Hold the request open; return early (counting it) when the client closes."""
        end = time.monotonic() + self.server.hang
        while time.monotonic() < end:
            readable, _, _ = select.select([self.connection], [], [], 0.05)
            if readable:
                try:
                    data = self.connection.recv(1, socket.MSG_PEEK)
                except OSError:
                    data = b""
                if not data:
                    self.server.count("closed_while_hanging")
                    self.close_connection = True
                    return

    def do_GET(self) -> None:
        self._send(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        request = json.loads(self.rfile.read(length))
        self.server.count("requests")
        self.server.flight(+1)
        try:
            self._answer(request)
        finally:
            self.server.flight(-1)

    def _answer(self, request: dict) -> None:
        fault = self.server.draw()
        if fault == "hang":
            self._hang()
            return
        time.sleep(self.server.delay)
        if fault == "429":
            self._send(429, {"error": {"message": "rate limited"}}, {"Retry-After": str(self.server.retry_after)})
            return
        if fault == "500":
            self._send(500, {"error": {"message": "internal error"}})
            return
        message, content = answer_for(request)
        prompt = sum(len(m.get("content") or "") for m in request["messages"]) // 4
        self._send(
            200,
            {
                "id": "fake",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request.get("model", "fake"),
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "tool_calls" if "tool_calls" in message else "stop",
                        "message": message,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": len(content) // 4,
                    "total_tokens": prompt + len(content) // 4,
                },
            },
        )


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(
        self, port: int, delay: float, faults: float, hang: float, seed: int = 1, retry_after: float = 1.0
    ) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.delay, self.faults, self.hang, self.retry_after = delay, faults, hang, retry_after
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.in_flight = 0  # chat requests being answered now (a sampler reads it)

    def flight(self, delta: int) -> None:
        with self._lock:
            self.in_flight += delta

    def count(self, what: str) -> None:
        with self._lock:
            self.counts[what] = self.counts.get(what, 0) + 1

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
    ap.add_argument("--retry-after", type=float, default=1.0, help="seconds in a 429's Retry-After")
    args = ap.parse_args()
    server = FakeServer(args.port, args.delay, args.faults, args.hang, retry_after=args.retry_after)
    print(f"listening on 127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
