"""A PDF read on two cores (a forked process reading the second half) gives the same document
as one read in one process, and fails, stops and counts its budget the same way."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from assistant.budget import DocumentBudget, cancellable
from assistant.errors import UnreadableFileError, WorkCancelled
from assistant.loader import load_file
from assistant.readers import pdf_pages

ROOT = Path(__file__).resolve().parents[2]
# Not the frozen report sets (eval/data/reports/test*): dev reports and fixtures only, the
# longest of them (no project PDF reaches _MIN_PAGES, so the tests lower it).
PDFS = sorted([*ROOT.glob("eval/data/reports/dev/generated/*.pdf"),
               *ROOT.glob("tests/fixtures/*/generated/*.pdf")],
              key=lambda p: (-len(pdfium.PdfDocument(p)), p.name))[:6]


@pytest.fixture
def forks(monkeypatch):
    """Every PDF of two pages or more read on two cores; the number of forks made."""
    monkeypatch.setattr(pdf_pages, "_MIN_PAGES", 2)
    # however busy the machine, and whatever threads earlier tests left running
    monkeypatch.setattr(pdf_pages, "spare_core", lambda: True)
    monkeypatch.setattr(pdf_pages, "only_thread", lambda: True)
    made, fork = [], pdf_pages._fork

    def counted():
        forked = fork()
        if forked is not None and forked[0] != 0:
            made.append(forked[0])
        return forked

    monkeypatch.setattr(pdf_pages, "_fork", counted)
    return made


def _one_process(path: Path):
    original = pdf_pages.two_cores_usable
    pdf_pages.two_cores_usable = lambda pages: False
    try:
        return load_file(path)
    finally:
        pdf_pages.two_cores_usable = original


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_two_cores_give_the_same_document(path, forks):
    assert load_file(path) == _one_process(path)
    assert forks, "the pages were not read on two cores"


def _read(data: bytes, read_page, budget=None, *, fork: bool = True):
    pdf = pdfium.PdfDocument(data)
    try:
        return pdf_pages.read_pages(pdf, data if fork else None, read_page, budget, len)
    finally:
        pdf.close()


def _text(page, number: int) -> str:
    return f"{number}:" + page.get_textpage().get_text_range()[:40]


def test_a_failing_forked_half_is_read_here(forks):
    data, parent = PDFS[0].read_bytes(), os.getpid()

    def fails_when_forked(page, number):
        if os.getpid() != parent:
            raise ValueError("forked reader fails")
        return _text(page, number)

    assert _read(data, fails_when_forked) == _read(data, _text) and len(forks) == 2


def test_an_unreadable_page_raises_here(forks):
    data = PDFS[0].read_bytes()
    last = len(pdfium.PdfDocument(data))

    def last_page_unreadable(page, number):
        if number == last:
            raise pdfium.PdfiumError("Failed to load page.")
        return _text(page, number)

    with pytest.raises(pdfium.PdfiumError, match="Failed to load page"):
        _read(data, last_page_unreadable)
    assert forks


def test_the_budget_stops_at_the_same_page(forks):
    data = PDFS[0].read_bytes()
    everything = sum(len(t) for t in _read(data, _text))
    for limit in (10, everything // 2, everything - 1):
        budget = DocumentBudget("x.pdf", 100, limit, 1 << 20)
        with pytest.raises(UnreadableFileError) as forked:
            _read(data, _text, budget)
        reference = DocumentBudget("x.pdf", 100, limit, 1 << 20)
        with pytest.raises(UnreadableFileError) as alone:
            _read(data, _text, reference, fork=False)
        assert str(forked.value) == str(alone.value) and budget.chars == reference.chars
    assert _read(data, _text, DocumentBudget("x.pdf", 100, everything, 1 << 20))


def test_a_cancelled_request_stops_and_leaves_no_process(forks):
    data, event = PDFS[0].read_bytes(), threading.Event()

    def cancels(page, number):
        event.set()
        return _text(page, number)

    with cancellable(event), pytest.raises(WorkCancelled):
        _read(data, cancels, DocumentBudget("x.pdf", 100, 10**9, 1 << 20))
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0], os.WNOHANG)  # reaped already


def test_threads_short_files_or_a_busy_machine_read_in_one_process(monkeypatch):
    monkeypatch.setattr(pdf_pages, "spare_core", lambda: True)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert not pdf_pages.two_cores_usable(pdf_pages._MIN_PAGES - 1)
    assert pdf_pages.two_cores_usable(pdf_pages._MIN_PAGES) == sys.platform.startswith("linux")
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not pdf_pages.two_cores_usable(1000)
    monkeypatch.undo()
    monkeypatch.setattr(os, "getloadavg", lambda: (2.0, 2.0, 2.0))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert not pdf_pages.spare_core()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.2, 2.0, 2.0))
    assert pdf_pages.spare_core()
