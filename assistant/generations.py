"""The index's on-disk format: generations, the CURRENT pointer, and the build lock.

A generation is a complete directory (docs.json, chunks.jsonl, token arrays, vocab.json,
bm25/, meta.json with the size and sha256 of every other file). A build writes one aside as
.building-*, renames it into place and then swaps the one-line CURRENT file atomically, so
readers see the old index or the new one, never half of either; an interrupted build leaves
only a .building-* directory behind, which the next build or start-up removes. Which
generation is served, and whether it is intact, is assistant.live_index's business.

Old generations are kept for a while (see prune_generations): another worker may be loading
the one CURRENT pointed at a moment ago, and the previous one is the fallback when the
current one turns out damaged.
"""

from __future__ import annotations

import fcntl
import json
import logging
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from assistant import __version__
from assistant.bm25_matrix import bm25s_retriever, lucene_scores
from assistant.durable import fsync_tree, write_durably
from assistant.errors import writing_to
from assistant.faults import crash_point
from assistant.integrity import FileRecord, file_table
from assistant.models import Chunk, DocumentMeta, Mode
from assistant.sections import SectionMap
from assistant.settings import Settings
from assistant.tokenize import TokenMode

log = logging.getLogger(__name__)
INDEX_FORMAT = "1"
# A superseded generation is deleted only this long after its successor went live. A reader
# needs a generation's files only while it loads them (everything is then in memory, or
# mmapped, and an unlinked mmapped file stays readable), so this covers the slowest load by a
# wide margin; a reader that still loses the race retries on the new CURRENT
# (assistant.service.open_index). The newest superseded generation that is intact is kept
# regardless: it is the fallback when the current one is found damaged.
GRACE_SECONDS = 300.0


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
    # Integrity (assistant.integrity): counts and every file's size and sha256, at write time.
    tokens: int = 0
    vocab: int = 0
    files: dict[str, FileRecord] = {}


def index_root(settings: Settings) -> Path:
    return settings.data_dir / "index"


def read_meta(gen: Path) -> IndexMeta:
    return IndexMeta.model_validate_json((gen / "meta.json").read_text("utf-8"))


def doc_ids(gen: Path) -> set[str]:
    """The documents a generation holds."""
    return {r["meta"]["id"] for r in json.loads((gen / "docs.json").read_text("utf-8"))}


@contextmanager
def build_lock(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_generation(root, meta, records, chunks, token_ids, vocab, *, durable: bool = True) -> str:
    """Write a complete generation aside, then make it current. Any failure (a full disk)
    removes the partial .building-* directory and leaves the live generation as it was.
    `durable=False`: nothing is flushed to disk (fsync) — for an index in a temporary
    directory that no process opens after a crash (`cpaudit eval`'s)."""
    name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    tmp = root / f".building-{name}"
    try:
        with writing_to(root):
            tmp.mkdir(parents=True)
            _write_files(tmp, meta, records, chunks, token_ids, vocab)
            if durable:
                fsync_tree(tmp)
            crash_point("build:written")
            tmp.rename(root / name)
            crash_point("build:renamed")
            # the swap: readers see old or new
            write_durably(root / "CURRENT", name.encode(), sync=durable)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if _pointer(root) != name:  # renamed but never made current
            shutil.rmtree(root / name, ignore_errors=True)
        raise
    crash_point("build:swapped")
    prune_generations(root, name)
    return name


def _write_files(tmp: Path, meta: IndexMeta, records, chunks, token_ids, vocab) -> None:
    (tmp / "docs.json").write_text(
        json.dumps([r.model_dump() for r in records], ensure_ascii=False), "utf-8"
    )
    with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(chunk.model_dump_json() + "\n")
    crash_point("build:writing")
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
        bm25s_retriever(scores, vocab).save(str(tmp / "bm25"), show_progress=False)
    meta.tokens, meta.vocab, meta.files = int(len(flat)), len(vocab_list), file_table(tmp)
    (tmp / "meta.json").write_text(meta.model_dump_json(indent=1), "utf-8")


def generations(root: Path) -> list[Path]:
    """Complete generations (those with a meta.json), oldest first."""
    found = [g for g in root.glob("gen-*") if (g / "meta.json").is_file()]
    return sorted(found, key=lambda g: ((g / "meta.json").stat().st_mtime_ns, g.name))


def _pointer(root: Path) -> str | None:
    try:
        return (root / "CURRENT").read_text().strip()
    except OSError:
        return None


def prune_generations(root: Path, current: str, *, now: float | None = None) -> None:
    """Delete superseded generations nobody can still need (see GRACE_SECONDS), and those an
    interrupted build completed but never made current. Call with the build lock held."""
    now = time.time() if now is None else now
    complete = generations(root)
    names = [g.name for g in complete]
    if current in names:
        for orphan in complete[names.index(current) + 1:]:
            shutil.rmtree(orphan, ignore_errors=True)
        complete = complete[:names.index(current) + 1]
    fallback = next((g for g in reversed(complete) if g.name != current and _sizes_ok(g)), None)
    for older, newer in zip(complete, complete[1:]):
        if older.name in (current, getattr(fallback, "name", None)):
            continue
        if now - (newer / "meta.json").stat().st_mtime > GRACE_SECONDS:
            shutil.rmtree(older, ignore_errors=True)
    for half in root.glob("gen-*"):  # a removal cut short: no meta.json, never servable
        if not (half / "meta.json").exists() and now - half.stat().st_mtime > GRACE_SECONDS:
            shutil.rmtree(half, ignore_errors=True)


def _sizes_ok(gen: Path) -> bool:
    try:
        meta = read_meta(gen)
        return bool(meta.files) and all(
            (gen / name).stat().st_size == rec.bytes for name, rec in meta.files.items())
    except (OSError, ValueError):
        return False


def remove_leftovers(root: Path) -> list[str]:
    """Remove what interrupted builds left (.building-* directories, .CURRENT.tmp). Call with
    the build lock held: then no build is running."""
    removed = []
    for leftover in [*root.glob(".building-*"), *root.glob(".CURRENT.tmp")]:
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
        removed.append(leftover.name)
    return removed


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
    """The live generation to build on, if it is intact and of this format: a damaged one is
    never reused (the fallback generation is, when there is one)."""
    from assistant.live_index import live_generation

    live = live_generation(settings)
    if live.gen is None or live.meta is None:
        return None
    try:
        if live.meta.format != INDEX_FORMAT or live.meta.token_mode != token_mode:
            return None
        return Previous(live.gen, live.meta)
    except Exception as exc:  # an unreadable old generation only costs a full rebuild
        log.warning("previous index unusable, rebuilding from scratch: %s", exc)
        return None


def read_chunks(gen: Path) -> list[Chunk]:
    with open(gen / "chunks.jsonl", encoding="utf-8") as handle:
        return [Chunk.model_validate_json(line) for line in handle]
