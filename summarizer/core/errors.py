"""One error tree for the whole tool.

    SummarizerError
    ├── UserError                 the caller's mistake: fix the input or the configuration
    │   ├── InputError            an article that cannot be read or is unusable (names the item)
    │   └── ConfigError           flags / environment that do not make sense together
    ├── EndpointError             the model endpoint failed us
    │   ├── EndpointUnavailable   unreachable, refused, timed out after transport retries
    │   ├── OutputTruncated       the answer hit the output limit (``finish_reason == "length"``)
    │   ├── InvalidModelOutput    the answer never validated, even after reasks
    │   └── LocalServerError      the embedded server (llama-server) could not start or died
    ├── VerificationFailed        ``--on-unsupported fail`` / ``--on-uncertain fail``: unsupported / uncertain fields
    └── Interrupted               Ctrl-C or SIGTERM stopped the run before the item finished

Every message names the item (file, field, URL) and, where there is one, the fix.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "EndpointError",
    "EndpointUnavailable",
    "InputError",
    "Interrupted",
    "InvalidModelOutput",
    "LocalServerError",
    "OutputTruncated",
    "SummarizerError",
    "UserError",
    "VerificationFailed",
]


class SummarizerError(Exception):
    """Root of every error this package raises on purpose.

    ``attempts`` and ``transport_retries`` are set on errors of model calls: how many calls
    got an answer, and how many transport failures were retried (errors.jsonl records them).
    ``raw_answer`` is set on any failure after a model answered: the last answer as the
    endpoint sent it, so that no answer is lost (``errors.jsonl`` keeps it; ``summarize``
    writes it to a file and names the file).
    """

    attempts: int | None = None
    transport_retries: int | None = None
    raw_answer: str | None = None


class UserError(SummarizerError):
    """The caller can fix this: bad input or bad configuration."""


class InputError(UserError):
    """An input item is unusable. ``item`` names it (path, ``<stdin>``, line number)."""

    def __init__(self, item: str, reason: str) -> None:
        """The message is ``"ITEM: REASON"``.

        Args:
            item: What is unusable: a path, ``<stdin>``, ``file:line``, a URL.
            reason: Why, and where there is one, the fix.
        """
        self.item = item
        self.reason = reason
        super().__init__(f"{item}: {reason}")


class ConfigError(UserError):
    """Flags or environment variables that cannot work."""


class EndpointError(SummarizerError):
    """The model endpoint did not give a usable answer."""


class EndpointUnavailable(EndpointError):
    """Could not reach the endpoint, or it kept failing after transport retries."""


class OutputTruncated(EndpointError):
    """The model stopped at the output token limit before finishing the JSON."""


class InvalidModelOutput(EndpointError):
    """The model's answers never validated against the schema."""


class LocalServerError(EndpointError):
    """The embedded server (llama-server, or llama-cpp-python's) failed to start, answer or stay alive."""


class Interrupted(SummarizerError):
    """Ctrl-C or SIGTERM stopped the run; the item was not finished (it is no failure: a
    re-run does it)."""


class VerificationFailed(SummarizerError):
    """Raised under ``--on-unsupported fail`` when a summary has unsupported fields, and under
    ``--on-uncertain fail`` when it has uncertain ones."""

    def __init__(self, item: str, paths: list[str], uncertain: list[str] | None = None) -> None:
        """The message names the item, the number of fields of each outcome and the first five paths.

        Args:
            item: The article (its source or id).
            paths: Field paths of the failing leaves (unsupported or not found, such as
                ``key_points[2].text``), in verdict order; empty when only uncertain ones fail.
            uncertain: Field paths of the uncertain leaves that fail under ``--on-uncertain fail``.
        """
        self.item = item
        self.paths = paths
        self.uncertain = uncertain or []
        every = paths + self.uncertain
        shown = ", ".join(every[:5]) + (" ..." if len(every) > 5 else "")
        counts = [f"{len(paths)} unsupported"] if paths else []
        counts += [f"{len(self.uncertain)} uncertain"] if self.uncertain else []
        super().__init__(f"{item}: {' and '.join(counts) or '0 unsupported'} field(s): {shown}")
