"""The report-set generator renders the forms real Word files take: headings typed as bold
paragraphs, a 目录 typed as text, two-row table headers, a table split under a 续表 caption, and
the same source as Markdown and as GB18030 plain text."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]

SOURCE = """\
fixture: tiny
title: 测试公司清洁生产审核报告
headings: bold
text: [md, txt]
running_header: 测试公司
footer: "第{page}页"
toc:
  title: 目录
  field: "false"
  entries:
    - [第一章 审核准备, "2"]
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
def rendered(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location(
        "make_layout_fixtures", ROOT / "scripts" / "make_layout_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_layout_fixtures", module)
    spec.loader.exec_module(module)
    from doc_render import missing_font

    if missing_font():
        pytest.skip(missing_font())
    src, out = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("out")
    (src / "tiny.yaml").write_text(SOURCE, "utf-8")
    written = module.generate(out, None, src)
    assert sorted(p.name for p in written) == ["tiny.docx", "tiny.md", "tiny.pdf", "tiny.txt"]
    return out


def test_docx_has_bold_paragraph_headings_a_typed_toc_and_merged_two_row_headers(rendered):
    document = docx.Document(str(rendered / "tiny.docx"))
    heading = next(p for p in document.paragraphs if p.text == "第一章 审核准备")
    assert heading.style.name == "Normal" and all(run.bold for run in heading.runs)
    toc = next(p for p in document.paragraphs if p.text.startswith("第一章 审核准备\t"))
    assert toc.style.name == "Normal" and "TOC" not in toc._p.xml
    first, second = document.tables
    assert [c.text for c in first.rows[0].cells] == ["指标", "审核前", "审核后", "变化情况", "变化情况"]
    assert [c.text for c in first.rows[1].cells] == ["指标", "审核前", "审核后", "变化量", "变化率（%）"]
    assert [len(t.rows) for t in (first, second)] == [3, 3]  # two header rows + one row each
    assert any(p.text == "续表1-1 审核前后对比" for p in document.paragraphs)


def test_pdf_puts_the_continued_table_on_the_next_page(rendered):
    pages = [page.extract_text() for page in PdfReader(rendered / "tiny.pdf").pages]
    first = next(i for i, text in enumerate(pages) if "表1-1 审核前后对比" in text)
    assert "新鲜水耗" in pages[first] and "电耗" not in pages[first]
    assert "续表1-1" in pages[first + 1] and "电耗 420 398" in pages[first + 1]


def test_markdown_and_gb18030_text_carry_the_same_tables(rendered):
    md = (rendered / "tiny.md").read_text("utf-8")
    assert "**第一章 审核准备**" in md
    assert "| 指标 | 审核前 | 审核后 | 变化情况 |  |" in md
    assert "|  |  |  | 变化量 | 变化率（%） |" in md and "续表1-1 审核前后对比" in md
    raw = (rendered / "tiny.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = raw.decode("gb18030").split("\r\n")
    assert "第一章 审核准备" in lines and "新鲜水耗\t2.4\t1.8\t-0.6\t-25.0" in lines
