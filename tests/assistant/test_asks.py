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
    from assistant.followup import Resolved

    terms = [Term("进口", 1.0), Term("使用", 1.0)]
    turn = "如果是进口淘汰名录里的设备呢？"
    merged = f"按循环经济促进法，企业使用列入淘汰名录的设备会怎么罚？{turn}"
    focused = {t.text: t.weight
               for t in focus_on_new_turn(terms, Resolved(turn, merged, follow_up=True))}
    assert focused["进口"] > focused["使用"]
    # not a follow-up: unchanged, though what is searched differs from what was typed (an
    # English question read in Chinese)
    assert focus_on_new_turn(terms, Resolved(merged, merged)) == terms
    assert focus_on_new_turn(terms, Resolved("What about imports?", merged)) == terms


def test_a_date_question_is_not_answered_by_a_frequency():
    ask = analyse("能源利用状况报告每年最晚几月几号前要交？")
    assert ask.kinds == ("date",)
    assert not states(ask, "重点用能单位应当每年向管理节能工作的部门报送上年度的能源利用状况报告。")
    assert states(ask, "于每年3月20日前报送当年清洁生产改造计划。")


def test_a_number_the_question_gives_does_not_answer_it():
    ask = analyse("那5000家里强制性审核的要占多少家？")
    assert not states(ask, "到2025年，推动5000家以上工业企业开展清洁生产审核。")
    assert states(ask, "其中强制性清洁生产审核企业不少于1000家。")


def test_a_list_number_or_a_unit_alone_is_not_an_amount():
    ask = analyse("投资多少钱以上的方案算中高费方案？")
    assert not states(ask, "5、结合清洁生产技术推广，逐步开展对中高费方案的技术认定。")
    assert not states(ask, "序号 | 项目名称 | 总投资（万元） | 是否为中高费方案")
    assert states(ask, "投资五十万元以上的为中高费方案。")


def test_thanks_are_not_a_follow_up():
    from assistant.followup import is_acknowledgement, is_followup

    assert is_acknowledgement("好的，谢谢！") and not is_followup("好的，谢谢！")
    assert not is_acknowledgement("好的，那广西呢？") and is_followup("好的，那广西呢？")
    for thanks in ("好的，我知道了", "谢谢您的解答", "非常感谢！", "太好了，谢谢", "嗯嗯，了解",
                   "OK，谢谢", "Thank you!", "got it"):
        assert is_acknowledgement(thanks) and not is_followup(thanks), thanks
    for asking in ("可以吗？", "明白了，那广西呢", "行不行"):
        assert not is_acknowledgement(asking), asking
    # bounded repeats: a long run that almost matches is rejected at once
    assert not is_acknowledgement("嗯" * 2000 + "吗") and not is_acknowledgement("好的，" * 600 + "吗")


def test_a_word_no_document_uses_weighs_little_but_is_still_what_a_quantity_asks(index):
    from assistant.answer import asked_focus, term_weights

    question = "评估验收专家的劳务费标准是多少？"
    terms = {t.text: t for t in term_weights(index, question)}
    assert not terms["劳务费"].seen and terms["评估验收"].seen
    assert terms["劳务费"].weight < max(t.weight for t in terms.values())
    assert asked_focus(question, list(terms.values())) == "劳务费"


def test_a_department_question_is_about_the_rarest_noun_of_its_clause(index):
    from assistant.answer import asked_focus, term_weights

    question = "这些单位的节能管理办法由谁来定？"
    assert asked_focus(question, term_weights(index, question), "who") in {"办法", "节能", "管理"}


def test_thanks_get_a_plain_reply_not_a_refusal_about_the_corpus(settings, index):
    from assistant.service import ask

    answer = ask("好的，谢谢！", settings=settings, index=index, history=["环境日是哪一天？"])
    assert answer.abstained and not answer.citations and not answer.context
    assert "语料库" not in answer.answer and "请直接提出" in answer.answer


def test_nouns_come_from_the_dictionary_tags_of_the_segmenters_words():
    from assistant.tokenize import nouns

    assert nouns("专家的劳务费标准是多少") == ["专家", "劳务费", "标准"]
    assert "办法" in nouns("这些单位的节能管理办法由谁来定？")
    assert "强制性清洁生产审核" in nouns("强制性清洁生产审核的重点企业有多少家？")  # a user word
    # words the segmenter joins that the dictionary does not hold are no nouns; places neither
    assert nouns("那佛山呢？要建几家") == [] and "广州" not in nouns("广州的审核费用")


