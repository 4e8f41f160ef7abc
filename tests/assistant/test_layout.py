"""The loader on laid-out files: what a user must see come out of each layout fixture.

The fixtures (scripts/make_layout_fixtures.py: one YAML source → DOCX and PDF) carry every hard
case of real reports and laws — cover, 目录, running header and page footers, a table across
two pages with and without its header repeated, merged cells both ways, a unit row, scientific
notation, auto-numbered Word headings, nested tables, 民法典 articles above 1000. What must come
out is in tests/fixtures/layout/expected.yaml, written from the sources, not from our output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.document import Document, HeadingBlock, ListItemBlock, ParagraphBlock, TableBlock
from assistant.loader import load_file
from assistant.numbers import read
from checkers.report import build_report

LAYOUT = Path(__file__).resolve().parents[1] / "fixtures" / "layout"
EXPECTED = yaml.safe_load((LAYOUT / "expected.yaml").read_text("utf-8"))
REPORTS = ["report-layout.pdf", "report-layout.docx"]
LAWS = ["law-articles.pdf", "law-articles.docx"]


def _load(name: str) -> Document:
    return load_file(LAYOUT / "generated" / name)


def _rows(table: TableBlock) -> list:
    """Data and group rows as expected.yaml writes them; padding cells dropped."""
    out = []
    for row in table.rows:
        if row.kind == "group":
            out.append({"group": next(c.text for c in row.cells if c.text)})
        elif row.kind == "data":
            out.append(row.texts[:len(table.header)])
    return out


def _body_texts(doc: Document) -> list[str]:
    texts = []
    for block in doc.blocks:
        if isinstance(block, TableBlock):
            texts += [c.text for r in block.rows for c in r.cells if c.text]
        else:
            texts.append(block.text)
    return texts


@pytest.mark.parametrize("name", REPORTS)
def test_report_headings_and_title(name):
    expected = EXPECTED[name]
    report = build_report(_load(name))
    assert report.title == expected["title"]
    got = [{"level": h.depth, "number": h.marker or None, "title": h.title} for h in report.headings]
    assert got == expected["headings"]


@pytest.mark.parametrize("name", REPORTS)
def test_report_tables(name):
    expected = EXPECTED[name]
    tables = _load(name).tables()
    assert [t.caption for t in tables] == [t["caption"] for t in expected["tables"]]
    for table, want in zip(tables, expected["tables"], strict=True):
        assert table.unit == want["unit"], table.caption
        assert table.header == want["header"], table.caption
        assert _rows(table) == want["rows"], table.caption
        if "pages" in want:
            assert [table.page, table.page_end] == want["pages"], table.caption


@pytest.mark.parametrize("name", REPORTS)
def test_page_furniture_and_toc_stay_out_of_the_body(name):
    expected = EXPECTED[name]
    doc = _load(name)
    furniture = expected["must_not_appear_in_body"]
    texts = _body_texts(doc)
    assert texts.count(furniture["running_header"]) <= 1  # the title, once
    for footer in furniture.get("footers", []):
        assert not any(t == footer or t.startswith(footer) or t.endswith(footer) for t in texts)
    toc_entries = [e["text"] for e in furniture["toc_lines"]]
    assert doc.toc == toc_entries
    assert not any("....." in t or t == furniture["toc_title"] for t in texts)
    for text in expected.get("must_not_be_headings", []):
        assert not any(h.text == text for h in doc.headings())


@pytest.mark.parametrize("name", REPORTS + LAWS)
def test_paragraphs_run_on_over_page_breaks(name):
    doc = _load(name)
    for want in EXPECTED[name].get("whole_paragraphs", []):
        block = next((b for b in doc.blocks if b.text == want["text"]), None)
        assert block is not None, want["text"][:30]
        if "pages" in want:
            assert [block.page, block.page_end] == want["pages"]


@pytest.mark.parametrize("name", LAWS)
def test_every_civil_code_article_is_labelled(name):
    expected = EXPECTED[name]
    doc = _load(name)
    articles = [b.numbering.marker for b in doc.blocks
                if isinstance(b, ParagraphBlock) and b.numbering and b.numbering.kind == "article"]
    assert articles == expected["articles"]


@pytest.mark.parametrize("name", LAWS)
def test_law_chunks_keep_the_article_and_its_path(name):
    from assistant.chunker import chunk_document

    chunks, _ = chunk_document("law", _load(name))
    by_article = {c.article: c for c in chunks if c.article}
    assert list(by_article) == EXPECTED[name]["articles"]
    for path, articles in EXPECTED[name]["article_paths"].items():
        for article in articles:
            assert by_article[article].section == path, article


def _column_header(doc: Document, text: str) -> str:
    """The header of the column holding a 合计 cell with this text."""
    for table in doc.tables():
        for row in table.rows:
            if row.texts[:1] == ["合计"] and text in row.texts:
                return table.header[row.texts.index(text)]
    return ""


@pytest.mark.parametrize("name", REPORTS)
def test_numbers_mean_what_they_say(name):
    doc = _load(name)
    for text, meaning in EXPECTED[name]["numbers"].items():
        reading = read(text)
        if isinstance(meaning, str):
            assert reading.meaning == meaning, text
            continue
        value = reading.value / 100 if reading.unit == "%" else reading.value
        unit = reading.unit or _column_header(doc, text)
        value = value * 10000 if "万元" in unit else value
        assert value == pytest.approx(meaning), text


def test_docx_structures():
    expected = EXPECTED["docx-structures.docx"]
    doc = _load("docx-structures.docx")
    texts = _body_texts(doc)
    furniture = expected["must_not_appear_in_body"]
    for text in [furniture["running_header"], *furniture["footers"]]:
        assert not any(text in t for t in texts), text
    body = [b for b in doc.blocks if b.text != expected["title"]]
    headings = [(h.level, h.title) for h in body if isinstance(h, HeadingBlock)]
    assert headings == [(h["level"], h["title"]) for h in expected["headings"]]
    items = [(b.marker, b.text) for b in doc.blocks if isinstance(b, ListItemBlock)]
    assert items == [(i["marker"], i["text"]) for group in expected["lists"] for i in group["items"]]
    kinds = {HeadingBlock: "heading", ParagraphBlock: "paragraph", ListItemBlock: "list_item"}
    order = [(kinds[type(b)], b.text) for b in body if not isinstance(b, TableBlock)
             and not (isinstance(b, ParagraphBlock) and b.text.startswith("表"))]
    assert order == [(o["kind"], o["text"]) for o in expected["body_order"]
                     if o["kind"] not in ("title", "table")]


def test_docx_nested_table_follows_its_table():
    want = EXPECTED["docx-structures.docx"]["tables"][0]
    tables = _load("docx-structures.docx").tables()
    outer, inner = tables[0], tables[1]
    assert outer.caption == want["caption"] and _rows(outer) == want["rows"]
    nested = want["nested_tables"][0]
    assert inner.header == nested["header"] and _rows(inner) == nested["rows"]
    assert [t.caption for t in tables[2:]] == [t["caption"] for t in EXPECTED[
        "docx-structures.docx"]["tables"][1:]]
