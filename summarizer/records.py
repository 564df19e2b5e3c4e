"""The output record: one per article, self-contained.

A record carries the article itself (id, title, source, sha256, full text) next to its summary,
the verifier's verdicts and the provenance (prompt, model, endpoint, mode, usage, timing), so
verification, briefings and reports need nothing else. Pure data.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, Field

from .articles import Article
from .schema import ArticleSummary
from .verify import Verification

__all__ = ["PromptInfo", "Provenance", "SummaryRecord", "TokenUsage", "resume_key"]


def resume_key(article_sha256: str, prompt_sha256: str, model: str, mode: str) -> str:
    """What makes two summaries interchangeable: same text, same prompt, same model and mode."""
    return hashlib.sha256(f"{article_sha256}\n{prompt_sha256}\n{model}\n{mode}".encode()).hexdigest()


class PromptInfo(BaseModel):
    name: str
    version: str
    sha256: str


class TokenUsage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class Provenance(BaseModel):
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
    finish_reason: str | None = None
    created_at: str
    summarizer_version: str


class SummaryRecord(BaseModel):
    """One line of ``summarize`` output."""

    key: str = Field(description="Resume key: sha256 of article sha256, prompt sha256, model, mode.")
    article: Article
    summary: ArticleSummary
    verification: Verification
    provenance: Provenance
