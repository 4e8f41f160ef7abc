"""The laws of the labelled questions most like this one, as a prior on a ranking's later
places: question-to-question neighbours, the one lexical signal that does not need the
question's words to be the article's.

A new question's words are compared by BM25 with those of the labelled questions
(data/learned_legal.yaml `asked`, learned from STARD's dev questions only, like the rest of
that file); the NEIGHBOURS most similar ones within MIN_SIMILARITY of the best vote for the
laws they cite, by similarity. After the first `law_prior_keep` places the ranking is sorted
again by 1 / (RRF_K + rank) × (1 + `law_prior_weight` × the law's share of the votes): an
article of a law people asking the same thing needed moves up past other laws' articles.

Measured on STARD dev by 5-fold cross-validation (each fold's neighbours from the other four).
Voting for the neighbours' articles themselves (a place quota or RRF fusion) was measured too
and dropped: the articles the neighbours cite that the ranking lacks are seldom the answer
(README). Off for a question naming a place and outside the law library's articles of the
learned laws (learned_terms.learned_law_rows), like the other learned tables.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from assistant import learned_terms
from assistant.tuning import tuning

NEIGHBOURS = 20
MIN_SIMILARITY = 0.5  # of the most similar question's score
RRF_K = 60


def law_shares(index, tokens: list[str]) -> dict[str, float]:
    """Law title → its share of the similar questions' votes (empty: no similar question)."""
    return votes(index, tokens)[0]


def votes(index, tokens: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """The similar questions' votes, by similarity, as shares: per law title, and per article
    ("law title 第X条"; assistant/rerank.py). Kept for the last question asked: a top ten asks
    twice."""
    table = learned_terms.learned()
    if table is None or not table.asked:
        return {}, {}
    # Threads share the index: each entry is one tuple, read once and replaced whole, with the
    # table it was made from (kept with it: its own id) — a thread never reads another's half
    # (a clear() then update() let a second thread find no "bm25" between the two).
    cache = index.__dict__.setdefault("_similar_questions", {})
    entry = cache.get("bm25")
    if entry is None or entry[0] is not table:
        entry = cache["bm25"] = (table, learned_terms.TextsBM25(
            [q.question for q in table.asked], index.meta.token_mode), _citations(table))
    last = cache.get("last")  # the last question's (table, tokens, votes)
    if last is not None and last[0] is table and last[1] == tokens:
        return last[2]
    scores = entry[1].scores(tokens)
    order = _most_similar(scores)
    best = float(scores[order[0]]) if len(order) else 0.0
    laws: defaultdict[str, float] = defaultdict(float)
    articles: defaultdict[str, float] = defaultdict(float)
    for n in order:
        similarity = float(scores[n]) / best if best > 0 else 0.0
        if similarity < MIN_SIMILARITY:
            break
        cited_laws, cited = entry[2][n]
        for law in cited_laws:
            laws[law] += similarity
        for key in cited:
            articles[key] += similarity
    total = sum(laws.values())
    shares = ({law: vote / total for law, vote in laws.items()},
              {key: vote / total for key, vote in articles.items()}) if total else ({}, {})
    cache["last"] = (table, list(tokens), shares)
    return shares


def _citations(table) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per labelled question, the laws and the articles it cites, each once, in the order the
    articles are listed (a set's order changes with each process's string hashing, and the
    float sums with it): worked out with the table's BM25, not for every neighbour asked."""
    out = []
    for asked in table.asked:
        cited = tuple(dict.fromkeys(asked.articles))
        out.append((tuple(dict.fromkeys(k.rpartition(learned_terms.ARTICLE_KEY_SEPARATOR)[0]
                                        for k in cited)), cited))
    return out


def _most_similar(scores: np.ndarray) -> np.ndarray:
    """`scores.argsort()[::-1][:NEIGHBOURS]` as far as `votes` reads it: the questions within
    MIN_SIMILARITY of the best, most similar first, at most NEIGHBOURS. Those few are sorted
    alone when their scores are all distinct (and distinct from the next one's at the cut),
    so no tie could be ordered otherwise than the full sort orders it; with a tie, the full
    sort itself (an unstable sort's ties are its own)."""
    best = scores.max(initial=0)
    if best <= 0:  # no question is similar (the loop stops at once): the full sort, as ever
        return scores.argsort()[::-1][:NEIGHBOURS]
    # votes' own test, float(score) / best < MIN_SIMILARITY, in the same float64 arithmetic
    near = np.flatnonzero(scores.astype(np.float64) / float(best) >= MIN_SIMILARITY)
    values = scores[near]
    ranked = near[np.argsort(-values, kind="stable")]
    if len(ranked) > NEIGHBOURS:
        ranked = ranked[:NEIGHBOURS + 1]
    kept = scores[ranked]
    if len(np.unique(kept)) < len(kept):
        return scores.argsort()[::-1][:NEIGHBOURS]
    return ranked[:NEIGHBOURS]


def reordered(index, query: str, tokens: list[str], rows: list[int]) -> list[int]:
    """rows with those after the first `law_prior_keep` sorted again by their rank lifted by
    their law's share of the similar questions' votes."""
    from assistant.query import places

    t = tuning()
    table = learned_terms.learned_for(index)
    if t.law_prior_weight <= 0 or len(rows) <= t.law_prior_keep or table is None \
            or places(query):
        return rows
    laws = learned_terms.learned_law_rows(index, table)
    if laws is None:
        return rows
    shares = law_shares(index, tokens)
    if not shares:
        return rows
    keep = t.law_prior_keep

    def lifted(item: tuple[int, int]) -> float:
        rank, row = item
        share = shares.get(index.docs[index.chunks[row].doc_id].title, 0.0) if laws[row] else 0
        return -(1 + t.law_prior_weight * share) / (RRF_K + rank)

    rest = sorted(enumerate(rows[keep:], start=keep + 1), key=lifted)
    return rows[:keep] + [row for _, row in rest]
