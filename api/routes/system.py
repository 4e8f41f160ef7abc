"""GET /v1/health and GET /v1/status."""

from __future__ import annotations

import os

from fastapi import APIRouter
from pydantic import Field

from api import schemas
from api.deps import CoreSettings, live_index, run_blocking
from api.schemas import ERRORS, Features, HealthResponse, IndexStatus, LLMStatus
from assistant import __version__
from assistant.errors import CpauditError
from assistant.index_health import IndexHealth, index_health

router = APIRouter(prefix="/v1", tags=["system"])


@router.get("/health", response_model=HealthResponse, summary="存活检查 / liveness")
async def health() -> HealthResponse:
    # Cheap on purpose: load balancers call it often; it touches neither disk nor index.
    return HealthResponse(version=__version__, worker=os.getpid())


class StatusResponse(schemas.StatusResponse):
    # The field belongs in api/schemas.py's StatusResponse (the same name, so the OpenAPI schema
    # shows one StatusResponse); it lives here while another change edits that file.
    index_health: IndexHealth = Field(
        description="ok · degraded (the current generation is damaged: an earlier one is served) "
                    "· damaged (nothing servable: 503 on questions) · missing; with the reason")


def _status(settings) -> tuple[IndexStatus | None, IndexHealth]:
    health = index_health(settings)
    if health.served_generation is None:
        return None, health
    try:
        # The loaded generation, not a re-read of CURRENT: another worker may swap it.
        loaded = live_index(settings)
    except CpauditError:
        return None, index_health(settings)
    meta = loaded.meta
    return IndexStatus(
        generation=loaded.gen.name, built_at=meta.built_at, documents=meta.documents,
        chunks=meta.chunks, mode=meta.mode, dense_model=meta.dense_model,
        lexical_reason=meta.lexical_reason,
    ), health


@router.get("/status", response_model=StatusResponse, responses=ERRORS,
            summary="索引、检索模式与大模型状态 / index, mode and LLM status")
async def status(settings: CoreSettings) -> StatusResponse:
    index, health = await run_blocking(_status, settings)
    return StatusResponse(
        index_health=health,
        version=__version__,
        documents=index.documents if index else 0,
        chunks=index.chunks if index else 0,
        mode=index.mode if index else None,
        index=index,
        llm=LLMStatus(configured=bool(settings.llm_base_url),
                      model=settings.llm_model if settings.llm_base_url else None),
        embedding_model=settings.embedding_model or None,
        api_key_required=bool(settings.api_key),
        max_upload_mb=settings.max_upload_mb,
        # The checkers are a part of the service, imported with it: both features are there.
        features=Features(report_check=True, report_review=True),
    )
