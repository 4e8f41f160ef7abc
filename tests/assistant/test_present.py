"""How answers are shown (assistant.present): one citation per article, the article number
said once, long sentences trimmed to the clause that answers, list items never used as the
section, and refusals that show the nearest passage as context, never as the answer."""

from __future__ import annotations

import re

import pytest
from support.quotes import assert_located

from assistant.asks import Ask
from assistant.evidence import Term, quotes
from assistant.present import CUT, TRIM_OVER, present, trim
from assistant.render import CONTEXT_LABEL, answer_view
from assistant.service import ask


def _article_passage(index, doc_id: str, article: str):
    row = next(r for r, c in enumerate(index.chunks)
               if c.doc_id == doc_id and c.article == article)
    return index.passage(row, 1.0)


def test_quotes_of_one_article_are_one_citation(index):
    passage = _article_passage(index, "cleaner-production-law", "第二十七条")
    units = quotes(passage.text)
    assert len(units) >= 2
    picks = [(units[-1], passage), (units[0], passage)]  # picked out of text order
    [citation] = present(index, picks, [])
    assert citation.n == 1 and citation.article == "第二十七条"
    # in text order, the article number said once (by the citation, not in the quote)
    assert citation.quote.startswith("企业应当对生产和服务过程中")
    assert citation.quote.endswith(units[-1].text) and CUT in citation.quote
    chunk = index.chunks[index.row_of[passage.chunk_id]]
    assert citation.start == chunk.start + units[0].start + len("第二十七条 ")
    assert citation.end == chunk.start + units[-1].end
    assert_located(index, citation)


def test_adjacent_sentences_join_without_an_ellipsis_and_gaps_get_one(index):
    passage = _article_passage(index, "cleaner-production-law", "第二十七条")
    units = quotes(passage.text)
    [adjacent] = present(index, [(units[0], passage), (units[1], passage)], [])
    assert CUT not in adjacent.quote
    if len(units) >= 3:
        [gapped] = present(index, [(units[0], passage), (units[2], passage)], [])
        assert CUT in gapped.quote
        assert_located(index, gapped)


def test_different_articles_keep_their_own_numbers(index):
    a = _article_passage(index, "cleaner-production-law", "第二十七条")
    b = _article_passage(index, "cleaner-production-law", "第三十九条")
    cited = present(index, [(quotes(b.text)[0], b), (quotes(a.text)[0], a)], [])
    assert [(c.n, c.article) for c in cited] == [(1, "第三十九条"), (2, "第二十七条")]


def test_a_plan_merges_adjacent_sentences_only(index):
    row = next(r for r, c in enumerate(index.chunks)
               if c.doc_id == "gx-plan-2021" and c.section == "二、工作目标"
               and len(quotes(c.text)) >= 3)
    passage = index.passage(row, 1.0)
    units = quotes(passage.text)
    [one] = present(index, [(units[1], passage), (units[0], passage)], [])
    assert CUT not in one.quote and one.quote.startswith(units[0].text[:10])
    apart = present(index, [(units[2], passage), (units[0], passage)], [])
    assert [c.quote for c in apart] == [units[2].text, units[0].text]  # pick order kept
    assert [c.n for c in apart] == [1, 2]


def test_law_quotes_do_not_repeat_their_article_number(settings, index):
    answer = ask("不实施强制性清洁生产审核会被罚款多少？", settings=settings)
    first = answer.citations[0]
    assert first.article == "第三十九条"
    assert not first.quote.startswith("第三十九条")
    assert "第三十九条：“" in answer.answer and "第三十九条：“第三十九条" not in answer.answer
    assert "拒不改正的，处以五万元以上五十万元以下的罚款" in first.quote  # condition kept
    assert_located(index, first)
    for c in answer.citations:
        assert not (c.article and c.quote.startswith(c.article)), c.quote


def test_answers_never_cite_one_article_twice(settings):
    for question in ("什么情况下企业必须实施强制性清洁生产审核？", "清洁生产是指什么？",
                     "清洁生产促进法第二十七条规定了什么？", "环境保护法关于按日连续处罚是怎么规定的？"):
        answer = ask(question, settings=settings)
        keys = [(c.doc_id, c.article) for c in answer.citations if c.article]
        assert len(keys) == len(set(keys)), (question, answer.answer)
        assert len(re.findall(r"”\[\d+\]", answer.answer)) == len(answer.citations)


