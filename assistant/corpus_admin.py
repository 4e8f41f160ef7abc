"""Add and remove policy documents: the file under corpus/docs/, the manifest, then an
incremental index build.

Everything that can refuse an upload runs before anything is written: the bytes are read by
the same loader the index uses (so a corrupt, encrypted, empty or mislabelled file is refused
here, not half-way through a build), chunked, and the metadata validated. After that, a
failure rolls the manifest back byte for byte and removes the new file; the index itself is
never half-changed because build_index swaps generations atomically.

Changes are serialized across processes (several API workers, the CLI) by a file lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from assistant.chunker import chunk_document
from assistant.corpus import MANIFEST, load_manifest, save_manifest
from assistant.errors import (
    DocumentExistsError,
    DocumentNotFoundError,
    InvalidMetadataError,
    UnreadableFileError,
)
from assistant.index import BuildReport, build_index
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
        documents = load_manifest(settings.corpus_dir)
        taken = {d.id for d in documents}
        doc_id = new.id or derive_id(name, data, taken)
        if doc_id in taken:
            raise DocumentExistsError(
                f"文档编号已存在：{doc_id}。", f"A document with id {doc_id} already exists.",
                hint_zh="请换一个编号，或先删除原文件。",
                hint_en="Choose another id, or delete the existing document first.",
            )
        relative = f"docs/{doc_id}{EXTENSIONS[document.format]}"
        target = settings.corpus_dir / relative
        if target.exists():
            raise DocumentExistsError(
                f"语料目录中已有同名文件：{relative}。", f"The corpus already has a file {relative}.",
                hint_zh="请换一个文档编号。", hint_en="Choose another document id.",
            )
        meta = _document_meta(new, doc_id, relative, name)
        with _rollback(settings.corpus_dir, created=target):
            _write_atomic(target, data)
            save_manifest(settings.corpus_dir, [*documents, meta])
            report = build_index(settings, use_dense=use_dense)
    log.info("added %s (%s): %d chunks in the index", doc_id, relative, report.chunks)
    return AddResult(meta, report)


def remove_document(settings: Settings, doc_id: str, *, use_dense: bool = True) -> BuildReport:
    with corpus_lock(settings):
        documents = load_manifest(settings.corpus_dir)
        doc = next((d for d in documents if d.id == doc_id), None)
        if doc is None:
            raise DocumentNotFoundError(
                f"找不到文档：{doc_id}。", f"No document with id {doc_id}.",
                hint_zh="文档列表见 GET /v1/documents。", hint_en="See GET /v1/documents.",
            )
        remaining = [d for d in documents if d.id != doc_id]
        with _rollback(settings.corpus_dir):
            save_manifest(settings.corpus_dir, remaining)
            report = build_index(settings, use_dense=use_dense)
        # The file goes last, once the index no longer needs it, and only if no other
        # manifest entry points at it.
        if all(d.file != doc.file for d in remaining):
            (settings.corpus_dir / doc.file).unlink(missing_ok=True)
    log.info("removed %s", doc_id)
    return report


def reindex(settings: Settings, *, use_dense: bool = True) -> BuildReport:
    with corpus_lock(settings):
        return build_index(settings, use_dense=use_dense)


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


@contextmanager
def corpus_lock(settings: Settings) -> Iterator[None]:
    # The lock lives in the data dir: the corpus dir may be a read-mostly checkout.
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / "corpus-admin.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _rollback(corpus_dir: Path, *, created: Path | None = None) -> Iterator[None]:
    manifest = corpus_dir / MANIFEST
    original = manifest.read_bytes()
    try:
        yield
    except BaseException:
        log.warning("corpus change failed: restoring %s", manifest)
        _write_atomic(manifest, original)
        if created is not None:
            created.unlink(missing_ok=True)
        raise


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
