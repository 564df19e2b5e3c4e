"""Field checks by type: each value is checked against its evidence spans and the article.

Pure code. Every check returns a :class:`Check` (status, reason, spans, score); ``verify``
turns them into per-field verdicts. The kinds:

- ``claim``: free text (headline, summary, key points, events) must be supported by its
  evidence; when the evidence is missing or does not support it, the whole article is
  searched and the verdict says the claim stands on other spans.
- ``name``: the name, or forms of it the article itself uses (surname only, hyphenation), is
  in the article.
- ``role``: the stated role's content words appear near a mention of the entity.
- ``quantity``: every number, date, time and duration in the value appears in the evidence
  or, failing that, in the article ("261 days" against "260 days or so" is flagged).
- ``quote``: verbatim after normalisation; a near miss is reported, never passed.
- ``speaker``: named in the article, near the quote.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from summarizer.core.kinds import EvidenceState, Status
from summarizer.core.spans import Span
from summarizer.core.verify.align import Alignment, AlignStatus, align, occurrences
from summarizer.core.verify.attribution import credited, referent
from summarizer.core.verify.casing import cased_as, dotted, needs_case, weak
from summarizer.core.verify.claims import Support, support
from summarizer.core.verify.prepared import PreparedArticle
from summarizer.core.verify.quantities import atoms, holds, readings
from summarizer.core.verify.quotes import inside_quote_marks
from summarizer.core.verify.text import STOPWORDS, quantities, stem, words
from summarizer.core.verify.text import tokens as word_tokens

__all__ = [
    "Check",
    "EvidenceState",
    "Status",
    "check_claim",
    "check_name",
    "check_quantity",
    "check_quote",
    "check_role",
    "check_speaker",
    "evidence_state",
]

NEAR = 300  # characters around a mention that count as "near" it
HONORIFICS = frozenset("mr mrs ms dr prof sir president chairman leader gen jr sr".split())


@dataclass
class Check:
    """One field's lexical verdict: its ``status``, the ``reason`` when it is not plainly
    supported, the ``spans`` of the article that bear on it, a ``score`` in [0, 1], the state
    of its quoted evidence, and ``hard`` when no judge may overturn a failure."""

    status: Status
    reason: str | None = None
    spans: list[Span] = field(default_factory=list)
    score: float = 1.0
    evidence: EvidenceState = EvidenceState.NONE
    hard: bool = False  # a name, number or ordinal the article lacks: no judge can overturn it


def evidence_state(aligned: list[Alignment]) -> EvidenceState:
    """How an item's quoted evidence was found, judged by its worst quote.

    Args:
        aligned: The item's evidence quotes, each aligned to the article.

    Returns:
        ``NONE`` when none was given, else ``NOT_FOUND`` when some quote is not in the
        article, ``FUZZY`` when some is found only approximately, ``VERBATIM`` when all are
        found word for word (after normalisation).
    """
    if not aligned:
        return EvidenceState.NONE
    if any(not a.found for a in aligned):
        return EvidenceState.NOT_FOUND
    if any(a.status is AlignStatus.FUZZY for a in aligned):
        return EvidenceState.FUZZY
    return EvidenceState.VERBATIM


def _located(aligned: list[Alignment]) -> list[Span]:
    return [a.span for a in aligned if a.span is not None]


CLAIM_COVERAGE = 0.6  # share of a claim's content words its spans must contain
CLAIM_NOVEL = 0.34  # share of its content words allowed to be absent from the article


ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth".split())


def _holds(article: PreparedArticle, s: Support) -> bool:
    """A summary's claims are paraphrases by design ("in your own words"), so the verdict
    rests on what paraphrase keeps. Names, numbers and ordinals are hard requirements (an
    invented town or figure fails at once, and "first summit" is not "second summit" even
    when "first" is elsewhere in the article); other content words are soft: "approved",
    "per year" or "program" for "programme" are how paraphrase reads. (The n-gram-weighted
    score of check-claims would reject rewording.)

    Returns:
        True when no name or quantity is missing, the coverage is at least
        ``CLAIM_COVERAGE``, the share of novel words at most ``CLAIM_NOVEL``, and every
        ordinal of the claim is in the chosen sentences.
    """
    if s.missing_quantities or s.missing_names or s.coverage < CLAIM_COVERAGE or s.novel_frac > CLAIM_NOVEL:
        return False
    ordinals = ORDINALS.intersection(s.claim_words)
    return not ordinals or ordinals <= set().union(*(article.sentence_stems[i] for i in s.chosen))


def _hard_miss(article: PreparedArticle, s: Support) -> bool:
    """A name, number or ordinal of the claim that the article does not give at all."""
    return bool(
        s.missing_quantities or s.missing_names or not ORDINALS.intersection(s.claim_words) <= article.token_set
    )


def _support_score(s: Support) -> float:
    return 0.0 if s.missing_quantities or s.missing_names else s.coverage * (1 - s.novel_frac)


def check_claim(article: PreparedArticle, text: str, aligned: list[Alignment]) -> Check:
    """A free-text claim, supported by its evidence or else by the article's best sentences.

    Args:
        article: The prepared article.
        text: The claim.
        aligned: Its item's evidence quotes, aligned to the article.

    Returns:
        The verdict; its score in [0, 1] is the content-word coverage times the share of the
        claim's words the article has (0 when a name or quantity is missing), and its spans
        are the evidence or the best sentences used. A claim supported only outside its
        evidence passes and says so; a missing name or quantity fails hard.
    """
    state = evidence_state(aligned)
    spans = _located(aligned)
    if spans:
        on_evidence = support(article, text, within=spans)
        if _holds(article, on_evidence):
            return Check(
                Status.SUPPORTED,
                None
                if state is EvidenceState.VERBATIM
                else f"supported by its evidence, but the evidence is {state.value.replace('_', ' ')}",
                spans,
                _support_score(on_evidence),
                state,
            )
    whole = support(article, text)
    if _holds(article, whole):
        why = "claim supported elsewhere in the article; its quoted evidence " + (
            "does not support it" if spans else "was not found" if aligned else "was missing"
        )
        return Check(
            Status.SUPPORTED,
            why,
            whole.spans(article),
            _support_score(whole),
            EvidenceState.NOT_SUPPORTING if spans else state,
        )
    cover = f"{whole.coverage:.0%} of its content words are in its best sentences"
    return Check(
        Status.UNSUPPORTED,
        "; ".join([cover, *whole.reasons()]),
        whole.spans(article) or spans,
        _support_score(whole),
        EvidenceState.NOT_SUPPORTING if spans else state,
        hard=_hard_miss(article, whole),
    )


def _name_tokens(name: str) -> list[str]:
    """The tokens that identify a name.

    Returns:
        Its lower-case words longer than one letter, without honorifics, and without
        stopwords ("in" of Jae-in would otherwise be found anywhere) unless it has nothing else.
    """
    tokens = [w for w, _, _ in words(name) if w not in HONORIFICS and len(w) > 1]
    return [w for w in tokens if w not in STOPWORDS] or tokens


def _mentions(article: PreparedArticle, tokens: list[str]) -> list[Span]:
    """Spans of the article's words that match any of ``tokens``, in order."""
    wanted = set(tokens)
    return [w.span(article.text) for w in article.words if w.value in wanted]


