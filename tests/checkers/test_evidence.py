"""What a reviewer would not call a defect, and what they would: each case edits the complete
ceramics report (no findings) the way real reports are written, and checks the exact findings."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.cli import main

SRC = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "src"
TEAM_ROW = "| 2 | 李伟明 | 生产副总经理 | 生产部 | 副组长 | 组织协调各车间开展审核，督促方案实施 |"
FRESH_WATER = "| 新鲜水用量 | 万t/a | 36.0 | 28.8 | 7.2 | 20.0 |"


def findings(tmp_path: Path, capsys, edit, *args: str) -> set[tuple[str, str, str]]:
    path = tmp_path / "report.md"
    text = (SRC / "complete-ceramics.md").read_text("utf-8")
    edited = edit(text)
    assert edited != text, "the edit must change the report"
    path.write_text(edited, encoding="utf-8")
    assert main(["check", str(path), "--json", *args]) == 0
    out = json.loads(capsys.readouterr().out)
    return {(f["severity"], f["rule_id"], f["subject"]) for f in out["findings"]
            if f["severity"] != "info"}


def test_the_working_group_has_its_own_leader(tmp_path, capsys):
    def two_groups(text):
        return text.replace("| 1 | 陈国栋", "| 审核领导小组 | | | | | |\n| 1 | 陈国栋").replace(
            TEAM_ROW, TEAM_ROW + "\n| 审核工作小组 | | | | | |\n"
            "| 10 | 刘强 | 生产部经理 | 生产部 | 组长 | 组织实施审核各阶段工作 |")
    assert findings(tmp_path, capsys, two_groups) == set()


def test_two_leaders_of_one_group_and_a_deputy_leading_are_errors(tmp_path, capsys):
    def deputy_leads(text):
        return text.replace("| 总经理 | 公司经营层 | 组长 |", "| 生产副总经理 | 生产部 | 组长 |").replace(
            "| 生产副总经理 | 生产部 | 副组长 |", "| 财务总监 | 财务部 | 组长 |")
    found = findings(tmp_path, capsys, deputy_leads)
    assert ("error", "TEAM-LEADER-DOUBLE", "组长") in found
    assert ("error", "TEAM-LEADER-NOT-PRINCIPAL", "组长") in found


def test_marks_that_state_an_absence_are_not_missing_values(tmp_path, capsys):
    def marks(text):
        return text.replace(FRESH_WATER, FRESH_WATER + "\n| 中水回用量 | 万t/a | — | 6.2 | — | — |"
                            "\n| 六价铬排放量 | t/a | / | / | / | / |"
                            "\n| 外排废水总镍 | mg/L | 0.02 | 未检出 | — | — |")
    assert findings(tmp_path, capsys, marks) == set()


def test_a_blank_before_value_is_missing(tmp_path, capsys):
    def blank(text):
        return text.replace(FRESH_WATER, FRESH_WATER + "\n| 中水回用量 | 万t/a |  | 6.2 | — | — |")
    assert findings(tmp_path, capsys, blank) == {("error", "IND-VALUE-MISSING", "中水回用量")}


def test_a_signed_change_agrees_with_before_minus_after(tmp_path, capsys):
    def signed(text):
        return text.replace("| 削减量 | 削减率（%） |", "| 变化量 | 变化率（%） |").replace(
            "| 36.0 | 28.8 | 7.2 | 20.0 |", "| 36.0 | 28.8 | -7.2 | -20.0 |")
    assert findings(tmp_path, capsys, signed) == set()


def test_a_target_claimed_in_a_remark_is_checked(tmp_path, capsys):
    def remark(text):
        return text.replace("| 削减量 | 削减率（%） |\n| --- | --- | --- | --- | --- | --- |",
                            "| 削减量 | 削减率（%） | 备注 |\n| --- | --- | --- | --- | --- | --- | --- |"
                            ).replace(FRESH_WATER, FRESH_WATER + "\n| 水重复利用率 | % | 28.4 | 36.5 | "
                                      "— | — | 达到≥40%的目标 |")
    assert findings(tmp_path, capsys, remark) == {("error", "CON-TARGET", "水重复利用率")}


def test_a_summary_figure_that_no_table_adds_up_to_is_flagged(tmp_path, capsys):
    def figure(text):  # the 前言 states a total that the option tables do not give
        return text.replace("# 前言\n\n", "# 前言\n\n本轮审核共实施清洁生产方案12项，总投资1856.7万元。\n\n")
    assert findings(tmp_path, capsys, figure) == {("warning", "CON-KEY-FIGURE", "总投资")}


CONCLUSION = "本轮清洁生产审核共实施方案12项，累计投资1586.7万元，年经济效益818.6万元。"


def test_a_summary_figure_restated_in_yuan_or_rounded_is_read(tmp_path, capsys):
    def restated(text):  # 1586.7 万元 in 元, 818.6 万元 about: both the tables' totals
        return text.replace(CONCLUSION, "本轮清洁生产审核共实施方案12项，累计投资15867000元，"
                            "年经济效益约819万元。")
    assert findings(tmp_path, capsys, restated) == set()


def test_transposed_digits_rounded_or_in_yuan_are_flagged(tmp_path, capsys):
    def transposed(text):  # 1568.7 万元 (digits transposed); 约812 is 6.6 万元 off 818.6
        return text.replace(CONCLUSION, "本轮清洁生产审核共实施方案12项，累计投资15687000元，"
                            "年经济效益约812万元。")
    assert findings(tmp_path, capsys, transposed) == {("warning", "CON-KEY-FIGURE", "总投资"),
                                                      ("warning", "CON-KEY-FIGURE", "年经济效益")}


def test_options_shown_by_their_category_column_are_present(tmp_path, capsys):
    def no_heading(text):
        return text.replace("## 4.3 中/高费方案\n", "").replace("表4-2 中/高费方案", "表4-2 方案清单")
    found = findings(tmp_path, capsys, no_heading)
    assert not any(rule == "SEC-CONTENT-MISSING" for _, rule, _ in found), found


def test_a_service_enterprise_is_not_asked_for_a_material_balance(tmp_path, capsys):
    def hotel(text):  # no material balance anywhere; the water and heat balances remain
        return text.replace("物料平衡", "用能情况")
    # an industrial enterprise that shows only other balances: asked to check, not failed
    assert ("warning", "SEC-CONTENT-WEAK", "物料平衡") in findings(tmp_path, capsys, hotel)
    assert not any(subject == "物料平衡" for _, _, subject in
                   findings(tmp_path, capsys, hotel, "--industry", "service"))


def test_a_companys_own_rules_are_not_unverifiable_citations(tmp_path, capsys):
    path = tmp_path / "report.md"
    text = (SRC / "complete-ceramics.md").read_text("utf-8").replace(
        "# 前言\n\n", "# 前言\n\n公司修订了《用水管理制度》和《原料验收与分级管理办法》，并按"
        "《清洁生产审核办法》的要求开展审核。\n\n")
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path), "--json"]) == 0
    cited = {f["subject"] for f in json.loads(capsys.readouterr().out)["findings"]
             if f["rule_id"] == "CIT-UNVERIFIED"}
    assert "清洁生产审核办法" in cited
    assert not cited & {"用水管理制度", "原料验收与分级管理办法"}


def test_phase_names_with_or_without_function_words(tmp_path, capsys):
    def renamed(text):
        return text.replace("# 第五章 可行性分析", "# 第五章 方案的可行性分析").replace(
            "# 第四章 方案产生和筛选", "# 第四章 方案的产生与筛选")
    assert findings(tmp_path, capsys, renamed) == set()


def test_a_chapter_title_may_add_a_tail_to_its_phase(tmp_path, capsys):
    def tail(text):
        return text.replace("# 第六章 方案实施", "# 第六章 方案实施及效果")
    assert findings(tmp_path, capsys, tail) == set()


def test_a_group_row_in_an_indicator_table_is_not_an_indicator(tmp_path, capsys):
    def grouped(text):
        return text.replace("| 天然气消耗量 | 万m³/a |", "| 能源消耗指标 | | | | | |\n| 天然气消耗量 | 万m³/a |")
    assert findings(tmp_path, capsys, grouped) == set()


def test_a_phase_merged_into_the_previous_chapter_is_a_warning(tmp_path, capsys):
    def merged(text):  # 评估 folded into 预评估's chapter: its balances are there, its title is not
        return text.replace("# 第三章 评估\n", "").replace("# 第二章 预评估", "# 第二章 预评估与评估")
    assert findings(tmp_path, capsys, merged) == {("warning", "SEC-PHASE-MERGED", "评估")}


def test_a_phase_dropped_with_its_work_is_an_error(tmp_path, capsys):
    def dropped(text):  # the chapter, and the one sentence elsewhere that names its plan
        head, rest = text.split("# 第七章 持续清洁生产", 1)
        return (head + "# 结论" + rest.split("# 结论", 1)[1]).replace(
            "中远期目标将通过持续清洁生产计划逐步实现。", "")
    assert ("error", "SEC-PHASE-MISSING", "持续清洁生产") in findings(tmp_path, capsys, dropped)


def test_a_phase_name_framed_in_a_longer_chapter_title(tmp_path, capsys):
    def framed(text):
        return text.replace("# 第一章 筹划和组织", "# 第一章 清洁生产审核准备工作")
    assert findings(tmp_path, capsys, framed) == set()


def test_a_phase_title_with_the_other_systems_name_in_brackets(tmp_path, capsys):
    def aside(text):  # the guide's two naming systems side by side: 预评估（预审核）, 评估（审核）
        return text.replace("# 第二章 预评估", "# 第二章 预评估（预审核）").replace(
            "# 第三章 评估", "# 第三章 评估（审核）阶段")
    assert findings(tmp_path, capsys, aside) == set()


def test_a_leader_whose_post_is_not_recognised_is_a_warning(tmp_path, capsys):
    def centre_head(text):  # a 中心主任 may head a service organisation: verify, do not fail
        return text.replace("| 1 | 陈国栋 | 总经理 |", "| 1 | 陈国栋 | 中心主任 |")
    assert findings(tmp_path, capsys, centre_head) == {("warning", "TEAM-LEADER-UNCLEAR", "组长")}


def test_a_summary_count_of_options_that_no_table_lists_is_flagged(tmp_path, capsys):
    def count(text):  # the tables list 12 options (7 + 5)
        return text.replace("# 前言\n\n", "# 前言\n\n本轮审核共产生并实施清洁生产方案13项。\n\n")
    assert findings(tmp_path, capsys, count) == {("warning", "CON-KEY-FIGURE", "方案数量")}


def test_a_total_with_transposed_digits_is_wrong_even_within_one_percent(tmp_path, capsys):
    def transposed(text):  # 1587.1 for 1578.1: 0.6 % off, far beyond the rounding of the rows
        return text.replace("| 合计 | — | 1578.1 |", "| 合计 | — | 1587.1 |")
    assert ("error", "CON-TOTAL", "合计") in findings(tmp_path, capsys, transposed)


def test_the_reports_own_cost_class_boundary_wording(tmp_path, capsys):
    def boundary(text):  # "以…万元为界" states the report's own boundary: 1 万元 here
        return text.replace("本报告中投资额低于5万元的方案归为无/低费方案，5万元及以上的方案归为中/高费方案。",
                            "本报告以投资1万元为界划分无/低费和中/高费方案。")
    found = findings(tmp_path, capsys, boundary)
    assert found and {rule for _, rule, _ in found} == {"CON-COST-CLASS"}


ENERGY = "审核后单位产品综合能耗由3.677 kgce/m²降至3.527 kgce/m²"


def test_a_change_the_text_states_is_recomputed(tmp_path, capsys):
    def stated(said):
        return lambda text: text.replace(ENERGY, ENERGY + said)
    for right in ("，降低4.1%", "，降低了4.08%", "，降低百分之四点一", "，减少0.15 kgce/m²",
                  "，单位产品取水量降低18.8%"):
        assert findings(tmp_path, capsys, stated(right)) == set(), right
    for wrong in ("，降低5.1%", "，降低了百分之五点一"):
        assert findings(tmp_path, capsys, stated(wrong)) == {
            ("error", "CON-PERCENT", "单位产品综合能耗")}, wrong
    assert findings(tmp_path, capsys, stated("，每平方米少耗0.51 kgce/m²")) == {
        ("error", "CON-REDUCTION", "单位产品综合能耗")}
