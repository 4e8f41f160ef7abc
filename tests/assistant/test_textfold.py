"""The fold's traditional-to-simplified part (assistant.textfold): its kept table is OpenCC's
t2s converter asked one character at a time."""

from __future__ import annotations

import opencc

from assistant import textfold


def test_the_kept_table_is_the_converter_asked_character_by_character():
    convert = opencc.OpenCC("t2s").convert
    expected = {}
    for low, high in textfold._HAN:
        for cp in range(low, high + 1):
            simple = convert(chr(cp))
            if len(simple) == 1 and simple != chr(cp):
                expected[cp] = ord(simple)
    assert len(expected) > 4000
    assert textfold._simplified() == expected
    textfold._simplified.cache_clear()  # read back from the cache directory this time
    assert textfold._simplified() == expected


def test_the_fold_simplifies_one_character_to_one():
    assert textfold.fold("審核機構２０２５“乾”") == '审核机构2025"干"'
    assert textfold.simplified("審核，２０２５") == "审核，２０２５"
    assert textfold.question_form("審核２０２５？") == "审核2025？"
