"""Parity: our numpy BM25 matrix equals the one bm25s builds from the same token ids."""

from __future__ import annotations

import numpy as np

from assistant.bm25_matrix import bm25s_retriever, import_bm25s, lucene_scores


def _corpus(seed: int, docs: int = 300, vocab: int = 500):
    rng = np.random.default_rng(seed)
    lists = [rng.integers(0, vocab, size=rng.integers(0, 60)).astype(np.int32) for _ in range(docs)]
    lists[7] = np.zeros(0, np.int32)  # an empty chunk
    flat = np.concatenate(lists)
    offsets = np.concatenate([[0], np.cumsum([len(t) for t in lists])])
    return lists, flat, offsets, vocab


def test_matrix_matches_bm25s_exactly():
    bm25s = import_bm25s()
    for seed in (1, 2, 3):
        lists, flat, offsets, vocab = _corpus(seed)
        reference = bm25s.BM25()
        reference.index(([t.tolist() or [0] for t in lists], {str(i): i for i in range(vocab)}),
                        show_progress=False)
        ours = lucene_scores(flat, offsets, vocab)
        assert ours["num_docs"] == reference.scores["num_docs"]
        assert np.array_equal(ours["indptr"], reference.scores["indptr"])
        assert np.array_equal(ours["indices"], reference.scores["indices"])
        np.testing.assert_allclose(ours["data"], reference.scores["data"], rtol=1e-6)


def test_matrix_is_the_same_whatever_the_batch():
    """Counting the pairs a range of terms at a time (to bound the build's memory) changes no
    value: every batch size gives the one-batch matrix bit for bit."""
    for seed in (5, 6):
        _, flat, offsets, vocab = _corpus(seed, docs=400)
        whole = lucene_scores(flat, offsets, vocab, batch=len(flat) + 1)
        for batch in (1, 7, 100, 1000):
            parts = lucene_scores(flat, offsets, vocab, batch=batch)
            assert parts["num_docs"] == whole["num_docs"]
            for key in ("data", "indices", "indptr"):
                assert parts[key].dtype == whole[key].dtype
                assert parts[key].tobytes() == whole[key].tobytes(), (batch, key)


def test_query_scores_agree():
    bm25s = import_bm25s()
    lists, flat, offsets, vocab = _corpus(9)
    reference = bm25s.BM25()
    reference.index(([t.tolist() or [0] for t in lists], {str(i): i for i in range(vocab)}),
                    show_progress=False)
    mine = bm25s_retriever(lucene_scores(flat, offsets, vocab), {str(i): i for i in range(vocab)})
    for query in ([3, 17, 42], [499], [0, 0, 8]):
        np.testing.assert_allclose(mine.get_scores_from_ids(query),
                                   reference.get_scores_from_ids(query), rtol=1e-5)


def test_saved_matrix_scores_exactly_as_bm25s(tmp_path):
    """The memory-mapped numpy scorer gives bm25s's float32 scores bit for bit."""
    from assistant.bm25_matrix import ScoreMatrix

    lists, flat, offsets, vocab = _corpus(4)
    tokens = {f"t{i}": i for i in range(vocab)}
    saved = bm25s_retriever(lucene_scores(flat, offsets, vocab), tokens)
    saved.save(str(tmp_path / "bm25"), show_progress=False)
    reference = import_bm25s().BM25.load(str(tmp_path / "bm25"), show_progress=False)
    matrix = ScoreMatrix(tmp_path / "bm25")
    mask = np.random.default_rng(4).uniform(0.2, 1.0, len(lists)).astype(np.float32)
    for query in (["t3", "t17", "t42", "nope"], ["t499"], ["t0", "t0", "t8"], []):
        ids = matrix.token_ids(query)
        assert ids == reference.get_tokens_ids(query)
        for weights in (None, mask):
            want = reference.get_scores_from_ids(ids, weight_mask=weights) if ids else None
            if want is not None:
                assert np.array_equal(matrix.scores(ids, weights), want)
    assert matrix.doc_freq("t3") == int(np.diff(reference.scores["indptr"])[3])


def test_column_sums_add_column_by_column_bit_for_bit():
    """column_sums (one np.add.at) gives the float32 sums a loop adding one column at a time
    gives, in the order of the ids asked (repeated ids included)."""
    from assistant.bm25_matrix import column_sums

    rng = np.random.default_rng(5)
    _, flat, offsets, vocab = _corpus(4, docs=2_000, vocab=80)
    matrix = lucene_scores(flat, offsets, vocab)
    for _ in range(30):
        ids = rng.integers(0, vocab, size=rng.integers(0, 12)).tolist()
        start = rng.random(matrix["num_docs"]).astype(np.float32)
        expected = start.copy()
        for tid in ids:
            a, b = matrix["indptr"][tid], matrix["indptr"][tid + 1]
            expected[matrix["indices"][a:b]] += matrix["data"][a:b]
        assert column_sums(matrix, ids, start.copy()).tobytes() == expected.tobytes()