def _occurrences(article: PreparedArticle, name: str) -> list[Span]:
    """Where the article writes the name ignoring case.

    Returns:
        The spans, in text order, of the name as given, with its hyphens as spaces, and an
        acronym in its dotted form.
    """
    forms = dict.fromkeys([name.replace("-", " "), name, dotted(name) or name])
    return sorted({s for f in forms for s in occurrences(article, f)})


def check_name(article: PreparedArticle, name: str) -> Check:
    """Check that a name is in the article as written, or that every word of it is.

    Case, hyphens and dotted acronyms are allowed for.

    Args:
        article: The prepared article.
        name: The name as the summary gives it.

    Returns:
        ``SUPPORTED`` with its first occurrence (score 1.0); ``SUPPORTED`` at 0.9 when the
        article writes it differently (other spacing, or its words apart), at 0.7 when a
        name the article capitalises is capitalised only at sentence starts. Failing hard:
        ``UNSUPPORTED`` at 0.2 when it is written only as a common word, ``UNSUPPORTED`` with
        the share of its words found when some are missing, ``NOT_FOUND`` at 0 when all are
        (or the name is empty). Spans: up to three occurrences.
    """
    found = _occurrences(article, name)
    if found and needs_case(name) and article.writes_case:
        cased = [s for s in found if cased_as(article.text[s.start : s.end], name)]
        if not cased:
            printed = article.text[found[0].start : found[0].end]
            return Check(
                Status.UNSUPPORTED,
                f"the article writes {printed!r} only as a common word, never as the name {name!r}",
                found[:3],
                0.2,
                hard=True,
            )
        strong = [s for s in cased if not weak(article.text, s.start, s.end)]
        if not strong:
            return Check(
                Status.SUPPORTED,
                "the article writes it with a capital only at the start of a sentence",
                cased[:3],
                0.7,
            )
        found = strong
    if not found:
        full = align(article, name.replace("-", " "), set())
        if not full.found or full.status is AlignStatus.FUZZY:
            alt = align(article, name, set())
            full = alt if alt.found and alt.status is not AlignStatus.FUZZY else full
        if full.found and full.status is not AlignStatus.FUZZY:
            assert full.span is not None
            found = [full.span]
    if found:
        printed = article.text[found[0].start : found[0].end]
        if word_tokens(printed) != word_tokens(name.replace("-", " ")):  # found only ignoring spaces
            return Check(Status.SUPPORTED, f"the article writes this name differently: {printed!r}", found[:1], 0.9)
        return Check(Status.SUPPORTED, None, found[:1], 1.0, EvidenceState.VERBATIM)
    parts = _name_tokens(name.replace("-", " "))
    if not parts:
        return Check(Status.NOT_FOUND, "empty name", [], 0.0, hard=True)
    missing = [t for t in parts if t not in article.word_set]
    if not missing:
        spans = _mentions(article, parts)[:3]
        return Check(Status.SUPPORTED, "the article writes this name differently", spans, 0.9)
    if len(missing) < len(parts):
        return Check(
            Status.UNSUPPORTED,
            f"part of the name is not in the article: {', '.join(missing)}",
            _mentions(article, [t for t in parts if t not in missing])[:3],
            1 - len(missing) / len(parts),
            hard=True,
        )
    return Check(Status.NOT_FOUND, "name not in the article", [], 0.0, hard=True)


