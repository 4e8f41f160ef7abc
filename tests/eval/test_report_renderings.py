"""The report-set generator renders two-row table headers (merged across and down) and a table
split under a 续表 caption, in DOCX, PDF, Markdown and GB18030 text. Bold-paragraph headings and
a typed 目录 are tested in tests/checkers/test_text_renderings.py."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from support.layout_source import render_source

SOURCE = """\
fixture: tiny
title: 测试公司清洁生产审核报告
text_formats: [md, txt]
running_header: 测试公司
footer: "第{page}页"
body:
  - h1: 审核准备
    number: 第一章
  - para: 审核小组由总经理任组长。
  - table:
      caption: 表1-1 审核前后对比
      header_rows:
        - [指标, 审核前, 审核后, 变化情况, "<"]
        - ["^", "^", "^", 变化量, 变化率（%）]
      continued: {at: "1", caption: "续表1-1 审核前后对比"}
      rows:
        - [新鲜水耗, "2.4", "1.8", "-0.6", "-25.0"]
        - [电耗, "420", "398", "-22", "-5.2"]
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    written = render_source(SOURCE, "tiny", tmp_path_factory.mktemp("gen"))
    from doc_render import missing_font  # scripts/ is on sys.path once the generator loaded

    if missing_font():
        pytest.skip(missing_font())
    assert sorted(written) == [".docx", ".md", ".pdf", ".txt"]
    return written


def test_docx_merges_the_two_header_rows_and_repeats_them_under_the_continued_caption(rendered):
    document = docx.Document(str(rendered[".docx"]))
    first, second = document.tables
    assert [c.text for c in first.rows[0].cells] == ["指标", "审核前", "审核后", "变化情况", "变化情况"]
    assert [c.text for c in first.rows[1].cells] == ["指标", "审核前", "审核后", "变化量", "变化率（%）"]
    assert [len(t.rows) for t in (first, second)] == [3, 3]  # two header rows + one row each
    assert any(p.text == "续表1-1 审核前后对比" for p in document.paragraphs)


def test_pdf_puts_the_continued_table_on_the_next_page(rendered):
    pages = [page.extract_text() for page in PdfReader(rendered[".pdf"]).pages]
    first = next(i for i, text in enumerate(pages) if "表1-1 审核前后对比" in text)
    assert "新鲜水耗" in pages[first] and "电耗" not in pages[first]
    assert "续表1-1" in pages[first + 1] and "电耗 420 398" in pages[first + 1]


def test_markdown_and_gb18030_text_carry_both_header_rows_and_both_parts(rendered):
    md = rendered[".md"].read_text("utf-8").splitlines()
    header = "| 指标 | 审核前 | 审核后 | 变化情况 |  |"
    second = "| 指标 | 审核前 | 审核后 | 变化量 | 变化率（%） |"
    assert md.count(header) == 2 and md.count(second) == 2  # under each caption
    assert md[md.index(header) + 2] == second  # the second header row follows the separator
    assert "续表1-1 审核前后对比" in md
    raw = rendered[".txt"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = raw.decode("gb18030").split("\r\n")
    assert "指标\t审核前\t审核后\t变化量\t变化率（%）" in lines
    cont = lines.index("续表1-1 审核前后对比")
    assert "新鲜水耗\t2.4\t1.8\t-0.6\t-25.0" in lines[:cont]
    assert "电耗\t420\t398\t-22\t-5.2" in lines[cont:]
