"""Consistency: numbers that must agree with each other.

Stated reduction vs before − after; percentages vs their base; 合计 vs the sum of its rows;
无/低费 and 中/高费 labels vs investment; payback vs investment ÷ annual benefit; targets vs
achieved values; one unit per column. Tolerance: tolerance_pct of the computed value, or the
rounding of the printed figure, whichever is larger — except 合计, a sum of printed figures,
which must agree up to their rounding alone.
"""

from __future__ import annotations

from collections import Counter

from assistant.budget import checkpoint
from assistant.textfold import compare_key
from checkers.findings import Hit
from checkers.indicators import before_after_columns, cell, data_rows
from checkers.option_evaluation import option_names
from checkers.prose_changes import prose_change_hits
from checkers.report import Report, Table
from checkers.rule_models import IndicatorRules
from checkers.rules import Config
from checkers.tables import (
    agrees,
    caption_or_heading,
    find_column,
    fmt,
    header_unit,
    indicator,
    money_unit,
    percent_text,
    value,
)
from checkers.targets import stated_targets, target_hits, target_rate_hits


def check_consistency(report: Report, config: Config) -> list[Hit]:
    cfg, tol = config.indicators, config.thresholds.tolerance_pct
    stated = _stated_threshold(report, cfg)
    threshold = stated or config.thresholds.low_cost_max_wan
    hits: list[Hit] = []
    targets = stated_targets(report, cfg)
    for table in report.tables:
        checkpoint()
        hits += _reduction_hits(table, cfg, tol)
        hits += target_hits(table, cfg, targets)
        hits += target_rate_hits(table, cfg, tol)
        hits += _total_hits(table, cfg)
        hits += _cost_class_hits(table, cfg, threshold)
        if stated is not None:  # row by row only against the report's own limit
            hits += _row_class_hits(table, cfg, stated)
        hits += _payback_hits(table, cfg, tol)
        hits += _unit_hits(table, cfg)
    _name_options(hits, option_names(report))
    # the same changes stated in the text; one finding per indicator and rule
    return hits + prose_change_hits(report, cfg, tol, {(h.rule_id, h.subject) for h in hits},
                                    targets)


def _reduction_hits(table: Table, cfg: IndicatorRules, tol: float) -> list[Hit]:
    cols = before_after_columns(table, cfg)
    if cols is None:
        return []
    hits = []
    for row in data_rows(table, cfg):
        label = cell(row, cols.label)
        before, after = value(cell(row, cols.before)), value(cell(row, cols.after))
        if before.number is None or after.number is None:
            continue
        name, evidence = indicator(label, cfg).name, " | ".join(row.cells)
        change = before.number - after.number
        stated = value(cell(row, cols.reduction))
        if stated.number is not None and not agrees(stated, abs(change), tol, signed=False):
            hits.append(Hit("CON-REDUCTION", name, row.location, evidence, {
                "label": label, "column": table.header[cols.reduction], "stated": stated.text,
                "before": before.text, "after": after.text, "expected": fmt(abs(change))},
                unsure=_scaled(stated, abs(change), tol)))
        rate = value(cell(row, cols.rate))
        if rate.number is not None and before.number:
            expected = abs(change) / abs(before.number) * 100
            # a rate's change written in percentage points (回用率 82.0 → 95.5: 13.5) agrees
            points = _is_rate(label, cell(row, cols.unit)) and agrees(rate, abs(change), tol,
                                                                       signed=False)
            if not points and not agrees(rate, expected, tol, signed=False):
                hits.append(Hit("CON-PERCENT", name, row.location, evidence, {
                    "label": label, "column": table.header[cols.rate], "stated": percent_text(rate),
                    "expected": fmt(round(expected, 2)),
                    "formula": f"({before.text} − {after.text}) ÷ {before.text}"},
                    unsure=_scaled(rate, expected, tol)))
    return hits


def _scaled(stated, expected: float, tol: float) -> str:
    """A stated figure that is the computed one times a power of ten (t vs kg, 万 vs 1, a
    fraction vs a percentage) most likely states it in another unit than the reading assumed:
    why the mismatch is not certain, or ""."""
    for k in (1, 2, 3, 4):
        for factor in (10 ** k, 10 ** -k):
            if agrees(stated, expected * factor, tol, signed=False):
                return f"所写数值是计算值的 {fmt(factor)} 倍，可能单位不同"
    return ""


def _is_rate(label: str, unit: str) -> bool:
    """An indicator that is itself a percentage: "废水回用率", a 单位 of %."""
    return "率" in label or unit.strip() in ("%", "％")


def _indented(row) -> bool:
    """A breakdown row ("其中：电耗", "（其中）…", "含…") repeats part of a row above it."""
    first = next((c.strip() for c in row.cells if c.strip()), "")
    return first.startswith(_BREAKDOWN)


