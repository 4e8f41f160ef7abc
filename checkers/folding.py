"""The report as the checks read it, and as findings quote it.

The rule pack's keywords (section titles, team posts, indicator names, cover keys) are written
in simplified characters; a report may be written in traditional ones (or read from Big5).
So the checks run on the report folded once, here, by the project's one text fold (its
traditional-to-simplified part, assistant.textfold.simplified: the checks compare what is
left through textfold.compare_key where they need to), and every quote a finding shows is then
put back into the report's own characters. The fold maps one character to one character, so an
offset into the folded text is an offset into the original.
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel

from assistant.document import Document
from assistant.textfold import simplified

# Fields that name the file or its format, not text of the report.
_KEEP = {"name", "format", "encoding"}
# What a check puts between the pieces of the report it quotes together ("name post；…").
_PIECES = re.compile(r"(\s+|[|；])")
_SLICE = 20_000  # characters folded per call: a long report does not hold the GIL for long


def folded_document(doc: Document) -> Document:
    """The document with every text folded; offsets, pages and structure unchanged. Copied
    model by model, not re-validated: validating a long report in one call would hold the
    interpreter (and the server's event loop) for a second."""
    text = "".join(simplified(doc.text[i:i + _SLICE]) for i in range(0, len(doc.text), _SLICE))
    if text == doc.text:
        return doc  # nothing traditional in it
    return _folded(doc, skip={"text"}).model_copy(update={"text": text})


def _folded(model: BaseModel, skip: set[str] = frozenset()) -> BaseModel:
    changes = {}
    for name in type(model).model_fields:
        if name in _KEEP or name in skip:
            continue
        value = getattr(model, name)
        new = _folded_value(value)
        if new is not value:
            changes[name] = new
    return model.model_copy(update=changes) if changes else model


def _folded_value(value):
    if isinstance(value, str):
        new = simplified(value)
        return value if new == value else new
    if isinstance(value, BaseModel):
        return _folded(value)
    if isinstance(value, list):
        new = [_folded_value(v) for v in value]
        return value if all(a is b for a, b in zip(new, value, strict=True)) else new
    return value


class OwnCharacters:
    """Puts folded quotes back into the report's own characters.

    A quote found verbatim in the folded text is read from the same offsets of the original;
    so is each piece of a quote a check assembled ("cell | cell", words joined by spaces). A
    piece found nowhere is mapped character by character: each folded character to the
    original character it most often stands for in this report.
    """

    def __init__(self, original: Document, folded: Document) -> None:
        self._original, self._folded = original.text, folded.text
        self._chars: dict[str, str] | None = None

    def __call__(self, quote: str | None) -> str | None:
        if not quote or self._original == self._folded:
            return quote
        whole = self._verbatim(quote)
        if whole is not None:
            return whole
        pieces = _PIECES.split(quote)  # text, separator, text, …
        return "".join(piece if n % 2 else self._verbatim(piece) or self._by_character(piece)
                       for n, piece in enumerate(pieces))

    def _verbatim(self, piece: str) -> str | None:
        at = self._folded.find(piece) if piece else -1
        return self._original[at:at + len(piece)] if at >= 0 else None

    def _by_character(self, piece: str) -> str:
        if self._chars is None:
            pairs: dict[str, Counter] = {}
            for own, seen in zip(self._original, self._folded, strict=True):
                if own != seen:
                    pairs.setdefault(seen, Counter())[own] += 1
            # the original a folded character most often stands for, itself included
            total = Counter(self._folded)
            self._chars = {seen: own.most_common(1)[0][0] for seen, own in pairs.items()
                           if own.most_common(1)[0][1] > total[seen] / 2}
        return "".join(self._chars.get(ch, ch) for ch in piece)
