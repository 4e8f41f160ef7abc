"""Errors rest on what the checker knows (checkers/README.md): each heuristic reading gives a
warning that says what it assumed, each certain one still an error. One small built report
per cause, from the complete ceramics sample."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "src"


def ceramics() -> str:
    return (SRC / "complete-ceramics.md").read_text("utf-8")


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def found(result, rule_id: str) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in result.findings if f.rule_id == rule_id]


def severities(result, rule_id: str) -> list[str]:
    return [s for s, _ in found(result, rule_id)]


TARGET_ROW = "| 电耗 | 万kWh/a | 5920 | 5624 | 5550 | 6.25 | 完成 |"


def test_a_target_without_a_sign_on_a_name_that_says_no_direction_is_only_warned(run):
    """窑炉运行时间 5650 against 5624, marked 完成: neither the report nor the name says which
    way is better; 电耗 (a consumption) is lower-is-better by its name."""
    row = "| 窑炉运行时间 | h/a | 5920 | 5624 | 5650 | 4.56 | 完成 |"
    (severity, message), = found(run(replaced(ceramics(), TARGET_ROW, row)), "CON-TARGET")
    assert severity == "warning" and "未表明方向" in message
    row = "| 电耗 | 万kWh/a | 5920 | 5624 | 5650 | 4.56 | 完成 |"
    assert severities(run(replaced(ceramics(), TARGET_ROW, row)), "CON-TARGET") == ["error"]


def test_a_target_with_its_sign_missed_is_an_error(run):
    text = replaced(ceramics(), TARGET_ROW, "| 电耗 | 万kWh/a | 5920 | ≤5624 | 5650 | 4.56 | 完成 |")
    assert severities(run(text), "CON-TARGET") == ["error"]


def test_a_reduction_stated_in_another_unit_is_only_warned(run):
    """135 万m³ written as 1350000 m³: a factor of ten thousand is a unit, not a wrong figure."""
    text = replaced(ceramics(), "| 3600 | 3465 | 135 | 3.75 |", "| 3600 | 3465 | 1350000 | 3.75 |")
    (severity, message), = found(run(text), "CON-REDUCTION")
    assert severity == "warning" and "10000 倍" in message


def test_a_wrong_reduction_is_an_error(run):
    text = replaced(ceramics(), "| 3600 | 3465 | 135 | 3.75 |", "| 3600 | 3465 | 153 | 3.75 |")
    assert severities(run(text), "CON-REDUCTION") == ["error"]


def test_a_total_over_breakdown_rows_is_not_double_counted(run):
    """“其中：…” rows repeat part of the row above: the 合计 leaves them out."""
    text = replaced(ceramics(), "| F2 | 压缩空气管网泄漏排查与修复 | 0.5 | 24.48 | 节电36万kWh/a | 已实施 |\n",
                    "| F2 | 压缩空气管网泄漏排查与修复 | 0.5 | 24.48 | 节电36万kWh/a | 已实施 |\n"
                    "| 其中：管网修复 | — | 0.3 | 14.0 | 节电20万kWh/a | 已实施 |\n")
    assert found(run(text), "CON-TOTAL") == []


def test_a_total_short_by_exactly_one_row_is_only_warned(run):
    text = replaced(ceramics(), "| 合计 | — | 8.6 | 130.8 | — | — |", "| 合计 | — | 7.1 | 130.8 | — | — |")
    (severity, message), = found(run(text), "CON-TOTAL")
    assert severity == "warning" and "相差其中一行" in message


def test_a_wrong_total_is_an_error(run):
    text = replaced(ceramics(), "| 合计 | — | 8.6 | 130.8 | — | — |", "| 合计 | — | 9.6 | 130.8 | — | — |")
    assert severities(run(text), "CON-TOTAL") == ["error"]


def test_a_payback_on_another_benefit_of_the_row_is_only_warned(run):
    """Z2 2.4 a = 285.6 ÷ 119.0, the row's own net benefit after its operating cost."""
    text = replaced(ceramics(), "| 编号 | 投资（万元） | 年净经济效益（万元/a） | 投资回收期（年） | 净现值（万元） |",
                    "| 编号 | 投资（万元） | 年净经济效益（万元/a） | 投资回收期（年） | 扣除运行费后效益（万元/a） |")
    text = replaced(text, "| Z2 | 285.6 | 142.8 | 2.0 | 672.6 |", "| Z2 | 285.6 | 142.8 | 2.4 | 119.0 |")
    (severity, message), = found(run(text), "CON-PAYBACK")
    assert severity == "warning" and "119.0" in message


