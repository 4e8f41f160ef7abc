"""The one loader on real files: PDF, DOCX, GB18030 text, and bad input of every kind."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assistant.errors import UnreadableFileError
from assistant.loader import load_bytes, load_file

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_pdf_pages_keep_numbers_and_drop_footers():
    doc = load_file(CORPUS / "docs" / "cleaner-production-law.pdf")
    assert doc.format == "pdf"
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    assert len(doc.pages) >= 5
    assert "第二十七条" in doc.text
    assert not any(b.text.rstrip().endswith("—") for b in doc.blocks)  # "— 3 —" footers gone


def test_docx_paragraphs_and_real_tables():
    doc = load_file(CORPUS / "docs" / "sc-notice-2016.docx")
    assert doc.format == "docx"
    assert "川经信环资〔2016〕153号" in doc.text
    plan = next(t for t in doc.tables() if "项目名称" in t.header)
    assert plan.header[plan.header.index("项目名称") + 1].startswith("总投资")


def test_gb18030_text_is_detected():
    raw = (CORPUS / "docs" / "gx-plan-2021.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = load_file(CORPUS / "docs" / "gx-plan-2021.txt")
    assert doc.encoding == "gb18030"
    assert "广西壮族自治区重点行业清洁生产审核" in doc.text


def test_utf8_bom_and_gbk_short_text():
    assert load_bytes("\ufeff第一条 总则。".encode(), name="a.txt").blocks[0].text == "第一条 总则。"
    assert load_bytes("清洁生产审核报告".encode("gbk"), name="b.txt").encoding == "gb18030"


def _error(data: bytes, name: str) -> UnreadableFileError:
    with pytest.raises(UnreadableFileError) as info:
        load_bytes(data, name=name)
    return info.value


def test_empty_file():
    assert "为空" in _error(b"  \n", "empty.txt").zh


def test_corrupt_pdf():
    pdf = (CORPUS / "docs" / "cleaner-production-law.pdf").read_bytes()
    err = _error(pdf[:3000], "broken.pdf")
    assert "损坏" in err.zh and "corrupt" in err.en


def test_encrypted_pdf():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(CORPUS / "docs" / "cleaner-production-law.pdf").pages[:1]:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    err = _error(buffer.getvalue(), "locked.pdf")
    assert "加密" in err.zh and "encrypted" in err.en


def test_zip_that_is_not_a_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/a.jpg", b"not a picture")
    err = _error(buffer.getvalue(), "report.docx")
    assert "ZIP" in err.zh and "not a Word" in err.en


def test_mislabelled_pdf_and_old_doc_and_binary():
    assert "不是 PDF" in _error("普通文本".encode(), "report.pdf").zh
    assert ".doc" in _error(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.doc").zh
    assert "二进制" in _error(b"\x00\x01\x02binary" * 10, "blob.txt").zh


def test_huge_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "huge.pdf"
    with open(big, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(UnreadableFileError) as info:
        load_file(big)
    assert "过大" in info.value.zh and "200 MB" in info.value.en


def test_missing_file():
    with pytest.raises(UnreadableFileError):
        load_file("/nonexistent/report.pdf")


def test_docx_cell_merged_across_columns_keeps_values_under_their_headers(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, [["方案", "投资（万元）", "效益（万元）"],
                                        ["变频改造", "20", "8"], ["", "", "5"]], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    merged = table.rows[2].cells[0].merge(table.rows[2].cells[1])
    merged.text = "合计"
    path = tmp_path / "merged.docx"
    document.save(path)
    rows = load_file(path).tables()[0].rows
    assert rows[2].texts == ["合计", "", "5"]  # "5" stays under 效益, not under 投资
    assert rows[2].cells[1].merged == "col"


def test_bom_is_a_hint_and_bad_utf16_is_a_clear_error():
    gbk_with_bom = b"\xef\xbb\xbf" + "第一章 筹划和组织".encode("gbk")
    assert load_bytes(gbk_with_bom, name="r.txt").blocks[0].text == "第一章 筹划和组织"
    err = _error(b"\xff\xfeabc", "x.txt")
    assert "UTF-16" in err.zh and "UTF-16" in err.en


def test_truncated_docx_is_reported_as_corrupt():
    docx_bytes = (CORPUS / "docs" / "sc-notice-2016.docx").read_bytes()
    err = _error(docx_bytes[:2000], "cut.docx")
    assert "损坏" in err.zh and "corrupt" in err.en


def test_size_limit_follows_the_settings_passed_in(tmp_path):
    from assistant.settings import Settings

    path = tmp_path / "r.txt"
    path.write_text("第一条 总则。" * 400, "utf-8")
    with pytest.raises(UnreadableFileError):
        load_file(path, settings=Settings(max_file_mb=0.001))
