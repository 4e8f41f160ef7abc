"""Typed records that cross module boundaries: documents, chunks, passages, answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


DocKind = Literal["law", "regulation", "plan", "notice"]
Mode = Literal["lexical", "hybrid"]


class DocumentMeta(Strict):
    """One entry of corpus/manifest.yaml."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    short_title: str
    issuer: str
    doc_number: str | None = None
    region: str
    date: str | None = None
    kind: DocKind
    file: str
    aliases: list[str] = []
    articles: int | None = None
    encoding: str | None = None
    notes: str | None = None


class Chunk(Strict):
    id: str  # "doc_id#chunk-N"
    doc_id: str
    text: str
    section: str = ""  # "二、工作任务 > （七）重点行业推进强制性清洁生产审核"
    article: str | None = None  # "第二十七条" for laws
    page: int | None = None  # first page, for paginated sources
    page_end: int | None = None
    start: int  # offsets into the document's text (assistant.document.Document.text)
    end: int


class Passage(Strict):
    """A retrieved chunk with its document's metadata and a score."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    article: str | None
    page: int | None
    text: str
    score: float


class Citation(Strict):
    n: int
    chunk_id: str
    doc_id: str
    title: str
    section: str
    article: str | None
    page: int | None
    text: str  # the verbatim quote


class Answer(Strict):
    question: str
    resolved_question: str | None = None  # the follow-up rewritten against history
    answer: str
    abstained: bool
    citations: list[Citation]
    passages: list[Passage]
    mode: Mode
    answerer: Literal["extractive", "llm", "extractive-fallback"] = "extractive"
    notes: list[str] = []  # why lexical mode, why the LLM was not used, flagged sentences
    timings: dict[str, float] = {}


class Filters(Strict):
    region: str | None = None
    doc_id: str | None = None
    kind: DocKind | None = None
