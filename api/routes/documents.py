"""Corpus management: list, upload, delete, reindex. Every change updates the index
incrementally (assistant.corpus_admin) and lands in the data directory, never in the bundled
corpus/; a refused upload leaves corpus and index untouched. Deleting a bundled document hides
it (assistant.corpus_layers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile

from api.deps import CoreSettings, WriteAccess, live_index, run_blocking
from api.errors import upload_too_large
from api.schemas import (
    ERRORS,
    DocumentAdded,
    DocumentInfo,
    DocumentList,
    DocumentRemoved,
    IndexSummary,
)
from assistant import corpus_admin, limits
from assistant.corpus_layers import load_view
from assistant.errors import IndexMissingError
from assistant.index import BuildReport
from assistant.limits import Date, Line, Notes, OptionalLine, capped
from assistant.models import DocKind, DocumentMeta
from assistant.settings import Settings

router = APIRouter(prefix="/v1/documents", tags=["documents"])
# The form's fields: the caps and checks of assistant.limits.
Title = capped(Line, limits.MAX_TITLE_CHARS)
Name = capped(Line, limits.MAX_NAME_CHARS)
Region = capped(Line, limits.MAX_REGION_CHARS)
OptionalName = capped(OptionalLine, limits.MAX_NAME_CHARS)
Aliases = capped(OptionalLine, limits.MAX_ALIASES_CHARS)
NotesField = capped(Notes, limits.MAX_NOTES_CHARS)
DocId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


def document_form(
    title: Annotated[Title, Form(description="文件全称")],
    issuer: Annotated[Name, Form(description="发文机关")] = "未注明",
    region: Annotated[Region, Form(description="适用地区，如 广东省")] = "全国",
    kind: Annotated[DocKind, Form(description="law | regulation | plan | notice")] = "notice",
    short_title: Annotated[OptionalName, Form(description="简称，默认同全称")] = None,
    id: Annotated[str | None, Form(pattern=r"^$|^[a-z0-9][a-z0-9-]{0,63}$",
                                   description="文档编号；省略时由文件名生成")] = None,
    doc_number: Annotated[OptionalName, Form(description="文号")] = None,
    date: Annotated[Date, Form(description="发布日期 YYYY、YYYY-MM 或 YYYY-MM-DD")] = None,
    aliases: Annotated[Aliases, Form(description="别名，逗号分隔")] = None,
    notes: Annotated[NotesField, Form()] = None,
) -> corpus_admin.NewDocument:
    """The metadata form fields, with the caps and checks of assistant.limits, refused (422)
    before the file is read. Individual fields rather than a form model: a model with
    extra="forbid" would refuse the file part that travels in the same form."""
    return corpus_admin.NewDocument(
        title=title, issuer=issuer, region=region, kind=kind, short_title=short_title or None,
        id=id or None, doc_number=doc_number or None, date=date or None, notes=notes or None,
        aliases=[a.strip() for a in (aliases or "").replace("，", ",").split(",") if a.strip()],
    )


def summary(report: BuildReport) -> IndexSummary:
    return IndexSummary(
        generation=report.generation, mode=report.mode, chunks=report.chunks,
        added=report.added, updated=report.updated, removed=report.removed,
        unchanged=len(report.unchanged), seconds=round(report.seconds, 3),
    )


def chunk_counts(settings: Settings) -> dict[str, int]:
    try:
        chunks = live_index(settings).chunks  # survives a swap by another worker
    except IndexMissingError:  # the listing still works; /v1/status says what is wrong
        return {}
    counts: dict[str, int] = {}
    for chunk in chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    return counts


def info(meta: DocumentMeta, counts: dict[str, int]) -> DocumentInfo:
    return DocumentInfo(**meta.model_dump(), chunks=counts.get(meta.id, 0))


def list_documents(settings: Settings) -> DocumentList:
    counts = chunk_counts(settings)
    documents = [info(d, counts) for d in load_view(settings).documents]
    return DocumentList(documents=documents, total=len(documents))


@router.get("", response_model=DocumentList, responses=ERRORS,
            summary="政策文件列表 / list the policy documents")
async def get_documents(settings: CoreSettings) -> DocumentList:
    return await run_blocking(list_documents, settings)


@router.post("", response_model=DocumentAdded, status_code=201, responses=ERRORS,
             dependencies=[WriteAccess],
             summary="上传政策文件（PDF/DOCX/TXT/MD）及其信息 / upload a policy document")
async def post_document(
    settings: CoreSettings,
    file: Annotated[UploadFile, File(description="PDF, DOCX, TXT or MD")],
    new: Annotated[corpus_admin.NewDocument, Depends(document_form)],
) -> DocumentAdded:
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise upload_too_large(settings.max_upload_mb)
    result = await run_blocking(corpus_admin.add_document, settings, data,
                                file.filename or "upload", new, cancellable=False)
    counts = await run_blocking(chunk_counts, settings)
    return DocumentAdded(document=info(result.document, counts), index=summary(result.report))


@router.delete("/{doc_id}", response_model=DocumentRemoved, responses=ERRORS,
               dependencies=[WriteAccess], summary="删除政策文件 / delete a policy document")
async def delete_document(doc_id: DocId, settings: CoreSettings) -> DocumentRemoved:
    report = await run_blocking(corpus_admin.remove_document, settings, doc_id,
                                cancellable=False)
    return DocumentRemoved(removed=doc_id, index=summary(report))


@router.post("/reindex", response_model=IndexSummary, responses=ERRORS,
             dependencies=[WriteAccess],
             summary="增量更新索引 / update the index incrementally")
async def post_reindex(settings: CoreSettings) -> IndexSummary:
    return summary(await run_blocking(corpus_admin.reindex, settings, cancellable=False))
