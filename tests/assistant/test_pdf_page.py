"""The PDF reader's fast page access gives what pypdfium2's helpers give, on the project's PDFs.

Reference: pypdfium2's `get_text_bounded` for every text rectangle (the reader's earlier way),
`get_index` + FPDFText_GetFontSize for the size, `get_objects(max_depth=3)` for the paths. Two
intended differences: a character whose glyph has no size (a ℃ the embedded font lacks) is
kept, where GetBoundedText leaves it out, so our text may hold such characters the reference
lacks, nothing else; and a run's font size is its own text object's, where the reference's
probe point misses a narrow first character ("、") and finds no size at all.
"""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from assistant.readers.pdf_page import path_boxes, text_segments

ROOT = Path(__file__).resolve().parents[2]
# Not the frozen report sets (eval/data/reports/test*): only the dev reports and the fixtures.
PDFS = sorted([*ROOT.glob("eval/data/reports/dev/generated/*.pdf"),
               *ROOT.glob("tests/fixtures/*/generated/*.pdf"), *ROOT.glob("corpus/docs/*.pdf")])
_SPACES = re.compile(r"[ \t\r\n]+")


def _reference(textpage, height: float) -> list[tuple]:
    out = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = _SPACES.sub(" ", textpage.get_text_bounded(left, bottom, right, top)).strip()
        if text:
            first = textpage.get_index(left + 1, (bottom + top) / 2, 2, 2)
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first) if first is not None else 0.0
            out.append((left, right, height - top, height - bottom, text, size))
    return out


def _sizeless(textpage) -> set[str]:
    """Characters of the page whose box has no width or height (pdfium leaves them out of its
    rectangles and of GetBoundedText)."""
    raw, found = textpage.raw, set()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        if pdfium_c.FPDFText_IsGenerated(raw, i):
            continue
        pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
        if right.value - left.value < 0.01 or top.value - bottom.value < 0.01:
            found.add(chr(pdfium_c.FPDFText_GetUnicode(raw, i)))
    return found - {" "}


def _same_but_sizeless(ours: str, reference: str, sizeless: set[str]) -> bool:
    """`reference` is `ours` with some size-less characters (and the spaces beside them) left
    out, nothing else."""
    i = j = 0
    while i < len(ours):
        if j < len(reference) and ours[i] == reference[j]:
            i, j = i + 1, j + 1
        elif ours[i] in sizeless or ours[i] == " ":
            i += 1
        else:
            return False
    return j == len(reference)


def test_the_project_has_pdfs_to_compare():
    assert len(PDFS) >= 40


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_text_runs_and_path_boxes_match_pypdfium2(path):
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        for n in range(len(pdf)):
            page = pdf[n]
            textpage = page.get_textpage()
            height = page.get_height()
            ours = text_segments(textpage, height)
            sizeless = _sizeless(textpage)
            expected = _reference(textpage, height)
            # a run of size-less characters alone is no text rectangle's text at all
            got = [s for s in ours if not set(s.text) <= sizeless | {" "}]
            assert len(got) == len(expected), f"{path.name} page {n + 1}"
            for seg, (x0, x1, top, bottom, text, size) in zip(got, expected, strict=True):
                assert (seg.x0, seg.x1, seg.top, seg.bottom) == (x0, x1, top, bottom)
                assert _same_but_sizeless(seg.text, text, sizeless), \
                    f"{path.name} page {n + 1}: {seg.text!r} vs {text!r}"
                # the run's own text object's size; the reference finds none (0) where the
                # point it probes misses a narrow first character ("、", "，")
                assert seg.size == size or size == 0.0, f"{path.name} page {n + 1}: {seg}"
            boxes = [obj.get_bounds() for obj in
                     page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3)]
            assert path_boxes(page) == boxes, f"{path.name} page {n + 1}"
    finally:
        pdf.close()


def test_path_boxes_inside_forms_as_deep_as_pypdfium2_goes():
    """Paths drawn inside form XObjects, nested four deep: the boxes of those within
    get_objects(max_depth=3), in its order, and none deeper."""
    doc = pdfium.PdfDocument.new()
    try:
        for level in range(5):
            page = doc.new_page(400, 400)
            if level:  # the page before, drawn as a form on this one
                xobject = pdfium_c.FPDF_NewXObjectFromPage(doc.raw, doc.raw, level - 1)
                pdfium_c.FPDFPage_InsertObject(page.raw,
                                               pdfium_c.FPDF_NewFormObjectFromXObject(xobject))
                pdfium_c.FPDF_CloseXObject(xobject)
            for x, y, w, h in [(10 + level, 10, 50, 20), (70, 40 + level, 30, 2)]:
                rect = pdfium_c.FPDFPageObj_CreateNewRect(x, y, w, h)
                pdfium_c.FPDFPath_SetDrawMode(rect, 0, 1)
                pdfium_c.FPDFPage_InsertObject(page.raw, rect)
            assert pdfium_c.FPDFPage_GenerateContent(page.raw)
        for level in range(5):
            page = doc[level]
            expected = [obj.get_bounds() for obj in
                        page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3)]
            assert len(expected) == 2 * min(level + 1, 3)
            assert path_boxes(page) == expected
    finally:
        doc.close()
