"""A web page's article text, never its consent banner, cookie notice or navigation.

trafilatura with ``favor_precision`` finds the story on most pages; on a page whose story is
not where it looks (an ``<aside>``-like block) and which has a consent banner, it returns the
banner. So what an extraction returns is checked: it must not be boilerplate (consent,
cookie, sign-in and navigation phrases) and must hold at least a third of the words of the
page's visible text. When it fails, the page is read again with consent, cookie and
navigation blocks removed: with ``favor_recall``, then paragraph by paragraph. Boilerplate
paragraphs are removed from each candidate; the first long enough (a third of the visible
words) wins, else the longest. A page with no article text left (fewer than
:data:`MIN_WORDS` words) is an :class:`InputError` naming the file. :attr:`Extracted.method`
says which extraction was used (it reaches the record's provenance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import lxml.html
import trafilatura

from summarizer.core.errors import InputError

__all__ = ["MIN_WORDS", "Extracted", "extract_article", "is_boilerplate"]

# Chosen values, not measured. MIN_WORDS: fewer words than this left after boilerplate is
# removed means no article; lower would take a banner's leftovers for one, higher would refuse
# short news items. SHARE: an extraction with fewer words than this share of the page's visible
# text is suspect and retried; lower would keep a banner found on a long page, higher would
# retry good extractions of pages heavy with links and comments (a retry parses the page again
# and runs two more extractions).
MIN_WORDS = 25
SHARE = 1 / 3
_PHRASES = re.compile(
    r"\b(?:cookies?|consent|accept all|reject all|accept cookies|manage (?:your )?(?:preferences|settings|choices)"
    r"|privacy (?:policy|settings|choices|notice)|we value your privacy|our partners|by clicking|personal data"
    r"|non-essential|skip to (?:main )?content|all rights reserved|sign in|log in|subscribe(?: now)?"
    r"|newsletter|enable javascript|advertisement|terms of (?:use|service))\b",
    re.I,
)
_BLOCKS = re.compile(r"cookie|consent|gdpr|onetrust|\bcmp\b|cmp-|privacy-banner|paywall|newsletter|subscribe", re.I)
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg")
_PARAGRAPHS = ("p", "h1", "h2", "h3", "h4", "blockquote", "pre")


@dataclass(frozen=True)
class Extracted:
    """A page's article text, its metadata, and how the text was found.

    ``method`` names the extraction used ("trafilatura precision", or a retry with blocks
    removed, with ", boilerplate lines removed" when lines were cut); ``title``, ``url`` and
    ``date`` are trafilatura's metadata, None when the page gives none.
    """

    text: str
    method: str
    title: str | None = None
    url: str | None = None
    date: str | None = None


def _words(text: str) -> int:
    return len(text.split())


def is_boilerplate(paragraph: str) -> bool:
    """Whether ``paragraph`` is consent, cookie, sign-in or navigation text.

    Returns:
        True for two distinct such phrases, or one in a line of at most eight words
        ("Accept all", "Skip to content").
    """
    found = {m.group(0).lower() for m in _PHRASES.finditer(paragraph)}
    return len(found) >= 2 or (bool(found) and _words(paragraph) <= 8)


def _strip(text: str) -> tuple[str, bool]:
    lines = text.split("\n")
    kept = [line for line in lines if not is_boilerplate(line)]
    return "\n".join(kept).strip(), len(kept) != len(lines)


def _visible_words(tree: Any) -> int:
    body = tree.find("body") if tree.find("body") is not None else tree
    hidden = " or ".join(f"ancestor::{tag}" for tag in _INVISIBLE)
    return sum(_words(t) for t in body.xpath(f".//text()[not({hidden})]"))


def _pruned(html: str) -> Any:
    """The page without consent, cookie and navigation blocks (and without invisible ones)."""
    tree = lxml.html.fromstring(html)
    doomed = [
        el
        for el in tree.iter()
        if isinstance(el.tag, str)
        and (
            el.tag in ("nav", "footer", "button", "form", "dialog", *_INVISIBLE)
            or el.get("role") in ("dialog", "alertdialog", "navigation", "banner")
            or _BLOCKS.search(f"{el.get('id', '')} {el.get('class', '')} {el.get('aria-label', '')}")
        )
    ]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    return tree


def _paragraphs(tree: Any) -> str:
    found = []
    for el in tree.iter(*_PARAGRAPHS):
        if any(a.tag in _PARAGRAPHS for a in el.iterancestors()):
            continue
        text = " ".join(el.text_content().split())
        if text:
            found.append(text)
    return "\n".join(found)


def _trafilatura(html: str, **options: bool) -> Any:
    return trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, **options
    )


def extract_article(html: str, item: str) -> Extracted:
    """The article text of a web page (see the module docstring for how it is found).

    Args:
        html: The page's HTML, decoded.
        item: What names the page in errors (its path).

    Returns:
        The text and how it was found.

    Raises:
        InputError: The page cannot be parsed as HTML, or fewer than :data:`MIN_WORDS` words
            of article text are left once boilerplate is removed.
    """
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError) as e:
        raise InputError(item, f"cannot be parsed as HTML: {e}") from e
    visible = _visible_words(tree)
    doc = _trafilatura(html, favor_precision=True)
    meta = {k: getattr(doc, k, None) for k in ("title", "url", "date")} if doc is not None else {}
    first = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if first and not any(is_boilerplate(p) for p in first.split("\n")) and _words(first) >= SHARE * visible:
        return Extracted(first, "trafilatura precision", **meta)
    pruned = lxml.html.tostring(_pruned(html), encoding="unicode")
    recall = _trafilatura(pruned, favor_recall=True)
    candidates = [
        ("trafilatura precision", first),
        ("trafilatura recall, consent/cookie/navigation blocks removed", getattr(recall, "text", None) or ""),
        ("page paragraphs, consent/cookie/navigation blocks removed", _paragraphs(_pruned(html))),
    ]
    best_method, best, stripped = "", "", False
    for method, text in candidates:  # the first that is long enough once stripped, else the longest
        kept, cut = _strip(text)
        if _words(kept) >= max(MIN_WORDS, SHARE * visible):
            best_method, best, stripped = method, kept, cut
            break
        if _words(kept) > _words(best):
            best_method, best, stripped = method, kept, cut
    if _words(best) < MIN_WORDS:
        raise InputError(
            item,
            f"no article text found: what the page holds is consent, cookie or navigation text, or under "
            f"{MIN_WORDS} words (tried trafilatura with favor_precision and favor_recall, and the page's paragraphs)",
        )
    return Extracted(best, best_method + (", boilerplate lines removed" if stripped else ""), **meta)
