"""Report checks and reviewer notes. They light up when the checkers package provides them;
until then the endpoints answer 501 with a message that says so."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from api.errors import NotImplementedYetError
from api.schemas import ERRORS

router = APIRouter(prefix="/v1/reports", tags=["reports"])
NOT_READY = {501: ERRORS[500]}


def _checker():
    try:
        import checkers
    except ImportError:
        return None
    return getattr(checkers, "check_report", None)


def _reviewer():
    try:
        import checkers
    except ImportError:
        return None
    return getattr(checkers, "draft_review", None)


def checker_available() -> bool:
    return _checker() is not None


def reviewer_available() -> bool:
    return _reviewer() is not None


def _not_ready(what_zh: str, what_en: str) -> NotImplementedYetError:
    return NotImplementedYetError(
        f"{what_zh}功能尚未启用。", f"{what_en} is not available yet.",
        hint_zh="该功能将随报告预审模块一同提供。",
        hint_en="It arrives with the report-checking module.",
    )


@router.post("/check", responses={**ERRORS, **NOT_READY},
             summary="预审审核报告（上传 PDF/DOCX/MD/TXT）/ check an audit report")
async def check_report(file: Annotated[UploadFile, File(description="the draft report")]):
    if _checker() is None:
        raise _not_ready("报告预审", "Report checking")
    raise _not_ready("报告预审", "Report checking")  # wired when checkers.check_report lands


@router.post("/review", responses={**ERRORS, **NOT_READY},
             summary="生成评审意见草稿 / draft reviewer notes")
async def review_report(file: Annotated[UploadFile, File(description="the draft report")]):
    raise _not_ready("评审意见生成", "Drafting reviewer notes")
