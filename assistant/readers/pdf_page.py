"""One PDF page through pdfium's C API: its runs of text and the boxes of its drawn paths.

pypdfium2's helpers cost more than the work behind them on a page of hundreds of runs:
`get_text_bounded` scans every character of the page once per text rectangle, and
`get_objects` wraps every page object in a Python object. Here:

- The text rectangles are pdfium's own (FPDFText_CountRects: one per run of characters of one
  text object), and their text comes from the page's whole text, read once: each character is
  asked for its text object, which gives the runs. A run's text is then what
  FPDFText_GetBoundedText returns for its rectangle — both walk the same characters in the same
  order — unless another rectangle overlaps it, pdfium broke a line inside it, or the page's
  text does not line up with its characters (a control character, a surrogate pair): those are
  read with GetBoundedText, as before.
- A run's font size is its text object's (FPDFText_GetFontSize of its first character).
- The path boxes come from the page objects walked with the C calls, into forms as deep as
  `get_objects(max_depth=3)` goes.
"""

from __future__ import annotations

import ctypes
import re
from functools import cache

import numpy as np

from assistant.readers.pdf_text import Seg

_SPACES = re.compile(r"[ \t\r\n]+")  # ASCII spaces and line ends; an ideographic space stays
_SURROGATE = re.compile("[\ud800-\udfff]")
_FORM_DEPTH = 3


@cache
def _text_object():
    """FPDFText_GetTextObject returning the object's address (an int compares and hashes by
    value, and costs less than a pointer object per character)."""
    import pypdfium2.raw as pdfium_c

    address = ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(address)


def text_segments(textpage, height: float) -> list[Seg]:
    """The page's runs of text, top-down coordinates, blank runs left out."""
    import pypdfium2.raw as pdfium_c

    raw = textpage.raw
    rects = _rects(raw)
    texts = _run_texts(raw, len(rects))
    segs = []
    overlapped = _overlapped(rects)
    for k, (left, bottom, right, top) in enumerate(rects):
        text, first = texts[k] if texts is not None else (None, -1)
        if text is None or overlapped[k]:
            text = textpage.get_text_bounded(left, bottom, right, top)
            first = textpage.get_index(left + 1, (bottom + top) / 2, 2, 2)
            first = -1 if first is None else first
        text = _SPACES.sub(" ", text).strip()
        if text:
            size = pdfium_c.FPDFText_GetFontSize(raw, first) if first >= 0 else 0.0
            segs.append(Seg(left, right, height - top, height - bottom, text, size))
    return segs


def _rects(raw) -> list[tuple[float, float, float, float]]:
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    rects = []
    for i in range(pdfium_c.FPDFText_CountRects(raw, 0, -1)):
        pdfium_c.FPDFText_GetRect(raw, i, left, top, right, bottom)
        rects.append((left.value, bottom.value, right.value, top.value))
    return rects


def _run_texts(raw, expected: int) -> list[tuple[str | None, int]] | None:
    """(text, first character) of each run in order, text None where pdfium broke a line
    inside the run; None when the runs cannot be matched to the rectangles."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return [] if expected == 0 else None
    buffer = (ctypes.c_ushort * (count + 1))()
    if pdfium_c.FPDFText_GetText(raw, 0, count, buffer) - 1 != count:
        return None  # the text leaves characters out (control characters)
    text = ctypes.string_at(buffer, 2 * count).decode("utf-16-le", "surrogatepass")
    if len(text) != count or _SURROGATE.search(text):
        return None
    text_object, address = _text_object(), ctypes.cast(raw, ctypes.c_void_p).value
    runs: list[list[int]] = []  # [first, last, broken] per run
    owner, seen, line_break = None, set(), False
    for i in range(count):
        obj = text_object(address, i)
        if obj is None:  # a character pdfium generated between runs: " " or a line break
            line_break = line_break or text[i] != " "
        elif obj == owner:
            runs[-1][1] = i
            runs[-1][2] |= line_break
            line_break = False
        else:
            if obj in seen:
                return None  # one object in two runs: not how the rectangles are made
            seen.add(obj)
            runs.append([i, i, False])
            owner, line_break = obj, False
    if len(runs) != expected:
        return None  # a run of zero-size characters has no rectangle
    unicode = pdfium_c.FPDFText_GetUnicode
    if any(unicode(raw, a) != ord(text[a]) or unicode(raw, b) != ord(text[b])
           for a, b, _ in runs):
        return None  # the text does not line up with the characters
    return [(None if broken else text[a:b + 1].replace("\x00", ""), a)
            for a, b, broken in runs]


def _overlapped(rects: list[tuple[float, float, float, float]]) -> np.ndarray:
    """overlapped[k]: another rectangle shares area with rectangle k, so characters of another
    run may fall inside it (pdfium's intersection test: a non-empty overlap)."""
    if not rects:
        return np.zeros(0, dtype=bool)
    box = np.asarray(rects)
    left, bottom, right, top = (box[:, i] for i in range(4))
    across = np.maximum(left[:, None], left[None, :]) < np.minimum(right[:, None], right[None, :])
    up = np.maximum(bottom[:, None], bottom[None, :]) < np.minimum(top[:, None], top[None, :])
    both = across & up
    np.fill_diagonal(both, False)
    return both.any(axis=1)


def path_boxes(page) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every path object, in page order, forms included."""
    import pypdfium2.raw as pdfium_c
    from pypdfium2 import PdfiumError

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    boxes = []

    def walk(parent, count_objects, get_object, level: int) -> None:
        n = count_objects(parent)
        if n < 0:
            raise PdfiumError("Failed to get number of pageobjects.")
        for i in range(n):
            obj = get_object(parent, i)
            if not obj:
                raise PdfiumError("Failed to get pageobject.")
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_UNKNOWN:
                raise PdfiumError("Failed to determine pageobject type.")
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                    raise PdfiumError("Failed to locate pageobject.")
                boxes.append((left.value, bottom.value, right.value, top.value))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < _FORM_DEPTH - 1:
                walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                     level + 1)

    walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)
    return boxes
