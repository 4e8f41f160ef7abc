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


@pytest.mark.parametrize("text, found", [
    ("由8350 kWh/t降至8120", "8350"), ("熟料3.024×10⁴ t", "3.024×10⁴"), ("约1.2×10^4 t", "1.2×10^4"),
    ("总投资12,800.5万元", "12,800.5"), ("2×10t/h锅炉", "2"), ("1.2E4 kWh", "1.2E4"),
])
def test_the_number_pattern_finds_what_read_reads(text, found):
    """NUMBER_IN_TEXT is the checkers' one pattern for a figure in a sentence: what it matches
    read() reads as the same number ("2×10t/h" is two boilers of 10 t/h, not 2×10ⁿ)."""
    import re

    from assistant.numbers import NUMBER_IN_TEXT
    m = re.search(NUMBER_IN_TEXT, text)
    assert m and m.group(0) == found and read(found).is_number


def test_a_scale_word_is_the_numbers_only_where_no_unit_follows():
    """"≤3.5万" is 35000; in "≤3.5万t" the 万 is the unit's, as read() reads "3.4万t" (3.4, 万t),
    so a bound and the value it bounds are compared at one scale."""
    import re

    from assistant.numbers import NUMBER_IN_TEXT, SCALE_IN_TEXT
    pattern = re.compile(NUMBER_IN_TEXT + SCALE_IN_TEXT)
    assert read(pattern.search("≤3.5万，").group(0)).value == 35000
    assert read(pattern.search("≤3.5万t/a").group(0)).value == 3.5 == read("3.5万t/a").value
    assert read(pattern.search("不低于1.2 万 m³").group(0)).value == 1.2
