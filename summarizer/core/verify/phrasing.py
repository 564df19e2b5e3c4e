"""How a leaf is put to the model judge: one statement per judged kind, and its alternatives. Pure.

The judge reads one statement about the article and answers Yes or No (``prompts/judge.toml``).
Each judged kind has several ways to build that statement from the leaf and the sibling it
describes, named in :data:`PHRASINGS`:

- ``template``: the short form the verifier first shipped ("X is ROLE.", "The article gives
  FIGURE for COUNTS.", "SPEAKER said: "QUOTE"", "On DATE: EVENT", the claim as written).
- ``natural``: a sentence a reader would write, anchored on the article ("The article
  describes X as ROLE.", "The article credits the words "QUOTE" to SPEAKER.").
- ``question``: a question whose answer is the field, followed by that answer ("Who said
  "QUOTE"? SPEAKER.").

:data:`CHOSEN` names the phrasing the verifier uses for each kind; it was picked per kind by
ROC AUC of the judge's P(yes) on the tool's own labelled tuning output (``bench/phrasings.py``,
bench/labels/tune). A change of phrasing changes the judge's requests, so its cache keys and
the recorded cassettes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from summarizer.core.kinds import Kind
from summarizer.core.verify.registry import WITH_ARTICLE, Leaf

__all__ = ["CHOSEN", "JUDGED", "PHRASINGS", "Phrasing", "statement"]

Phrasing = Callable[[Leaf], str]

_A = WITH_ARTICLE | {"organization": "an organisation"}


def _kind(leaf: Leaf) -> str:
    return _A.get(leaf.value.strip().lower(), leaf.value)


def _lower_first(text: str) -> str:
    """``text`` with its first letter lower-cased unless it starts a name or acronym."""
    text = text.strip()
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first[1:].lower() != first[1:] or first.isupper()):
        return text
    if first in {"A", "An", "The", "This", "These", "It", "There", "Its"}:
        return text[0].lower() + text[1:]
    return text


PHRASINGS: dict[Kind, dict[str, Phrasing]] = {
    Kind.CLAIM: {
        "template": lambda leaf: leaf.value,
        "natural": lambda leaf: f"The article reports that {_lower_first(leaf.value).rstrip('.')}.",
    },
    Kind.ENTITY_KIND: {
        "template": lambda leaf: f"{leaf.of(Kind.NAME)} is {_A.get(leaf.value.lower(), leaf.value)}.",
        "natural": lambda leaf: f"In the article, {leaf.of(Kind.NAME)} is the name of {_kind(leaf)}.",
        "question": lambda leaf: (
            f"Is {leaf.of(Kind.NAME)} a person, an organisation or a place? {_kind(leaf).capitalize()}."
        ),
    },
    Kind.ROLE: {
        "template": lambda leaf: f"{leaf.of(Kind.NAME)} is {leaf.value}.",
        "natural": lambda leaf: f"The article describes {leaf.of(Kind.NAME)} as {leaf.value}.",
        "question": lambda leaf: f"What job, title or part does the article give {leaf.of(Kind.NAME)}? {leaf.value}.",
    },
    Kind.COUNTS: {
        "template": lambda leaf: f"The article gives {leaf.of(Kind.QUANTITY)} for {leaf.value}.",
        "natural": lambda leaf: f"In the article, {leaf.of(Kind.QUANTITY)} is the {leaf.value}.",
        "question": lambda leaf: (
            f"What does the figure {leaf.of(Kind.QUANTITY)} in the article count or measure? {leaf.value}."
        ),
    },
    Kind.EVENT: {
        "template": lambda leaf: f"On {leaf.of(Kind.DATE)}: {leaf.value}",
        "natural": lambda leaf: f"The article says this happened on {leaf.of(Kind.DATE)}: {leaf.value}",
        "question": lambda leaf: f"What does the article say happened on {leaf.of(Kind.DATE)}? {leaf.value}",
    },
    Kind.SPEAKER: {
        "template": lambda leaf: f'{leaf.value} said: "{leaf.of(Kind.QUOTE)}"',
        "natural": lambda leaf: f'The article credits the words "{leaf.of(Kind.QUOTE)}" to {leaf.value}.',
        "question": lambda leaf: f'Who said "{leaf.of(Kind.QUOTE)}", according to the article? {leaf.value}.',
    },
}
JUDGED = frozenset(PHRASINGS)

# Chosen by `python bench/phrasings.py report` (ROC AUC of a cross-validated calibration on
# bench/labels/tune; a phrasing replaces the template only when it gains 0.03 or more):
# what a figure counts asked as a question (0.70 against 0.55), a speaker likewise (0.72
# against 0.64; the judge's P(yes) alone 0.91 against 0.78), an entity's kind in the natural
# form (0.98 against 0.94); claims, roles and events keep the template.
CHOSEN: dict[Kind, str] = {kind: "template" for kind in PHRASINGS} | {
    Kind.COUNTS: "question",
    Kind.SPEAKER: "question",
    Kind.ENTITY_KIND: "natural",
}


def statement(leaf: Leaf, choice: Mapping[Kind, str] | None = None) -> str:
    """The statement the judge reads about ``leaf``.

    Args:
        leaf: A leaf of a judged kind (one of :data:`JUDGED`).
        choice: Phrasing name per kind (keys of :data:`PHRASINGS`); kinds it leaves out use
            :data:`CHOSEN`.

    Returns:
        One statement, without the article.

    Raises:
        KeyError: The leaf's kind is not judged, or a phrasing name is unknown.
    """
    name = (choice or {}).get(leaf.kind, CHOSEN[leaf.kind])
    return PHRASINGS[leaf.kind][name](leaf)
