"""Character folding for matching: full-width ASCII to half-width, ideographic space to space.

Folding is one character to one character, so offsets into folded text are offsets into the
original. Quotes are always shown from the original, never from folded text.
"""

from __future__ import annotations

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD.update({ord("“"): ord('"'), ord("”"): ord('"'), ord("‘"): ord("'"), ord("’"): ord("'")})
_FOLD.update({ord(c): ord(s) for c, s in zip("₀₁₂₃₄₅₆₇₈₉ₓ", "0123456789x", strict=True)})


def fold(text: str) -> str:
    return text.translate(_FOLD)


def squash(text: str) -> str:
    """Fold and drop all whitespace: the form used to find a quote in a document."""
    return "".join(fold(text).split())


def bigrams_of(text: str) -> set[str]:
    squashed = squash(text)
    return {squashed[i:i + 2] for i in range(len(squashed) - 1)}


def bigram_overlap(text: str, source: str) -> float:
    """Share (0..1) of the text's character bigrams that also occur in the source: how much of
    a claim a passage supports, or how much two quotes repeat each other."""
    grams = bigrams_of(text)
    return len(grams & bigrams_of(source)) / len(grams) if grams else 0.0
