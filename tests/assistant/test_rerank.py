"""The top ten's learned re-ranker (assistant/rerank.py): its features, its reordering, the
shipped model, and learning it from dev only (eval/stard_rerank.py)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant import learned_terms, rerank, similar_questions
from assistant.rerank import FEATURES, Reranker, RerankProvenance
from assistant.retrieve import load_index
from assistant.tokenize import tokenize
from assistant.tuning import overridden
from eval.stard import Gold, Question
from eval.stard_learn import frozen_test_ids
from tests.assistant.test_lawlib import library  # noqa: F401  (the fixture)
from tests.assistant.test_similar_questions import CODE, QUESTION, SHOP, _ranking, _table


def _model(**weights: float) -> Reranker:
    """A model scoring by the named features alone (standardised as they are)."""
    provenance = RerankProvenance(learned_from="dev", questions=1, candidates=1, positives=1,
                                  l2=1.0, fingerprint="test", script="test")
    return Reranker(provenance=provenance, features=list(FEATURES), mean=[0.0] * len(FEATURES),
                    scale=[1.0] * len(FEATURES),
                    weights=[weights.get(name, 0.0) for name in FEATURES], bias=0.0)


def _inputs(index):
    ranking = _ranking(index)  # four civil-code articles, then the shop regulation's 第三条
    scores = np.zeros(len(index.chunks), dtype=np.float32)
    scores[ranking] = [5.0, 4.0, 3.0, 2.0, 1.0]
    wide = ranking[::-1]
    return ranking, scores, wide


def test_the_similar_questions_vote_for_laws_and_for_articles(library):  # noqa: F811
    index = load_index(library)
    tokens = tokenize(QUESTION, index.meta.token_mode)
    with learned_terms.overridden(_table()):
        laws, articles = similar_questions.votes(index, tokens)
        assert laws == {SHOP: 1.0} and articles == {f"{SHOP} 第二条": 1.0}
        assert similar_questions.votes(index, tokens) == (laws, articles)  # kept, the same
    other = _table()  # the same questions citing another article: a table of its own
    other.asked[0] = other.asked[0].model_copy(update={"articles": [f"{SHOP} 第三条"]})
    for table, article in ((other, "第三条"), (_table(), "第二条"), (other, "第三条")):
        with learned_terms.overridden(table):  # each table's votes, never the last one's
            assert similar_questions.votes(index, tokens)[1] == {f"{SHOP} {article}": 1.0}


def test_features_say_what_the_ranking_steps_know_of_each_candidate(library):  # noqa: F811
    index = load_index(library)
    ranking, scores, wide = _inputs(index)
    tokens = tokenize(QUESTION, index.meta.token_mode)
    with learned_terms.overridden(_table()):
        rows = rerank.feature_rows(index, tokens, ranking, ranking, wide, scores, scores,
                                   {"rows": {ranking[1]: 0.5}})
    f = {name: rows[:, n] for n, name in enumerate(FEATURES)}
    assert rows.shape == (5, len(FEATURES))
    assert list(f["first_law"]) == [1, 1, 1, 1, 0]
    assert list(f["law_share"]) == [0, 0, 0, 0, 1.0]  # the similar question cites the shop law
    assert list(f["log_law_place"]) == [0, 0, 0, 0, np.log1p(1)]
    assert list(f["precise_score"]) == [1.0, 0.8, 0.6, 0.4, 0.2]
    assert f["wide_score"][4] == 1.0 and f["log_wide_rank"][4] == 0.0  # first in the wide one
    assert list(f["coverage"]) == [0, 0.5, 0, 0, 0]
    # 第二百八十八/八十九/九十条 are within two of each other (among the first three); 第一千条 not
    assert list(f["near_first"]) == [1, 1, 1, 0, 0]


def test_places_after_the_kept_ones_are_sorted_by_the_model(library):  # noqa: F811
    index = load_index(library)
    ranking, scores, wide = _inputs(index)
    tokens = tokenize(QUESTION, index.meta.token_mode)
    args = (index, tokens, ranking, ranking, wide, scores, scores, {})
    with learned_terms.overridden(_table()):
        with rerank.overridden(_model(law_share=1.0, precise_score=0.1)), \
                overridden(rerank_keep=1):
            assert rerank.reordered(*args) == [ranking[0], ranking[4], *ranking[1:4]]
        with rerank.overridden(_model(precise_score=-1.0)), overridden(rerank_keep=2):
            assert rerank.reordered(*args) == [*ranking[:2], *ranking[2:][::-1]]
        with rerank.overridden(None):  # off: as ranked, and still recorded for learning
            assert rerank.reordered(*args) == ranking
            with rerank.collecting() as found:
                assert rerank.reordered(*args) == ranking
            assert len(found) == 1 and found[0][0] == ranking and found[0][1].shape == (5, 13)


def test_the_shipped_model_is_learned_from_the_dev_questions_with_the_codes_features():
    model = rerank._shipped()
    assert model is not None and tuple(model.features) == FEATURES
    assert model.provenance.learned_from == "dev" and model.provenance.questions == 900
    assert len(model.weights) == len(model.mean) == len(model.scale) == len(FEATURES)


def test_a_frozen_test_question_cannot_be_learned_from():
    from eval.stard_rerank import Group, Scored, train

    def group(question_id: str, label: float) -> Group:
        question = Question(id=question_id, question="?", gold=[Gold(title=CODE, article="第一条",
                                                                       files=[])])
        return Group(question_id, 0, question, [{(CODE, "第一条")}],
                     np.ones((1, len(FEATURES))) * label, np.asarray([label]),
                     Scored([], 0, 1))

    dev = [group("dev-a", 1.0), group("dev-b", 0.0)]
    assert train(dev).provenance.questions == 2
    with pytest.raises(ValueError, match="frozen"):
        train([*dev, group(sorted(frozen_test_ids())[0], 1.0)])


def test_resorting_judges_the_model_order_and_depth_counts_the_headroom():
    from eval.stard_rerank import Group, Scored, depth, resorted

    gold = [Gold(title=CODE, article=a, files=[]) for a in ("第一条", "第十二条")]
    question = Question(id="dev-a", question="?", gold=gold)
    articles = [{(CODE, f"第{n}条")} for n in
                ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")]
    rows = np.zeros((12, len(FEATURES)))
    rows[11, FEATURES.index("cocited")] = 1.0
    g = Group("dev-a", 0, question, articles, rows, np.zeros(12), Scored([], 1, 2))
    assert depth([g]) == {"labelled": 2, "top": 1, "candidates": 1, "beyond": 0}
    assert resorted(g, _model(cocited=1.0), keep=1).found == 2  # 第十二条 now second
    assert resorted(g, _model(cocited=1.0), keep=10).found == 1


@pytest.mark.slow
def test_cross_validation_fits_each_folds_re_ranker_on_the_other_folds(tmp_path, capsys,
                                                                      monkeypatch):
    """`cpaudit eval-stard --split dev --folds 2` with the re-ranker on: each fold is asked
    with a model fitted on the other fold's recorded candidates, never the shipped one."""
    import argparse

    from eval import stard_command, stard_rerank
    from tests.assistant.test_lawlib import write_library
    from tests.eval.test_stard_learn import _questions

    root = write_library(tmp_path / "laws")
    questions = _questions()
    (tmp_path / "q.jsonl").write_text(
        "\n".join(q.model_dump_json() for q in questions), "utf-8")
    monkeypatch.setattr(stard_command, "split", lambda qs, part: qs)  # all of them are "dev"
    fitted_without: list[int] = []  # rows each model was fitted on
    real_fit = stard_rerank.fit

    def spy(rows, labels, l2):
        fitted_without.append(len(rows))
        return real_fit(rows, labels, l2)

    monkeypatch.setattr(stard_rerank, "fit", spy)
    used: list[Reranker | None] = []
    real_overridden = rerank.overridden

    def record(model):
        used.append(model)
        return real_overridden(model)

    monkeypatch.setattr(rerank, "overridden", record)
    args = argparse.Namespace(questions=tmp_path / "q.jsonl", archive=tmp_path / "none.tar.gz",
                              library=root, split="dev", limit=None, no_baseline=True,
                              no_areas=True, tune=["rerank=1"], json=None, folds=2, learn=[])
    assert stard_command.run(args) == 0
    assert len(fitted_without) == 2  # one model per fold
    asked = [m for m in used if m is not None]
    assert len(asked) == 2 and asked[0] is not asked[1]
    assert all(m is not rerank._shipped() for m in asked)
    assert "| pooled | 12 |" in capsys.readouterr().out
