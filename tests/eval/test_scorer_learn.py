"""The learned answer/abstain scorer: trained on dev only (a frozen set's id is refused), its
numpy logistic regression, the shipped data file's provenance, and what turning it on does to
an answer (the rules' candidates only; a refusal keeps its nearest-quote context)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant import answer_scorer
from assistant.answer_scorer import FEATURES, SCORER_FILE, AnswerScorer, ScorerProvenance, fit
from assistant.service import ask
from assistant.tuning import overridden
from eval.dataset import SETS, load_items, load_set
from eval.scorer_learn import (
    TUNING_PART,
    Group,
    choose_thresholds,
    folds,
    frozen_ids,
    train,
    tuning_part,
)

QUESTION = "什么情况下企业必须实施强制性清洁生产审核？"  # qa-001, answered by the rules


def _group(gid: str, answerable: bool, labels: list[float], seed: int) -> Group:
    rng = np.random.default_rng(seed)
    rows = rng.normal(size=(len(labels), len(FEATURES)))
    rows[:, 0] += 2 * np.asarray(labels)  # the rule score separates answering quotes
    return Group(gid, answerable, [f"q{i}" for i in labels], rows, np.asarray(labels), False)


def _groups() -> list[Group]:
    return [_group(f"learn-{n}", n % 4 != 0, [1.0, 0.0, 0.0] if n % 4 else [0.0, 0.0], n)
            for n in range(40)]


def test_a_frozen_item_cannot_be_trained_on():
    frozen = sorted(frozen_ids())
    assert frozen, "the frozen sets' ids must be known to be refused"
    groups = [*_groups(), _group(frozen[0], True, [1.0, 0.0], 99)]
    with pytest.raises(ValueError, match="frozen"):
        train(groups, trained_on=["x"], threshold=0.5, rescue=1.01, threshold_rule="t")


def test_dev_holds_no_frozen_item():
    assert not frozen_ids() & {i.id for i in load_set("dev")}


def test_logistic_regression_learns_the_separating_feature():
    groups = _groups()
    model = train(groups, trained_on=["x"], threshold=0.5, rescue=1.01, threshold_rule="t")
    assert model.weights[0] > 1.0 and max(map(abs, model.weights[1:])) < model.weights[0]
    rows = np.vstack([g.rows for g in groups])
    labels = np.concatenate([g.labels for g in groups])
    p = model.probabilities(rows)
    assert p[labels == 1].mean() > 0.7 > 0.3 > p[labels == 0].mean()
    # the same rows give the same weights: no randomness in training
    assert fit(rows, labels, 3.0) == fit(rows, labels, 3.0)


def test_thresholds_never_refuse_more_answerable_items_than_the_rules():
    groups = _groups()
    model = train(groups, trained_on=["x"], threshold=0.5, rescue=1.01, threshold_rule="t")
    probs = {g.id: model.probabilities(g.rows) for g in groups}
    threshold, _ = choose_thresholds(groups, probs)
    answered = [g for g in groups if g.answerable and probs[g.id].max() >= threshold]
    assert len(answered) == sum(g.answerable for g in groups)
    assert threshold > 0  # and the all-negative unanswerable groups are refused above it
    assert all(probs[g.id].max() < threshold for g in groups if not g.answerable)


def test_folds_group_by_item_and_cover_every_item():
    groups = _groups()
    parts = folds(groups)
    assert sorted(g.id for part in parts for g in part) == sorted(g.id for g in groups)
    assert all(parts) and folds(list(reversed(groups)))[0][0].id in {g.id for g in parts[0]}


def test_the_shipped_scorer_was_trained_on_dev_only():
    model = answer_scorer._shipped()
    assert model is not None, f"{SCORER_FILE.name} is missing"
    assert model.features == list(FEATURES)
    # It was trained on dev files (a set that grows: qa_dev4.jsonl came after the last training),
    # and its item count is theirs.
    root = Path(__file__).resolve().parents[2]
    dev_files = {str(p.relative_to(root)) for p in SETS["dev"]}
    assert model.provenance.trained_on and set(model.provenance.trained_on) <= dev_files
    ids = [i.id for f in model.provenance.trained_on for i in load_items(root / f)]
    if model.provenance.part:  # the dev split's tuning part: its check part measures it
        assert model.provenance.part.startswith(TUNING_PART)
        assert model.provenance.items == len(tuning_part(ids)) < len(ids)
    else:
        assert model.provenance.items == len(ids)
    assert all("qa_val" not in s and "qa_test" not in s for s in model.provenance.trained_on)


def _refusing() -> AnswerScorer:
    n = len(FEATURES)
    return AnswerScorer(
        provenance=ScorerProvenance(trained_on=[], items=0, groups=0, candidates=0, positives=0,
                                    l2=1.0, threshold_rule="test", fingerprint="", script=""),
        features=list(FEATURES), mean=[0.0] * n, scale=[1.0] * n, weights=[0.0] * n,
        bias=0.0, threshold=0.9)  # every candidate at 0.5: below the bar


def test_a_scorer_refusal_keeps_the_nearest_quote_as_context(settings, index):
    plain = ask(QUESTION, settings=settings, index=index, use_llm=False)
    assert not plain.abstained and plain.citations
    with answer_scorer.overridden(_refusing()), overridden(answer_scorer=True):
        refused = ask(QUESTION, settings=settings, index=index, use_llm=False)
    assert refused.abstained and not refused.citations
    assert refused.context, "the documents' nearest quote is shown as context"


def test_the_shipped_ranker_never_refuses_or_rescues(settings, index):
    """Shipped as a first-quote ranker only: the rules decide every refusal."""
    model = answer_scorer._shipped()
    assert (model.threshold, model.rescue) == (0.0, 1.01)
    assert answer_scorer.active(True) is model


def test_the_dev_split_is_the_conventional_one():
    ids = [f"x-{n:03d}" for n in range(679)]
    part = tuning_part(ids)
    assert len(part) == 453 and part == tuning_part(list(reversed(ids)))


def test_the_scorer_only_reorders_the_rules_candidates(settings, index):
    """A scorer preferring the shortest candidate still quotes a sentence the rules allowed."""
    model = _refusing().model_copy(update={
        "threshold": 0.0, "weights": [-5.0 if f == "log_length" else 0.0 for f in FEATURES]})
    with answer_scorer.collecting() as found:
        ask(QUESTION, settings=settings, index=index, use_llm=False)
    texts, rows, _ = found[-1]
    shortest = texts[int(np.argmin(rows[:, FEATURES.index("log_length")]))]
    with answer_scorer.overridden(model), overridden(answer_scorer=True):
        chosen = ask(QUESTION, settings=settings, index=index, use_llm=False)
    first = min(chosen.citations, key=lambda c: c.n)
    assert first.quote[:6] in shortest or shortest[:6] in first.quote
