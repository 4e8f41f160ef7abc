"""Causes of false errors and misses found on dev's fourth ten, each on a small built report:
totals across a 续表, a header row under the header, key contents shown by evidence rather than
a title, targets set in the targets table, options classed row by row, restated key figures,
the industry from the cover's 行业类别, and a team as it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.loader import load_bytes
from checkers.engine import detect_industry_with_reason
from checkers.report import build_report

SRC = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "src"


def ceramics() -> str:
    return (SRC / "complete-ceramics.md").read_text("utf-8")


def rules(result, *ids: str) -> list[tuple[str, str]]:
    return [(f.rule_id, f.subject) for f in result.findings if not ids or f.rule_id in ids]


def test_a_table_continued_under_a_continuation_caption_sums_as_one(run):
    """表4-2 split after Z2 under “续表4-2”, header repeated: its 合计 covers both parts."""
    text = ceramics().replace(
        "| Z2 | 球磨机变频改造 | 285.6 | 142.8 | 节电210万kWh/a |\n",
        "| Z2 | 球磨机变频改造 | 285.6 | 142.8 | 节电210万kWh/a |\n\n续表4-2 中/高费方案\n\n"
        "| 编号 | 方案名称 | 投资（万元） | 预计年经济效益（万元/a） | 主要环境效益 |\n"
        "| --- | --- | --- | --- | --- |\n")
    assert "续表4-2" in text
    result = run(text)
    assert rules(result) == [] and result.verdict == "可提交"


def test_a_before_after_table_shows_the_implementation_effect(run):
    """No heading says 实施效果: the 审核前后指标对比 section and table show it."""
    text = ceramics().replace("## 6.2 实施效果", "## 6.2 审核前后指标对比") \
        .replace("对方案实施效果进行了核算", "进行了核算")
    assert "实施效果" not in text.split("# 第六章")[1].split("# 第七章")[0]
    assert rules(run(text)) == []


def test_a_coordinated_heading_names_each_analysis(run):
    """“5.1 技术与环境评估” is the technical and the environmental analysis."""
    text = ceramics().replace("## 5.1 技术可行性分析", "## 5.1 技术与环境评估") \
        .replace("## 5.2 环境可行性分析\n", "")
    assert rules(run(text)) == []


def test_a_power_balance_is_no_material_balance(run):
    """With only a 电力平衡 and a 水平衡, the material balance is not shown."""
    text = ceramics().replace("## 3.2 物料平衡", "## 3.2 电力平衡") \
        .replace("表3-1 全厂物料平衡（干基，审核前）", "表3-1 全厂电力平衡") \
        .replace("全厂物料平衡见表3-1", "全厂电力平衡见表3-1").replace("物料平衡表明", "平衡表明")
    found = rules(run(text), "SEC-CONTENT-MISSING", "SEC-CONTENT-WEAK")
    assert ("SEC-CONTENT-WEAK", "物料平衡") in found or ("SEC-CONTENT-MISSING", "物料平衡") in found


REPORT = """# 某某汽车零部件有限公司清洁生产审核报告

- 行业类别：{industry}

# 前言

本轮审核共实施清洁生产方案3项，总投资{investment}万元，年经济效益{benefit}万元。

# 第二章 预审核

## 2.1 企业基本情况

公司生产汽车塑料件，设喷涂线一条。

表2-2 清洁生产目标

| 指标 | 单位 | 现状（2023年） | 近期目标（2024年） | 中远期目标（2026年） |
|---|---|---|---|---|
| VOCs去除率 | % | 85.0 | ≥90 | ≥95 |
| 单位产品电耗 | kWh/件 | 10.8 | ≤9.4 | ≤8.8 |
| 涂料利用率 | % | 55 | ≥65 | ≥72 |

# 第四章 方案的产生与筛选

公司以投资20万元为界，20万元以下为无/低费方案，20万元及以上为中/高费方案。

表4-1 清洁生产方案汇总表

| 编号 | 方案名称 | 方案类型 | 投资（万元） | 年经济效益（万元） |
|---|---|---|---|---|
| F1 | 照明改造 | 无/低费 | 12.5 | 16.2 |
| F2 | 卷绕机空调送风变频 | 无/低费 | {f2} | 45.2 |
| Z1 | 余热回收 | 中/高费 | 680.0 | 262.0 |
| 合计 | | | {total} | 323.4 |

# 第六章 方案的实施

表6-1 审核前后主要指标对比

