"""Checks on quoted passages shared by the answer tests."""

from __future__ import annotations

from assistant.present import CUT


def _doc_text(index, doc_id: str) -> dict[int, str]:
    """The document's characters by offset, as far as its chunks hold them."""
    chars: dict[int, str] = {}
    for chunk in index.chunks:
        if chunk.doc_id == doc_id:
            chars.update((chunk.start + i, ch) for i, ch in enumerate(chunk.text))
    return chars


def assert_located(index, citation) -> None:
    """Every shown piece of the quote lies, in order, inside [start, end) of the document."""
    chars = _doc_text(index, citation.doc_id)
    covered = "".join(chars.get(i, "") for i in range(citation.start, citation.end))
    at = 0
    for piece in (p for p in citation.quote.split(CUT) if p):
        found = covered.find(piece, at)
        assert found >= 0, (piece, covered)
        at = found + len(piece)
