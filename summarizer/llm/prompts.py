"""Versioned prompt templates, read from ``prompts/*.toml``.

A summarize template has a ``name``, a ``version``, a static ``system`` part and a ``user``
part that ends with one ``{article}`` slot inside ``<article>`` tags, so that a server's prefix
cache reuses the static part across articles. The judge template holds only a ``user`` part,
the question, with one ``{statement}`` slot: it is sent after the summarising call's own
messages for the same article (:class:`summarizer.llm.judge_client.JudgeClient`), so the
judge reuses the cache of that call. Its ``sha256`` (of the file's bytes) is recorded with
every output, so a summary always says which exact prompt made it.
"""

from __future__ import annotations

import hashlib
import string
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from summarizer.core.errors import ConfigError

__all__ = ["ARTICLE_CLOSE", "ARTICLE_OPEN", "Cite", "Prompt", "load_prompt", "prompts_dir"]

ARTICLE_OPEN = "<article>\n"
ARTICLE_CLOSE = "\n</article>"


def prompts_dir() -> Path:
    """``summarizer/_data/prompts`` in an installed wheel, else the repository's ``prompts/``."""
    packaged = Path(__file__).resolve().parent.parent / "_data" / "prompts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "prompts"


class Cite(StrEnum):
    """How a summarize prompt asks for evidence: copied quotes, or numbers of sentences."""

    QUOTES = "quotes"
    SENTENCES = "sentences"


@dataclass(frozen=True)
class Prompt:
    """One prompt template as loaded: ``system`` and ``user`` texts, ``name`` and ``version`` as
    the file gives them, ``sha256`` (hex) of the file's bytes, and how it asks for evidence."""

    name: str
    version: str
    system: str
    user: str
    sha256: str
    cite: Cite = Cite.QUOTES

    def messages(self, article_text: str) -> list[dict[str, str]]:
        """The chat messages of a summarize template for one article.

        Args:
            article_text: Fills the ``{article}`` slot: the article, its numbered sentences,
                or passages of it.

        Returns:
            A system message and a user message, as OpenAI's chat API takes them.
        """
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.user.format(article=article_text)},
        ]

    def question(self, statement: str) -> dict[str, str]:
        """The judge template's user message about ``statement``."""
        return {"role": "user", "content": self.user.format(statement=statement)}


SLOTS = {"judge": frozenset({"statement"})}


def load_prompt(name: str = "summarize", directory: Path | None = None) -> Prompt:
    """Load and check the template ``NAME.toml``.

    Args:
        name: ``summarize`` or ``judge`` (another name needs only the ``{article}`` slot).
        directory: Where the templates are; :func:`prompts_dir` by default.

    Returns:
        The template, with the sha256 of the file's bytes.

    Raises:
        ConfigError: The file is missing, not UTF-8 TOML, lacks a string ``name``,
            ``version``, ``user`` or (but for the judge) ``system``; the judge's ``user`` holds
            other slots than one ``{statement}``; another template's ``user`` does not end
            with its one ``{article}`` slot inside the article block; or ``cite`` is unknown.
    """
    path = (directory or prompts_dir()) / f"{name}.toml"
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"prompt {name!r} not found at {path}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"prompt file {path} is not valid TOML: {e}") from e
    needed = ("name", "version", "user") if name == "judge" else ("name", "version", "system", "user")
    missing = [k for k in needed if not isinstance(data.get(k), str)]
    if missing:
        raise ConfigError(f"prompt file {path} lacks string field(s): {', '.join(missing)}")
    user = data["user"]
    found = [f for _, f, _, _ in string.Formatter().parse(user) if f is not None]
    if name in SLOTS:
        if sorted(found) != sorted(SLOTS[name]):
            raise ConfigError(f"prompt file {path}: 'user' must hold one {{statement}} slot and no other")
    elif found != ["article"] or not user.rstrip().endswith(ARTICLE_OPEN + "{article}" + ARTICLE_CLOSE):
        raise ConfigError(
            f"prompt file {path}: 'user' must hold one {{article}} slot inside "
            f"{ARTICLE_OPEN.strip()}...{ARTICLE_CLOSE.strip()}, at its end, and no other slot"
        )
    try:
        cite = Cite(data.get("cite", Cite.QUOTES.value))
    except ValueError as e:
        raise ConfigError(f"prompt file {path}: cite must be one of " + ", ".join(c.value for c in Cite)) from e
    system = data.get("system", "")
    return Prompt(data["name"], data["version"], system, user, hashlib.sha256(raw).hexdigest(), cite)
