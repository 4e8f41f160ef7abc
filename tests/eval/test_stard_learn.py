"""The learned lay → legal vocabulary: learned from STARD's dev questions only, by support
and lift; folds for cross-validation; and what it does to retrieval over a small library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import learned_terms
from assistant.learned_terms import LearnedTerms, Provenance
from assistant.query import expand
from assistant.retrieve import load_index, retrieve
from assistant.tuning import overridden
from eval.stard import SPLIT_FILE, Gold, Question, load_questions, split
from eval.stard_learn import folds, frozen_test_ids, learn
from tests.assistant.test_lawlib import library  # noqa: F401  (the fixture)

TRAIN = Path("/work/shared/data/stard/train.jsonl")
NEIGHBOUR = ("中华人民共和国民法典", "第二百九十条", "不动产权利人应当为相邻权利人用水、排水提供必要的便利。")


def _q(n: int, question: str, *gold: tuple[str, str, str]) -> Question:
    return Question(id=f"learn-{n}", question=question, gold=[
        Gold(title=t, article=a, files=[], text=text) for t, a, text in gold])


def spy_on_learn(monkeypatch, module) -> list[set[str]]:
    """Record the question ids each call of `learn` (as `module` names it) learns from."""
    from eval import stard_learn

    learned_from: list[set[str]] = []
    real_learn = stard_learn.learn

    def spy(qs, **params):
        learned_from.append({q.id for q in qs})
        return real_learn(qs, **params)

    monkeypatch.setattr(module, "learn", spy)
    return learned_from


def _questions() -> list[Question]:
    """邻居 in three questions citing two articles that say 相邻权利人; filler questions about
    other things, so that 相邻 is rare among the labelled articles."""
    other = ("中华人民共和国民法典", "第二百八十八条", "不动产的相邻权利人应当正确处理相邻关系。")
    shop = ("个体工商户条例", "第二条", "有经营能力的公民应当经登记从事工商业经营。")
    qs = [_q(1, "邻居要从我家接水怎么办", NEIGHBOUR), _q(2, "邻居家排水经过我家院子", NEIGHBOUR),
          _q(3, "和邻居闹矛盾了怎么处理", other)]
    qs += [_q(10 + n, f"开小卖部第{n}次要去登记吗", shop) for n in range(9)]
    return qs


def test_the_laws_learned_from_are_named():
    assert learn(_questions()).provenance.laws == ["个体工商户条例", "中华人民共和国民法典"]


def test_the_questions_learned_from_are_kept_with_their_articles():
    asked = learn(_questions()).asked  # assistant/similar_questions.py compares with them
    assert [q.question for q in asked] == [q.question for q in _questions()]
    assert asked[0].articles == ["中华人民共和国民法典 第二百九十条"]


def test_translations_need_support_from_distinct_questions_and_articles():
    table = learn(_questions(), max_terms=50)
    assert table.terms["邻居"]["相邻"] == 1.0  # in all three questions' articles
    assert "应当" not in table.terms["邻居"]  # in every labelled article: no lift
    assert len(learn(_questions(), max_terms=2).terms["邻居"]) == 2
    # the same three questions citing one article only: no translation learned
    one_article = [_q(n, q.question, NEIGHBOUR) if n < 3 else q
                   for n, q in enumerate(_questions())]
    assert "邻居" not in learn(one_article).terms
    assert learn(_questions(), min_support=4).terms.get("邻居") is None


def test_articles_are_expanded_with_words_of_two_questions_citing_them():
    table = learn(_questions())
    assert "邻居" in table.articles["中华人民共和国民法典 第二百九十条"]
    assert "接水" not in table.articles["中华人民共和国民法典 第二百九十条"]  # one question
    assert "中华人民共和国民法典 第二百八十八条" not in table.articles  # one question only


def test_articles_cited_together_by_two_questions_are_companions():
    other = ("中华人民共和国民法典", "第二百八十八条", "不动产的相邻权利人应当正确处理相邻关系。")
    shop = ("个体工商户条例", "第二条", "有经营能力的公民应当经登记从事工商业经营。")
    qs = [_q(1, "邻居要从我家接水", NEIGHBOUR, other), _q(2, "邻居家排水", other, NEIGHBOUR),
          _q(3, "邻居开小卖部", NEIGHBOUR, shop)]
    table = learn(qs)
    assert table.cocited == {"中华人民共和国民法典 第二百九十条": ["中华人民共和国民法典 第二百八十八条"],
                             "中华人民共和国民法典 第二百八十八条": ["中华人民共和国民法典 第二百九十条"]}
    assert learn(qs, cocitation_support=1).cocited["中华人民共和国民法典 第二百九十条"] == [
        "中华人民共和国民法典 第二百八十八条", "个体工商户条例 第二条"]  # most-cited first
    assert learn(qs, cocitation_support=3).cocited == {}


def test_a_frozen_test_question_cannot_be_learned_from():
    frozen = sorted(frozen_test_ids())[0]
    questions = _questions() + [Question(id=frozen, question="?", gold=[])]
    with pytest.raises(ValueError, match="frozen"):
        learn(questions)


def test_folds_are_disjoint_complete_and_fixed():
    ids = json.loads(SPLIT_FILE.read_text("utf-8"))["dev"]
    questions = [Question(id=i, question="?", gold=[]) for i in ids]
    parts = [{q.id for q in part} for part in folds(questions, 5)]
    assert sum(map(len, parts)) == len(ids) == len(set().union(*parts))
    assert all(150 < len(part) < 210 for part in parts)
    assert parts == [{q.id for q in part} for part in folds(questions[::-1], 5)]  # by id only


@pytest.mark.slow
def test_the_shipped_table_is_learned_from_the_dev_questions_only():
    table = learned_terms.learned()
    assert table is not None
    assert (table.provenance.learned_from, table.provenance.questions) == ("dev", 900)
    if not TRAIN.is_file():
        pytest.skip("STARD train.jsonl is not on this machine")
    dev = split(load_questions(TRAIN), "dev")
    assert not frozen_test_ids() & {q.id for q in dev}
    assert learn(dev) == table  # the file is exactly what the script writes from dev
    # the questions it keeps (assistant/similar_questions.py) are the dev questions' texts
    assert [q.question for q in table.asked] == [q.question for q in dev]


def _provenance(laws: tuple[str, ...] = ("中华人民共和国民法典", "个体工商户条例")) -> Provenance:
    return Provenance(source="test", learned_from="dev", questions=3, pairs=3, min_support=3,
                      max_terms=5, min_lift=3.0, expansion_support=2, script="test",
                      laws=list(laws))


def _ranked(index, question: str) -> list[tuple[str, str]]:
    return [(p.title, p.article) for p in retrieve(index, expand(question), k=5).passages]


def test_a_learned_translation_reaches_an_article_sharing_no_word(library):  # noqa: F811
    index = load_index(library)
    table = LearnedTerms(provenance=_provenance(), terms={"造谣": {"名誉": 1.0}})
    question = "有人在网上造谣我，我能要求他怎么做？"
    with learned_terms.overridden(table):
        with overridden(learned_weight=0):
            assert _ranked(index, question) == []
        with overridden(learned_weight=0.8):
            assert _ranked(index, question)[0] == ("中华人民共和国民法典", "第一千条")
    # learned from questions about other laws: it says nothing of these
    other = LearnedTerms(provenance=_provenance(("中华人民共和国刑法",)), terms=table.terms)
    with learned_terms.overridden(other), overridden(learned_weight=0.8):
        assert _ranked(index, question) == []


def test_an_expanded_article_is_lifted_only_where_it_matches(library):  # noqa: F811
    index = load_index(library)
    table = LearnedTerms(provenance=_provenance(), articles={
        "中华人民共和国民法典 第一千条": ["造谣", "网上"],
        "中华人民共和国民法典 第二百八十八条": ["邻居"], "个体工商户条例 第二条": ["小卖部"]})
    question = "网上有人造谣，说我家用水排水不合法，应当怎么办"
    with learned_terms.overridden(table):
        with overridden(expansion_weight=0):
            before = _ranked(index, question)
        with overridden(expansion_weight=2.0):
            after = _ranked(index, question)
        with overridden(expansion_weight=2.0):
            assert _ranked(index, "有人在网上造谣我，我能要求他怎么做？") == []  # no own match
    code = ("中华人民共和国民法典", "第一千条")
    assert code in after and (code not in before or before.index(code) > after.index(code))


@pytest.mark.slow
def test_cross_validation_asks_each_fold_with_a_table_learned_without_it(tmp_path, capsys,
                                                                         monkeypatch):
    """`cpaudit eval-stard --split dev --folds 2` over a small library: each fold's table is
    learned from the other fold only, and the figures are printed per fold and pooled."""
    import argparse

    from eval import stard_command, stard_learn
    from tests.assistant.test_lawlib import write_library

    root = write_library(tmp_path / "laws")
    questions = _questions()
    (tmp_path / "q.jsonl").write_text(
        "\n".join(q.model_dump_json() for q in questions), "utf-8")
    monkeypatch.setattr(stard_command, "split", lambda qs, part: qs)  # all of them are "dev"
    learned_from = spy_on_learn(monkeypatch, stard_learn)
    args = argparse.Namespace(questions=tmp_path / "q.jsonl", archive=tmp_path / "none.tar.gz",
                              library=root, split="dev", limit=None, no_baseline=True,
                              no_areas=True, tune=[], json=None, folds=2, learn=[])
    assert stard_command.run(args) == 0
    parts = [{q.id for q in part} for part in folds(questions, 2)]
    assert learned_from == [parts[1], parts[0]]  # never the fold being asked
    out = capsys.readouterr().out
    assert "2-fold cross-validation" in out and "| pooled | 12 |" in out
    args.split = "both"
    with pytest.raises(Exception, match="folds"):
        stard_command.run(args)
