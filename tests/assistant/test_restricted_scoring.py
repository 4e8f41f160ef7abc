"""The retrieval path touches only the rows that can change (the top rows' candidates, the
rows of matched fields, the learned laws' rows of a soft term): each step must give the same
float32 scores, bit for bit, and the same ranking as the plain full-array formula it replaces."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant import learned_terms, lexical, retrieve
from assistant.bm25_matrix import ColumnsWithin, add_columns
from assistant.query import expand, places
from assistant.tokenize import tokenize
from assistant.tuning import tuning

QA = Path(__file__).resolve().parents[2] / "eval" / "data" / "qa.jsonl"


def full_top_rows(scores: np.ndarray, n: int) -> list[int]:
    """Every positive row sorted by (score descending, row): the definition of the top n."""
    rows = np.flatnonzero(scores > 0)
    return rows[np.lexsort((rows, -scores[rows]))][:n].tolist()


def full_field_scores(index, tokens, scores, mask):
    fields = index._field_index
    out = fields.field_doc_scores(tokens)[fields.rows]
    out *= tuning().field_weight
    if mask is not None:
        out *= mask
    out *= scores > 0
    out += scores
    return out


def full_add_weighted(index, scores, weights, mask):
    """Column after column over the whole array, as the soft terms were first added."""
    matrix = index.bm25
    out = scores.astype(np.float32, copy=True)
    for tid, weight in weights.items():
        a, b = matrix.indptr[tid], matrix.indptr[tid + 1]
        rows = matrix.indices[a:b]
        gain = weight * matrix.data[a:b]
        out[rows] += gain * mask[rows] if mask is not None else gain
    return out


def _questions(n: int = 40) -> list[str]:
    lines = [line for line in QA.read_text("utf-8").splitlines() if line.strip()]
    return [expand(json.loads(line)["question"]) for line in lines[:n]]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_top_rows_is_the_full_sort_ties_and_cut_included(seed):
    rng = np.random.default_rng(seed)
    for size in (0, 7, 300, 6_000, 40_000):
        scores = np.zeros(size, dtype=np.float32)
        hit = rng.random(size) < rng.choice([0.001, 0.05, 0.5])
        # few distinct values: many ties, also at the n-th place
        scores[hit] = rng.choice(np.float32([0.5, 1.25, 2.0, 3.5, 7.0]), int(hit.sum()))
        for n in (0, 1, 5, 50, 400):
            assert retrieve.top_rows(scores, n) == full_top_rows(scores, n), (size, n)


@pytest.mark.parametrize("share", [0, lexical.FIELD_SPARSE_SHARE, 10**9])
def test_field_scores_touch_only_matched_fields_exactly(index, monkeypatch, share):
    """Both ways, the matched fields' rows alone (share 0) and the whole array (10**9)."""
    assert tuning().field_weight > 0
    monkeypatch.setattr(lexical, "FIELD_SPARSE_SHARE", share)
    for query in _questions():
        tokens = tokenize(index.without_names(query), index.meta.token_mode)
        mask = index.mask(None, query)
        scores = index.bm25_scores(tokens, mask)
        ours = lexical.add_field_scores(index, tokens, scores, mask)
        assert ours.tobytes() == full_field_scores(index, tokens, scores, mask).tobytes(), query


def test_soft_terms_and_cut_columns_add_exactly(index):
    rng = np.random.default_rng(3)
    keep = rng.random(len(index.chunks)) < 0.2
    for query in _questions(20):
        tokens = tokenize(index.without_names(query), index.meta.token_mode)
        ids = list(dict.fromkeys(index.bm25.token_ids(tokens)))
        weights = {tid: float(w) for tid, w in zip(ids, rng.uniform(0.1, 2.5, len(ids)))}
        scores = index.bm25_scores(tokens)
        for mask in (None, index.mask(None, query)):
            ours = lexical.add_weighted(index, scores, weights, mask)
            assert ours.tobytes() == full_add_weighted(index, scores, weights, mask).tobytes()
            # a soft term counted on some rows only: its columns cut to them, or the full
            # columns times a 0/1 row weight, give the same sums
            cut = ColumnsWithin(index.bm25, keep)
            on_rows = add_columns(scores, [cut.column(t) for t in weights], list(weights.values()),
                                  mask)
            rows_weight = keep.astype(np.float32) * (1 if mask is None else mask)
            assert on_rows.tobytes() == full_add_weighted(index, scores, weights,
                                                          rows_weight).tobytes()


def full_soft_terms(index, query, tokens, scores, mask):
    """The lay terms over the whole array, then the learned translations over the whole
    array times the learned laws' 0/1 row weight: two passes, column after column."""
    lay = lexical.lay_weights(index, query, tokens)
    out = full_add_weighted(index, scores, lay, mask) if lay else scores
    table = learned_terms.learned_for(index)
    weights = {} if places(query) else learned_terms.term_weights(index, tokens)
    if weights and table is not None and learned_terms.learned_law_rows(index, table) is not None:
        laws = learned_terms.learned_law_rows(index, table)
        out = full_add_weighted(index, out, weights, laws * (1 if mask is None else mask))
    return out


def test_soft_terms_in_one_pass_as_in_two(index):
    for query in _questions():
        tokens = tokenize(index.without_names(query), index.meta.token_mode)
        for mask in (None, index.mask(None, query)):
            scores = index.bm25_scores(tokens, mask)
            ours = retrieve._soft_terms(index, query, tokens, scores, mask)
            assert ours.tobytes() == full_soft_terms(index, query, tokens, scores, mask).tobytes()


def test_retrieve_ranks_as_the_full_array_path(index, monkeypatch):
    """End to end: the same hits and scores with every step replaced by its full formula."""
    def hits(query):
        return [(h.row, h.score) for h in retrieve.retrieve(index, query, k=10).hits]

    questions = _questions()
    ours = [hits(q) for q in questions]
    monkeypatch.setattr(retrieve, "top_rows", full_top_rows)
    monkeypatch.setattr(lexical, "add_field_scores", full_field_scores)
    monkeypatch.setattr(lexical, "add_weighted", full_add_weighted)
    monkeypatch.setattr(retrieve, "_soft_terms", full_soft_terms)
    assert [hits(q) for q in questions] == ours
    assert any(ours)
