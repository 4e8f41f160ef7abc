"""Add and remove policy documents: the file and the entry go into the user's layer in the
data directory (assistant.corpus_layers; the bundled corpus/ is never written), and the index
is updated incrementally.

Everything that can refuse an upload runs before anything is written: the bytes are read by
the same loader the index uses (so a corrupt, encrypted, empty or mislabelled file is refused
here, not half-way through a build), chunked, and the metadata validated. Each change is then
a journaled transaction (assistant.journal): a failure or a crash at any step leaves the old
corpus and index or the new ones, never a mix. Changes are serialized across processes
(several API workers, the CLI) by the corpus lock, and each first recovers whatever change a
crash interrupted.

Retries are safe: uploading the same file with the same metadata again returns the document
already there, and deleting a document already deleted reports it as removed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from assistant.chunker import chunk_document
from assistant.corpus_layers import CorpusView, load_view, save_layer
from assistant.durable import remove_durably, write_durably
from assistant.errors import (
    DocumentExistsError,
    DocumentNotFoundError,
    InvalidMetadataError,
    UnreadableFileError,
)
from assistant.faults import crash_point
from assistant.index import BuildReport, build_index
from assistant.journal import Intent, corpus_lock, live_name, recover, transaction
from assistant.loader import load_bytes
from assistant.models import DocKind, DocumentMeta, Strict
from assistant.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "txt": ".txt", "md": ".md"}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


class NewDocument(Strict):
    """What the user says about a document; the file name and id are derived if omitted."""

    title: str
    short_title: str | None = None
    issuer: str
    region: str
    kind: DocKind
    id: str | None = None
    doc_number: str | None = None
    date: str | None = None
    aliases: list[str] = []
    notes: str | None = None


@dataclass
class AddResult:
    document: DocumentMeta
    report: BuildReport


def safe_filename(name: str | None) -> str:
    """The last path component, without control or shell-special characters; for messages and
    notes only: stored files are named after the document id."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE.sub("_", base).strip(" ._")
    return base[:120] or "upload"


def add_document(
    settings: Settings, data: bytes, filename: str, new: NewDocument, *, use_dense: bool = True,
) -> AddResult:
    name = safe_filename(filename)
    document = load_bytes(data, name=name)  # refuses empty/corrupt/encrypted/mislabelled files
    chunks, _ = chunk_document(
        new.id or "upload", document, max_chars=settings.chunk_max_chars,
        min_chars=settings.chunk_min_chars,
    )
    if not chunks:
        raise UnreadableFileError(
            f"文件中没有可检索的正文：{name}。", f"{name} holds no text that can be indexed.",
            hint_zh="请上传包含政策正文的文件。", hint_en="Upload a file with the policy text.",
        )
    with corpus_lock(settings):
        recover(settings)
        view = load_view(settings)
        again = _same_upload(view, data, new, name)
        if again is not None:  # a client's retry of an upload that went through
            return AddResult(again, build_index(settings, view=view, use_dense=use_dense))
        taken = {d.id for d in view.documents}
        doc_id = new.id or derive_id(name, data, taken)
        if doc_id in taken:
            raise DocumentExistsError(
                f"文档编号已存在：{doc_id}。", f"A document with id {doc_id} already exists.",
                hint_zh="请换一个编号，或先删除原文件。",
                hint_en="Choose another id, or delete the existing document first.",
            )
        meta = _document_meta(new, doc_id, f"docs/{doc_id}{EXTENSIONS[document.format]}", name)
        staged = view.with_document(meta)
        intent = Intent(op="add", document=meta, user_file=True, base=live_name(settings))
        with transaction(settings, intent):
            write_durably(staged.path(meta), data)
            crash_point("add:file")
            report = build_index(settings, view=staged, use_dense=use_dense)
            crash_point("add:index")
            save_layer(settings, staged.layer)
            crash_point("add:manifest")
    log.info("added %s (%s): %d chunks in the index", doc_id, meta.file, report.chunks)
    return AddResult(meta, report)


def remove_document(settings: Settings, doc_id: str, *, use_dense: bool = True) -> BuildReport:
    """Remove an uploaded document, or hide a bundled one (corpus/ itself is never changed)."""
    with corpus_lock(settings):
        recover(settings)
        view = load_view(settings)
        doc = view.find(doc_id)
        if doc is None and doc_id in view.layer.removed:  # a retry of a delete that went through
            return build_index(settings, view=view, use_dense=use_dense)
        if doc is None:
            raise DocumentNotFoundError(
                f"找不到文档：{doc_id}。", f"No document with id {doc_id}.",
                hint_zh="文档列表见 GET /v1/documents。", hint_en="See GET /v1/documents.",
            )
        staged = view.without(doc_id)
        user_file = view.is_user(doc_id)
        intent = Intent(op="remove", document=doc, user_file=user_file, base=live_name(settings))
        with transaction(settings, intent):
            report = build_index(settings, view=staged, use_dense=use_dense)
            crash_point("remove:index")
            save_layer(settings, staged.layer)
            crash_point("remove:manifest")
            if user_file:  # last, once the index no longer needs it
                remove_durably(view.path(doc))
                crash_point("remove:file")
    log.info("removed %s", doc_id)
    return report


def reindex(settings: Settings, *, use_dense: bool = True, show_progress: bool = False) -> BuildReport:
    with corpus_lock(settings):
        recover(settings)
        return build_index(settings, use_dense=use_dense, show_progress=show_progress)


def _same_upload(view: CorpusView, data: bytes, new: NewDocument, name: str) -> DocumentMeta | None:
    """The user document this upload repeats exactly (same bytes, same metadata), if any."""
    for doc in view.layer.documents:
        if new.id not in (None, doc.id):
            continue
        path = view.path(doc)
        try:
            if path.stat().st_size != len(data) or path.read_bytes() != data:
                continue
        except OSError:
            continue
        if _document_meta(new, doc.id, doc.file, name) == doc:
            return doc
    return None


def derive_id(name: str, data: bytes, taken: set[str]) -> str:
    """An id from the file name's ASCII part (Chinese names give none: then a content hash)."""
    stem = Path(name).stem.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:48].strip("-")
    if len(slug) < 3:
        slug = f"doc-{hashlib.sha1(data).hexdigest()[:8]}"
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _document_meta(new: NewDocument, doc_id: str, relative: str, name: str) -> DocumentMeta:
    try:
        return DocumentMeta(
            id=doc_id, title=new.title.strip(), short_title=(new.short_title or new.title).strip(),
            issuer=new.issuer.strip(), doc_number=new.doc_number or None, region=new.region.strip(),
            date=new.date or None, kind=new.kind, file=relative,
            aliases=[a.strip() for a in new.aliases if a.strip()],
            notes=new.notes or f"上传的文件 / uploaded file: {name}",
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InvalidMetadataError(
            f"文档信息有误（{where}）：{first['msg']}。", f"Invalid metadata ({where}): {first['msg']}",
        ) from exc
