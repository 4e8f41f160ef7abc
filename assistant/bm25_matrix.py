"""The BM25 score matrix, built in numpy straight from the index's flat token-id arrays.

bm25s builds the same matrix from a Python list of lists of token ids; for the 65 MB law
corpus that is 26 million Python ints and pushes a build past 2 GB. Here the token ids stay
int32 arrays throughout. The result is bm25s's own format (Lucene variant, CSC by term), saved
by bm25s and queried here (ScoreMatrix); tests/assistant/test_bm25_matrix.py checks parity
with bm25s.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

K1, B = 1.5, 0.75  # bm25s defaults, which the index has always used


def import_bm25s():
    """bm25s, imported late (it pulls in scipy) and quietened: on import it sets its own logger
    to DEBUG and then logs every build step."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def lucene_scores(flat_ids: np.ndarray, offsets: np.ndarray, n_vocab: int,
                  batch: int = 4_000_000) -> dict:
    """bm25s `scores` dict (data, indices, indptr, num_docs) for chunks whose token ids are
    flat_ids[offsets[i]:offsets[i + 1]].

    The (term, chunk) pairs are counted a range of terms at a time, about `batch` tokens per
    range: sorting all 26 M tokens of the law library as one int64 array held ~1.1 GB of
    temporaries at the build's peak. Ranges in term order give the pairs in the same CSC order
    (term, then chunk) and every value is computed by the same element-wise expression, so the
    matrix is the same bit for bit whatever the batch (tests/assistant/test_bm25_matrix.py)."""
    lengths = np.diff(offsets).astype(np.int64)
    if (lengths == 0).any():
        # bm25s is given token 0 for an empty chunk; do the same so the statistics agree.
        flat_ids = np.insert(flat_ids, offsets[:-1][lengths == 0], 0)
        lengths = np.maximum(lengths, 1)
    n_docs = len(lengths)
    doc_of_token = np.repeat(np.arange(n_docs, dtype=np.int32), lengths)
    ranges = _term_ranges(flat_ids, n_vocab, batch)
    df = np.zeros(n_vocab, dtype=np.int64)
    rows, tf = [], []  # per range: the chunk and the frequency of each (term, chunk) pair
    for low, high in ranges:
        where = np.flatnonzero((flat_ids >= low) & (flat_ids < high))
        pairs, counts = np.unique((flat_ids[where].astype(np.int64) << 32) | doc_of_token[where],
                                  return_counts=True)
        del where
        df[low:high] = np.bincount((pairs >> 32) - low, minlength=high - low)
        rows.append((pairs & 0xFFFFFFFF).astype(np.int32))
        tf.append(counts.astype(np.float32))
        del pairs, counts
    del doc_of_token
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
    mean_length = lengths.mean()
    total = int(df.sum())
    indices, data = np.empty(total, dtype=np.int32), np.empty(total, dtype=np.float32)
    at = 0
    for i, (low, high) in enumerate(ranges):
        r, t = rows[i], tf[i]
        rows[i] = tf[i] = None  # each range's pairs are only needed until written
        cols = np.repeat(np.arange(low, high), df[low:high])
        norm = K1 * ((1 - B) + B * lengths[r] / mean_length)
        indices[at:at + len(r)] = r
        data[at:at + len(r)] = (idf[cols] * (t / (norm + t))).astype(np.float32)
        at += len(r)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}


def _term_ranges(flat_ids: np.ndarray, n_vocab: int, batch: int) -> list[tuple[int, int]]:
    """Consecutive term-id ranges [low, high) covering the vocabulary, each holding about
    `batch` tokens (a single term more frequent than that gets a range of its own)."""
    per_term = np.bincount(flat_ids, minlength=n_vocab)
    cuts = np.searchsorted(np.cumsum(per_term), np.arange(batch, int(per_term.sum()), batch),
                           side="right")
    bounds = [0, *sorted({int(c) for c in cuts if 0 < c < n_vocab}), n_vocab]
    return list(zip(bounds, bounds[1:]))


def bm25s_retriever(scores: dict, vocab: dict[str, int]):
    """A bm25s retriever holding a matrix built here, ready to save and query."""
    retriever = import_bm25s().BM25(k1=K1, b=B)
    retriever.scores = scores
    retriever.vocab_dict = vocab
    retriever.unique_token_ids_set = set(vocab.values())
    retriever.nonoccurrence_array = None  # Lucene scoring has no non-occurrence term
    return retriever


