"""Nested cross-validation on STARD dev (eval/stard_nested.py): each outer fold's selection and
model see only its training folds, and every table is learned without the questions it ranks."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.rerank import FEATURES
from assistant.retrieve import load_index
from eval import stard_nested
from eval.stard_boost import Boosting
from eval.stard_learn import folds
from eval.stard_nested import Reranker, Retrieval
from eval.stard_rerank import Group
from tests.assistant.test_lawlib import library  # noqa: F401  (the fixture)
from tests.eval.test_stard_learn import _questions, spy_on_learn


def test_every_table_is_learned_without_the_questions_it_asks(library, monkeypatch):  # noqa: F811
    questions = _questions()
    learned_from = spy_on_learn(monkeypatch, stard_nested)
    asked: list[tuple[str, int, set[str]]] = []
    real_collect = stard_nested.collect_one

    def spy_collect(index, q, fold, table):
        asked.append((q.id, fold, {a.question for a in table.asked}))
        return real_collect(index, q, fold, table)

    monkeypatch.setattr(stard_nested, "collect_one", spy_collect)
    monkeypatch.setattr(stard_nested, "_TABLES", {})
    index = load_index(library)
    recorded = stard_nested.record(index, questions, 3, Retrieval("test"))
    parts = [{q.id for q in part} for part in folds(questions, 3)]
    text = {q.id: q.question for q in questions}
    # 3 tables without one fold, 3 without two (each pair shared by two outer folds)
    assert sorted(len(s) for s in learned_from) == sorted(
        [len(questions) - len(p) for p in parts]
        + [len(parts[c]) for c in range(3)])
    assert len(asked) == 3 * len(questions)  # each question: held out once, trained on twice
    for qid, _, seen in asked:
        assert text[qid] not in seen  # never ranked with its own label
    for n in range(3):
        for g in recorded.inner[n]:
            assert g.id not in parts[n] and g.fold != n
        assert {g.id for g in recorded.outer[n]} == parts[n]
    # per outer fold n, in order: its training questions, asked with tables lacking fold n
    # and their own fold, then fold n, asked with the table lacking only fold n
    at = 0
    for n in range(3):
        held = {text[i] for i in parts[n]}
        block = asked[at:at + len(questions)]
        at += len(questions)
        training, outer = block[:len(questions) - len(parts[n])], block[-len(parts[n]):]
        assert all(qid not in parts[n] and not (seen & held) for qid, _, seen in training)
        assert {qid for qid, _, _ in outer} == parts[n]
        assert all(seen == {text[i] for i in text if i not in parts[n]}
                   for _, _, seen in outer)


def _group(qid: str, fold: int, features: list[float], right: int) -> Group:
    """A question with one candidate per feature value, the one at `right` its article."""
    from eval.stard import Gold, Question, judge

    q = Question(id=qid, question=qid, gold=[Gold(title=qid, article="第一条", files=[])])
    articles = [{(qid, "第一条" if i == right else f"第{i + 2}条")} for i in range(len(features))]
    labels = np.asarray([float(i == right) for i in range(len(features))])
    rows = np.zeros((len(features), len(FEATURES)))  # the signal in the first feature
    rows[:, 0] = features
    return Group(qid, fold, q, articles, rows, labels, judge(q, articles))


@pytest.mark.parametrize("boost", [None, Boosting(trees=5, depth=2, rate=1.0, l2=0.01,
                                                   min_hessian=0.01)])
def test_the_selection_reads_only_the_outer_training_folds(monkeypatch, boost):
    """The inner folds say the re-ranker helps (their article is 12th, marked by the
    feature); the held-out folds say it hurts (their article is first, the feature marking
    the others). The re-ranker is chosen in every outer fold all the same: the held-out
    fold's labels do not take part, and its figure is what the chosen setting gives it."""
    inner_seen: list[set[int]] = []
    real = stard_nested.inner_score

    def spy(groups, choice):
        inner_seen.append({g.fold for g in groups})
        return real(groups, choice)

    monkeypatch.setattr(stard_nested, "inner_score", spy)
    helps = [0.0] * 11 + [1.0]
    hurts = [0.0] + [1.0] * 11
    rec = stard_nested.Recorded(
        inner=[[_group(f"i{n}{m}", m, helps, 11) for m in range(3) if m != n]
               for n in range(3)],
        outer=[[_group(f"o{n}", n, hurts, 0)] for n in range(3)])
    outcome = stard_nested.nested({Retrieval("a"): rec}, 3,
                                  (Reranker("off", on=False), Reranker("on", keep=0,
                                                                       boost=boost)))
    assert [c[1] for c in outcome.chosen] == ["on"] * 3
    assert outcome.nested["recall@10"] == 0.0  # the chosen model pushes it out of the ten
    for n in range(3):  # outer fold n's inner scores never read fold n
        assert all(n not in seen for seen in inner_seen[2 * n:2 * n + 2])


@pytest.mark.parametrize("keep", [0, 1])
def test_resorting_keeps_the_first_places_and_sorts_the_rest(keep):
    group = _group("q", 0, [3.0, 2.0, 1.0], 2)
    def model(rows):  # the lowest feature first
        return -rows[:, 0]

    scored = stard_nested.resorted(group, Reranker("t", keep=keep), model)
    assert scored.relevant[:3] == ([True, False, False] if keep == 0 else [False, True, False])


def test_recordings_are_kept_per_code_and_asked_again_when_it_changes(tmp_path, monkeypatch):
    """The cache key holds a fingerprint of the code and data a recording depends on: the same
    code reads the recording back, a changed file records again."""
    from types import SimpleNamespace

    asked: list[str] = []

    def fake_collect(index, q, fold, table):
        asked.append(q.id)
        return _group(q.id, fold, [1.0, 0.0], 0)

    monkeypatch.setattr(stard_nested, "collect_one", fake_collect)
    monkeypatch.setattr(stard_nested, "learn", lambda questions, **_: None)
    monkeypatch.setattr(stard_nested, "_TABLES", {})
    questions = _questions()
    index = SimpleNamespace(gen="gen-1")
    fingerprint = stard_nested.code_fingerprint()
    assert len(fingerprint) == 64 and fingerprint == stard_nested.code_fingerprint()
    first = stard_nested.record(index, questions, 3, Retrieval("t"), cache=tmp_path)
    count = len(asked)
    again = stard_nested.record(index, questions, 3, Retrieval("t"), cache=tmp_path)
    assert len(asked) == count and [g.id for g in again.outer[0]] == [g.id for g in first.outer[0]]
    monkeypatch.setattr(stard_nested, "code_fingerprint", lambda: "changed")
    stard_nested.record(index, questions, 3, Retrieval("t"), cache=tmp_path)
    assert len(asked) == 2 * count
