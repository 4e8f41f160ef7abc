"""Report checks and reviewer notes (评审意见), from the checkers package.

The checkers are imported lazily: if the package (or a part of it) cannot be imported the
endpoints answer 501 "功能尚未启用" and the rest of the service runs on. The review round trip
is stateless: /review returns the Review object, and /review/download renders whatever Review
the client sends back (edited or not) as Markdown or DOCX — no server-side session.
"""

from __future__ import annotations

import importlib
import logging
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Body, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from api.deps import CoreSettings, ServiceSettings, live_index, run_blocking
from api.errors import NotImplementedYetError, upload_too_large
from api.schemas import ERRORS
from assistant.corpus_admin import safe_filename

log = logging.getLogger(__name__)


def _optional(module: str, name: str) -> Any | None:
    try:
        return getattr(importlib.import_module(module), name)
    except Exception as exc:  # absent or broken: the endpoint says 501, the service runs on
        log.warning("%s.%s unavailable: %s", module, name, exc)
        return None


def checker_available() -> bool:
    return _optional("checkers", "check_report") is not None


def reviewer_available() -> bool:
    return _optional("checkers.review.service", "review_report") is not None


# The response models come from the checkers when they are there, for a complete OpenAPI.
CheckResult = _optional("checkers.findings", "CheckResult")
Review = _optional("checkers.review.models", "Review") or dict[str, Any]

router = APIRouter(prefix="/v1/reports", tags=["reports"])
NOT_READY = {501: ERRORS[500]}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReviewResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    review: Review  # type: ignore[valid-type]
    markdown: str


def _require(module: str, name: str, what_zh: str, what_en: str):
    function = _optional(module, name)
    if function is None:
        raise NotImplementedYetError(
            f"{what_zh}功能尚未启用。", f"{what_en} is not available yet.",
            hint_zh="该功能随报告预审模块（checkers）提供，请确认其已安装。",
            hint_en="It comes with the report-checking module (checkers).",
        )
    return function


async def _read(file: UploadFile, limit_bytes: int, limit_mb: float) -> tuple[bytes, str]:
    data = await file.read(limit_bytes + 1)
    if len(data) > limit_bytes:
        raise upload_too_large(limit_mb)
    return data, safe_filename(file.filename)


def _profiles(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(",") if p.strip())


Report = Annotated[UploadFile, File(description="审核报告 PDF、DOCX、MD 或 TXT")]
ReviewBody = Annotated[Review, Body(description="a Review from /review, possibly edited")]
Industry = Annotated[str, Form(description="行业配置；auto 为自动识别")]
Profiles = Annotated[str | None, Form(description="附加地区/场景配置，逗号分隔，如 sichuan")]


@router.post("/check", response_model=CheckResult, responses={**ERRORS, **NOT_READY},
             summary="预审审核报告 / check an audit report")
async def check(file: Report, settings: CoreSettings, api: ServiceSettings,
                industry: Industry = "auto", profiles: Profiles = None):
    check_report = _require("checkers", "check_report", "报告预审", "Report checking")
    data, name = await _read(file, api.max_upload_bytes, api.max_upload_mb)
    return await run_blocking(
        lambda: check_report(data, name=name, industry=industry, profiles=_profiles(profiles),
                             settings=settings, index=live_index(settings)))


@router.post("/review", response_model=ReviewResponse, responses={**ERRORS, **NOT_READY},
             summary="生成评审意见草稿 / draft reviewer notes")
async def review(file: Report, settings: CoreSettings, api: ServiceSettings,
                 industry: Industry = "auto", profiles: Profiles = None,
                 use_llm: Annotated[bool | None, Form()] = None) -> ReviewResponse:
    review_report = _require("checkers.review.service", "review_report", "评审意见生成",
                             "Drafting reviewer notes")
    markdown = _require("checkers.review.render", "markdown", "评审意见生成",
                        "Drafting reviewer notes")
    data, name = await _read(file, api.max_upload_bytes, api.max_upload_mb)
    drafted = await run_blocking(
        lambda: review_report(data, name=name, industry=industry, profiles=_profiles(profiles),
                              settings=settings, index=live_index(settings), use_llm=use_llm))
    return ReviewResponse(review=drafted, markdown=markdown(drafted))


def _render(review, kind: str) -> bytes:
    from checkers.review.render import markdown, write_docx
    from checkers.review.service import regenerate

    final = regenerate(review)
    if kind == "md":
        return markdown(final).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        return write_docx(final, Path(tmp) / "review.docx").read_bytes()


@router.post("/review/download", responses={
    200: {"content": {DOCX: {}, "text/markdown": {}}, "description": "the notes as a file"},
    **ERRORS, **NOT_READY}, summary="下载评审意见（DOCX/Markdown）/ download the notes")
async def download(review: ReviewBody, format: Literal["docx", "md"] = "docx") -> Response:
    _require("checkers.review.service", "regenerate", "评审意见生成", "Drafting reviewer notes")
    content = await run_blocking(_render, review, format)
    media = DOCX if format == "docx" else "text/markdown; charset=utf-8"
    # RFC 6266: an ASCII fallback name, then the Chinese one for browsers that read filename*.
    disposition = f"attachment; filename=review.{format}; filename*=UTF-8''{quote('评审意见')}.{format}"
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})
