"""Command line: parse flags, call the API, turn errors into messages and exit codes.

Exit codes: 0 all done, 1 some item failed (each named on stderr; the others still ran),
2 bad usage or configuration, 130 / 143 interrupted by SIGINT / SIGTERM.
"""

from __future__ import annotations

from summarizer.cli import engine, many, single  # noqa: F401  (each module registers its commands on app)
from summarizer.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the command line (the ``summarizer`` console script); exits with the codes above."""
    app()
