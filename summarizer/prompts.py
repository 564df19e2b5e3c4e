"""Versioned prompt templates, read from ``prompts/*.toml``.

A template has a ``name``, a ``version``, a static ``system`` part and a ``user`` part with
one ``{article}`` slot, placed last so that a server's prefix cache reuses everything before
it. Its ``sha256`` (of the file's bytes) is recorded with every output, so a summary always
says which exact prompt made it.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

__all__ = ["ARTICLE_CLOSE", "ARTICLE_OPEN", "Prompt", "load_prompt", "prompts_dir"]

ARTICLE_OPEN = "<article>\n"
ARTICLE_CLOSE = "\n</article>"


def prompts_dir() -> Path:
    """``summarizer/_data/prompts`` in an installed wheel, else the repository's ``prompts/``."""
    packaged = Path(__file__).parent / "_data" / "prompts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "prompts"


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: str
    user: str
    sha256: str

    def messages(self, article_text: str) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.user.format(article=article_text)},
        ]


def load_prompt(name: str = "summarize", directory: Path | None = None) -> Prompt:
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
    if user.count("{article}") != 1 or not user.rstrip().endswith(ARTICLE_CLOSE.strip()):
        raise ConfigError(
            f"prompt file {path}: 'user' must hold one {{article}} slot inside "
            f"{ARTICLE_OPEN.strip()}...{ARTICLE_CLOSE.strip()}, at the end"
        )
    return Prompt(data["name"], data["version"], data["system"], user, hashlib.sha256(raw).hexdigest())
