"""The second reading of absences (checkers/absence.py): an absence is an error only when
nothing anywhere in the report shows the thing; a scattered mention makes it a warning that says
where; an outline read poorly makes every absence a warning. Small built reports from the
complete ceramics sample."""

from __future__ import annotations

import re

import pytest

from tests.checkers.test_certainty import ceramics, found, replaced, severities

CHAPTER_7 = re.compile(r"# 第七章 持续清洁生产\n.*?(?=# 结论)", re.S)
SUMMARY = re.compile(r"## 4\.4 方案汇总\n.*?(?=## 4\.5)", re.S)
CONCLUSION = "# 结论\n"


def without_phase() -> str:
    """No 持续清洁生产 chapter, nor a word of its plan; the work plan (a listing of the phases)
    still names it."""
    text = replaced(CHAPTER_7.sub("", ceramics()), "中远期目标将通过持续清洁生产计划逐步实现。", "")
    assert "持续清洁生产计划" not in text
    return text


def without_summary() -> str:
    """No 方案汇总 section or table, nor a word of one."""
    text = SUMMARY.sub("", ceramics())
    assert "汇总" not in text
    return text


def test_a_phase_nothing_shows_is_an_error_and_the_verdict_major(run):
    result = run(without_phase())
    assert severities(result, "SEC-PHASE-MISSING") == ["error"]
    assert result.verdict == "需重大修改"


def test_a_phase_mentioned_in_passing_is_a_warning_saying_where(run):
    text = replaced(without_phase(), CONCLUSION,
                    CONCLUSION + "公司将巩固审核成果，计划于2026年开展下一轮清洁生产审核。\n\n")
    result = run(text)
    (severity, message), = found(result, "SEC-PHASE-MISSING")
    assert severity == "warning"
    assert "下一轮清洁生产审核" in message and "提到" in message
    assert result.verdict != "需重大修改"


def test_a_negated_mention_shows_nothing(run):
    text = replaced(without_phase(), CONCLUSION,
                    CONCLUSION + "公司尚未安排下一轮清洁生产审核。\n\n")
    assert severities(run(text), "SEC-PHASE-MISSING") == ["error"]


def test_the_procedure_listed_in_one_sentence_shows_no_phase(run):
    """The 前言 names all seven phases (the sample's own sentence): that is no evidence."""
    assert "按照筹划和组织、预评估、评估、方案产生和筛选、可行性分析、方案实施、持续清洁生产七个阶段" in without_phase()
    assert severities(run(without_phase()), "SEC-PHASE-MISSING") == ["error"]


def test_a_content_nothing_shows_is_an_error_and_alone_no_major_revision(run):
    result = run(without_summary())
    assert severities(result, "SEC-CONTENT-MISSING") == ["error"]
    assert result.verdict == "修改后提交"


def test_a_content_named_without_figures_is_a_warning(run):
    """A sentence without figures is not the content shown (the first reading), but it is a
    trace: the reader is asked to confirm, not told it is missing."""
    text = replaced(without_summary(), "## 4.5 方案筛选\n",
                    "审核小组据此编制了方案清单，报公司领导审定。\n\n## 4.5 方案筛选\n")
    (severity, message), = found(run(text), "SEC-CONTENT-MISSING")
    assert severity == "warning" and "方案清单" in message


def test_a_content_in_a_table_cell_is_a_warning(run):
    text = replaced(without_summary(), "| 持续清洁生产 | 2024年10月 |",
                    "| 持续清洁生产（含方案清单复核） | 2024年10月 |")
    # the work plan lists the phases: even there a cell is no evidence
    assert severities(run(text), "SEC-CONTENT-MISSING") == ["error"]
    text = replaced(without_summary(), "| 1 | 陈国栋 | 总经理 | 公司经营层 | 组长 | 全面领导审核工作，审批方案与资金 |",
                    "| 1 | 陈国栋 | 总经理 | 公司经营层 | 组长 | 全面领导审核工作，审批方案清单与资金 |")
    assert severities(run(text), "SEC-CONTENT-MISSING") == ["warning"]


RENAMED = {"# 第二章 预评估": "# 第二章 企业现状调查", "# 第五章 可行性分析": "# 第五章 方案论证",
           "# 第六章 方案实施": "# 第六章 工作成效", "# 第七章 持续清洁生产": "# 第七章 巩固提高"}


