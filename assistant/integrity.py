"""Index integrity: what a generation records about its files when it is written, and the
checks that decide whether a generation on disk may be served.

A build records every file's size and sha256 and the counts (chunks, tokens, vocabulary) in
meta.json. Reading checks them at two depths:

- cheap, on every look-up of the live generation: every recorded file is there with its size
  (a few stat calls);
- deep, the first time a generation is opened and again whenever a file's size or mtime
  changes: the sha256 of every file, and the counts against the files' structure (lines of
  chunks.jsonl, array lengths, the BM25 matrix's column pointers). The verdict is cached in the
  process, and a good one in the generation (.verified, with the sizes and mtimes it held).

A damaged generation is never served: the caller falls back to an earlier complete one
(assistant.generations.live_generation) and says why.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

_BLOCK = 1 << 20
VERIFIED = ".verified"  # in a generation: the stamp it was last verified with


class FileRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Damage:
    """Why a generation cannot be served, in both languages."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


def file_table(gen: Path) -> dict[str, FileRecord]:
    """Size and sha256 of every file of a generation being written (meta.json excepted)."""
    table = {}
    for path in sorted(p for p in gen.rglob("*") if p.is_file() and p.name != "meta.json"):
        digest, size, _ = _hash(path)
        table[path.relative_to(gen).as_posix()] = FileRecord(bytes=size, sha256=digest)
    return table


def _hash(path: Path) -> tuple[str, int, int]:
    """sha256, size and number of newlines, in one pass."""
    h, size, lines = hashlib.sha256(), 0, 0
    with open(path, "rb") as handle:
        while block := handle.read(_BLOCK):
            h.update(block)
            size += len(block)
            lines += block.count(b"\n")
    return h.hexdigest(), size, lines


def _stamp(gen: Path, files: dict[str, FileRecord]) -> tuple | Damage:
    """(size, mtime) of each recorded file, or the first missing or resized one. Runs on every
    request: plain os.stat on prepared strings (pathlib costs more than the system calls)."""
    stamp = []
    for name, path, expected in _expected(gen, files):
        try:
            st = os.stat(path)
        except OSError:
            return Damage(f"缺少文件 {name}", f"file {name} is missing")
        if st.st_size != expected:
            return Damage(f"文件 {name} 大小不符（应为 {expected} 字节，实为 {st.st_size}）",
                          f"{name} has {st.st_size} bytes, {expected} expected")
        stamp.append(st.st_mtime_ns)
    return tuple(stamp)


_paths: dict[str, tuple[dict, list[tuple[str, str, int]]]] = {}


def _expected(gen: Path, files: dict[str, FileRecord]) -> list[tuple[str, str, int]]:
    """(name, absolute path, size) per recorded file, built once per parsed meta.json."""
    cached = _paths.get(str(gen))
    if cached is None or cached[0] is not files:  # the entry holds `files`: `is` stays valid
        cached = _paths[str(gen)] = (files, [(name, os.path.join(gen, name), record.bytes)
                                             for name, record in files.items()])
    return cached[1]


_verdicts: dict[str, tuple[tuple, Damage | None]] = {}
_lock = threading.Lock()


def check(gen: Path, meta) -> Damage | None:
    """None when the generation (whose parsed IndexMeta is `meta`) is intact, else why not.
    Cheap when this process has already verified it and no file changed since."""
    if not meta.files:
        return Damage("索引由旧版本建立，未记录校验值", "built by an older version without checksums")
    stamp = _stamp(gen, meta.files)
    if isinstance(stamp, Damage):
        return stamp
    key = str(gen)
    with _lock:
        cached = _verdicts.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    verdict = None if _verified_before(gen, stamp) else _deep(gen, meta)
    if verdict is None:
        _record_verified(gen, stamp)
    with _lock:
        _verdicts[key] = (stamp, verdict)
    return verdict


def _disk_stamp(gen: Path, stamp: tuple) -> list[int]:
    st = os.stat(os.path.join(gen, "meta.json"))
    return [*stamp, st.st_size, st.st_mtime_ns]


def _verified_before(gen: Path, stamp: tuple) -> bool:
    """Another process (or an earlier start) verified this generation and no file, meta.json
    included, has changed size or mtime since: a cold `cpaudit ask` skips the checksums."""
    try:
        return json.loads((gen / VERIFIED).read_text()) == _disk_stamp(gen, stamp)
    except (OSError, ValueError):
        return False


def _record_verified(gen: Path, stamp: tuple) -> None:
    try:
        (gen / VERIFIED).write_text(json.dumps(_disk_stamp(gen, stamp)))
    except OSError:  # a read-only index is verified again by each process: slower, not wrong
        pass


def _deep(gen: Path, meta) -> Damage | None:
    lines = {}
    for name, record in meta.files.items():
        try:
            digest, size, lines[name] = _hash(gen / name)
        except OSError as exc:
            return Damage(f"无法读取 {name}", f"cannot read {name}: {exc.strerror or exc}")
        if digest != record.sha256 or size != record.bytes:
            return Damage(f"文件 {name} 的校验值不符（内容已被改动）",
                          f"{name} does not match its checksum (its content changed)")
    if lines.get("chunks.jsonl", 0) != meta.chunks:
        return Damage(f"chunks.jsonl 有 {lines.get('chunks.jsonl', 0)} 行，应为 {meta.chunks}",
                      f"chunks.jsonl has {lines.get('chunks.jsonl', 0)} lines, {meta.chunks} expected")
    try:
        return _structure(gen, meta)
    except (OSError, ValueError) as exc:
        return Damage("索引数组无法读取", f"an index array cannot be read: {exc}")


def _structure(gen: Path, meta) -> Damage | None:
    """The arrays agree with the counts: a file rewritten with matching checksums but built
    from other counts (or a meta.json edited by hand) is caught here."""
    offsets = np.load(gen / "token_offsets.npy", mmap_mode="r")
    ids = np.load(gen / "token_ids.npy", mmap_mode="r")
    if offsets.shape != (meta.chunks + 1,) or ids.shape != (meta.tokens,) or (
            meta.chunks and int(offsets[-1]) != meta.tokens):
        return Damage("词元数组与片段数不符", "token arrays do not match the chunk count")
    if not meta.chunks:
        return None
    indptr = np.load(gen / "bm25" / "indptr.csc.index.npy", mmap_mode="r")
    data = np.load(gen / "bm25" / "data.csc.index.npy", mmap_mode="r")
    if (indptr.shape != (max(meta.vocab, 1) + 1,) or int(indptr[0]) != 0
            or int(indptr[-1]) != data.shape[0] or data.shape[0] == 0
            or bool((np.diff(indptr) < 0).any())):
        return Damage("BM25 矩阵的列指针（indptr）损坏", "the BM25 matrix's column pointers (indptr) are broken")
    return None
