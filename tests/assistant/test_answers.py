"""Questions an enterprise asks, and the document and article or section each must cite."""

from __future__ import annotations

import pytest
from support.quotes import assert_located

from assistant.models import Filters
from assistant.service import ask

CASES = [
    ("什么情况下企业必须实施强制性清洁生产审核？", "cleaner-production-law", "第二十七条"),
    ("不实施强制性清洁生产审核会被罚款多少？", "cleaner-production-law", "第三十九条"),
    ("清洁生产是指什么？", "cleaner-production-law", "第二条"),
    ("审核小组的组长由谁担任，成员包括哪些人员？", "gz-action-plan",
     "（三）落实企业清洁生产工作责任制"),
    ("广州对重点行业推进强制性清洁生产审核有什么安排？", "gz-action-plan",
     "（七）重点行业推进强制性清洁生产审核"),
    ("广西重点行业清洁生产审核以哪13个重点行业为重点？", "gx-plan-2021", "二、工作目标"),
    ("广东到2025年单位地区生产总值能耗要下降多少？", "gd-plan-2023", "（二）主要目标"),
    ("山东实施强制性清洁生产审核的单位多长时间内要报送审核报告？", "shandong-cp-regulation",
     "第三十一条"),
    ("循环经济是指什么？", "circular-economy-law", "第二条"),
    ("建设项目未依法报批环境影响报告书擅自开工建设的怎么处罚？", "eia-law", "第三十一条"),
    ("重点用能单位是指哪些用能单位？", "energy-conservation-law", "第五十二条"),
    ("四川年度工业清洁生产改造计划表要填哪些项目？", "sc-notice-2016", "附件 2"),
    # How an enterprise manager asks it, not how the law says it:
    ("我们是陶瓷企业，要做强制性审核吗？", "cleaner-production-law", "第二十七条"),
]


def test_a_law_asked_when_it_starts_to_apply_is_answered_by_its_takes_effect_article(settings):
    # Statutes say 自…起施行, askers 开始施行 (data/synonyms.yaml): the slot evidence
    # (assistant/slots.py) finds the asked 开始施行 in "本法自2008年4月1日起施行"
    answer = ask("《节约能源法》现行版本什么时候开始施行？", settings=settings)
    assert not answer.abstained, answer.answer
    assert "2008年4月1日" in answer.citations[0].quote


@pytest.mark.parametrize(("question", "doc_id", "where"), CASES)
def test_question_cites_its_document_and_article_or_section(settings, index, question, doc_id,
                                                           where):
    answer = ask(question, settings=settings)
    assert not answer.abstained, answer.answer
    first = answer.citations[0]
    assert first.doc_id == doc_id, answer.answer
    assert where in (first.article or "") + " " + first.section, answer.answer
    assert f"“{first.quote}”[1]" in answer.answer  # quoted verbatim, with its marker
    for c in answer.citations:  # the offsets span the quote's every piece, in order
        assert_located(index, c)


def test_done_when_article_27_with_its_three_conditions(settings):
    answer = ask("什么情况下企业必须实施强制性清洁生产审核？", settings=settings)
    quote = answer.citations[0]
    assert (quote.title, quote.article, quote.page) == ("中华人民共和国清洁生产促进法", "第二十七条", 5)
    for condition in ("重点污染物排放总量控制指标", "单位产品能源消耗限额标准构成高耗能",
                      "使用有毒、有害原料进行生产"):
        assert condition in quote.quote


@pytest.mark.parametrize("question", [
    "上海市清洁生产审核补贴标准是多少？",
    "欧盟的清洁生产指令对企业有什么要求？",
    "北京市清洁生产审核验收流程是怎样的？",
    "广州某某化工有限公司2022年的审核验收结果怎么样？",
    "《清洁生产审核办法》第十条是怎么规定的？",
    "今天广州的天气怎么样？",
    "清洁生产审核评估验收专家的劳务费标准是多少？",  # a number is nearby, not this one
    "四川省对清洁生产项目的省级财政补助比例是多少？",
])
def test_abstains_when_the_documents_do_not_say(settings, question):
    answer = ask(question, settings=settings)
    assert answer.abstained
    assert answer.citations == []
    assert "未" in answer.answer.splitlines()[0]
    assert "当前语料库包含" in answer.answer  # tells the user what the corpus does cover


def test_filters_restrict_the_documents(settings):
    answer = ask("强制性清洁生产审核", settings=settings, filters=Filters(region="广西壮族自治区"))
    assert {p.doc_id for p in answer.passages} == {"gx-plan-2021"}
    laws = ask("强制性清洁生产审核", settings=settings, filters=Filters(kind="law"))
    assert {p.doc_id for p in laws.passages} <= {
        "cleaner-production-law", "circular-economy-law", "environmental-protection-law",
        "eia-law", "energy-conservation-law"}


def test_follow_up_without_llm_merges_the_previous_question(settings):
    first = "广州强制性清洁生产审核的重点行业有哪些？"
    answer = ask("那广西呢？", history=[first], settings=settings)
    assert answer.resolved_question == "广西强制性清洁生产审核的重点行业有哪些？"
    assert answer.citations and answer.citations[0].doc_id == "gx-plan-2021"


def test_answer_reports_its_mode_and_timings(settings):
    answer = ask("清洁生产审核", settings=settings)
    assert answer.mode == "lexical"
    assert any("词法检索" in note for note in answer.notes)
    assert {"retrieve_ms", "total_ms"} <= set(answer.timings)


def test_an_article_named_in_the_question_is_quoted(settings):
    answer = ask("清洁生产促进法第二十七条规定了什么？", settings=settings)
    assert {(c.doc_id, c.article) for c in answer.citations} == {
        ("cleaner-production-law", "第二十七条")}
    other = ask("《节约能源法》第三十九条是怎么规定的？", settings=settings)
    assert other.citations[0].doc_id == "energy-conservation-law"
    assert other.citations[0].article == "第三十九条"


def test_an_article_that_does_not_exist_is_said_so(settings):
    answer = ask("清洁生产促进法第五十二条规定了什么？", settings=settings)
    assert answer.abstained
    assert answer.answer.startswith("《中华人民共和国清洁生产促进法》中没有第五十二条（共 40 条）")


@pytest.mark.parametrize(("question", "reason"), [
    ("第", "问题过短"),
    ("？？？", "请用中文提问"),
    ("hello, how are you?", "请用中文提问"),  # English the field glossary does not know
    ("😀😀", "请用中文提问"),
])
def test_odd_questions_get_a_clear_abstention(settings, question, reason):
    answer = ask(question, settings=settings)
    assert answer.abstained and reason in answer.answer


def test_empty_or_huge_questions_are_refused(settings):
    from assistant.errors import CpauditError

    for question in ("  ", "清洁生产审核" * 500):
        with pytest.raises(CpauditError):
            ask(question, settings=settings)
    # a lone surrogate (JSON's "\ud800") is no character: refused, not a crash in the tokenizer
    with pytest.raises(CpauditError, match="surrogate"):
        ask("\ud800清洁生产审核的条件", settings=settings)
    with pytest.raises(CpauditError, match="History item 1"):
        ask("那广西呢？", history=["广东\udfff"], settings=settings)
