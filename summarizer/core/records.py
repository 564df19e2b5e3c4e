"""The output record: one per article, self-contained.

A record carries the article itself (id, title, source, sha256, full text) next to its summary,
the verifier's verdicts and the provenance (prompt, model, endpoint, mode, usage, timing), so
verification, briefings and reports need nothing else. Pure data.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from summarizer.core.errors import InputError
from summarizer.core.news import ArticleSummary
from summarizer.core.schema_plan import SchemaInfo, schema_info
from summarizer.core.verify.walker import Verification
from summarizer.core.wire import undescribed

__all__ = [
    "Article",
    "JudgeProvenance",
    "PromptInfo",
    "Provenance",
    "SchemaInfo",
    "SummaryRecord",
    "TokenUsage",
    "article_from_text",
    "normalise_text",
    "resume_key",
]


def resume_key(article_sha256: str, prompt_sha256: str, model: str, mode: str, schema_sha256: str) -> str:
    """What makes two summaries interchangeable: same text, prompt, model, mode and schema."""
    parts = (article_sha256, prompt_sha256, model, mode, schema_sha256)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


_TITLE_MAX = 200
DEFAULT_SCHEMA_INFO = schema_info(ArticleSummary)  # what records made before schemas were chosen follow


class Article(BaseModel):
    """One article as the tool saw it. ``text`` is what evidence offsets index into."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable id: the file's stem, or 'stdin-' and a hash prefix.")
    title: str | None = None
    source: str | None = Field(default=None, description="Path, '-' for stdin, or a URL.")
    url: str | None = None
    published: str | None = None
    sha256: str = Field(description="sha256 of the UTF-8 text.")
    text: str
    _extraction: str | None = PrivateAttr(default=None)

    @property
    def extraction(self) -> str | None:
        """How the text was taken from a web page (see :class:`Provenance`), else ``None``."""
        return self._extraction


def _looks_like_title(line: str, rest: str) -> bool:
    line = line.strip().lstrip("#").strip()
    return (
        0 < len(line) <= _TITLE_MAX
        and bool(rest.strip())
        and not line.endswith((".", ",", ";", ":"))
        and len(line.split()) <= 25
    )


def article_from_text(
    text: str,
    *,
    id: str,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    extraction: str | None = None,
) -> Article:
    """Normalise newlines (:func:`normalise_text`) and build an :class:`Article`.

    Args:
        text: The article's text.
        id: The article's id.
        source: Where it came from: a path, ``-`` for stdin, or a URL.
        title: The title; ``None`` guesses it from the first line when that looks like one
            (1-200 characters, at most 25 words, no closing punctuation, text after it).
        url: The article's URL, if known.
        published: Its publication date as given, if known.
        extraction: How the text was taken from a web page (it reaches the record's provenance).

    Returns:
        The article, with the SHA-256 of its normalised UTF-8 text; evidence offsets index
        into that text.

    Raises:
        InputError: The text is empty or whitespace.
    """
    text = normalise_text(text)
    if not text.strip():
        raise InputError(source or id, "the article is empty")
    if title is None:
        first, _, rest = text.lstrip().partition("\n")
        if _looks_like_title(first, rest):
            title = first.strip().lstrip("#").strip()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    article = Article(id=id, title=title, source=source, url=url, published=published, sha256=digest, text=text)
    article._extraction = extraction
    return article


