"""A readable terminal rendering of one record (used when stdout is a terminal)."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from .checks import Status
from .records import SummaryRecord

__all__ = ["render_record"]

_MARK = {Status.SUPPORTED: ("✓", "green"), Status.UNSUPPORTED: ("✗", "red"), Status.NOT_FOUND: ("?", "red")}


def render_record(record: SummaryRecord, console: Console) -> None:
    v = record.verification
    by_path = {x.path: x for x in v.verdicts}
    body = Text()

    def line(label: str, value: str, path: str | None) -> None:
        verdict = by_path.get(path) if path else None
        mark, colour = _MARK[verdict.status] if verdict else (" ", "white")
        body.append(f"{mark} ", style=colour)
        body.append(f"{label}: ", style="bold")
        body.append(value)
        if verdict and verdict.status is not Status.SUPPORTED and verdict.reason:
            body.append(f"  [{verdict.reason}]", style="red")
        body.append("\n")

    s = record.summary
    line("summary", s.summary.text, "summary.text")
    for i, kp in enumerate(s.key_points):
        line("point", kp.text, f"key_points[{i}].text")
    for i, e in enumerate(s.entities):
        line(e.kind, f"{e.name}" + (f" ({e.role})" if e.role else ""), f"entities[{i}].name")
    for i, p in enumerate(s.places):
        line("place", p.name, f"places[{i}].name")
    for i, d in enumerate(s.dates):
        line("date", f"{d.when}: {d.event}", f"dates[{i}].when")
    for i, f in enumerate(s.figures):
        line("figure", f"{f.value} {f.unit or ''} ({f.counts})", f"figures[{i}].value")
    for i, q in enumerate(s.quotes):
        line("quote", f"{q.speaker}: \u201c{q.text}\u201d", f"quotes[{i}].text")
    p = record.provenance
    footer = (f"{record.article.source or record.article.id} · grounding {v.grounding_rate:.0%} "
              f"({v.supported} supported, {v.unsupported} unsupported, {v.not_found} not found) · "
              f"{p.model} · {p.usage.prompt_tokens}+{p.usage.completion_tokens} tokens · {p.seconds:.1f} s")
    console.print(Panel(body, title=s.headline.text, subtitle=footer, subtitle_align="left"))
