"""Places from the national gazetteer, follow-ups that change the place, and answers scoped to
the place asked about."""

from __future__ import annotations

from assistant.asks import analyse, states
from assistant.followup import is_followup, merge_followup
from assistant.places import find_places, region_names
from assistant.service import ask


def test_places_are_named_as_people_say_them_with_their_parents():
    assert [p.name for p in find_places("那广西呢？")] == ["广西壮族自治区"]
    assert [p.name for p in find_places("内蒙古的企业要做审核吗")] == ["内蒙古自治区"]
    nanhai = find_places("南海区呢")[0]
    assert {"佛山市", "广东省", "全国"} <= region_names(nanhai)
    # a bare district name only where a follow-up names nothing else
    assert find_places("顺德") == [] and find_places("顺德", county_short=True)[0].name == "顺德区"


def test_a_follow_up_swaps_the_place_of_the_same_level():
    assert merge_followup("那广西呢？", "广东到2025年要推动多少家工业企业开展清洁生产审核？") == \
        "广西到2025年要推动多少家工业企业开展清洁生产审核？"
    assert merge_followup("南海区呢？", "佛山规划对禅城区的清洁生产有什么安排？") == \
        "佛山规划对南海区的清洁生产有什么安排？"
    assert merge_followup("那佛山呢？", "广州各区的审核年度计划什么时候交？") == "佛山各区的审核年度计划什么时候交？"


def test_a_turn_without_chinese_starts_afresh():
    assert not is_followup("hello") and not is_followup("What about Guangxi?")
    assert is_followup("牵头单位是哪个？")


def test_a_quantity_question_is_answered_only_by_a_number_of_what_it_counts():
    ask_ = analyse("到2025年要推动多少家工业企业开展清洁生产审核？")
    assert ask_.kind == "quantity" and ask_.unit == "家"
    assert states(ask_, "推动5000家以上工业企业开展清洁生产审核。")
    assert not states(ask_, "2021-2023年完成新一轮清洁生产审核。")  # a number, of years
    assert states(analyse("多久报告一次？"), "每年向国务院报告")  # a frequency said in words
    assert analyse("审核计划什么时候报上去？").kind == "time"


def test_a_place_is_answered_from_its_own_documents_or_says_they_do_not_say(settings, index):
    answer = ask("那广西呢？", history=["广东到2025年要推动多少家工业企业开展清洁生产审核？"],
                 settings=settings)
    assert answer.resolved_question.startswith("广西")
    # the Guangxi plan states no 2025 figure: Guangdong's 5000 must not stand in for it
    assert all(c.doc_id != "gd-plan-2023" for c in answer.citations), answer.answer
    assert answer.abstained and "广西" in answer.answer.splitlines()[0]


def test_an_english_question_is_read_through_the_glossary(settings, index):
    answer = ask("Can a fixed-asset project that fails the mandatory energy conservation "
                 "standards start construction?", settings=settings)
    assert not answer.abstained and answer.citations[0].doc_id == "energy-conservation-law"
    assert any("glossary" in note for note in answer.notes)
    assert ask("hello", settings=settings).abstained  # nothing the glossary knows: refused
