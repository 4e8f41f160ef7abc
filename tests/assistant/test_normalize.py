"""Normalization on the seeds' real defects: broken lines, page breaks, flattened tables."""

from __future__ import annotations

from pathlib import Path

from assistant.loader import SourceDocument, SourcePage, load_file
from assistant.normalize import normalize
from assistant.textfold import fold, squash

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_line_broken_mid_word_across_blank_line_is_rejoined():
    # seed 002: "…重点领域清" / "" / "洁生产改造…"
    doc = normalize(load_file(CORPUS / "docs" / "gd-plan-2023.md"))
    assert "重点领域清洁生产改造" in doc.text


def test_sentence_broken_across_pdf_pages_is_rejoined():
    doc = normalize(load_file(CORPUS / "docs" / "cleaner-production-law.pdf"))
    para = next(p for p in doc.paragraphs if p.text.startswith("第二十七条"))
    assert para.text.endswith("并根据需要对生产和服务实施清洁生产审核。")
    starts, numbers = doc.page_breaks()
    assert numbers == list(range(1, len(numbers) + 1))
    # A paragraph that runs over a page break is one paragraph whose pages differ.
    spanning = [p for p in doc.paragraphs if doc.page_at(p.start) != doc.page_at(p.end - 1)]
    assert spanning, "expected at least one paragraph continuing on the next page"


def test_flattened_table_is_rebuilt_as_rows():
    # seed 001: one cell per line, rows separated by blank lines, a cell broken in two lines
    doc = normalize(load_file(CORPUS / "docs" / "fs-plan-2011.txt"))
    rows = [p.cells for p in doc.paragraphs if p.cells]
    assert ["项目", "2005年", "2006年", "2007年", "2008年", "2009年"] in rows
    assert ["广东省工业总产值（亿元）", "41661.74", "51131.94", "62759.92", "73290.47",
            "75886.62"] in rows
    assert any(r[:2] == ["佛山市工业废水", "排放量（万吨）"] for r in rows)


def test_headings_and_titles_are_not_glued_to_text():
    doc = normalize(load_file(CORPUS / "docs" / "fs-plan-2011.txt"))
    texts = [p.text for p in doc.paragraphs]
    assert "佛府办〔2011〕10号" in texts
    assert "一、佛山市清洁生产现状" in texts


def test_offsets_map_every_kept_character_back_to_the_source():
    source = SourceDocument(name="x.txt", format="txt", pages=[
        SourcePage(number=1, text="第一条 企业应当对生产和服务过程中的资源消耗以及废物的产生\n"
                                  "情况进行监测，并根据需要对生产和服务实施清洁生产\n"),
        SourcePage(number=2, text="审核。\n\n| 指标 | 审核前 |\n|---|---|\n| COD | 12 |"),
    ])
    doc = normalize(source)
    assert doc.paragraphs[0].text == (
        "第一条 企业应当对生产和服务过程中的资源消耗以及废物的产生情况进行监测，"
        "并根据需要对生产和服务实施清洁生产审核。"
    )
    for i, ch in enumerate(doc.text):
        if ch not in "\n |":
            assert doc.source_text[doc.to_source(i)] == ch
    i = doc.text.index("审核。")
    assert doc.page_at(i) == 2 and doc.page_at(0) == 1
    assert [p.cells for p in doc.paragraphs if p.cells] == [["指标", "审核前"], ["COD", "12"]]


def test_width_folding_is_one_to_one():
    text = "ＳＯ₂排放２０２５年，ＣＯＤ：１２ｔ　"
    assert len(fold(text)) == len(text)
    assert fold(text) == "SO2排放2025年,COD:12t "
    assert squash("到 ２０２５ 年") == "到2025年"
