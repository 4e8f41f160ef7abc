"""Figures in the text read by the one number pattern (assistant/numbers.py NUMBER_IN_TEXT),
whatever their notation: a change stated with ×10ⁿ figures is recomputed as one with plain ones,
and a bound with 万 is compared at the scale of the value it bounds."""

from __future__ import annotations

from tests.checkers.test_certainty import ceramics, found, replaced, severities

SENTENCE = "审核后单位产品综合能耗由3.677 kgce/m²降至3.527 kgce/m²，"


def test_a_change_with_powers_of_ten_is_recomputed(run):
    right = replaced(ceramics(), SENTENCE,
                     SENTENCE + "窑炉天然气用量由1.250×10⁴ m³降至1.180×10⁴ m³，减少了700 m³，")
    assert found(run(right), "CON-REDUCTION") == []
    wrong = right.replace("减少了700 m³", "减少了900 m³")
    assert severities(run(wrong), "CON-REDUCTION") == ["error"]
