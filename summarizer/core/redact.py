"""Keep credentials out of messages and files. Pure code.

A server may echo the API key in an error body ("invalid key sk-..."); that text reaches
stderr and errors.jsonl. :func:`redact` replaces the keys this process was configured with
(:func:`remember` is called when an endpoint is resolved), ``Bearer ...`` values, and
``sk-``-style keys of 16 or more characters, with ``[redacted]``.
"""

from __future__ import annotations

import re
import threading

__all__ = ["redact", "remember"]

_SECRETS: set[str] = set()
_LOCK = threading.Lock()
_PATTERNS = re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+|\bsk-[A-Za-z0-9_-]{16,}")
MIN_SECRET = 8  # shorter values (placeholders such as "none") are not secrets worth hiding


def remember(secret: str | None) -> None:
    if secret and len(secret) >= MIN_SECRET:
        with _LOCK:
            _SECRETS.add(secret)


def redact(text: str) -> str:
    with _LOCK:
        secrets = sorted(_SECRETS, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return _PATTERNS.sub(
        lambda m: "Bearer [redacted]" if m.group().lower().startswith("bearer") else "[redacted]", text
    )
