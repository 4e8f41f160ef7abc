"""A table in parts is one table, and a header in several rows is one header, in every format:
a 续表 continuation (its unit line and repeated header dropped), a part that repeats the header
right after its table, a second header level, a row of units under the header."""

from __future__ import annotations

import io

import docx

from assistant.document import TableBlock
from assistant.loader import load_bytes
from checkers.report import build_report, combined_header

SPLIT = """# 第四章 方案的产生和筛选

方案汇总见表4-1。

表4-1 清洁生产方案汇总表

单位：万元

| 编号 | 方案名称 | 方案类型 | 投资 | 年经济效益 |
|---|---|---|---|---|
| F1 | 窑炉看火孔密封 | 无/低费 | 2.6 | 21.6 |
| F2 | 照明改LED | 无/低费 | 12.5 | 16.2 |

续表4-1 清洁生产方案汇总表

单位：万元

| 编号 | 方案名称 | 方案类型 | 投资 | 年经济效益 |
|---|---|---|---|---|
| Z1 | 窑炉余热回收 | 中/高费 | 680.0 | 262.0 |
| 合计 | | | 695.1 | 299.8 |

表4-2 另一张表

| 编号 | 方案名称 | 方案类型 | 投资 | 年经济效益 |
|---|---|---|---|---|
| Z2 | 空压机变频 | 中/高费 | 158.0 | 64.8 |
"""


def _tables(text: str, name: str = "report.md") -> list[TableBlock]:
    return load_bytes(text.encode("utf-8"), name=name).tables()


def test_a_continued_table_is_one_table_with_its_caption_and_unit():
    tables = _tables(SPLIT)
    assert [t.caption for t in tables] == ["表4-1 清洁生产方案汇总表", "表4-2 另一张表"]
    first = tables[0]
    assert first.unit == "万元"
    assert [r.kind for r in first.rows] == ["header"] + ["data"] * 4
    assert [r.texts[0] for r in first.rows[1:]] == ["F1", "F2", "Z1", "合计"]


def test_a_continuation_of_another_number_is_not_joined():
    text = SPLIT.replace("续表4-1 清洁生产方案汇总表", "续表4-3 清洁生产方案汇总表")
    assert len(_tables(text)) == 3


def test_word_tables_split_under_a_continuation_caption_are_one():
    document = docx.Document()
    document.add_paragraph("表6-1 审核前后主要指标对比")
    rows = [["指标", "审核前", "审核后"], ["电耗", "7.83", "7.62"]]
    for caption, data in ((None, rows), ("續表6-1 审核前后主要指标对比",
                                         [rows[0], ["新鲜水耗", "68.4", "48.0"]])):
        if caption:
            document.add_paragraph("")  # the page break's empty paragraph
            document.add_paragraph(caption)
        table = document.add_table(rows=len(data), cols=3)
        for i, row in enumerate(data):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    tables = load_bytes(buffer.getvalue(), name="report.docx").tables()
    assert len(tables) == 1
    assert [r.texts for r in tables[0].rows] == [rows[0], rows[1], ["新鲜水耗", "68.4", "48.0"]]


TWO_ROW_HEADER = """# 第六章 方案实施

表6-2 审核前后主要指标对比

| 序号 | 指标 | 单位 | 审核前 | 审核后 | 变化情况 |  |
|---|---|---|---|---|---|---|
| 序号 | 指标 | 单位 | 审核前 | 审核后 | 变化量 | 变化率（%） |
| 1 | 单位产品电耗 | kWh/m² | 7.83 | 7.62 | -0.21 | -2.7 |

表2-1 近三年消耗

| 年份 | 天然气 | 电 |
|---|---|---|
| 单位 | 万m³ | 万kWh |
| 2023年 | 5420 | 9860 |
"""


def test_header_rows_under_the_header_are_header_and_make_one_header():
    doc = load_bytes(TWO_ROW_HEADER.encode("utf-8"), name="report.md")
    assert [[r.kind for r in t.rows] for t in doc.tables()] == [
        ["header", "header", "data"], ["header", "header", "data"]]
    report = build_report(doc)
    assert report.tables[0].header == ["序号", "指标", "单位", "审核前", "审核后",
                                       "变化情况 变化量", "变化情况 变化率（%）"]
    assert report.tables[1].header == ["年份", "天然气（万m³）", "电（万kWh）"]
    assert [r.cells[0] for r in report.tables[0].rows] == ["序号", "1"]


def test_a_first_data_row_of_words_stays_data():
    """A team table's first member (words only, one cell blank) is no header row."""
    text = ("表1-1 审核小组\n\n| 姓名 | 职务 | 小组职务 |\n|---|---|---|\n"
            "| 王德胜 | 总经理 |  |\n| 李明 | 副总经理 | 副组长 |\n")
    assert [r.kind for r in _tables(text)[0].rows] == ["header", "data", "data"]


def test_combined_header_takes_the_spanning_text_only_over_a_lower_level():
    assert combined_header([["指标", "浓度", "", "备注"], ["指标", "监测均值", "标准限值", ""]]) \
        == ["指标", "浓度 监测均值", "浓度 标准限值", "备注"]
