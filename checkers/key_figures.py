"""Key figures of the report's summary (前言, 摘要, 结论) against its tables, as reviewers
check them: the total investment and the annual benefit the summary states must be a total the
option tables give (one table's 合计, or all of them together); the number of options it states
must be what the option tables list. A figure said of a number of options ("共实施方案11项，总投资
722.0万元") must be a total of that many options: a part (the 4 中/高费 options' 722.0) restated
as the whole is the classic slip.

A disagreement is a warning, not an error: a summary may count planned and implemented options
differently, so the finding asks the author to check rather than declaring the figure wrong.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.cnnum import cn_to_int
from assistant.numbers import NUMBER_IN_TEXT
from assistant.textfold import compare_key
from checkers.findings import Hit
from checkers.report import Paragraph, Report, Table
from checkers.rules import Config
from checkers.tables import agrees, find_column, fmt, money_unit, value

_ANY_COUNT = re.compile(r"(?:\d+|[一二两三四五六七八九十百]+)项")
_AMOUNT = rf"[^\d。；]{{0,10}}?(?P<n>{NUMBER_IN_TEXT})\s*(?P<unit>万元|亿元|元)"
# the option tables print 万元: a figure in 亿元 or 元 is read at that scale; one in 元 may
# also restate a table printed in 元 (no table unit is assumed where another reading holds)
_SCALES = {"万元": (1.0,), "亿元": (10000.0,), "元": (1e-4, 1.0)}


def check_key_figures(report: Report, config: Config) -> list[Hit]:
    cfg = config.indicators
    hits: list[Hit] = []
    summary = summary_paragraphs(report, cfg.key_figures.summary_headings)
    approximate = cfg.key_figures.approximate_words
    count = re.compile(cfg.key_figures.option_count.pattern)
    for figure in cfg.key_figures.figures:
        counted = _table_totals(report, figure.columns, figure.exclude_columns, cfg.totals.words,
                                cfg.totals.subtotal_words, cfg.key_figures.option_count.count_columns,
                                cfg.unit_families["money"])
        if not counted:
            continue
        totals = [t for t, _ in counted]
        candidates = _subset_sums(counted) + _class_sums(report, figure, cfg)
        phrases = "|".join(map(re.escape, figure.phrases))
        pattern = re.compile(rf"(?:{phrases}){_AMOUNT}")
        seen: set[str] = set()
        for para in summary:
            for m in pattern.finditer(para.text):
                printed = value(m.group("n"))
                if printed.number is None or m.group("n") in seen:
                    continue
                said = m.group(0) + para.text[m.end():m.end() + 2]
                options = _options_said(para.text, m.start(), count)
                accepted = [t for t, n in candidates if n == options] or [
                    t for t, _ in candidates]  # no total of that many options: cannot tell
                # restated totals agree to their rounding; "约…" to its last significant digit
                rough = any(w in said for w in approximate)
                if any(_restates(printed, m.group("n"), scale, t, rough)
                       for scale in _SCALES[m.group("unit")] for t in accepted):
                    continue
                seen.add(m.group("n"))
                hits.append(Hit("CON-KEY-FIGURE", figure.name, para.location, m.group(0), {
                    "stated": f"{m.group('n')} {m.group('unit')}",
                    "tables": "、".join(dict.fromkeys(fmt(t) for t in totals)) + " 万元"}))
    hits += _option_count_hits(report, config, summary)
    return hits


def _options_said(text: str, at: int, count: re.Pattern) -> int | None:
    """The number of options the figure's sentence gives before it ("本轮审核共实施方案11项，
    总投资…" → 11), or None."""
    start = max(text.rfind(stop, 0, at) for stop in "。；！？") + 1
    found = list(count.finditer(text, start, at))
    if not found:
        return None
    between = text[found[-1].end():at]
    if "其中" in between or _ANY_COUNT.search(between):
        return None  # "…方案12项，其中无/低费方案8项，投资36.1万元": the figure is a part's
    said = found[-1].group("n") or found[-1].group("m")
    return int(said) if said.isdigit() else cn_to_int(said)


def _restates(printed, text: str, scale: float, total: float, rough: bool) -> bool:
    """Does a figure (printed as `text`, in units of `scale` 万元) restate a table total? Up to
    its own rounding; a figure said to be approximate ("约2550万元", "近2600万元", "逾2500万元")
    up to one unit of its last significant digit (2550: ten 万元; 1046: one), so that a figure
    rounded from transposed digits ("约1046万元" for 1054.6) is not taken for an approximation."""
    stated = replace(printed, number=printed.number * scale, half_unit=printed.half_unit * scale)
    if agrees(stated, total, 0.0):
        return True
    if not rough:
        return False
    whole, _, decimals = text.replace(",", "").partition(".")
    step = 10.0 ** -len(decimals) if decimals else 10.0 ** (len(whole) - len(whole.rstrip("0")))
    return abs(stated.number - total) < step * scale + 1e-9


