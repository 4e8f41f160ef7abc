"""The causes found on the fourteen reports of the retired frozen sets test2 and test3 (round
11), each as one small built report from the complete ceramics sample: the finding a clean
report must not get, and beside it the defect that must still be found."""

from __future__ import annotations

from tests.checkers.test_certainty import ceramics, found, replaced

TEAM_SENTENCE = ("公司以正式文件成立清洁生产审核小组，由总经理任组长，成员覆盖行政管理、设备管理、节能环保、"
                 "财务、工艺技术和一线操作等岗位。审核小组成员见表1-1。")
CHEN = "| 1 | 陈国栋 | 总经理 | 公司经营层 | 组长 | 全面领导审核工作，审批方案与资金 |\n"
LI = "| 2 | 李伟明 | 生产副总经理 | 生产部 | 副组长 |"


def _work_group_led_by_a_deputy(sentence: str) -> str:
    """The table is the 工作小组's, led by the production deputy; the sentence names the rest."""
    text = replaced(ceramics(), TEAM_SENTENCE, sentence)
    text = replaced(text, "表1-1 清洁生产审核小组成员", "表1-1 清洁生产审核工作小组成员")
    text = replaced(text, CHEN, "")
    return replaced(text, LI, "| 2 | 李伟明 | 生产副总经理 | 生产部 | 组长 |")


def test_a_leading_group_called_lingdaozu_with_its_leader_before_you_is_the_principal(run):
    """guangfu-tianhe-t2: “成立清洁生产审核领导组，组长由总经理陈国栋担任 … 领导组下设工作小组，由
    李伟明任组长”: two groups, each its own leader; the leading group's is the principal."""
    text = _work_group_led_by_a_deputy(
        "公司成立清洁生产审核领导组，组长由总经理陈国栋担任，副组长由生产副总经理李伟明担任。领导组下设工作小组，"
        "由李伟明任组长，成员见表1-1。")
    result = run(text)
    assert found(result, "TEAM-LEADER-NOT-PRINCIPAL") == []
    assert found(result, "TEAM-LEADER-UNCLEAR") == []
    assert found(result, "TEAM-LEADER-DOUBLE") == []


def test_the_work_groups_deputy_leading_alone_is_still_an_error(run):
    text = _work_group_led_by_a_deputy("公司成立清洁生产审核工作小组，由李伟明任组长，成员见表1-1。")
    assert [s for s, _ in found(run(text), "TEAM-LEADER-NOT-PRINCIPAL")] == ["error"]


def test_a_post_with_no_name_before_the_verb_is_no_member(run):
    """“领导小组组长由总经理担任，工作小组组长由生产副总经理担任”: no name is given; “担任” is the
    verb, not a second and third 组长."""
    text = replaced(ceramics(), TEAM_SENTENCE,
                    "公司设审核领导小组和审核工作小组。领导小组组长由总经理担任，工作小组组长由生产副总经理担任。审核小组成员见表1-1。")
    assert not [m for _, m in found(run(text), "TEAM-LEADER-DOUBLE") if "担任" in m]


CERT_HEADER = "| 序号 | 姓名 | 职称 | 审核师证书编号 | 分工 |\n| --- | --- | --- | --- | --- |\n"
CERT_ROWS = ("| 1 | 张明远 | 高级工程师 | QJSC-2019-0153 | 技术负责人，审核全过程指导 |\n"
             "| 2 | 刘思琪 | 工程师 | QJSC-2021-0467 | 现场调查、平衡测试与报告编制 |\n")


def test_a_consultants_staff_table_without_certificate_numbers_is_found(run):
    """guangfu-tianhe-t2's 表2 审核咨询人员 (姓名 | 单位 | 职称 | 分工): no 证书编号 column at all."""
    text = replaced(ceramics(), "表1-2 咨询机构审核人员", "表1-2 审核咨询人员")
    text = replaced(text, CERT_HEADER + CERT_ROWS,
                    "| 序号 | 姓名 | 职称 | 分工 |\n| --- | --- | --- | --- |\n"
                    "| 1 | 张明远 | 高级工程师 | 技术负责人，审核全过程指导 |\n"
                    "| 2 | 刘思琪 | 工程师 | 现场调查、平衡测试与报告编制 |\n")
    (severity, message), = found(run(text), "TEAM-AUDITOR-NO-CERT")
    assert severity == "warning" and "张明远、刘思琪" in message and "表1-2 审核咨询人员" in message


def test_the_same_table_with_its_numbers_is_silent(run):
    text = replaced(ceramics(), "表1-2 咨询机构审核人员", "表1-2 审核咨询人员")
    assert found(run(text), "TEAM-AUDITOR-NO-CERT") == []


PREFACE = "本报告系统总结了本轮审核的过程与成果。"


