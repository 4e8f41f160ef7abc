"""Conversations as a user has them: which turn continues the previous question, what it is
understood as, and what it is answered with — in Chinese and English, either way round."""

from __future__ import annotations

from assistant.service import ask

GUANGDONG_2025 = "广东到2025年要推动多少家工业企业开展清洁生产审核？"


def _cited(answer) -> list[str]:
    return [c.chunk_id for c in answer.citations]


def test_a_first_question_with_english_words_is_answered_as_its_chinese_reading(settings, index):
    # what is searched (the Chinese reading) differs from what was typed, but nothing was asked
    # before it: it is not a follow-up, so it gets the answer its reading gets when typed
    for question in ("广东的重点用能单位要不要接入energy consumption在线监测系统？",
                     "广东对VOCs有什么要求？"):
        typed = ask(question, settings=settings, index=index)
        reading = ask(typed.retrieval_query, settings=settings, index=index)
        assert typed.citations and _cited(typed) == _cited(reading), question


def test_an_english_question_after_a_chinese_one_is_answered_on_its_own(settings, index):
    question = ("Can a fixed-asset project that fails the mandatory energy conservation "
                "standards start construction?")
    alone = ask(question, settings=settings, index=index)
    after = ask(question, history=[GUANGDONG_2025], settings=settings, index=index)
    assert _cited(after) == _cited(alone) and after.citations
    assert after.citations[0].doc_id == "energy-conservation-law"


def test_a_chinese_follow_up_of_an_english_question_swaps_its_place(settings, index):
    english = "How many enterprises must Guangdong push to do cleaner production audits by 2025?"
    answer = ask("那广西呢？", history=[english], settings=settings, index=index)
    assert "广西" in answer.resolved_question and "广东" not in answer.resolved_question
    # Guangxi's plan states no such figure: Guangdong's 5000 must not answer for it
    assert answer.abstained and all(c.doc_id != "gd-plan-2023" for c in answer.citations)
