"""Durable writes: what is on disk after a crash (kill -9 or a power cut) is either the old
bytes or the new ones, never a torn file."""

from __future__ import annotations

import os
from pathlib import Path

from assistant.errors import writing_to


def write_durably(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write via a temporary file, fsync, rename, fsync the directory. A full disk is a
    DiskFullError and leaves the old file and no temporary file. `sync=False` (a throwaway
    directory nothing recovers after a crash) keeps the rename but waits for no disk."""
    with writing_to(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
                if sync:
                    handle.flush()
                    os.fsync(handle.fileno())
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        if sync:
            sync_dir(path.parent)


def remove_durably(path: Path) -> None:
    path.unlink(missing_ok=True)
    if path.parent.is_dir():
        sync_dir(path.parent)


def sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(path: Path, *, recursive: bool = True) -> None:
    """Flush a directory's files (with recursive, its subdirectories' too) and the directory
    itself, so that a rename that follows never exposes half-written files after a power cut."""
    for entry in path.iterdir():
        if entry.is_file():
            with open(entry, "rb") as handle:
                os.fsync(handle.fileno())
        elif recursive and entry.is_dir():
            fsync_tree(entry)
    sync_dir(path)
