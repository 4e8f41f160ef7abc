"""Numbers as reports print them, and the marks that mean something other than "missing"."""

from __future__ import annotations

import pytest

from assistant.numbers import is_number, read


@pytest.mark.parametrize("text, value, unit", [
    ("12,800", 12800, ""), ("−3", -3, ""), ("1.2×10⁴", 12000, ""), ("9.12×10⁴", 91200, ""),
    ("1.2E4", 12000, ""), ("9.6e3", 9600, ""), ("1.2万", 12000, ""), ("128.6万元", 128.6, "万元"),
    ("百分之五", 5, "%"), ("百分之三点八", 3.8, "%"), ("百分之零点五", 0.5, "%"), ("5‰", 5, "‰"),
    ("三万", 30000, ""), ("3.40 t/a", 3.4, "t/a"),
    ("约12.5", 12.5, ""), ("3.5左右", 3.5, ""),
])
def test_notations(text, value, unit):
    reading = read(text)
    assert reading.meaning == "number" and reading.value == pytest.approx(value)
    assert reading.unit == unit


@pytest.mark.parametrize("text, meaning", [
    ("—", "not_applicable"), ("不适用", "not_applicable"), ("--", "not_applicable"),
    ("/", "none"), ("无", "none"), ("未检出", "below_detection"), ("ND", "below_detection"),
    ("<0.05", "below_detection"), ("＜0.5 mg/L", "below_detection"), ("", "blank"),
    ("待测", "text"), ("N.D.", "below_detection"), ("新建", "not_applicable"),
    ("—（新建）", "not_applicable"), ("/（未设置）", "none"), ("—（见备注说明）", "not_applicable"),
])
def test_marks_mean_different_things(text, meaning):
    assert read(text).meaning == meaning


def test_printed_precision_and_bare_numbers():
    assert read("3.40").decimals == 2
    assert is_number("12%") and is_number("1.2×10⁴") and not is_number("3.40 t/a")
    assert read("<0.05").value == 0.05  # the limit is kept
