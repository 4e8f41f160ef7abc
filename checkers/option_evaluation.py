"""中/高费 options implemented without a feasibility analysis: an option the options table
classes 中/高费, that the 方案实施 chapter reports as implemented, but that the 可行性分析 chapter
never names (by its number or its name) while it names the other 中/高费 options one by one.

Always a warning: the chapter might analyse it under a wording not read. Reports that analyse
options only in general sentences ("三项中/高费方案均可行") name none of them and are not judged.
"""

from __future__ import annotations

import re

from assistant.textfold import compare_key
from checkers.findings import Hit
from checkers.indicators import cell, data_rows
from checkers.report import Report, Table
from checkers.rules import Config
from checkers.sections import find_phases
from checkers.tables import caption_or_heading, find_column, value

FEASIBILITY, IMPLEMENTATION = "可行性分析", "方案实施"
# an option's number: "Z3", "ZG-2", "G12"; ranges "Z1～Z4", "Z1-Z4", "Z1至Z4" name those between
_OPTION_ID = re.compile(r"^[A-Z]{1,3}-?\d{1,3}$")
_RANGE = re.compile(r"(?<![A-Za-z])([A-Z]{1,3}-?)(\d{1,3})\s*[～~—–\-至到]\s*\1?(\d{1,3})(?!\d)")


def check_option_evaluation(report: Report, config: Config) -> list[Hit]:
    phases = find_phases(report, config)
    if FEASIBILITY not in phases or IMPLEMENTATION not in phases:
        return []
    feasibility = _chapter_text(report, phases[FEASIBILITY])
    implementation = _chapter_text(report, phases[IMPLEMENTATION])
    chapters = {phases[FEASIBILITY], phases[IMPLEMENTATION]}
    options = [o for t in report.tables if not _inside(report, t, chapters)
               for o in _high_cost_options(t, config)]
    named = [o for o in options if _names(feasibility, *o)]
    if not named:
        return []
    hits, seen = [], set()
    for option_id, name, row in options:
        if option_id in seen or (option_id, name, row) in named:
            continue
        seen.add(option_id)
        if _names(implementation, option_id, name, row):
            hits.append(Hit("SEC-OPTION-UNEVALUATED", f"{option_id} {name}".strip(),
                            row.location, " | ".join(row.cells), {
                                "option": f"{option_id} {name}".strip(),
                                "phase": report.headings[phases[FEASIBILITY]].text}))
    return hits


def _high_cost_options(table: Table, config: Config) -> list[tuple[str, str, object]]:
    """Rows a class column says are 中/高费, or every row of a table its caption classes so
    (“表4-3 中/高费方案汇总”)."""
    opts = config.indicators.options
    column = find_column(table.header, opts.class_columns)
    high = [compare_key(w) for w in opts.high_cost] + ["中费", "高费"]
    where = compare_key(caption_or_heading(table))
    whole = column is None and any(compare_key(w) in where for w in opts.high_cost) and not any(
        compare_key(w) in where for w in opts.low_cost)
    if column is None and not whole:
        return []
    out = []
    for row in data_rows(table, config.indicators):
        option_id = row.cells[0].strip() if row.cells else ""
        if not _OPTION_ID.match(option_id):
            continue
        if whole or any(w in compare_key(cell(row, column)) for w in high):
            name = next((c.strip() for c in row.cells[1:] if c.strip()
                         and (column is None or c != cell(row, column))
                         and value(c).number is None), "")
            out.append((option_id, name, row))
    return out


def option_names(report: Report) -> dict[str, str]:
    """Each option's name as the report gives it beside its number in any table ("Z2 | 骨料仓全封闭
    及皮带廊密闭 | 中/高费 …"): a table that lists options by number alone (表5-1 经济评估: "Z2 |
    186.0 | 42.5 …") is then quoted with the name a reader knows the option by. The first name wins."""
    names: dict[str, str] = {}
    for table in report.tables:
        for row in table.rows[1:]:
            option_id = row.cells[0].strip() if row.cells else ""
            if not _OPTION_ID.match(option_id) or option_id in names:
                continue
            name = next((c.strip() for c in row.cells[1:2] if c.strip()
                         and value(c).number is None), "")
            if len(name) >= 2:
                names[option_id] = name
    return names


def _names(text: str, option_id: str, name: str, row=None) -> bool:
    if re.search(rf"(?<![A-Za-z0-9]){re.escape(option_id)}(?!\d)", text):
        return True
    if len(name) >= 4 and compare_key(name) in compare_key(text):
        return True
    prefix, number = re.match(r"([A-Z]{1,3}-?)(\d+)", option_id).groups()
    return any(m.group(1) == prefix and int(m.group(2)) <= int(number) <= int(m.group(3))
               for m in _RANGE.finditer(text))


def _chapter_text(report: Report, heading: int) -> str:
    h = report.headings[heading]
    paragraphs, tables = report.within(heading)
    return "\n".join([x.text for x in report.headings if h.order < x.order < h.end]
                     + [p.text for p in paragraphs] + [t.text() for t in tables])


def _inside(report: Report, table: Table, chapters: set[int]) -> bool:
    return any(report.headings[i].order < table.order < report.headings[i].end for i in chapters)
