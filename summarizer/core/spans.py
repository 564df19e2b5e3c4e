"""Where something is in a text: :class:`Span`, and :class:`Token`, a value found at a place.

Pure data. Every offset in the package is a character offset (a Python ``str`` index, so one
code point each) into the *original* text, half-open: ``text[start:end]``. The verifier's
evidence, a verdict's spans, a sentence and a briefing's source all are :class:`Span`. Words
and quantities found by the lexical readers are :class:`Token`: their value is normalised
(lower case, NFKC, a canonical number), so it is not the text at their offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from pydantic import ConfigDict

from summarizer.core.wire import undescribed

__all__ = ["Span", "Token"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A stretch of a text: ``text == original[start:end]``, offsets half-open.

    ``start`` and ``end`` are character offsets (code points) into the original text,
    ``0 <= start <= end``; ``text`` is what they cover, as printed there (for a sentence, the
    sentence without its surrounding spaces). Spans order by ``start``, then ``end``, and are
    equal when their offsets and text are. Records carry them as ``{"start", "end", "text"}``.

    Raises:
        ValueError: ``start`` is negative or after ``end``.
    """

    __pydantic_config__ = ConfigDict(json_schema_extra=undescribed)

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        """Check the offsets.

        Raises:
            ValueError: ``start`` is negative or after ``end``.
        """
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    @classmethod
    def of(cls, original: str, start: int, end: int) -> Span:
        """The span ``[start, end)`` of ``original``, with its text.

        Returns:
            A span whose ``text`` is ``original[start:end]``.

        Raises:
            ValueError: ``start`` is negative or after ``end``.
        """
        return cls(start, end, original[start:end])

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share at least one character (touching ends do not)."""
        return self.start < other.end and other.start < self.end


class Token(NamedTuple):
    """A word or quantity a reader found: its normalised ``value`` and where it was.

    ``start`` and ``end`` are half-open character offsets into the text that was read, so
    ``text[start:end]`` is the token as printed; ``value`` is its normalised form (a word
    lower-cased in NFKC, a quantity canonical: ``"261"``, ``"month:2"``,
    ``"date:2020-11-10|10&month:11&2020"``). A tuple, so ``for value, start, end in ...``
    unpacks it.
    """

    value: str
    start: int
    end: int

    def span(self, text: str) -> Span:
        """Where the token is in ``text`` (the text it was read from), as a :class:`Span`."""
        return Span(self.start, self.end, text[self.start : self.end])
