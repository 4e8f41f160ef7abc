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


def test_a_turn_without_chinese_starts_afresh_unless_it_names_a_place():
    assert not is_followup("hello")
    assert not is_followup("What documents must a cleaner production audit report include?")
    assert is_followup("牵头单位是哪个？")
    # "And in Guangxi?" is the English of "那广西呢？": the glossary reads it as a place
    assert is_followup("What about Guangxi?")
    assert merge_followup("And in Guangxi?", "山东对不实施强制性清洁生产审核的企业怎么罚？") == \
        "广西对不实施强制性清洁生产审核的企业怎么罚？"


def test_a_place_follow_up_keeps_a_new_ask_drops_a_repeated_one_and_swaps_every_level():
    previous = "四川的清洁生产培训制度要培训哪些人？"
    assert merge_followup("那广西呢？培训哪些人", previous) == "广西的清洁生产培训制度要培训哪些人？"
    assert merge_followup("那广西呢？罚款多少", previous).endswith(" 罚款多少")
    # (佛山's 规划 goes with 佛山: 江门's documents answer, whatever their kind)
    assert merge_followup("江门新会区呢？", "佛山规划里高明区可以搞哪个行业的试点？") == \
        "江门新会区可以搞哪个行业的试点？"
    # said as people say it, written as the documents write it
    assert merge_followup("那顺德呢", "佛山三水区的重点是哪些行业？") == "佛山顺德区的重点是哪些行业？"
    assert merge_followup("广东的条例呢？", "山东省清洁生产促进条例是哪天开始施行的？") == \
        "广东省清洁生产促进条例是哪天开始施行的？"


def test_a_word_that_starts_like_a_county_is_not_a_place():
    # 资源县 (Guangxi) without its 县 is an ordinary word: "那资源化呢？" asks about 资源化
    merged = merge_followup("那资源化呢？", "循环经济促进法里的“再利用”是什么意思？")
    assert merged.startswith("循环经济促进法") and merged.endswith("资源化")


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
    assert any(note.startswith("English words read in Chinese as") for note in answer.notes)
    assert ask("hello", settings=settings).abstained  # nothing the glossary knows: refused


def test_a_district_follow_up_is_not_answered_by_a_sibling_district(settings, index):
    # the Foshan plan gives each district a paragraph: 高明区's must not answer for 顺德区
    answer = ask("那顺德呢", history=["佛山三水区的清洁生产示范工程重点是哪些行业？"], settings=settings)
    assert answer.resolved_question.startswith("佛山顺德区")
    assert answer.citations and all("高明区" not in c.quote for c in answer.citations)
    assert "顺德区" in answer.citations[0].quote


def test_a_follow_up_asking_its_own_thing_is_answered_by_a_quote_naming_it(settings, index):
    # "牵头单位是哪个？" asks who leads: the previous answer's 300家 sentence names no 牵头
    answer = ask("牵头单位是哪个？", history=["广州推进强制性清洁生产审核的重点企业有多少家？"],
                 settings=settings)
    assert all("牵头" in f"{c.section} {c.quote}" for c in answer.citations), answer.answer


def test_a_follow_up_of_a_follow_up_continues_what_the_earlier_one_resolved_to():
    from assistant.service import resolved_history

    history = ["广州对通过审核验收的企业，市里会给奖励吗？", "那我们在黄埔区，区里还有没有配套的？"]
    # a place within the one asked about keeps it: 广州 → 广州黄埔区, not 黄埔区 alone
    assert resolved_history(history).startswith("广州黄埔区对通过审核验收的企业")
    # a history item the client already resolved holds its predecessor: left as it is
    merged = merge_followup(history[1], history[0])
    assert resolved_history([history[0], merged]) == merged
    assert resolved_history(["环境日是哪一天？", "节能法里说的能源是指什么？"]) == "节能法里说的能源是指什么？"


def test_a_clause_ending_in_ne_or_an_english_opener_marks_a_follow_up():
    assert is_followup("顺德区呢？哪些园区可以做示范？")
    assert is_followup("Is it the same in Jiangsu?")
    assert not is_followup("城市里那些楼体亮化、景观照明，有没有能耗上的限制？")
    # an English turn's place swaps the earlier question's; its other words join it
    merged = merge_followup("What about hotels across Guangdong province?", "广州方案对星级酒店有什么清洁生产要求？")
    assert merged.startswith("广东对星级酒店") and "广州" not in merged  # 广州方案 went with 广州
    asked = merge_followup("And how often should Foshan hold an experience exchange meeting?",
                           "佛山每年至少要办几次企业清洁生产专员培训班？")
    assert "交流" in asked and "多久" in asked


def test_a_turn_naming_a_place_and_its_own_ask_is_asked_of_that_place():
    merged = merge_followup("佛山评先进企业的时候呢？", "广州在商业评比的时候对清洁生产有要求吗？")
    assert "广州" not in merged and merged.startswith("佛山") and "评先进企业" in merged


def test_a_district_and_its_city_are_named_as_one_place(settings, index):
    # "佛山三水区" is one place: the refusal speaks of 佛山三水区's documents, not 佛山、三水区's
    answer = ask("佛山三水区的审核费用是多少？", settings=settings, index=index)
    assert answer.abstained and "适用于佛山三水区的现有文件" in answer.answer
    assert "佛山、三水区" not in answer.answer


def test_a_count_asked_of_a_district_is_not_a_wider_regions_total(settings, index):
    from assistant.asks import analyse
    from assistant.models import Passage
    from assistant.place_scope import own_counts, place_scope

    target = Passage(chunk_id="gd-plan-2023#chunk-1", doc_id="gd-plan-2023", title="广东方案", section="",
                     text="到2025年，推动5000家以上工业企业开展清洁生产审核。", score=1.0)
    row = target.model_copy(update={"text": "顺德区：到2025年推动300家企业开展清洁生产审核。"})
    district = place_scope(index, "顺德区到2025年要推动多少家企业开展清洁生产审核？")
    # a count (家) in the province's plan is the province's; a passage naming 顺德区 may be its own
    assert own_counts(index, district, [target, row], analyse("要推动多少家企业？")) == [row]
    # an amount of money in it still applies within the province
    assert own_counts(index, district, [target], analyse("补助多少万元？")) == [target]
    # asked of the province itself, its own total answers
    province = place_scope(index, "广东到2025年要推动多少家企业开展清洁生产审核？")
    assert own_counts(index, province, [target], analyse("要推动多少家企业？")) == [target]
