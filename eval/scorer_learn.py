"""Training the answer/abstain scorer (assistant/answer_scorer.py) on the dev Q&A set, and
measuring it by 5-fold cross-validation grouped by item (train on four folds, answer the fifth
through the real pipeline, every fold).

The training rows are the rules' own candidates: every item of dev is asked once with the
scorer off, and each quote the rules let through is recorded with its features and a label —
whether it quotes one of the item's evidence quotes (eval.relevance.quote_answers, the rule
"first quote answers" is scored by). An unanswerable item's candidates are all negative.

Only dev items may be learned from: `train` refuses any id of a frozen set (test, val, val2,
test2, test3, test4, test5), and the frozen files are read for their ids alone.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass

import numpy as np

from assistant import answer_scorer
from assistant.answer_scorer import FEATURES, AnswerScorer, ScorerProvenance, fit
from assistant.tuning import overridden as tuning_overridden
from eval.dataset import FROZEN_SETS, SETS
from eval.models import ItemResult, QAItem
from eval.relevance import quote_answers

CV_SALT = "cpaudit-answer-scorer-cv-v1:"
L2 = 1.0
# The dev split every tuning round uses: the sorted ids shuffled with this seed, the first
# TUNING_ITEMS to tune on (and look at), the rest to check on.
SPLIT_SEED = 20261203
TUNING_ITEMS = 453
TUNING_PART = f"tuning part: sorted dev ids shuffled by random.Random({SPLIT_SEED}), the first {TUNING_ITEMS}"
FROZEN_FILES = tuple(dict.fromkeys(p for name in sorted(FROZEN_SETS) for p in SETS[name]))


def tuning_part(ids) -> frozenset[str]:
    """The dev split's tuning part (SPLIT_SEED, TUNING_ITEMS); the other ids are its check part."""
    order = sorted(ids)
    random.Random(SPLIT_SEED).shuffle(order)
    return frozenset(order[:TUNING_ITEMS])


def frozen_ids() -> frozenset[str]:
    """The ids of every frozen Q&A set (only the `id` field is taken from their lines)."""
    ids = set()
    for path in FROZEN_FILES:
        if path.is_file():
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    ids.add(json.loads(line)["id"])
    return frozenset(ids)


@dataclass
class Group:
    """One item's candidates, as the rules saw them, and what the rules answered."""

    id: str
    answerable: bool
    texts: list[str]
    rows: np.ndarray
    labels: np.ndarray
    low: bool  # the rules' coverage thresholds refused these candidates


def collect(items: list[QAItem], prepared, evaluate) -> tuple[list[Group], list[ItemResult]]:
    """Ask every item with the scorer off, recording its candidates; also the rules' results
    (`evaluate(item, prepared)`, eval.ours.evaluate_item), for comparing on the same folds."""
    groups, results = [], []
    with answer_scorer.overridden(None), tuning_overridden(answer_scorer=False):
        for item in items:
            with answer_scorer.collecting() as found:
                results.append(evaluate(item, prepared))
            texts, rows, low = found[-1] if found else ([], np.zeros((0, len(FEATURES))), True)
            evidence = [e.quote for e in item.evidence] if item.answerable else []
            labels = np.asarray([float(bool(evidence) and quote_answers(t, evidence))
                                 for t in texts])
            groups.append(Group(item.id, item.answerable, texts, rows, labels, low))
    return groups, results


def fingerprint(groups: list[Group]) -> str:
    digest = hashlib.sha256()
    for g in groups:
        digest.update(g.id.encode())
        digest.update(np.ascontiguousarray(g.rows, dtype=np.float64).tobytes())
        digest.update(np.ascontiguousarray(g.labels, dtype=np.float64).tobytes())
    return digest.hexdigest()