def test_two_leaders_from_two_tables_are_only_warned_and_from_one_table_an_error(run):
    second = ("\n表1-4 清洁生产审核工作小组\n\n| 序号 | 姓名 | 职务 | 部门 | 小组职务 |\n"
              "| --- | --- | --- | --- | --- |\n| 1 | 李伟明 | 生产副总经理 | 生产部 | 组长 |\n"
              "| 2 | 梁志强 | 设备科科长 | 设备科 | 组员 |\n\n## 1.3 审核工作计划")
    two_tables = replaced(ceramics(), "\n## 1.3 审核工作计划", second)
    # the second table's caption names its group: each group has its own leader, no finding
    assert found(run(two_tables), "TEAM-LEADER-DOUBLE") == []
    unnamed = two_tables.replace("表1-4 清洁生产审核工作小组", "表1-4 审核小组其他成员")
    assert severities(run(unnamed), "TEAM-LEADER-DOUBLE") == ["warning"]
    one_table = replaced(ceramics(), "| 李伟明 | 生产副总经理 | 生产部 | 副组长 |",
                         "| 李伟明 | 生产副总经理 | 生产部 | 组长 |")
    assert severities(run(one_table), "TEAM-LEADER-DOUBLE") == ["error"]


def test_a_leader_read_from_prose_is_only_warned(run):
    prose = ("公司成立清洁生产审核小组，生产副总经理李伟明（生产部）任组长，办公室主任黄晓燕（办公室）、"
             "设备科科长梁志强（设备科）、安环部经理何丽娟（安环部）、财务部经理吴淑芬（财务部）、"
             "工艺工程师周建华（技术部）、烧成车间班长冯海波（烧成车间）任组员。")
    text = ceramics()
    start = text.index("公司以正式文件成立清洁生产审核小组")
    end = text.index("公司委托广东绿源环境技术咨询有限公司（以下简称咨询机构）")
    text = text[:start] + prose + "\n\n" + text[end:]
    (severity, message), = found(run(text), "TEAM-LEADER-NOT-PRINCIPAL")
    assert severity == "warning" and "文字中读出" in message


def test_a_leader_named_nowhere_in_a_team_without_roles_is_only_warned(run):
    text = replaced(ceramics(), "由总经理任组长，", "")
    for role in ("组长", "副组长", "组员"):
        text = text.replace(f"| {role} | ", "| 成员 | ")
    text = replaced(text, "| 小组职务 |", "| 组内分工 |")
    assert severities(run(text), "TEAM-LEADER-MISSING") == ["warning"]


def test_a_chapter_in_a_missing_phase_s_place_is_only_warned(run):
    """持续清洁生产 renamed “巩固提高” and its contents renamed too: the unrecognised chapter in
    the phase's place may be it; with the chapter gone and its plan named nowhere (the second
    reading, tests/checkers/test_absence.py), the phase is missing for certain."""
    text = ceramics()
    chapter = text[text.index("# 第七章 持续清洁生产"):text.index("# 结论")]
    renamed = "# 第七章 巩固提高\n\n## 7.1 组织\n\n" + "下一步工作。" * 30 + "\n\n"
    (severity, message), = found(run(text.replace(chapter, renamed)), "SEC-PHASE-MISSING")
    assert severity == "warning" and "巩固提高" in message
    gone = replaced(text.replace(chapter, ""), "中远期目标将通过持续清洁生产计划逐步实现。", "")
    assert severities(run(gone), "SEC-PHASE-MISSING") == ["error"]


def test_a_value_in_a_notation_not_read_is_only_warned_and_words_are_an_error(run):
    text = replaced(ceramics(), "| 颗粒物排放量 | t/a | 32.0 | 20.8 | 11.2 | 35.0 |",
                    "| 颗粒物排放量 | t/a | 32.0 | 20.8~21.0 | 11.2 | 35.0 |")
    (severity, message), = found(run(text), "IND-VALUE-NONNUMERIC")
    assert severity == "warning" and "含数字" in message
    words = replaced(ceramics(), "| 颗粒物排放量 | t/a | 32.0 | 20.8 | 11.2 | 35.0 |",
                     "| 颗粒物排放量 | t/a | 32.0 | 达标 | 11.2 | 35.0 |")
    assert severities(run(words), "IND-VALUE-NONNUMERIC") == ["error"]


def test_a_team_written_name_first_or_with_a_qualified_post_is_read(run):
    """“梁志强（设备科科长）任组员”, “财务部经理（会计师）吴淑芬（财务部）任组员”: each member
    is read, so every function stays covered and the 组长 is the 总经理."""
    prose = ("清洁生产审核小组：陈国栋（总经理）任组长；李伟明（生产副总经理）任副组长；"
             "黄晓燕（办公室主任）任组员；梁志强（设备科科长）任组员；何丽娟（安环部经理）任组员；"
             "财务部经理（会计师）吴淑芬（财务部）任组员；周建华（工艺工程师）任组员；"
             "冯海波（烧成车间班长）任组员。")
    text = ceramics()
    start = text.index("表1-1 清洁生产审核小组成员")
    end = text.index("公司委托广东绿源环境技术咨询有限公司（以下简称咨询机构）")
    result = run(text[:start] + prose + "\n\n" + text[end:])
    assert [f.rule_id for f in result.findings if f.rule_id.startswith("TEAM")] == []


