"""The on-disk index: chunks, BM25 over their tokens, and (optionally) Chroma vectors.

Each build writes a complete new generation beside the live one and then swaps a one-line
CURRENT file atomically, so an interrupted build leaves the previous index usable. Builds are
incremental: a document whose content hash is unchanged keeps its chunks and token ids from the
previous generation; only added or changed documents are loaded, chunked and embedded.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from assistant import __version__
from assistant.bm25_matrix import bm25s_retriever, lucene_scores
from assistant.chunker import CHUNKER_VERSION, SectionMap, chunk_document
from assistant.corpus import content_hash, load_manifest
from assistant.errors import IndexMissingError
from assistant.loader import load_file
from assistant.models import Chunk, DocumentMeta, Mode
from assistant.normalize import normalize
from assistant.settings import Settings
from assistant.tokenize import TokenMode, tokenize, tokenizer_fingerprint

log = logging.getLogger(__name__)
INDEX_FORMAT = "1"


def import_bm25s():
    """bm25s, imported late (it pulls in scipy) and quietened: on import it sets its own logger
    to DEBUG and then logs every build step."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


class DocRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    meta: DocumentMeta
    hash: str
    chunk_ids: list[str]
    section_starts: list[int]
    section_paths: list[str]
    section_articles: list[str | None]
    page_starts: list[int]
    page_numbers: list[int | None]

    def section_map(self) -> SectionMap:
        return SectionMap(
            self.section_starts, self.section_paths, self.section_articles,
            self.page_starts, self.page_numbers,
        )


class IndexMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: str = INDEX_FORMAT
    version: str = __version__
    built_at: str
    mode: Mode
    token_mode: TokenMode
    dense_model: str | None
    lexical_reason: str = ""  # why dense retrieval is off, when it is
    documents: int
    chunks: int
    chunk_max_chars: int
    build_seconds: float


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    mode: Mode = "lexical"
    lexical_reason: str = ""
    seconds: float = 0.0
    generation: str = ""


def index_root(settings: Settings) -> Path:
    return settings.data_dir / "index"


def current_generation(settings: Settings) -> Path | None:
    pointer = index_root(settings) / "CURRENT"
    if not pointer.is_file():
        return None
    gen = index_root(settings) / pointer.read_text().strip()
    return gen if (gen / "meta.json").is_file() else None


@contextmanager
def _build_lock(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_index(
    settings: Settings, *, token_mode: TokenMode = "both", use_dense: bool = True,
    show_progress: bool = False,
) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    root = index_root(settings)
    with _build_lock(root):
        for leftover in root.glob(".building-*"):  # from a build that was interrupted
            shutil.rmtree(leftover, ignore_errors=True)
        documents = load_manifest(settings.corpus_dir)
        previous = _open_previous(settings, token_mode)
        salt = (f"{CHUNKER_VERSION}:{settings.chunk_max_chars}:{settings.chunk_min_chars}:"
                f"{tokenizer_fingerprint()}")

        vocab: dict[str, int] = dict(previous.vocab) if previous else {}
        records: list[DocRecord] = []
        chunks: list[Chunk] = []
        token_ids: list[np.ndarray] = []
        fresh: list[Chunk] = []
        with _progress(show_progress) as progress:
            task = progress.add_task("读取与切分文档 / chunking", total=len(documents))
            for meta in documents:
                digest = content_hash(settings.corpus_dir, meta, salt)
                old = previous.records.get(meta.id) if previous else None
                if old is not None and old.hash == digest:
                    report.unchanged.append(meta.id)
                    doc_chunks = [previous.chunks[i] for i in previous.rows(old.chunk_ids)]
                    doc_tokens = [previous.tokens(i) for i in previous.rows(old.chunk_ids)]
                    record = old
                else:
                    (report.updated if old else report.added).append(meta.id)
                    doc_chunks, record = _chunk(settings, meta, digest)
                    doc_tokens = [_ids(tokenize(c.text, token_mode), vocab) for c in doc_chunks]
                    fresh.extend(doc_chunks)
                records.append(record)
                chunks.extend(doc_chunks)
                token_ids.extend(doc_tokens)
                progress.advance(task)
            if previous:
                report.removed = sorted(set(previous.records) - {d.id for d in documents})

            embedder, reason = (None, "已关闭向量检索 / dense retrieval disabled")
            if use_dense:
                from assistant.dense import load_embedder

                embedder, reason = load_embedder(settings)
            if embedder is not None:
                report.embedded = _embed(settings, embedder, chunks, documents, progress)
            report.mode = "hybrid" if embedder is not None else "lexical"
            report.lexical_reason = reason

            report.chunks = len(chunks)
            if previous and previous.meta.mode == report.mode and not (
                report.added or report.updated or report.removed or report.embedded
            ):
                report.generation = previous.gen.name  # nothing changed: keep the live index
                report.seconds = time.perf_counter() - started
                return report
            report.seconds = time.perf_counter() - started
            meta = IndexMeta(
                built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"), mode=report.mode,
                token_mode=token_mode, dense_model=embedder.name if embedder else None,
                lexical_reason=reason, documents=len(records), chunks=len(chunks),
                chunk_max_chars=settings.chunk_max_chars, build_seconds=report.seconds,
            )
            report.generation = _write_generation(root, meta, records, chunks, token_ids, vocab)
        if embedder is not None:
            from assistant.dense import VectorStore, vector_key

            touched = set(report.updated) | set(report.removed)
            VectorStore(settings, embedder.name).prune({vector_key(c) for c in chunks}, touched)
    report.seconds = time.perf_counter() - started
    return report


def _chunk(settings: Settings, meta: DocumentMeta, digest: str) -> tuple[list[Chunk], DocRecord]:
    source = load_file(settings.corpus_dir / meta.file)
    normalized = normalize(source)
    doc_chunks, sections = chunk_document(
        meta.id, normalized, max_chars=settings.chunk_max_chars,
        min_chars=settings.chunk_min_chars,
    )
    record = DocRecord(
        meta=meta, hash=digest, chunk_ids=[c.id for c in doc_chunks],
        section_starts=sections.starts, section_paths=sections.paths,
        section_articles=sections.articles, page_starts=sections.page_starts,
        page_numbers=sections.page_numbers,
    )
    return doc_chunks, record


def _ids(tokens: list[str], vocab: dict[str, int]) -> np.ndarray:
    # The vocabulary only grows, so token ids of unchanged documents stay valid.
    return np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), dtype=np.int32)


