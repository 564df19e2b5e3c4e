"""A long batch must not create a pydantic class per article (it is never freed)."""

from __future__ import annotations

import gc

from instructor.v2.core.response_model import prepare_response_model
from pydantic import create_model

from summarizer.core.news import _SCHEMA_TEXT, ArticleSummary
from summarizer.llm.client import _wrapped
from summarizer.run.pipeline import grounded

GroundedSummary = grounded(ArticleSummary)


def test_response_models_are_wrapped_once_and_used_as_is_by_instructor() -> None:
    for model in (ArticleSummary, GroundedSummary):
        wrapped = _wrapped(model)
        assert _wrapped(model) is wrapped
        assert issubclass(wrapped, model)
        assert prepare_response_model(wrapped) is wrapped  # no new class per call
        assert wrapped.model_json_schema() == model.model_json_schema()  # same request body


def test_schema_cache_lets_run_time_classes_go() -> None:
    ArticleSummary.model_json_schema()
    gc.collect()
    before = len(_SCHEMA_TEXT)
    for i in range(20):
        create_model(f"Made{i}", __base__=ArticleSummary).model_json_schema()
    gc.collect()
    assert len(_SCHEMA_TEXT) == before
