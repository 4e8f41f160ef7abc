"""Errors a reviewer can cause: each says what went wrong and how to fix it."""

from __future__ import annotations

from collections.abc import Callable

from assistant.errors import CpauditError


class ReviewError(CpauditError):
    code = "review_error"


def broken_review_file(what_zh: str, what_en: str, filename: str) -> Callable[[str, str], Exception]:
    """How a broken review data file (templates.yaml, verdict.yaml) is reported: the operator's
    problem, so a server error naming the file and what is wrong, never its values."""
    from checkers.rules import RuleFileError

    def broken(zh: str, en: str) -> RuleFileError:
        return RuleFileError(f"{what_zh} {filename} 有误：{zh}。",
                             f"The {what_en} ({filename}) are broken: {en}.",
                             hint_zh=f"请管理员修正 checkers/review/{filename}。",
                             hint_en=f"The operator must fix checkers/review/{filename}.")
    return broken
