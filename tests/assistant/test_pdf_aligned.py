"""PDF tables without vertical rules (三线表): rows and columns from where the text sits."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.document import TableBlock
from assistant.loader import load_file

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
COLUMNS = [20, 70, 110, 150]
ROWS = [["指标", "单位", "审核前", "审核后"], ["新鲜水用量", "万t/a", "9.12", "7.86"],
        ["COD排放量", "t/a", "12.4", "9.8"], ["合计", "", "", "17.66"]]


def _three_line_table_pdf(path: Path, *, rules: bool) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(FONT), collection_font_number=0)
    pdf.add_page()
    pdf.set_font("wqy", size=10.5)
    pdf.multi_cell(0, 7, "审核前后主要指标对比见表6-1，各项指标均达到了预期目标，其中单位产品新鲜水耗下降明显。")
    pdf.cell(0, 7, "表6-1 审核前后主要指标对比", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y()
    if rules:
        pdf.line(20, y, 190, y)
    for n, row in enumerate(ROWS):
        for x, text in zip(COLUMNS, row, strict=True):
            pdf.set_xy(x, y + 1)
            pdf.cell(35, 6, text)
        y += 8
        if rules and n in (0, len(ROWS) - 1):
            pdf.line(20, y, 190, y)
    pdf.set_xy(20, y + 4)
    pdf.multi_cell(0, 7, "表中数据来自企业2024年统计报表。")
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("rules", [True, False], ids=["three-line", "no-rules"])
def test_a_table_without_vertical_rules_keeps_its_columns(tmp_path, rules):
    doc = load_file(_three_line_table_pdf(tmp_path / "t.pdf", rules=rules))
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["paragraph", "paragraph", "table", "paragraph"]
    table = doc.blocks[2]
    assert isinstance(table, TableBlock) and table.caption == "表6-1 审核前后主要指标对比"
    assert [r.texts for r in table.rows] == ROWS  # the sparse 合计 row keeps 17.66 under 审核后
    assert doc.blocks[3].text == "表中数据来自企业2024年统计报表。"
