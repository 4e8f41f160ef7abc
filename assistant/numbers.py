"""Numbers as Chinese reports and policies print them, and the marks that stand for no number.

    12,800 · −3 · 1.2×10⁴ · 1.2E4 · 1.2万 · 12% · 百分之五 · 5‰ · 三万 · "3.40 t/a"

"—", "/", "无", "未检出", "不适用" (also with a note: "—（新建）") are not "missing": each says
something different (nothing to report because it did not exist or does not apply; none; below
the detection limit). `read`
tells them apart ("—"/"不适用": cannot exist or does not apply; "/"/"无": nothing there;
"未检出": below the detection limit); a blank cell is the only truly missing value. The one
number reader for the loader (is a row numeric?), the report checks and the answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.cnnum import CN_DIGITS, CN_NUM, cn_to_int

Meaning = Literal["number", "blank", "not_applicable", "none", "below_detection", "text"]

# superscripts (×10⁴), and figures typed with the full-width keyboard ("－１２．４", "９６．１％"):
# full-width digits, point, signs and percent as textfold.fold maps them, the rest left as
# printed (a unit's "m³" stays "m³")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺０１２３４５６７８９．％＋－",
                             "0123456789-+0123456789.%+-")
_MANTISSA = r"[-+−]?\d[\d,]*(?:\.(?P<decimals>\d+))?"
_EXPONENT = r"(?:\s*[×xX*]\s*10\s*\^?\s*(?P<exp>[-+]?\d{1,3})|[eE](?P<e>[-+]?\d{1,3}))"
_NUMBER = rf"(?P<mantissa>{_MANTISSA})(?:{_EXPONENT})?(?P<wan>\s*[万亿](?=\s*$))?"
_LEADING = re.compile(rf"^(?P<number>{_NUMBER})\s*(?P<rest>.*)$", re.DOTALL)
_BARE = re.compile(rf"^{_NUMBER}\s*(?P<pct>[%％‰])?$")
# "百分之五", "百分之三点八" (点: the decimal point written in words), "千分之2.5"
_WORDS_PERCENT = re.compile(rf"^(?P<base>百|千)分之(?:(?P<n>[{CN_NUM}]+)(?:点(?P<frac>[{CN_DIGITS}]+))?"
                            r"|(?P<d>\d+(?:\.\d+)?))$")
_CN_QUANTITY = re.compile(rf"^[{CN_NUM}]+$")
# "<0.05", "＜0.5", "≤0.02 mg/L": below a detection or reporting limit; "约12.5": about
_BELOW = re.compile(r"^(?:<|＜|≤|<=|小于|低于)\s*(?=\d)")
_ABOUT = re.compile(r"^(?:约|大约|~|～|≈)\s*(?=\d)")
_ABOUT_AFTER = re.compile(r"(?<=\d)\s*左右$")  # "3.5左右"
# a mark with a note: "—（新建）", "/（未设置）"
_NOTE = re.compile(r"\s*[（(][^（）()]{1,20}[）)]$")

# A number inside running text, as a regular expression with no group of its own, so a caller
# may name several in one pattern (rf"由(?P<before>{NUMBER_IN_TEXT})降至(?P<after>…)"): the
# notations `read` reads — "12,800", "−3", "3.024×10⁴" (superscripts as printed), "1.2×10^4",
# "1.2E4". Read what it matched with `read`. It starts only where no digit or decimal point
# precedes: inside a long digit run a search would otherwise restart at every digit (quadratic).
# A 万/亿 after it is left to the caller: a unit's prefix in "1.2万吨", "1636.4万元".
NUMBER_IN_TEXT = (r"(?<![\d.])[-+−]?\d[\d,]*(?:\.\d+)?"
                  r"(?:\s*[×xX*]\s*10\s*\^?\s*[-+−⁻⁺]?[\d⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}(?![\d.])"
                  r"|[eE][-+]?\d{1,3}(?![\dA-Za-z]))?")
# 万/亿 as part of a number ("≤3.5万", "不低于1.2亿"), not a unit's prefix ("3.5万t", "3.5万元"):
# `read` scales the first and reads the second as the unit, so a bound and the value it bounds
# agree in scale whichever way both are written.
SCALE_IN_TEXT = r"(?:\s*[万亿](?!\s*[A-Za-z\u4e00-\u9fff/²³·]))?"
# a percentage written in words: "百分之十二点九", "百分之三十五", "千分之2.5" (read reads it)
PERCENT_WORDS = rf"[百千]分之(?:[{CN_NUM}]+(?:点[{CN_DIGITS}]+)?|\d+(?:\.\d+)?)"

NOT_APPLICABLE = frozenset({"—", "-", "–", "－", "——", "--", "－－", "不适用", "N/A", "n/a", "NA",
                            "不涉及", "新建", "新增"})  # 新建/新增: did not exist before the audit
NONE_MARKS = frozenset({"/", "／", "无", "没有"})
BELOW_DETECTION = frozenset({"未检出", "ND", "nd", "N.D.", "n.d.", "<检出限", "低于检出限"})
_NO_VALUE = NOT_APPLICABLE | NONE_MARKS


@dataclass(frozen=True)
class Reading:
    """What a printed value means: a number (with its unit and printed precision) or a mark."""

    meaning: Meaning
    value: float | None = None
    decimals: int = 0  # decimals printed: "3.40" → 2 (for rounding tolerance)
    unit: str = ""  # what follows the number in the same text: "t/a", "%", "万元"
    text: str = ""

    @property
    def is_number(self) -> bool:
        return self.meaning == "number"


def _value(m: re.Match[str]) -> tuple[float, int]:
    mantissa = m.group("mantissa").replace(",", "").replace("−", "-")
    exponent = m.group("exp") or m.group("e")
    number = float(f"{mantissa}e{int(exponent)}" if exponent else mantissa)  # 9.12e4, exactly
    wan = (m.group("wan") or "").strip()
    if wan:
        number *= 10000 if wan == "万" else 100000000
    return number, len(m.group("decimals") or "")


def _prepare(text: str) -> str:
    return text.strip().translate(_SUPERSCRIPT)


def read(text: str | None) -> Reading:
    """The meaning of one printed value (a table cell, a figure in a sentence)."""
    raw = (text or "").strip()
    body = _prepare(raw)
    if not body:
        return Reading("blank", text=raw)
    if (bare := _NOTE.sub("", body)) and bare in _NO_VALUE:
        body = bare  # the note says why there is no value; the mark says which absence
    if body in NOT_APPLICABLE:
        return Reading("not_applicable", text=raw)
    if body in NONE_MARKS:
        return Reading("none", text=raw)
    if body in BELOW_DETECTION or body.startswith(("未检出", "<检出限")):
        return Reading("below_detection", text=raw)
    if m := _BELOW.match(body):
        limit = _LEADING.match(body[m.end():])
        if limit is not None:
            value, decimals = _value(limit)
            return Reading("below_detection", value, decimals=decimals,
                           unit=limit.group("rest").strip(), text=raw)
    body = _ABOUT_AFTER.sub("", _ABOUT.sub("", body))
    if m := _WORDS_PERCENT.match(body):
        frac = m.group("frac") or ""
        whole = float(m.group("d")) if m.group("d") else cn_to_int(m.group("n"))
        if whole is not None:
            value = whole + (cn_to_int(frac) / 10 ** len(frac) if frac else 0.0)
            unit = "%" if m.group("base") == "百" else "‰"
            decimals = len(frac) or len((m.group("d") or "").partition(".")[2])
            return Reading("number", float(value), decimals=decimals, unit=unit, text=raw)
    if _CN_QUANTITY.match(body) and len(body) > 1 and (value := cn_to_int(body)) is not None:
        return Reading("number", float(value), text=raw)
    m = _LEADING.match(body)
    if m is None:
        return Reading("text", text=raw)
    number, decimals = _value(m)
    return Reading("number", number, decimals=decimals, unit=m.group("rest").strip(), text=raw)


def is_number(text: str) -> bool:
    """A bare number, optionally a percentage: "1,234.5", "−3", "12%", "1.2×10⁴", "1.2万"."""
    return bool(_BARE.match(_prepare(text)))
