"""The index's on-disk format: generations, the CURRENT pointer, and the build lock.

A generation is a complete directory (docs.json, chunks.jsonl, token arrays, vocab.json,
bm25/, meta.json). A build writes one aside as .building-*, renames it into place and then
swaps the one-line CURRENT file atomically, so readers see the old index or the new one,
never half of either; an interrupted build leaves only a .building-* directory behind.
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
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from assistant import __version__
from assistant.bm25_matrix import bm25s_retriever, lucene_scores
from assistant.chunker import SectionMap
from assistant.errors import IndexMissingError
from assistant.models import Chunk, DocumentMeta, Mode
from assistant.settings import Settings
from assistant.tokenize import TokenMode

log = logging.getLogger(__name__)
INDEX_FORMAT = "1"


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


def index_root(settings: Settings) -> Path:
    return settings.data_dir / "index"


def current_generation(settings: Settings) -> Path | None:
    pointer = index_root(settings) / "CURRENT"
    if not pointer.is_file():
        return None
    gen = index_root(settings) / pointer.read_text().strip()
    return gen if (gen / "meta.json").is_file() else None


@contextmanager
def build_lock(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_generation(root, meta, records, chunks, token_ids, vocab) -> str:
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
    fsync_dir(tmp)
    final = root / name
    tmp.rename(final)
    pointer_tmp = root / "CURRENT.tmp"
    pointer_tmp.write_text(name)
    os.replace(pointer_tmp, root / "CURRENT")  # the swap: readers see old or new, never half
    fsync_dir(root)
    for old in root.glob("gen-*"):
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
    return name


def fsync_dir(path: Path) -> None:
    for file in path.iterdir():
        if file.is_file():
            with open(file, "rb") as handle:
                os.fsync(handle.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Previous:
    """What an incremental build reuses from the live generation."""

    def __init__(self, gen: Path, meta: IndexMeta) -> None:
        self.gen, self.meta = gen, meta
        self.records = {
            r["meta"]["id"]: DocRecord(**r)
            for r in json.loads((gen / "docs.json").read_text("utf-8"))
        }
        self.chunks = read_chunks(gen)
        self._row = {c.id: i for i, c in enumerate(self.chunks)}
        self._ids = np.load(gen / "token_ids.npy")
        self._offsets = np.load(gen / "token_offsets.npy")
        vocab_list = json.loads((gen / "vocab.json").read_text("utf-8"))
        self.vocab = {t: i for i, t in enumerate(vocab_list)}

    def rows(self, chunk_ids: list[str]) -> list[int]:
        return [self._row[c] for c in chunk_ids]

    def tokens(self, row: int) -> np.ndarray:
        return self._ids[self._offsets[row]:self._offsets[row + 1]]


def open_previous(settings: Settings, token_mode: TokenMode) -> Previous | None:
    gen = current_generation(settings)
    if gen is None:
        return None
    try:
        meta = IndexMeta.model_validate_json((gen / "meta.json").read_text("utf-8"))
        if meta.format != INDEX_FORMAT or meta.token_mode != token_mode:
            return None
        return Previous(gen, meta)
    except Exception as exc:  # an unreadable old generation only costs a full rebuild
        log.warning("previous index unusable, rebuilding from scratch: %s", exc)
        return None


def read_chunks(gen: Path) -> list[Chunk]:
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
