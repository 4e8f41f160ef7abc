"""The document viewer's two reads of a corpus document, named by doc_id only:

- GET /v1/documents/{doc_id}/file: the original file (a PDF opens in the page's pdf.js);
- GET /v1/documents/{doc_id}/text: the normalized text the index was built from, with its
  section outline and page starts, so a citation's offsets (Citation.start/end) mark the
  quote in it.

The client never sends a path: the file is the one the manifest lists for the id, and it must
lie inside the corpus directory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.params import Path as PathParam
from fastapi.responses import FileResponse

from api.deps import CoreSettings, run_blocking
from api.schemas import ERRORS
from assistant.corpus_layers import load_view
from assistant.document import Document, Format
from assistant.errors import DocumentNotFoundError
from assistant.loader import load_file
from assistant.models import DocumentMeta, Strict
from assistant.settings import Settings

router = APIRouter(prefix="/v1/documents", tags=["viewer"])
DocId = Annotated[str, PathParam(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
MEDIA = {".pdf": "application/pdf", ".md": "text/markdown", ".txt": "text/plain",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class OutlineEntry(Strict):
    title: str  # with its numbering: "第三章 清洁生产的实施", "（七）重点行业…"
    level: int
    start: int  # the heading's span in `text`
    end: int
    page: int | None = None


class PageOffset(Strict):
    number: int | None
    offset: int


class DocumentText(Strict):
    id: str
    title: str
    format: Format
    file_url: str
    text: str
    outline: list[OutlineEntry]
    pages: list[PageOffset]


def source_of(settings: Settings, doc_id: str) -> tuple[DocumentMeta, Path]:
    """The manifest entry of doc_id (bundled or uploaded) and its file, which must be inside
    its own corpus folder."""
    view = load_view(settings)
    meta = view.find(doc_id)
    root = (view.user_dir if meta and view.is_user(meta.id) else view.bundled_dir).resolve()
    path = view.path(meta).resolve() if meta else None
    if meta is None or path is None or not path.is_relative_to(root) or not path.is_file():
        raise DocumentNotFoundError(
            f"找不到文档：{doc_id}。", f"No document with id {doc_id}.",
            hint_zh="文档列表见 GET /v1/documents。", hint_en="See GET /v1/documents.",
        )
    return meta, path


@lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int, size: int) -> Document:
    # Keyed by the file's stamp: a replaced file is read again.
    return load_file(path)


def document_text(settings: Settings, doc_id: str) -> DocumentText:
    meta, path = source_of(settings, doc_id)
    stat = path.stat()
    doc = _load(path, stat.st_mtime_ns, stat.st_size)
    outline = [OutlineEntry(title=h.numbering.label or h.title, level=h.level, start=h.start,
                            end=h.end, page=h.page) for h in doc.headings()]
    return DocumentText(
        id=meta.id, title=meta.title, format=doc.format,
        file_url=f"/v1/documents/{meta.id}/file", text=doc.text, outline=outline,
        pages=[PageOffset(number=p.number, offset=p.offset) for p in doc.pages],
    )


@router.get("/{doc_id}/text", response_model=DocumentText, responses=ERRORS,
            summary="文件的规范化正文与目录 / a document's normalized text and outline")
async def get_text(doc_id: DocId, settings: CoreSettings) -> DocumentText:
    return await run_blocking(document_text, settings, doc_id)


@router.get("/{doc_id}/file", responses={
    200: {"description": "the original file", "content": {m: {} for m in MEDIA.values()}},
    **ERRORS}, summary="文件原件 / a document's original file")
async def get_file(doc_id: DocId, settings: CoreSettings) -> FileResponse:
    meta, path = await run_blocking(source_of, settings, doc_id)
    media = MEDIA.get(path.suffix.lower(), "application/octet-stream")
    # A PDF opens in the page; anything else is a download. nosniff: never run as HTML.
    disposition = "inline" if media == "application/pdf" else "attachment"
    name = f"{meta.id}{path.suffix.lower()}"
    return FileResponse(path, media_type=media, headers={
        "Content-Disposition": f"{disposition}; filename={name}; "
                               f"filename*=UTF-8''{quote(meta.title)}{path.suffix.lower()}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache",
    })
