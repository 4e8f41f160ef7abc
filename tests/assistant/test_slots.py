"""Slot evidence: a quote answers a quantity or time question only when it states the number
about what the asking clause asks about (assistant/slots.py)."""

from __future__ import annotations

from assistant.evidence import Term
from assistant.service import ask
from assistant.slots import novelty, slot_share

_INSPECTION = [Term("抽查", 4.9), Term("比例", 3.7)]


def test_a_number_of_another_thing_does_not_state_the_asked_one():
    other = ("选择1-2个市和行业开展差异化审核模式试点示范，鼓励各地探索整体审核模式，"
             "推动整体清洁生产水平的提升，定期组织抽查。")
    stated = "每年按不低于10%的比例抽查重点企业的审核报告。"
    assert slot_share("quantity", _INSPECTION, other, (1, 1)) < 0.5
    assert slot_share("quantity", _INSPECTION, stated, (1, 1)) == 1.0


def test_the_sentence_topic_and_the_documents_title_count_as_around_the_number():
    subject = [Term("建设单位", 4.0), Term("建筑节能标准", 5.0)]
    law = "建设单位违反建筑节能标准的，由建设主管部门责令改正，处二十万元以上五十万元以下罚款。"
    assert slot_share("quantity", subject, law, (1, 1)) == 1.0  # topic, two clauses away
    law_title = [Term("节约能源", 4.2), Term("施行", 4.1)]
    start = "本法自2008年4月1日起施行。"
    assert slot_share("time", law_title, start, (1, 1)) < 0.6
    assert slot_share("time", law_title, start, (1, 1), "中华人民共和国节约能源法") == 1.0


def test_nothing_to_look_for_is_no_reason_to_refuse():
    assert slot_share("quantity", [Term("开矿", 3.4, seen=False)], "处五万元罚款。", (1, 1)) == 1.0


def test_novelty_counts_content_words_no_document_uses_not_the_segmenters_leftovers():
    assert novelty([Term("大概", 3.4, seen=False), Term("要花", 3.4, seen=False)]) == 0.0
    assert novelty([Term("报名", 3.4, seen=False)]) == 1.0
    assert novelty([Term("报名", 3.0, seen=False), Term("证书", 3.0)]) == 0.5


def test_a_close_question_whose_number_is_not_stated_is_refused_with_context(settings):
    # Guangxi's plan says enterprises are spot-checked, with no share: the 1-2 cities of a
    # pilot nearby are not the answer
    answer = ask("广西对重点企业的清洁生产审核抽查，抽查比例一般定多少？", settings=settings)
    assert answer.abstained and not answer.citations


def test_a_number_stated_about_the_asked_thing_still_answers(settings):
    answer = ask("广东到2025年要推动多少家工业企业开展清洁生产审核？", settings=settings)
    assert not answer.abstained
    assert "5000" in answer.citations[0].quote.replace(" ", "")


def test_a_list_is_stated_about_its_subject_anywhere_in_its_sentence():
    # an enumeration is a long noun phrase: what is done with the things listed comes last
    subject = [Term("调查", 4.2), Term("摸底", 5.8), Term("重点行业", 2.6)]
    sentence = ("各地要对产生、排放烟（粉）尘、二氧化硫、重金属，使用有毒有害原材料，"
                "产生高风险污染物的重点行业规模以上企业，认真开展调查摸底。")
    assert slot_share("list", subject, sentence, (1, 1)) < 0.5
    assert slot_share("list", subject, sentence, (9, 9)) == 1.0


def test_a_list_question_the_documents_do_not_enumerate_is_refused_with_context(settings):
    # Shandong's regulation says one may apply for recognition, not what to hand in
    answer = ask("山东自愿审核后申请认定，要交哪些申请材料？", settings=settings)
    assert answer.abstained and not answer.citations
    assert answer.context and "清单" in answer.answer


def test_an_enumeration_of_the_asked_thing_still_answers(settings):
    answer = ask("循环经济发展规划应当包括哪些内容？", settings=settings)
    assert not answer.abstained
    assert "规划目标" in answer.citations[0].quote
