"""The learned table (data/learned_legal.yaml) speaks only to the law library's articles of the
laws it was learned from: over a corpus index it is not read at all, and the rankings are the
ones the table would have left as they were (assistant.learned_terms.learned_for)."""

from __future__ import annotations

import pytest

from assistant import learned_terms
from assistant.retrieve import retrieve

QUESTIONS = ("清洁生产审核报告应当包括哪些内容？", "企业不实施强制性清洁生产审核会受到什么处罚？",
             "公司拖欠工资怎么办")


def _ranking(index, question):
    return [(hit.row, hit.score, hit.bm25) for hit in retrieve(index, question).hits]


def test_a_corpus_index_answers_without_reading_the_table(index):
    learned_terms._shipped.cache_clear()
    assert learned_terms.learned_for(index) is None
    for question in QUESTIONS:
        retrieve(index, question)
    assert learned_terms._shipped.cache_info().currsize == 0


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_corpus_ranking_is_the_one_the_table_leaves_as_it_is(index, monkeypatch, question):
    assert learned_terms.learned() is not None  # the shipped table, read here on purpose
    without = _ranking(index, question)
    monkeypatch.setitem(index.__dict__, "_holds_law_library", True)  # as if the table applied
    assert _ranking(index, question) == without
