"""Summarise one article: prompt -> model -> verify -> policy -> record, for any schema.

The public entry points (:func:`summarizer.summarize`, the CLI) build one
:class:`Summarizer` per endpoint and schema, and call it once per article.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, model_validator

from summarizer import __version__
from summarizer.core.bounds import bounded
from summarizer.core.choices import article_choices
from summarizer.core.citing import cited_schema, number_sentences, uncite
from summarizer.core.errors import InputError, Interrupted, InvalidModelOutput, SummarizerError, VerificationFailed
from summarizer.core.kinds import Status
from summarizer.core.narrowing import narrow_schema
from summarizer.core.news import ArticleSummary
from summarizer.core.records import JudgeProvenance, PromptInfo, Provenance, SummaryRecord, resume_key
from summarizer.core.repeats import drop_repeats
from summarizer.core.schema_plan import ModelPlan, compile_schema, schema_info
from summarizer.core.verify.drop import FAILING, drop_unsupported
from summarizer.core.verify.prepared import PreparedArticle
from summarizer.core.verify.walker import Policy, UncertainPolicy, Verification, verify_summary
from summarizer.files.articles import Article
from summarizer.llm.client import LLMClient
from summarizer.llm.exchange import Exchange, last_attempt
from summarizer.llm.prompts import Cite, Prompt, load_prompt

if TYPE_CHECKING:
    from summarizer.engine.server import EmbeddedServer
    from summarizer.llm.judge_client import ArticleJudge, JudgeClient

__all__ = ["Summarizer", "estimate_tokens"]

CHARS_PER_TOKEN = 3.5  # conservative for English BPE vocabularies (Qwen, GPT): ~4.2 measured


def estimate_tokens(text: str) -> int:
    """An upper-leaning token estimate, used to refuse over-long articles before any call."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@cache
def grounded(schema: type[BaseModel], user_schema: type[BaseModel] | None = None) -> type[BaseModel]:
    """``schema`` made to fail validation when the verifier finds unsupported fields.

    instructor's reask loop then sends the verifier's reasons back to the model. Same name and
    JSON Schema title: the request is identical to a ``flag`` run's first request. The check
    runs only when the validation context holds ``article_text`` (and uses its prepared form,
    ``article``, when the context holds it: one preparation for every attempt).

    Args:
        schema: What the model is shown (bounded, maybe citing sentences by number).
        user_schema: The user's schema, when ``schema`` differs from it: answers are turned
            back into it before they are verified.

    Returns:
        A subclass of ``schema`` whose validation raises ``ValueError`` listing up to 12
        failing fields with their reasons (cached per pair of classes).
    """
    plan = compile_schema(user_schema or schema)

    def check(self: BaseModel, info: ValidationInfo) -> BaseModel:
        context = info.context or {}
        text = context.get("article_text")
        if text:
            summary = uncite(self, user_schema, context.get("sentences")) if user_schema else self
            verdicts = verify_summary(summary, context.get("article") or text, plan).verdicts
            # Without a judge in the loop, what the words cannot settle is sent back too.
            failing = [v for v in verdicts if v.status not in (Status.SUPPORTED, Status.UNCHECKED)]
            if failing:
                lines = [f"{v.path} = {v.value!r}: {v.reason or v.status.value}" for v in failing[:12]]
                raise ValueError(
                    "These fields are not supported by the article. Fix them using only the "
                    "article's own words, or remove the list items:\n" + "\n".join(lines)
                )
        return self

    title = schema.model_config.get("title") or schema.__name__
    namespace: dict[str, Any] = {
        "model_config": ConfigDict(title=title),
        "__module__": schema.__module__,
        "__doc__": schema.__doc__,  # the schema's description, as in a flag run's request
        "_grounded": model_validator(mode="after")(check),
    }
    return type(schema.__name__, (schema,), namespace)


