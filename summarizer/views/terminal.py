"""A readable terminal view of one record, for any schema (used when stdout is a terminal).

Built from the verdicts alone: one line per item (a list element or a nested model), its
leaves' values joined in check order (a judged leaf with its lexical and judge scores), marked
by the item's worst verdict, with the reason of each failing leaf (red) and each uncertain one
(yellow); unchecked leaves are shown dimmed and marked as such. Returns a renderable; the CLI prints it.
"""

from __future__ import annotations

from rich.panel import Panel
from rich.text import Text

from summarizer.core.kinds import Status
from summarizer.core.records import SummaryRecord
from summarizer.core.verify.walker import Verdict

__all__ = ["item_of", "render_record"]

_MARK = {
    Status.SUPPORTED: ("✓", "green"),
    Status.UNSUPPORTED: ("✗", "red"),
    Status.NOT_FOUND: ("?", "red"),
    Status.UNCERTAIN: ("~", "yellow"),
    Status.UNCHECKED: ("·", "dim"),
}
_RANK = {Status.NOT_FOUND: 0, Status.UNSUPPORTED: 1, Status.UNCERTAIN: 2, Status.SUPPORTED: 3, Status.UNCHECKED: 4}


def item_of(path: str) -> str:
    """The item a leaf belongs to: ``entities[1].role`` -> ``entities[1]``; ``docket`` -> ``docket``."""
    return path.rsplit(".", 1)[0] if "." in path else path


def render_record(record: SummaryRecord) -> Panel:
    """The terminal view of one record (see the module docstring).

    Returns:
        A rich panel titled with the article's title (else its id): one line per item, then
        the source, schema, grounding rate and verdict counts, model, tokens (prompt +
        completion) and seconds.
    """
    v = record.verification
    items: dict[str, list[Verdict]] = {}
    for verdict in v.verdicts:
        items.setdefault(item_of(verdict.path), []).append(verdict)
    body = Text()
    for item, verdicts in items.items():
        worst = min(verdicts, key=lambda x: _RANK[x.status])
        mark, colour = _MARK[worst.status]
        body.append(f"{mark} ", style=colour)
        body.append(f"{item}: ", style="bold")
        for i, leaf in enumerate(verdicts):
            body.append(" · " if i else "")
            body.append(leaf.value, style="dim" if leaf.status is Status.UNCHECKED else "")
            if leaf.judge_score is not None:  # both scores of a judged leaf
                body.append(f" (lexical {leaf.lexical_score or 0:.2f}, judge {leaf.judge_score:.2f})", style="dim")
        for leaf in verdicts:
            if leaf.status in (Status.UNSUPPORTED, Status.NOT_FOUND, Status.UNCERTAIN):
                field = leaf.path.rsplit(".", 1)[-1]
                colour = "yellow" if leaf.status is Status.UNCERTAIN else "red"
                body.append(f"  [{field}: {leaf.status.value}: {leaf.reason or leaf.status.value}]", style=colour)
            elif leaf.status is Status.UNCHECKED:
                body.append(f"  [{leaf.path.rsplit('.', 1)[-1]}: unchecked]", style="dim")
        body.append("\n")
    p = record.provenance
    body.append(
        f"{record.article.source or record.article.id} · {record.summary_schema.name} · "
        f"grounding {v.grounding_rate:.0%} ({v.supported} supported, {v.uncertain} uncertain, "
        f"{v.unsupported} unsupported, {v.not_found} not found, {v.unchecked} unchecked) · {p.model} · "
        f"{p.usage.prompt_tokens}+{p.usage.completion_tokens} tokens · {p.seconds:.1f} s",
        style="dim",
    )
    title = record.article.title or record.article.id
    return Panel(body, title=Text(title))
