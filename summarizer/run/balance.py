"""Several endpoints serving the same model, used as one: ``--base-url`` given more than once.

Each article goes to the endpoint with the fewest calls in flight (ties to the first), so a
slow or busy endpoint gets less work. The endpoints must serve the same model name in the
same mode: the resume key names the model, and a record must not depend on which replica
made it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from summarizer.core.errors import ConfigError
from summarizer.core.records import SummaryRecord
from summarizer.files.articles import Article
from summarizer.run.pipeline import Summarizer

__all__ = ["Balanced"]


class Balanced:
    """An :class:`~summarizer.run.article_summarizer.ArticleSummarizer` over several
    :class:`Summarizer` replicas: each article goes to the one with the fewest in flight."""

    def __init__(self, members: Sequence[Summarizer]) -> None:
        """Use ``members`` (at least one, all serving one model in one mode).

        Raises:
            ConfigError: no members, or two serve different models or modes.
        """
        if not members:
            raise ConfigError("no endpoint to summarise with")
        first = members[0].client.endpoint
        for m in members[1:]:
            ep = m.client.endpoint
            if (ep.model, ep.mode) != (first.model, first.mode):
                raise ConfigError(
                    f"--base-url {ep.display_url} serves {ep.model} ({ep.mode.value}) but "
                    f"{first.display_url} serves {first.model} ({first.mode.value}); "
                    "replicas must serve the same model: pass --model"
                )
        self.members = list(members)
        self.busy = [0] * len(members)
        self._lock = threading.Lock()
        self.client = members[0].client  # for the endpoint's defaults (concurrency, model)
        self.server = members[0].server
        self.judge = members[0].judge
        self.schema = members[0].schema

    @property
    def concurrency(self) -> int:
        """Calls in flight by default: each endpoint's own default, added up."""
        from summarizer.llm.endpoint import default_concurrency

        return sum(default_concurrency(m.client.endpoint) for m in self.members)

    def key(self, article: Article) -> str:
        """The resume key, the same on every replica (they serve one model in one mode)."""
        return self.members[0].key(article)

    def check_input(self, article: Article) -> None:
        """Refuse an article over the input limit, as the first replica's :meth:`Summarizer.check_input` does.

        Args:
            article: The article to check.
        """
        self.members[0].check_input(article)

    def cancel(self) -> None:
        """Abort every model call in flight on every replica."""
        for m in self.members:
            m.cancel()

    def __call__(self, article: Article) -> SummaryRecord:
        """Summarise one article on the replica with the fewest calls in flight (ties to the first).

        Args:
            article: The article to summarise.

        Returns:
            The record, as :meth:`Summarizer.__call__` returns it (and with its errors).
        """
        with self._lock:
            i = min(range(len(self.members)), key=self.busy.__getitem__)
            self.busy[i] += 1
        try:
            return self.members[i](article)
        finally:
            with self._lock:
                self.busy[i] -= 1
