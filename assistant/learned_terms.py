"""Lay → legal vocabulary learned from labelled questions (data/learned_legal.yaml).

STARD's training questions are each labelled with the statute articles that answer them. From
those (question, article) pairs `eval/stard_learn.py` learns two things, written to a typed
data file by scripts/make_learned_terms.py (its provenance is in the file):

- `terms`: a translation table, question word → the article words that co-occur with it in
  the labelled articles far more often than by chance (minimum support of several distinct
  questions, a cap per word). Added to a question as soft terms, like data/lay_legal.yaml.
- `articles`: document expansion, an article → the question words of at least two distinct
  questions that cite it (what people call the thing the article regulates). Scored as one
  more BM25 field of that article, added only where the article matches on its own text.
- `articles_wide`: the same from every question citing the article (one is enough) — noisier,
  so it only ranks the last places of a top ten (assistant/top_ten.py);
- `cocited`: an article → the articles cited with it by at least two distinct questions
  (used by assistant/top_ten.py to give one of the ten places to such a companion).
- `asked`: the questions themselves with the articles they cite (assistant/similar_questions.py:
  the laws the most similar ones cite lift those laws' articles after a ranking's first places).

Both are weighted in data/answering.yaml (`learned_weight`, `expansion_weight`; 0 turns one
off). The evaluation's cross-validation swaps in a table learned without the questions it
asks (`overridden`), so no figure is in-sample.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant import datafile
from assistant.bm25_matrix import ColumnsWithin, column_sums
from assistant.models import Strict
from assistant.tuning import tuning

LEARNED_FILE = Path(__file__).resolve().parent / "data" / "learned_legal.yaml"
ARTICLE_KEY_SEPARATOR = " "  # "中华人民共和国民法典 第五百七十七条"


class Provenance(Strict):
    source: str
    learned_from: str
    questions: int
    pairs: int
    min_support: int
    max_terms: int
    min_lift: float
    expansion_support: int
    cocitation_support: int = 2
    wide_support: int = 1
    script: str
    # the laws the labelled articles belong to: the table speaks of their wording only
    laws: list[str] = []


class AskedQuestion(Strict):
    question: str
    articles: list[str]  # "law title 第X条"


class LearnedTerms(Strict):
    provenance: Provenance
    # question word → {article word: association in (0, 1]}
    terms: dict[str, dict[str, float]] = {}
    # "law title 第X条" → question words of ≥ expansion_support questions citing it
    articles: dict[str, list[str]] = {}
    # … and the question words of ≥ wide_support questions citing it (the last places of a top
    # ten are filled from a ranking with this wider expansion: assistant/top_ten.py)
    articles_wide: dict[str, list[str]] = {}
    # "law title 第X条" → the articles ≥ cocitation_support questions cite with it, most first
    cocited: dict[str, list[str]] = {}
    # every learning question with the articles it cites: the laws of the questions most like a
    # new one are a prior on its ranking's later places (assistant/similar_questions.py)
    asked: list[AskedQuestion] = []


_override: list[LearnedTerms | None] = []


@lru_cache(maxsize=1)
def _shipped() -> LearnedTerms | None:
    if not LEARNED_FILE.is_file():
        return None
    return datafile.load(LEARNED_FILE, LearnedTerms)


def learned() -> LearnedTerms | None:
    """The table in use: the one `overridden` put in place, else the shipped file."""
    return _override[-1] if _override else _shipped()


def learned_for(index) -> LearnedTerms | None:
    """The table in use where it can apply: None over an index without any of the law
    library's articles. The table speaks only to those (`learned_law_rows` is None for any
    table there), so every use of it would leave the ranking as it is: a corpus index answers
    the same without reading the shipped file (~0.5 MB prepared, a tenth of `ask`'s own work
    on a cold start)."""
    from assistant.lawlib import from_law_library

    holds = index.__dict__.get("_holds_law_library")
    if holds is None:
        holds = index.__dict__["_holds_law_library"] = any(
            from_law_library(index.docs[d]) for d in index._doc_order)
    return learned() if holds else None


@contextmanager
def overridden(table: LearnedTerms | None):
    """Another table (None: none) while the block runs: how cross-validation asks each fold
    with a table learned from the other folds only."""
    _override.append(table)
    try:
        yield
    finally:
        _override.pop()


def article_key(title: str, article: str) -> str:
    return f"{title}{ARTICLE_KEY_SEPARATOR}{article}"


def term_weights(index, tokens: list[str]) -> dict[int, float]:
    """BM25 term id → weight for the article words the question's words translate to (words
    the question already has are left out; a word reached from two question words keeps its
    larger association)."""
    weight = tuning().learned_weight
    table = learned_for(index)
    if weight <= 0 or table is None or not table.terms or index.bm25 is None:
        return {}
    vocab, have = index.bm25.vocab, set(tokens)
    out: dict[int, float] = {}
    for token in dict.fromkeys(tokens):  # question order: the same float sums every run
        for term, association in table.terms.get(token, {}).items():
            tid = vocab.get(term)
            if tid is not None and term not in have:
                out[tid] = max(out.get(tid, 0.0), weight * association)
    return out


class TextsBM25:
    """BM25 over a few short texts (an article's learned words, a labelled question), tokenized
    like the index: one score per text for a question's tokens."""

    def __init__(self, texts: list[str], token_mode: str) -> None:
        from assistant.bm25_matrix import lucene_scores
        from assistant.tokenize import tokenize

        self.vocab: dict[str, int] = {}
        ids, offsets = [], [0]
        for text in texts:
            ids.extend(self.vocab.setdefault(t, len(self.vocab))
                       for t in tokenize(text, token_mode))
            offsets.append(len(ids))
        self.matrix = lucene_scores(np.asarray(ids, dtype=np.int32),
                                    np.asarray(offsets, dtype=np.int64),
                                    max(len(self.vocab), 1)) if texts else None

    def scores(self, tokens: list[str]) -> np.ndarray:
        return column_sums(self.matrix, {self.vocab[t] for t in tokens if t in self.vocab},
                           np.zeros(self.matrix["num_docs"], dtype=np.float32))


class ExpansionField:
    """BM25 over each expanded article's learned words (one field document per article key),
    spread to the chunk rows holding that article."""

    def __init__(self, index, articles: dict[str, list[str]]) -> None:
        keys = {key: n for n, key in enumerate(articles)}
        rows, slots = [], []  # the few rows holding an expanded article, and its field
        for (doc_id, article), held in index._article_rows.items():
            slot = keys.get(article_key(index.docs[doc_id].title, article))
            if slot is not None:
                rows.extend(held)
                slots.extend([slot] * len(held))
        self.rows = np.asarray(rows, dtype=np.int64)
        self.slots = np.asarray(slots, dtype=np.int64)
        self.field = TextsBM25([" ".join(words) for words in articles.values()],
                               index.meta.token_mode)
        self.matrix = self.field.matrix

    def scores(self, tokens: list[str]) -> np.ndarray:
        """Per expanded row (`self.rows`): its article's score for the query tokens."""
        return self.field.scores(tokens)[self.slots]


def add_expansion_scores(index, tokens: list[str], scores: np.ndarray,
                         mask: np.ndarray | None, wide: bool = False) -> np.ndarray:
    """scores + expansion weight × each article's learned-words score (× mask), for the rows
    that already score: a boost for articles the question matches, not a source by itself.
    `wide`: the wide expansion (`articles_wide`) instead."""
    weight = tuning().expansion_weight
    table = learned_for(index)
    articles = None if table is None else table.articles_wide if wide else table.articles
    if weight <= 0 or not articles or not len(scores):
        return scores
    laws = learned_law_rows(index, table)
    if laws is None:  # before the field: a corpus without those laws never builds it
        return scores
    cache = index.__dict__.setdefault("_expansion_fields", {})
    if cache.get(wide, (None,))[0] is not table:  # the table is kept with it: its own id
        cache[wide] = (table, ExpansionField(index, articles))
    field = cache[wide][1]
    if field.matrix is None or not len(field.rows):
        return scores
    rows = field.rows
    gain = field.scores(tokens) * laws[rows] * np.float32(weight)
    if mask is not None:
        gain *= mask[rows]
    if tuning().expansion_matched_only:
        gain *= scores[rows] > 0
    out = scores.copy()  # the caller's array may be shared
    out[rows] += gain
    return out


def learned_law_rows(index, table: LearnedTerms) -> np.ndarray | None:
    """Per row: 1 for the law library's articles of the laws the table was learned from, else
    0 (None: the index holds none of them). The table was learned from questions asked of the
    law library, in those laws' wording: a manifest corpus (the cleaner-production documents,
    some of them the same laws) keeps its own ranking and its own synonyms."""
    from assistant.lawlib import from_law_library

    cache = index.__dict__.setdefault("_learned_law_rows", {})
    if id(table) not in cache:
        laws = set(table.provenance.laws)
        per_doc = np.fromiter((index.docs[d].title in laws and from_law_library(index.docs[d])
                               for d in index._doc_order),
                              dtype=np.float32, count=len(index._doc_order))
        cache.clear()
        cache[id(table)] = (table, per_doc[index._doc_pos] if per_doc.any() else None)
    return cache[id(table)][1]


def translation_columns(index, query: str, tokens: list[str]) -> tuple[list, list[float]]:
    """The BM25 columns and weights of the learned translations of the question's words, each
    column on the learned laws' rows only (a twelfth of the law library: elsewhere the law
    weight is 0 and the entry would add exactly 0). None for a question that names a place:
    the table was learned from questions answered by national law, and its lift would
    outweigh the preference for the named place's regulations."""
    from assistant.query import places

    if places(query):
        return [], []
    weights = term_weights(index, tokens)
    table = learned_for(index)
    if not weights or table is None or learned_law_rows(index, table) is None:
        return [], []
    columns = law_columns(index, table)
    return [columns.column(tid) for tid in weights], list(weights.values())


def law_columns(index, table: LearnedTerms) -> ColumnsWithin:
    """The BM25 columns cut to the rows of the laws the table was learned from."""
    cache = index.__dict__.setdefault("_law_columns", {})
    if cache.get(id(table), (None,))[0] is not table:  # the table is kept with it: its own id
        cache.clear()
        cache[id(table)] = (table, ColumnsWithin(index.bm25, learned_law_rows(index, table) > 0))
    return cache[id(table)][1]


def expanded(index, query: str, tokens: list[str], scores: np.ndarray,
             mask: np.ndarray | None, wide: bool = False) -> np.ndarray:
    """scores + the learned document expansion (`wide`: the wide one; not for a place named)."""
    from assistant.query import places

    return scores if places(query) else add_expansion_scores(index, tokens, scores, mask, wide)
