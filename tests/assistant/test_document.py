"""The document model on the seeds' real defects: broken lines, page breaks, flattened tables."""

from __future__ import annotations

from pathlib import Path

from assistant.document import HeadingBlock, ParagraphBlock, TableBlock
from assistant.loader import load_bytes, load_file
from assistant.textfold import fold, squash

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _rows(doc) -> list[list[str]]:
    """Rows as a reader sees them, without the empty cells that pad a row to the table width."""
    out = []
    for table in doc.tables():
        for row in table.rows:
            texts = row.texts
            while texts and not texts[-1]:
                texts = texts[:-1]
            out.append(texts)
    return out


def test_line_broken_mid_word_across_blank_line_is_rejoined():
    # seed 002: "…重点领域清" / "" / "洁生产改造…"
    doc = load_file(CORPUS / "docs" / "gd-plan-2023.md")
    assert "重点领域清洁生产改造" in doc.text


def test_sentence_broken_across_pdf_pages_is_rejoined():
    doc = load_file(CORPUS / "docs" / "cleaner-production-law.pdf")
    para = next(b for b in doc.blocks if b.text.startswith("第二十七条"))
    assert para.text.endswith("并根据需要对生产和服务实施清洁生产审核。")
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    # A paragraph that runs over a page break is one paragraph whose pages differ.
    spanning = [b for b in doc.blocks if b.page != b.page_end]
    assert spanning, "expected at least one paragraph continuing on the next page"
    b = spanning[0]
    assert doc.page_at(b.start) == b.page and doc.page_at(b.end - 1) == b.page_end


def test_law_articles_are_labelled_once_by_the_loader():
    doc = load_file(CORPUS / "docs" / "cleaner-production-law.pdf")
    articles = [b.numbering.marker for b in doc.blocks
                if isinstance(b, ParagraphBlock) and b.numbering and b.numbering.kind == "article"]
    assert articles[:3] == ["第一条", "第二条", "第三条"] and articles[-1] == "第四十条"
    chapters = [b.text for b in doc.headings()]
    assert chapters[0] == "第一章 总则" and all(h.level == 1 for h in doc.headings())


def test_flattened_table_is_rebuilt_as_rows():
    # seed 001: one cell per line, rows separated by blank lines, a cell broken in two lines
    doc = load_file(CORPUS / "docs" / "fs-plan-2011.txt")
    rows = _rows(doc)
    assert ["项目", "2005年", "2006年", "2007年", "2008年", "2009年"] in rows
    assert ["广东省工业总产值（亿元）", "41661.74", "51131.94", "62759.92", "73290.47",
            "75886.62"] in rows
    assert any(r[:2] == ["佛山市工业废水", "排放量（万吨）"] for r in rows)
    table = next(t for t in doc.tables() if "41661.74" in t.text)
    assert table.caption == "表1 广东省和佛山市工业总产值"


def test_headings_and_titles_are_not_glued_to_text():
    doc = load_file(CORPUS / "docs" / "fs-plan-2011.txt")
    texts = [b.text for b in doc.blocks]
    assert "佛府办〔2011〕10号" in texts
    heading = next(b for b in doc.blocks if b.text == "一、佛山市清洁生产现状")
    assert isinstance(heading, HeadingBlock) and heading.title == "佛山市清洁生产现状"
    assert heading.numbering.marker == "一、" and heading.level == 1


def test_offsets_of_blocks_rows_and_cells_point_into_the_text():
    text = ("# 报告\n\n## 第一章 总则\n\n第一条 企业应当对生产和服务过程中的资源消耗以及废物的产生\n"
            "情况进行监测，并根据需要对生产和服务实施清洁生产\n审核。\n\n"
            "| 单位：t/a | | |\n|---|---|---|\n| 指标 | 审核前 | 审核后 |\n| COD | 12 | — |\n")
    doc = load_bytes(text.encode(), name="x.md")
    para = next(b for b in doc.blocks if isinstance(b, ParagraphBlock))
    assert para.text == ("第一条 企业应当对生产和服务过程中的资源消耗以及废物的产生情况进行监测，"
                         "并根据需要对生产和服务实施清洁生产审核。")
    for block in doc.blocks:
        if not isinstance(block, TableBlock):
            assert doc.text[block.start:block.end] == block.text
    table = doc.tables()[0]
    assert [r.kind for r in table.rows] == ["unit", "header", "data"]
    assert table.unit == "t/a" and table.header == ["指标", "审核前", "审核后"]
    for row in table.rows:
        for cell in row.cells:
            assert doc.text[cell.start:cell.end] == cell.text


def test_width_folding_is_one_to_one():
    text = "ＳＯ₂排放２０２５年，ＣＯＤ：１２ｔ　"
    assert len(fold(text)) == len(text)
    assert fold(text) == "SO2排放2025年,COD:12t "
    assert squash("到 ２０２５ 年") == "到2025年"


def test_a_chapter_number_on_its_own_line_joins_its_title():
    doc = load_bytes("第一章\n筹划和组织\n\n公司成立了审核小组，由总经理任组长，负责全面工作。".encode(),
                     name="r.txt")
    heading = doc.blocks[0]
    assert isinstance(heading, HeadingBlock) and heading.text == "第一章 筹划和组织"
    assert heading.title == "筹划和组织" and heading.numbering.marker == "第一章"


def test_word_numbered_chinese_chapters_keep_their_number(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for title in ("筹划和组织", "预审核"):
        paragraph = document.add_heading(title, level=1)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    path = tmp_path / "numbered.docx"
    document.save(path)
    headings = load_file(path).headings()
    assert [(h.text, h.title, h.numbering.marker) for h in headings] == [
        ("第一章 筹划和组织", "筹划和组织", "第一章"), ("第二章 预审核", "预审核", "第二章")]


def test_a_header_repeated_inside_a_table_is_not_a_row_of_data():
    # a table that crossed a page, converted back from PDF: its header again between the rows
    text = ("# 报告\n\n表6-1 审核前后指标对比\n\n| 指标 | 单位 | 审核前 | 审核后 |\n|---|---|---|---|\n"
            "| 新鲜水耗 | t/t | 12.5 | 10.2 |\n| 指标 | 单位 | 审核前 | 审核后 |\n"
            "| 综合能耗 | kgce/t | 108.6 | 104.2 |\n")
    table = load_bytes(text.encode(), name="x.md").tables()[0]
    assert [r.kind for r in table.rows] == ["header", "data", "data"]
    assert [r.texts[0] for r in table.rows] == ["指标", "新鲜水耗", "综合能耗"]
