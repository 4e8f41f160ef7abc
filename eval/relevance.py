"""Relevance judged by evidence quotes, not chunk ids, so the Q&A set survives chunker changes.

A passage is relevant to a Q&A item when it contains one of the item's evidence quotes. Both
sides are compared in `assistant.textfold.squash` form (whitespace dropped, full-width ASCII
folded), the same folding the validator applies. Table cell separators (`|`) are dropped on
both sides as well: the normalizer rebuilds tables that extraction flattened to one cell per
line as `a | b | c` rows, while quotes keep the original cell-per-line form.

A quote can straddle a chunk boundary, so a passage also counts when it holds a *substantial
part* of a quote: a contiguous piece of the quote at least `PART_SHARE` (60 %) of its length
and at least `PART_MIN_CHARS` (20) characters long. A quote shorter than 20 characters must
be contained whole.

The same rule judges an answer's *first quote* (`quote_answers`), the sentence a reader takes
as the answer: it answers when, for one of the item's evidence quotes, the rule holds in
either direction — the quote holds the evidence quote (or a substantial part of it, as a
passage would), or the quote is itself inside the evidence quote (a clause trimmed from an
evidence sentence: whole when under 20 characters, else a 60 % / 20-character part). A quote
trimmed with an ellipsis (……) is judged piece by piece; pieces under `MIN_PIECE_CHARS` (10)
characters count only in the first direction, so a bare "责令限期改正" never answers alone.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence

from assistant.textfold import squash as _squash

PART_SHARE = 0.6
PART_MIN_CHARS = 20
MIN_PIECE_CHARS = 10
_CELL_BARS = str.maketrans("", "", "|｜")
_ELLIPSIS = re.compile(r"…+|\.{3,}")


def flatten(text: str) -> str:
    """The form both quotes and passages are compared in."""
    return _squash(text).translate(_CELL_BARS)


def part_length(quote: str) -> int | None:
    """Shortest contiguous piece of the (squashed) quote that counts, or None if only the
    whole quote counts."""
    need = max(PART_MIN_CHARS, math.ceil(PART_SHARE * len(quote)))
    return need if need < len(quote) else None


def contains_quote(squashed_text: str, squashed_quote: str) -> bool:
    """True if the text holds the quote or a substantial contiguous piece of it."""
    if not squashed_quote:
        return False
    if squashed_quote in squashed_text:
        return True
    need = part_length(squashed_quote)
    if need is None:
        return False
    # A longer common piece implies one of exactly `need` characters: test those only.
    return any(
        squashed_quote[i:i + need] in squashed_text
        for i in range(len(squashed_quote) - need + 1)
    )


class Judge:
    """Judges passages against one item's evidence quotes (squashed once)."""

    def __init__(self, quotes: Iterable[str]) -> None:
        self.quotes = [q for q in (flatten(x) for x in quotes) if q]

    def covered(self, text: str) -> set[int]:
        """Indices of the quotes this passage text holds."""
        return self.covered_flat(flatten(text))

    def covered_flat(self, flat_text: str) -> set[int]:
        """`covered` for a text already in `flatten` form."""
        return {i for i, q in enumerate(self.quotes) if contains_quote(flat_text, q)}

    def count_in(self, corpus: FlatTexts) -> int:
        """How many of the corpus's texts hold a quote: `covered_flat` on every text, but
        tried only on the texts a substring search finds a quote's block in."""
        candidates: set[int] = set()
        for quote in self.quotes:
            candidates |= corpus.holding(_blocks(quote))
        return sum(1 for i in candidates if self.covered_flat(corpus.texts[i]))

    def relevant(self, text: str) -> bool:
        return bool(self.covered(text))

    def flags(self, texts: Sequence[str]) -> list[bool]:
        return [self.relevant(t) for t in texts]


def quote_answers(quote: str, evidence: Iterable[str]) -> bool:
    """Does a cited quote state one of the evidence quotes (the rule in either direction)?"""
    quotes = [q for q in (flatten(e) for e in evidence) if q]
    for piece in (flatten(p) for p in _ELLIPSIS.split(quote)):
        if not piece:
            continue
        for ev in quotes:
            if contains_quote(piece, ev):
                return True
            if len(piece) >= MIN_PIECE_CHARS and contains_quote(ev, piece):
                return True
    return False


def _blocks(quote: str) -> list[str]:
    """Pieces at least one of which any counting part of the quote contains: the whole quote,
    or its consecutive blocks of half the part length (a part spans one whole block)."""
    need = part_length(quote)
    if need is None:
        return [quote]
    size = need // 2
    return [quote[i:i + size] for i in range(0, len(quote) - size + 1, size)]


class FlatTexts:
    """Texts in `flatten` form, joined once so that one substring search covers them all."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self._joined = "\x00".join(self.texts)
        self._starts = []
        position = 0
        for text in self.texts:
            self._starts.append(position)
            position += len(text) + 1

    def holding(self, pieces: Iterable[str]) -> set[int]:
        """Indices of the texts that contain one of the pieces."""
        found: set[int] = set()
        for piece in pieces:
            at = self._joined.find(piece)
            while at >= 0:
                i = bisect.bisect_right(self._starts, at) - 1
                found.add(i)
                at = self._joined.find(piece, self._starts[i + 1] if i + 1 < len(self._starts)
                                       else len(self._joined))
        return found
