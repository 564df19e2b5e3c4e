"""Versioned prompt templates, read from ``prompts/*.toml``.

A template has a ``name``, a ``version``, a static ``system`` part and a ``user`` part with
one ``{article}`` slot inside ``<article>`` tags, before any other slot (the judge's
``{statement}``), so that a server's prefix cache reuses everything up to the article, and
the article itself across calls about it. Its ``sha256`` (of the file's bytes) is recorded with
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

    def messages(self, article_text: str, **slots: str) -> list[dict[str, str]]:
        """The chat messages for one call.

        Args:
            article_text: Fills the ``{article}`` slot: the article, its numbered sentences,
                or the judge's context.
            **slots: The template's other slots (the judge's ``statement``).

        Returns:
            A system message and a user message, as OpenAI's chat API takes them.
        """
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.user.format(article=article_text, **slots)},
        ]


SLOTS = {"summarize": frozenset({"article"}), "judge": frozenset({"article", "statement"})}


def load_prompt(name: str = "summarize", directory: Path | None = None) -> Prompt:
    """Load and check the template ``NAME.toml``.

    Args:
        name: ``summarize`` or ``judge`` (another name needs only the ``{article}`` slot).
        directory: Where the templates are; :func:`prompts_dir` by default.

    Returns:
        The template, with the sha256 of the file's bytes.

    Raises:
        ConfigError: The file is missing, not UTF-8 TOML, lacks a string ``name``,
            ``version``, ``system`` or ``user``, holds other slots than its name needs, puts
            one before the article block (or, in a summarize prompt, anything after it), or
            gives an unknown ``cite``.
    """
    path = (directory or prompts_dir()) / f"{name}.toml"
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"prompt {name!r} not found at {path}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"prompt file {path} is not valid TOML: {e}") from e
    missing = [k for k in ("name", "version", "system", "user") if not isinstance(data.get(k), str)]
    if missing:
        raise ConfigError(f"prompt file {path} lacks string field(s): {', '.join(missing)}")
    user = data["user"]
    wanted = SLOTS.get(name, frozenset({"article"}))
    found = {f for _, f, _, _ in string.Formatter().parse(user) if f}
    block = ARTICLE_OPEN + "{article}" + ARTICLE_CLOSE
    if (
        user.count("{article}") != 1
        or block not in user
        or found != wanted
        or any(user.index("{" + f + "}") < user.index(block) for f in wanted - {"article"})
    ):
        raise ConfigError(
            f"prompt file {path}: 'user' must hold one {{article}} slot inside "
            f"{ARTICLE_OPEN.strip()}...{ARTICLE_CLOSE.strip()} and the slots "
            f"{', '.join(sorted(wanted))}, the article before the others"
        )
    if name == "summarize" and not user.rstrip().endswith(ARTICLE_CLOSE.strip()):
        raise ConfigError(f"prompt file {path}: the article comes last in a summarize prompt")
    try:
        cite = Cite(data.get("cite", Cite.QUOTES.value))
    except ValueError as e:
        raise ConfigError(f"prompt file {path}: cite must be one of " + ", ".join(c.value for c in Cite)) from e
    return Prompt(data["name"], data["version"], data["system"], user, hashlib.sha256(raw).hexdigest(), cite)
