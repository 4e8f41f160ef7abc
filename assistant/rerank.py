"""A learned re-ranker for a top ten over the law library (data/rerank.yaml, learned from
STARD's dev questions only by scripts/make_rerank.py, measured by 5-fold cross-validation).

The ranking a top ten is built from mixes several signals by hand-set rules: the precise
ranking's first places, the wide expansion's for the rest, one co-cited place, the law prior
of the most similar labelled questions. Each candidate of the first CANDIDATES places gets a
feature vector of what those steps already know about it — its place in each ranking and
its score there, how much of the question it covers, its law's share of the similar questions'
votes and its own, its law's place among the ranking's laws, whether it is of the first
place's law, co-cited with the first two or next to the first three, and how many labelled
questions cite it — and a logistic regression (plain numpy, assistant/answer_scorer.fit) the
probability that it is one of the question's articles. The places after the first
`rerank_keep` are sorted again by it.

Only where the wide ranking is used (top_ten.widens: a list of ten or more, the law library's
learned laws, no place named): `ask`'s five and the cleaner-production corpus are untouched.
Off unless data/answering.yaml says `rerank: true`.

`Trees` evaluates gradient-boosted trees (eval/stard_boost.py learns them) over the same rows
in plain numpy — every candidate down every tree at once. Measured in their place by nested
cross-validation on STARD dev (issue 12): hit@5 a little up, recall@10 down in every fold, so
the shipped model stays the logistic regression; `eval-stard --nested K --nested-trees` measures
them again.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
from pydantic import PrivateAttr, model_validator

from assistant import learned_terms
from assistant.articles import article_value
from assistant.learned_model import LearnedModel
from assistant.models import Strict
from assistant.tuning import tuning

RERANK_FILE = Path(__file__).resolve().parent / "data" / "rerank.yaml"
CANDIDATES = 50  # the places re-ranked (the rest follow in their order)
FIRST_SOURCES = 2  # co-citation: companions of the first two places
NEAR_SOURCES = 3  # neighbours: within NEAR articles of one of the first three
NEAR = 2

# The feature vector, in order (the data file lists the same names: a mismatch is refused).
FEATURES = (
    "log_place", "log_precise_rank", "log_wide_rank", "precise_score", "wide_score",
    "coverage", "law_share", "article_votes", "log_law_place", "first_law", "cocited",
    "log_cited_by", "near_first",
)


class RerankProvenance(Strict):
    learned_from: str
    questions: int
    candidates: int
    positives: int
    l2: float
    fingerprint: str  # sha256 of the training rows (ids, features, labels)
    script: str


class Trees(Strict):
    """Gradient-boosted trees (learned by eval/stard_boost.py): per tree a complete binary tree
    of one depth, breadth first — inner node i splits on feature[t][i] at threshold[t][i] (a
    value above it goes right; +inf: every row left), leaf j adds value[t][j] to the logit."""

    base: float
    feature: list[list[int]]
    threshold: list[list[float]]
    value: list[list[float]]
    _arrays: tuple | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _complete(self) -> Trees:
        leaves = {len(v) for v in self.value}
        inner = {len(f) for f in self.feature} | {len(t) for t in self.threshold}
        if not len(self.feature) == len(self.threshold) == len(self.value) or len(leaves) > 1 \
                or any(n & (n - 1) or inner != {n - 1} for n in leaves):
            raise ValueError("trees must be complete binary trees of one depth")
        return self

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The logit per row: every row down every tree at once, one look-up per level."""
        if self._arrays is None:
            self._arrays = tuple(np.asarray(a, dtype=d).reshape(len(self.value), -1) for a, d in
                                 ((self.feature, np.intp), (self.threshold, np.float64),
                                  (self.value, np.float64)))
        feature, threshold, value = self._arrays
        inner = feature.shape[1]
        trees = np.arange(len(value))
        node = np.zeros((len(rows), len(value)), dtype=np.intp)
        for _ in range(inner.bit_length()):  # depth = log2(inner + 1)
            x = np.take_along_axis(rows, feature[trees, node], axis=1)
            node = 2 * node + 1 + (x > threshold[trees, node])
        return self.base + value[trees, node - inner].sum(axis=1)


