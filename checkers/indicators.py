"""Indicator completeness: the before/after tables, the industry's required indicators, each
row's before and after values and unit, the economic results, and the 清洁生产改造计划 form."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.numbers import NUMBER_IN_TEXT
from assistant.textfold import compare_key
from checkers.findings import Hit
from checkers.report import Location, Report, Row, Table
from checkers.rule_models import IndicatorRules
from checkers.rules import Config
from checkers.tables import caption_or_heading, find_column, header_unit, indicator, pattern_search, value


@dataclass
class Columns:
    label: int
    unit: int | None
    before: int
    after: int
    reduction: int | None
    rate: int | None


def before_after_columns(table: Table, config: IndicatorRules) -> Columns | None:
    """Columns of a before/after table; None for baseline, target and other tables."""
    cols, header = config.columns, table.header
    before = find_column(header, cols.before)
    after = find_column(header, cols.after)
    if before is None or after is None:
        before, after = _year_columns(table, config)
    if before is None or after is None:
        return None  # a target table (现状值 | 目标值) or a baseline table
    # a before/after table may also carry the targets ("审核前 | 审核后 | 变化量 | 近期目标 | 完成
    # 情况"); one whose "after" is a target column is a target table
    target = find_column(header, cols.target, exclude=cols.status)
    if target is not None and target in (before, after):
        return None
    label = find_column(header, cols.label)
    return Columns(
        label=label if label is not None and label < before else 0,
        unit=find_column(header, cols.unit), before=before, after=after,
        reduction=find_column(header, cols.reduction), rate=find_column(header, cols.rate),
    )


_YEAR = re.compile(r"^((?:19|20)\d{2})\s*年度?(?:[（(][^）)]*[）)])?$")


def _year_columns(table: Table, config: IndicatorRules) -> tuple[int | None, int | None]:
    """(before, after) of a comparison table that names its value columns by year: its caption
    says 审核前后 … and exactly two header cells are years ("2023年", "2024年（审核后）")."""
    caption = compare_key(table.caption or "")
    if not any(compare_key(w) in caption for w in config.columns.comparison_captions):
        return None, None
    years = [(int(m.group(1)), i) for i, h in enumerate(table.header)
             if (m := _YEAR.match(compare_key(h)))]
    if len(years) != 2 or years[0][0] == years[1][0]:
        return None, None
    (_, before), (_, after) = sorted(years)
    return before, after


def data_rows(table: Table, cfg: IndicatorRules) -> list[Row]:
    """The rows that hold values: not the header, not a 合计, not a group row ("能源消耗指标"
    across the table) — unless that "group" names a known indicator whose values are blank."""
    words = cfg.totals.words
    return [r for r in table.rows[1:]
            if r.cells and not any(c.strip() in words for c in r.cells)
            and not (r.kind == "group" and not indicator(r.cells[0], cfg).known)]


def cell(row: Row, index: int | None) -> str:
    return row.cells[index] if index is not None and index < len(row.cells) else ""


def check_indicators(report: Report, config: Config) -> list[Hit]:
    cfg = config.indicators
    hits: list[Hit] = []
    present: set[str] = set()
    kinds: set[str] = set()
    tables = [(t, c) for t in report.tables if (c := before_after_columns(t, cfg)) is not None]
    for table, cols in tables:
        for row in data_rows(table, cfg):
            label = cell(row, cols.label)
            if not label:
                continue
            found = indicator(label, cfg)
            present.add(found.name)
            kinds.add(found.kind)
            present.add(found.name.removeprefix("单位产品"))  # 单位产品综合能耗 reports energy too
            hits += _row_hits(table, row, cols, found.name, label)
    if not tables:
        where = report.headings[-1].location if report.headings else Location()
        # Certain when nothing compares before and after; a table or sentence that names
        # 审核前/审核后 in a shape the reading did not take is evidence of a comparison.
        words = cfg.columns.before + cfg.columns.after
        seen = next((w for w in words for t in report.tables for r in t.rows[:3]
                     if any(w in c for c in r.cells)), "") or next(
            (w for w in words for p in report.paragraphs
             if w in p.text and _FIGURE.search(p.text)), "")
        hits.append(Hit("IND-TABLE-MISSING", "审核前后指标对比表", where, "", unsure=(
            f"报告中有“{seen}”的数据，但未能读成审核前后两栏的对比表" if seen else "")))
    else:
        first = tables[-1][0]
        targets = None
        for name in config.required_indicators:
            if name in present or _kind_stands_in(name, kinds, cfg):
                continue
            # Absent from the whole report, for an industry whose indicators are known: an
            # error. Named elsewhere, or asked of every enterprise alike (the general profile):
            # the comparison covers what the audit set out to change, so it is a question only
            # when the report set a target for it (表2-4 清洁生产目标) and then left it out.
            nowhere = not mentioned(report, name, cfg)
            if not nowhere or config.industry.name == "general":
                if targets is None:
                    from checkers.targets import stated_targets  # targets reads this module's rows
                    targets = stated_targets(report, cfg)
                if "=" + name not in targets:
                    continue
            rule = "IND-REQUIRED-MISSING" if nowhere and config.industry.name != "general" \
                else "IND-REQUIRED-NOT-COMPARED"
            hits.append(Hit(rule, name, first.location, first.caption or "",
                            {"industry": config.industry.title},
                            unsure=_guessed_industry(config) or _burns_nothing(report, name, cfg)))
    hits += _economic_hits(report, cfg)
    hits += _plan_hits(report, cfg)
    return hits


_FIGURE = re.compile(r"\d")
_MONEY = re.compile(rf"{NUMBER_IN_TEXT}\s*万元")


def _guessed_industry(config: Config) -> str:
    """Why an industry's own requirement is not certain: the industry was guessed from the
    report's wording (config.industry_guess), not given or stated in the cover's 行业 field."""
    return f"行业由报告文字推断（{config.industry_guess}）" if config.industry_guess else ""


def _burns_nothing(report: Report, name: str, cfg: IndicatorRules) -> str:
    """Why a combustion pollutant may not apply: the report names nothing that burns."""
    burning = cfg.combustion
    if burning is None or name not in burning.indicators:
        return ""
    keys = [compare_key(text) for text in _texts(report)]
    if any(compare_key(w) in key for w in burning.sources for key in keys):
        return ""
    fuel = next((w for w in burning.fuels for key in keys if compare_key(w) in key), "")
    if fuel:
        return f"报告提及“{fuel}”，但未提及窑、炉等固定燃烧设施，“{name}”可能不在对比范围"
    return f"报告未提及窑、炉或燃料等燃烧源，“{name}”可能不适用"


def _kind_stands_in(name: str, kinds: set[str], cfg: IndicatorRules) -> bool:
    """Energy and water are asked for as a whole: any energy indicator (电耗, 天然气 …) reports
    energy use, any water indicator reports water use; a named pollutant must be itself."""
    entry = next((e for e in cfg.indicators if e.name == name), None)
    return entry is not None and entry.kind in ("energy", "water") and entry.kind in kinds


def mentioned(report: Report, name: str, cfg: IndicatorRules) -> bool:
    """Does the report name the indicator anywhere (any heading, paragraph, caption or cell)?
    The second reading of IND-REQUIRED-MISSING (checkers/absence.py reads the other absences)."""
    entry = next((e for e in cfg.indicators if e.name == name), None)
    words = [name] if entry is None else entry.patterns
    return any(pattern_search(w, compare_key(text)) for w in words for text in _texts(report))


def _texts(report: Report) -> list[str]:
    """Every heading, paragraph, caption and cell of the report, as written."""
    return ([h.text for h in report.headings] + [p.text for p in report.paragraphs]
            + [t.caption or "" for t in report.tables]
            + [c for t in report.tables for r in t.rows for c in r.cells])


def _row_hits(table: Table, row: Row, cols: Columns, name: str, label: str) -> list[Hit]:
    hits = []
    header = table.header
    evidence = " | ".join(row.cells)
    missing, odd = [], []
    for index in (cols.before, cols.after):
        # "—" (did not exist / does not apply), "/" (none) and 未检出 state a value's absence;
        # only a blank cell is missing, and only words where a value belongs are not a value.
        v = value(cell(row, index))
        if v.meaning == "blank":
            missing.append(header[index])
        elif v.meaning == "text":
            odd.append((header[index], v.text))
    if missing:
        # a row blank in every value cell may be a group heading ("能源消耗" across the table)
        # that the reading took for an indicator
        empty = all(not c.strip() for i, c in enumerate(row.cells) if i != cols.label)
        hits.append(Hit("IND-VALUE-MISSING", name, row.location, evidence,
                        {"label": label, "columns": "、".join(missing)},
                        unsure="该行除名称外全部空白，可能是分组标题行" if empty else ""))
    for column, text in odd:  # words are no value; digits in a notation not read may be one
        hits.append(Hit("IND-VALUE-NONNUMERIC", name, row.location, evidence,
                        {"label": label, "column": column, "value": text},
                        unsure="单元格含数字，可能是未能识别的数值写法" if _FIGURE.search(text) else ""))
    if cols.unit is not None and not cell(row, cols.unit).strip():
        inline = value(cell(row, cols.before)).unit or value(cell(row, cols.after)).unit
        if not inline and not header_unit(header[cols.before]):
            hits.append(Hit("IND-UNIT-MISSING", name, row.location, evidence, {"label": label}))
    return hits


def _economic_hits(report: Report, cfg: IndicatorRules) -> list[Hit]:
    headers = " ".join(c for t in report.tables for c in t.header)
    hits = []
    for item in cfg.economic:
        in_table = any(p in headers for p in item.patterns)
        in_text = any(re.search(rf"{p}[^。；]{{0,12}}?{NUMBER_IN_TEXT}\s*万元", p_.text)
                      for p in item.patterns for p_ in report.paragraphs)
        if not (in_table or in_text):
            where = report.headings[-1].location if report.headings else Location()
            money = any("万元" in c for t in report.tables for c in t.header) or any(
                _MONEY.search(p.text) for p in report.paragraphs)
            hits.append(Hit("IND-ECONOMIC-MISSING", item.name, where, "", unsure=(
                "报告中有以万元计的金额，但未能确认其为该项" if money else "")))
    return hits


def _plan_hits(report: Report, cfg: IndicatorRules) -> list[Hit]:
    plan = cfg.plan_table
    tables = [t for t in report.tables
              if any(compare_key(c) in compare_key(caption_or_heading(t)) for c in plan.captions)]
    if not tables:
        return [Hit("IND-PLAN-MISSING", "清洁生产改造计划", Location(), "")]
    hits = []
    for table in tables:
        for field in plan.fields:
            if find_column(table.header, field.synonyms) is None:
                hits.append(Hit("IND-PLAN-FIELD-MISSING", field.name, table.location,
                                " | ".join(table.header)))
    return hits
