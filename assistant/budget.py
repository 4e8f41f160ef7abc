"""Work that stops early: document budgets and cooperative cancellation.

A `DocumentBudget` is what one document may cost the loader — pages, characters, the inflated
size of a DOCX package — with the settings' limits (max_pages, max_document_chars,
max_unpacked_mb). Readers count what they produce as they go and stop at the first excess with
a bilingual error, so a 1.2 GB document.xml or a 20 MB text file is refused in seconds, not
after minutes of parsing.

Cancellation: the HTTP service runs blocking work in threads (api.deps.run_blocking); when a
request times out the thread cannot be killed, so the work itself looks: the loader's and the
checkers' loops call `checkpoint()`, which raises WorkCancelled once the request has given up.
Outside a cancellable scope (the CLI, tests, index builds) checkpoint() costs one context
variable read and never raises.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from assistant.errors import UnreadableFileError, WorkCancelled
from assistant.settings import Settings

_cancelled: ContextVar[threading.Event | None] = ContextVar("cpaudit_cancelled", default=None)


@contextmanager
def cancellable(event: threading.Event) -> Iterator[None]:
    """Work inside this block stops at its next checkpoint() once `event` is set."""
    token = _cancelled.set(event)
    try:
        yield
    finally:
        _cancelled.reset(token)


def checkpoint() -> None:
    event = _cancelled.get()
    if event is not None and event.is_set():
        raise WorkCancelled("请求已超时，处理已停止。", "The request timed out; the work was stopped.")


@dataclass
class DocumentBudget:
    name: str
    max_pages: int
    max_chars: int
    max_unpacked_bytes: int
    chars: int = 0

    @classmethod
    def of(cls, settings: Settings, name: str) -> DocumentBudget:
        return cls(name, settings.max_pages, settings.max_document_chars,
                   int(settings.max_unpacked_mb * 1048576))

    @property
    def max_text_bytes(self) -> int:
        """A text file larger than this cannot stay within max_chars in any encoding (UTF-8
        uses at most 4 bytes a character): refused before it is decoded."""
        return 4 * self.max_chars

    def pages(self, count: int) -> None:
        if count > self.max_pages:
            raise UnreadableFileError(
                f"文件页数过多（{count} 页，上限 {self.max_pages} 页）：{self.name}",
                f"Too many pages ({count}; at most {self.max_pages}): {self.name}",
                hint_zh="请拆分文件后分别上传，或由管理员调高 CPAUDIT_MAX_PAGES。",
                hint_en="Split the file, or ask the operator to raise CPAUDIT_MAX_PAGES.")

    def text(self, count: int) -> None:
        """Count `count` more characters read; also a cancellation checkpoint."""
        self.chars += count
        if self.chars > self.max_chars:
            raise UnreadableFileError(
                f"文件文字过多（超过 {self.max_chars:,} 字）：{self.name}",
                f"The file holds too much text (over {self.max_chars:,} characters): {self.name}",
                hint_zh="请拆分文件后分别上传，或由管理员调高 CPAUDIT_MAX_DOCUMENT_CHARS。",
                hint_en="Split the file, or ask the operator to raise CPAUDIT_MAX_DOCUMENT_CHARS.")
        checkpoint()

    def unpacked(self, size: int) -> None:
        if size > self.max_unpacked_bytes:
            raise UnreadableFileError(
                f"DOCX 解压后过大（超过 {self.max_unpacked_bytes / 1048576:g} MB），"
                f"可能是压缩炸弹：{self.name}",
                f"The DOCX inflates to more than {self.max_unpacked_bytes / 1048576:g} MB "
                f"(a zip bomb?): {self.name}",
                hint_zh="请在 Word/WPS 中另存后再试，或由管理员调高 CPAUDIT_MAX_UNPACKED_MB。",
                hint_en="Save it again in Word/WPS, or ask the operator to raise "
                        "CPAUDIT_MAX_UNPACKED_MB.")