def test_an_outline_read_poorly_makes_an_absence_a_warning(run):
    """Three of seven phases recognised by heading: a missing summary is not certain."""
    text = without_summary()
    for old, new in RENAMED.items():
        text = replaced(text, old, new)
    (severity, message), = found(run(text), "SEC-CONTENT-MISSING")
    assert severity == "warning" and "章节结构未能可靠识别" in message
    assert "3/7" in message


LEADER_ROW = "| 1 | 陈国栋 | 总经理 | 公司经营层 | 组长 | 全面领导审核工作，审批方案与资金 |"


def without_leader() -> str:
    """Roles stated (a 小组职务 column, a 副组长) and nobody 组长."""
    text = replaced(ceramics(), LEADER_ROW, LEADER_ROW.replace("| 组长 |", "| 组员 |"))
    return replaced(text, "由总经理任组长，", "")


def test_a_leader_nobody_is_given_is_an_error(run):
    assert severities(run(without_leader()), "TEAM-LEADER-MISSING") == ["error"]


def test_a_leader_given_in_a_sentence_outside_the_team_section_is_a_warning(run):
    text = replaced(without_leader(), CONCLUSION, CONCLUSION + "本轮审核由陈国栋任组长，统筹推进。\n\n")
    (severity, message), = found(run(text), "TEAM-LEADER-MISSING")
    assert severity == "warning" and "任组长" in message


SMALL = """# 某某机械有限公司清洁生产审核报告

# 第一章 筹划和组织

公司于2024年1月启动清洁生产审核，制定了工作计划并开展宣传培训，全体员工参加了培训。{team}

# 第二章 预评估

公司成立于2005年，主要生产齿轮箱，年产量12000台，职工320人。审核重点为热处理车间，清洁生产目标为单位产品电耗降低5%。

# 第三章 评估

技术部对热处理车间进行了物料平衡测算，输入钢材3600 t/a，输出产品3420 t/a，损耗180 t/a。

# 第四章 方案产生和筛选

共产生方案8项，其中无/低费方案6项、中/高费方案2项，方案汇总见表4-1。

表4-1 方案汇总

| 编号 | 方案名称 | 类型 | 投资（万元） | 年经济效益（万元） |
| --- | --- | --- | --- | --- |
| F1 | 空压机管网查漏 | 无/低费 | 0.5 | 3.2 |
| Z1 | 热处理炉余热回收 | 中/高费 | 85.0 | 28.0 |

# 第五章 可行性分析

Z1 技术评估：工艺成熟；环境评估：年减排二氧化碳420 t；经济评估：投资回收期3.0年，净现值62.5万元。

# 第六章 方案实施

全部方案已于2024年9月实施完成，实施效果良好。{effect}

# 第七章 持续清洁生产

公司将持续清洁生产计划纳入年度计划，计划于2027年开展下一轮清洁生产审核。
"""


def test_no_team_nor_comparison_anywhere_is_an_error(run):
    result = run(SMALL.format(team="", effect=""))
    assert severities(result, "TEAM-MISSING") == ["error"]
    assert severities(result, "IND-TABLE-MISSING") == ["error"]


def test_a_team_named_in_a_table_cell_is_a_warning(run):
    team = ("\n\n表1-1 工作安排\n\n| 工作内容 | 负责 |\n| --- | --- |\n| 现场调查与数据收集 | 清洁生产审核小组 |\n")
    (severity, message), = found(run(SMALL.format(team=team, effect="")), "TEAM-MISSING")
    assert severity == "warning" and "表1-1 工作安排" in message


def test_a_comparison_named_without_figures_is_a_warning(run):
    effect = "与审核前相比，各项消耗均有下降。"
    (severity, message), = found(run(SMALL.format(team="", effect=effect)), "IND-TABLE-MISSING")
    assert severity == "warning" and "审核前" in message


def test_groups_written_as_group_by_post_name_each_have_their_leader(run):
    """"领导小组由总经理刘振华任组长 … 工作小组由生产部长唐志远任组长": each group's leader is read
    with its own post and group — the post is not "领导小组由总经理", nor is the second leader the
    领导小组's."""
    team = ("领导小组由总经理刘振华任组长，副总经理赵文明任副组长，财务总监孟丽、总工程师韩卫国为组员。"
            "工作小组由生产部长唐志远任组长，设备科长王强、安环科长李娜、车间班长周涛为组员。")
    result = run(SMALL.format(team=team, effect=""))
    leader_rules = {f.rule_id for f in result.findings if f.rule_id.startswith("TEAM-LEADER")}
    assert leader_rules == set(), [f.message for f in result.findings]