_BREAKDOWN = ("其中", "（其中", "(其中", "含：", "含:")


def _total_hits(table: Table, cfg: IndicatorRules) -> list[Hit]:
    words, sub = cfg.totals.words, cfg.totals.subtotal_words
    skip = cfg.totals.skip_columns
    ends, header = tuple(words + sub), table.header
    hits, start = [], 1
    for n, row in enumerate(table.rows[1:], start=1):
        if not any(c.strip() in words for c in row.cells):
            continue
        # subtotals ("小计", "无/低费方案合计") are not rows of the sum
        body = [r for r in table.rows[start:n] if not any(
            c.strip() in sub or c.strip().endswith(ends) for c in r.cells)]
        # breakdown rows ("其中…") are already in the row above them
        indented = [_indented(r) for r in body]
        start = n + 1
        for col, stated_text in enumerate(row.cells):
            stated = value(stated_text)
            if stated.number is None or any(w in header[col] for w in skip if col < len(header)):
                continue
            read = [(v, below) for r, below in zip(body, indented, strict=True)
                    if (v := value(cell(r, col))).number is not None]
            values = [v for v, _ in read]
            if len(values) < 2:
                continue
            # A sum of printed figures is exact up to their rounding: a percentage tolerance
            # would pass 8882.0 for 8828.0 (transposed digits, 0.6 %).
            rounding = stated.half_unit + sum(v.half_unit for v in values) + 1e-9
            whole = [v for v, below in read if not below]
            if any(abs(stated.number - sum(v.number for v in vs)) <= rounding
                   for vs in (values, whole)) or _two_sides(stated, values):
                continue
            expected = sum(v.number for v in values)
            column = header[col] if col < len(header) else f"第{col + 1}列"
            hits.append(Hit("CON-TOTAL", "合计", row.location, " | ".join(row.cells), {
                "table": f"“{table.caption}”" if table.caption else "该表", "column": column,
                "stated": stated.text, "expected": fmt(round(expected, 4))},
                unsure=_total_unsure(stated, expected, values, rounding)))
    return hits


def _two_sides(stated, values) -> bool:
    """A balance table lists what goes in, then what comes out (投入：片烟 268,400 | 产出：叶丝
    257,390 | …), and its 合计 is each side's total: the rows above it split, in order, into two
    runs that each add up to the 合计 (within their rounding)."""
    for k in range(1, len(values)):
        sides = (values[:k], values[k:])
        if all(abs(stated.number - sum(v.number for v in side))
               <= stated.half_unit + sum(v.half_unit for v in side) + 1e-9 for side in sides):
            return True
    return False


def _total_unsure(stated, expected: float, values, rounding: float) -> str:
    """A 合计 that misses the sum by exactly one row's value, or equals their mean, may total
    other rows than the reading took (a subtotal row, a row of another part): why, or ""."""
    exact = 1e-6 * max(1.0, abs(expected))  # printed figures add up exactly
    if any(abs(abs(stated.number - expected) - v.number) <= exact for v in values):
        return "合计与各行之和恰好相差其中一行，可能另有小计或分组"
    if abs(stated.number - expected / len(values)) <= max(rounding / len(values), exact):
        return "合计等于各行的平均值，该栏可能不是可加总的数值"
    return ""


def _option_columns(table: Table, cfg: IndicatorRules) -> tuple[int | None, int | None, int | None]:
    opts = cfg.options
    investment = find_column(table.header, opts.investment, exclude=opts.payback)
    benefit = find_column(table.header, opts.benefit)
    payback = find_column(table.header, opts.payback)
    return investment, benefit, payback


def _name_options(hits: list[Hit], names: dict[str, str]) -> None:
    """An option a table gives by number alone ("Z2") is quoted with its name from the options
    table ("Z2 骨料仓全封闭及皮带廊密闭"), so the consultant sees which option is meant."""
    for hit in hits:
        option = str(hit.fields.get("option", ""))
        if option in names:
            hit.fields["option"] = f"{option} {names[option]}"


def _option_name(row, table: Table) -> str:
    parts = [c for c in row.cells[:2] if c and value(c).number is None]
    return " ".join(parts) or row.cells[0]


def _cost_class_hits(table: Table, cfg: IndicatorRules, threshold: float) -> list[Hit]:
    """A table of one class (its caption says 无/低费 or 中/高费): every option against it."""
    opts, where = cfg.options, compare_key(caption_or_heading(table))
    low = any(compare_key(w) in where for w in opts.low_cost)
    high = any(compare_key(w) in where for w in opts.high_cost)
    if low == high or any(compare_key(w) in where for w in opts.summary):
        return []
    return _class_hits(table, cfg, threshold, lambda row: (low, high))