def check_role(article: PreparedArticle, name: str, role: str) -> Check:
    """Check that at least three in four of the role's content words are near a mention of ``name``.

    Args:
        article: The prepared article.
        name: The name the role describes.
        role: The role as the summary gives it.

    Returns:
        ``SUPPORTED`` when at least 75 % of the role's content-word stems are within
        :data:`NEAR` characters of one mention (a role of stopwords only passes);
        ``NOT_FOUND`` when the name is never mentioned; else ``UNSUPPORTED`` naming the
        missing words. The score is the share of the role's words found, in [0, 1]; the
        spans are the mention and those words.
    """
    role_stems = {stem(w) for w, _, _ in words(role) if w not in STOPWORDS}
    if not role_stems:
        return Check(Status.SUPPORTED, None, [], 1.0)
    anchors = _mentions(article, _name_tokens(name))
    best: tuple[float, list[Span], set[str]] = (0.0, [], role_stems)
    for m in anchors:
        lo, hi = max(0, m.start - NEAR), min(len(article.text), m.end + NEAR)
        nearest: dict[str, Span] = {}  # each role word's occurrence closest to the mention
        for w, s, e in words(article.text[lo:hi]):
            st = stem(w)
            if st in role_stems:
                span = Span.of(article.text, lo + s, lo + e)
                old = nearest.get(st)
                if old is None or abs(span.start - m.start) < abs(old.start - m.start):
                    nearest[st] = span
        frac = len(nearest) / len(role_stems)
        if frac > best[0]:
            best = (frac, sorted({m, *nearest.values()}, key=lambda c: c.start), role_stems - set(nearest))
    frac, spans, missing = best
    if frac >= 0.75:
        return Check(Status.SUPPORTED, None, spans, frac)
    if not anchors:
        return Check(Status.NOT_FOUND, "the entity is not named in the article", [], 0.0)
    return Check(
        Status.UNSUPPORTED, "role not stated near the name: missing " + ", ".join(sorted(missing)), spans, frac
    )


def check_quantity(article: PreparedArticle, value: str, aligned: list[Alignment]) -> Check:
    """Every number, date and time in ``value`` is in its evidence (``aligned``) or, failing
    that, in the article; a value without any must have its words in the article. A
    quantity the article lacks fails hard; one found only outside the evidence passes (score
    0.9) and says so.

    Args:
        article: The prepared article.
        value: The quantity as the summary gives it.
        aligned: Its item's evidence quotes, aligned to the article.

    Returns:
        The verdict; a failing one's score is the share of the value's quantities found, in
        [0, 1], and its spans the evidence or up to three places the article writes them.
    """
    value_q = quantities(value)
    wanted = {q for q, _, _ in value_q}
    state = evidence_state(aligned)
    spans = _located(aligned)
    if not wanted:
        # no number or date in it ("Wednesday night" is a weekday; "last year" has none):
        # fall back to finding the words themselves
        found = align(article, value, set())
        if found.found and found.status is not AlignStatus.FUZZY:
            assert found.span is not None
            return Check(Status.SUPPORTED, None, [found.span], 1.0, state)
        return Check(
            Status.UNSUPPORTED, "no number or date in the value and its words are not in the article", spans, 0.0, state
        )
    in_evidence = atoms(q for s in spans for q in quantities(article.text[s.start : s.end]))
    if all(holds(q, in_evidence) for q in wanted):
        return Check(Status.SUPPORTED, None, spans, 1.0, state)
    article_q = article.quantities
    present = article.quantity_set
    missing = sorted({value[s:e] for q, s, e in value_q if not holds(q, present)})
    wanted_atoms = {a for q in wanted for a in readings(q)}
    where = [q.span(article.text) for q in article_q if wanted_atoms.intersection(readings(q.value))]
    if missing:
        return Check(
            Status.UNSUPPORTED,
            "not in the article: " + ", ".join(missing),
            spans or where[:3],
            1 - len(missing) / len(wanted),
            state,
            hard=True,
        )
    return Check(
        Status.SUPPORTED,
        "found in the article, not in its evidence",
        where[:3],
        0.9,
        EvidenceState.NOT_SUPPORTING if spans else state,
    )