def errors(result) -> list[str]:
    return [f"{f.rule_id} {f.subject}: {f.message}" for f in result.findings
            if f.severity == "error"]


def test_a_rate_s_change_in_percentage_points_agrees(run):
    """废水回用率 82.0 → 95.5 %: 13.5 in the 削减率 column is percentage points."""
    row = "| 颗粒物排放量 | t/a | 32.0 | 20.8 | 11.2 | 35.0 |"
    text = replaced(ceramics(), row, row + "\n| 抛光废水回用率 | % | 82.0 | 95.5 | 13.5 | 13.5 |")
    assert errors(run(text)) == []


def test_a_subtotal_row_named_by_its_class_is_not_summed_again(run):
    total = "| 合计 | — | 8.6 | 130.8 | — | — |"
    text = replaced(ceramics(), total, "| 无/低费方案合计 | — | 8.6 | 130.8 | — | — |\n" + total)
    assert found(run(text), "CON-TOTAL") == []


def test_a_payback_in_months_is_compared_in_months(run):
    text = replaced(ceramics(), "| 投资回收期（年） |", "| 投资回收期（月） |")
    for before, after in (("| 1.5 | 2375.8 |", "| 18 | 2375.8 |"), ("| 2.0 | 672.6 |", "| 24 | 672.6 |"),
                          ("| 2.5 | 88.41 |", "| 30 | 88.41 |"), ("| 2.0 | 320.29 |", "| 24 | 320.29 |")):
        text = replaced(text, before, after)
    assert found(run(text), "CON-PAYBACK") == []


def test_a_row_blank_but_for_its_name_is_no_certain_missing_value(run):
    """“废水排放” across the indicator table, every value cell blank: a group heading (its name
    is a known indicator, so the reading keeps it as a row)."""
    text = replaced(ceramics(), "| 天然气消耗量 | 万m³/a | 3600 | 3465 | 135 | 3.75 |",
                    "| 废水排放 |  |  |  |  |  |\n| 天然气消耗量 | 万m³/a | 3600 | 3465 | 135 | 3.75 |")
    assert errors(run(text)) == []


def test_an_article_of_another_version_of_the_law_is_only_warned(run):
    """The 2002 text of 清洁生产促进法 had 42 articles; the corpus holds the 2012 text (40)."""
    law = "《中华人民共和国清洁生产促进法》第二十七条"
    (severity, message), = found(run(replaced(ceramics(), law, "《中华人民共和国清洁生产促进法》"
                                                "（2002年）第四十二条")), "CIT-ARTICLE-INVALID")
    assert severity == "warning" and "2002年版本" in message
    invalid = replaced(ceramics(), law, "《中华人民共和国清洁生产促进法》第四十二条")
    assert severities(run(invalid), "CIT-ARTICLE-INVALID") == ["error"]


# ---- causes found on dev's fifth ten (h10-dev5) --------------------------------------------

def test_a_signed_target_in_thousands_is_read_whole(run):
    """“≤5,624” is 5624, not 5 (guangfu-jingyang, lvjian-jintai)."""
    row = "| 电耗 | 万kWh/a | 5920 | ≤5,624 | 5550 | 6.25 | 完成 |"
    assert found(run(replaced(ceramics(), TARGET_ROW, row)), "CON-TARGET") == []


def test_a_before_after_table_that_also_lists_targets_is_read(run):
    """表6-1 with 近期目标 and 完成情况 columns is still the before/after table (ranmei-luheng,
    guangfu-jingyang, boxian-hongda): its rates are checked, no table is missing."""
    header = "| 指标 | 单位 | 审核前 | 审核后 | 削减量 | 削减率（%） |\n| --- | --- | --- | --- | --- | --- |"
    text = replaced(ceramics(), header,
                    "| 指标 | 单位 | 审核前 | 审核后 | 削减量 | 削减率（%） | 近期目标 | 完成情况 |\n"
                    "| --- | --- | --- | --- | --- | --- | --- | --- |")
    text = replaced(text, "| 3600 | 3465 | 135 | 3.75 |", "| 3600 | 3465 | 135 | 5.75 | — | — |")
    result = run(text)
    assert severities(result, "CON-PERCENT") == ["error"] and found(result, "IND-TABLE-MISSING") == []


