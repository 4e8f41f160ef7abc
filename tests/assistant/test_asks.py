"""What a question asks for, and which quotes state it (data/answering.yaml `patterns.asks`)."""

from assistant.asks import analyse, missing_reason, states


def test_a_department_question_is_answered_only_by_a_quote_naming_a_body():
    ask = analyse("广东的实施方案由哪个部门牵头组织协调？")
    assert ask.kinds == ("who",)
    assert states(ask, "省发展改革委加强组织协调，会同有关部门建立协调机制。")
    assert not states(ask, "推行清洁生产是推进生态文明建设的重要举措。")


def test_a_consequence_question_is_answered_only_by_a_sanction_or_consequence():
    ask = analyse("评估验收不合格会怎么样？")
    assert ask.kinds == ("consequence",)
    assert states(ask, "评估验收不合格的，由组织评估验收的部门责令其限期整改。")
    assert not states(ask, "实施强制性清洁生产审核的单位应当报送审核报告。")


def test_a_fine_asked_as_an_amount_needs_the_amount():
    ask = analyse("没贴能效标识会被罚多少？")
    assert ask.kind == "quantity" and "consequence" in ask.kinds
    assert states(ask, "处三万元以上五万元以下罚款。")


def test_a_two_part_question_is_answered_by_a_quote_stating_either_part():
    ask = analyse("验收由谁组织？多久内要完成？")
    assert set(ask.kinds) == {"quantity", "who"}
    assert states(ask, "由作出强制性清洁生产审核决定的部门组织专家进行评估验收。")
    assert states(ask, "应当自确定之日起一年内报送审核报告。")


def test_a_question_that_asks_no_checkable_kind_is_not_gated():
    ask = analyse("我们是佛山的陶瓷厂，要做强制审核吗？")
    assert ask.kinds == ()
    assert states(ask, "任何一句话。")
    assert missing_reason(ask) == ""


def test_a_refusal_says_what_was_asked_and_not_found():
    assert "负责的部门" in missing_reason(analyse("找谁备案？"))
    assert "期限" in missing_reason(analyse("什么时候交？"))


def test_a_follow_up_weighs_its_own_words_above_the_merged_question():
    from assistant.answer import focus_on_new_turn
    from assistant.evidence import Term

    terms = [Term("进口", 1.0), Term("使用", 1.0)]
    merged = "按循环经济促进法，企业使用列入淘汰名录的设备会怎么罚？如果是进口淘汰名录里的设备呢？"
    focused = {t.text: t.weight for t in focus_on_new_turn(terms, "如果是进口淘汰名录里的设备呢？", merged)}
    assert focused["进口"] > focused["使用"]
    assert focus_on_new_turn(terms, merged, merged) == terms  # not a follow-up: unchanged