def test_a_date_question_is_answered_only_by_a_date_of_what_it_asks_about(settings, index):
    from assistant.service import ask

    # Guangxi's plan dates a progress report (每年第2个月末), not the publication of the list
    refused = ask("强制审核的企业名单每年几月几号公布？", settings=settings)
    assert refused.abstained and not refused.citations, refused.answer
    answered = ask("四川每年几号前报送清洁生产改造计划？", settings=settings)
    assert not answered.abstained and "3月20日" in answered.citations[0].quote


def test_more_question_wording_marks_what_is_asked():
    assert analyse("四川的咨询机构业绩考评不合格，会不会被取消资格？").kinds == ("consequence",)
    assert analyse("逾期不报会被怎么处理？").kinds == ("consequence",)
    assert analyse("重点行业企业要做几轮清洁生产审核？").kind == "quantity"
    assert analyse("那个服务专区是哪年开通的？").kinds == ("time",)
    # handling waste is a procedure, not a consequence
    assert analyse("工业废物法律要求怎么处理？").kinds == ()


def test_a_quantity_question_needs_every_weighty_noun_of_its_asking_clause(settings, index):
    from assistant.answer import asked_subject, term_weights
    from assistant.service import ask

    question = "排污许可证有效期是几年？"
    assert set(asked_subject(question, term_weights(index, question))) >= {"排污许可证", "有效期"}
    # Guangzhou's 称号 is valid 2 years: that is not a permit's period
    answer = ask(question, settings=settings, index=index)
    assert answer.abstained and not answer.citations, answer.answer


def test_an_abbreviation_is_named_by_its_spelled_out_form():
    from assistant.answer import _mentions

    assert _mentions("货运", "全省水路货物运输量比重达到26%左右")
    assert _mentions("环评", "建设项目的环境影响评价文件")
    assert not _mentions("环评", "环境保护主管部门")


def test_a_document_the_corpus_speaks_of_is_answered_from_the_sentence_naming_it(settings, index):
    from assistant.service import ask

    answer = ask("佛山的《自愿性清洁生产审核及验收实施细则（暂行）》是什么时候出台的？",
                 settings=settings, index=index)
    assert not answer.abstained and "实施细则" in answer.citations[0].quote, answer.answer
    assert "2010年5月" in answer.citations[0].quote


def test_a_where_question_is_answered_only_by_a_place_a_site_or_a_channel():
    ask = analyse("富余排污权指标要去哪个交易平台挂牌卖？")
    assert ask.kinds == ("where",)
    assert states(ask, "依法依规通过“信用广东”网站等渠道向社会公布。")
    assert not states(ask, "鼓励企业开展清洁生产审核。")
    # 在哪些方面: not a place, but which things (an enumeration answers)
    assert analyse("验收报告可以用在哪些方面？").kinds == ("list",)


def test_a_list_question_is_answered_only_by_an_enumeration():
    ask = analyse("山东条例把清洁生产审核分成哪几类？")
    assert ask.kinds == ("list",)
    assert states(ask, "清洁生产审核分为自愿性审核和强制性审核。")
    assert states(ask, "推广使用节能、节水、节材的技术和设备。")
    assert states(ask, "序号 | 项目名称 | 投资额")  # a form's fields, as a table row
    assert not states(ask, "自愿实施清洁生产审核的单位完成审核后，可以向主管部门提出认定申请。")
    assert not states(ask, "由县级以上人民政府责令改正，处五万元以下的罚款。")  # a bound, no list
    assert "清单" in missing_reason(ask)


def test_a_permission_question_ranks_quotes_but_refuses_none(settings):
    from assistant.service import ask as answer

    # a permission is often stated without a modal: 按照用热量收费的制度 answers 要…收费吗
    question = "集中供热的楼要按用热量收费吗？"
    ask = analyse(question)
    assert ask.kinds == () and ask.prefers == ("permission",)
    assert missing_reason(ask) == ""
    # as a gate (`gate: true`) it refused this question: the law's sentence has no modal
    reply = answer(question, settings=settings)
    assert not reply.abstained and "按照用热量收费" in reply.citations[0].quote, reply.answer


def test_a_mistyped_word_is_not_what_a_department_question_asks_about(index):
    from assistant.answer import asked_subject, term_weights

    question = "节能节水的产品标致是谁批准设立的"  # 标致 for 标志: no document uses it
    terms = term_weights(index, question)
    assert not next(t for t in terms if t.text == "标致").seen
    focus = asked_subject(question, terms, "who")
    assert focus and "标致" not in focus


