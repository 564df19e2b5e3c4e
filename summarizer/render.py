"""A readable terminal rendering of one record (used when stdout is a terminal)."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from .checks import Status
from .records import SummaryRecord
from .verify import Verdict

__all__ = ["render_record"]

_MARK = {Status.SUPPORTED: ("✓", "green"), Status.UNSUPPORTED: ("✗", "red"), Status.NOT_FOUND: ("?", "red")}


def _worst(verdicts: list[Verdict]) -> Verdict | None:
    failing = [v for v in verdicts if v.status is not Status.SUPPORTED]
    return failing[0] if failing else (verdicts[0] if verdicts else None)


def render_record(record: SummaryRecord, console: Console) -> None:
    v = record.verification
    body = Text()

    def item(prefix: str) -> Verdict | None:
        return _worst([x for x in v.verdicts if x.path.startswith(prefix + ".")])

    def line(label: str, value: str, prefix: str) -> None:
        verdict = item(prefix)
        mark, colour = _MARK[verdict.status] if verdict else (" ", "white")
        body.append(f"{mark} ", style=colour)
        body.append(f"{label}: ", style="bold")
        body.append(value)
        if verdict and verdict.status is not Status.SUPPORTED:
            body.append(f"  [{verdict.path.split('.')[-1]}: {verdict.reason or verdict.status.value}]", style="red")
        body.append("\n")

    s = record.summary
    line("summary", s.summary.text, "summary")
    for i, kp in enumerate(s.key_points):
        line("point", kp.text, f"key_points[{i}]")
    for i, e in enumerate(s.entities):
        line(e.kind, e.name + (f" ({e.role})" if e.role else ""), f"entities[{i}]")
    for i, p in enumerate(s.places):
        line("place", p.name, f"places[{i}]")
    for i, d in enumerate(s.dates):
        line("date", f"{d.when}: {d.event}", f"dates[{i}]")
    for i, f in enumerate(s.figures):
        line("figure", f"{f.value} {f.unit or ''} ({f.counts})", f"figures[{i}]")
    for i, q in enumerate(s.quotes):
        line("quote", f"{q.speaker}: \u201c{q.text}\u201d", f"quotes[{i}]")
    p = record.provenance
    body.append(f"{record.article.source or record.article.id} · grounding {v.grounding_rate:.0%} "
                f"({v.supported} supported, {v.unsupported} unsupported, {v.not_found} not found) · "
                f"{p.model} · {p.usage.prompt_tokens}+{p.usage.completion_tokens} tokens · {p.seconds:.1f} s",
                style="dim")
    head = item("headline")
    mark, colour = _MARK[head.status] if head else (" ", "white")
    console.print(Panel(body, title=Text(f"{mark} {s.headline.text}", style=colour)))
