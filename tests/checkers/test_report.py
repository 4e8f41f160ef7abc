"""The structured view of a report is the same whichever format it arrives in."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.loader import load_file
from checkers.report import build_report

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
FORMATS = ("md", "docx", "pdf", "txt")


def _report(name: str, fmt: str):
    path = REPORTS / "src" / f"{name}.md" if fmt == "md" else \
        REPORTS / "generated" / f"{name}.{fmt}"
    return build_report(load_file(path))


@pytest.mark.parametrize("name", ["complete-ceramics", "complete-dyeing-system-b", "done-when",
                                  "defect-consistency"])
def test_heading_tree_in_every_format(name):
    trees = {fmt: [(h.depth, h.title) for h in _report(name, fmt).headings] for fmt in FORMATS}
    assert all(tree == trees["md"] for tree in trees.values())
    top = [title for depth, title in trees["md"] if depth == 1]
    assert "持续清洁生产" in top and "预评估" in top or "预审核" in top


def test_both_numbering_systems_nest():
    ceramics = _report("complete-ceramics", "pdf")
    chapter = next(i for i, h in enumerate(ceramics.headings) if h.text == "第三章 评估")
    children = [h.text for h in ceramics.headings if h.parent == chapter]
    assert children[:2] == ["3.1 审核重点概况", "3.2 物料平衡"]
    dyeing = _report("complete-dyeing-system-b", "txt")
    phase = next(i for i, h in enumerate(dyeing.headings) if h.text == "三、审核")
    assert [h.title for h in dyeing.headings if h.parent == phase][:2] == ["审核重点工艺分析",
                                                                         "物料平衡"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_tables_keep_empty_cells(fmt):
    report = _report("defect-indicators", fmt)
    table = next(t for t in report.tables if t.caption == "表6-1 审核前后主要指标对比")
    rows = {r.cells[0]: r.cells for r in table.rows}
    assert table.header == ["指标", "单位", "审核前", "审核后", "削减量", "削减率（%）"]
    assert rows["NOₓ排放量"] == ["NOₓ排放量", "t/a", "64.0", "", "", ""]
    assert rows["电耗"] == ["电耗", "", "4000", "3760", "240", "6.0"]
    assert rows["SO₂排放量"][3] == "待测"
    balance = next(t for t in report.tables if t.caption.startswith("表3-1"))
    assert [r.cells for r in balance.rows][3] == ["", "", "一般工业固废", "12400"]  # output side


@pytest.mark.parametrize("fmt", FORMATS)
def test_locations(fmt):
    report = _report("done-when", fmt)
    table = next(t for t in report.tables if t.caption == "表5-1 审核前后主要指标对比")
    row = next(r for r in table.rows if r.cells[0] == "氮氧化物排放量")
    assert row.location.heading_path == ["第五部分 方案实施", "5.2 实施效果"]
    assert row.location.table == table.caption and row.location.row == 7
    assert row.location.line and row.location.line > 0
    assert (row.location.page == 7) if fmt == "pdf" else row.location.page is None
    assert report.title == "潮州市瓷韵卫浴有限公司清洁生产审核报告"
    assert report.cover["行业"].startswith("陶瓷")