def test_a_role_column_naming_the_group_gives_each_group_its_leader(run):
    """One table, its 小组职务 cells "领导小组组长" / "工作小组组长": two groups, one leader each —
    not two leaders of one team."""
    team = ("\n\n表1-1 清洁生产审核小组成员\n\n| 姓名 | 职务 | 小组职务 | 职责 |\n| --- | --- | --- | --- |\n"
            "| 刘振华 | 总经理 | 领导小组组长 | 总负责 |\n| 赵文明 | 副总经理 | 领导小组副组长 | 协调 |\n"
            "| 唐志远 | 生产部经理 | 工作小组组长 | 组织实施 |\n| 王强 | 设备科长 | 组员 | 设备 |\n"
            "| 李娜 | 安环科长 | 组员 | 环保 |\n| 周涛 | 车间班长 | 组员 | 现场 |\n| 孟丽 | 财务总监 | 组员 | 核算 |\n")
    result = run(SMALL.format(team=team, effect=""))
    leader_rules = {f.rule_id for f in result.findings if f.rule_id.startswith("TEAM-LEADER")}
    assert leader_rules == set(), [f.message for f in result.findings]
    doubled = replaced(team, "工作小组组长", "组长")  # the same table, a second 组长 of no group
    assert "TEAM-LEADER-DOUBLE" in {f.rule_id for f in run(SMALL.format(team=doubled,
                                                                        effect="")).findings}



EFFECT = ("\n\n表6-1 审核前后指标对比\n\n| 指标 | 单位 | 审核前 | 审核后 |\n| --- | --- | --- | --- |\n"
          "| 综合能耗 | tce | 1200 | 1100 |\n| 颗粒物排放量 | t/a | 12.0 | 9.5 |\n| 新鲜水 | 万t | 5.2 | 4.8 |\n")


@pytest.mark.parametrize(("burning", "severity", "said"), [
    ("运输车辆和装载机燃用柴油。", "warning", "“柴油”，但未提及窑、炉"),  # a fuel, no installation
    ("", "warning", "未提及窑、炉或燃料"),
    ("公司有一台燃煤锅炉供汽。", "error", ""),  # an installation that burns: NOx is due
])
def test_a_combustion_pollutant_is_certain_only_where_an_installation_burns(
        settings, index, tmp_path, burning, severity, said):
    from checkers import check_report

    path = tmp_path / "r.md"
    path.write_text(SMALL.format(team="", effect=EFFECT + burning)
                    .replace("热处理炉余热回收", "空压机余热回收"), encoding="utf-8")
    result = check_report(path, settings=settings, index=index, industry="cement")
    (found_severity, message), = [(f.severity, f.message) for f in result.findings
                                  if f.rule_id == "IND-REQUIRED-MISSING" and f.subject == "氮氧化物"]
    assert found_severity == severity and said in message


def test_an_option_given_by_number_alone_is_quoted_with_its_name(run):
    """表5-1 lists options by number ("Z1"); the options table gives Z1 its name: the finding
    names the option as the consultant knows it."""
    economics = ("\n\n表5-1 中/高费方案经济评估\n\n| 方案 | 投资（万元） | 年经济效益（万元） | 投资回收期（年） |\n"
                 "| --- | --- | --- | --- |\n| Z1 | 85.0 | 28.0 | 5.0 |\n")
    text = replaced(SMALL.format(team="", effect=""), "净现值62.5万元。", "净现值62.5万元。" + economics)
    (severity, message), = found(run(text), "CON-PAYBACK")
    assert "Z1 热处理炉余热回收" in message



@pytest.mark.parametrize(("post", "rules"), [("馆长", set()), ("副馆长", {"TEAM-LEADER-NOT-PRINCIPAL"})])
def test_a_museum_s_head_is_its_principal(run, post, rules):
    team = ("\n\n表1-1 清洁生产审核小组成员\n\n| 姓名 | 职务 | 小组职务 | 职责 |\n| --- | --- | --- | --- |\n"
            f"| 刘振华 | {post} | 组长 | 总负责 |\n| 唐志远 | 设备科科长 | 组员 | 设备 |\n"
            "| 李娜 | 安环科科长 | 组员 | 环保 |\n| 周涛 | 展厅班长 | 组员 | 现场 |\n"
            "| 孟丽 | 财务科科长 | 组员 | 核算 |\n")
    result = run(SMALL.format(team=team, effect=""))
    leader_rules = {f.rule_id for f in result.findings if f.rule_id.startswith("TEAM-LEADER")}
    assert leader_rules == rules