class ScoreMatrix:
    """The saved bm25s matrix (CSC by term), memory-mapped and scored with numpy alone.

    Loading it through bm25s would import scipy (a quarter of a second) and copy every array
    into memory; a query only reads the columns of its own terms. Scores are summed term by
    term in query order, in float32, exactly as bm25s's numpy backend sums them, so rankings
    and ties are bm25s's (tests/assistant/test_bm25_matrix.py)."""

    def __init__(self, directory: Path) -> None:
        # Plain ndarray views of the maps: slicing an np.memmap builds a memmap per slice.
        self.data = _mapped(directory / "data.csc.index.npy")
        self.indices = _mapped(directory / "indices.csc.index.npy")
        self.indptr = _mapped(directory / "indptr.csc.index.npy")
        params = json.loads((directory / "params.index.json").read_text("utf-8"))
        self.num_docs = int(params["num_docs"])
        self.dtype = np.dtype(params.get("dtype", "float32"))
        self.vocab: dict[str, int] = json.loads(
            (directory / "vocab.index.json").read_text("utf-8"))

    def token_ids(self, tokens: list[str]) -> list[int]:
        """Ids of the tokens the index knows, duplicates kept (a repeated term counts twice)."""
        vocab = self.vocab
        return [vocab[t] for t in tokens if t in vocab]

    def doc_freq(self, token: str) -> int:
        token_id = self.vocab.get(token)
        if token_id is None or token_id + 1 >= len(self.indptr):
            return 0
        return int(self.indptr[token_id + 1] - self.indptr[token_id])

    def column(self, token_id: int) -> tuple[np.ndarray, np.ndarray]:
        """One term's column: the rows holding it and their scores (views of the maps)."""
        start, end = self.indptr[token_id], self.indptr[token_id + 1]
        return self.indices[start:end], self.data[start:end]

    def scores(self, token_ids: list[int], weight_mask: np.ndarray | None = None) -> np.ndarray:
        scores = np.zeros(self.num_docs, dtype=self.dtype)
        if token_ids:
            # Every entry of every query column, column after column in query order: np.add.at
            # adds them one by one in that order, so each chunk's float32 sum is bm25s's.
            rows, values, _ = joined([self.column(t) for t in token_ids])
            np.add.at(scores, rows, values)
        if weight_mask is not None:
            scores *= weight_mask
        return scores


class ColumnsWithin:
    """The matrix's columns cut to some rows (each column cut on first use, then kept): the
    soft terms that only count on those rows read a share of their entries, not all of them."""

    def __init__(self, matrix: ScoreMatrix, keep: np.ndarray) -> None:
        self.matrix, self.keep = matrix, keep
        self._cut: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def column(self, token_id: int) -> tuple[np.ndarray, np.ndarray]:
        cut = self._cut.get(token_id)
        if cut is None:
            rows, values = self.matrix.column(token_id)
            inside = self.keep[rows]
            cut = self._cut[token_id] = (rows[inside], values[inside])
        return cut


def joined(columns: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray]:
    """The columns' rows (as intp: numpy indexes with those without a conversion) and values
    end to end, new arrays, and each column's length."""
    lengths = np.fromiter((len(rows) for rows, _ in columns), dtype=np.int64, count=len(columns))
    return (np.concatenate([rows for rows, _ in columns], dtype=np.intp),
            np.concatenate([values for _, values in columns]), lengths)


def add_columns(scores: np.ndarray, columns: list[tuple[np.ndarray, np.ndarray]],
                weights: list[float], row_weights: np.ndarray | None = None) -> np.ndarray:
    """scores + Σ weight × column (× the row's weight), as a new float32 array. Each entry is
    (weight × value) × row weight in float32 and added in column order, as a column-by-column
    `out[rows] += weight * values * row_weights[rows]` adds it, so every sum is the same."""
    out = scores.astype(np.float32, copy=True)
    if not columns:
        return out
    # Each column's rows and weighted values written straight into one buffer each (no
    # concatenation of temporaries, no repeated weight array): weight × value is the float32
    # product either way (the weight as float32).
    total = sum(len(rows) for rows, _ in columns)
    rows, values = np.empty(total, dtype=np.intp), np.empty(total, dtype=np.float32)
    at = 0
    for (column_rows, column_values), weight in zip(columns, weights, strict=True):
        end = at + len(column_rows)
        rows[at:end] = column_rows
        np.multiply(column_values, np.float32(weight), out=values[at:end])
        at = end
    if row_weights is not None:
        values *= row_weights.take(rows)
    np.add.at(out, rows, values)
    return out


def column_sums(matrix: dict, token_ids, out: np.ndarray) -> np.ndarray:
    """The matrix's columns of token_ids added into `out`, in that order. One np.add.at over the
    columns end to end: it adds each entry in turn, so every row gets its terms in the order
    a column-by-column `out[rows] += values` adds them (a row is once in a column), and the
    same float32 sums, in one call instead of three array operations per term."""
    indptr, indices, data = matrix["indptr"], matrix["indices"], matrix["data"]
    spans = [(indptr[t], indptr[t + 1]) for t in token_ids]
    if spans:
        np.add.at(out, np.concatenate([indices[a:b] for a, b in spans]),
                  np.concatenate([data[a:b] for a, b in spans]))
    return out


def _mapped(path: Path) -> np.ndarray:
    return np.load(path, mmap_mode="r").view(np.ndarray)