def train(groups: list[Group], *, trained_on: list[str], threshold: float, rescue: float,
          threshold_rule: str, l2: float = L2, part: str = "",
          items: int | None = None) -> AnswerScorer:
    """The scorer fitted on the groups' candidates (never a frozen item: that is an error)."""
    frozen = frozen_ids() & {g.id for g in groups}
    if frozen:
        raise ValueError(f"{len(frozen)} frozen items given to train the answer scorer on")
    used = [g for g in groups if len(g.rows)]
    rows = np.vstack([g.rows for g in used])
    labels = np.concatenate([g.labels for g in used])
    mean, scale, weights, bias = fit(rows, labels, l2)
    provenance = ScorerProvenance(
        trained_on=trained_on, items=len(groups) if items is None else items, part=part,
        groups=len(used), candidates=len(rows),
        positives=int(labels.sum()), l2=l2, threshold_rule=threshold_rule,
        fingerprint=fingerprint(groups), script="scripts/train_answer_scorer.py")
    return AnswerScorer(provenance=provenance, features=list(FEATURES), mean=mean,
                        scale=scale, weights=weights, bias=bias, threshold=threshold,
                        rescue=rescue)


def folds(groups: list[Group], k: int = 5) -> list[list[Group]]:
    """k folds by a salted hash of the item ids (fixed, order-free; an item is one group)."""
    out: list[list[Group]] = [[] for _ in range(k)]
    for g in groups:
        out[int(hashlib.sha256((CV_SALT + g.id).encode()).hexdigest(), 16) % k].append(g)
    return out


def out_of_fold(groups: list[Group], k: int = 5, l2: float = L2) -> dict[str, np.ndarray]:
    """Each group's candidate probabilities from a scorer fitted on the other folds."""
    out: dict[str, np.ndarray] = {}
    parts = folds(groups, k)
    for n, held in enumerate(parts):
        rest = [g for m, part in enumerate(parts) if m != n for g in part if len(g.rows)]
        mean, scale, weights, bias = fit(np.vstack([g.rows for g in rest]),
                                         np.concatenate([g.labels for g in rest]), l2)
        model = AnswerScorer.model_construct(mean=mean, scale=scale, weights=weights,
                                             bias=bias)
        for g in held:
            out[g.id] = model.probabilities(g.rows) if len(g.rows) else np.zeros(0)
    return out


def simulate(groups: list[Group], probs: dict[str, np.ndarray], threshold: float,
             rescue: float) -> dict[str, int]:
    """What the scorer would do on these groups, judged on the raw candidates (the pipeline's
    shown quote may be trimmed): answerable refused, confidently wrong, first quote right."""
    out = {"answerable": 0, "refused": 0, "wrong": 0, "right": 0, "unanswerable": 0,
           "unanswered": 0}
    for g in groups:
        out["answerable" if g.answerable else "unanswerable"] += 1
        answered = right = False
        if len(g.rows):
            p = probs[g.id]
            best = int(np.argmax(p))
            answered = bool(p[best] >= (rescue if g.low else threshold))
            right = bool(g.labels[best])
        if g.answerable:
            out["refused"] += not answered
            out["right"] += answered and right
            out["wrong"] += answered and not right
        else:
            out["unanswered"] += not answered
            out["wrong"] += answered
    return out


NEVER = 1.01  # a probability no candidate reaches: the rules' refusal stands


def choose_thresholds(groups: list[Group], probs: dict[str, np.ndarray]) -> tuple[float, float]:
    """The (threshold, rescue) pair that makes the fewest confident mistakes on `groups` while
    refusing no more answerable items than the rules' thresholds do and answering no fewer of
    them right (the scorer's first pick, the rules' bars). The abstain bar is raised only
    while it refuses no right answer on `groups`: a rescue elsewhere does not make up for a
    right answer refused. Ties: more answered right, then the lower bars."""
    base = simulate(groups, probs, 0.0, NEVER)
    grid = [round(float(x), 2) for x in np.arange(0.02, 0.96, 0.02)]
    best_key, best_pair = None, (0.0, NEVER)
    for threshold in [0.0, *grid]:
        alone = simulate(groups, probs, threshold, NEVER)
        if alone["right"] < base["right"]:
            break  # the bar refuses a right answer: no rescue elsewhere makes up for that one
        for rescue in [*(r for r in grid if r >= threshold), NEVER]:
            s = simulate(groups, probs, threshold, rescue)
            if s["refused"] > base["refused"] or s["right"] < base["right"]:
                continue
            key = (s["wrong"], -s["right"], threshold, -rescue)
            if best_key is None or key < best_key:
                best_key, best_pair = key, (threshold, rescue)
    return best_pair
