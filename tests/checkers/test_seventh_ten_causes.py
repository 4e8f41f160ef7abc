"""The causes the seventh dev ten (h10-dev7, written blind) showed, one small built report
each, from the complete ceramics sample: a leader with two posts, an 电能平衡 heading, a
balance given as an annex, the organisation itself as a member's department, quality control
as process know-how, and food processing's own balance (water)."""

from __future__ import annotations

from tests.checkers.test_certainty import ceramics, found, replaced, severities

LEADER = "| 1 | 陈国栋 | 总经理 | 公司经营层 | 组长 |"


def cut(text: str, start: str, stop: str) -> str:
    """The text without the section from `start` up to (not including) `stop`."""
    assert start in text and stop in text, (start, stop)
    return text[:text.index(start)] + text[text.index(stop):]


def test_a_leader_with_a_deputy_post_and_a_unit_head_post_is_only_warned(run):
    """“集团副总经理、场站站长”: deputy of the group, head of the station — the audited unit's head
    or a sub-unit's, which the report must say; a 副总经理 alone stays an error."""
    text = replaced(ceramics(), LEADER, "| 1 | 陈国栋 | 集团副总经理、基地站长 | 公司经营层 | 组长 |")
    result = run(text)
    assert found(result, "TEAM-LEADER-NOT-PRINCIPAL") == []
    assert severities(result, "TEAM-LEADER-UNCLEAR") == ["warning"]
    text = replaced(ceramics(), LEADER, "| 1 | 陈国栋 | 集团副总经理兼公司总经理 | 公司经营层 | 组长 |")
    assert not [f for f in run(text).findings if f.rule_id.startswith("TEAM-LEADER")]
    text = replaced(ceramics(), LEADER, "| 1 | 陈国栋 | 集团副总经理 | 公司经营层 | 组长 |")
    assert severities(run(text), "TEAM-LEADER-NOT-PRINCIPAL") == ["error"]


def test_an_electric_energy_balance_is_an_energy_balance(run):
    """电能平衡 (GB/T 8222 电能平衡测试) under its own heading, its table an 电能分配."""
    text = replaced(ceramics(), "## 3.4 能量平衡", "## 3.4 电能平衡")
    text = replaced(text, "表3-3 1#辊道窑热平衡", "表3-3 全厂电能分配")
    text = text.replace("热平衡", "电能测试")
    result = run(text)
    assert [r for r in ("SEC-CONTENT-WEAK", "SEC-CONTENT-EXPECTED")
            if any(f.rule_id == r and f.subject == "能量平衡" for f in result.findings)] == []


def test_a_balance_listed_as_an_annex_is_shown(run):
    """A 验收稿 lists its test reports as 附件: “附件3 窑炉热平衡测试报告” shows the balance."""
    text = cut(ceramics(), "## 3.4 能量平衡", "## 3.5").replace("热平衡", "热工")
    assert severities(run(text), "SEC-CONTENT-EXPECTED") == ["warning"]
    annexed = text.rstrip("\n") + "\n\n# 附件\n\n附件1  审核小组成立文件\n\n附件2  窑炉热平衡测试报告\n"
    assert found(run(annexed), "SEC-CONTENT-EXPECTED") == []


def test_the_organisation_itself_as_department_is_administration(run):
    """部门 “公司” (not one of its departments): the company's management covers 行政管理;
    the consultant's “…有限公司” is not it."""
    text = replaced(ceramics(), "| 3 | 黄晓燕 | 办公室主任 | 办公室 |", "| 3 | 黄晓燕 | 统计员 | 生产部 |")
    uncovered = [f.subject for f in run(text).findings if f.rule_id == "TEAM-ROLE-UNCOVERED"]
    assert uncovered == ["行政管理"]
    text = replaced(text, LEADER, "| 1 | 陈国栋 | 总经理 | 公司 | 组长 |")
    assert found(run(text), "TEAM-ROLE-UNCOVERED") == []


def test_quality_control_covers_process_know_how(run):
    text = replaced(ceramics(), "| 7 | 周建华 | 工艺工程师 | 技术部 |", "| 7 | 周建华 | 主管 | 综合车间 |")
    assert [f.subject for f in run(text).findings if f.rule_id == "TEAM-ROLE-UNCOVERED"] == ["工艺技术"]
    text = replaced(text, "| 7 | 周建华 | 主管 | 综合车间 |", "| 7 | 周建华 | QC主管 | 质检部 |")
    assert found(run(text), "TEAM-ROLE-UNCOVERED") == []


def test_food_processing_balances_water_and_its_material_balance_is_not_certain(run):
    """A slaughterhouse without any balance: the 水平衡 its industry balances is asked for,
    and the absent 物料平衡 is a warning that says why, not an error."""
    text = replaced(ceramics(), "- 行业：陶瓷（建筑陶瓷制品制造，C3071）", "- 行业：牲畜屠宰（C1351）")
    text = cut(text, "## 3.2 物料平衡", "## 3.5")  # no balance at all
    result = run(text)
    (severity, message), = found(result, "SEC-CONTENT-MISSING")
    assert severity == "warning" and "食品加工" in message
    assert [f.subject for f in result.findings if f.rule_id == "SEC-CONTENT-EXPECTED"] == ["水平衡"]
