"""Lexical techniques on top of plain BM25, for questions worded unlike the documents.

- The text a chunk is indexed under: a law article carries its law's title and its chapter
  path as extra fields (repeated by their weight), so "劳动合同法 … 试用期" finds 第十九条 even
  though the article never names its law. The dense path embeds the same text.
- A second granularity: each article scored with its neighbours (an article's context is the
  articles around it, as a chapter reads), fused with the single-article ranking by RRF.
- A prior for national law over local regulations when the question names no place.
- Pseudo-relevance feedback (RM3 style): terms that weigh most in the first top passages and
  are rare in the index are added to the question with a small weight.

Every weight is data (data/answering.yaml), and each one is kept only where it measured
better on the dev questions (eval/stard_command.py).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from assistant.models import Chunk, DocumentMeta
from assistant.tuning import tuning

FIELD_VERSION = "1"  # bump when indexed_text changes, so the index re-tokenizes


def indexed_text(meta: DocumentMeta, chunk: Chunk) -> str:
    """The text BM25 (and the dense model) see for a chunk: a law article with its law's
    title and chapter path in front, the rest as they are."""
    t = tuning()
    if not chunk.article or not (t.title_field_weight or t.section_field_weight):
        return chunk.text
    title = " ".join(dict.fromkeys([meta.title, *meta.aliases]))
    section = chunk.section.replace(" > ", " ")
    head = [title] * t.title_field_weight + ([section] * t.section_field_weight if section else [])
    return " ".join(head) + "\n" + chunk.text


def field_fingerprint() -> str:
    """Changes whenever indexed_text would ("" while no field is indexed)."""
    t = tuning()
    if not (t.title_field_weight or t.section_field_weight):
        return ""
    return f"{FIELD_VERSION}:{t.title_field_weight}:{t.section_field_weight}"


def local_prior(index) -> np.ndarray | None:
    """Per-row weight that puts national law before local regulations (None: no local ones)."""
    weight = tuning().local_regulation_weight
    if weight >= 1:
        return None
    local = index._per_document(lambda d: d.kind == "local_regulation")
    if not local.any():
        return None
    return np.where(local, weight, 1.0).astype(np.float32)[index._doc_pos]


def neighbour_scores(index, scores: np.ndarray) -> np.ndarray | None:
    """Each article's score plus a share of its neighbours' in the same document."""
    weight = tuning().neighbour_weight
    if weight <= 0 or len(scores) < 2:
        return None
    same = index._doc_pos[1:] == index._doc_pos[:-1]
    out = scores.copy()
    out[1:] += weight * np.where(same, scores[:-1], 0)
    out[:-1] += weight * np.where(same, scores[1:], 0)
    return out


def feedback_weights(index, tokens: list[str], rows: list[int]) -> dict[int, float]:
    """RM3-style expansion terms (token id → weight) from the top rows of a first ranking."""
    t = tuning()
    if t.prf_terms <= 0 or not rows:
        return {}
    from assistant.tokenize import tokenize

    vocab = index.bm25.vocab_dict
    indptr = index.bm25.scores["indptr"]
    n_docs = index.bm25.scores["num_docs"]
    query = set(tokens)
    weights: Counter[int] = Counter()
    for rank, row in enumerate(rows[:t.prf_docs]):
        terms = Counter(w for w in tokenize(index.chunks[row].text, index.meta.token_mode)
                        if w not in query and w in vocab)
        total = sum(terms.values()) or 1
        for term, tf in terms.items():
            tid = vocab[term]
            df = int(indptr[tid + 1] - indptr[tid])
            idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            weights[tid] += (tf / total) * idf / (rank + 1)
    top = weights.most_common(t.prf_terms)
    if not top:
        return {}
    best = top[0][1]
    return {tid: t.prf_weight * w / best for tid, w in top}


def add_weighted(index, scores: np.ndarray, weights: dict[int, float],
                 mask: np.ndarray | None) -> np.ndarray:
    """scores + Σ weight × the BM25 column of each term (the matrix is CSC by term)."""
    matrix = index.bm25.scores
    out = scores.astype(np.float32, copy=True)
    for tid, weight in weights.items():
        a, b = matrix["indptr"][tid], matrix["indptr"][tid + 1]
        rows = matrix["indices"][a:b]
        gain = weight * matrix["data"][a:b]
        out[rows] += gain * mask[rows] if mask is not None else gain
    return out
