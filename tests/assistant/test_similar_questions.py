"""The laws of the most similar labelled questions lifting their articles after a ranking's
first places (assistant/similar_questions.py)."""

from __future__ import annotations

from assistant import learned_terms, similar_questions
from assistant.learned_terms import AskedQuestion, LearnedTerms, Provenance
from assistant.retrieve import load_index
from assistant.tokenize import tokenize
from assistant.tuning import overridden
from tests.assistant.test_lawlib import library  # noqa: F401  (the fixture)

CODE = "中华人民共和国民法典"
SHOP = "个体工商户条例"
QUESTION = "我想开个小卖部，要去哪里登记"


def _table(laws=(CODE, SHOP)) -> LearnedTerms:
    provenance = Provenance(source="test", learned_from="dev", questions=2, pairs=2,
                            min_support=3, max_terms=5, min_lift=3.0, expansion_support=2,
                            script="test", laws=list(laws))
    return LearnedTerms(provenance=provenance, asked=[
        AskedQuestion(question="开小卖部要不要登记", articles=[f"{SHOP} 第二条"]),
        AskedQuestion(question="邻居家排水经过我家院子", articles=[f"{CODE} 第二百九十条"])])


def _ranking(index) -> list[int]:
    """Four articles of the civil code, then one of the shop regulation."""
    row = {(index.docs[c.doc_id].title, c.article): n for n, c in enumerate(index.chunks)}
    code = [row[CODE, a] for a in ("第二百八十八条", "第二百八十九条", "第二百九十条", "第一千条")]
    return [*code, row[SHOP, "第三条"]]


def test_an_article_of_the_similar_questions_law_moves_up_after_the_first_places(
        library):  # noqa: F811
    index = load_index(library)
    ranking = _ranking(index)
    tokens = tokenize(QUESTION, index.meta.token_mode)
    with learned_terms.overridden(_table()), overridden(law_prior_weight=3.0, law_prior_keep=1):
        assert similar_questions.law_shares(index, tokens) == {SHOP: 1.0}
        lifted = similar_questions.reordered(index, QUESTION, tokens, ranking)
        # (1 + 3) / (60 + 5) beats 1 / (60 + 2): the shop article second, the first kept
        assert lifted == [ranking[0], ranking[4], *ranking[1:4]]
        # a place named, or a question like none of the labelled ones: as ranked
        assert similar_questions.reordered(index, "北京" + QUESTION, tokenize(
            "北京" + QUESTION, index.meta.token_mode), ranking) == ranking
        other = tokenize("公司拖欠工资", index.meta.token_mode)
        assert similar_questions.reordered(index, "公司拖欠工资", other, ranking) == ranking
    with learned_terms.overridden(_table()), overridden(law_prior_weight=0):
        assert similar_questions.reordered(index, QUESTION, tokens, ranking) == ranking
    # learned from questions about other laws: it says nothing of these articles
    with learned_terms.overridden(_table(laws=("中华人民共和国刑法",))), \
            overridden(law_prior_weight=3.0, law_prior_keep=1):
        assert similar_questions.reordered(index, QUESTION, tokens, ranking) == ranking
