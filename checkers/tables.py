"""Reading report tables: columns by header synonyms, numbers with units, indicator names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.numbers import Meaning, read
from assistant.textfold import compare_key
from checkers.report import Report, Row, Table
from checkers.rule_models import IndicatorRules

_UNIT = re.compile(r"[%％A-Za-z/²³·万千亿元吨件个次台项人]+")
_BRACKETED_UNIT = re.compile(r"[（(]([^（）()]{1,12})[）)]\s*$")


@dataclass(frozen=True)
class Value:
    text: str
    number: float | None  # None: not a number (see `meaning`)
    unit: str  # a unit written in the cell itself ("5000元"), else ""
    half_unit: float  # half of the last printed digit: 0.05 for "3.4", 0.5 for "12"
    # number | blank (nothing written: missing) | not_applicable ("—", 不适用) | none ("/", 无)
    # | below_detection (未检出) | text (words where a value belongs)
    meaning: Meaning = "number"


# "降低15.2%", "提高8.1": a change written with its direction; the magnitude is the value.
_DIRECTION = re.compile(r"^(?:降低|下降|减少|削减|节约|提高|增加|上升|增长|↓|↑)(?=[\d.+\-−])")


@lru_cache(maxsize=65536)
def value(text: str) -> Value:
    """The value a cell prints. Cached: the checks read the same cells again and again (every
    consistency rule reads its columns), and a Value is immutable."""
    text = (text or "").strip()
    reading = read(_DIRECTION.sub("", text.replace(" ", "")))
    if reading.meaning != "number":
        return Value(text, None, "", 0.0, reading.meaning)
    unit = reading.unit
    if unit and not _UNIT.fullmatch(unit):
        return Value(text, None, "", 0.0, "text")  # "2024年6月", "3项方案": not values
    return Value(text, reading.value, unit.rstrip("%％‰"), 0.5 * 10 ** -reading.decimals)


def clear_caches() -> None:
    """Forget the cached cell values and header columns (a benchmark's run then costs what a
    new report costs)."""
    value.cache_clear()
    _find_column.cache_clear()


def agrees(stated: Value, expected: float, tolerance_pct: float, *, signed: bool = True) -> bool:
    """Within tolerance_pct % of the expected value, or within the rounding of the print.
    `signed=False` compares magnitudes: a change written as a reduction (12600) or as a signed
    difference (−1.26×10⁴, −50.3%) states the same thing."""
    assert stated.number is not None
    number = stated.number if signed else abs(stated.number)
    allowed = max(abs(expected) * tolerance_pct / 100.0, stated.half_unit) + 1e-9
    return abs(number - expected) <= allowed


def percent_text(value: Value) -> str:
    """A stated percentage without its sign, for messages that add "%" themselves."""
    return value.text.rstrip("%％ ")


def fmt(number: float) -> str:
    text = f"{number:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def find_column(header: list[str], names: list[str], *, exclude: list[str] = (),
                start: int = 0) -> int | None:
    """The column at or after `start` whose header contains the first of `names` (they are in
    order of preference) that any column's header contains: 指标 before 类别 whatever the
    column order. Columns whose header contains one of `exclude` are skipped."""
    return _find_column(tuple(header), tuple(names), tuple(exclude), start)


@lru_cache(maxsize=4096)  # every check looks for its columns in the same few headers
def _find_column(header: tuple[str, ...], names: tuple[str, ...], exclude: tuple[str, ...],
                 start: int) -> int | None:
    cells = [(i, compare_key(header[i])) for i in range(start, len(header))]
    cells = [(i, cell) for i, cell in cells if not any(compare_key(x) in cell for x in exclude)]
    for name in map(compare_key, names):
        for i, cell in cells:
            if name in cell:
                return i
    return None


def header_unit(cell: str) -> str:
    """The unit a header declares in brackets: "投资（万元）" → "万元"."""
    m = _BRACKETED_UNIT.search(cell.strip())
    return m.group(1).strip() if m else ""


def money_unit(table: Table, col: int, money: dict[str, float]) -> str | None:
    """The money unit a column's figures are printed in: its header's brackets ("投资（元）",
    "年经济效益（元/a）") or the table's unit row ("单位：元"); None when neither names one."""
    for unit in (header_unit(table.header[col]), table.unit or ""):
        unit = re.sub(r"^单位[：:]\s*", "", unit).split("/")[0].strip()
        if unit in money:
            return unit
    return None


