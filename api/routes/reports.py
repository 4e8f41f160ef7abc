"""Report checks and reviewer notes (评审意见), from the checkers package.

The review round trip is stateless: /review returns the Review object, and /review/download
renders whatever Review the client sends back (edited or not) as Markdown or DOCX — no
server-side session. With an API key set, check and review need it (unless
CPAUDIT_REPORTS_NEED_KEY=false); a request that times out stops the check at its next
checkpoint (assistant.budget). Profile and industry names are restricted to the characters profile files
are named with, and the checkers load only profiles their rule pack lists; a broken rule file on
the server answers 500 (RuleFileError), an unknown name 400.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Body, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from api.deps import CoreSettings, ReportAccess, live_index, run_blocking
from api.errors import upload_too_large
from api.schemas import ERRORS
from assistant.corpus_admin import safe_filename
from checkers import check_report
from checkers.findings import CheckResult
from checkers.review.models import Review
from checkers.review.render import markdown, write_docx
from checkers.review.service import regenerate, review_report
from checkers.rules import RuleFileError

log = logging.getLogger(__name__)
T = TypeVar("T")
router = APIRouter(prefix="/v1/reports", tags=["reports"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReviewResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    review: Review
    markdown: str


async def _read(file: UploadFile, limit_bytes: int, limit_mb: float) -> tuple[bytes, str]:
    data = await file.read(limit_bytes + 1)
    if len(data) > limit_bytes:
        raise upload_too_large(limit_mb)
    return data, safe_filename(file.filename)


async def _run(fn: Callable[..., T], *args) -> T:
    try:
        return await run_blocking(fn, *args)
    except RuleFileError:
        # A rule file on the server is broken: the caller gets a clean 500 (internal_error)
        # naming the file; the operator's log gets the parser's own words, chained.
        log.exception("the checkers' rule files are broken")
        raise


def _profiles(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(",") if p.strip())


Report = Annotated[UploadFile, File(description="审核报告 PDF、DOCX、MD 或 TXT")]
ReviewBody = Annotated[Review, Body(description="a Review from /review, possibly edited")]
Industry = Annotated[str, Form(description="行业配置；auto 为自动识别", pattern=r"^[a-z0-9-]{1,40}$")]
Profiles = Annotated[str | None, Form(description="附加地区/场景配置，逗号分隔，如 sichuan",
                                      pattern=r"^[a-z0-9,-]*$", max_length=200)]


@router.post("/check", response_model=CheckResult, responses=ERRORS, dependencies=[ReportAccess],
             summary="预审审核报告 / check an audit report")
async def check(file: Report, settings: CoreSettings,
                industry: Industry = "auto", profiles: Profiles = None):
    data, name = await _read(file, settings.max_upload_bytes, settings.max_upload_mb)
    return await _run(
        lambda: check_report(data, name=name, industry=industry, profiles=_profiles(profiles),
                             settings=settings, index=live_index(settings)))


@router.post("/review", response_model=ReviewResponse, responses=ERRORS,
             dependencies=[ReportAccess], summary="生成评审意见草稿 / draft reviewer notes")
async def review(file: Report, settings: CoreSettings,
                 industry: Industry = "auto", profiles: Profiles = None,
                 use_llm: Annotated[bool | None, Form()] = None) -> ReviewResponse:
    data, name = await _read(file, settings.max_upload_bytes, settings.max_upload_mb)
    drafted = await _run(
        lambda: review_report(data, name=name, industry=industry, profiles=_profiles(profiles),
                              settings=settings, index=live_index(settings), use_llm=use_llm))
    return ReviewResponse(review=drafted, markdown=markdown(drafted))


def _render(review: Review, kind: str) -> bytes:
    final = regenerate(review)
    if kind == "md":
        return markdown(final).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        return write_docx(final, Path(tmp) / "review.docx").read_bytes()


@router.post("/review/download", responses={
    200: {"content": {DOCX: {}, "text/markdown": {}}, "description": "the notes as a file"},
    **ERRORS}, summary="下载评审意见（DOCX/Markdown）/ download the notes")
async def download(review: ReviewBody, format: Literal["docx", "md"] = "docx") -> Response:
    content = await _run(_render, review, format)
    media = DOCX if format == "docx" else "text/markdown; charset=utf-8"
    # RFC 6266: an ASCII fallback name, then the Chinese one for browsers that read filename*.
    disposition = f"attachment; filename=review.{format}; filename*=UTF-8''{quote('评审意见')}.{format}"
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})
