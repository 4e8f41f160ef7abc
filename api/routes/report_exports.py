"""Round trips of the report page, stateless like /review/download: the client sends back what
it was given (possibly edited) and gets it rendered.

- POST /v1/reports/check/download?format=json|md|html: the findings of /check as a file;
- POST /v1/reports/review/regenerate: an edited Review re-assembled (rejected issues dropped,
  reworded ones kept, suggestions and [n] renumbered), with its Markdown, for the preview.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Body
from fastapi.responses import Response

from api.deps import run_blocking
from api.routes.reports import ReviewBody, ReviewResponse
from api.schemas import ERRORS
from checkers.findings import CheckResult
from checkers.render import to_html, to_json, to_markdown
from checkers.review.render import markdown
from checkers.review.service import regenerate

router = APIRouter(prefix="/v1/reports", tags=["reports"])
FORMATS = {"json": (to_json, "application/json"), "md": (to_markdown, "text/markdown"),
           "html": (to_html, "text/html")}


@router.post("/check/download", responses={
    200: {"content": {m: {} for _, m in FORMATS.values()}, "description": "the findings"},
    **ERRORS}, summary="下载预审结果（JSON/Markdown/HTML）/ download the findings")
async def download_findings(
    result: Annotated[CheckResult, Body(description="a CheckResult from /check")],
    format: Literal["json", "md", "html"] = "json",
) -> Response:
    render, media = FORMATS[format]
    text = await run_blocking(render, result)
    name = f"{quote('预审结果')}.{format}"
    return Response(text.encode("utf-8"), media_type=f"{media}; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=findings.{format}; filename*=UTF-8''{name}",
        "X-Content-Type-Options": "nosniff"})


@router.post("/review/regenerate", response_model=ReviewResponse, responses=ERRORS,
             summary="按修改重新生成评审意见 / re-assemble an edited review")
async def regenerate_review(review: ReviewBody) -> ReviewResponse:
    final = await run_blocking(regenerate, review)
    return ReviewResponse(review=final, markdown=markdown(final))