def test_a_permission_question_is_answered_first_by_the_rule_on_the_asked_action(settings, index):
    from assistant.service import ask

    # not the plan's sentence that mentions setting indoor temperatures among other tasks
    answer = ask("开空调的公共建筑，室内温度能随便设吗？", settings=settings, index=index)
    assert not answer.abstained
    assert "应当实行室内温度控制制度" in answer.citations[0].quote, answer.answer


def test_an_adverb_between_who_and_its_verb_still_asks_who():
    # "谁先初审", "谁最终验收", "谁可以批": the adverb and a 初/复/终 stage do not hide the ask
    for question in ("申报材料交上去谁先初审？", "最后谁最终验收？", "这种项目谁可以批？",
                     "复审的时候谁来复审？"):
        assert analyse(question).kinds == ("who",), question
    assert analyse("谁污染谁治理是什么原则？").kinds != ("who",)



def test_a_frequency_question_is_answered_only_by_how_often():
    ask = analyse("政府的环境状况多长时间向人大报告一次？")
    assert ask.kinds == ("frequency",)
    assert states(ask, "县级以上人民政府应当每年向本级人民代表大会报告环境状况。")
    assert states(ask, "监测数据三个月一次向社会公开。")
    # a deadline or an amount says by when or how much, not how often
    assert not states(ask, "到 2025 年底全省各邮政快递网点不再使用不可降解的塑料包装袋。")
    assert not states(ask, "建设 1-2 个快递绿色包装研发生产基地。")
    assert "频次" in missing_reason(ask)
    assert analyse("清洁生产审核几年一次？").kinds == ("frequency",)
    # a time limit is still a quantity: 多久 with no 一次 after it
    assert analyse("多久内要完成？").kinds == ("quantity",)


def test_a_frequency_question_is_refused_when_only_a_date_is_stated(settings, index):
    from assistant.service import ask

    answered = ask("政府的环境状况多长时间向人大报告一次？", settings=settings, index=index)
    assert not answered.abstained and "每年" in answered.citations[0].quote, answered.answer
    # the plan dates the 快递网点's packaging rule (到 2025 年底) but says nothing of how often
    refused = ask("快递网点的塑料包装使用情况多久上报一次？", settings=settings, index=index)
    assert refused.abstained and not refused.citations, refused.answer
    assert "频次" in refused.answer and refused.context


def test_a_sanction_the_question_states_as_done_is_its_situation_not_what_it_asks():
    assert "consequence" in analyse("称号会被取消吗？").kinds
    # 被取消了: it happened; what is asked is how long until one may apply again
    assert analyse("企业称号被取消了，要隔多久才能重新申请？").kinds == ("quantity",)


def test_a_body_left_unnamed_does_not_say_which_body():
    ask = analyse("绩效评估是委托哪家第三方机构做的？")
    assert ask.kinds == ("who",)
    assert not states(ask, "各地组织专家或委托有关机构开展评估验收工作。")
    assert not states(ask, "推动相关部门落实工作分工。")
    # held by a level or a government, the same words name the body
    assert states(ask, "推动市有关部门和各区落实工作分工。")
    assert states(ask, "具体办法由国务院有关部门制定。")
    assert states(ask, "省发展改革委加强组织协调。")


def test_how_much_money_is_answered_only_by_an_amount_in_yuan():
    ask = analyse("重大技术攻关项目每项能给多少钱？")
    assert ask.kind == "quantity" and ask.unit == "元"
    assert states(ask, "每个项目给予不超过50万元补助。")
    assert not states(ask, "于每年3月20日前报送当年清洁生产改造计划。")


def test_how_a_sum_is_worked_out_asks_a_quantity_not_what_counts_as():
    assert analyse("逾期不交排污费，滞纳金怎么算？").kind == "quantity"
    assert analyse("这种情况怎么算违规？").kind != "quantity"


def test_a_condition_question_is_answered_only_by_a_condition_or_criterion():
    ask = analyse("技术服务单位要具备什么条件才能备案？")
    assert ask.kinds == ("condition",)
    assert states(ask, "技术服务单位应当具备相应的专业技术人员和工作条件。")
    assert not states(ask, "鼓励技术服务单位到佛山开展审核咨询工作，加强对其管理。")
    assert "条件或标准" in missing_reason(ask)


def test_time_of_how_many_years_is_not_what_a_quantity_asks_about(index):
    from assistant.answer import asked_subject, term_weights

    question = "佛山创建清洁生产工业园区，规划给了几年时间？"
    assert "时间" not in asked_subject(question, term_weights(index, question))
