"""Gradient-boosted trees for the top ten's re-ranker (assistant/rerank.py), learned offline.

Logistic loss on "is one of the question's articles" over every recorded candidate (pointwise:
recall@10 counts each labelled article, and most questions cite two or three). Each tree is a
complete binary tree of a fixed depth over the features binned at their quantiles, its leaf
values Newton steps (sum of gradients over sum of hessians plus `l2`) shrunk by `rate`. A
split is kept only where each side holds `min_hessian` of hessian weight and it gains; a node
that does not split sends every row left (threshold +inf), so the tree stays complete and its
evaluation a fixed number of array look-ups (assistant.rerank.Trees.scores).

Plain numpy and deterministic: the same rows give the same trees. Histograms come from one
np.bincount per tree level over (node, feature, bin), so a 200-tree fit over ~45,000 rows takes
seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BINS = 32  # thresholds tried per feature (its quantiles over the training rows)


@dataclass(frozen=True)
class Boosting:
    trees: int = 150
    depth: int = 2
    rate: float = 0.1
    l2: float = 1.0
    min_hessian: float = 5.0
    # "logistic": each candidate on its own; "pairwise": within a question, every labelled
    # candidate against every other (RankNet), the pairs whose swap would move a labelled
    # article into or out of the first `depth_of` places weighted `weight` times
    objective: str = "logistic"
    depth_of: int = 10
    weight: float = 1.0


def fit_trees(rows: np.ndarray, labels: np.ndarray, params: Boosting = Boosting(),
              sizes: list[int] | None = None) -> dict:
    """The ensemble as plain lists: base (the prior logit), feature and threshold per inner
    node (trees × 2^depth − 1, breadth first), leaf value per leaf (trees × 2^depth).
    `sizes`: the rows' questions, as consecutive runs of these lengths (pairwise only)."""
    rows = np.asarray(rows, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.float64)
    n, features = rows.shape
    edges = [_edges(rows[:, f]) for f in range(features)]
    # code c of a row means its value lies in (edges[c-1], edges[c]]: "<= edges[c]" goes left
    codes = np.stack([np.searchsorted(e, rows[:, f], side="left") for f, e in
                      enumerate(edges)], axis=1).astype(np.int64)
    width = max(len(e) for e in edges) + 1
    inner, leaves = 2 ** params.depth - 1, 2 ** params.depth
    prior = float(np.clip(labels.mean(), 1e-6, 1 - 1e-6))
    base = float(np.log(prior / (1 - prior)))
    logit = np.full(n, base)
    feature = np.zeros((params.trees, inner), dtype=np.int64)
    threshold = np.full((params.trees, inner), np.inf)
    value = np.zeros((params.trees, leaves))
    offsets = np.arange(features) * width
    for t in range(params.trees):
        if params.objective == "pairwise":
            grad, hess = _pairwise(logit, labels, sizes, params)
        else:
            p = 1.0 / (1.0 + np.exp(-logit))
            grad, hess = p - labels, p * (1 - p)
        node = np.zeros(n, dtype=np.int64)  # breadth-first index within the level
        for level in range(params.depth):
            count = 2 ** level
            key = (node[:, None] * (features * width) + offsets + codes).ravel()
            size = count * features * width
            g = np.bincount(key, np.repeat(grad, features), size).reshape(count, features, width)
            h = np.bincount(key, np.repeat(hess, features), size).reshape(count, features, width)
            gl, hl = g.cumsum(axis=2), h.cumsum(axis=2)
            gt, ht = gl[:, :, -1:], hl[:, :, -1:]
            gr, hr = gt - gl, ht - hl
            gain = gl ** 2 / (hl + params.l2) + gr ** 2 / (hr + params.l2) \
                - gt ** 2 / (ht + params.l2)
            gain[(hl < params.min_hessian) | (hr < params.min_hessian)] = -np.inf
            gain[:, :, -1] = -np.inf  # the last bin has no threshold above it
            right = np.zeros(n, dtype=bool)
            for k in range(count):
                f, c = np.unravel_index(int(np.argmax(gain[k])), gain[k].shape)
                if not gain[k, f, c] > 1e-12 or c >= len(edges[f]):
                    continue  # no split: every row of the node goes left
                at = count - 1 + k
                feature[t, at], threshold[t, at] = f, edges[f][c]
                mine = node == k
                right[mine] = codes[mine, f] > c
            node = 2 * node + right
        g_leaf = np.bincount(node, grad, leaves)
        h_leaf = np.bincount(node, hess, leaves)
        value[t] = -params.rate * g_leaf / (h_leaf + params.l2)
        logit += value[t][node]
    return {"base": base, "feature": feature.tolist(), "threshold": threshold.tolist(),
            "value": value.tolist()}


def _edges(column: np.ndarray) -> np.ndarray:
    """Up to BINS − 1 distinct thresholds at the column's quantiles."""
    qs = np.quantile(column, np.linspace(0, 1, BINS + 1)[1:-1])
    return np.unique(qs)


def _pairwise(logit: np.ndarray, labels: np.ndarray, sizes: list[int],
              params: Boosting) -> tuple[np.ndarray, np.ndarray]:
    """RankNet gradients per row: questions padded to one width, every (labelled, other) pair."""
    width = max(sizes)
    starts = np.cumsum([0, *sizes[:-1]])
    at = starts[:, None] + np.arange(width)[None, :]
    real = np.arange(width)[None, :] < np.asarray(sizes)[:, None]
    at = np.where(real, at, 0)
    s = np.where(real, logit[at], 0.0)
    y = np.where(real, labels[at], 0.0)
    pos = y > 0.5
    neg = real & ~pos
    pair = pos[:, :, None] & neg[:, None, :]  # [q, i labelled, j other]
    diff = np.where(pair, s[:, None, :] - s[:, :, None], 0.0)  # s_j − s_i
    sig = 1.0 / (1.0 + np.exp(-diff))
    weight = pair.astype(np.float64)
    if params.weight != 1.0:
        order = np.argsort(np.where(real, -s, np.inf), axis=1, kind="stable")
        place = np.argsort(order, axis=1)
        top = place < params.depth_of
        moves = top[:, :, None] != top[:, None, :]
        weight = np.where(pair & moves, params.weight, weight)
    lam = weight * sig
    h = weight * sig * (1 - sig)
    grad = np.zeros_like(logit)
    hess = np.zeros_like(logit)
    g_rows = -lam.sum(axis=2) + lam.sum(axis=1)  # labelled i pushed up, others j down
    h_rows = h.sum(axis=2) + h.sum(axis=1)
    np.add.at(grad, at[real], g_rows[real])
    np.add.at(hess, at[real], h_rows[real])
    return grad, np.maximum(hess, 1e-9)