class Summarizer:
    """Summarise and verify articles with one client, prompt, schema and policy: the
    :class:`~summarizer.run.article_summarizer.ArticleSummarizer` on one endpoint."""

    server: EmbeddedServer | None

    def __init__(
        self,
        client: LLMClient,
        *,
        prompt: Prompt | None = None,
        policy: Policy | str = Policy.FLAG,
        uncertain_policy: UncertainPolicy | str = UncertainPolicy.FLAG,
        max_reasks: int = 2,
        max_input_tokens: int | None = None,
        schema: type[BaseModel] = ArticleSummary,
        server: EmbeddedServer | None = None,
        judge: JudgeClient | None = None,
    ) -> None:
        """Bind the run's parts; the schema is compiled here, so one it cannot check is refused.

        Args:
            client: The model client for the endpoint.
            prompt: The summarising prompt; default the packaged one.
            policy: What to do with unsupported fields (``flag``, ``drop``, ``reask``, ``fail``).
            uncertain_policy: What to do with uncertain fields (``flag``, ``drop``, ``fail``).
            max_reasks: Reasks allowed under ``reask`` (the README's default, 2).
            max_input_tokens: Longest article accepted, in estimated tokens
                (:func:`estimate_tokens`); ``None`` for no limit.
            schema: The summary schema, whose leaves carry field kinds.
            server: The embedded server the client talks to, if any (kept for its details).
            judge: The model judge for fields word overlap cannot settle; ``None`` for none.

        Raises:
            SchemaError: The schema cannot be verified field by field (as
                :func:`~summarizer.core.schema_plan.compile_schema` raises).
            ValueError: ``policy`` names no :class:`Policy`, or ``uncertain_policy`` no
                :class:`UncertainPolicy`.
        """
        self.client = client
        self.prompt = prompt or load_prompt()
        self.policy = Policy(policy)
        self.uncertain_policy = UncertainPolicy(uncertain_policy)
        self.max_reasks = max_reasks
        self.max_input_tokens = max_input_tokens
        self.schema = schema
        self.plan: ModelPlan = compile_schema(schema)  # refuses a schema it cannot check
        self.shown = bounded(schema)  # default generation bounds where the schema has none
        self.schema_info = schema_info(schema)
        self.server = server
        self.judge = judge

    @property
    def concurrency(self) -> int:
        """Articles in flight by default for this endpoint (see endpoint.default_concurrency)."""
        from summarizer.llm.endpoint import default_concurrency

        return default_concurrency(self.client.endpoint)

    def cancel(self) -> None:
        """Abort every model call in flight (summarising and judging); see LLMClient.cancel."""
        self.client.cancel()
        if self.judge is not None:
            self.judge.client.cancel()

    def key(self, article: Article) -> str:
        """The resume key: a hash of the article, prompt, model, mode and schema (see :func:`resume_key`)."""
        ep = self.client.endpoint
        return resume_key(article.sha256, self.prompt.sha256, ep.model or "", ep.mode.value, self.schema_info.sha256)

    def check_input(self, article: Article) -> None:
        """Refuse an article over the input limit before any model call.

        Args:
            article: The article; its length is estimated in tokens by :func:`estimate_tokens`.

        Raises:
            InputError: The estimate is over ``max_input_tokens``.
        """
        if self.max_input_tokens is not None:
            est = estimate_tokens(article.text)
            if est > self.max_input_tokens:
                raise InputError(
                    article.source or article.id,
                    f"too long: about {est:,} tokens, over the input limit of "
                    f"{self.max_input_tokens:,} (--max-input-tokens); split it "
                    "or use a model with a larger context",
                )

    def __call__(self, article: Article) -> SummaryRecord:
        """Summarise one article, verify the summary, apply the policy and build its record.

        Args:
            article: The article to summarise.

        Returns:
            The record: the summary as JSON data, its verification and its provenance (usage
            in tokens, time in seconds).

        Raises:
            InputError: The article is over the input limit.
            VerificationFailed: Under ``--on-unsupported fail`` some field is unsupported, or
                under ``--on-uncertain fail`` some field is uncertain.
            InvalidModelOutput: The model's answer cannot be used as the schema (the raw
                answer is kept on the error).
            Interrupted: The run was cancelled (:meth:`cancel`).
            SummarizerError: Any other error of the package (``EndpointError`` among them)
                passes through, with the raw answer attached when there was one.
        """
        self.check_input(article)
        item = article.source or article.id
        cites = self.prompt.cite is Cite.SENTENCES
        shown, found = number_sentences(article.text) if cites else (article.text, [])
        asked = cited_schema(self.shown) if cites else self.shown
        messages = self.prompt.messages(shown)
        prepared = PreparedArticle(article.text)  # its views are built once, for every check below
        exchange = self._ask(messages, asked, prepared, found if cites else None, item)
        try:
            return self._finish(article, prepared, exchange, asked, found if cites else None, item)
        except Interrupted:
            raise
        except SummarizerError as e:
            e.raw_answer = e.raw_answer or exchange.raw
            raise
        except Exception as e:  # the answer arrived: whatever fails now, it is kept
            error = InvalidModelOutput(
                f"{item}: the model's answer could not be used as a {self.schema.__name__}: {_describe(e)}"
            )
            error.raw_answer = exchange.raw
            raise error from e

    def _ask(
        self, messages: list[dict[str, str]], asked: type[BaseModel], prepared: PreparedArticle, found: Any, item: str
    ) -> Exchange:
        """The model's answer to ``asked``: once, or under ``reask`` until the verifier is satisfied.

        Returns:
            The exchange; under ``reask``, the last answer when the verifier is never satisfied.

        Raises:
            InvalidModelOutput: No attempt gave an answer that parses as ``asked``.
        """
        # decoding may only write the article's own quotes, dates and figures (core.choices)
        narrowed = narrow_schema(asked.model_json_schema(), self.plan, article_choices(prepared.text))
        if self.policy is not Policy.REASK:
            return self.client.extract(messages, asked, max_reasks=1, item=item, schema=narrowed)
        started = time.perf_counter()
        try:
            return self.client.extract(
                messages,
                grounded(asked, self.schema if asked is not self.schema else None),
                max_reasks=self.max_reasks,
                context={"article_text": prepared.text, "sentences": found, "article": prepared},
                item=item,
                schema=narrowed,
            )
        except InvalidModelOutput as e:
            kept = last_attempt(e, asked, time.perf_counter() - started)
            if kept is None:
                raise
            return kept

    def _finish(
        self,
        article: Article,
        prepared: PreparedArticle,
        exchange: Exchange,
        asked: type[BaseModel],
        found: Any,
        item: str,
    ) -> SummaryRecord:
        answer = exchange.value
        if self.policy is Policy.REASK:
            answer = asked.model_validate(answer.model_dump(), by_name=True, by_alias=False)
        summary = uncite(answer, self.schema, found) if asked is not self.schema else answer
        summary, repeats = drop_repeats(summary, self.plan)
        judge = self.judge.for_article() if self.judge is not None else None
        dropped = FAILING if self.policy is Policy.DROP else frozenset()
        if self.uncertain_policy is UncertainPolicy.DROP:
            dropped |= {Status.UNCERTAIN}
        if dropped:
            summary, verification = drop_unsupported(summary, prepared, judge, dropped)
        else:
            verification = verify_summary(summary, prepared, self.plan, judge)
        failing = [v.path for v in verification.failing()] if self.policy is Policy.FAIL else []
        unsure = self.uncertain_policy is UncertainPolicy.FAIL
        uncertain = [v.path for v in verification.uncertain_verdicts()] if unsure else []
        if failing or uncertain:
            raise VerificationFailed(item, failing, uncertain)
        return self._record(article, summary, verification, exchange, judge, repeats)

    def _judge_provenance(self, judge: ArticleJudge | None) -> JudgeProvenance | None:
        if judge is None:
            return None
        c, t = judge.client, judge.tally
        return JudgeProvenance(
            model=c.model,
            endpoint=c.endpoint,
            prompt=PromptInfo(name=c.prompt.name, version=c.prompt.version, sha256=c.prompt.sha256),
            calls=t.calls,
            cached=t.cached,
            seconds=round(t.seconds, 3),
            usage=t.usage,
        )

    def _record(
        self,
        article: Article,
        summary: BaseModel,
        verification: Verification,
        ex: Exchange,
        judge: ArticleJudge | None,
        repeats: list[str],
    ) -> SummaryRecord:
        ep = self.client.endpoint
        prov = Provenance(
            prompt=PromptInfo(name=self.prompt.name, version=self.prompt.version, sha256=self.prompt.sha256),
            model=ep.model or "",
            endpoint=ep.display_url,
            endpoint_kind=ep.kind.value,
            mode=ep.mode.value,
            usage=ex.usage,
            seconds=round(ex.seconds, 3),
            attempts=ex.attempts,
            transport_retries=ex.transport_retries,
            reask_reasons=ex.errors,
            policy=self.policy.value,
            uncertain_policy=self.uncertain_policy.value,
            finish_reason=ex.finish_reason,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            summarizer_version=__version__,
            judge=self._judge_provenance(judge),
            answer_unwrapped=ex.unwrapped,
            extraction=article.extraction,
            repeats_dropped=repeats,
        )
        return SummaryRecord(
            key=self.key(article),
            article=article,
            summary_schema=self.schema_info,
            summary=summary.model_dump(mode="json"),
            verification=verification,
            provenance=prov,
        )


def _describe(exc: BaseException) -> str:
    """An exception in one line: a validation error's first problem and where it is."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        return f"{first['msg']} at {where}" if where else str(first["msg"])
    return f"{type(exc).__name__}: {exc}"
