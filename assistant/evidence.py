"""Quotable units of a passage, and how well a text covers a question.

A quote is a sentence, or a list introduction ("有下列情形之一的企业，应当…：") together with
the items that follow it ("（一）…；（二）…；（三）…。"), so an answer about conditions quotes all of
them. Coverage is the IDF-weighted share of the question's terms that a text contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.query import alternatives
from assistant.sentences import sentence_spans
from assistant.textfold import fold, fold_all
from assistant.tokenize import precise_words
from assistant.tuning import tuning

# Quotes are whole sentences: a law's "…的，由…责令限期改正；拒不改正的，处以…罚款。" must not
# lose its penalty clause. Paragraph breaks end a sentence too (list items are paragraphs).
LIST_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、]|[一二三四五六七八九十]+、)")


@dataclass
class Quote:
    start: int  # offsets within the passage text
    end: int
    text: str


_CACHED_CHARS = 4096  # a chunk's text; a whole report's is split once, uncached


def quotes(text: str) -> list[Quote]:
    """The quotable units of `text`, in order. A chunk's units are the same for every
    question that retrieves it, so they are kept (the units are never changed by callers)."""
    return list(_quotes_cached(text) if len(text) <= _CACHED_CHARS else _quotes(text))


@lru_cache(maxsize=4096)
def _quotes_cached(text: str) -> tuple[Quote, ...]:
    return tuple(_quotes(text))


def _quotes(text: str) -> list[Quote]:
    spans = []
    for start, end in sentence_spans(text):
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            body = piece.strip()
            spans.append(Quote(start + lead, start + lead + len(body), body))
    units: list[Quote] = []
    i = 0
    while i < len(spans):
        unit = spans[i]
        i += 1
        if unit.text.endswith(("：", ":")):
            # A list introduction takes its items along: "…：（一）…；（二）…；（三）…。"
            while i < len(spans) and LIST_MARKER.match(spans[i].text):
                unit = Quote(unit.start, spans[i].end, text[unit.start:spans[i].end])
                i += 1
        units.append(unit)
    return [u for u in units if _quotable(u.text)]


def _quotable(text: str) -> bool:
    # Titles, headings and table captions end without punctuation; they are not statements.
    text = text.strip()
    return len(text) >= 8 and (text[-1] in "。；！？!?;：:”）)" or len(text) > 60)


@dataclass(frozen=True)
class Term:
    """A question term (precise segmentation) and the search-mode pieces of a compound, so a
    text saying 强制性审核 earns part of the credit for 强制性清洁生产审核."""

    text: str
    weight: float
    pieces: tuple[tuple[str, float], ...] = ()
    seen: bool = True  # some document uses it (or one of its wordings, or a piece of it)
    # What coverage needs of the term, worked out once rather than for every sentence it is
    # tested against: the term's document wordings and its pieces' total weight.
    wordings: tuple[str, ...] = field(init=False, repr=False, compare=False)
    pieces_weight: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "wordings", alternatives(self.text))
        object.__setattr__(self, "pieces_weight", sum(w for _, w in self.pieces))


def coverage(
    terms: list[Term], text: str, context: str = "", context_credit: float = 1.0, *,
    searched: str | None = None,
) -> float:
    """Share (0..1) of the question's term weight that the text contains, a term counting as
    present when it or one of its document wordings (data/synonyms.yaml) appears. `context`
    (the document's title and region, the section path) counts with `context_credit`: a
    sentence of the Guangxi plan is about Guangxi without saying so. `searched`: the text's
    searched form (`searched_all`), when the caller has it."""
    total = sum([t.weight for t in terms])  # a list: cheaper than a generator, same sum
    if not total:
        return 0.0
    own, around = _searched(text) if searched is None else searched, _searched(context)
    partial_credit = tuning().partial_credit
    hit = 0.0
    # Plain loops rather than any() over generators: this runs for every term of every
    # candidate sentence, and a generator costs more than the substring tests it makes.
    for term in terms:
        wordings = term.wordings
        for a in wordings:
            if a in own:
                hit += term.weight
                break
        else:
            for a in wordings:
                if a in around:
                    hit += context_credit * term.weight
                    break
            else:
                if term.pieces:
                    found = 0  # the pieces' weights added in order, as sum() adds them
                    for piece, w in term.pieces:
                        if piece in own:
                            found += w
                    hit += partial_credit * term.weight * found / term.pieces_weight
    return hit / total


def _searched(text: str) -> str:
    """What coverage searches: the folded, lower-cased text. A sentence or a passage's
    context recurs from candidate to candidate and question to question: those are kept."""
    return _searched_cached(text) if len(text) <= _CACHED_CHARS else fold(text).lower()


@lru_cache(maxsize=4096)
def _searched_cached(text: str) -> str:
    return fold(text).lower()


def searched_all(texts: list[str]) -> list[str]:
    """What coverage searches in each of many texts (as `_searched`), folded in one pass."""
    return [folded.lower() for folded in fold_all(texts)]


def content_terms(question: str) -> list[str]:
    """The question's meaningful words, one per idea (precise segmentation, no duplicates)."""
    return list(dict.fromkeys(precise_words(question)))