def _row_class_hits(table: Table, cfg: IndicatorRules, threshold: float) -> list[Hit]:
    """A table whose class column (方案类型) classes each option 无/低费 or 中/高费. Four tiers
    (无费/低费/中费/高费) have limits of their own and are not compared."""
    opts = cfg.options
    column = find_column(table.header, opts.class_columns)
    if column is None:
        return []

    def classes(row) -> tuple[bool, bool]:
        text = compare_key(cell(row, column))
        return (any(text == compare_key(w) for w in opts.low_cost),
                any(text == compare_key(w) for w in opts.high_cost))
    return _class_hits(table, cfg, threshold, classes)


def _class_hits(table: Table, cfg: IndicatorRules, threshold: float, classes) -> list[Hit]:
    investment = _option_columns(table, cfg)[0]
    if investment is None:
        return []
    money = cfg.unit_families["money"]  # unit → 元
    declared = money_unit(table, investment, money)
    hits = []
    for row in data_rows(table, cfg):
        amount = value(cell(row, investment))
        low, high = classes(row)
        if amount.number is None or low == high:
            continue
        # the cell's own unit ("8000元"), else the header's or the table's, else 万元
        unit = next((u for u in (amount.unit, declared) if u in money), "万元")
        wan = amount.number * money[unit] / money["万元"]
        if (low and wan >= threshold) or (high and wan < threshold):
            hits.append(Hit("CON-COST-CLASS", "无/低费方案" if low else "中/高费方案",
                            row.location, " | ".join(row.cells), {
                                "option": _option_name(row, table), "investment": fmt(wan),
                                "relation": "达到或超过" if low else "低于",
                                "threshold": fmt(threshold)}))
    return hits


def _payback_hits(table: Table, cfg: IndicatorRules, tol: float) -> list[Hit]:
    investment, benefit, payback = _option_columns(table, cfg)
    if None in (investment, benefit, payback):
        return []
    hits = []
    for row in data_rows(table, cfg):
        inv, gain = value(cell(row, investment)), value(cell(row, benefit))
        stated = value(cell(row, payback))
        if None in (inv.number, gain.number, stated.number) or not gain.number:
            continue
        expected = inv.number / gain.number
        if _MONTHS in table.header[payback]:  # "投资回收期（月）"
            expected *= 12
        if not agrees(stated, expected, tol):
            hits.append(Hit("CON-PAYBACK", "投资回收期", row.location, " | ".join(row.cells), {
                "option": _option_name(row, table), "stated": stated.text,
                "investment": inv.text, "benefit": gain.text,
                "expected": fmt(round(expected, 2))},
                unsure=_other_divisor(row, (investment, benefit, payback), inv.number, stated, tol)
                or _scaled(stated, expected, tol)))
    return hits


_MONTHS = "月"


def _other_divisor(row, used: tuple[int, ...], investment: float, stated, tol: float) -> str:
    """Another figure of the row the payback agrees with (a 年净收益 beside the 年经济效益, a
    运行费用 to subtract): the report may divide by it, so the mismatch is not certain."""
    for i, text in enumerate(row.cells):
        other = value(text)
        if i in used or not other.number or other.number <= 0:
            continue
        if agrees(stated, investment / other.number, tol):
            return f"投资 ÷ 同行的“{text}”与所写回收期一致，可能按另一项效益计算"
    return ""


def _unit_hits(table: Table, cfg: IndicatorRules) -> list[Hit]:
    families = cfg.unit_families
    family_of = {unit: name for name, units in families.items() for unit in units}
    hits = []
    for col, head in enumerate(table.header):
        cells = [(r, value(cell(r, col))) for r in table.rows[1:]]
        units = [(r, v.unit) for r, v in cells if v.number is not None and v.unit in family_of]
        declared = header_unit(head)
        counts = Counter(u for _, u in units)
        if declared in family_of and units:
            counts[declared] += 1
        # a list in the order the units appear (not a set: the message's order of two equally
        # common units must not depend on the hash seed)
        same_family = [u for u in counts if family_of[u] == family_of[next(iter(counts))]]
        if len(same_family) < 2:
            continue
        majority = counts.most_common(1)[0][0]
        # Every cell may agree while the header declares another unit: then the header row is
        # where the column disagrees with itself.
        odd = next((r for r, u in units if u != majority), table.rows[0])
        hits.append(Hit("CON-UNIT", majority, odd.location, " | ".join(odd.cells), {
            "column": head, "units": "、".join(sorted(same_family, key=lambda u: -counts[u]))}))
    return hits


def _stated_threshold(report: Report, cfg: IndicatorRules) -> float | None:
    return report.stated_figure(cfg.options.threshold_pattern, tuple(cfg.options.threshold_words))
