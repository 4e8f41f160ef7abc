"""Targets: a claim that a target was met (达到, 已完成) against the achieved value, and the
rates of target tables against their baseline. The target is the row's own target column, a
bound written in the claim ("达到（≥40%）"), or the one the report's target table (表2-4 清洁生产
目标) sets for the same indicator; its sign (≥ / ≤) says which way is better, else the
indicator's name does (回用率, 去除率 … higher is better).
"""

from __future__ import annotations

import re

from assistant.numbers import NUMBER_IN_TEXT, SCALE_IN_TEXT
from assistant.textfold import compare_key
from checkers.findings import Hit
from checkers.indicators import cell, data_rows
from checkers.report import Report, Table
from checkers.rule_models import IndicatorRules
from checkers.tables import agrees, find_column, fmt, indicator, percent_text, value

# A target stated inside the status cell: "达到（≥40%）", "已完成（目标≤105.0）", "完成（不低于95）".
# the number by the one number pattern: "≤2,100", "≥1.2×10⁴", "≤3.5万" (35000; in "≤3.5万t" the
# 万 is the unit's, as in the value it bounds)
_BOUND = re.compile(r"(?P<op>≥|>=|＞=|不低于|不少于|≤|<=|不高于|不超过|不大于)\s*"
                    rf"(?P<n>{NUMBER_IN_TEXT}{SCALE_IN_TEXT})")
_AT_LEAST = ("≥", ">=", "＞=", "不低于", "不少于")
BOUND, AT_LEAST = _BOUND, _AT_LEAST  # shared with checkers/summary_targets.py


def _claims_done(claim: str, done_words: list[str]) -> bool:
    """"达到", "已完成（目标≤105.0）", "达到≥40%的目标": a claim that the target was met. A
    one-character word (是, √) must stand alone; longer ones may open a remark."""
    return any(claim == w or len(w) >= 2 and claim.startswith(w) for w in done_words)


def _label_key(label: str) -> str:
    return compare_key(re.sub(r"[（(][^）)]*[）)]", "", label))


def stated_targets(report: Report, cfg: IndicatorRules) -> dict[str, list[tuple[str, str, str]]]:
    """The targets the report sets in its target tables (表2-4 清洁生产目标: 指标 | 单位 | 现状 |
    近期目标 …), by indicator label and by canonical name: (label, unit, target text). Targets
    not yet due (中远期) are not among them."""
    cols = cfg.columns
    found: dict[str, list[tuple[str, str, str]]] = {}
    for table in report.tables:
        target = find_column(table.header, cols.target, exclude=cols.target_skip + cols.status)
        if target is None or find_column(table.header, cols.after) is not None:
            continue
        label = find_column(table.header, cols.label) or 0
        unit = find_column(table.header, cols.unit)
        for row in data_rows(table, cfg):
            name, goal = cell(row, label), cell(row, target)
            if not name or not _BOUND.search(goal) and value(goal).number is None:
                continue
            entry = (name, cell(row, unit), goal)
            found.setdefault(_label_key(name), []).append(entry)
            if (known := indicator(name, cfg)).known:
                found.setdefault("=" + known.name, []).append(entry)
    return found


def target_elsewhere(name: str, unit: str, targets, cfg: IndicatorRules) -> tuple[str, str]:
    """The target text another table sets for this indicator and how it was matched: the same
    label ("label"), else the one target of the same known indicator ("name"); ("", "") when
    there is none, or it is in another unit."""
    entries, matched = targets.get(_label_key(name)), "label"
    if not entries and (known := indicator(name, cfg)).known:
        entries, matched = targets.get("=" + known.name), "name"
    if not entries or len(entries) > 1:
        return "", ""
    _, their_unit, goal = entries[0]
    if unit and their_unit and compare_key(unit) != compare_key(their_unit):
        return "", ""
    return goal, matched


def target_hits(table: Table, cfg: IndicatorRules, targets) -> list[Hit]:
    cols, header = cfg.columns, table.header
    target = find_column(header, cols.target, exclude=cols.target_skip + cols.status)
    after = find_column(header, cols.after)
    status = find_column(header, cols.status)
    if status is None and target is None:
        status = find_column(header, cols.remark)  # "达到≥40%的目标" written as a remark
    label = find_column(header, cols.label) or 0
    unit = find_column(header, cols.unit)
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
        unsure = []  # what the comparison had to assume (the finding is then a warning)
        if target is None and bound is None:  # "达到" here, the target in the targets table
            elsewhere, matched = target_elsewhere(name, cell(row, unit), targets, cfg)
            if not (bound := _BOUND.search(elsewhere)) and value(elsewhere).number is not None:
                goal = value(elsewhere)
            if matched == "name":
                unsure.append(f"目标取自目标表中同类指标“{elsewhere}”，按指标类别对应")
        if goal is not None and goal.number is None and (signed := _BOUND.search(goal.text)):
            bound, goal = signed, None  # "≤5624" in the target column: its sign says which way
        if goal is not None and goal.number is not None:
            higher_better = any(w in name for w in cfg.increase_words)
            if sign := _BOUND.search(goal.text):  # "≥90" says which way, whatever the name
                higher_better = sign.group("op") in _AT_LEAST
            elif not higher_better and not any(w in name for w in cfg.decrease_words):
                # no ≥/≤ and a name that says neither way: lower-is-better is an assumption
                unsure.append("目标未写“≥/≤”，指标名称也未表明方向，按越低越好判断")
            limit, margin, text = goal.number, max(goal.half_unit, achieved.half_unit), goal.text
        elif bound is not None:  # the target is written in the claim itself: its sign says which way
            higher_better = bound.group("op") in _AT_LEAST
            limit = value(bound.group("n")).number
            if limit is None:
                continue
            margin, text = max(value(bound.group("n")).half_unit, achieved.half_unit), bound.group(0)
        else:
            continue
        # a target is met or not: no tolerance beyond the rounding of the print
        missed = achieved.number < limit - margin if higher_better else achieved.number > limit + margin
        if missed:
            hits.append(Hit("CON-TARGET", indicator(name, cfg).name, row.location,
                            " | ".join(row.cells), {"label": name, "target": text,
                                                     "after": achieved.text, "status": claim},
                            unsure="；".join(unsure)))
    return hits


def target_rate_hits(table: Table, cfg: IndicatorRules, tol: float) -> list[Hit]:
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
            # another target or achieved column the rate agrees with is a reading that holds
            readings = [value(cell(row, i)).number for i in left[:-1]]
            if any(n is not None and agrees(rate, abs(base.number - n) / abs(base.number) * 100,
                                            tol, signed=False) for n in readings):
                continue
            if not agrees(rate, expected, tol, signed=False):
                name = cell(row, label)
                hits.append(Hit("CON-PERCENT", indicator(name, cfg).name, row.location,
                                " | ".join(row.cells), {
                                    "label": name, "column": header[rate_col],
                                    "stated": percent_text(rate),
                                    "expected": fmt(round(expected, 2)),
                                    "formula": f"({base.text} − {other.text}) ÷ {base.text}"}))
    return hits