def check_quote(article: PreparedArticle, text: str, taken: set[Span]) -> tuple[Check, Alignment]:
    """A direct quote: verbatim after normalisation and inside quotation marks.

    Args:
        article: The prepared article.
        text: The quote.
        taken: Occurrences earlier quotes have claimed; the one found is added to it.

    Returns:
        The verdict and the alignment behind it. Words found outside quotation marks are
        ``UNCERTAIN`` at 0.5; a near miss fails hard with its similarity in [0, 1] as the score; absent words
        are ``NOT_FOUND``, failing hard.
    """
    a = align(article, text, taken)
    if a.status in (AlignStatus.EXACT, AlignStatus.NORMALISED):
        assert a.span is not None
        if not inside_quote_marks(article.text, a.span):
            # Words found but unquoted: paraphrase or reported speech, right as often as not
            # (tuning set: 11 right, 5 wrong), so uncertain.
            return Check(
                Status.UNCERTAIN,
                "the words are in the article but not inside quotation marks: not a direct quote",
                [a.span],
                0.5,
                EvidenceState.VERBATIM,
            ), a
        return Check(Status.SUPPORTED, None, [a.span], 1.0, EvidenceState.VERBATIM), a
    if a.status is AlignStatus.FUZZY:
        assert a.span is not None
        return Check(
            Status.UNSUPPORTED,
            f"not verbatim: closest passage matches {a.score:.0%}",
            [a.span],
            a.score,
            EvidenceState.FUZZY,
            hard=True,
        ), a
    return Check(
        Status.NOT_FOUND, "these words are not in the article", [], a.score, EvidenceState.NOT_FOUND, hard=True
    ), a


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _plain_tokens(name: str) -> set[str]:
    """:func:`_name_tokens` without accents, to compare two names."""
    return {_unaccented(t) for t in _name_tokens(name)}


def check_speaker(article: PreparedArticle, speaker: str, quote: Span | None) -> Check:
    """Check that the speaker is named in the article near the quote, or shortly before it.

    Args:
        article: The prepared article.
        speaker: The speaker's name.
        quote: Where the quote was found, ``None`` when it was not.

    Returns:
        :func:`check_name`'s verdict when the name fails or the quote was not found; else
        ``UNSUPPORTED`` (0.0, hard) when the article credits the quotation to a name that
        shares no word with the speaker's (:func:`~summarizer.core.verify.attribution.credited`),
        or to a bare surname that stands for another person with that surname
        (:func:`~summarizer.core.verify.attribution.referent`: "Cox" for Janea Cox, not
        Haleigh Cox); else ``SUPPORTED`` (1.0) when a word of the name is within :data:`NEAR`
        characters of the quote, ``SUPPORTED`` (0.8) when it is in the ``2 * NEAR`` characters
        before that (a pronoun attribution), else ``UNSUPPORTED`` (0.3).
    """
    named = check_name(article, speaker)
    if named.status is not Status.SUPPORTED or quote is None:
        return named
    tokens = set(_name_tokens(speaker))
    mine = _plain_tokens(speaker)
    other = credited(article.text, quote)
    if other is not None and not _plain_tokens(other) & mine:
        return Check(Status.UNSUPPORTED, f"the article credits the quote to {other}", named.spans, 0.0, hard=True)
    meant = referent(article.text, other) if other is not None else None
    if meant is not None and len(mine) > 1 and not _plain_tokens(meant) >= mine:
        reason = f"the article credits the quote to {other}, that is {meant}"
        return Check(Status.UNSUPPORTED, reason, named.spans, 0.0, hard=True)
    lo, hi = max(0, quote.start - NEAR), min(len(article.text), quote.end + NEAR)
    near_words = {w for w, _, _ in words(article.text[lo:hi])}
    if tokens & near_words:
        return Check(Status.SUPPORTED, None, named.spans, 1.0, EvidenceState.VERBATIM)
    # articles often attribute with a pronoun ("he said"): accept when the speaker is the
    # last person named before the quote
    before = {w for w, _, _ in words(article.text[max(0, lo - 2 * NEAR) : quote.start])}
    if tokens & before:
        return Check(Status.SUPPORTED, "speaker named shortly before the quote", named.spans, 0.8)
    return Check(Status.UNSUPPORTED, "speaker not named near the quote", named.spans, 0.3)
