"""HTML report: each article with its evidence highlighted and linked to the fields, unsupported
fields in red, uncertain ones amber, unchecked ones grey and marked, and each story's conflicts side by side. It is
built from the verdicts, so it renders summaries of any schema.

All article text and model output is escaped: an article holding ``<script>`` stays inert.
"""

from __future__ import annotations

from html import escape
from itertools import pairwise

from summarizer.core.briefing import Briefing
from summarizer.core.kinds import Status
from summarizer.core.records import SummaryRecord

__all__ = ["render_html"]

CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222}
mark.ok{background:#fff176;color:#222}
mark.bad{background:#ff5252;color:#fff}
mark.unsure{background:#ffb74d;color:#222}
li.bad,span.bad{color:#c62828}
li.unchecked{color:#777}
li.uncertain{color:#a15c00}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.pair div{border:1px solid #ddd;padding:.5rem}
pre.article{white-space:pre-wrap;font:inherit;border-left:3px solid #ccc;padding-left:1rem}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
"""


def _anchor(article_id: str, path: str) -> str:
    return escape(f"f-{article_id}-{path}".replace("[", "_").replace("]", "_").replace(".", "-"), quote=True)


def _highlight(record: SummaryRecord) -> str:
    text = record.article.text
    marks: list[tuple[int, int, int, str]] = []  # start, end, how bad (0 ok, 1 uncertain, 2 failing), path
    for v in record.verification.verdicts:
        bad = 2 if v.status in (Status.UNSUPPORTED, Status.NOT_FOUND) else int(v.status is Status.UNCERTAIN)
        for s in v.spans:
            marks.append((s.start, s.end, bad, v.path))
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    for a, b in pairwise(cuts):
        cover = [m for m in marks if m[0] <= a and b <= m[1]]
        chunk = escape(text[a:b])
        if not cover:
            out.append(chunk)
            continue
        bad = max(m[2] for m in cover)
        first = next(m for m in cover if m[2] == bad)
        paths = escape(", ".join(sorted({m[3] for m in cover})), quote=True)
        out.append(
            f'<a href="#{_anchor(record.article.id, first[3])}"><mark class="{_MARKS[bad]}" '
            f'title="{paths}">{chunk}</mark></a>'
        )
    return "".join(out)


_MARKS = ("ok", "unsure", "bad")


def _fields(record: SummaryRecord) -> str:
    items = []
    for v in record.verification.verdicts:
        cls = {Status.SUPPORTED: "ok", Status.UNCHECKED: "unchecked", Status.UNCERTAIN: "uncertain"}.get(
            v.status, "bad"
        )
        why = f" <em>({escape(v.reason)})</em>" if v.reason and cls != "ok" else ""
        items.append(
            f'<li id="{_anchor(record.article.id, v.path)}" class="{cls}"><code>{escape(v.path)}</code> '
            f"{escape(v.value)} &mdash; {escape(v.status.value)}{why}</li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def render_html(briefing: Briefing, records: list[SummaryRecord]) -> str:
    """The HTML report of a briefing (see the module docstring).

    Args:
        briefing: The briefing of ``records``.
        records: Every record the briefing's stories name (looked up by article id).

    Returns:
        One self-contained HTML page (inline CSS, no scripts), every text escaped.

    Raises:
        KeyError: A story names an article id that no record in ``records`` has.
    """
    by_id = {r.article.id: r for r in records}
    parts = [
        '<!doctype html><html><head><meta charset="utf-8"><title>Briefing</title>',
        f"<style>{CSS}</style></head><body><h1>Briefing</h1>",
        f"<p>{briefing.articles} article(s), {len(briefing.stories)} story(ies), generated "
        f"{escape(briefing.generated_at)}</p>",
    ]
    for story in briefing.stories:
        parts.append(f"<section><h2>{escape(story.headline)}</h2>")
        parts.append(
            "<p>Sources: "
            + ", ".join(f'<a href="#a-{escape(a, quote=True)}">{escape(a)}</a>' for a in story.articles)
            + "</p>"
        )
        if story.conflicts:
            parts.append("<h3>Conflicts</h3>")
            for c in story.conflicts:
                sides = "".join(
                    f"<div><strong>{escape(s.article_id)}</strong> <code>{escape(s.path)}</code><br>"
                    f"{escape(s.value)}</div>"
                    for s in c.sides
                )
                parts.append(f'<p>{escape(c.kind.value)}: {escape(c.topic)}</p><div class="pair">{sides}</div>')
        parts.append("<h3>Facts</h3><table><tr><th>fact</th><th>kind</th><th>sources</th></tr>")
        for f in story.facts:
            mark = " (single source)" if f.single_source else ""
            parts.append(
                f"<tr><td>{escape(f.text)}</td><td>{escape(f.kind.value)}</td><td>{f.corroboration}{mark}</td></tr>"
            )
        parts.append("</table>")
        for aid in story.articles:
            r = by_id[aid]
            title = r.article.title or r.article.source or aid
            parts.append(
                f'<article id="a-{escape(aid, quote=True)}"><h3>{escape(title)}</h3>'
                f"<p>{escape(r.summary_schema.name)} &middot; grounding "
                f"{r.verification.grounding_rate:.0%} &middot; {r.verification.uncertain} uncertain "
                f"&middot; {r.verification.unsupported + r.verification.not_found} unsupported "
                f"&middot; {r.verification.unchecked} unchecked</p>"
                f'<pre class="article">{_highlight(r)}</pre>{_fields(r)}</article>'
            )
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
