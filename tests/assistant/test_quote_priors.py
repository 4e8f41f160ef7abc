"""Which passing quote comes first (assistant/quote_priors.py): the question's document, the
asked place's own documents, the norm before its penalty, a statement before a form's header
row — and a trimmed time answer that keeps what the time is of."""

from __future__ import annotations

import pytest

from assistant.asks import Ask
from assistant.service import ask
from assistant.tuning import overridden, tuning

OFF = {"other_document": 1.0, "national": 1.0, "sanction": 1.0, "form_row": 1.0}


def _without(*names: str):
    return overridden(quote_priors=tuning().quote_priors.model_copy(
        update={n: OFF[n] for n in names}))


CASES = [
    # a permission question: the prohibition, not the penalty for using banned equipment
    ("sanction", "淘汰的严重污染设备，企业还能接着用吗？", "environmental-protection-law",
     "不得生产、销售或者转移、使用严重污染环境的工艺、设备和产品"),
    # a question asking no checkable kind ("有什么要求"): the duty, not the penalty for breaking it
    ("sanction", "我们是钢铁企业，厂里还有几台燃油锅炉在用，循环经济法有什么要求？",
     "circular-economy-law", "以洁净煤、石油焦、天然气等清洁能源替代燃料油"),
    # a place's own plan before the national law's general duty
    ("national", "我们是广西的企业，强制性审核的审核结果要怎么公开？", "gx-plan-2021",
     "环境信息强制性披露范围"),
    # what a form's field means, not the form's row of field names
    ("form_row", "四川报送表中的已实施清洁生产技术改造项目数指什么？", "sc-notice-2016",
     "指实施完成并通过有关部门组织的清洁生产实施效果评估验收的项目数"),
]


@pytest.mark.parametrize(("prior", "question", "doc_id", "words"), CASES)
def test_the_first_quote_is_the_one_the_question_points_to(settings, prior, question, doc_id,
                                                           words):
    answer = ask(question, settings=settings)
    assert not answer.abstained, answer.answer
    first = answer.citations[0]
    assert (first.doc_id, words in first.quote) == (doc_id, True), answer.answer
    with overridden(answer_scorer=False):  # the rules' own order (no learned ranker)
        ruled = ask(question, settings=settings)
        with _without(prior):  # the prior is what puts it first
            plain = ask(question, settings=settings)
    assert words in ruled.citations[0].quote, ruled.answer
    assert plain.abstained or words not in plain.citations[0].quote


def test_a_question_naming_a_document_is_answered_from_it_first(settings, index):
    from assistant.quote_priors import prior, question_priors

    priors = question_priors(index, "《环境保护法》对企业使用清洁能源有什么要求？", Ask())
    assert priors.named == {"environmental-protection-law"}
    named, other = (next(p for p in (index.passage(r, 0.0) for r in range(len(index.chunks)))
                         if p.doc_id == doc) for doc in ("environmental-protection-law",
                                                         "cleaner-production-law"))
    assert prior(priors, index, named, "…") == 1.0
    assert prior(priors, index, other, "…") == tuning().quote_priors.other_document < 1


def test_the_penalty_prior_holds_back_no_breach_question(settings, index):
    from assistant.asks import analyse
    from assistant.quote_priors import question_priors

    def held_back(question: str) -> bool:
        return question_priors(index, question, analyse(question)).permission

    # a permission question, or one asking no checkable kind: the norm before its penalty
    assert held_back("淘汰的严重污染设备，企业还能接着用吗？")
    assert held_back("国务院清洁生产综合协调部门管什么？")
    # a question about a breach or its handling may be answered by the penalty provision
    assert not held_back("企业不按规定公布审核结果，会怎么处理？")
    assert not held_back("那审批机关要是照样批了呢？")
    assert not held_back("违反强制性清洁生产审核规定的，要承担什么法律责任？")


def test_priors_order_the_quotes_and_never_decide_a_refusal(settings):
    # every prior at its strongest: what is refused and what is answered stays as it was
    questions = ["淘汰的严重污染设备，企业还能接着用吗？", "广西清洁生产审核专家的劳务费标准是多少？",
                 "四川报送表中的已实施清洁生产技术改造项目数指什么？"]
    plain = [ask(q, settings=settings).abstained for q in questions]
    strongest = tuning().quote_priors.model_copy(
        update={n: 0.01 for n in OFF})
    with overridden(quote_priors=strongest):
        assert [ask(q, settings=settings).abstained for q in questions] == plain


def test_a_trimmed_time_answer_keeps_what_the_time_is_of(settings):
    # "到 2025 年，清洁生产推行制度体系基本建立，工业领域…": the year alone ("到 2025 年……")
    # does not say what is done by then
    answer = ask("广东到哪一年基本建立清洁生产推行制度体系？", settings=settings)
    quote = answer.citations[0].quote
    assert "2025" in quote and "清洁生产推行制度体系基本建立" in quote, answer.answer
