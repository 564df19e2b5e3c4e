"""Removing the list items that hold failing (or uncertain) fields: ``drop`` policies. Pure.

The smallest list item holding a leaf is removed whole (an entity with an unsupported role
goes with its name), later indices first; the kept summary is verified again so that its
verdicts' paths index what is printed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from summarizer.core.kinds import Status
from summarizer.core.verify.judge_scoring import Judge
from summarizer.core.verify.prepared import PreparedArticle
from summarizer.core.verify.walker import Verdict, Verification, verify_summary

__all__ = ["FAILING", "drop_unsupported"]


def _item_path(path: str) -> tuple[tuple[str, int], ...] | None:
    """The smallest list item holding a leaf: ``a[1].b[2].c`` -> (("a", 1), ("b", 2))."""
    steps: list[tuple[str, int]] = []
    for part in path.split("."):
        if part.endswith("]") and "[" in part:
            name, idx = part[:-1].split("[")
            steps.append((name, int(idx)))
        else:
            steps.append((part, -1))
    while steps and steps[-1][1] < 0:
        steps.pop()
    return tuple(steps) if steps else None


def _remove(data: Any, item: tuple[tuple[str, int], ...]) -> None:
    node = data
    for name, idx in item[:-1]:
        node = node[name] if idx < 0 else node[name][idx]
    name, idx = item[-1]
    del node[name][idx]


_KEPT = "kept and flagged: not inside a list item, so drop cannot remove it"
FAILING = frozenset({Status.UNSUPPORTED, Status.NOT_FOUND})


def drop_unsupported(
    summary: BaseModel,
    text: str | PreparedArticle,
    judge: Judge | None = None,
    statuses: frozenset[Status] = FAILING,
) -> tuple[BaseModel, Verification]:
    """``--on-unsupported drop`` (and ``--on-uncertain drop``): remove the smallest list item
    holding each leaf whose status is in ``statuses``; such a leaf outside any list stays,
    flagged, and its verdict says so. The kept summary is verified again (paths index what is
    printed); removed items' verdicts stay under ``dropped``. If removing items would break the
    schema (a list's minimum length), nothing is removed and every such leaf is flagged
    instead.

    Args:
        summary: The summary to prune.
        text: The article's text or its prepared form (prepared once for both verifications).
        judge: As for :func:`verify_summary`.
        statuses: The outcomes whose items are removed: ``unsupported`` and ``not_found`` by
            default; add ``uncertain`` for ``--on-uncertain drop``.

    Returns:
        The kept summary, and its verification with the removed items' verdicts under
        ``dropped`` (their original paths).
    """
    text = text if isinstance(text, PreparedArticle) else PreparedArticle(text)
    first = verify_summary(summary, text, judge=judge)
    doomed: set[tuple[tuple[str, int], ...]] = set()
    removed: list[Verdict] = []
    for v in (v for v in first.verdicts if v.status in statuses):
        item = _item_path(v.path)
        if item is not None:
            doomed.add(item)
            removed.append(v)
    kept_summary, note = summary, _KEPT
    if doomed:
        data = summary.model_dump()
        outer = [d for d in doomed if not any(d[:n] in doomed for n in range(1, len(d)))]
        for item in sorted(outer, reverse=True):  # later indices first: earlier ones stay valid
            _remove(data, item)
        try:
            kept_summary = type(summary).model_validate(data, by_name=True, by_alias=False)
        except ValidationError as e:
            kept_summary, removed = summary, []
            note = f"kept and flagged: removing the failing items breaks the schema ({e.errors()[0]['msg']})"
    result = verify_summary(kept_summary, text, judge=judge) if removed else first
    refused = note != _KEPT  # removal broke the schema: every such leaf stays, and says why

    def kept_here(v: Verdict) -> bool:
        return v.status in statuses and (refused or _item_path(v.path) is None)

    verdicts = [
        v.model_copy(update={"reason": f"{v.reason}; {note}" if v.reason else note}) if kept_here(v) else v
        for v in result.verdicts
    ]
    return kept_summary, result.model_copy(update={"verdicts": verdicts, "dropped": removed})
