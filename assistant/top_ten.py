"""A set-aware top ten over the law library: its first places are the precise ranking's, its
last places go to the articles a wider net finds and to the companions of the first ones, not
to the tenth-best match by wording.

A question often needs two to four articles of one law (STARD: 394 of 900 dev questions), and
the precise ranking's last places are seldom one of them:

- the places after the first `wide_keep` come from a second ranking whose learned document
  expansion takes the words of every labelled question citing an article (`articles_wide`,
  one question is enough) instead of two: too noisy to rank first (hit@1 falls), but it
  finds more of the articles a question needs;
- then the last places go to companions of the first articles, the rest moving down:
- co-cited articles: cited together with one of the first two articles by at least two
  distinct labelled questions (data/learned_legal.yaml `cocited`, learned from STARD's dev
  questions only, like the rest of that file; off for questions naming a place, and only for
  the law library's articles of the laws it was learned from);
- neighbours: the articles just before and after the first one in its law, when they match
  the question on their own (score > 0) — the article that continues or qualifies it (off:
  on top of the other two it measured worse).

Only a ranking of at least DEPTH places changes (`ask` shows five: it is untouched, and does
not pay for the second ranking), and only after its first `wide_keep` places. Place counts are
data (data/answering.yaml `wide_keep`, `cocited_slots`, `neighbour_slots`; 0 turns one off),
each measured by 5-fold cross-validation on STARD dev.
"""

from __future__ import annotations

import numpy as np

from assistant import learned_terms
from assistant.articles import article_label, article_value
from assistant.lawlib import from_law_library
from assistant.tuning import tuning

DEPTH = 10
COCITED_SOURCES = 2  # companions of the first two articles
NEIGHBOUR_OFFSETS = (1, -1)  # the next article, then the one before


def widens(index, query: str, k: int) -> bool:
    """Does a ranking of k places for this question take its last places from the wide
    ranking? Not for a question naming a place (the learned tables are not used there), nor
    over an index without the law library's articles of the learned laws (they would rank
    the same twice)."""
    from assistant.query import places

    t = tuning()
    table = learned_terms.learned_for(index)
    return (k >= DEPTH and 0 < t.wide_keep < DEPTH and t.expansion_weight > 0
            and table is not None and bool(table.articles_wide) and not places(query)
            and learned_terms.learned_law_rows(index, table) is not None)


def fill(index, query: str, rows: list[int], scores: np.ndarray, mask: np.ndarray | None,
         k: int, wide: list[int] | None = None) -> list[int]:
    """The ranking's top DEPTH: its first `wide_keep` places, then the wide ranking's (when
    given), then up to cocited_slots + neighbour_slots companions in the last places (rows
    displaced from the top DEPTH follow it; no row is lost)."""
    t = tuning()
    if k < DEPTH or not rows:
        return rows
    if wide:
        rows = _merged(index, rows, wide, t.wide_keep)
    if not (t.cocited_slots or t.neighbour_slots):
        return rows
    top = rows[:DEPTH]
    taken = {_article(index, row) for row in top}
    added: list[int] = []

    def offer(row: int | None) -> bool:
        if row is None or row in top or row in added or _article(index, row) in taken:
            return False
        added.append(row)
        taken.add(_article(index, row))
        return True

    def place(candidates: list[int], slots: int) -> None:
        placed = 0
        for row in candidates:
            if placed < slots and offer(row):
                placed += 1

    if t.cocited_slots:
        place(_cocited(index, query, top[:COCITED_SOURCES], mask), t.cocited_slots)
    if t.neighbour_slots:
        place(_neighbours(index, top[0], scores), t.neighbour_slots)
    if not added:
        return rows
    kept = [row for row in top if row not in added][:DEPTH - len(added)]
    return kept + added + [row for row in rows if row not in kept and row not in added]


def _merged(index, rows: list[int], wide: list[int], keep: int) -> list[int]:
    """rows[:keep], then the wide ranking, then the rest of rows: one row per article."""
    out, seen = [], set()
    for row in [*rows[:keep], *wide, *rows[keep:]]:
        article = _article(index, row)
        if article not in seen:
            seen.add(article)
            out.append(row)
    return out


def _article(index, row: int) -> tuple[str, str]:
    chunk = index.chunks[row]
    return index.docs[chunk.doc_id].title, chunk.article or chunk.id


def _neighbours(index, row: int, scores: np.ndarray) -> list[int]:
    """The rows of the articles next to `row`'s in its law that match the question."""
    chunk = index.chunks[row]
    value = article_value(chunk.article) if chunk.article else None
    if value is None or not from_law_library(index.docs[chunk.doc_id]):
        return []
    out = []
    for offset in NEIGHBOUR_OFFSETS:
        if value[0] + offset < 1:
            continue
        held = index.article_rows(chunk.doc_id, article_label(value[0] + offset))
        best = max(held, key=lambda r: scores[r], default=None)
        if best is not None and scores[best] > 0:
            out.append(best)
    return out


def _cocited(index, query: str, sources: list[int], mask: np.ndarray | None) -> list[int]:
    """Rows of the articles cited with the source rows' articles, most-cited first."""
    from assistant.query import places

    table = learned_terms.learned_for(index)
    if table is None or not table.cocited or places(query):
        return []
    laws = learned_terms.learned_law_rows(index, table)
    if laws is None:
        return []
    out = []
    for row in sources:
        if not laws[row]:
            continue
        chunk = index.chunks[row]
        key = learned_terms.article_key(index.docs[chunk.doc_id].title, chunk.article)
        for other in table.cocited.get(key, []):
            found = _row_of(index, other, prefer=chunk.doc_id)
            if found is not None and laws[found] and (mask is None or mask[found] > 0):
                out.append(found)
    return out


def _row_of(index, key: str, prefer: str) -> int | None:
    """The first row of a "law title 第X条" article: in the document `prefer` when it is that
    law, else in the law library's current version of it."""
    title, _, article = key.rpartition(learned_terms.ARTICLE_KEY_SEPARATOR)
    for doc_id in [prefer, *_documents(index).get(title, [])]:
        if index.docs[doc_id].title == title:
            held = index.article_rows(doc_id, article)
            if held:
                return held[0]
    return None


def _documents(index) -> dict[str, list[str]]:
    """Law title → its law-library documents, the current version first (built once)."""
    cached = index.__dict__.get("_top_ten_documents")
    if cached is None:
        from assistant.lexical import superseded

        old = dict(zip(index._doc_order, superseded(index), strict=True))
        cached = {}
        for doc_id in sorted(index._doc_order, key=lambda d: bool(old[d])):
            meta = index.docs[doc_id]
            if from_law_library(meta):
                cached.setdefault(meta.title, []).append(doc_id)
        index._top_ten_documents = cached
    return cached
