"""Errors a user can cause. Each says what went wrong and how to fix it, in Chinese and English."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class CpauditError(Exception):
    """A user-facing error: `code` is stable, messages are for people."""

    code = "error"

    def __init__(self, zh: str, en: str, *, hint_zh: str = "", hint_en: str = "") -> None:
        self.zh, self.en, self.hint_zh, self.hint_en = zh, en, hint_zh, hint_en
        super().__init__(self.message())

    def message(self) -> str:
        zh = f"{self.zh}{'  ' + self.hint_zh if self.hint_zh else ''}"
        en = f"{self.en}{' ' + self.hint_en if self.hint_en else ''}"
        return f"{zh}\n{en}"

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "message_zh": f"{self.zh}{self.hint_zh}",
            "message_en": f"{self.en} {self.hint_en}".strip(),
        }


class UnreadableFileError(CpauditError):
    """The file cannot be read: missing, corrupt, encrypted, empty, too large, wrong type."""

    code = "unreadable_file"


class InputError(CpauditError):
    """A question, history or field the user sent is empty, too long or malformed
    (assistant.limits); the API answers 422 like any other invalid request."""

    code = "invalid_request"


class WorkCancelled(CpauditError):
    """The request this work was for has timed out (assistant.budget): stop, nothing to keep."""

    code = "timeout"


class DataFileError(CpauditError):
    """A data file shipped with the program (assistant/data/*.yaml) or set in the settings is
    broken: the operator's fault, so the API answers 500. Names the file, key and line."""

    code = "internal_error"


class IndexMissingError(CpauditError):
    code = "index_missing"


class IndexDamagedError(IndexMissingError):
    """The index on disk is damaged and no earlier generation can stand in for it."""

    code = "index_damaged"


class DiskFullError(CpauditError):
    """A write failed for want of space: nothing was changed (the caller rolled back)."""

    code = "disk_full"


@contextmanager
def writing_to(where: Path) -> Iterator[None]:
    """Turn "no space left on device" (and an exceeded quota) into a DiskFullError naming the
    directory; other OSErrors pass unchanged."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise DiskFullError(
            f"磁盘空间不足，无法写入 {where}，未做任何更改。",
            f"No space left on device: cannot write to {where}; nothing was changed.",
            hint_zh="请清理磁盘空间或调整 CPAUDIT_DATA_DIR 后重试。",
            hint_en="Free some disk space (or move CPAUDIT_DATA_DIR) and retry.",
        ) from exc


class CorpusError(CpauditError):
    """The corpus manifest or a document in it is wrong."""

    code = "corpus_error"


class DocumentNotFoundError(CorpusError):
    code = "document_not_found"


class DocumentExistsError(CorpusError):
    code = "document_exists"


class InvalidMetadataError(CorpusError):
    code = "invalid_metadata"
