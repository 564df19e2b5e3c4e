"""Model access over any OpenAI-compatible endpoint.

Owns endpoint resolution (:mod:`.endpoint`), the client that fills a schema through instructor
with its retries (:mod:`.client`), what a call gives back in the package's own types
(:mod:`.exchange`) and what a failed one becomes (:mod:`.failures`), the cancellable HTTP
transport (:mod:`.transport`), the compact-JSON grammar for llama.cpp servers (:mod:`.grammar`),
the versioned prompt templates (:mod:`.prompts`) and the judge's one-token client
(:mod:`.judge_client`). Imports only :mod:`summarizer.core`; it never starts an engine. It
is the only package that imports instructor or openai, or reads their objects (an import
contract in ``pyproject.toml`` holds the rest of the package to that).
"""

from __future__ import annotations

import logging

__all__ = ["silence_attempt_logs"]


def silence_attempt_logs() -> None:
    """Keep instructor's log line for every failed attempt (at ERROR) off stderr when logging
    is not configured: for callers that report each failure themselves, as the CLI does.
    Cheap: it imports neither instructor nor openai."""
    logging.getLogger("instructor").addHandler(logging.NullHandler())