def _option_count_hits(report: Report, config: Config, summary: list[Paragraph]) -> list[Hit]:
    rule = config.indicators.key_figures.option_count
    tables = _option_names(report, rule.name_columns, config)
    if not tables:
        return []
    counts = [len(names) for names in tables]
    accepted = set(counts) | {len(set().union(*tables))} | {
        a + b for i, a in enumerate(counts) for b in counts[i + 1:]}
    pattern = re.compile(rule.pattern)
    for para in summary:
        for m in pattern.finditer(para.text):
            said = m.group("n") or m.group("m")
            stated = int(said) if said.isdigit() else cn_to_int(said)
            if stated is None or stated in accepted:
                continue
            shown = "、".join(str(c) for c in dict.fromkeys(sorted(accepted)))
            return [Hit("CON-KEY-FIGURE", rule.name, para.location, m.group(0),
                        {"stated": f"{said} 项", "tables": f"{shown} 项"})]
    return []


def _option_names(report: Report, name_columns: list[str], config: Config) -> list[set[str]]:
    """Per option table (a name column and an investment column), its options' names."""
    words = config.indicators.totals.words + config.indicators.totals.subtotal_words
    out = []
    for table in report.tables:
        col = find_column(table.header, name_columns)
        if col is None or find_column(table.header, config.indicators.options.investment) is None:
            continue
        names = {compare_key(r.cells[col]) for r in table.rows[1:]
                 if r.kind == "data" and col < len(r.cells) and r.cells[col].strip()
                 and not any(w in c for c in r.cells for w in words)}
        if names:
            out.append(names)
    return out


def _class_sums(report: Report, figure, cfg) -> list[tuple[float, int]]:
    """The options of one class together, per table with a class column (方案类型): a summary
    may state the 无/低费 options' benefit alone; with four tiers (无费/低费/中费/高费) any
    tiers together (无费 + 低费 = 无/低费). Each sum with the number of options it covers."""
    sums: list[tuple[float, int]] = []
    counts = cfg.key_figures.option_count.count_columns
    for table in report.tables:
        col = find_column(table.header, figure.columns, exclude=figure.exclude_columns)
        kind = find_column(table.header, cfg.options.class_columns)
        if col is None or kind is None:
            continue
        by_class: dict[str, tuple[float, int]] = {}
        for row in table.rows[1:]:
            amount = value(row.cells[col]).number if col < len(row.cells) else None
            label = row.cells[kind].strip() if kind < len(row.cells) else ""
            if amount is not None and label and not any(
                    c.strip() in cfg.totals.words for c in row.cells):
                total, n = by_class.get(label, (0.0, 0))
                by_class[label] = (total + amount,
                                   n + _options_of(table, [row], counts, figure.columns))
        if 1 < len(by_class) <= 6:
            scale = in_wan(table, col, cfg.unit_families["money"])
            sums += _subset_sums([(v * scale, n) for v, n in by_class.values()])
    return sums


def _options_of(table: Table, rows: list, count_columns: list[str], exclude: list[str]) -> int:
    """How many options the rows stand for: one each, or a count column's sum ("数量（项）")."""
    col = find_column(table.header, count_columns, exclude=exclude)
    if col is None:
        return len(rows)
    counts = [value(r.cells[col]).number if col < len(r.cells) else None for r in rows]
    return int(sum(c for c in counts if c is not None))


def _subset_sums(totals: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """Every figure the tables can add up to, with the number of options it covers: one
    table's total, or several tables' together (无/低费 + 中/高费), each table counted once; at
    most the first 10 tables."""
    sums = {(0.0, 0)}
    for total, n in totals[:10]:
        sums |= {(s + total, k + n) for s, k in sums}
    return sorted(sums - {(0.0, 0)})


def summary_paragraphs(report: Report, headings: list[str]) -> list[Paragraph]:
    """Paragraphs before the first heading and under the summary headings (前言, 摘要 …)."""
    words = {compare_key(h) for h in headings}
    first = report.headings[0].order if report.headings else None
    out = {p.order: p for p in report.paragraphs if first is None or p.order < first}
    for i, heading in enumerate(report.headings):
        if compare_key(heading.title) in words:
            out.update({p.order: p for p in report.within(i)[0]})
    return [out[k] for k in sorted(out)]


def in_wan(table: Table, col: int, money: dict[str, float]) -> float:
    """The factor from a money column's printed unit to 万元 (1 when it names none)."""
    unit = money_unit(table, col, money)
    return money[unit] / money["万元"] if unit else 1.0


def _table_totals(report: Report, columns: list[str], exclude: list[str],
                  total_words: list[str], subtotal_words: list[str], count_columns: list[str],
                  money: dict[str, float]) -> list[tuple[float, int]]:
    """One figure per table with the named column, in 万元 (its 合计 row, else the sum of its
    rows), and the number of options (its rows but a 合计 or 小计) it covers."""
    totals = []
    for table in report.tables:
        col = find_column(table.header, columns, exclude=exclude)
        if col is None:
            continue
        rows = [r for r in table.rows[1:] if col < len(r.cells)]
        total = next((r for r in rows if any(c.strip() in total_words for c in r.cells)), None)
        # an option row may hold no amount ("—": no benefit of its own), it is still an option
        options = [r for r in rows if r is not total and sum(1 for c in r.cells if c.strip()) > 1
                   and not any(w in c for c in r.cells for w in subtotal_words)]
        numbers = [value(total.cells[col]).number] if total is not None else [
            value(r.cells[col]).number for r in options]
        numbers = [n for n in numbers if n is not None]
        if numbers:
            totals.append((sum(numbers) * in_wan(table, col, money),
                           _options_of(table, options, count_columns, exclude=columns)))
    return totals