def test_a_class_total_said_of_all_the_options_is_warned(run):
    """chaoshi-huiwanjia: “本轮审核共实施方案12项，总投资1578.1万元” — 1578.1 is the five 中/高费
    options' total; all twelve cost 1586.7."""
    text = replaced(ceramics(), PREFACE, PREFACE + "本轮审核共实施方案12项，总投资1578.1万元。")
    assert [m for _, m in found(run(text), "CON-KEY-FIGURE") if "1578.1" in m]


def test_a_class_total_said_of_its_class_is_silent(run):
    text = replaced(ceramics(), PREFACE,
                    PREFACE + "本轮审核共实施方案12项，其中中/高费方案5项，总投资1578.1万元。")
    assert found(run(text), "CON-KEY-FIGURE") == []
    text = replaced(ceramics(), PREFACE, PREFACE + "本轮审核共实施方案12项，总投资1586.7万元。")
    assert found(run(text), "CON-KEY-FIGURE") == []


WATER_ROW = "| 新鲜水用量 | 万t/a | 36.0 | 28.8 | 7.2 | 20.0 |"


def _reduction_subjects(result) -> list[str]:
    return [f.subject for f in result.findings if f.rule_id == "CON-REDUCTION"]


def test_a_row_is_named_by_its_head(run):
    """huodian-yufeng's 单位发电量取水量 is a water figure per unit of power: the head (取水量)
    names it, not the 电量 inside it; 吨产品耗水 is water too."""
    row = "| 单位发电量取水量 | kg/kWh | 36.0 | 28.8 | 9.9 | 20.0 |"
    assert _reduction_subjects(run(replaced(ceramics(), WATER_ROW, row))) == ["单位产品新鲜水"]
    row = "| 吨产品耗水 | m³/t | 36.0 | 28.8 | 9.9 | 20.0 |"
    assert _reduction_subjects(run(replaced(ceramics(), WATER_ROW, row))) == ["单位产品新鲜水"]
    row = "| 单位发电量 | kWh | 36.0 | 28.8 | 9.9 | 20.0 |"
    assert _reduction_subjects(run(replaced(ceramics(), WATER_ROW, row))) == ["单位产品电耗"]


DUST_ROWS = ("| 颗粒物排放量 | t/a | 32.0 | 20.8 | 11.2 | 35.0 |\n",
             "| 颗粒物排放量 | t/a | 32.0 | 22.4 | 20.8 | 35.0 | 完成 |\n")
DUST_TARGET = "| 颗粒物排放量 | t/a | 32.0 | 22.4 | 30.0 | 19.2 | 40.0 |\n"


def _not_compared(result) -> list[str]:
    return [m for _, m in found(result, "IND-REQUIRED-NOT-COMPARED") if "颗粒物" in m]


def _without_dust_compared() -> str:
    text = ceramics()
    for row in DUST_ROWS:
        text = replaced(text, row, "")
    return text


def test_an_indicator_with_a_target_left_out_of_the_comparison_is_warned(run):
    """The target table sets 颗粒物 (a ceramics indicator); the comparisons drop it: a question
    to the consultant."""
    assert len(_not_compared(run(_without_dust_compared()))) == 1


def test_an_indicator_without_a_target_left_out_of_the_comparison_is_silent(run):
    """Named in the report, no target set, not compared: the comparison covers what the audit
    set out to change."""
    text = replaced(_without_dust_compared(), DUST_TARGET, "")
    assert _not_compared(run(text)) == []


PLAN_START, PLAN_END = "## 7.3 持续清洁生产计划", "# 结论"


def _without_plan_section(paragraph: str) -> str:
    """Chapter 7 without its 7.3 plan and 7.4 改造计划 (and 6.2 not naming the plan)."""
    text = replaced(ceramics(), "中远期目标将通过持续清洁生产计划逐步实现。", "")
    start, end = text.index(PLAN_START), text.index(PLAN_END)
    return text[:start] + paragraph + text[end:]


def _plan_findings(result) -> list[str]:
    return [f.rule_id for f in result.findings
            if f.rule_id.startswith("SEC-CONTENT") and f.subject == "持续清洁生产计划"]


def test_a_plan_written_as_words_in_its_own_chapter_is_the_plan(run):
    """xueyuan-yunhu, guantou-minhai: no 7.3 heading and no table, but the 持续清洁生产 chapter
    says “下一轮计划实施…”: a plan has no figures to show."""
    text = _without_plan_section(
        "下一轮计划开展窑炉燃烧优化调试、建设屋顶分布式光伏发电项目、对原料车间进行全封闭改造，"
        "并由安环部牵头启动下一轮清洁生产审核，办公室每年组织清洁生产专题培训。\n\n")
    assert _plan_findings(run(text)) == []


def test_no_plan_in_its_chapter_is_still_found(run):
    assert _plan_findings(run(_without_plan_section(""))) != []