LONG = ("违反本法规定，企业事业单位和其他生产经营者未按照国家有关规定安装使用监测设备的，"
        "由县级以上人民政府环境保护主管部门责令改正，处二万元以上二十万元以下的罚款；"
        "情节严重的，报经有批准权的人民政府批准，责令停业、关闭，"
        "并对其直接负责的主管人员和其他直接责任人员依法给予处分，构成犯罪的，依法追究刑事责任。")


def test_a_long_sentence_is_trimmed_to_the_clauses_that_answer():
    assert len(LONG) > TRIM_OVER
    terms = [Term("监测设备", 5.0), Term("罚款", 2.0)]
    shown = trim(LONG, terms, Ask(("quantity",), "元"))
    # the provision stating the fine, whole, its condition (…监测设备的) included
    assert shown.startswith("违反本法规定") and shown.endswith("处二万元以上二十万元以下的罚款……")
    assert "刑事责任" not in shown and "情节严重" not in shown
    for piece in (p for p in shown.split(CUT) if p):
        assert piece in LONG  # verbatim pieces only


def test_trimming_starts_at_the_answering_clause_and_leaves_short_text_alone():
    terms = [Term("停业", 5.0), Term("关闭", 5.0)]
    shown = trim(LONG, terms, Ask())
    # the answering provision first, with its condition: never "……责令停业、关闭" alone
    assert shown.startswith("……情节严重的，") and shown.endswith("依法追究刑事责任。")
    short = "企业用于清洁生产审核和培训的费用，可以列入企业经营成本。"
    assert trim(short, terms, Ask()) == short
    assert trim(LONG, [Term("不在文中", 3.0)], Ask()) == LONG  # nothing to narrow to


def test_a_list_keeps_every_item_unless_some_carry_the_question(index):
    passage = _article_passage(index, "cleaner-production-law", "第二十七条")
    listing = next(q for q in quotes(passage.text) if "（一）" in q.text)
    general = trim(listing.text, [Term("强制性清洁生产审核", 4.0)], Ask())
    assert general == listing.text  # "哪些情形" — the whole list answers
    one = trim(listing.text, [Term("高耗能", 6.0), Term("企业", 0.5)], Ask())
    assert "高耗能" in one and "（一）" not in one and "（三）" not in one and CUT in one
    assert one.startswith("有下列情形之一的企业")  # the introduction stays
    asked_for_a_list = trim(listing.text, [Term("高耗能", 6.0)], Ask(), whole_lists=True)
    assert asked_for_a_list == listing.text


def test_the_section_is_a_heading_never_a_list_item(index):
    items = [(r, c) for r, c in enumerate(index.chunks) if c.doc_id == "fs-plan-2011"
             and re.search(r" > \d、", c.section)]
    assert items, "the Foshan plan has numbered paragraphs"
    labels = {}
    for row, chunk in items:
        passage = index.passage(row, 1.0)
        for quote in quotes(passage.text)[:2]:
            [c] = present(index, [(quote, passage)], [])
            labels[c.section.split(" > ")[-1]] = c.section
    # "2、国家、省和市科技部门的…" (a sentence of a list) and "2、建立3-5家…；" (a list item)
    # are not headings; "1、推行清洁生产是…重要举措。<its body>" is one
    assert not any(leaf.endswith("…") or leaf.startswith("2、建立") for leaf in labels), labels
    assert "（一）配套政策措施，做好政策导向" in labels, labels
    assert "1、推行清洁生产是改善佛山市环境质量的重要举措" in labels, labels


def test_a_refusal_on_a_discussed_subject_shows_context_not_citations(settings, index):
    question = "清洁生产审核评估验收专家的劳务费标准是多少？"
    answer = ask(question, settings=settings)
    assert answer.abstained and answer.citations == []
    assert answer.context, answer.answer
    assert answer.answer.startswith("现有文件提到「")
    assert "但" in answer.answer.splitlines()[0]
    for c in answer.context:
        assert_located(index, c)
        assert f"“{c.quote}”" not in answer.answer  # context is not quoted as the answer
    text = answer_view(answer, width=100).text()
    assert CONTEXT_LABEL in text and "来源 / Sources" not in text


@pytest.mark.parametrize("question", ["今天广州的天气怎么样？", "《清洁生产审核办法》第十条是怎么规定的？",
                                      "hello, how are you?"])
def test_out_of_scope_refusals_show_no_context(settings, question):
    answer = ask(question, settings=settings)
    assert answer.abstained and answer.context == [] and answer.citations == []


def test_an_answer_has_no_context(settings):
    answer = ask("什么情况下企业必须实施强制性清洁生产审核？", settings=settings)
    assert not answer.abstained and answer.context == []
