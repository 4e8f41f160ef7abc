"""The on-disk index: chunks, BM25 over their tokens, and (optionally) Chroma vectors.

Each build writes a complete new generation beside the live one and then swaps a one-line
CURRENT file atomically, so an interrupted build leaves the previous index usable. Builds are
incremental: a document whose content hash is unchanged keeps its chunks and token ids from the
previous generation; only added or changed documents are loaded, chunked and embedded.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant import build_pool
from assistant.chunker import CHUNKER_VERSION, chunk_document
from assistant.corpus import content_hash
from assistant.corpus_layers import CorpusView, load_view
from assistant.generations import (
    DocRecord,
    IndexMeta,
    build_lock,
    index_root,
    open_previous,
    remove_leftovers,
    write_generation,
)
from assistant.lexical import field_fingerprint
from assistant.loader import load_file
from assistant.models import Chunk, DocumentMeta, Mode
from assistant.settings import Settings
from assistant.tokenize import TokenMode, tokenizer_fingerprint

log = logging.getLogger(__name__)


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


def build_index(
    settings: Settings, *, view: CorpusView | None = None, token_mode: TokenMode = "both",
    use_dense: bool = True, show_progress: bool = False, pool_threshold: int | None = None,
    durable: bool = True,
) -> BuildReport:
    """Build the index of `view` (default: the corpus as it is on disk, bundled + the user's
    layer) and make it current; a corpus change passes the changed view before saving it.
    Documents to (re)load are loaded, chunked and tokenized in a process pool when there are
    at least `pool_threshold` of them (default `build_pool.POOL_MIN_DOCUMENTS`). `durable=False`
    flushes nothing to disk: for an index in a temporary directory (assistant.generations)."""
    started = time.perf_counter()
    report = BuildReport()
    root = index_root(settings)
    view = view or load_view(settings)
    with build_lock(root):
        remove_leftovers(root)  # what an interrupted build left
        documents = view.documents
        previous = open_previous(settings, token_mode)
        salt = (f"{CHUNKER_VERSION}:{settings.chunk_max_chars}:{settings.chunk_min_chars}:"
                f"{tokenizer_fingerprint()}{field_fingerprint()}")

        vocab: dict[str, int] = dict(previous.vocab) if previous else {}
        records: list[DocRecord] = []
        chunks: list[Chunk] = []
        token_ids: list[np.ndarray] = []
        fresh: list[Chunk] = []
        with _progress(show_progress) as progress:
            task = progress.add_task("读取与切分文档 / chunking", total=len(documents))
            digests = [content_hash(view.path(meta), meta, salt) for meta in documents]
            olds = [previous.records.get(meta.id) if previous else None for meta in documents]
            todo = [build_pool.Task(view.path(meta), meta, digest, settings.chunk_max_chars,
                                    settings.chunk_min_chars, token_mode)
                    for meta, digest, old in zip(documents, digests, olds)
                    if old is None or old.hash != digest]
            jobs = iter(todo)  # in document order, as the loop below meets them
            pooled = (iter(build_pool.prepare_all(todo))
                      if build_pool.use_pool(len(todo), pool_threshold) else None)
            for meta, digest, old in zip(documents, digests, olds):
                if old is not None and old.hash == digest:
                    report.unchanged.append(meta.id)
                    doc_chunks = [previous.chunks[i] for i in previous.rows(old.chunk_ids)]
                    doc_tokens = [previous.tokens(i) for i in previous.rows(old.chunk_ids)]
                    record = old
                else:
                    (report.updated if old else report.added).append(meta.id)
                    job = next(jobs)
                    prepared = next(pooled) if pooled is not None else build_pool.prepare(job)
                    doc_chunks, record = prepared.chunks, prepared.record
                    doc_tokens = build_pool.global_ids(prepared, vocab)
                    fresh.extend(doc_chunks)
                records.append(record)
                chunks.extend(doc_chunks)
                token_ids.extend(doc_tokens)
                progress.advance(task)
            if pooled is not None:
                next(pooled, None)  # the pool's generator closes and joins its workers
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
            report.generation = write_generation(root, meta, records, chunks, token_ids, vocab,
                                                 durable=durable)
        if embedder is not None:
            from assistant.dense import VectorStore, vector_key

            touched = set(report.updated) | set(report.removed)
            VectorStore(settings, embedder.name).prune({vector_key(c) for c in chunks}, touched)
    report.seconds = time.perf_counter() - started
    return report


def load_and_chunk(path: Path, meta: DocumentMeta, digest: str, max_chars: int,
                   min_chars: int) -> tuple[list[Chunk], DocRecord]:
    """One document read and chunked, with its record (in-process or in a pool worker)."""
    document = load_file(path)
    doc_chunks, sections = chunk_document(
        meta.id, document, max_chars=max_chars, min_chars=min_chars,
    )
    record = DocRecord(
        meta=meta, hash=digest, chunk_ids=[c.id for c in doc_chunks],
        section_starts=sections.starts, section_paths=sections.paths,
        section_articles=sections.articles, page_starts=sections.page_starts,
        page_numbers=sections.page_numbers,
    )
    return doc_chunks, record


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


@contextmanager
def _progress(show: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        disable=not show, transient=False,
    )
    with progress:
        yield progress


