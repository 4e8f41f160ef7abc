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


def test_a_township_follow_up_swaps_the_township(settings, index):
    # townships lie below the gazetteer's counties: 西樵镇 swaps 南庄镇, and 禅城区 goes with
    # it (西樵镇 is in 南海区); 佛山西樵镇 names 佛山, not 山西 across the two names
    answer = ask("西樵镇呢？", history=["佛山禅城区南庄镇的陶瓷企业都过了省清洁生产企业验收吗？"],
                 settings=settings, index=index)
    assert answer.resolved_question == "佛山西樵镇的陶瓷企业都过了省清洁生产企业验收吗？"
    assert not answer.abstained and "西樵镇" in answer.citations[0].quote
    assert "南庄镇" not in answer.citations[0].quote


def test_a_word_is_not_read_as_a_place_across_two_place_names():
    from assistant.followup import merge_followup
    from assistant.query import places

    assert places("佛山西樵镇的陶瓷企业") == ["佛山"] and "江苏" not in places("浙江苏州的企业")
    assert places("江苏和浙江") == ["江苏", "浙江"]
    # a particle before 城镇 makes it no township; a city's township is swapped in place
    assert merge_followup("小城镇呢？", "广州对城镇污水有什么要求？").startswith("广州对城镇污水")
    assert merge_followup("虎门镇呢？", "东莞长安镇有什么要求？") == "东莞虎门镇有什么要求？"


def test_another_question_opened_with_lingwai_is_not_merged():
    from assistant.followup import is_followup, merge_followup

    # "另外，…" / "还有，…" open another question: a complete one stands on its own …
    assert not is_followup("另外问一下，节能法里的能源指什么？")
    assert not is_followup("还有，企业超标排放会被怎么处罚？")
    # "其中" (of them), "刚才说的" point back however long the turn is
    assert is_followup("其中强制性清洁生产审核的企业要占多少家？")
    assert is_followup("刚才说的那些重点企业具体由哪个部门牵头负责？")
    # … one that leans on the conversation still continues it
    assert merge_followup("另外，那广西呢？", GUANGDONG_2025) == \
        "广西到2025年要推动多少家工业企业开展清洁生产审核？"
    # openers one after another, as many as a question may hold (2,000 characters): judged
    # after the last of them, not by one call per opener (998 of them overflowed the stack)
    assert is_followup("另外，还有，那广西呢？") and not is_followup("另外，还有，企业超标排放会被怎么处罚？")
    assert is_followup("再，" * 998 + "广西呢")


def test_an_ellipsis_asks_the_earlier_question_of_the_new_case(settings, index):
    # "没设的话会怎样？": what happens to a unit that did not set up the post the earlier
    # question asked about — the penalty article, not the duty itself
    answer = ask("没设的话会怎样？", history=["重点用能单位是不是一定要设能源管理岗位？"],
                 settings=settings, index=index)
    assert not answer.abstained and answer.citations[0].article == "第八十四条"
    assert "罚款" in answer.citations[0].quote


def test_an_ellipsis_asking_the_penalty_is_about_what_the_earlier_question_named(settings, index):
    # "那违反了呢？会怎么罚？" asks the penalty for breaking the packaging rules the earlier
    # question was about: the circular-economy law sets none — a penalty for another design
    # duty (电器电子产品) must not stand in for it
    packaging = ask("那违反了呢？会怎么罚？", history=["循环经济法对产品包装设计有什么要求？"],
                    settings=settings, index=index)
    assert packaging.abstained and not packaging.citations
    # where the earlier subject's penalty exists, it is the answer
    sale = ask("那违反了呢？", history=["卖房子的时候开发商要告诉买家哪些节能方面的信息？"],
               settings=settings, index=index)
    assert not sale.abstained and "罚款" in sale.citations[0].quote
    assert "房屋" in sale.citations[0].quote


def test_a_turn_joined_to_the_earlier_question_keeps_its_asking_words(settings, index):
    # "不做会怎么样？" asks what happens — its 怎么样 stays; and the asker's own case (电镀企业)
    # is not what the ellipsis asks about: the penalty for not auditing answers
    answer = ask("不做会怎么样？", history=["我们是广州的电镀企业，要做强制审核吗？"],
                 settings=settings, index=index)
    assert answer.resolved_question.endswith("不做会怎么样")
    assert not answer.abstained and answer.citations[0].article == "第三十九条"


