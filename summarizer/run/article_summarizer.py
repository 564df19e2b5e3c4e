"""What summarises one article: the protocol the batch, the Ray stage and the CLI call.

:class:`~summarizer.run.pipeline.Summarizer` implements it on one endpoint and
:class:`~summarizer.run.balance.Balanced` on several replicas of one model;
:func:`summarizer.run.api.open_summarizer` yields whichever the options ask for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pydantic import BaseModel

from summarizer.core.records import Article, SummaryRecord

if TYPE_CHECKING:
    from summarizer.engine.server import EmbeddedServer
    from summarizer.llm.client import LLMClient

__all__ = ["ArticleSummarizer"]


@runtime_checkable
class ArticleSummarizer(Protocol):
    """Summarises and verifies one article per call, from any number of threads at once.

    ``client`` is the (first) summarising client, whose endpoint gives the run's defaults
    (model, mode, slots); ``server`` the embedded server it started, if any; ``schema`` the
    user's summary schema the records follow.
    """

    client: LLMClient
    server: EmbeddedServer | None
    schema: type[BaseModel]

    @property
    def concurrency(self) -> int:
        """How many articles to have in flight by default (the endpoints' slots, added up)."""
        ...

    def key(self, article: Article) -> str:
        """The article's resume key: a sha256 hex digest of its text, prompt, model, mode and schema."""
        ...

    def check_input(self, article: Article) -> None:
        """Refuse an article before any call.

        Raises:
            InputError: the article is longer than the input limit (in estimated tokens).
        """
        ...

    def cancel(self) -> None:
        """Abort every model call in flight and refuse new ones (Ctrl-C, SIGTERM)."""
        ...

    def __call__(self, article: Article) -> SummaryRecord:
        """The article's verified record.

        Raises:
            SummarizerError: the article could not be summarised (an endpoint, input or
                model-output error, or ``VerificationFailed`` under a ``fail`` policy for unsupported
                or uncertain fields).
        """
        ...