class Reranker(Strict):
    provenance: RerankProvenance
    features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The logit per row (the order is all that is used)."""
        z = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.weights) + self.bias


_slot = LearnedModel(RERANK_FILE, Reranker, FEATURES, "scripts/make_rerank.py")


def _shipped() -> Reranker | None:
    return _slot.shipped


def active() -> Reranker | None:
    """The model in use: the one `overridden` put in place, else the shipped file when the
    tuning turns it on."""
    return _slot.active(tuning().rerank)


def overridden(model: Reranker | None):
    """Another model (None: none) while the block runs: cross-validation asks each fold with a
    model learned from the other folds only."""
    return _slot.overridden(model)


def collecting():
    """Record every top ten's candidate rows and feature vectors while the block runs (the
    learning script's view), whether or not a model is in use."""
    return _slot.collecting()


def reordered(index, tokens: list[str], rows: list[int], precise: list[int], wide: list[int],
              scores: np.ndarray, wide_scores: np.ndarray, covered: dict) -> list[int]:
    """rows with its places after `rerank_keep` (of the first CANDIDATES) sorted by the
    model's probability that each is one of the question's articles."""
    model = active()
    if (model is None and not _slot.collecting_now()) or len(rows) < 2:
        return rows
    head = rows[:CANDIDATES]
    features = feature_rows(index, tokens, head, precise, wide, scores, wide_scores, covered)
    _slot.record((head, features))
    if model is None:
        return rows
    keep = tuning().rerank_keep
    logits = model.scores(features)
    rest = sorted(range(keep, len(head)), key=lambda i: -logits[i])  # stable on ties
    return head[:keep] + [head[i] for i in rest] + rows[CANDIDATES:]


def feature_rows(index, tokens: list[str], rows: list[int], precise: list[int],
                 wide: list[int], scores: np.ndarray, wide_scores: np.ndarray,
                 covered: dict) -> np.ndarray:
    from assistant.similar_questions import votes

    table = learned_terms.learned()
    laws, articles = votes(index, tokens)
    keys = [_key(index, row) for row in rows]
    titles = [key[0] for key in keys]
    precise_at = {row: n for n, row in enumerate(precise[:CANDIDATES])}
    wide_at = {row: n for n, row in enumerate(wide[:CANDIDATES])}
    top = float(scores[precise[0]]) if precise else 0.0
    wide_top = float(wide_scores[wide[0]]) if wide else 0.0
    coverage = covered.get("rows", {})
    law_place: dict[str, int] = {}
    for title in titles:
        law_place.setdefault(title, len(law_place))
    cocited = set()
    if table is not None:
        for title, article in keys[:FIRST_SOURCES]:
            cocited.update(table.cocited.get(learned_terms.article_key(title, article), []))
    cited_by = _cited_by(table)
    near = [(index.chunks[row].doc_id, _number(index, row)) for row in rows[:NEAR_SOURCES]]
    absent = math.log1p(CANDIDATES)
    out = []
    for place, (row, (title, article)) in enumerate(zip(rows, keys, strict=True)):
        key = learned_terms.article_key(title, article)
        doc_id, number = index.chunks[row].doc_id, _number(index, row)
        close = any(doc_id == d and number is not None and n is not None
                    and 0 < abs(number - n) <= NEAR for d, n in near)
        out.append([
            math.log1p(place),
            math.log1p(precise_at[row]) if row in precise_at else absent,
            math.log1p(wide_at[row]) if row in wide_at else absent,
            float(scores[row]) / top if top > 0 else 0.0,
            float(wide_scores[row]) / wide_top if wide_top > 0 else 0.0,
            coverage.get(row, 0.0),
            laws.get(title, 0.0),
            articles.get(key, 0.0),
            math.log1p(law_place[title]),
            float(title == titles[0]),
            float(key in cocited),
            math.log1p(cited_by.get(key, 0)),
            float(close),
        ])
    return np.asarray(out, dtype=np.float64).reshape(len(rows), len(FEATURES))


def _key(index, row: int) -> tuple[str, str]:
    chunk = index.chunks[row]
    return index.docs[chunk.doc_id].title, chunk.article or chunk.id


def _number(index, row: int) -> int | None:
    article = index.chunks[row].article
    value = article_value(article) if article else None
    return value[0] if value else None


def _cited_by(table) -> Counter:
    """Article key → how many labelled questions cite it (kept with the table: its own id)."""
    if table is None:
        return Counter()
    cache = _cited_by.__dict__.setdefault("cache", {})
    if cache.get("table") is not table:
        cache.update(table=table, counts=Counter(k for q in table.asked for k in q.articles))
    return cache["counts"]
