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
    """Add a configured key to what :func:`redact` hides (for the life of the process).

    Args:
        secret: An API key; ``None`` and values shorter than :data:`MIN_SECRET` characters are
            ignored.
    """
    if secret and len(secret) >= MIN_SECRET:
        with _LOCK:
            _SECRETS.add(secret)


def redact(text: str) -> str:
    """``text`` with remembered keys, ``Bearer`` values and ``sk-`` keys replaced by ``[redacted]``.

    Args:
        text: A message or an error body.

    Returns:
        The text with every secret replaced (longer remembered keys first, so a key that
        contains another is hidden whole).
    """
    with _LOCK:
        secrets = sorted(_SECRETS, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return _PATTERNS.sub(
        lambda m: "Bearer [redacted]" if m.group().lower().startswith("bearer") else "[redacted]", text
    )