def normalise_text(text: str) -> str:
    """Text as an article holds it: LF newlines, no byte-order mark (what offsets index)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


class PromptInfo(BaseModel):
    """Which prompt made a record: its name, version and the sha256 of its file's text (64 hex
    digits). The docstring is kept out of the published record schema."""

    model_config = ConfigDict(json_schema_extra=undescribed)

    name: str
    version: str
    sha256: str


class TokenUsage(BaseModel):
    """Tokens a model counted, over one call or summed over several: ``prompt_tokens`` it
    read, ``completion_tokens`` it wrote, and ``total_tokens``, their sum; ``cached_tokens``:
    how many of the prompt tokens the server took from its prompt cache instead of evaluating
    them (OpenAI's ``usage.prompt_tokens_details.cached_tokens``; 0 when a server does not say,
    and in records written before it was kept). Immutable: build one with :meth:`of` and add
    two with ``+``."""

    model_config = ConfigDict(frozen=True, json_schema_extra=undescribed)

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cached_tokens: int = 0

    @classmethod
    def of(cls, prompt_tokens: int = 0, completion_tokens: int = 0, cached_tokens: int = 0) -> TokenUsage:
        """The usage of ``prompt_tokens`` read (``cached_tokens`` of them from the server's cache)
        and ``completion_tokens`` written.

        Returns:
            The usage, ``total_tokens`` being read and written together.
        """
        total = prompt_tokens + completion_tokens
        return cls(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=total,
            cached_tokens=cached_tokens,
        )

    @property
    def evaluated_tokens(self) -> int:
        """Prompt tokens the model evaluated: those read, less those taken from the cache."""
        return self.prompt_tokens - self.cached_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        """Both usages together."""
        return TokenUsage.of(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cached_tokens + other.cached_tokens,
        )


class JudgeProvenance(BaseModel):
    """The model judge's share of an article's cost, apart from the summarising call."""

    model: str
    endpoint: str = Field(description="Base URL without credentials.")
    prompt: PromptInfo
    calls: int = Field(description="Judge calls made (cached scores excluded).")
    cached: int = Field(description="Statements scored from the judge cache.")
    usage: TokenUsage
    seconds: float


class Provenance(BaseModel):
    """How a record was made: prompt, model, endpoint, mode, tokens, seconds (of the
    summarising call, reasks included), attempts, and the judge's share. The docstring is kept
    out of the published record schema."""

    model_config = ConfigDict(json_schema_extra=undescribed)

    prompt: PromptInfo
    model: str
    endpoint: str = Field(description="Base URL without credentials, or 'embedded'.")
    endpoint_kind: str
    mode: str = Field(description="instructor mode: json, tools, json_schema or md_json.")
    usage: TokenUsage = Field(description="Summed over every attempt, reasks included.")
    seconds: float
    attempts: int = Field(description="Model calls that returned an answer (1 + reasks).")
    transport_retries: int
    reask_reasons: list[str] = Field(default_factory=list)
    policy: str = Field(description="--on-unsupported policy applied.")
    uncertain_policy: str = Field(default="flag", description="--on-uncertain policy applied.")
    finish_reason: str | None = None
    created_at: str
    summarizer_version: str
    judge: JudgeProvenance | None = Field(default=None, description="Set when a model judge ran.")
    answer_unwrapped: list[str] = Field(
        default_factory=list,
        description="What was removed from the answer before it was parsed: a reasoning "
        "preamble (<think>...</think>), a Markdown code fence.",
    )
    extraction: str | None = Field(
        default=None,
        description="How the article's text was taken from a web page: 'trafilatura precision' "
        "or 'trafilatura recall', with ', boilerplate removed' when lines were stripped after; "
        "null for text inputs.",
    )
    repeats_dropped: list[str] = Field(
        default_factory=list,
        description="List items of the answer dropped before verification because they repeat an "
        "earlier item of the same list (the same name, or the same content but evidence), by "
        "their paths in the answer as the model wrote it.",
    )


class SummaryRecord(BaseModel):
    """One line of ``summarize`` output."""

    key: str = Field(description="Resume key: sha256 of the article, prompt and schema sha256s, model and mode.")
    article: Article
    summary_schema: SchemaInfo = Field(
        default_factory=lambda: DEFAULT_SCHEMA_INFO, description="The schema the summary follows."
    )
    summary: dict[str, Any] = Field(description="The summary, as the schema's JSON.")
    verification: Verification
    provenance: Provenance
    duplicate_of: str | None = Field(
        default=None,
        description="Set when the same text was summarised "
        "under another article id: that id (this record copies it, no model call).",
    )
