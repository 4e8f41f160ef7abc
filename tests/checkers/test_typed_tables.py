"""Tables as Word users type them: a short label spaced out to fill its cell (“合  计”, “组  长”)
and figures typed with the full-width keyboard (“５９２０”, “６．２５”, “－１２．４”). Both read as
the label and the figure they are (checkers/report.py `_closed_up`, assistant/numbers.py)."""

from __future__ import annotations

from tests.checkers.test_certainty import ceramics, found, replaced, severities

TOTAL = "| 合计 | — | 1578.1 | 687.8 | — |"
LEADER = "| 1 | 陈国栋 | 总经理 | 公司经营层 | 组长 |"
COMPARED = "| 电耗 | 万kWh/a | 5920 | 5550 | 370 | 6.25 |"


def test_a_spaced_out_total_row_is_a_total(run):
    wrong = replaced(ceramics(), TOTAL, "| 合  计 | — | 1587.1 | 687.8 | — |")
    assert "error" in severities(run(wrong), "CON-TOTAL")
    right = replaced(ceramics(), TOTAL, "| 合  计 | — | 1578.1 | 687.8 | — |")
    assert found(run(right), "CON-TOTAL") == []


def test_a_spaced_out_role_is_the_role(run):
    text = replaced(ceramics(), LEADER, "| 1 | 陈  栋 | 总经理 | 公司经营层 | 组  长 |")
    assert [f for f in run(text).findings if f.rule_id.startswith("TEAM-LEADER")] == []


def test_full_width_figures_are_numbers(run):
    right = replaced(ceramics(), COMPARED, "| 电耗 | 万kWh/a | ５９２０ | ５５５０ | ３７０ | ６．２５ |")
    result = run(right)
    assert found(result, "CON-PERCENT") == [] and found(result, "IND-VALUE-NONNUMERIC") == []
    wrong = replaced(ceramics(), COMPARED, "| 电耗 | 万kWh/a | ５９２０ | ５５５０ | ３７０ | ６．５０ |")
    assert severities(run(wrong), "CON-PERCENT") == ["error"]