def _embed(settings, embedder, chunks, documents, progress) -> int:
    from assistant.dense import VectorStore, vector_key

    store = VectorStore(settings, embedder.name)
    missing = store.missing([vector_key(c) for c in chunks])
    todo = [c for c in chunks if vector_key(c) in missing]
    if todo:
        task = progress.add_task("计算向量 / embedding", total=len(todo))
        store.add(todo, {d.id: d for d in documents}, embedder,
                  progress=lambda n: progress.advance(task, n))
    return len(todo)


def _write_generation(root, meta, records, chunks, token_ids, vocab) -> str:
    name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    tmp = root / f".building-{name}"
    tmp.mkdir(parents=True)
    (tmp / "docs.json").write_text(
        json.dumps([r.model_dump() for r in records], ensure_ascii=False), "utf-8"
    )
    with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(chunk.model_dump_json() + "\n")
    lengths = np.array([len(t) for t in token_ids], dtype=np.int64)
    flat = np.concatenate(token_ids) if token_ids else np.zeros(0, np.int32)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    np.save(tmp / "token_ids.npy", flat)
    np.save(tmp / "token_offsets.npy", offsets)
    vocab_list = [""] * len(vocab)
    for token, i in vocab.items():
        vocab_list[i] = token
    (tmp / "vocab.json").write_text(json.dumps(vocab_list, ensure_ascii=False), "utf-8")
    if chunks:
        scores = lucene_scores(flat, offsets, max(len(vocab), 1))
        bm25s_retriever(scores, dict(vocab)).save(str(tmp / "bm25"), show_progress=False)
    (tmp / "meta.json").write_text(meta.model_dump_json(indent=1), "utf-8")
    _fsync_dir(tmp)
    final = root / name
    tmp.rename(final)
    pointer_tmp = root / "CURRENT.tmp"
    pointer_tmp.write_text(name)
    os.replace(pointer_tmp, root / "CURRENT")  # the swap: readers see old or new, never half
    _fsync_dir(root)
    for old in root.glob("gen-*"):
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
    return name


def _fsync_dir(path: Path) -> None:
    for file in path.iterdir():
        if file.is_file():
            with open(file, "rb") as handle:
                os.fsync(handle.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _progress(show: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        disable=not show, transient=False,
    )
    with progress:
        yield progress


class _Previous:
    """What an incremental build reuses from the live generation."""

    def __init__(self, gen: Path, meta: IndexMeta) -> None:
        self.gen, self.meta = gen, meta
        self.records = {
            r["meta"]["id"]: DocRecord(**r)
            for r in json.loads((gen / "docs.json").read_text("utf-8"))
        }
        self.chunks = _read_chunks(gen)
        self._row = {c.id: i for i, c in enumerate(self.chunks)}
        self._ids = np.load(gen / "token_ids.npy")
        self._offsets = np.load(gen / "token_offsets.npy")
        vocab_list = json.loads((gen / "vocab.json").read_text("utf-8"))
        self.vocab = {t: i for i, t in enumerate(vocab_list)}

    def rows(self, chunk_ids: list[str]) -> list[int]:
        return [self._row[c] for c in chunk_ids]

    def tokens(self, row: int) -> np.ndarray:
        return self._ids[self._offsets[row]:self._offsets[row + 1]]


def _open_previous(settings: Settings, token_mode: TokenMode) -> _Previous | None:
    gen = current_generation(settings)
    if gen is None:
        return None
    try:
        meta = IndexMeta.model_validate_json((gen / "meta.json").read_text("utf-8"))
        if meta.format != INDEX_FORMAT or meta.token_mode != token_mode:
            return None
        return _Previous(gen, meta)
    except Exception as exc:  # an unreadable old generation only costs a full rebuild
        log.warning("previous index unusable, rebuilding from scratch: %s", exc)
        return None


def _read_chunks(gen: Path) -> list[Chunk]:
    with open(gen / "chunks.jsonl", encoding="utf-8") as handle:
        return [Chunk.model_validate_json(line) for line in handle]


def open_generation(settings: Settings) -> Path:
    gen = current_generation(settings)
    if gen is None:
        raise IndexMissingError(
            f"尚未建立索引（{index_root(settings)}）",
            f"No index found at {index_root(settings)}.",
            hint_zh="请先运行：cpaudit index", hint_en="Run: cpaudit index",
        )
    return gen
