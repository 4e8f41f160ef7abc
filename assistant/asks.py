"""What a question asks for, as far as a quote can be checked against it: a quantity (and its
measure word: 多少家 asks for a number of 家), a time (什么时候交 asks for a date or a time
limit), a body (哪个部门), a consequence (会被罚吗) or a definition (什么是…). A quote answers
such a question only when it states that kind of thing; the wording that marks each kind is
data (data/answering.yaml, `patterns.asks`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.evidence import LIST_MARKER
from assistant.tuning import tuning

_NUMERAL = r"(?:\d|[零一二两三四五六七八九十百千万半])"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MAGNITUDE = r"\s*(?:余|多)?\s*(?:十|百|千|万|亿)?\s*(?:余|多)?\s*"
@dataclass(frozen=True)
class Ask:
    """What a question asks: the kinds of thing, in data order (a two-part question can ask a
    department and a period: a quote stating either answers), and a quantity's measure word."""

    kinds: tuple[str, ...] = ()
    unit: str | None = None  # the measure word asked for: 家 in 多少家
    # numbers the question itself gives ("那5000家里强制性的占多少家"): a quote repeating
    # them does not state the number asked for
    given: tuple[str, ...] = ()
    # kinds that only rank a quote stating them first (a pattern's `gate: false`)
    prefers: tuple[str, ...] = ()

    @property
    def kind(self) -> str | None:
        return self.kinds[0] if self.kinds else None


def analyse(query: str) -> Ask:
    tune = tuning()
    asked = [ask for ask in tune.patterns.asks
             if tune.compiled[f"{ask.kind}.question"].search(query)]
    kinds = tuple(ask.kind for ask in asked if ask.gate)
    prefers = tuple(ask.kind for ask in asked if not ask.gate)
    if not kinds:
        return Ask(prefers=prefers)
    unit = tune.compiled["asked_unit"].search(query) if "quantity" in kinds else None
    given = tuple(sorted(set(_NUMBER.findall(query)), key=len, reverse=True))
    unit = unit.group("unit") if unit else None
    return Ask(kinds, tune.patterns.unit_words.get(unit, unit) if unit else None,
               given if "quantity" in kinds else (), prefers)


def states(ask: Ask, text: str, around: str = "") -> bool:
    """Whether the text states what the question asks for. `around` is the passage the text
    comes from: a table's numbers carry their unit in its header ("企业数（家）")."""
    if not ask.kinds:
        return True
    text = LIST_MARKER.sub("", text)  # "5、结合技术推广…": an item's number is not an amount
    for number in ask.given:
        text = re.sub(rf"(?<![\d.]){re.escape(number)}(?![\d.])", " ", text)
    return any(_states(kind, ask.unit, text, around) for kind in ask.kinds)


def _states(kind: str, unit: str | None, text: str, around: str) -> bool:
    answer = tuning().compiled[f"{kind}.answer"]
    if kind == "quantity" and unit is not None and not _counted(unit).search(text):
        return bool(answer.search(text)) and bool(_header_unit(unit).search(around))
    return bool(answer.search(text))


def missing_reason(ask: Ask) -> str:
    what = next((a.missing for a in tuning().patterns.asks if a.kind == ask.kind), "")
    return f"现有政策文件中未找到该问题所问的{what}" if what else ""


@lru_cache(maxsize=64)
def _counted(unit: str) -> re.Pattern:
    """A number of `unit`: 5000家, 1-2 个, 三年, 十万元 (a year's date, 2025年, counts too)."""
    return re.compile(rf"{_NUMERAL}{_MAGNITUDE}(?:-\s*{_NUMERAL}+\s*)?{re.escape(unit)}")


@lru_cache(maxsize=64)
def _header_unit(unit: str) -> re.Pattern:
    return re.compile(rf"[（(]\s*{re.escape(unit)}\s*[)）]|单位\s*[:：]\s*{re.escape(unit)}")
