"""summarizer: structured, verified summaries of news articles.

Public API::

    from summarizer import summarize, verify
    record = summarize("article text ...", base_url="http://127.0.0.1:8080/v1")
    verification = verify(record.summary, record.article.text)
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import summarize, verify  # noqa: E402
from .errors import (  # noqa: E402
    ConfigError,
    EndpointError,
    InputError,
    SummarizerError,
    UserError,
    VerificationFailed,
)

__all__ = [
    "ConfigError",
    "EndpointError",
    "InputError",
    "SummarizerError",
    "UserError",
    "VerificationFailed",
    "__version__",
    "summarize",
    "verify",
]
