"""Learning the top ten's re-ranker (assistant/rerank.py) from STARD's dev questions, and
measuring it by cross-validation that never lets a question's own label reach its ranking.

Every dev question is asked once per fold split (eval.stard_learn.folds) with the learned
table of the other folds (as `eval-stard --folds` asks it) and the re-ranker off; its first
CANDIDATES places are recorded with their feature vectors, each labelled by whether it is one
of the question's articles. A fold's model is fitted on the other folds' rows (logistic
regression, assistant/answer_scorer.fit); the shipped model on all of them — rows whose
features came from tables learned without their own question, as a new question's will.

Only dev questions may be learned from: `train` refuses any id of the frozen test split.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant import learned_terms, rerank
from assistant.answer_scorer import fit
from assistant.rerank import FEATURES, Reranker, RerankProvenance
from eval.scorer_learn import fingerprint
from eval.stard import DEPTH, Question, Scored, judge, rank_ours
from eval.stard_learn import folds, frozen_test_ids

L2 = 1.0


@dataclass
class Group:
    """One question's recorded candidates."""

    id: str
    fold: int
    question: Question
    articles: list[set[tuple[str, str]]]  # per candidate place, as the judge reads it
    rows: np.ndarray  # features
    labels: np.ndarray
    first: Scored  # the question as asked without the re-ranker


def collect(index, dev: list[Question], tables: list) -> list[Group]:
    """Every dev question's candidates, asked with the learned table of the other folds
    (`tables[n]` learned without fold n of eval.stard_learn.folds(dev, len(tables)))."""
    return [collect_one(index, q, n, tables[n])
            for n, held_out in enumerate(folds(dev, len(tables))) for q in held_out]


def collect_one(index, q: Question, fold: int, table) -> Group:
    """One question's candidates, asked with `table` and the re-ranker off."""
    with learned_terms.overridden(table), rerank.overridden(None):
        with rerank.collecting() as found:
            scored = judge(q, *rank_ours(index, q.question))
    if not found:  # no top ten of the learned laws (a place named): as it was
        return Group(q.id, fold, q, [], np.zeros((0, len(FEATURES))), np.zeros(0), scored)
    head, rows = found[-1]
    articles = [{_article(index, row)} for row in head]
    labels = np.asarray([float(bool(a & q.articles)) for a in articles])
    return Group(q.id, fold, q, articles, rows, labels, scored)


def _article(index, row: int) -> tuple[str, str]:
    chunk = index.chunks[row]
    return index.docs[chunk.doc_id].title, chunk.article


def train(groups: list[Group], l2: float = L2) -> Reranker:
    """The model fitted on the groups' candidates (never a frozen question: an error)."""
    frozen = frozen_test_ids() & {g.id for g in groups}
    if frozen:
        raise ValueError(f"{len(frozen)} frozen test questions given to learn the re-ranker")
    rows = np.vstack([g.rows for g in groups])
    labels = np.concatenate([g.labels for g in groups])
    mean, scale, weights, bias = fit(rows, labels, l2)
    provenance = RerankProvenance(
        learned_from="dev", questions=len(groups), candidates=len(rows),
        positives=int(labels.sum()), l2=l2, fingerprint=fingerprint(groups),
        script="scripts/make_rerank.py")
    return Reranker(provenance=provenance, features=list(FEATURES), mean=mean, scale=scale,
                    weights=weights, bias=bias)


def fold_models(groups: list[Group], k: int = 5, l2: float = L2) -> list[Reranker]:
    """Per fold, the model fitted on the other folds' rows."""
    return [Reranker.model_construct(**dict(zip(("mean", "scale", "weights", "bias"), fit(
        np.vstack([g.rows for g in groups if g.fold != n]),
        np.concatenate([g.labels for g in groups if g.fold != n]), l2), strict=True)))
        for n in range(k)]


def resorted(group: Group, model: Reranker, keep: int) -> Scored:
    """The question judged with its candidates after `keep` sorted by the model (as
    assistant/rerank.reordered sorts them)."""
    if not group.articles:
        return group.first
    logits = model.scores(group.rows)
    order = list(range(min(keep, len(group.articles)))) + sorted(
        range(keep, len(group.articles)), key=lambda i: -logits[i])
    return judge(group.question, [group.articles[i] for i in order])


def depth(groups: list[Group]) -> dict[str, int]:
    """Labelled articles in the first DEPTH places, in the rest of the candidates, and not
    among them (the re-ranker's headroom is the middle one)."""
    top = rest = total = 0
    for g in groups:
        gold = g.question.articles
        total += len(gold)
        top += len(set().union(*g.articles[:DEPTH]) & gold)
        rest += len(set().union(*g.articles[DEPTH:], set()) & gold - set().union(
            *g.articles[:DEPTH]))
    return {"labelled": total, "top": top, "candidates": rest, "beyond": total - top - rest}
