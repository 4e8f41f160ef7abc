"""Files derived from installed data (jieba's dictionary, the gazetteer, the data files),
kept under a fingerprint of their sources, so a command reads a small prepared file instead of
rebuilding the same tables in every process. They come from the installation, not from a data
dir: every data dir shares them, and settings given to the API leave the process's own data
dir untouched.

Where: scripts/install.sh derives them once into the environment's own directory
(`installed_dir()`, `python -m assistant.prepare`), so a new cache directory — each test
session, each measured run, a fresh user — finds them ready (deriving the tokenizer dictionary
alone is ~1.8 s). A file is looked for there first, then in the settings' cache directory; one
absent, stale (another fingerprint: a source changed since the install) or unreadable there is
derived into the cache directory as before. The install's directory is only ever written by
the install step: a process never needs it to be writable.

A fingerprint covers the source files (path, size, modification time) and the source code
of the module that derives from them: changing either makes a new file. Old fingerprints of a
kind are removed except the newest few: checkouts or virtual environments sharing one cache
directory each have their own fingerprint (paths differ), and deleting every other one made
them evict each other's files on every start. Files are written atomically under a unique
temporary name, so processes that build the same file at once each write a complete one. A
directory that cannot be written costs only the rebuild: the caller derives in memory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)


_installing: Path | None = None  # where files are derived while deriving_into() lasts


@contextmanager
def deriving_into(directory: Path) -> Iterator[None]:
    """Derived files are looked for and written in `directory` alone meanwhile (the install's
    step, assistant.prepare)."""
    global _installing
    _installing = directory
    try:
        yield
    finally:
        _installing = None


def cache_dir() -> Path:
    """Where derived files are written (and looked for after the install's directory)."""
    if _installing is not None:
        return _installing
    from assistant.settings import get_settings

    return get_settings().cache_dir


@lru_cache(maxsize=1)  # asked before every derived file a start reads
def installed_dir() -> Path:
    """The directory the install derives files into: inside the Python environment cpaudit runs
    in (`.venv/share/cpaudit`), whose packages (jieba's dictionary, OpenCC, GB2260) the files
    are derived from; not under the cache directory, which may be new in every run."""
    return Path(sys.prefix) / "share" / "cpaudit"


def kept_paths(name: str, directory: Path | None = None) -> list[Path]:
    """Where the derived file `name` is looked for, in order: the install's directory, then
    `directory` (default: the cache directory), where it is written when found in neither."""
    if _installing is not None:  # the install's step: there alone
        return [_installing / name]
    installed, kept = installed_dir() / name, (directory or cache_dir()) / name
    return [kept] if installed == kept else [installed, kept]


def fingerprint(sources: Iterable[Path], module_file: str, *extra: bytes) -> str:
    h = hashlib.sha256(Path(module_file).read_bytes())
    for source in sources:
        st = source.stat()
        h.update(f"{source}:{st.st_size}:{st.st_mtime_ns};".encode())
    for part in extra:
        h.update(part)
    return h.hexdigest()[:32]


def replace_file(path: Path, parts: Iterable[bytes]) -> None:
    """Write `path` whole: readers see the old file or the new one, and processes writing the
    same file at once each write a complete one (a unique temporary name each)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as out:
            for part in parts:
                out.write(part)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


KEPT_PER_KIND = 6  # newest fingerprints of one kind kept side by side (the new one included)


def write_atomically(path: Path, parts: Iterable[bytes], same_kind: str | None = None) -> None:
    """Write `path` whole (replace_file), then remove the older fingerprints of the same kind
    beyond the newest KEPT_PER_KIND: the files beside it matching `same_kind`, by default
    `<kind>-*<suffix>` (the kind being the name up to its first "-")."""
    replace_file(path, parts)
    if same_kind is None:
        same_kind = f"{path.name.split('-', 1)[0]}-*{path.suffix}"
    others = []
    for other in path.parent.glob(same_kind):
        try:
            others.append((other.stat().st_mtime_ns, other))
        except OSError:  # removed meanwhile by another process
            continue
    others = [p for _, p in sorted(others, reverse=True) if p != path]
    for stale in others[KEPT_PER_KIND - 1:]:
        stale.unlink(missing_ok=True)


def cached_value(kind: str, fp: str, build: Callable[[], object]) -> object:
    """The value stored for `kind` under fingerprint `fp`, built (and stored) if absent, in its
    JSON form (keys as text, tuples as lists) whether it was just built or read. It is kept as
    marshal data of that form: reading the gazetteer's tables (0.46 MB as JSON) is about three
    times faster so, on every start that reads a question. marshal's format belongs to the
    interpreter, so its version and Python's are in the file's name."""
    where = kept_paths(f"{kind}-{fp}-{sys.implementation.cache_tag}m{marshal.version}.marshal")
    path = where[-1]  # the cache directory's: written there when no copy can be read
    for candidate in where:
        try:
            return marshal.loads(candidate.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            continue
    value = json.loads(json.dumps(build(), ensure_ascii=False))
    try:
        write_atomically(path, [marshal.dumps(value)])
    except OSError as exc:
        log.debug("cannot keep %s in %s (%s): derived in memory", kind, path.parent, exc)
    return value