def caption_or_heading(table: Table) -> str:
    return (table.caption or "") + " " + " ".join(table.location.heading_path[-1:])


@dataclass(frozen=True)
class Indicator:
    name: str  # canonical: "氮氧化物", "单位产品综合能耗", or the cleaned label
    kind: str  # energy | water | pollutant | waste | economic | material | other
    intensity: bool
    known: bool = True  # False: no indicator of the rule pack matched; the label names it


@lru_cache(maxsize=1024)
def _pattern(pattern: str) -> re.Pattern[str]:
    """An indicator pattern as written (never through `compare_key`, which would upper-case \\d into
    \\D): matched against the normalized label, in any case."""
    return re.compile(pattern, re.IGNORECASE)


def pattern_search(pattern: str, text: str) -> bool:
    """An indicator pattern of the rule pack, searched in a compare_key-normalized text."""
    return bool(_pattern(pattern).search(text))


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The pattern's last match in the text."""
    found = None
    for found in pattern.finditer(text):
        pass
    return found


def indicator(label: str, config: IndicatorRules) -> Indicator:
    """The indicator a row label names: the label is normalized (`norm`), the prefixes are
    literal text normalized alike, the patterns are regular expressions matched in any case."""
    text = compare_key(label)
    prefix = next((compare_key(p) for p in config.intensity_prefixes if text.startswith(compare_key(p))), "")
    body = text[len(prefix):]
    # A Chinese compound names its head last: "单位发电量取水量" is a water figure per unit of
    # power, "废水COD排放量" a COD figure. Of the entries matched, the one whose match ends
    # latest names the row (brackets aside: a unit or gloss); a tie goes to the earlier entry.
    bare = re.sub(r"[（(][^）)]*[）)]", "", body) or body
    best, best_end = None, -1
    for entry in config.indicators:
        ends = [m.end() for p in entry.patterns if (m := _last(_pattern(p), bare))]
        if ends and max(ends) > best_end:
            best, best_end = entry, max(ends)
    if best is None:  # a pattern that needs the bracketed words
        best = next((e for e in config.indicators
                     if any(_pattern(p).search(body) for p in e.patterns)), None)
    if best is not None:
        return Indicator(("单位产品" + best.name) if prefix else best.name, best.kind, bool(prefix))
    # An indicator the pack does not know keeps its own name (brackets aside): cutting a
    # suffix would cut words ("中水回用量" is not "中水回").
    cleaned = re.sub(r"[（(][^）)]*[）)]", "", label).strip()
    kind = "material" if "消耗" in label or "用量" in label else "other"
    return Indicator(cleaned, kind, bool(prefix), known=False)


def _says(text: str, words: list[str]) -> bool:
    key = compare_key(text)
    return any(compare_key(w) in key for w in words)


def transposed(table: Table, config: IndicatorRules) -> Table | None:
    """An indicator table laid out across (表6-2: indicators as columns, rows 审核前 / 审核后 /
    变化量 / 变化率) turned to the usual layout, one indicator per row; None for any other."""
    cols, header = config.columns, table.header
    first = [r.cells[0] if r.cells else "" for r in table.rows[1:]]
    if len(header) < 2 or any(_says(h, cols.before + cols.after) for h in header) \
            or not any(_says(c, cols.before) for c in first) \
            or not any(_says(c, cols.after) for c in first):
        return None
    top = table.rows[0]
    rows = [Row(cells=[header[0] or "指标", *first], location=top.location, kind="header")]
    for j in range(1, len(header)):
        cells = [header[j]] + [r.cells[j] if j < len(r.cells) else "" for r in table.rows[1:]]
        rows.append(Row(cells=cells, location=top.location.model_copy(update={"row": j}),
                        kind="data"))
    return table.model_copy(update={"rows": rows})


def oriented(report: Report, config: IndicatorRules) -> Report:
    """The report with its transposed indicator tables turned (see `transposed`)."""
    tables = [transposed(t, config) or t for t in report.tables]
    return report.model_copy(update={"tables": tables})
