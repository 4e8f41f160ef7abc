"""Request and response models of the /v1 API (the OpenAI-compatible ones live apart)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from assistant.limits import (
    MAX_HISTORY_ITEM_CHARS,
    MAX_HISTORY_ITEMS,
    MAX_PREVIOUS_ANSWER_CHARS,
    MAX_QUESTION_CHARS,
)
from assistant.models import DocumentMeta, Filters, Mode, Strict


class ErrorDetail(Strict):
    code: str = Field(examples=["unreadable_file"])
    message_zh: str
    message_en: str
    message: str = Field(description="both languages in one string, for OpenAI clients")


class ErrorResponse(Strict):
    error: ErrorDetail


# Documented on every route so the OpenAPI schema shows the error shape.
ERRORS = {code: {"model": ErrorResponse} for code in (400, 401, 404, 409, 413, 422, 500, 504)}


class AskRequest(Strict):
    # The caps of assistant.limits, declared here too so that the schema shows them and a
    # request over them is refused before any work.
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS,
                          examples=["什么情况下必须实施强制性清洁生产审核？"])
    history: list[Annotated[str, Field(max_length=MAX_HISTORY_ITEM_CHARS)]] = Field(
        default_factory=list, max_length=MAX_HISTORY_ITEMS,
        description="the user's earlier questions in this conversation, oldest first",
    )
    previous_answer: str | None = Field(
        None, max_length=MAX_PREVIOUS_ANSWER_CHARS,
        description="what the answer to the last of them quoted (its citations' quotes, one a "
                    "line, or its text): a follow-up asking something new of it is not answered "
                    "with the same quote again",
    )
    filters: Filters | None = None
    k: int | None = Field(None, ge=1, le=50, description="passages to retrieve")
    use_llm: bool | None = Field(
        None, description="null: use the LLM when one is configured; false: extractive only")
    stream: bool = Field(
        False, description="true: answer as server-sent events (passages, delta…, done)")


class HealthResponse(Strict):
    status: Literal["ok"] = "ok"
    version: str
    worker: int = Field(description="process id of the worker that answered: tells the workers "
                                    "behind one port apart")


class IndexStatus(Strict):
    generation: str
    built_at: str
    documents: int
    chunks: int
    mode: Mode
    dense_model: str | None
    lexical_reason: str


class LLMStatus(Strict):
    configured: bool
    model: str | None


class Features(Strict):
    report_check: bool
    report_review: bool


class StatusResponse(Strict):
    version: str
    documents: int
    chunks: int
    mode: Mode | None = Field(description="lexical or hybrid; null before the first index build")
    index: IndexStatus | None
    llm: LLMStatus
    embedding_model: str | None
    api_key_required: bool
    max_upload_mb: float
    features: Features


class DocumentInfo(DocumentMeta):
    chunks: int = Field(0, description="chunks of this document in the live index")


class DocumentList(Strict):
    documents: list[DocumentInfo]
    total: int


class IndexSummary(Strict):
    generation: str
    mode: Mode
    chunks: int
    added: list[str]
    updated: list[str]
    removed: list[str]
    unchanged: int
    seconds: float


class DocumentAdded(Strict):
    document: DocumentInfo
    index: IndexSummary


class DocumentRemoved(Strict):
    removed: str
    index: IndexSummary
