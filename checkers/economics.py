"""Economic evaluation: a net present value and an internal rate of return that contradict.

For an option with one investment and positive yearly benefits, NPV at the discount rate is
negative exactly when the IRR is below that rate. So an option table that prints a negative
净现值 beside an IRR above the report's 基准折现率 (or a positive one beside an IRR below it)
contradicts itself, whatever its cash flows were. The rate is the report's own ("基准折现率取
8%"); without one stated, 8 % is assumed and the finding says so.
"""

from __future__ import annotations

from checkers.findings import Hit
from checkers.indicators import cell, data_rows
from checkers.report import Report, Table
from checkers.rule_models import IndicatorRules
from checkers.rules import Config
from checkers.tables import find_column, fmt, value

_ASSUMED_RATE = 8.0  # the common 基准收益率 of cleaner-production feasibility analyses


def check_economics(report: Report, config: Config) -> list[Hit]:
    opts = config.indicators.options
    if not (opts.npv and opts.irr):
        return []
    rate = report.stated_figure(opts.discount_pattern)
    hits: list[Hit] = []
    for table in report.tables:
        hits += _npv_irr_hits(table, config.indicators, rate)
    return hits


def _npv_irr_hits(table: Table, cfg: IndicatorRules, rate: float | None) -> list[Hit]:
    opts = cfg.options
    npv_col = find_column(table.header, opts.npv)
    irr_col = find_column(table.header, opts.irr)
    if npv_col is None or irr_col is None or npv_col == irr_col:
        return []
    benefit_col = find_column(table.header, opts.benefit)
    threshold = _ASSUMED_RATE if rate is None else rate
    hits = []
    for row in data_rows(table, cfg):
        npv, irr = value(cell(row, npv_col)), value(cell(row, irr_col))
        if npv.number is None or irr.number is None or not npv.number:
            continue
        if benefit_col is not None:  # the sign argument needs benefits that are gains
            gain = value(cell(row, benefit_col))
            if gain.number is not None and gain.number <= 0:
                continue
        # an IRR printed at the rate itself (8.0 beside NPV −0.3) is rounding, not a contradiction
        if npv.number < 0 and irr.number > threshold:
            relation = "高于"
        elif npv.number > 0 and irr.number < threshold:
            relation = "低于"
        else:
            continue
        hits.append(Hit("CON-NPV-IRR", row.cells[0].strip() or "经济评估", row.location,
                        " | ".join(row.cells), {
                            "option": row.cells[0].strip(), "npv": npv.text, "irr": irr.text,
                            "relation": relation, "rate": fmt(threshold)},
                        unsure="" if rate is not None else
                        f"报告未写明基准折现率，按 {fmt(_ASSUMED_RATE)}% 判断"))
    return hits