| 指标 | 单位 | 审核前 | 审核后 | 目标完成情况 |
|---|---|---|---|---|
| VOCs去除率 | % | 85.0 | {removal} | 达到 |
| 单位产品电耗 | kWh/件 | 10.8 | 9.4 | 已完成 |
| 涂料利用率 | % | 55 | 68 | 达到 |
"""


def built(**values) -> str:
    base = dict(industry="汽车零部件及配件制造（C3670）", investment="730.5", benefit="323.4",
                f2="38.0", total="730.5", removal="91.0")
    return REPORT.format(**{**base, **values})


def test_a_target_met_is_checked_against_the_targets_table(run):
    assert rules(run(built()), "CON-TARGET") == []  # 9.4 ≤ 9.4 and 91.0 ≥ 90: met
    missed = run(built(removal="88.5"))
    assert [(f.rule_id, f.message) for f in missed.findings if f.rule_id == "CON-TARGET"] == [
        ("CON-TARGET", "“VOCs去除率”目标值为 ≥90，审核后为 88.5，目标未达到，却标注为“达到”。")]


def test_options_are_classed_row_by_row_against_the_reports_own_limit(run):
    found = run(built())
    assert [f.message for f in found.findings if f.rule_id == "CON-COST-CLASS"] == [
        "“F2 卷绕机空调送风变频”投资 38 万元，达到或超过 20 万元的划分门槛，却列为无/低费方案。"]
    assert rules(run(built(f2="8.0", total="700.5", investment="700.5")), "CON-COST-CLASS") == []


def test_four_tier_classes_follow_their_own_limits(run):
    """无费/低费/中费/高费 have limits of their own: a 18.5 万元 低费 option is no 无/低费 error."""
    text = built(f2="18.5", total="711.0", investment="711.0").replace(
        "| 无/低费 | 12.5", "| 无费 | 12.5").replace("| 无/低费 | 18.5", "| 低费 | 18.5") \
        .replace("| 中/高费 | 680.0", "| 高费 | 680.0")
    found = rules(run(text), "CON-COST-CLASS", "SEC-CONTENT-WEAK", "SEC-CONTENT-MISSING")
    assert [f for f in found if f[0] == "CON-COST-CLASS" or "费方案" in f[1]] == []


def test_a_restated_total_must_agree_to_its_rounding(run):
    """1663.4 restated as 1636.4 is wrong even though another total is 1636.0 (0.02 %)."""
    text = built(f2="8.0", total="1663.4", investment="1636.4").replace(
        "| Z1 | 余热回收 | 中/高费 | 680.0 |", "| Z1 | 余热回收 | 中/高费 | 1636.0 |") \
        .replace("| F1 | 照明改造 | 无/低费 | 12.5 |", "| F1 | 照明改造 | 无/低费 | 19.4 |")
    assert rules(run(text), "CON-KEY-FIGURE") == [("CON-KEY-FIGURE", "总投资")]
    assert rules(run(text.replace("总投资1636.4万元", "总投资约1660万元")), "CON-KEY-FIGURE") == []


def test_a_class_subtotal_is_a_figure_the_tables_give(run):
    """“无/低费方案年经济效益61.4万元”: the 方案类型 column's 无/低费 rows together."""
    text = built().replace("年经济效益323.4万元。", "年经济效益323.4万元，其中无/低费方案年经济效益61.4万元。")
    assert rules(run(text), "CON-KEY-FIGURE") == []


@pytest.mark.parametrize(("field", "industry"), [
    ("汽车修理与维护（O8111）、汽车新车零售（F5261）", "service"),
    ("国家机构（S92）—公共机构办公建筑", "service"),
    ("水泥制造（C3011）", "cement"),
])
def test_the_industry_is_read_from_the_covers_industry_field(field, industry):
    doc = load_bytes(built(industry=field).encode("utf-8"), name="report.md")
    assert detect_industry_with_reason(build_report(doc))[0] == industry


def test_a_target_the_text_claims_is_checked_against_the_targets_table(run):
    # the table's 目标完成情况 says nothing of 涂料利用率; the text says it met the target ≥65
    text = built().replace("| 涂料利用率 | % | 55 | 68 | 达到 |\n", "") + (
        "\n涂料利用率由55%提高到{after}%，达到了近期目标。\n")
    assert rules(run(text.format(after="68")), "CON-TARGET") == []
    assert rules(run(text.format(after="61")), "CON-TARGET") == [("CON-TARGET", "涂料利用率")]
    # a 中远期 target is not yet due: no claim of it is read
    assert rules(run(text.format(after="61").replace("达到了近期目标", "达到了中远期目标")),
                 "CON-TARGET") == []


def test_an_industry_known_only_by_its_code_class_asks_with_a_warning(run):
    # C32 is smelting and rolling alike: an aluminium rolling mill need not report 颗粒物
    result = run(built(industry="C3252"))
    assert result.report.industry == "metallurgy"
    required = [f for f in result.findings if f.rule_id == "IND-REQUIRED-MISSING"]
    assert required and {f.severity for f in required} == {"warning"}
    named = run(built(industry="钢铁冶炼（C3120）"))  # the field's words say the industry
    assert {f.severity for f in named.findings if f.rule_id == "IND-REQUIRED-MISSING"} == {"error"}


