"""The report-set generator's Markdown and GB18030 text renderings, and the DOCX forms typed by
hand (bold Normal paragraphs as headings, a 目录 without a TOC field), read back by the loader."""

from __future__ import annotations

from pathlib import Path

import docx
import yaml
from support.layout_source import render_source

from assistant.document import HeadingBlock, TableBlock
from assistant.loader import load_file

SOURCE = {
    "fixture": "mini",
    "title": "某某公司清洁生产审核报告",
    "running_header": "某某公司 清洁生产审核报告",
    "footer": "第 {page} 页",
    "pdf": "false",
    "text_formats": ["md", "txt"],
    "toc": {"title": "目　录", "field": "false", "entries": [["第一章 筹划和组织", "2"]]},
    "body": [
        {"h1": "筹划和组织", "number": "第一章", "bold": "true"},
        {"para": "公司成立清洁生产审核小组，总经理任组长。"},
        {"table": {
            "caption": "表1-1 方案汇总表", "unit": "万元",
            "header": ["类别", "方案", "投资"],
            "rows": [[{"text": "无/低费", "rowspan": "2"}, "F1 更换阀门", "1.5"],
                     ["^", "F2 保温修补", "2.0"],
                     {"group": "中/高费"},
                     ["中/高费", "Z1 余热回收", "86.0"]]}},
    ],
}


def _generate(tmp_path: Path) -> dict[str, Path]:
    return render_source(yaml.safe_dump(SOURCE, allow_unicode=True), "mini", tmp_path)


def test_markdown_and_gb18030_text_carry_the_headings_and_tables(tmp_path):
    written = _generate(tmp_path)
    assert set(written) == {".docx", ".md", ".txt"}
    raw = written[".txt"].read_bytes()
    assert "审核小组".encode("gb18030") in raw and b"\r\n" in raw
    for suffix in (".md", ".txt"):
        doc = load_file(written[suffix])
        headings = [b.text for b in doc.blocks if isinstance(b, HeadingBlock)]
        assert any("筹划和组织" in h for h in headings), (suffix, headings)
        tables = [[[cell.text.strip() for cell in row.cells] for row in block.rows]
                  for block in doc.blocks if isinstance(block, TableBlock)]
        texts = next(t for t in tables if any("F1 更换阀门" in row for row in t))
        # The rowspan cell is repeated in the row it covers.
        assert ["无/低费", "F2 保温修补", "2.0"] in texts, (suffix, texts)


def test_docx_heading_typed_as_bold_paragraph_and_toc_without_field(tmp_path):
    document = docx.Document(str(_generate(tmp_path)[".docx"]))
    heading = next(p for p in document.paragraphs if p.text == "第一章 筹划和组织")
    assert heading.style.name == "Normal" and heading.runs[0].font.bold
    assert "TOC \\o" not in document.element.body.xml  # no TOC field
    entry = next(p for p in document.paragraphs if p.text == "第一章 筹划和组织\t2")
    assert entry.style.name == "Normal"
