"""The Typer application and the one way the CLI writes to the terminal.

Everything the CLI prints goes through :func:`say` (stderr) or :func:`show` (stdout). Both
print rich ``Text`` objects, never markup strings, so user and server text (an article's
source, a file name like ``[/foo].txt``, an error body) is printed as it is; control
characters are shown escaped, so an ANSI sequence in an article cannot drive the terminal.
"""

from __future__ import annotations

import re
import signal
from types import FrameType

import typer
from rich.console import Console, RenderableType
from rich.text import Text

from summarizer.core.redact import redact
from summarizer.llm import silence_attempt_logs

__all__ = ["app", "install_sigterm_handler", "printable", "say", "show", "stderr_console"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Structured, verified summaries of news articles.",
)
stderr_console = Console(stderr=True, highlight=False, markup=False, emoji=False)
_stdout = Console(highlight=False, markup=False, emoji=False)
silence_attempt_logs()  # the CLI reports failures itself, once, per item

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters (ANSI escapes among them) shown as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def say(message: str, *, error: bool = False, style: str | None = None) -> None:
    """One line (or more) on stderr; ``error`` prefixes it with a red ``error:``."""
    body = Text(printable(redact(message)), style=style or "")
    stderr_console.print(Text.assemble(("error: ", "red"), body) if error else body, soft_wrap=True)


def show(renderable: RenderableType) -> None:
    """A rendered record on stdout (built from Text objects by :mod:`summarizer.views.terminal`)."""
    _stdout.print(renderable)


def install_sigterm_handler() -> None:
    """Turn SIGTERM into SystemExit so context managers (the server's) unwind."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
