"""How cassettes are recorded, scrubbed, stored and matched.

- Article text in request bodies is replaced by ``sha256:<hex>`` of the article before a
  request is stored *and* before a live request is matched (vcrpy applies
  ``before_record_request`` to both), so cassettes never republish an article and matching
  still tells articles apart.
- Request and response bodies are stored as parsed JSON (reviewable diffs when a prompt
  changes); the serializer turns them back into strings on load.
- The ``json_body`` matcher compares parsed bodies and, on a mismatch, says where they differ.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import yaml

from summarizer.llm.prompts import ARTICLE_CLOSE, ARTICLE_OPEN

RECORD_COMMAND = "python -m pytest --record-mode=rewrite -p no:randomly tests"
FILTERED_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
]
_NOISY_REQUEST_HEADERS = re.compile(r"^(x-stainless-.*|user-agent|accept-encoding|connection|host)$", re.I)
_ARTICLE = re.compile(re.escape(ARTICLE_OPEN) + r"(.*?)" + re.escape(ARTICLE_CLOSE), re.S)


def _scrub_text(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        body = m.group(1)
        if body.startswith("sha256:"):
            return m.group(0)
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        return f"{ARTICLE_OPEN}sha256:{digest}{ARTICLE_CLOSE}"

    return _ARTICLE.sub(repl, text)


def scrub_request(request: Any) -> Any:
    body = request.body
    if body:
        raw = body.decode("utf-8") if isinstance(body, bytes) else body
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict):
            for message in data.get("messages", []):
                if isinstance(message.get("content"), str):
                    message["content"] = _scrub_text(message["content"])
            request.body = json.dumps(data, sort_keys=True).encode("utf-8")
    for name in list(request.headers):
        if _NOISY_REQUEST_HEADERS.match(name):
            del request.headers[name]
    return request


def _body_json(request: Any) -> Any:
    body = request.body
    if not body:
        return None
    try:
        return json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)
    except ValueError:
        return body


def _first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: present on one side only"
            diff = _first_difference(a[key], b[key], f"{path}.{key}")
            if diff:
                return diff
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            diff = _first_difference(x, y, f"{path}[{i}]")
            if diff:
                return diff
        return None
    if a != b:
        sa, sb = str(a), str(b)
        i = next((k for k, (p, q) in enumerate(zip(sa, sb, strict=False)) if p != q), min(len(sa), len(sb)))
        return f"{path} differs at char {i}: ...{sa[max(0, i - 40) : i + 40]!r} vs ...{sb[max(0, i - 40) : i + 40]!r}"
    return None


def json_body_matcher(r1: Any, r2: Any) -> None:
    diff = _first_difference(_body_json(r1), _body_json(r2))
    if diff:
        raise AssertionError(f"request body differs from the recording: {diff}")


class ReadableYaml:
    """vcrpy serializer: YAML with JSON bodies stored parsed."""

    @staticmethod
    def serialize(cassette_dict: dict[str, Any]) -> str:
        for interaction in cassette_dict.get("interactions", []):
            for part in ("request", "response"):
                body = interaction[part].get("body")
                if part == "response":
                    body = body.get("string") if isinstance(body, dict) else body
                raw = body.decode("utf-8") if isinstance(body, bytes) else body
                try:
                    parsed = json.loads(raw) if raw else None
                except ValueError:
                    continue
                if parsed is not None:
                    interaction[part]["body"] = {"json": parsed}
        return yaml.safe_dump(cassette_dict, sort_keys=False, allow_unicode=True, width=100)

    @staticmethod
    def deserialize(cassette_string: str) -> dict[str, Any]:
        data = yaml.safe_load(cassette_string) or {}
        for interaction in data.get("interactions", []):
            req, resp = interaction["request"], interaction["response"]
            if isinstance(req.get("body"), dict) and "json" in req["body"]:
                req["body"] = json.dumps(req["body"]["json"], sort_keys=True)
            if isinstance(resp.get("body"), dict) and "json" in resp["body"]:
                resp["body"] = {"string": json.dumps(resp["body"]["json"])}
        return data
