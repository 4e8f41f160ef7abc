"""Gradient-boosted trees for the re-ranker (eval/stard_boost.py learns them, assistant.rerank.Trees
evaluates them at query time in plain numpy): the two agree, the trees learn an interaction a
logistic regression cannot, and the pairwise objective ranks within a question."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from assistant.rerank import Trees
from eval.stard_boost import Boosting, fit_trees


def _rows(n: int = 4000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labelled where both of two features are high (an AND no straight line separates)."""
    rng = np.random.default_rng(seed)
    rows = rng.random((n, 3))
    labels = ((rows[:, 0] > 0.5) & (rows[:, 1] > 0.5)).astype(float)
    return rows, labels


def test_trees_learn_an_interaction_and_score_it_as_they_were_fitted():
    rows, labels = _rows()
    fitted = fit_trees(rows, labels, Boosting(trees=30, depth=2, rate=0.3))
    trees = Trees(**fitted)
    test_rows, test_labels = _rows(seed=1)
    scores = trees.scores(test_rows)
    assert scores.shape == (len(test_rows),)
    # every labelled row above every other (but close to the thresholds, where the quantile
    # bins fall): the AND is found; the first tree splits on its two features only
    clear = (np.abs(test_rows[:, :2] - 0.5) > 0.05).all(axis=1)
    scores, test_labels = scores[clear], test_labels[clear]
    assert scores[test_labels == 1].min() > scores[test_labels == 0].max()
    first = fitted["feature"][0]
    assert np.isfinite(fitted["threshold"][0][0]) and set(first) <= {0, 1}
    # the evaluator walks the stored arrays: a hand-built tree gives its own leaf values
    hand = Trees(base=0.5, feature=[[0, 1, 1]], threshold=[[0.5, 0.2, 0.8]],
                 value=[[1.0, 2.0, 3.0, 4.0]])
    at = np.asarray([[0.1, 0.1, 0], [0.1, 0.9, 0], [0.9, 0.5, 0], [0.9, 0.9, 0], [0.5, 0.2, 0]])
    assert list(hand.scores(at)) == [1.5, 2.5, 3.5, 4.5, 1.5]  # "<=" goes left
    assert len(hand.scores(np.zeros((0, 3)))) == 0


def test_a_node_without_a_gain_sends_every_row_left():
    rows = np.zeros((200, 2))
    labels = np.tile([0.0, 1.0], 100)  # nothing to split on
    fitted = fit_trees(rows, labels, Boosting(trees=3, depth=2))
    assert np.isinf(fitted["threshold"]).all()
    scores = Trees(**fitted).scores(rows)
    assert np.allclose(scores, 0.0, atol=1e-9)  # the prior logit of one half


def test_incomplete_trees_are_refused():
    with pytest.raises(ValidationError, match="complete"):
        Trees(base=0.0, feature=[[0, 1]], threshold=[[0.5, 0.5]], value=[[1.0, 2.0, 3.0]])
    with pytest.raises(ValidationError, match="complete"):
        Trees(base=0.0, feature=[[0]], threshold=[[0.5]], value=[[1.0, 2.0, 3.0, 4.0]])


@pytest.mark.parametrize("weight", [1.0, 5.0])
def test_the_pairwise_objective_ranks_each_questions_article_first(weight):
    """Each question's article has the highest first feature of its own candidates (the
    second is noise); the pairs within a question are what is learned from."""
    rng = np.random.default_rng(2)
    rows, labels, sizes = [], [], []
    for q in range(200):
        size = int(rng.integers(5, 12))
        shift = rng.random()
        values = shift + rng.random(size)
        right = int(np.argmax(values))
        rows.append(np.column_stack([values - shift, rng.random(size)]))
        labels.append(np.asarray([float(i == right) for i in range(size)]))
        sizes.append(size)
    fitted = fit_trees(np.vstack(rows), np.concatenate(labels),
                       Boosting(trees=60, depth=2, objective="pairwise", weight=weight,
                                depth_of=3), sizes)
    trees = Trees(**fitted)
    firsts = [int(np.argmax(trees.scores(r))) == int(np.argmax(y))
              for r, y in zip(rows, labels, strict=True)]
    assert sum(firsts) >= 160
