"""summarizer: structured, verified summaries of news articles, for any Pydantic schema.

Public API::

    from summarizer import open_summarizer, summarize, verify
    record = summarize("article text ...", base_url="http://127.0.0.1:8080/v1")
    verification = verify(record.summary, record.article.text)

Field kinds for your own schemas are in :mod:`summarizer.kinds`.
"""

from __future__ import annotations

__version__ = "0.2.0"

from summarizer import kinds
from summarizer.core.errors import (
    ConfigError,
    EndpointError,
    InputError,
    SummarizerError,
    UserError,
    VerificationFailed,
)
from summarizer.core.kinds import Kind, Status
from summarizer.core.news import ArticleSummary
from summarizer.core.records import Article, SummaryRecord, article_from_text
from summarizer.core.schema_plan import SchemaError, compile_schema
from summarizer.core.verify.walker import Policy, UncertainPolicy, Verdict, Verification
from summarizer.run.api import open_summarizer, summarize, verify
from summarizer.run.settings import Settings

__all__ = [
    "Article",
    "ArticleSummary",
    "ConfigError",
    "EndpointError",
    "InputError",
    "Kind",
    "Policy",
    "SchemaError",
    "Settings",
    "Status",
    "SummarizerError",
    "SummaryRecord",
    "UncertainPolicy",
    "UserError",
    "Verdict",
    "Verification",
    "VerificationFailed",
    "__version__",
    "article_from_text",
    "compile_schema",
    "kinds",
    "open_summarizer",
    "summarize",
    "verify",
]
