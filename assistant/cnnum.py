"""Chinese numerals as official documents write them: 二十七, 一百零三, 一千二百零二, 两千.

The one reader and writer of Chinese numerals, for article numbers (第一千二百零二条) and for
quantities written in words (百分之五, 三万).
"""

from __future__ import annotations

CN_DIGITS = "零一二三四五六七八九〇两"
CN_UNITS = "十百千万"
CN_NUM = CN_DIGITS + CN_UNITS  # every character a Chinese numeral may hold

_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_DIGITS = "零一二三四五六七八九"


def cn_to_int(text: str) -> int | None:
    """二十七 → 27, 一百零三 → 103, 一千二百六十 → 1260, 三万 → 30000, "52" → 52; None if the
    text is not a numeral. Digit-by-digit forms (二〇二五) read as written: 2025."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(c in _DIGIT for c in text) and len(text) > 1:
        return int("".join(str(_DIGIT[c]) for c in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGIT:
            digit = _DIGIT[ch]
        elif ch in _UNIT:
            section += (1 if digit is None else digit) * _UNIT[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def int_to_cn(n: int) -> str:
    """27 → 二十七, 110 → 一百一十, 1202 → 一千二百零二 (0 ≤ n < 100000), as articles are numbered."""
    if n < 0 or n >= 100000:
        raise ValueError(f"out of range: {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    parts: list[str] = []
    zero = False
    for value, unit in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(_DIGITS[digit] + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)
