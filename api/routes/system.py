"""GET /v1/health and GET /v1/status."""

from __future__ import annotations

import os

from fastapi import APIRouter

from api.deps import CoreSettings, live_index, run_blocking
from api.schemas import ERRORS, Features, HealthResponse, IndexStatus, LLMStatus, StatusResponse
from assistant import __version__
from assistant.generations import current_generation

router = APIRouter(prefix="/v1", tags=["system"])


@router.get("/health", response_model=HealthResponse, summary="存活检查 / liveness")
async def health() -> HealthResponse:
    # Cheap on purpose: load balancers call it often; it touches neither disk nor index.
    return HealthResponse(version=__version__, worker=os.getpid())


@router.get("/status", response_model=StatusResponse, responses=ERRORS,
            summary="索引、检索模式与大模型状态 / index, mode and LLM status")
async def status(settings: CoreSettings) -> StatusResponse:
    index = None
    if current_generation(settings) is not None:
        # The loaded generation, not a re-read of CURRENT: another worker may swap it.
        loaded = await run_blocking(live_index, settings)
        meta = loaded.meta
        index = IndexStatus(
            generation=loaded.gen.name, built_at=meta.built_at, documents=meta.documents,
            chunks=meta.chunks, mode=meta.mode, dense_model=meta.dense_model,
            lexical_reason=meta.lexical_reason,
        )
    return StatusResponse(
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