def test_a_group_row_written_across_the_name_column_divides_the_team(run):
    """“领导小组” repeated across a merged row (as Word's merged cells read): a group row, so the
    two 组长 lead two groups (guangfu-jingyang)."""
    second = ("| 10 | 工作小组 | 工作小组 | 工作小组 | 工作小组 | 工作小组 |\n"
              "| 11 | 李伟明 | 生产副总经理 | 生产部 | 组长 | 组织实施审核各阶段工作 |\n")
    row = "| 9 | 邓志勇 | 压机班长 | 成型车间 | 组员 | 一线操作，成型工段现场问题排查 |\n"
    text = replaced(ceramics(), row, row + second)
    assert found(run(text), "TEAM-LEADER-DOUBLE") == []


def test_a_certificate_written_as_zhengshuhao_is_a_certificate(run):
    """“证书号QJSC-2019-0153” names the certificate as “证书编号” does (guangfu, boxian, ranmei);
    a PDF line may space the code apart."""
    text = ceramics()
    start = text.index("咨询机构派出的审核人员均持有清洁生产审核师证书")
    end = text.index("## 1.3 审核工作计划")
    row = "| 9 | 邓志勇 | 压机班长 | 成型车间 | 组员 | 一线操作，成型工段现场问题排查 |\n"
    text = replaced(text[:start] + text[end:], row, row + (
        "| 10 | 张明远 | 清洁生产审核师（证书号QJSC-2019-0153） | 广东绿源环境技术咨询有限公司 | 技术顾问 | 指导 |\n"
        "| 11 | 刘思琪 | 清洁生产审核师（证书号Q JSC-2021-0467） | 广东绿源环境技术咨询有限公司 | 组员 | 编制 |\n"))
    assert found(run(text), "TEAM-AUDITOR-NO-CERT") == []


def test_a_payback_on_the_year_s_net_benefit_is_checked(run):
    """A “年净效益（万元）” column is the benefit the payback divides by (lvjian-jintai)."""
    text = replaced(ceramics(), "| 年净经济效益（万元/a） | 投资回收期（年） |",
                    "| 年净效益（万元） | 投资回收期（年） |")
    text = replaced(text, "| Z2 | 285.6 | 142.8 | 2.0 |", "| Z2 | 285.6 | 142.8 | 3.0 |")
    assert severities(run(text), "CON-PAYBACK") == ["error"]


def test_a_consultant_on_the_team_asks_for_certificates(run):
    """No cover field names the consultant, but the team lists a member of a 咨询有限公司
    (ganzhe-zhexiang): the report is a consultant's, and that member has no certificate."""
    text = replaced(ceramics(), "- 编制单位：广东绿源环境技术咨询有限公司\n", "")
    text = text.replace("委托广东绿源环境技术咨询有限公司提供技术服务", "开展审核")
    start = text.index("公司委托广东绿源环境技术咨询有限公司（以下简称咨询机构）")
    end = text.index("## 1.3 审核工作计划")
    row = "| 9 | 邓志勇 | 压机班长 | 成型车间 | 组员 | 一线操作，成型工段现场问题排查 |\n"
    text = replaced(text[:start] + text[end:], row,
                    row + "| 10 | 张明远 | 高级工程师 | 广东绿源环境技术咨询有限公司 | 技术顾问 | 审核方法指导 |\n")
    (severity, message), = found(run(text), "TEAM-AUDITOR-NO-CERT")
    assert severity == "warning" and "张明远" in message


def test_an_adverb_before_the_verb_is_no_second_leader(run):
    """“由董事长和总经理共同担任组长”: 共同 is how they lead, not a third member named 共同担."""
    text = replaced(ceramics(), "由总经理任组长", "由董事长和总经理共同担任组长")
    assert not [m for _, m in found(run(text), "TEAM-LEADER-DOUBLE") if "共同" in m]


BALANCE = ("\n\n表3-9 全厂水平衡（m³/d）\n\n| 项目 | 水量 | 占取水量（%） |\n| --- | --- | --- |\n"
           "| 输入：新鲜水 | 1,200 | 100.0 |\n| 输出：产品带走 | 700 | 58.3 |\n| 输出：蒸发 | 320 | 26.7 |\n"
           "| 输出：排水 | 180 | 15.0 |\n| 合计 | {total} | 100.0 |\n")


def test_a_balance_total_is_each_side_s_total(run):
    """Inputs, then outputs, each adding up to the 合计: a balance, not a total short by half."""
    total = "| 合计 | — | 8.6 | 130.8 | — | — |"
    assert found(run(replaced(ceramics(), total, total + BALANCE.format(total="1,200"))),
                 "CON-TOTAL") == []
    assert severities(run(replaced(ceramics(), total, total + BALANCE.format(total="1,300"))),
                      "CON-TOTAL") == ["error"]
