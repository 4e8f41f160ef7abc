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


def test_a_long_text_folds_through_the_array_as_through_the_table():
    """Above _ARRAY_CHARS the fold reads a code-point array: every character folds as the
    dict fold folds it (full-width, quotes, traditional, supplementary-plane and unchanged
    characters, a lone surrogate)."""
    import random

    rng = random.Random(7)
    pool = ([chr(cp) for cp in range(0x20, 0x7F)] + [chr(cp) for cp in range(0xFF01, 0xFF5F)]
            + list("　“”‘’₀₁₂⁹審核機構乾環境保護清潔生產") + [chr(cp) for cp in textfold._simplified()]
            + ["\U00020000", "\U0002A6D6", "\U0010FFFF", "\ud800", "é", "\n"])
    for n in (textfold._ARRAY_CHARS, 300, 5000):
        for _ in range(20):
            text = "".join(rng.choice(pool) for _ in range(n))
            assert textfold._folded(text) == text.translate(textfold._TABLE)
    assert textfold.fold("審核２０２５" * 20) == "审核2025" * 20


def test_many_texts_fold_together_as_each_alone():
    """fold_all folds texts joined and cuts the result at their lengths: each piece is the
    text's own fold, short and long texts, empty ones, surrogates and astral characters too."""
    import random

    from assistant.evidence import _searched, searched_all

    rng = random.Random(11)
    pool = (list("審核機構乾環境保護清潔生產ＡＢＣ１２３，。“”İ") + ["\U00020000", "\ud800", "é", "\n"]
            + [chr(cp) for cp in range(0x20, 0x7F)])
    texts = ["".join(rng.choice(pool) for _ in range(rng.choice([0, 1, 5, 63, 64, 400])))
             for _ in range(60)]
    assert textfold.fold_all(texts) == [textfold.fold(t) for t in texts]
    assert searched_all(texts) == [_searched(t) for t in texts]  # İ lower-cases to two
    assert textfold.fold_all([]) == []
