"""What a question asks for, as far as a quote can be checked against it: a quantity (and its
measure word: 多少家 asks for a number of 家), or a time (什么时候交 asks for a date or a time
limit). A quote answers such a question only when it states that kind of thing; the wording
that marks each is data (data/answering.yaml, patterns)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.tuning import tuning

_NUMERAL = r"(?:\d|[零一二两三四五六七八九十百千万半])"
_MAGNITUDE = r"\s*(?:余|多)?\s*(?:十|百|千|万|亿)?\s*(?:余|多)?\s*"


@dataclass(frozen=True)
class Ask:
    kind: str | None  # "quantity" | "time" | None (anything else: no stated-thing check)
    unit: str | None = None  # the measure word asked for: 家 in 多少家


def analyse(query: str) -> Ask:
    tune = tuning()
    if tune.quantity_question.search(query):
        unit = tune.asked_unit.search(query)
        return Ask("quantity", unit.group("unit") if unit else None)
    if tune.time_question.search(query):
        return Ask("time")
    return Ask(None)


def states(ask: Ask, text: str, around: str = "") -> bool:
    """Whether the text states what the question asks for. `around` is the passage the text
    comes from: a table's numbers carry their unit in its header ("企业数（家）")."""
    tune = tuning()
    if ask.kind == "quantity":
        if ask.unit is not None and not _counted(ask.unit).search(text):
            return bool(tune.quantity.search(text)) and bool(_header_unit(ask.unit).search(around))
        return bool(tune.quantity.search(text))
    if ask.kind == "time":
        return bool(tune.time_expression.search(text))
    return True


def missing_reason(ask: Ask) -> str:
    what = {"quantity": "具体数额", "time": "具体时间或期限"}.get(ask.kind or "", "")
    return f"现有政策文件中未找到该问题所问的{what}" if what else ""


@lru_cache(maxsize=64)
def _counted(unit: str) -> re.Pattern:
    """A number of `unit`: 5000家, 1-2 个, 三年, 十万元 (a year's date, 2025年, counts too)."""
    return re.compile(rf"{_NUMERAL}{_MAGNITUDE}(?:-\s*{_NUMERAL}+\s*)?{re.escape(unit)}")


@lru_cache(maxsize=64)
def _header_unit(unit: str) -> re.Pattern:
    return re.compile(rf"[（(]\s*{re.escape(unit)}\s*[)）]|单位\s*[:：]\s*{re.escape(unit)}")