def test_without_an_overview_heading_the_first_chapter_says_the_industry():
    # no industry on the cover and no section titled 概况: the 前言 introduces the hospital
    text = ("# 某某有限公司清洁生产审核报告\n\n# 前言\n\n本单位是一所三级甲等综合医院，开放床位"
            "1200张，医院设有门诊楼、住院楼和医技楼。\n\n# 第一章 审核准备\n\n## 1.1 第1项工作\n\n"
            "审核小组由院长任组长。\n")
    industry, reason = detect_industry_with_reason(build_report(load_bytes(text.encode(),
                                                                           name="r.md")))
    assert industry == "service" and "首章" in reason


TEAM = """# 某某中心清洁生产审核报告

# 第一章 审核准备

## 1.1 审核小组

表1-1 清洁生产审核领导小组

| 序号 | 姓名 | 单位/部门 | 职务 | 小组职务 |
|---|---|---|---|---|
| 1 | 孙伟东 | 某某市机关事务服务中心 | 主任 | 组长 |
| 2 | 李红梅 | 某某市机关事务服务中心 | 副主任 | 副组长 |

表1-2 清洁生产审核工作小组

| 序号 | 姓名 | 单位/部门 | 职务/岗位 | 小组职务 |
|---|---|---|---|---|
| 1 | 李红梅 | 某某市机关事务服务中心 | 副主任 | 组长 |
| 2 | 王磊 | 节能管理科 | 科长 | 组员 |
| 3 | 张志刚 | 计划财务科 | 科长 | 组员 |
| 4 | 马强 | 物业公司 | 值班电工（班长） | 组员 |
| 5 | 黄海 | 信息中心 | 机房运维主管 | 组员 |
| 6 | 陈涛 | 物业公司 | 暖通工程师 | 组员 |
"""


def test_a_team_as_a_public_institution_writes_it(run):
    """A 主任 written alone heads the institution; its 领导小组 is the administrative management;
    an electrician and an O&M lead cover equipment management."""
    found = rules(run(TEAM), "TEAM-LEADER-UNCLEAR", "TEAM-LEADER-NOT-PRINCIPAL",
                  "TEAM-LEADER-DOUBLE", "TEAM-ROLE-UNCOVERED")
    assert found == []
    workshop = TEAM.replace("| 主任 | 组长 |", "| 车间主任 | 组长 |")
    assert ("TEAM-LEADER-NOT-PRINCIPAL", "组长") in rules(run(workshop))


ACROSS = """# 第六章 方案的实施

表6-2 审核前后吨钢单耗对比

| 项目 | 吨钢新鲜水耗 | 吨钢电耗 |
|---|---|---|
| 单位 | m³/t | kWh/t |
| 审核前（2023年） | 2.78 | 460 |
| 审核后（2024年） | 2.12 | 455 |
| 变化量 | -0.66 | {change} |
"""


def test_an_indicator_table_laid_across_is_read_one_indicator_per_row(run):
    """Indicators as columns, 审核前/审核后/变化量 as rows, units in the row under the header:
    its indicators are compared, and a wrong change is found in its column."""
    assert rules(run(ACROSS.format(change="-5")), "CON-REDUCTION", "IND-TABLE-MISSING") == []
    assert rules(run(ACROSS.format(change="-15")), "CON-REDUCTION") == [
        ("CON-REDUCTION", "电耗")]


PROSE_TEAM = """# 某某有限公司清洁生产审核报告

- 企业名称：某某有限公司
- 咨询机构：广西八桂清洁生产技术咨询有限公司

# 第一章 审核准备

## 1.1 审核小组

清洁生产审核小组成员：总经理许建华（总经理室）任组长；运营副总经理张伟（运营中心）任副组长；设备部经理沈琳（设备部）任组员；清洁生产审核师孙志刚（广西八桂清洁生产技术咨询有限公司）任技术顾问{cert}。
"""


def test_a_consultants_auditor_named_in_prose_needs_a_certificate(run):
    """“清洁生产审核师孙志刚（广西八桂清洁生产技术咨询有限公司）任技术顾问”: the title before the
    name, the consultancy's full name (16 characters) in the brackets."""
    assert rules(run(PROSE_TEAM.format(cert="")), "TEAM-AUDITOR-NO-CERT") == [
        ("TEAM-AUDITOR-NO-CERT", "审核师证书编号")]
    assert rules(run(PROSE_TEAM.format(cert="，证书编号GXCP-2019-0312")),
                 "TEAM-AUDITOR-NO-CERT") == []
