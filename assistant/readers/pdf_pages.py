"""The pages of a PDF read one by one, or, for a long file, on two cores.

Reading a page (its text runs, drawn paths and ruled tables) is most of what a PDF check
costs, and every page is read alone, so a long file is split in two: a forked process opens
the same bytes and reads the second half while this process reads the first, and hands its
pages back pickled. The pages are the same objects either way (pdfium reads a page the same
from any open copy of the file); only the order of the work changes.

The fork is used only where it is safe and pays: on Linux, from a process running a single
thread (the CLI, the benchmarks — never inside the threaded API server, where another thread
may be inside pdfium or hold a lock at the moment of the fork), with two usable cores and a
1-minute load average below their number (measured: under load the second core is taken and
the fork only costs CPU), for files of at least `_MIN_PAGES` pages. Anything that goes wrong in the forked process (an
unreadable page, a failed pickle) makes this process read those pages itself, so errors are
raised here exactly as before. The budget is counted page by page in page order, as before;
the forked half stops early once its own text alone is over the limit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from typing import TypeVar

from assistant.budget import DocumentBudget
from assistant.forked import fork_pipe as _fork
from assistant.forked import only_thread, receive, send_and_exit, spare_core

Page = TypeVar("Page")
_MIN_PAGES = 16  # below this a fork and the pickled pages cost more than half the reading


def read_pages(pdf, data: bytes | None, read_page: Callable[[object, int], Page],
               budget: DocumentBudget | None, chars: Callable[[Page], int]) -> list[Page]:
    """`read_page(pdfium_page, number)` for every page, in order; `data` (the file's bytes)
    lets the second half be read in a forked process."""
    count = len(pdf)
    split = (count + 1) // 2
    forked = _fork() if data is not None and two_cores_usable(count) else None
    if forked is None:
        return [_counted(read_page(pdf[i], i + 1), budget, chars) for i in range(count)]
    pid, reader, writer = forked
    if pid == 0:  # the forked process: read the second half, send it, leave at once
        os.close(reader)
        limit = budget.max_chars if budget is not None else None
        _child(data, range(split, count), read_page, chars, limit, writer)
    os.close(writer)
    try:
        pages = [_counted(read_page(pdf[i], i + 1), budget, chars) for i in range(split)]
        rest = receive(reader)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(reader)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    if rest is None:  # the forked half failed: read it here, raising what it raises
        rest = [read_page(pdf[i], i + 1) for i in range(split, count)]
    return pages + [_counted(page, budget, chars) for page in rest]


def two_cores_usable(pages: int) -> bool:
    return pages >= _MIN_PAGES and sys.platform.startswith("linux") and hasattr(os, "fork") \
        and only_thread() and spare_core()


def _counted(page: Page, budget: DocumentBudget | None, chars: Callable[[Page], int]) -> Page:
    if budget is not None:
        budget.text(chars(page))
    return page


def _child(data: bytes, numbers: range, read_page, chars, limit: int | None, writer: int):
    def work() -> list:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        pages, total = [], 0
        for i in numbers:
            pages.append(page := read_page(pdf[i], i + 1))
            total += chars(page)
            if limit is not None and total > limit:
                break  # over the budget on its own: the parent's count stops by this page
        return pages

    send_and_exit(work, writer)
