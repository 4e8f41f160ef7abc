"""Errors a reviewer can cause: each says what went wrong and how to fix it."""

from __future__ import annotations

from assistant.errors import CpauditError


class ReviewError(CpauditError):
    code = "review_error"
