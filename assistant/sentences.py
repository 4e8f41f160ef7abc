"""The one sentence splitter (after HanLP's split_sentence): where Chinese sentences end.

A sentence ends at 。！？ (and their ASCII forms), with the closing quotes and brackets that
follow, or at a line break (list items and table rows are lines). Where a long text must be
cut — chunks, clause lists — `semicolons=True` also ends one at ；. An answer written by an LLM
keeps its citation markers after the full stop ("…审核。[1]": `markers=True`). `clauses` cuts
further, at ，；。, for narrowing a long quote to the words that matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_CLOSERS = "”」』）)"
_CLAUSE = re.compile(r"[^，；。]+[，；。]?")


@lru_cache(maxsize=4)
def _pattern(semicolons: bool, markers: bool) -> re.Pattern[str]:
    ends = "。！？!?" + ("；" if semicolons else "")
    tail = r"(?:\s*\[\d{1,2}\])*" if markers else ""
    return re.compile(rf"[^{ends}\n]*(?:[{ends}]+[{_CLOSERS}]*{tail}|\n|$)")


def sentence_spans(text: str, start: int = 0, end: int | None = None, *, semicolons: bool = False,
                   markers: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], line breaks included, none empty."""
    for m in _pattern(semicolons, markers).finditer(text, start, len(text) if end is None else end):
        if m.end() > m.start():
            yield m.start(), m.end()


def sentences(text: str, *, semicolons: bool = False, markers: bool = False) -> list[str]:
    """The sentences of a text, stripped, none empty."""
    return [piece for s, e in sentence_spans(text, semicolons=semicolons, markers=markers)
            if (piece := text[s:e].strip())]


def clauses(text: str) -> list[str]:
    """"…的，由…责令改正；拒不改正的，处…罚款。" → its clauses, punctuation kept."""
    return _CLAUSE.findall(text)
