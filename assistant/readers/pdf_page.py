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
from itertools import repeat
from types import SimpleNamespace

import numpy as np

from assistant.readers.pdf_text import Seg, float_rows

_SPACES = re.compile(r"[ \t\r\n]+")  # ASCII spaces and line ends; an ideographic space stays
_SURROGATE = re.compile("[\ud800-\udfff]")
_FORM_DEPTH = 3


@cache
def _c() -> SimpleNamespace:
    """pdfium's per-character and per-object C functions, returning plain ints and floats.

    pypdfium2's bindings declare pointer types, so each call converts its arguments and makes
    a ctypes pointer object of its result: over every character and object of a page that
    costs more than the calls themselves. Here a function given a text page declares no
    arguments (a c_void_p is passed as the pointer it holds, an int as a C int: what these
    take); one given a page object, whose address comes back as an int, declares it a
    pointer, and an address is returned as an int (0 for NULL).
    """
    import pypdfium2.raw as pdfium_c

    def bound(function, restype, *argtypes):
        address = ctypes.cast(function, ctypes.c_void_p).value
        return ctypes.CFUNCTYPE(restype, *argtypes)(address)

    address, pointer, double = ctypes.c_size_t, ctypes.c_void_p, ctypes.POINTER(ctypes.c_double)
    floats = ctypes.POINTER(ctypes.c_float)
    return SimpleNamespace(
        text_object=bound(pdfium_c.FPDFText_GetTextObject, address),
        unicode=bound(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint),
        font_size=bound(pdfium_c.FPDFText_GetFontSize, ctypes.c_double),
        rect=bound(pdfium_c.FPDFText_GetRect, ctypes.c_int, pointer, ctypes.c_int,
                   double, double, double, double),
        page_object=bound(pdfium_c.FPDFPage_GetObject, address, pointer, ctypes.c_int),
        form_object=bound(pdfium_c.FPDFFormObj_GetObject, address, pointer, ctypes.c_ulong),
        form_count=bound(pdfium_c.FPDFFormObj_CountObjects, ctypes.c_int, pointer),
        object_type=bound(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, pointer),
        bounds=bound(pdfium_c.FPDFPageObj_GetBounds, ctypes.c_int, pointer,
                     floats, floats, floats, floats),
    )


def text_segments(textpage, height: float) -> list[Seg]:
    """The page's runs of text, top-down coordinates, blank runs left out."""
    c = _c()
    raw = textpage.raw
    address = ctypes.cast(raw, ctypes.c_void_p)
    rects = _rects(raw, address)
    texts = _run_texts(raw, address, len(rects))
    segs = []
    overlapped = _overlapped(rects).tolist()
    for k, (left, bottom, right, top) in enumerate(rects):
        text, first = texts[k] if texts is not None else (None, -1)
        if text is None or overlapped[k]:
            text = textpage.get_text_bounded(left, bottom, right, top)
            first = textpage.get_index(left + 1, (bottom + top) / 2, 2, 2)
            first = -1 if first is None else first
        text = _SPACES.sub(" ", text).strip()
        if text:
            size = c.font_size(address, first) if first >= 0 else 0.0
            segs.append(Seg(left, right, height - top, height - bottom, text, size))
    return segs


def _rects(raw, address) -> list[tuple[float, float, float, float]]:
    import pypdfium2.raw as pdfium_c

    c = _c()
    values = [ctypes.c_double() for _ in range(4)]
    left, top, right, bottom = (ctypes.pointer(v) for v in values)
    rects = []
    for i in range(pdfium_c.FPDFText_CountRects(raw, 0, -1)):
        c.rect(address, i, left, top, right, bottom)
        rects.append((values[0].value, values[3].value, values[2].value, values[1].value))
    return rects


def _run_texts(raw, address, expected: int) -> list[tuple[str | None, int]] | None:
    """(text, first character) of each run in order, text None where pdfium broke a line
    inside the run; None when the runs cannot be matched to the rectangles.

    Every character is asked for its text object (0 for a character pdfium generated between
    runs: a space or a line break); the characters in a row with one object are taken a
    stretch at a time."""
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
    c = _c()
    objects = list(map(c.text_object, repeat(address, count), range(count)))
    ends = [i for i in range(1, count) if objects[i] != objects[i - 1]]
    runs: list[list[int]] = []  # [first, last, broken] per run
    owner, seen, line_break = None, set(), False
    for start, end in zip([0, *ends], [*ends, count], strict=True):
        obj = objects[start]
        if not obj:  # characters pdfium generated between runs: " " or a line break
            line_break = line_break or text[start:end].strip(" ") != ""
        elif obj == owner:
            runs[-1][1] = end - 1
            runs[-1][2] |= line_break
            line_break = False
        else:
            if obj in seen:
                return None  # one object in two runs: not how the rectangles are made
            seen.add(obj)
            runs.append([start, end - 1, False])
            owner, line_break = obj, False
    if len(runs) != expected:
        return None  # a run of zero-size characters has no rectangle
    bounds = [i for first, last, _ in runs for i in (first, last)]
    if list(map(c.unicode, repeat(address, len(bounds)), bounds)) != [ord(text[i]) for i in bounds]:
        return None  # the text does not line up with the characters
    return [(None if broken else text[a:b + 1].replace("\x00", ""), a)
            for a, b, broken in runs]


def _overlapped(rects: list[tuple[float, float, float, float]]) -> np.ndarray:
    """overlapped[k]: another rectangle shares area with rectangle k, so characters of another
    run may fall inside it (pdfium's intersection test: a non-empty overlap)."""
    if not rects:
        return np.zeros(0, dtype=bool)
    box = float_rows(rects, 4)
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

    c = _c()
    values = [ctypes.c_float() for _ in range(4)]
    corners = [ctypes.pointer(v) for v in values]
    path, form, unknown = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM,
                           pdfium_c.FPDF_PAGEOBJ_UNKNOWN)
    kind_of, bounds = c.object_type, c.bounds
    boxes = []

    def walk(parent, n: int, get_object, level: int) -> None:
        if n < 0:
            raise PdfiumError("Failed to get number of pageobjects.")
        for i in range(n):
            obj = get_object(parent, i)
            if not obj:
                raise PdfiumError("Failed to get pageobject.")
            kind = kind_of(obj)
            if kind == path:
                if not bounds(obj, *corners):
                    raise PdfiumError("Failed to locate pageobject.")
                boxes.append((values[0].value, values[1].value, values[2].value,
                              values[3].value))
            elif kind == form and level < _FORM_DEPTH - 1:
                walk(obj, c.form_count(obj), c.form_object, level + 1)
            elif kind == unknown:
                raise PdfiumError("Failed to determine pageobject type.")

    raw = page.raw
    walk(ctypes.cast(raw, ctypes.c_void_p), pdfium_c.FPDFPage_CountObjects(raw),
         c.page_object, 0)
    return boxes
