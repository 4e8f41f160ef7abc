"""POST /v1/feedback: a user's 赞/踩 (and comment) on an answer, stored in the data directory's
SQLite file (assistant.feedback); `cpaudit feedback export` turns them into evaluation items."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CoreSettings, run_blocking
from api.schemas import ERRORS
from assistant import feedback
from assistant.models import Strict

router = APIRouter(prefix="/v1", tags=["feedback"])


class FeedbackSaved(Strict):
    id: int
    created: str


@router.post("/feedback", response_model=FeedbackSaved, status_code=201, responses=ERRORS,
             summary="对回答点赞/点踩并留言 / rate an answer")
async def post_feedback(item: feedback.FeedbackIn, settings: CoreSettings) -> FeedbackSaved:
    saved = await run_blocking(feedback.add, settings, item)
    return FeedbackSaved(id=saved.id, created=saved.created)
