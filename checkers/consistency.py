"""Consistency: numbers that must agree with each other.

Stated reduction vs before − after; percentages vs their base; 合计 vs the sum of its rows;
无/低费 and 中/高费 labels vs investment; payback vs investment ÷ annual benefit; targets vs
achieved values; one unit per column. Tolerance: tolerance_pct of the computed value, or the
rounding of the printed figure, whichever is larger — except 合计, a sum of printed figures,
which must agree up to their rounding alone.
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.budget import checkpoint
from assistant.textfold import compare_key
from checkers.findings import Hit
from checkers.indicators import before_after_columns, cell, data_rows
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
    percent_text,
    value,
)


def check_consistency(report: Report, config: Config) -> list[Hit]:
    cfg, tol = config.indicators, config.thresholds.tolerance_pct
    threshold = _stated_threshold(report, cfg) or config.thresholds.low_cost_max_wan
    hits: list[Hit] = []
    for table in report.tables:
        checkpoint()
        hits += _reduction_hits(table, cfg, tol)
        hits += _target_hits(table, cfg, tol)
        hits += _target_rate_hits(table, cfg, tol)
        hits += _total_hits(table, cfg)
        hits += _cost_class_hits(table, cfg, threshold)
        hits += _payback_hits(table, cfg, tol)
        hits += _unit_hits(table, cfg)
    return hits


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
                "before": before.text, "after": after.text, "expected": fmt(abs(change))}))
        rate = value(cell(row, cols.rate))
        if rate.number is not None and before.number:
            expected = abs(change) / abs(before.number) * 100
            if not agrees(rate, expected, tol, signed=False):
                hits.append(Hit("CON-PERCENT", name, row.location, evidence, {
                    "label": label, "column": table.header[cols.rate], "stated": percent_text(rate),
                    "expected": fmt(round(expected, 2)),
                    "formula": f"({before.text} − {after.text}) ÷ {before.text}"}))
    return hits


# A target stated inside the status cell: "达到（≥40%）", "已完成（目标≤105.0）", "完成（不低于95）".
_BOUND = re.compile(r"(?P<op>≥|>=|＞=|不低于|不少于|≤|<=|不高于|不超过|不大于)\s*(?P<n>-?\d+(?:\.\d+)?)")
_AT_LEAST = ("≥", ">=", "＞=", "不低于", "不少于")


def _claims_done(claim: str, done_words: list[str]) -> bool:
    """"达到", "已完成（目标≤105.0）", "达到≥40%的目标": a claim that the target was met. A
    one-character word (是, √) must stand alone; longer ones may open a remark."""
    return any(claim == w or len(w) >= 2 and claim.startswith(w) for w in done_words)


def _target_hits(table: Table, cfg: IndicatorRules, tol: float) -> list[Hit]:
    cols, header = cfg.columns, table.header
    target = find_column(header, cols.target, exclude=cols.target_skip + cols.status)
    after = find_column(header, cols.after)
    status = find_column(header, cols.status)
    if status is None and target is None:
        status = find_column(header, cols.remark)  # "达到≥40%的目标" written as a remark
    label = find_column(header, cols.label) or 0
    if after is None or status is None:
        return []
    hits = []
    for row in data_rows(table, cfg):
        achieved, claim = value(cell(row, after)), cell(row, status).strip()
        if achieved.number is None or not _claims_done(claim, cfg.done_words):
            continue
        name = cell(row, label)
        goal = value(cell(row, target)) if target is not None else None
        bound = _BOUND.search(claim)
        if goal is not None and goal.number is not None:
            higher_better = any(w in name for w in cfg.increase_words)
            limit, margin, text = goal.number, max(goal.half_unit, achieved.half_unit), goal.text
        elif bound is not None:  # the target is written in the claim itself: its sign says which way
            higher_better = bound.group("op") in _AT_LEAST
            limit, margin, text = float(bound.group("n")), achieved.half_unit, bound.group(0)
        else:
            continue
        # a target is met or not: no tolerance beyond the rounding of the print
        missed = achieved.number < limit - margin if higher_better else achieved.number > limit + margin
        if missed:
            hits.append(Hit("CON-TARGET", indicator(name, cfg).name, row.location,
                            " | ".join(row.cells), {"label": name, "target": text,
                                                     "after": achieved.text, "status": claim}))
    return hits


def _target_rate_hits(table: Table, cfg: IndicatorRules, tol: float) -> list[Hit]:
    """Rates in target tables: each against the baseline and the nearest target (or achieved)
    column to its left — "近期降低率" after "近期目标值", "实际降低率" after "审核后"."""
    cols, header = cfg.columns, table.header
    if find_column(header, cols.target, exclude=cols.status) is None:
        return []
    baseline = find_column(header, cols.baseline)
    label = find_column(header, cols.label) or 0
    compared = sorted(i for i, h in enumerate(header)
                      if any(compare_key(w) in compare_key(h) for w in cols.target + cols.after)
                      and not any(compare_key(w) in compare_key(h) for w in cols.rate))
    hits = []
    for rate_col in (i for i, h in enumerate(header)
                     if any(compare_key(w) in compare_key(h) for w in cols.rate)):
        left = [i for i in compared if i < rate_col]
        if baseline is None or not left:
            continue
        for row in data_rows(table, cfg):
            base, other = value(cell(row, baseline)), value(cell(row, left[-1]))
            rate = value(cell(row, rate_col))
            if None in (base.number, other.number, rate.number) or not base.number:
                continue
            expected = abs(base.number - other.number) / abs(base.number) * 100
            if not agrees(rate, expected, tol, signed=False):
                name = cell(row, label)
                hits.append(Hit("CON-PERCENT", indicator(name, cfg).name, row.location,
                                " | ".join(row.cells), {
                                    "label": name, "column": header[rate_col],
                                    "stated": percent_text(rate),
                                    "expected": fmt(round(expected, 2)),
                                    "formula": f"({base.text} − {other.text}) ÷ {base.text}"}))
    return hits


def _total_hits(table: Table, cfg: IndicatorRules) -> list[Hit]:
    words, sub = cfg.totals.words, cfg.totals.subtotal_words
    skip = cfg.totals.skip_columns
    hits, start = [], 1
    for n, row in enumerate(table.rows[1:], start=1):
        if not any(c.strip() in words for c in row.cells):
            continue
        body = [r for r in table.rows[start:n] if not any(c.strip() in sub for c in r.cells)]
        start = n + 1
        for col, stated_text in enumerate(row.cells):
            stated = value(stated_text)
            if stated.number is None or any(w in table.header[col] for w in skip if col < len(
                    table.header)):
                continue
            values = [v for r in body if (v := value(cell(r, col))).number is not None]
            if len(values) < 2:
                continue
            expected = sum(v.number for v in values)
            # A sum of printed figures is exact up to their rounding: a percentage tolerance
            # would pass 8882.0 for 8828.0 (transposed digits, 0.6 %).
            rounding = stated.half_unit + sum(v.half_unit for v in values) + 1e-9
            if abs(stated.number - expected) > rounding:
                column = table.header[col] if col < len(table.header) else f"第{col + 1}列"
                hits.append(Hit("CON-TOTAL", "合计", row.location, " | ".join(row.cells), {
                    "column": column, "stated": stated.text, "expected": fmt(round(expected, 4))}))
    return hits


def _option_columns(table: Table, cfg: IndicatorRules) -> tuple[int | None, int | None, int | None]:
    opts = cfg.options
    investment = find_column(table.header, opts.investment, exclude=opts.payback)
    benefit = find_column(table.header, opts.benefit)
    payback = find_column(table.header, opts.payback)
    return investment, benefit, payback


def _option_name(row, table: Table) -> str:
    parts = [c for c in row.cells[:2] if c and value(c).number is None]
    return " ".join(parts) or row.cells[0]


def _cost_class_hits(table: Table, cfg: IndicatorRules, threshold: float) -> list[Hit]:
    opts, where = cfg.options, compare_key(caption_or_heading(table))
    low = any(compare_key(w) in where for w in opts.low_cost)
    high = any(compare_key(w) in where for w in opts.high_cost)
    investment = _option_columns(table, cfg)[0]
    if low == high or investment is None or any(compare_key(w) in where for w in opts.summary):
        return []
    money = cfg.unit_families["money"]  # unit → 元
    declared = header_unit(table.header[investment])
    hits = []
    for row in data_rows(table, cfg):
        amount = value(cell(row, investment))
        if amount.number is None:
            continue
        # the cell's own unit ("8000元"), else the header's, else 万元
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
        if not agrees(stated, expected, tol):
            hits.append(Hit("CON-PAYBACK", "投资回收期", row.location, " | ".join(row.cells), {
                "option": _option_name(row, table), "stated": stated.text,
                "investment": inv.text, "benefit": gain.text,
                "expected": fmt(round(expected, 2))}))
    return hits


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
        same_family = {u for u in counts if family_of[u] == family_of[next(iter(counts))]} \
            if counts else set()
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
    pattern = re.compile(cfg.options.threshold_pattern)
    for para in report.paragraphs:
        if not any(w in para.text for w in cfg.options.threshold_words):
            continue
        if m := pattern.search(para.text):
            return float(next(g for g in m.groups() if g))
    return None
