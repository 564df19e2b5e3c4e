"""Starting the processes tests signal: with SIGINT's default disposition, however the suite runs.

A background job (``pytest &`` in a script, ``nohup``, some CI runners) starts with SIGINT
ignored; a child inherits that, and Python then keeps SIGINT ignored instead of raising
KeyboardInterrupt, so a test that sends SIGINT would wait in vain. Children started through
:func:`popen` get SIGINT's default back before they run, so the CLI's Ctrl-C handling is what
the test sees.
"""

from __future__ import annotations

import signal
import subprocess
from typing import Any

__all__ = ["default_sigint", "popen"]


def default_sigint() -> None:
    """Run in the child before exec: SIGINT back to its default disposition."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def popen(args: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
    """``subprocess.Popen`` with SIGINT's default disposition restored in the child."""
    return subprocess.Popen(args, preexec_fn=default_sigint, **kwargs)