def test_an_ordinal_of_something_listed_before_continues_the_conversation():
    from assistant.followup import is_followup

    assert is_followup("第二个阶段具体是从什么时候开始的？")
    assert not is_followup("清洁生产促进法第二十七条规定了哪些情形？")  # an article, not an ordinal


def test_a_follow_up_asking_something_new_is_not_answered_with_the_previous_quote(settings,
                                                                                  index):
    first = ask("重点排污单位要公开哪些环境信息？", settings=settings, index=index)
    disclosure = next(c.chunk_id for c in first.citations if c.article == "第五十五条")
    history = [first.resolved_question or first.question]
    plain = ask("那不公开呢？", history=history, settings=settings, index=index)
    after = ask("那不公开呢？", history=history, previous_answer=first.quoted,
                settings=settings, index=index)
    # without the previous answer the disclosure article is quoted again; with it, only what
    # the follow-up newly asks (what happens to whoever does not disclose)
    assert disclosure in _cited(plain)
    assert after.citations and disclosure not in _cited(after)


def test_a_place_follow_up_may_be_answered_with_the_same_national_quote(settings, index):
    first = ask("广东的企业不实施强制性清洁生产审核会被怎么罚？", settings=settings, index=index)
    after = ask("那广西呢？", history=[first.resolved_question or first.question],
                previous_answer=first.quoted, settings=settings, index=index)
    assert "广西" in after.resolved_question
    assert _cited(after) == _cited(first) and first.citations[0].doc_id == "cleaner-production-law"


def test_a_sentence_that_goes_on_to_what_the_turn_asks_is_no_repeat():
    from assistant.followup import Resolved

    said = "新增建筑太阳能光伏装机容量200万千瓦。"
    turn = Resolved("那建筑能耗里电力要占多少？", "…", True, "那到2025年建筑太阳能光伏要新增多少装机？",
                    said_before=said)
    sentence = "到2025年，新增建筑太阳能光伏装机容量200万千瓦，建筑能耗中电力消费比例大于80%。"
    assert not turn.repeats(sentence)  # its last clause states the share of 电力 asked for
    other = Resolved("那公共建筑呢？", "…", True, "那到2025年建筑太阳能光伏要新增多少装机？",
                     said_before=said)
    assert other.repeats("第十条 到2025年，新增建筑太阳能光伏装机容量200万千瓦，积极推进。")
    assert not Resolved("那公共建筑呢？", "…", True, "…").repeats(sentence)  # nothing said before


def test_a_district_follow_up_is_not_answered_with_the_provinces_total(settings, index):
    first = ask(GUANGDONG_2025, settings=settings, index=index)
    assert not first.abstained and "5000" in first.answer
    for turn, place in (("顺德区呢？", "顺德区"), ("那佛山呢？", "佛山"), ("那广州黄埔区呢？", "黄埔区")):
        after = ask(turn, history=[GUANGDONG_2025], previous_answer=first.quoted,
                    settings=settings, index=index)
        assert place in after.resolved_question, turn
        # Guangdong's 5000 enterprises are the province's count, not the district's or city's:
        # the answer says the documents give no such figure for the place, the total is context
        assert after.abstained and "5000" not in after.answer.split("相关内容")[0], turn
        assert "全地区的总数" in after.answer.splitlines()[0], turn


def test_a_place_within_the_asked_one_follows_it_into_the_question():
    from assistant.followup import merge_followup

    assert merge_followup("那广州黄埔区呢？", GUANGDONG_2025).startswith("广东广州黄埔区到2025年")
    assert merge_followup("江门新会区呢？", "佛山的企业有什么补助？") == "江门新会区的企业有什么补助？"


def test_the_old_places_document_goes_with_it():
    from assistant.followup import merge_followup

    # 四川's 通知 is no document of 广西 (its plan is a 方案): asked of 广西, the place's
    # documents answer, whatever their kind; a document named after a place kept stays
    assert merge_followup("广西呢？", "四川通知说要建什么样的专家库？") == "广西说要建什么样的专家库？"
    assert merge_followup("那佛山呢？", "广州方案对星级酒店有什么清洁生产要求？") \
        == "佛山对星级酒店有什么清洁生产要求？"
    assert merge_followup("南海区呢？", "佛山规划里禅城区重点放在哪些行业？") \
        == "佛山规划里南海区重点放在哪些行业？"
